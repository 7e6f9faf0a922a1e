# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Penalty invoices: their date, the interest given back when a payment is
dated inside a period already billed, and billing in batches; with worked
numbers.

Rates used (fr_dunning_legal_rate_data.xml): ECB 3.15 % in 2025 S1 (13.15 %
between businesses), 2.15 % in 2025 S2 and 2026 S1 (12.15 %). Simple interest
over 365 days (Code de commerce L441-10 II); a payment made on day P lowers
the sum due from P + 1.
"""

from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import TODAY, FrDunningCase


def _lines(move):
    return [(line.name, line.price_unit) for line in move.invoice_line_ids.sorted("sequence")]


@freeze_time(TODAY)
class TestPenaltyInvoices(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.interest_account = cls.company._fr_dunning_penalty_accounts()[0]

    def _penalties(self, invoice, kind):
        return invoice.fr_dunning_penalty_ids.filtered(lambda p: p.kind == kind).sorted("id")

    # ------------------------------------------------------------------
    # 5. The date of a penalty invoice
    # ------------------------------------------------------------------

    def test_dated_the_issue_day_with_the_period_on_its_lines(self):
        # 10 000.00 due 31/03/2026, computed to 30/04/2026 but issued on 23/11/2026:
        # 1/04 to 30/04, 30 days at 12.15 %: 10 000 x 0.1215 x 30 / 365 = 99.863... -> 99.86.
        invoice = self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
        penalty = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 4, 30))
        self.assertRecordValues(
            penalty,
            [
                {
                    "move_type": "out_invoice",
                    "invoice_date": date(2026, 11, 23),
                    "date": date(2026, 11, 23),
                    "amount_total": 139.86,
                    "fr_dunning_is_penalty_invoice": True,
                }
            ],
        )
        self.assertEqual(
            _lines(penalty)[0],
            (
                (
                    f"Late-payment penalties — invoice {invoice.name} — from 04/01/2026 to 04/30/2026 — "
                    "30 days at 12.15 %"
                ),
                99.86,
            ),
        )
        # Through the wizard, as an accountant does it: the same.
        invoice_2 = self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
        wizard = (
            self.env["fr.dunning.penalty.wizard"]
            .with_user(self.dunning_user)
            .create({"move_ids": [(6, 0, invoice_2.ids)], "at_date": date(2026, 4, 30)})
        )
        penalty_2 = self.env["account.move"].browse(wizard.action_create()["res_id"])
        self.assertEqual(penalty_2.invoice_date, date(2026, 11, 23))
        self.assertIn("from 04/01/2026 to 04/30/2026", _lines(penalty_2)[0][0])
        # Interest is owed for days already late only.
        invoice_3 = self._invoice(self.business, "2026-09-01", "2026-09-30", 1000.0)
        with self.assertRaisesRegex(UserError, "today at the latest"):
            invoice_3._fr_dunning_create_penalty_invoices(at_date=date(2026, 11, 24))

    # ------------------------------------------------------------------
    # 6. Interest charged on sums since paid, given back
    # ------------------------------------------------------------------

    def test_payment_dated_inside_a_billed_period_is_given_back_once(self):
        # 10 000.00 due 31/03/2026, billed to 31/05/2026 (X): 1/04 to 31/05, 61 days
        # at 12.15 %: 10 000 x 0.1215 x 61 / 365 = 203.054... -> 203.05, and the 40.00.
        invoice = self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
        first = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 5, 31))
        self.assertEqual(first.amount_total, 243.05)
        first.action_post()
        charged = self._penalties(invoice, "interest")
        # A payment of 4 000.00 dated 21/05 (10 days before X), registered afterwards:
        # the sum due was 6 000.00 from 22/05, the 4 000.00 were charged for 22/05 to
        # 31/05, 10 days: 4 000 x 0.1215 x 10 / 365 = 13.315... -> 13.32.
        self._pay(invoice, 4000.0, "2026-05-21")
        self.assertEqual(invoice.fr_dunning_interest_overcharged, 13.32)
        # The next billing, to 30/06: June on 6 000.00, 30 days at 12.15 %:
        # 6 000 x 0.1215 x 30 / 365 = 59.917... -> 59.92; less the 13.32 given back.
        second = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 6, 30))
        self.assertEqual(
            _lines(second),
            [
                (
                    (
                        f"Late-payment penalties — invoice {invoice.name} — from 06/01/2026 to 06/30/2026 — "
                        "30 days at 12.15 %"
                    ),
                    59.92,
                ),
                (
                    (
                        f"Interest given back — invoice {invoice.name} — from 05/22/2026 to 05/31/2026 — "
                        f"10 days at 12.15 % on 4,000.00\xa0€ paid within a period billed on {first.name}"
                    ),
                    -13.32,
                ),
            ],
        )
        self.assertRecordValues(second, [{"move_type": "out_invoice", "amount_total": 46.60}])
        self.assertRecordValues(
            self._penalties(invoice, "interest_refund"),
            [
                {
                    "date_from": date(2026, 5, 22),
                    "date_to": date(2026, 5, 31),
                    "days": 10,
                    "base": 4000.0,
                    "annual_rate": 12.15,
                    "amount": -13.32,
                    "refunded_penalty_id": charged.id,
                    "penalty_move_id": second.id,
                }
            ],
        )
        # The invoice's Late payment tab lists it with what was charged: 203.05 + 40.00
        # + 59.92 - 13.32 = 289.65.
        self.assertAlmostEqual(sum(invoice.fr_dunning_penalty_ids.mapped("amount")), 289.65, places=2)
        self.assertEqual(invoice.fr_dunning_interest_overcharged, 0.0)
        # Never given back twice: nothing left to bill or give back to 30/06.
        with self.assertRaises(UserError):
            invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 6, 30))
        # Another payment, 1 000.00 dated 26/05, registered later still: only its own
        # days are given back, 27/05 to 31/05: 1 000 x 0.1215 x 5 / 365 = 1.664... -> 1.66,
        # and 1/06 to 30/06 billed on 6 000.00 when 5 000.00 were due:
        # 1 000 x 0.1215 x 30 / 365 = 9.986... -> 9.99.
        self._pay(invoice, 1000.0, "2026-05-26")
        self.assertEqual(invoice.fr_dunning_interest_overcharged, 11.65)
        refund = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 6, 30))
        self.assertRecordValues(refund, [{"move_type": "out_refund", "amount_total": 11.65}])
        self.assertEqual([price for _name, price in _lines(refund)], [1.66, 9.99])
        self.assertEqual(self._penalties(invoice, "interest_refund").mapped("amount"), [-13.32, -1.66, -9.99])

    def test_given_back_more_than_charged_is_a_credit_note(self):
        # Billed to 31/05 as above (203.05 and 40.00), then paid in full by a payment
        # dated 1/05, registered afterwards: nothing was due from 2/05, 30 days at
        # 12.15 % on 10 000.00 were charged for nothing: 99.86.
        invoice = self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
        first = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 5, 31))
        self._pay(invoice, 10000.0, "2026-05-01")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(invoice.fr_dunning_days_late, 0)
        self.assertEqual(invoice.fr_dunning_interest_overcharged, 99.86)
        # Nothing new to charge: an invoice cannot be negative, a credit note gives it back.
        wizard = (
            self.env["fr.dunning.penalty.wizard"]
            .with_user(self.dunning_user)
            .create({"move_ids": [(6, 0, invoice.ids)], "at_date": date(2026, 11, 23)})
        )
        self.assertIn("-99.86", wizard.preview)
        refund = self.env["account.move"].browse(wizard.action_create()["res_id"])
        self.assertRecordValues(
            refund,
            [
                {
                    "move_type": "out_refund",
                    "invoice_date": date(2026, 11, 23),
                    "partner_id": self.business.id,
                    "fr_dunning_is_penalty_invoice": True,
                    "amount_tax": 0.0,
                    "amount_total": 99.86,
                }
            ],
        )
        self.assertRecordValues(
            refund.invoice_line_ids,
            [{"price_unit": 99.86, "account_id": self.interest_account.id, "tax_ids": []}],
        )
        self.assertIn("from 05/02/2026 to 05/31/2026 — 30 days at 12.15 %", refund.invoice_line_ids.name)
        self.assertRecordValues(
            self._penalties(invoice, "interest_refund"),
            [{"date_from": date(2026, 5, 2), "days": 30, "base": 10000.0, "amount": -99.86}],
        )
        event = self.env["fr.dunning.event"].search(
            [("move_ids", "in", invoice.ids), ("event_type", "=", "penalty")], limit=1
        )
        self.assertEqual(event.name, f"Credit note of interest given back for {invoice.name}")
        self.assertEqual(event.amount_residual, -99.86)
        # Deleting the draft invoice that charged the period would leave the credit
        # note giving back what nobody was charged: refused.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            first.unlink()

    def test_customer_paid_invoice_given_back_on_its_next_billing(self):
        # Invoice A billed to 31/05, then paid in full on 1/05 (registered late): 99.86
        # to give back. Invoice B of the same customer is billed to 30/06 on its own:
        # 5 000.00 due 31/05, 30 days at 12.15 %: 5 000 x 0.1215 x 30 / 365 = 49.93,
        # and 40.00; A's 99.86 is given back on that billing: a credit note, since
        # 89.93 charged < 99.86 given back, and an invoice of the charges.
        invoice_a = self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
        invoice_a._fr_dunning_create_penalty_invoices(at_date=date(2026, 5, 31))
        self._pay(invoice_a, 10000.0, "2026-05-01")
        invoice_b = self._invoice(self.business, "2026-05-01", "2026-05-31", 5000.0)
        moves = invoice_b._fr_dunning_create_penalty_invoices(at_date=date(2026, 6, 30))
        self.assertRecordValues(
            moves.sorted("move_type"),
            [
                {"move_type": "out_invoice", "amount_total": 89.93, "invoice_origin": invoice_b.name},
                {"move_type": "out_refund", "amount_total": 99.86, "invoice_origin": invoice_a.name},
            ],
        )
        self.assertEqual(invoice_a.fr_dunning_interest_overcharged, 0.0)

    def test_interest_after_collective_proceedings_given_back(self):
        # Billed to 31/05 (203.05 for 61 days); the opening judgment of 16/05, entered
        # afterwards, stopped interest that day (Code de commerce L622-28): 16/05 to
        # 31/05, 16 days: 10 000 x 0.1215 x 16 / 365 = 53.260... -> 53.26 given back.
        invoice = self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
        invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 5, 31))
        self.business.fr_dunning_proceedings_date = date(2026, 5, 16)
        self.assertEqual(invoice.fr_dunning_interest_overcharged, 53.26)
        refund = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 6, 30))
        self.assertRecordValues(refund, [{"move_type": "out_refund", "amount_total": 53.26}])

    # ------------------------------------------------------------------
    # 8. Billing in batches
    # ------------------------------------------------------------------

    def test_batch_gives_the_amounts_of_one_by_one(self):
        usd = self.setup_other_currency("USD", rates=[("2025-01-01", 1.10)])
        bakery = self.env["res.partner"].create(
            {"name": "Boulangerie Martin SAS", "is_company": True, "lang": "en_US"}
        )
        # To 30/06/2025, at 13.15 % (2025 S1):
        # - 1 200.00 incl. VAT due 5/06: 25 days: 1 200 x 0.1315 x 25 / 365 = 10.81;
        # - 2 916.00 incl. VAT due 5/06: 25 days: 2 916 x 0.1315 x 25 / 365 = 26.26;
        # - 6 000.00 due 31/03: 91 days: 6 000 x 0.1315 x 91 / 365 = 196.71;
        # - 1 200.00 USD due 5/06: 10.81 USD, and 40 EUR at 1.10 = 44.00 USD.
        invoices = (
            self._invoice(self.business, "2025-05-06", "2025-06-05", 1000.0, taxes=self.tax_20)
            | self._invoice(bakery, "2025-03-01", "2025-03-31", 6000.0)
            | self._invoice(self.business, "2025-05-06", "2025-06-05", 1200.0, currency=usd)
            | self._invoice(self.business, "2025-05-06", "2025-06-05", 2430.0, taxes=self.tax_20)
        )

        def billed(moves):
            return sorted(
                (move.partner_id.name, move.currency_id.name, move.amount_total, tuple(_lines(move)))
                for move in moves
            )

        one_by_one = self.env["account.move"]
        for invoice in invoices:
            one_by_one |= invoice._fr_dunning_create_penalty_invoices(at_date=date(2025, 6, 30))
        # Cancelled, they charge nothing any more: the batch bills the same periods.
        one_by_one.button_cancel()
        batch = invoices._fr_dunning_create_penalty_invoices(at_date=date(2025, 6, 30))
        # One invoice per customer and currency.
        self.assertEqual(
            sorted((move.partner_id.name, move.currency_id.name, move.amount_total) for move in batch),
            [
                ("Boulangerie Martin SAS", "EUR", 236.71),
                ("Menuiserie Dupont SARL", "EUR", 117.07),  # 10.81 + 40 + 26.26 + 40
                ("Menuiserie Dupont SARL", "USD", 54.81),
            ],
        )
        merged = {}
        for partner, currency, _total, lines in billed(one_by_one):
            merged.setdefault((partner, currency), []).extend(lines)
        self.assertEqual(
            {(partner, currency): sorted(lines) for (partner, currency), lines in merged.items()},
            {(partner, currency): sorted(lines) for partner, currency, _total, lines in billed(batch)},
        )
        self.assertEqual(set(batch.mapped("invoice_date")), {date(2026, 11, 23)})
        # Each line's charge is recorded against its own late invoice.
        for invoice in invoices:
            charges = invoice.fr_dunning_penalty_ids.filtered(lambda p: p.penalty_move_id in batch)
            self.assertEqual(charges.penalty_line_id.move_id.partner_id, invoice.partner_id)
            self.assertEqual(sorted(charges.mapped("kind")), ["indemnity", "interest"])

    def test_analytic_distribution_models_still_apply(self):
        # With a distribution model on the penalty income accounts (763...), Odoo's
        # own computation gives the lines their distribution, as on any invoice.
        plan = self.env["account.analytic.plan"].create({"name": "Recouvrement"})
        analytic = self.env["account.analytic.account"].create({"name": "Pénalités", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].create(
            {"account_prefix": "763", "analytic_distribution": {str(analytic.id): 100}}
        )
        invoice = self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
        penalty = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 4, 30))
        self.assertRecordValues(
            penalty.invoice_line_ids.sorted("sequence"),
            [
                {"price_unit": 99.86, "analytic_distribution": {str(analytic.id): 100}},
                {"price_unit": 40.0, "analytic_distribution": False},
            ],
        )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_billing_user_refused(self):
        billing_user = new_test_user(
            self.env,
            login="fr_dunning_billing_clerk",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        invoice = self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
        invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 5, 31))
        self._pay(invoice, 4000.0, "2026-05-21")
        as_billing = invoice.with_user(billing_user)
        with self.assertRaises(AccessError):
            as_billing.action_fr_dunning_penalty_wizard()
        with self.assertRaises(AccessError):
            as_billing.compute_fr_late_penalties(at_date=date(2026, 6, 30))
        with self.assertRaises(AccessError):
            as_billing.read(["fr_dunning_interest_overcharged"])
        with self.assertRaises(AccessError):
            self.env["fr.dunning.penalty.wizard"].with_user(billing_user).create(
                {"move_ids": [(6, 0, invoice.ids)], "at_date": date(2026, 6, 30)}
            )
        # A wizard opened by a dunning user cannot be run by the billing user either.
        wizard = (
            self.env["fr.dunning.penalty.wizard"]
            .with_user(self.dunning_user)
            .create({"move_ids": [(6, 0, invoice.ids)], "at_date": date(2026, 6, 30)})
        )
        with self.assertRaises(AccessError):
            wizard.with_user(billing_user).action_create()
        self.assertEqual(invoice.with_user(self.dunning_user).fr_dunning_interest_overcharged, 13.32)
