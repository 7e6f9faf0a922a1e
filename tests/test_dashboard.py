# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dashboard's figures against hand computations."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.fr_dunning_addon.models.fr_dunning_dashboard import dso_count_back, dso_simple

from .common import TODAY, FrDunningCase


class TestDashboard(FrDunningCase):
    def test_dso_formulas(self):
        today = date(2026, 11, 23)
        # 2 500 owed; sales: November (23 days so far) 1 000, October 2 000.
        # Count-back: November is used up (23 days, 1 500 left), then October
        # pro rata: 1 500 / 2 000 x 31 = 23.25 days. 23 + 23.25 = 46.25.
        monthly = {date(2026, 11, 1): 1000.0, date(2026, 10, 1): 2000.0, date(2026, 9, 1): 3000.0}
        self.assertAlmostEqual(dso_count_back(2500.0, monthly, today), 46.25)
        # Less than this month's sales: a fraction of the 23 days.
        self.assertAlmostEqual(dso_count_back(500.0, monthly, today), 11.5)
        # Nothing owed: 0 days. No sales at all: every month counted, 24 at most.
        self.assertEqual(dso_count_back(0.0, monthly, today), 0.0)
        self.assertEqual(dso_count_back(100.0, {}, today), (today - date(2024, 12, 1)).days + 1)
        # Simple: 2 500 / 6 000 x 365 = 152.08 days.
        self.assertAlmostEqual(dso_simple(2500.0, 6000.0), 152.0833, places=4)
        self.assertEqual(dso_simple(2500.0, 0.0), 0.0)

    @freeze_time(TODAY)
    def test_figures_on_a_small_ledger(self):
        # Sales: 3 000 in September (paid), 2 000 in October (500 paid), 1 000 in
        # November; another customer 400 in August, unpaid (due 2026-08-31).
        september = self._invoice(self.business, "2026-09-10", "2026-10-10", 3000.0)
        self._pay(september, 3000.0, "2026-10-05")
        october = self._invoice(self.business, "2026-10-15", "2026-11-14", 2000.0)
        self._pay(october, 500.0, "2026-11-01")
        self._invoice(self.business, "2026-11-05", "2026-12-05", 1000.0)
        self._invoice(self.consumer, "2026-08-01", "2026-08-31", 400.0)
        self.env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(october.ids)], "note": "Prix"}
        )
        self.env.flush_all()
        Dashboard = self.env["fr.dunning.dashboard"].with_user(self.dunning_user)
        dashboard = Dashboard.browse(Dashboard._open()["res_id"])
        # Receivables 1 500 + 1 000 + 400 = 2 900; 12-month sales 6 400.
        # Simple: 2 900 / 6 400 x 365 = 165.39 days.
        # Count-back: November 1 000 (23 days, 1 900 left), October 2 000:
        # 1 900 / 2 000 x 31 = 29.45 -> 52.45 days.
        self.assertRecordValues(
            dashboard,
            [
                {
                    "receivables": 2900.0,
                    "sales_year": 6400.0,
                    "total_due": 2900.0,
                    "not_due": 1000.0,
                    "aged_1_30": 1500.0,  # October's invoice, 9 days late
                    "aged_31_60": 0.0,
                    "aged_61_90": 400.0,  # the consumer's, 84 days late
                    "aged_over_90": 0.0,
                    "total_overdue": 1900.0,
                    "disputed": 1500.0,
                    "customer_count": 2,
                }
            ],
        )
        self.assertAlmostEqual(dashboard.dso_simple, 165.4)  # stored to the tenth
        self.assertEqual(dashboard.dso_count_back, 52.5)  # 52.45 to the tenth
        # Top late payers: the business (1 500 overdue) before the consumer (400).
        self.assertEqual(dashboard.top_line_ids.mapped("partner_id"), self.business | self.consumer)
        self.assertEqual(dashboard.top_line_ids.mapped("amount"), [1500.0, 400.0])

    def test_recovery_rate_per_level(self):
        # Three invoices due 01/10 (A, B) and 01/11 (C), one customer each.
        # J+1 on 02/10: A paid 10/10 (recovered), B paid 30/10 (not within 15
        # days); J+15 on 16/10: B paid 30/10 (recovered). C: J+1 on 02/11,
        # unpaid (not recovered); its J+15 of 16/11 is less than 15 days old on
        # 23/11 and does not count yet. C also got the preventive reminder (J-3)
        # on 30/10, and was not paid within 15 days of it.
        other = self.env["res.partner"].create(
            {
                "name": "Garage Leroy SARL",
                "is_company": True,
                "street": "1 rue Neuve",
                "zip": "31000",
                "city": "Toulouse",
            }
        )
        with freeze_time("2026-09-01"):
            a = self._invoice(self.business, "2026-09-01", "2026-10-01", 100.0)
            b = self._invoice(self.consumer, "2026-09-01", "2026-10-01", 200.0)
        with freeze_time("2026-10-01"):
            c = self._invoice(other, "2026-10-01", "2026-11-01", 300.0)
        Escalation = self.env["fr.dunning.escalation"]
        for day, payments in [
            ("2026-10-02", []),
            ("2026-10-10", [(a, 100.0)]),
            ("2026-10-16", []),
            ("2026-10-30", [(b, 200.0)]),
            ("2026-11-02", []),
            ("2026-11-16", []),
        ]:
            with freeze_time(day):
                for invoice, amount in payments:
                    self._pay(invoice, amount, day)
                Escalation._run(self.company, today=date.fromisoformat(day))
                self.env.flush_all()
        self.assertEqual(c.fr_dunning_level_id.offset_days, 15)
        with freeze_time(TODAY):
            rows = self.env["fr.dunning.recovery"].with_user(self.dunning_user).search([])
            self.assertEqual(
                sorted((row.move_id.id, row.level_id.offset_days, row.recovered_count) for row in rows),
                sorted([(a.id, 1, 1), (b.id, 1, 0), (b.id, 15, 1), (c.id, -3, 0), (c.id, 1, 0)]),
            )
            dashboard = self.env["fr.dunning.dashboard"].browse(
                self.env["fr.dunning.dashboard"]._open()["res_id"]
            )
            by_offset = {line.level_id.offset_days: line for line in dashboard.level_line_ids}
            # J+1: 1 of 3 recovered; J+15: B recovered, C's too recent.
            self.assertEqual(by_offset[1].reminder_count, 3)
            self.assertEqual(by_offset[1].recovery_rate, 33.3)
            self.assertEqual(by_offset[15].reminder_count, 1)
            self.assertEqual(by_offset[15].recovery_rate, 100.0)
            self.assertEqual((by_offset[-3].reminder_count, by_offset[-3].recovery_rate), (1, 0.0))
            # C sits at J+15 with 300 overdue.
            self.assertEqual((by_offset[15].invoice_count, by_offset[15].amount), (1, 300.0))
            # Reminders sent per month, by channel (the graph's grouping).
            groups = self.env["fr.dunning.event"]._read_group(
                [("event_type", "in", ("reminder", "letter", "registered_letter", "call"))],
                ["date:month"],
                ["__count"],
            )
            self.assertEqual(len(groups), 2)

    @freeze_time(TODAY)
    def test_readonly_auditor_opens_the_dashboard(self):
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        auditor = new_test_user(
            self.env,
            login="fr_dunning_auditor2",
            groups="account.group_account_readonly",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        Dashboard = self.env["fr.dunning.dashboard"].with_user(auditor)
        dashboard = Dashboard.browse(Dashboard._open()["res_id"])
        self.assertEqual(dashboard.total_overdue, 1000.0)
        for method in ("action_open_aging", "action_open_reminders", "action_open_recovery"):
            action = getattr(dashboard, method)()
            self.env[action["res_model"]].with_user(auditor).search_read([], limit=1)
