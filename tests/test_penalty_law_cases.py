# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Penalties of the debtors and invoices the simple case leaves out, with
figures worked by hand from the texts: instalments (L441-10 II: each
instalment's date is a payment date written on the invoice), public buyers
(Code de la commande publique R2192-10, R2192-31, D2192-35), the 40 EUR in a
foreign currency (D441-5), and the contractual floor semester by semester
(L441-10 II). Legal rates from the shipped table (ECB + 10 / legal rate
"other cases"): 2025 S1 13.15 / 3.71, 2025 S2 12.15 / 2.76, 2026 S1 12.15 / 2.62.
"""

from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestInstalments(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.half_30_half_60 = cls._term([(50, 30), (50, 60)])

    @classmethod
    def _term(cls, parts):
        return cls.env["account.payment.term"].create(
            {
                "name": " / ".join(f"{value} % {days} j" for value, days in parts),
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": value, "nb_days": days})
                    for value, days in parts
                ],
            }
        )

    def _invoice_with_term(self, invoice_date, term, amount):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.business.id,
                "invoice_date": fields.Date.to_date(invoice_date),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Prestation",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": self.company_data["default_account_revenue"].id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_first_instalment_late_last_on_time(self):
        """2 000 EUR of 15/01/2026, half at 30 days (14/02), half at 60 days
        (16/03). The first half is paid on 06/03, 20 days late (15/02 to 06/03);
        the second on its day. 1 000 x 12.15 % x 20 / 365 = 6.66, and the
        40 EUR, once."""
        invoice = self._invoice_with_term("2026-01-15", self.half_30_half_60, 2000.0)
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 16))
        self.assertEqual(invoice.fr_dunning_due_date, date(2026, 2, 14))
        self._pay(invoice, 1000.0, "2026-03-06")
        self.assertEqual(invoice.fr_dunning_due_date, date(2026, 3, 16), "the next unpaid instalment")
        self._pay(invoice, 1000.0, "2026-03-16")
        result = invoice.compute_fr_late_penalties(at_date=date(2026, 4, 30))[invoice.id]
        self.assertEqual(
            [(line["date_from"], line["date_to"], line["days"], line["base"]) for line in result["lines"]],
            [(date(2026, 2, 15), date(2026, 3, 6), 20, 1000.0)],
        )
        self.assertEqual((result["interest"], result["indemnity"], result["days_late"]), (6.66, 40.0, 20))

    def test_instalments_due_31_december_and_1_january(self):
        """2 000 EUR of 01/12/2025 in halves at 30 days (31/12/2025) and 31 days
        (01/01/2026), unpaid on 31/01/2026. The first bears interest from
        01/01 (31 days), the second from 02/01 (30 days), both in 2026 S1 at
        12.15 %: 1 000 x 12.15 % x 31 / 365 = 10.32 and x 30 / 365 = 9.99. One
        40 EUR for the invoice."""
        term = self._term([(50, 30), (50, 31)])
        invoice = self._invoice_with_term("2025-12-01", term, 2000.0)
        result = invoice.compute_fr_late_penalties(at_date=date(2026, 1, 31))[invoice.id]
        self.assertEqual(
            [
                (line["date_from"], line["days"], line["annual_rate"], line["amount"])
                for line in result["lines"]
            ],
            [(date(2026, 1, 1), 31, 12.15, 10.32), (date(2026, 1, 2), 30, 12.15, 9.99)],
        )
        self.assertEqual((result["interest"], result["indemnity"]), (20.31, 40.0))
        self.assertEqual(result["overdue_since"], date(2025, 12, 31))

    def test_paid_on_the_due_date_owes_nothing(self):
        invoice = self._invoice(self.business, "2026-02-13", "2026-03-15", 1000.0)
        self._pay(invoice, 1000.0, "2026-03-15")
        result = invoice.compute_fr_late_penalties(at_date=date(2026, 4, 30))[invoice.id]
        self.assertEqual((result["lines"], result["indemnity"], result["days_late"]), ([], 0.0, 0))

    @freeze_time("2026-02-24")
    def test_chased_from_the_first_instalment(self):
        """On 24/02/2026 the first half (due 14/02) is 10 days late while the
        invoice's due date (16/03) is ahead: the invoice is late, chased, and
        its letter claims the first half only."""
        self.business.email = "compta@dupont.example"
        invoice = self._invoice_with_term("2026-01-15", self.half_30_half_60, 2000.0)
        invoice.invalidate_recordset(["fr_dunning_days_late"])
        self.assertEqual(invoice.fr_dunning_days_late, 10)
        summary = self.env["fr.dunning.escalation"]._run(
            self.company, today=date(2026, 2, 24), partners=self.business
        )
        self.assertEqual(summary["communications"], 1)
        event = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        self.assertEqual(event.move_ids, invoice)
        values = event._fr_dunning_letter_values()[event.id]
        self.assertEqual((values["residual"], values["not_due"]), (1000.0, 1000.0))
        self.assertEqual(values["lines"][0]["days"], 10)
        self.assertIn("03/16/2026", values["not_due_text"])


@freeze_time(TODAY)
class TestPublicBuyer(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.town = cls.env["res.partner"].create(
            {
                "name": "Commune de Saint-Amand",
                "is_company": True,
                "fr_dunning_public_buyer": "state",
                "street": "Place de la Mairie",
                "zip": "59230",
                "city": "Saint-Amand-les-Eaux",
            }
        )

    def test_one_rate_for_the_whole_delay(self):
        """10 000 EUR due 20/06/2025, unpaid on 30/09/2025: moratory interest
        from 21/06, in 2025 S1, at its ECB rate 3.15 + 8 = 11.15 % for the whole
        delay, 102 days (10 + 31 + 31 + 30), not split at 1 July:
        10 000 x 11.15 % x 102 / 365 = 311.59; and the 40 EUR (D2192-35)."""
        invoice = self._invoice(self.town, "2025-05-21", "2025-06-20", 10000.0)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 9, 30))[invoice.id]
        self.assertEqual(
            [
                (line["date_from"], line["date_to"], line["days"], line["annual_rate"])
                for line in result["lines"]
            ],
            [(date(2025, 6, 21), date(2025, 9, 30), 102, 11.15)],
        )
        self.assertEqual((result["interest"], result["indemnity"]), (311.59, 40.0))
        # A business would owe 13.15 % then 12.15 %: 36.03 + 306.25 = 342.28.
        business = self._invoice(self.business, "2025-05-21", "2025-06-20", 10000.0)
        self.assertEqual(
            business.compute_fr_late_penalties(at_date=date(2025, 9, 30))[business.id]["interest"], 342.28
        )

    def test_payment_deadline(self):
        """The State pays within 30 days (R2192-10): 45 days is beyond it."""
        invoice = self._invoice(self.town, "2026-10-01", "2026-11-15", 1000.0)
        self.assertTrue(invoice.fr_dunning_term_exceeded)
        on_time = self._invoice(self.town, "2026-10-01", "2026-10-31", 1000.0)
        self.assertFalse(on_time.fr_dunning_term_exceeded)
        self.assertIn("R2192-31", on_time._fr_dunning_invoice_mention())


@freeze_time(TODAY)
class TestIndemnityCurrencyAndFloor(FrDunningCase):
    def test_indemnity_converted_at_the_day_it_became_owed(self):
        """1 200 USD due 05/06/2025: the 40 EUR became owed on 06/06/2025, at
        1.20 USD per EUR: 48.00 USD, whatever day it is computed on."""
        usd = self.setup_other_currency(
            "USD", rates=[("2025-01-01", 1.10), ("2025-06-06", 1.20), ("2025-07-01", 1.30)]
        )
        invoice = self._invoice(self.business, "2025-05-06", "2025-06-05", 1200.0, currency=usd)
        for day in (date(2025, 6, 30), date(2025, 7, 15), date(2025, 12, 31)):
            with self.subTest(day=day):
                self.assertEqual(
                    invoice.compute_fr_late_penalties(at_date=day)[invoice.id]["indemnity"], 48.0
                )

    def test_contractual_rate_floored_in_the_semesters_below_it(self):
        """8 % agreed. 2025 S2: 3 x 2.76 = 8.28 % > 8 %, so 8.28 % applies;
        2026 S1: 3 x 2.62 = 7.86 % < 8 %, so 8 %. 1 000 EUR due 15/12/2025, on
        31/01/2026: 16 days x 8.28 % = 3.63, 31 days x 8 % = 6.79."""
        self.business.fr_dunning_contractual_rate = 8.0
        invoice = self._invoice(self.business, "2025-11-15", "2025-12-15", 1000.0)
        result = invoice.compute_fr_late_penalties(at_date=date(2026, 1, 31))[invoice.id]
        self.assertEqual(
            [(line["days"], line["annual_rate"], line["amount"]) for line in result["lines"]],
            [(16, 8.28, 3.63), (31, 8.0, 6.79)],
        )
        self.assertEqual(result["floored"], [date(2025, 7, 1)])
        with freeze_time("2026-01-31"):
            invoice.invalidate_recordset(["fr_dunning_penalty_warning"])
            self.assertIn("2025 S2", invoice.fr_dunning_penalty_warning)


@freeze_time(TODAY)
class TestClaimDeclaration(FrDunningCase):
    """A customer in collective proceedings since 20/05/2025 (judgment).

    - A: 1 000 EUR due 31/03/2025. Interest 01/04 to 19/05 (49 days) at 2025
      S1's 13.15 %: 1 000 x 13.15 % x 49 / 365 = 17.65; 40 EUR.
    - B: 2 000 EUR of 15/04/2025, half at 30 days (15/05), half at 60 days
      (14/06): 1 000 due, interest 16/05 to 19/05 (4 days): 1.44; 40 EUR;
      1 000 not yet due, on 14/06/2025.
    - C: dated after the judgment: not in the declaration.

    Due on the judgment's day: 2 000 + 19.09 + 80 = 2 099.09 EUR; to fall due
    1 000 EUR."""

    def test_declaration(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "50 % 30 j / 50 % 60 j",
                "company_id": self.company.id,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )
        invoice_a = self._invoice(self.business, "2025-03-01", "2025-03-31", 1000.0)
        invoice_b = self._invoice(self.business, "2025-04-15", "2025-06-14", 2000.0, post=False)
        invoice_b.invoice_payment_term_id = term
        invoice_b.action_post()
        invoice_c = self._invoice(self.business, "2025-05-25", "2025-06-24", 500.0)
        mandatary = self.env["res.partner"].create({"name": "Maître Anne Leroy, mandataire judiciaire"})
        self.business.write(
            {
                "fr_dunning_proceedings_date": date(2025, 5, 20),
                "fr_dunning_proceedings_type": "receivership",
                "fr_dunning_proceedings_court": "Tribunal de commerce de Lyon",
                "fr_dunning_proceedings_mandatary_id": mandatary.id,
                "fr_dunning_bodacc_date": date(2025, 6, 3),
            }
        )
        action = self.business.with_user(self.dunning_user).action_fr_dunning_claim_declaration()
        self.assertEqual(action["report_name"], "fr_dunning_addon.report_claim_declaration")
        Report = self.env["report.fr_dunning_addon.report_claim_declaration"].with_user(self.dunning_user)
        claim = Report._get_report_values(self.business.ids)["claims"][self.business.id]
        self.assertEqual(
            [
                (line["move"], line["principal"], line["interest"], line["indemnity"], line["later"])
                for line in claim["lines"]
            ],
            [(invoice_a, 1000.0, 17.65, 40.0, 0.0), (invoice_b, 1000.0, 1.44, 40.0, 1000.0)],
        )
        self.assertNotIn(invoice_c, [line["move"] for line in claim["lines"]])
        self.assertEqual(
            claim["totals"],
            {"principal": 2000.0, "interest": 19.09, "indemnity": 80.0, "due": 2099.09, "later": 1000.0},
        )
        self.assertEqual(
            [(item[0], item[3]) for item in claim["to_fall_due"]], [(date(2026 - 1, 6, 14), 1000.0)]
        )
        self.assertEqual(claim["deadline"], date(2025, 8, 3))
        html = (
            self.env["ir.actions.report"]
            .with_user(self.dunning_user)
            ._render_qweb_html("fr_dunning_addon.action_report_claim_declaration", self.business.ids)[0]
            .decode()
        )
        for text in (
            "Maître Anne Leroy",
            "Tribunal de commerce de Lyon",
            "L622-28",
            "R622-23",
            invoice_a.name,
        ):
            self.assertIn(text, html)
        # No penalty invoice for a debtor in proceedings (L622-7).
        results = (invoice_a | invoice_b)._fr_dunning_penalties(at_date=date(2026, 11, 23))
        self.assertTrue(all(result["declared"] for result in results.values()))
        with self.assertRaisesRegex(UserError, "Nothing to charge"):
            (invoice_a | invoice_b)._fr_dunning_create_penalty_invoices(at_date=date(2026, 11, 23))
