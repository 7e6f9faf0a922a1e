# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time
from stdnum.fr import siren as siren_check
from stdnum.fr import tva

from odoo.addons.fr_dunning_addon.demo.fr_dunning_demo import populate

from .common import TODAY, FrDunningCase
from .test_letters import pdf_text


class TestDemoData(FrDunningCase):
    @freeze_time(TODAY)
    def test_demo_data(self):
        today = date(2026, 11, 23)
        result = populate(self.env, self.company, today)
        customers, invoices = result["customers"], result["invoices"]
        self.assertGreaterEqual(len(customers), 20)
        self.assertGreaterEqual(len(customers.filtered(lambda p: not p.is_company)), 3)
        self.assertTrue(all(invoice.state == "posted" for invoice in invoices))

        # The company is French and can be paid by transfer.
        self.assertRecordValues(
            self.company, [{"country_id": self.env.ref("base.fr").id, "chart_template": "fr"}]
        )
        # A valid French VAT number, whose last nine digits are the SIREN of its RCS number.
        self.assertTrue(tva.is_valid(self.company.vat), self.company.vat)
        siren = "".join(c for c in self.company.company_registry if c.isdigit())
        self.assertTrue(siren_check.is_valid(siren), siren)
        self.assertTrue(self.company.vat.startswith("FR"))
        self.assertEqual(tva.compact(self.company.vat)[2:], siren)
        self.assertTrue(self.company.partner_id.bank_ids.filtered(lambda b: b.bank_bic == "AGRIFRPPXXX"))

        open_invoices = invoices.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        days_overdue = {(today - m.invoice_date_due).days for m in open_invoices}
        for stage in (-20, -3, 1, 10, 20, 35, 50, 70, 100):
            self.assertIn(stage, days_overdue, f"no invoice {stage} days overdue")

        f4567 = invoices.filtered(lambda m: m.ref == "F4567")
        self.assertRecordValues(
            f4567,
            [{"amount_untaxed": 2430.0, "amount_total": 2916.0, "invoice_date_due": date(2025, 6, 5)}],
        )
        consultant = invoices.filtered(lambda m: m.amount_untaxed == 15000.0)
        self.assertEqual((today - consultant.invoice_date_due).days, 60)
        old = invoices.filtered(lambda m: m.invoice_date == date(2023, 1, 15))
        self.assertRecordValues(old, [{"amount_untaxed": 1500.0, "invoice_date_due": date(2023, 2, 15)}])

        by_extra = result["by_extra"]
        partial = by_extra["partial"]
        self.assertEqual(partial.payment_state, "partial")
        self.assertAlmostEqual(partial.amount_residual, round(partial.amount_total * 0.6, 2), places=2)
        self.assertEqual(by_extra["credit_note"].payment_state, "partial")
        self.assertEqual(by_extra["usd"].currency_id, self.env.ref("base.USD"))
        self.assertIn(by_extra["paid"].payment_state, ("paid", "in_payment"))
        self.assertFalse(customers.filtered(lambda p: p.name == "Quincaillerie Blanc").email)
        # A dispute, a promise and a payment plan pause three customers' invoices.
        self.assertEqual(result["dispute"].move_ids.fr_dunning_blocked, "dispute")
        self.assertEqual(result["promise"].move_ids.fr_dunning_blocked, "promise")
        self.assertEqual(result["payment_plan"].state, "open")
        self.assertEqual(len(result["payment_plan"].line_ids), 3)

        # The dashboard on the demo data, computed by hand from its tables.
        self.env.flush_all()
        dashboard = self.env["fr.dunning.dashboard"]._figures(self.company, today)
        # Over 90 days, taxes included (20 %): 9 800 (100 days), 1 150 (95),
        # 6 200 (110), F4567 2 430 (due 05/06/2025), 1 500 (due 15/02/2023),
        # and Ateliers Vasseur's 6 250 (100 days, in collective proceedings).
        self.assertAlmostEqual(dashboard["aged_over_90"], (9800 + 1150 + 6200 + 2430 + 1500 + 6250) * 1.2)
        self.assertEqual(dashboard["aged_over_90"], 32796.0)
        # The town is a public buyer; Ateliers Vasseur's claim is to declare.
        town = customers.filtered(lambda p: p.name == "Commune de Villeurbanne")
        self.assertEqual(town.fr_dunning_public_buyer, "state")
        vasseur = customers.filtered(lambda p: p.name == "Ateliers Vasseur SAS")
        self.assertEqual(vasseur.fr_dunning_proceedings_date, today - timedelta(days=40))
        self.assertEqual(
            set(invoices.filtered(lambda m: m.partner_id == vasseur).mapped("fr_dunning_blocked")),
            {"proceedings"},
        )
        # History: 5 customers x 12 paid invoices. J+1 reminders within the last
        # 12 months: k = 2..12 for the 4 late payers (44), half of them (paid 4
        # and 12 days late) within 15 days. J+15: k = 2..13 for the 2 payers 25
        # and 40 days late (24), the first within 15 days. J+30: 12, all paid
        # within 15 days (40 days late).
        levels = {
            self.env["fr.dunning.level"].browse(line[2]["level_id"]).offset_days: line[2]
            for line in dashboard["level_line_ids"]
        }
        self.assertEqual(
            {offset: (line["reminder_count"], line["recovery_rate"]) for offset, line in levels.items()},
            {1: (44, 50.0), 15: (24, 50.0), 30: (12, 100.0)},
        )
        btp = customers.filtered(lambda p: p.name == "BTP Rousseau SARL")
        self.assertRecordValues(
            btp,
            [
                {
                    "fr_dunning_paid_count": 12,
                    "fr_dunning_avg_days_late": 40.0,
                    "fr_dunning_avg_reminders": 3.0,
                }
            ],
        )
        bakery = customers.filtered(lambda p: p.name == "Boulangerie Martin SARL")
        # 11 history invoices paid on time, plus the demo's invoice paid early.
        self.assertRecordValues(bakery, [{"fr_dunning_paid_count": 12, "fr_dunning_avg_days_late": 0.0}])

        # BTP Rousseau's letters of the last year (paid 40 days late, so a
        # J+30 letter each time) were posted: each has its PDF, made on its day
        # before the invoice was paid, and none waits in Letters to print.
        letters = self.env["fr.dunning.event"].search(
            [("partner_id", "=", btp.id), ("channel", "=", "letter")]
        )
        self.assertEqual(len(letters), 12)
        self.assertEqual(len(letters.letter_id), 12)
        for letter in letters:
            self.assertEqual(letter.printed_date.date(), letter.date.date())
        self.assertEqual(letters.printed_by_id, self.env.ref("base.user_admin"))
        text = pdf_text(letters[0].letter_id.raw)
        self.assertIn(letters[0].move_ids.name, text)
        # What the invoice owed on the letter's day (2 500 + 20 % VAT), in French
        # or in English whichever the database speaks.
        self.assertRegex(text, r"3[ ,]000[,.]00")
        self.assertFalse(
            self.env["fr.dunning.event"].search_count(
                [("channel", "in", ("letter", "registered_letter")), ("printed_date", "=", False)]
            )
        )

        # A second call adds nothing.
        self.assertIsNone(populate(self.env, self.company, today))
