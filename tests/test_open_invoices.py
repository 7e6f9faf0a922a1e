# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An open invoice is defined once: the domain and its SQL twin agree."""

from freezegun import freeze_time

from odoo.tools import SQL

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestOpenInvoices(FrDunningCase):
    def test_domain_and_sql_twin_agree(self):
        unpaid = self._invoice(self.business, "2026-09-01", "2026-10-01", 1000.0)
        partial = self._invoice(self.business, "2026-09-01", "2026-10-01", 1000.0)
        self._pay(partial, 400.0, "2026-10-15")
        paid = self._invoice(self.business, "2026-09-01", "2026-10-01", 1000.0)
        self._pay(paid, 1000.0, "2026-10-15")
        draft = self._invoice(self.business, "2026-09-01", "2026-10-01", 1000.0, post=False)
        refund = self._refund(self.business, "2026-10-20", 100.0)
        cancelled = self._invoice(self.business, "2026-09-01", "2026-10-01", 1000.0)
        cancelled.button_draft()
        cancelled.button_cancel()
        moves = unpaid | partial | paid | draft | refund | cancelled
        Move = self.env["account.move"]
        by_domain = Move.search([*Move._fr_dunning_open_domain(), ("id", "in", moves.ids)])
        rows = self.env.execute_query(
            SQL(
                "SELECT move.id FROM account_move move WHERE %s AND move.id = ANY(%s)",
                Move._fr_dunning_open_sql("move"),
                moves.ids,
            )
        )
        self.assertEqual(set(by_domain.ids), {row[0] for row in rows})
        self.assertEqual(by_domain, unpaid | partial)
        # The customers in arrears and the write-off read the same definition.
        customer = self.env["fr.dunning.customer"].search(
            [("partner_id", "=", self.business.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(customer.invoice_count, 2)
        self.assertAlmostEqual(customer.total_due, 1000.0 + 600.0)
