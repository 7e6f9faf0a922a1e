# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Penalty invoices are Odoo's own invoices: each one billed in batch is
compared, line by line, with the invoice Odoo makes from the same income
lines through its ordinary path (its receivable lines computed by its own
synchronisation from the customer's payment term), before and after posting.

Customers: one without payment term, one paying 30 % at once and the balance
at the end of the following month (two receivable lines, a fiscal position,
a receivable account of its own), one billed in USD with an early payment
discount; and a credit note of interest given back to a customer of the same
two-part terms. Amounts, worked as in
test_penalty_invoices (12.15 % in 2026 S1, simple interest over 365 days):
- 10 000.00 due 31/03/2026, to 30/04: 30 days, 10 000 x 0.1215 x 30 / 365
  = 99.86, and 40.00 (D441-5): 139.86;
- 7 000.00 due 31/03/2026, to 30/04: 7 000 x 0.1215 x 30 / 365 = 69.90, and
  40.00: 109.90, split 30 % (32.97) and the balance (76.93);
- 5 000.00 USD due 31/03/2026, to 30/04: 5 000 x 0.1215 x 30 / 365 = 49.93
  USD, and 40 EUR at 1.10 = 44.00 USD: 93.93 USD.
"""

from datetime import date

from freezegun import freeze_time

from odoo import Command

from .common import TODAY, FrDunningCase

MOVE_FIELDS = [
    "move_type",
    "state",
    "company_id",
    "journal_id",
    "partner_id",
    "commercial_partner_id",
    "currency_id",
    "date",
    "invoice_date",
    "invoice_date_due",
    "invoice_payment_term_id",
    "fiscal_position_id",
    "invoice_cash_rounding_id",
    "partner_bank_id",
    "invoice_currency_rate",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_total_in_currency_signed",
    "amount_residual_signed",
    "payment_state",
    "invoice_origin",
    "narration",
]
LINE_FIELDS = [
    "display_type",
    "sequence",
    "company_id",
    "journal_id",
    "date",
    "account_id",
    "partner_id",
    "product_id",
    "quantity",
    "price_unit",
    "discount",
    "price_subtotal",
    "price_total",
    "currency_id",
    "currency_rate",
    "amount_currency",
    "balance",
    "debit",
    "credit",
    "amount_residual",
    "amount_residual_currency",
    "reconciled",
    "date_maturity",
    "discount_date",
    "discount_amount_currency",
    "discount_balance",
    "tax_ids",
    "tax_line_id",
    "tax_repartition_line_id",
    "tax_tag_ids",
    "tax_tag_invert",
    "tax_base_amount",
    "analytic_distribution",
]


@freeze_time(TODAY)
class TestPenaltyInvoiceLines(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.usd = cls.setup_other_currency("USD", rates=[("2025-01-01", 1.10)])
            cls.in_two_parts = cls.env["res.partner"].create(
                {
                    "name": "Charpente Leroy SA",
                    "is_company": True,
                    "lang": "en_US",
                    "property_payment_term_id": cls.pay_terms_b.id,
                    "property_account_position_id": cls.fiscal_pos_a.id,
                    "property_account_receivable_id": cls.company_data["default_account_receivable"]
                    .copy()
                    .id,
                }
            )
            cls.roofer = cls.env["res.partner"].create(
                {
                    "name": "Couverture Roux SARL",
                    "is_company": True,
                    "lang": "en_US",
                    "property_payment_term_id": cls.pay_terms_b.id,
                }
            )
            early_discount = cls.env["account.payment.term"].create(
                {
                    "name": "2 % at 10 days, 30 days net",
                    "early_discount": True,
                    "discount_percentage": 2.0,
                    "discount_days": 10,
                    "early_pay_discount_computation": "mixed",
                    "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": 30})],
                }
            )
            cls.with_discount = cls.env["res.partner"].create(
                {
                    "name": "Imprimerie Morel SAS",
                    "is_company": True,
                    "lang": "en_US",
                    "property_payment_term_id": early_discount.id,
                }
            )

    def _made_by_odoo(self, penalty):
        """The invoice Odoo makes of ``penalty``'s income lines, through its
        ordinary path: its receivable lines from its own synchronisation."""
        return self.env["account.move"].create(
            {
                "move_type": penalty.move_type,
                "company_id": penalty.company_id.id,
                "journal_id": penalty.journal_id.id,
                "partner_id": penalty.partner_id.id,
                "currency_id": penalty.currency_id.id,
                "invoice_date": penalty.invoice_date,
                "invoice_origin": penalty.invoice_origin,
                "narration": penalty.narration,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "sequence": line.sequence,
                            "name": line.name,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                            "account_id": line.account_id.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for line in penalty.invoice_line_ids.sorted("sequence")
                ],
            }
        )

    def _values(self, move, with_names=True):
        def plain(values):
            # Records by id: their display names depend on the current company.
            return {
                key: value[0] if isinstance(value, tuple) else value
                for key, value in values.items()
                if key != "id"
            }

        line_fields = LINE_FIELDS + (["name"] if with_names else [])
        lines = [plain(line) for line in move.line_ids.read(line_fields)]
        return (
            plain(move.read(MOVE_FIELDS)[0]),
            sorted(lines, key=lambda line: (line["display_type"], str(line["date_maturity"]), repr(line))),
        )

    def test_batch_invoices_are_the_ones_odoo_makes(self):
        late = (
            self._invoice(self.business, "2026-03-01", "2026-03-31", 10000.0)
            | self._invoice(self.in_two_parts, "2026-03-01", "2026-03-31", 7000.0)
            | self._invoice(self.with_discount, "2026-03-01", "2026-03-31", 5000.0, currency=self.usd)
        )
        # A credit note: billed to 31/05 (61 days, 203.05, and 40.00), then paid in
        # full by a payment dated 1/05: 2/05 to 31/05, 30 days at 12.15 % on
        # 10 000.00 charged for nothing, 99.86 given back.
        given_back = self._invoice(self.roofer, "2026-03-01", "2026-03-31", 10000.0)
        given_back._fr_dunning_create_penalty_invoices(at_date=date(2026, 5, 31))
        self._pay(given_back, 10000.0, "2026-05-01")
        penalties = (late | given_back)._fr_dunning_create_penalty_invoices(at_date=date(2026, 4, 30))
        self.assertEqual(
            sorted(
                (move.move_type, move.partner_id.name, move.currency_id.name, move.amount_total)
                for move in penalties
            ),
            [
                ("out_invoice", "Charpente Leroy SA", "EUR", 109.90),
                ("out_invoice", "Imprimerie Morel SAS", "USD", 93.93),
                ("out_invoice", "Menuiserie Dupont SARL", "EUR", 139.86),
                ("out_refund", "Couverture Roux SARL", "EUR", 99.86),
            ],
        )
        # The scenarios are the ones meant: two receivable lines where the payment
        # term splits the amount (30 % of 109.90 = 32.97 and 76.93; of 99.86 = 29.96
        # and 69.90), an early discount (2 % of 93.93 = 1.88: 92.05 USD if paid by 3/12).
        terms = {
            (move.move_type, move.partner_id): move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            for move in penalties
        }
        self.assertEqual(
            sorted(terms["out_invoice", self.in_two_parts].mapped("amount_currency")), [32.97, 76.93]
        )
        self.assertEqual(sorted(terms["out_refund", self.roofer].mapped("amount_currency")), [-69.90, -29.96])
        self.assertRecordValues(
            terms["out_invoice", self.with_discount],
            [{"discount_date": date(2026, 12, 3), "discount_amount_currency": 92.05}],
        )
        made_by_odoo = {move: self._made_by_odoo(move) for move in penalties}
        for move, reference in made_by_odoo.items():
            self.assertEqual(self._values(move), self._values(reference), move.partner_id.name)
        # Posted, they stay the same (their numbers and payment references aside).
        penalties.action_post()
        self.env["account.move"].union(*made_by_odoo.values()).action_post()
        for move, reference in made_by_odoo.items():
            self.assertEqual(move.state, "posted")
            self.assertEqual(
                self._values(move, with_names=False),
                self._values(reference, with_names=False),
                move.partner_id.name,
            )

    def test_draft_edited_afterwards_is_synchronised_by_odoo(self):
        # Created without Odoo's synchronisation, the draft is an ordinary invoice
        # afterwards: its receivable lines follow an edit as on any invoice. 7 000.00
        # due 31/03, to 30/04: 69.90 and 40.00; the 40.00 brought to 100.00: 169.90,
        # 30 % (50.97) at once, the balance (118.93) at the end of next month.
        late = self._invoice(self.in_two_parts, "2026-03-01", "2026-03-31", 7000.0)
        penalty = late._fr_dunning_create_penalty_invoices(at_date=date(2026, 4, 30))
        self.assertNotIn("skip_invoice_sync", penalty.env.context)
        indemnity = penalty.invoice_line_ids.filtered(lambda line: line.price_unit == 40.0)
        penalty.write({"invoice_line_ids": [Command.update(indemnity.id, {"price_unit": 100.0})]})
        terms = penalty.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(sorted(terms.mapped("amount_currency")), [50.97, 118.93])
        self.assertEqual(penalty.amount_total, 169.90)
        self.assertEqual(self._values(penalty), self._values(self._made_by_odoo(penalty)))

    def test_terms_of_the_invoice_company_whatever_the_current_one(self):
        # The customer pays at once in another company: billed from there, the
        # invoice of this company still follows this company's terms (30 % and the
        # balance: 32.97 and 76.93 of 109.90, as above).
        other = self.setup_other_company(name="Atelier Sud")["company"]
        self.env.user.company_ids |= other
        self.in_two_parts.with_company(other).property_payment_term_id = self.pay_terms_a
        late = self._invoice(self.in_two_parts, "2026-03-01", "2026-03-31", 7000.0)
        penalty = late.with_context(
            allowed_company_ids=[other.id, self.company.id]
        )._fr_dunning_create_penalty_invoices(at_date=date(2026, 4, 30))
        self.assertRecordValues(
            penalty, [{"company_id": self.company.id, "invoice_payment_term_id": self.pay_terms_b.id}]
        )
        terms = penalty.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(sorted(terms.mapped("amount_currency")), [32.97, 76.93])
        self.assertEqual(self._values(penalty), self._values(self._made_by_odoo(penalty)))
