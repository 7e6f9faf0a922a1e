# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The penalty engine, with worked numbers.

Rates used (shared/legal-rates.csv): ECB 4.50 % in 2024 S1, 4.25 % in 2024 S2,
3.15 % in 2025 S1, 2.15 % in 2025 S2 and 2026 S1; legal rate "other cases"
3.71 % in 2025 S1, 2.62 % in 2026 S1.
"""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .common import TODAY, FrDunningCase


def _lines(result):
    return [
        (line["date_from"], line["date_to"], line["days"], line["annual_rate"], line["amount"])
        for line in result["lines"]
    ]


@freeze_time(TODAY)
class TestPenaltyEngine(FrDunningCase):
    def test_law_functions(self):
        self.assertEqual(law.semester_start(date(2025, 6, 30)), date(2025, 1, 1))
        self.assertEqual(law.semester_start(date(2025, 7, 1)), date(2025, 7, 1))
        self.assertEqual(
            law.split_by_semester(date(2024, 6, 1), date(2025, 1, 15)),
            [
                (date(2024, 6, 1), date(2024, 6, 30)),
                (date(2024, 7, 1), date(2024, 12, 31)),
                (date(2025, 1, 1), date(2025, 1, 15)),
            ],
        )
        self.assertAlmostEqual(law.b2b_annual_rate(3.15, 3.71), 13.15)
        # A contractual rate below 3 x the legal rate is floored (L441-10 II).
        self.assertAlmostEqual(law.b2b_annual_rate(2.15, 2.62, 5.0), 7.86)
        self.assertAlmostEqual(law.b2b_annual_rate(2.15, 2.62, 15.0), 15.0)
        # 60 days = 11/03; 45 days end of month: 28/02 or 31/01 + 45 = 17/03.
        self.assertEqual(law.max_due_date(date(2026, 1, 10)), date(2026, 3, 17))

    def test_rate_table_shipped(self):
        rates = self.env["fr.dunning.legal.rate"].search([])
        self.assertEqual(len(rates), 23, "every semester from 2015 S1 to 2026 S1")
        self.assertRecordValues(
            rates.filtered(lambda r: r.date_start == date(2025, 1, 1)),
            [
                {
                    "name": "2025 S1",
                    "ecb_rate": 3.15,
                    "b2b_default_rate": 13.15,
                    "legal_rate_other": 3.71,
                    "legal_rate_individual": 7.21,
                    "contractual_floor_rate": 11.13,
                }
            ],
        )
        with self.assertRaises(ValidationError):
            rates[0].copy({"date_start": date(2030, 3, 1)})

    def test_single_semester(self):
        # 1 000 excl. VAT + 20 % = 1 200 incl. VAT, due 05/06/2025, on 30/06/2025:
        # 25 days at 3.15 + 10 = 13.15 %: 1 200 x 13.15 % x 25 / 365 = 10.81.
        invoice = self._invoice(self.business, "2025-05-06", "2025-06-05", 1000.0, taxes=self.tax_20)
        self.assertEqual(invoice.amount_total, 1200.0)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 6, 30))[invoice.id]
        self.assertEqual(_lines(result), [(date(2025, 6, 6), date(2025, 6, 30), 25, 13.15, 10.81)])
        self.assertEqual(result["lines"][0]["base"], 1200.0)
        self.assertEqual(result["interest"], 10.81)
        self.assertEqual(result["indemnity"], 40.0)
        self.assertEqual(result["days_late"], 25)

    def test_two_semesters(self):
        # Invoice F4567: 2 430 excl. VAT = 2 916 incl. VAT, due 05/06/2025, on 30/09/2025.
        # 2025 S1: 25 days at 13.15 % = 26.26; 2025 S2: 92 days at 12.15 % = 89.30.
        invoice = self._invoice(self.business, "2025-05-06", "2025-06-05", 2430.0, taxes=self.tax_20)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 9, 30))[invoice.id]
        self.assertEqual(
            _lines(result),
            [
                (date(2025, 6, 6), date(2025, 6, 30), 25, 13.15, 26.26),
                (date(2025, 7, 1), date(2025, 9, 30), 92, 12.15, 89.30),
            ],
        )
        self.assertAlmostEqual(result["interest"], 115.56, places=2)

    def test_three_semesters(self):
        # 10 000 due 31/05/2024, on 15/01/2025: 30 days at 14.50 % = 119.18,
        # 184 days at 14.25 % = 718.36, 15 days at 13.15 % = 54.04; total 891.58.
        invoice = self._invoice(self.business, "2024-04-30", "2024-05-31", 10000.0)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 1, 15))[invoice.id]
        self.assertEqual(
            _lines(result),
            [
                (date(2024, 6, 1), date(2024, 6, 30), 30, 14.5, 119.18),
                (date(2024, 7, 1), date(2024, 12, 31), 184, 14.25, 718.36),
                (date(2025, 1, 1), date(2025, 1, 15), 15, 13.15, 54.04),
            ],
        )
        self.assertAlmostEqual(result["interest"], 891.58, places=2)

    def test_partial_payment_mid_period(self):
        # 6 000 due 31/03/2025; 2 000 paid on 15/04; on 30/04/2025 at 13.15 %:
        # 6 000 for 15 days (01/04-15/04) = 32.42, 4 000 for 15 days (16/04-30/04) = 21.62.
        invoice = self._invoice(self.business, "2025-03-01", "2025-03-31", 6000.0)
        self._pay(invoice, 2000.0, "2025-04-15")
        self.assertEqual(invoice.amount_residual, 4000.0)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 4, 30))[invoice.id]
        self.assertEqual(
            _lines(result),
            [
                (date(2025, 4, 1), date(2025, 4, 15), 15, 13.15, 32.42),
                (date(2025, 4, 16), date(2025, 4, 30), 15, 13.15, 21.62),
            ],
        )
        self.assertEqual([line["base"] for line in result["lines"]], [6000.0, 4000.0])
        # Paid in full on 20/04: interest stops that day.
        self._pay(invoice, 4000.0, "2025-04-20")
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 4, 30))[invoice.id]
        # 4 000 for 5 days (16/04-20/04) = 7.21.
        self.assertEqual(_lines(result)[-1], (date(2025, 4, 16), date(2025, 4, 20), 5, 13.15, 7.21))
        self.assertEqual(result["days_late"], 20)

    def test_contractual_rate(self):
        # Floor in 2026 S1: 3 x 2.62 % = 7.86 %.
        with self.assertRaises(ValidationError) as refusal:
            self.company.fr_dunning_contractual_rate = 5.0
        self.assertIn("7.86", refusal.exception.args[0])
        with self.assertRaises(ValidationError):
            self.business.fr_dunning_contractual_rate = 7.5
        self.company.fr_dunning_contractual_rate = 15.0
        # 1 000 due 31/01/2026, on 01/03/2026: 29 days at 15 % = 11.92.
        invoice = self._invoice(self.business, "2026-01-01", "2026-01-31", 1000.0)
        result = invoice.compute_fr_late_penalties(at_date=date(2026, 3, 1))[invoice.id]
        self.assertEqual(_lines(result), [(date(2026, 2, 1), date(2026, 3, 1), 29, 15.0, 11.92)])
        # A rate that slipped below the floor (older data) is floored in the computation:
        # 29 days at 7.86 % = 6.24.
        self.env.cr.execute(
            SQL("UPDATE res_partner SET fr_dunning_contractual_rate = 5 WHERE id = %s", self.business.id)
        )
        self.business.invalidate_recordset()
        result = invoice.compute_fr_late_penalties(at_date=date(2026, 3, 1))[invoice.id]
        self.assertEqual(_lines(result), [(date(2026, 2, 1), date(2026, 3, 1), 29, 7.86, 6.24)])

    def test_consumer_before_and_after_formal_notice(self):
        self.assertTrue(self.consumer.fr_dunning_is_consumer)
        self.assertFalse(self.business.fr_dunning_is_consumer)
        invoice = self._invoice(self.consumer, "2025-01-01", "2025-01-31", 1000.0)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 3, 31))[invoice.id]
        self.assertEqual(result["lines"], [])
        self.assertEqual(result["indemnity"], 0.0, "no 40 EUR for a consumer")
        self.assertTrue(result["reason"])
        # Formal notice on 01/03/2025: legal rate (other cases, 3.71 %) from 02/03
        # to 31/03, 30 days: 1 000 x 3.71 % x 30 / 365 = 3.05.
        invoice.sudo().fr_dunning_formal_notice_date = date(2025, 3, 1)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 3, 31))[invoice.id]
        self.assertEqual(_lines(result), [(date(2025, 3, 2), date(2025, 3, 31), 30, 3.71, 3.05)])
        self.assertEqual(result["indemnity"], 0.0)

    def test_foreign_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2025-01-01", 1.10)])
        # 1 200 USD due 05/06/2025, on 30/06/2025: 10.81 USD of interest;
        # the 40 EUR indemnity at 1.10 USD per EUR = 44.00 USD.
        invoice = self._invoice(self.business, "2025-05-06", "2025-06-05", 1200.0, currency=usd)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 6, 30))[invoice.id]
        self.assertEqual(result["currency"], usd)
        self.assertEqual(result["interest"], 10.81)
        self.assertEqual(result["indemnity"], 44.0)

    def test_collective_proceedings(self):
        """L622-28 stops the interest from the judgment on, and keeps what
        accrued before: 1 000 EUR due on 05/06/2025, judgment on 20/06/2025:
        interest from 06/06 to 19/06 (14 days) at 2025 S1's 3.15 + 10 =
        13.15 %: 1 000 x 13.15 % x 14 / 365 = 5.04; the 40 EUR (due before the
        judgment). Declared, never billed (L622-7)."""
        invoice = self._invoice(self.business, "2025-05-06", "2025-06-05", 1000.0)
        self.business.fr_dunning_proceedings_date = date(2025, 6, 20)
        result = invoice.compute_fr_late_penalties(at_date=date(2025, 6, 30))[invoice.id]
        self.assertEqual(
            [(line["date_from"], line["date_to"], line["amount"]) for line in result["lines"]],
            [(date(2025, 6, 6), date(2025, 6, 19), 5.04)],
        )
        self.assertEqual((result["interest"], result["indemnity"]), (5.04, 40.0))
        self.assertTrue(result["declared"])
        self.assertEqual(result["computed_to"], date(2025, 6, 19))
        self.assertIn("L622-7", result["reason"])
        # The case: due 31/03/2025, proceedings from 20/05/2025: 31/03 is
        # in S1 too; 01/04 to 19/05 = 49 days: 1 000 x 13.15 % x 49 / 365 = 17.65.
        other = self._invoice(self.business, "2025-03-01", "2025-03-31", 1000.0)
        self.business.fr_dunning_proceedings_date = date(2025, 5, 20)
        result = other.compute_fr_late_penalties(at_date=date(2025, 11, 30))[other.id]
        self.assertEqual((result["interest"], result["indemnity"]), (17.65, 40.0))
        # Due on the judgment's day: nothing was late before it.
        on_the_day = self._invoice(self.business, "2025-04-20", "2025-05-20", 1000.0)
        result = on_the_day.compute_fr_late_penalties(at_date=date(2025, 11, 30))[on_the_day.id]
        self.assertEqual((result["lines"], result["indemnity"]), ([], 0.0))

    def test_missing_semester_raises(self):
        # 2026 S2 is not in the shipped table.
        invoice = self._invoice(self.business, "2026-04-30", "2026-05-31", 1000.0)
        with self.assertRaisesRegex(UserError, "2026 S2") as caught:
            invoice.compute_fr_late_penalties(at_date=date(2026, 8, 15))
        # Where to enter them, as this database's menus name it (Community: Invoicing).
        self.assertIn("Invoicing > Customers > Dunning > Configuration", str(caught.exception))
        # The invoice form does not crash: it shows why, the interest up to the last
        # semester with rates (June: 30 days at 12.15 % on 1 000 = 9.99) and the indemnity.
        self.assertIn("2026 S2", invoice.fr_dunning_penalty_warning)
        self.assertEqual(invoice.fr_dunning_interest_to_date, 9.99)
        self.assertEqual(invoice.fr_dunning_indemnity_due, 40.0)
        self.assertEqual(invoice.fr_dunning_days_late, (date(2026, 11, 23) - date(2026, 5, 31)).days)
        # Penalties are never billed on a partial computation.
        with self.assertRaisesRegex(UserError, "2026 S2"):
            invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 8, 15))

    def test_penalty_invoice_charges_once(self):
        invoice = self._invoice(self.business, "2025-05-06", "2025-06-05", 1000.0, taxes=self.tax_20)
        first = invoice._fr_dunning_create_penalty_invoices(at_date=date(2025, 6, 30))
        interest_account, indemnity_account = self.company._fr_dunning_penalty_accounts()
        self.assertEqual((interest_account.code, indemnity_account.code), ("763100", "758100"))
        self.assertRecordValues(
            first,
            [
                {
                    "move_type": "out_invoice",
                    "state": "draft",
                    "partner_id": self.business.id,
                    "fr_dunning_is_penalty_invoice": True,
                    "amount_tax": 0.0,
                    "amount_total": 50.81,
                }
            ],
        )
        self.assertRecordValues(
            first.invoice_line_ids.sorted("sequence"),
            [
                {"price_unit": 10.81, "account_id": interest_account.id, "tax_ids": []},
                {"price_unit": 40.0, "account_id": indemnity_account.id, "tax_ids": []},
            ],
        )
        self.assertEqual(
            first.invoice_line_ids.sorted("sequence")[0].name,
            f"Late-payment penalties — invoice {invoice.name} — from 06/06/2025 to 06/30/2025 — "
            "25 days at 13.15 %",
        )
        # One month later: only July's interest (31 days at 12.15 % on 1 200 = 12.38),
        # never the June period nor the indemnity again.
        second = invoice._fr_dunning_create_penalty_invoices(at_date=date(2025, 7, 31))
        self.assertEqual(second.invoice_line_ids.mapped("price_unit"), [12.38])
        self.assertRecordValues(
            invoice.fr_dunning_penalty_ids.sorted("id"),
            [
                {
                    "kind": "interest",
                    "date_to": date(2025, 6, 30),
                    "amount": 10.81,
                    "penalty_move_id": first.id,
                },
                {"kind": "indemnity", "date_to": False, "amount": 40.0, "penalty_move_id": first.id},
                {
                    "kind": "interest",
                    "date_to": date(2025, 7, 31),
                    "amount": 12.38,
                    "penalty_move_id": second.id,
                },
            ],
        )
        with self.assertRaises(UserError):
            invoice._fr_dunning_create_penalty_invoices(at_date=date(2025, 7, 31))
        # Cancelling the second penalty invoice makes July chargeable again.
        second.button_cancel()
        third = invoice._fr_dunning_create_penalty_invoices(at_date=date(2025, 7, 31))
        self.assertEqual(third.invoice_line_ids.mapped("price_unit"), [12.38])
        # Penalty invoices bear no penalties themselves (Code civil 1343-2).
        first.action_post()
        self.assertEqual(first.compute_fr_late_penalties(at_date=date(2026, 1, 1))[first.id]["lines"], [])
        # Every penalty invoice is an event and a note on the late invoice.
        events = self.env["fr.dunning.event"].search([("move_ids", "in", invoice.ids)])
        self.assertEqual(len(events), 3)
        self.assertEqual(set(events.mapped("event_type")), {"penalty"})

    def test_penalty_invoice_label_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        self.business.lang = "fr_FR"
        invoice = self._invoice(self.business, "2025-05-06", "2025-06-05", 1000.0, taxes=self.tax_20)
        penalty = invoice._fr_dunning_create_penalty_invoices(at_date=date(2025, 6, 30))
        self.assertEqual(
            penalty.invoice_line_ids.sorted("sequence").mapped("name"),
            [
                (
                    f"Pénalités de retard — facture {invoice.name} — du 06/06/2025 au 30/06/2025 — "
                    "25 j à 13,15 %"
                ),
                (
                    f"Indemnité forfaitaire pour frais de recouvrement — facture {invoice.name} — "
                    "art. L441-10 et D441-5 du Code de commerce"
                ),
            ],
        )

    def test_wizard_with_complementary_indemnity(self):
        invoice = self._invoice(self.business, "2025-05-06", "2025-06-05", 1000.0, taxes=self.tax_20)
        wizard = (
            self.env["fr.dunning.penalty.wizard"]
            .with_user(self.dunning_user)
            .create(
                {
                    "move_ids": [(6, 0, invoice.ids)],
                    "at_date": date(2025, 6, 30),
                    "complementary_move_id": invoice.id,
                    "complementary_amount": 150.0,
                }
            )
        )
        self.assertIn("10.81", wizard.preview)
        with self.assertRaises(UserError):
            wizard.action_create()  # no justification
        wizard.complementary_reason = "Frais de commissaire de justice, facture 2025-118"
        action = wizard.action_create()
        penalty = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(penalty.amount_total, 200.81)
        self.assertEqual(
            sorted(invoice.fr_dunning_penalty_ids.mapped("kind")), ["complementary", "indemnity", "interest"]
        )

    def test_access(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Vendeur",
                "login": "fr_dunning_vendeur",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["fr.dunning.legal.rate"].with_user(salesman).search([])
        rate = self.env["fr.dunning.legal.rate"].search([], limit=1)
        with self.assertRaises(AccessError):
            rate.with_user(self.dunning_user).write({"ecb_rate": 9.0})
        rate.with_user(self.dunning_manager).write({"ecb_rate": 9.0})
        self.assertEqual(rate.ecb_rate, 9.0)


@freeze_time(TODAY)
class TestLegalChecks(FrDunningCase):
    def test_payment_term_warn_and_block(self):
        # Invoice of 10/01/2026 due 30/04/2026: beyond 17/03/2026.
        invoice = self._invoice(self.business, "2026-01-10", "2026-04-30", 500.0, post=False)
        self.assertTrue(invoice.fr_dunning_term_exceeded)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertIn("L441-10", invoice.message_ids[0].body)
        self.company.fr_dunning_payment_term_check = "block"
        blocked = self._invoice(self.business, "2026-01-10", "2026-04-30", 500.0, post=False)
        with self.assertRaisesRegex(UserError, "L441-10"):
            blocked.action_post()
        # Within the limit, or for a consumer: no check.
        self._invoice(self.business, "2026-01-10", "2026-03-17", 500.0)
        consumer_invoice = self._invoice(self.consumer, "2026-01-10", "2026-04-30", 500.0)
        self.assertEqual(consumer_invoice.state, "posted")

    def test_invoice_mentions(self):
        invoice = self._invoice(self.business, "2026-11-01", "2026-12-01", 500.0)
        html = (
            self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0].decode()
        )
        self.assertIn("40 EUR", html)
        self.assertIn("L441-10", html)
        self.assertIn("refinancing rate plus 10 points", html)
        consumer_invoice = self._invoice(self.consumer, "2026-11-01", "2026-12-01", 500.0)
        self.assertEqual(consumer_invoice._fr_dunning_invoice_mention(), "")
        self.company.fr_dunning_invoice_mentions = False
        self.assertEqual(invoice._fr_dunning_invoice_mention(), "")


class TestMissingRates(FrDunningCase):
    def _rate_activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "fr.dunning.legal.rate"), ("user_id", "=", self.dunning_manager.id)]
        )

    @freeze_time("2026-06-10")
    def test_next_semester_soon(self):
        # 2026 S1 is recorded; 1 July is 21 days ahead, 2026 S2 is missing.
        self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_check_rates").method_direct_trigger()
        self.assertEqual(self._rate_activities().mapped("summary"), ["Enter the legal rates of 2026 S2"])

    @freeze_time("2026-05-01")
    def test_next_semester_too_far(self):
        self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_check_rates").method_direct_trigger()
        self.assertFalse(self._rate_activities())

    @freeze_time("2026-12-15")
    def test_current_and_next_missing(self):
        cron = self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_check_rates")
        cron.method_direct_trigger()
        activities = self._rate_activities()
        self.assertEqual(
            sorted(activities.mapped("summary")),
            ["Enter the legal rates of 2026 S2", "Enter the legal rates of 2027 S1"],
        )
        self.assertIn("2026 S2", activities.filtered(lambda a: "2026 S2" in a.summary).note)
        # Idempotent: a second run adds nothing.
        cron.method_direct_trigger()
        self.assertEqual(len(self._rate_activities()), 2)
