# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Customers in arrears report: one grouped query, aged as of today."""

from datetime import date

from freezegun import freeze_time

from odoo import Command

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestCustomerReport(FrDunningCase):
    def test_figures_match_a_hand_computation(self):
        # As of 23/11/2026: due 13/11 -> 10 days, 08/10 -> 46, 30/08 -> 85,
        # 15/07 -> 131, 01/12 -> not due yet.
        a = self._invoice(self.business, "2026-10-14", "2026-11-13", 100.0)
        b = self._invoice(self.business, "2026-09-08", "2026-10-08", 200.0)
        self._invoice(self.business, "2026-07-31", "2026-08-30", 300.0)
        d = self._invoice(self.business, "2026-06-15", "2026-07-15", 400.0)
        self._invoice(self.business, "2026-11-01", "2026-12-01", 500.0)
        self._pay(d, 150.0, "2026-08-01")
        self.env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(b.ids)], "note": "Prix"}
        )
        self._invoice(self.consumer, "2026-10-01", "2026-10-31", 80.0)
        self.env.flush_all()
        rows = self.env["fr.dunning.customer"].search([("company_id", "=", self.company.id)])
        business = rows.filtered(lambda r: r.partner_id == self.business)
        self.assertRecordValues(
            business,
            [
                {
                    "invoice_count": 5,
                    "total_due": 1350.0,  # 100 + 200 + 300 + 250 + 500
                    "total_overdue": 850.0,
                    "not_due": 500.0,
                    "aged_1_30": 100.0,
                    "aged_31_60": 200.0,
                    "aged_61_90": 300.0,
                    "aged_over_90": 250.0,
                    "disputed": 200.0,
                    "oldest_days": 131,
                }
            ],
        )
        self.assertFalse(business.has_email)
        self.assertIn(business, rows.search([("has_email", "=", False)]))
        consumer = rows.filtered(lambda r: r.partner_id == self.consumer)
        self.assertRecordValues(consumer, [{"total_overdue": 80.0, "aged_1_30": 80.0, "oldest_days": 23}])
        # Grouped (pivot) totals come from the same query.
        [[total]] = self.env["fr.dunning.customer"]._read_group(
            [("company_id", "=", self.company.id)], [], ["total_overdue:sum"]
        )
        self.assertEqual(total, 930.0)
        # The level shown is the most advanced of the customer's invoices.
        self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23), partners=self.business)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(business.level_id.offset_days, 1)
        self.assertTrue(a.fr_dunning_level_id)

    def test_readable_by_dunning_users_only_in_their_companies(self):
        self._invoice(self.business, "2026-10-14", "2026-11-13", 100.0)
        self.env.flush_all()
        rows = self.env["fr.dunning.customer"].with_user(self.dunning_user).search([])
        self.assertEqual(rows.company_id, self.company)
        self.assertIn(self.business, rows.partner_id)
