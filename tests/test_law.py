# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of fr_dunning_law, checked with dates and rates worked from the
texts (Code de commerce L441-10, D441-5, L622-28, L110-4; Code civil 1231-6,
1344, 2240; Code de la consommation L218-2; CMF L313-2)."""

from datetime import date

from odoo.tools import SQL

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .common import FrDunningCase


class TestLaw(FrDunningCase):
    def test_interest_runs_after(self):
        due = date(2026, 3, 15)
        # Between businesses: from the day after the due date on the invoice.
        self.assertEqual(law.interest_runs_after(due, False, None), due)
        self.assertEqual(law.interest_runs_after(due, False, date(2026, 4, 1)), due)
        # A consumer: from the formal notice only, never before the due date.
        self.assertIsNone(law.interest_runs_after(due, True, None))
        self.assertEqual(law.interest_runs_after(due, True, date(2026, 4, 1)), date(2026, 4, 1))
        self.assertEqual(law.interest_runs_after(due, True, date(2026, 3, 1)), due)

    def test_annual_interest_rate(self):
        # 2026 S1: ECB 2.15 %, legal rate "other cases" 2.62 %.
        self.assertAlmostEqual(law.annual_interest_rate(2.15, 2.62, 0.0, False), 12.15)
        # A contractual 5 % is below 3 x 2.62 = 7.86 %: the floor applies.
        self.assertAlmostEqual(law.annual_interest_rate(2.15, 2.62, 5.0, False), 7.86)
        self.assertAlmostEqual(law.annual_interest_rate(2.15, 2.62, 9.0, False), 9.0)
        # A consumer: the legal rate, whatever the terms of sale.
        self.assertAlmostEqual(law.annual_interest_rate(2.15, 2.62, 9.0, True), 2.62)

    def test_indemnity_owed(self):
        due = date(2026, 3, 15)
        self.assertFalse(law.indemnity_owed(False, due, due), "paid on the due date is not late")
        self.assertTrue(law.indemnity_owed(False, due, date(2026, 3, 16)))
        self.assertFalse(law.indemnity_owed(True, due, date(2026, 9, 1)), "D441-5: businesses only")

    def test_collective_proceedings(self):
        """L622-28: interest stops from the judgment's day; what accrued before
        is declared (L622-24), never billed (L622-7); the 40 EUR is owed when
        the due date came before the judgment."""
        judgment = date(2025, 5, 20)
        self.assertEqual(law.interest_last_day(judgment), date(2025, 5, 19))
        self.assertIsNone(law.interest_last_day(None))
        self.assertTrue(law.declared_not_billed(judgment, date(2025, 6, 30)))
        self.assertTrue(law.declared_not_billed(judgment, judgment))
        self.assertFalse(law.declared_not_billed(judgment, date(2025, 5, 19)))
        self.assertFalse(law.declared_not_billed(None, date(2025, 6, 30)))
        today = date(2025, 6, 30)
        self.assertTrue(law.indemnity_owed(False, date(2025, 3, 31), today, judgment))
        self.assertTrue(law.indemnity_owed(False, date(2025, 5, 19), today, judgment))
        # Due on the judgment's day: not late before it.
        self.assertFalse(law.indemnity_owed(False, judgment, today, judgment))
        self.assertFalse(law.indemnity_owed(False, date(2025, 6, 1), today, judgment))

    def test_public_buyers(self):
        """Code de la commande publique R2192-10 (deadlines), R2192-31 (rate)."""
        invoice_date = date(2026, 1, 15)
        self.assertEqual(law.public_max_due_date(invoice_date, "state"), date(2026, 2, 14))
        self.assertEqual(law.public_max_due_date(invoice_date, "health"), date(2026, 3, 6))
        self.assertEqual(law.public_max_due_date(invoice_date, "company"), date(2026, 3, 16))
        # ECB 2.15 % on 1 January 2026: 10.15 %, whatever the later semesters.
        self.assertAlmostEqual(law.public_moratory_rate(2.15), 10.15)
        self.assertFalse(law.indemnity_owed(False, invoice_date, invoice_date), "D2192-35: once late")
        self.assertTrue(law.indemnity_owed(False, invoice_date, date(2026, 1, 16)))

    def test_indemnity_in_another_currency_at_the_day_it_became_owed(self):
        self.assertEqual(law.indemnity_rate_date(date(2026, 3, 31)), date(2026, 4, 1))
        self.assertEqual(law.indemnity_rate_date(date(2026, 12, 31)), date(2027, 1, 1))

    def test_contractual_floor_semester_by_semester(self):
        # 8 % agreed: above 3 x 2.62 % = 7.86 % (2026 S1)...
        self.assertFalse(law.contractual_floored(8.0, 2.62))
        # ...below 3 x 2.76 % = 8.28 % in a semester whose legal rate rose.
        self.assertTrue(law.contractual_floored(8.0, 2.76))
        self.assertFalse(law.contractual_floored(0.0, 2.76), "no contractual rate: ECB + 10")
        self.assertFalse(law.contractual_floored(8.0, 2.76, is_consumer=True))

    def test_prescription_sql_twin_agrees_on_29_february(self):
        """The install hook fills the prescription of existing invoices in SQL:
        its expression gives the Python rule's date, 29 February included."""
        cases = [
            (date(2024, 2, 29), False, date(2029, 2, 28)),  # 5 years (L110-4)
            (date(2024, 2, 29), True, date(2026, 2, 28)),  # 2 years (L218-2)
            (date(2028, 2, 29), False, date(2033, 2, 28)),
            (date(2026, 10, 1), False, date(2031, 10, 1)),
            (date(2026, 10, 1), True, date(2028, 10, 1)),
        ]
        for due, consumer, expected in cases:
            with self.subTest(due=due, consumer=consumer):
                self.assertEqual(law.prescription_date(due, consumer), expected)
                [[in_sql]] = self.env.execute_query(
                    SQL("SELECT %s", law.prescription_date_sql(SQL("%s::date", due), SQL("%s", consumer)))
                )
                self.assertEqual(in_sql, expected)
        # An acknowledgement of the debt starts a new period (Code civil 2240, 2231).
        self.assertEqual(
            law.prescription_date(date(2024, 2, 29), False, date(2026, 11, 20)), date(2031, 11, 20)
        )
        self.assertIn("acknowledgement", law.PRESCRIPTION_INTERRUPTING_EVENTS)
        self.assertNotIn("registered_letter", law.PRESCRIPTION_INTERRUPTING_EVENTS)

    def test_prescription_interrupted_only_while_it_runs(self):
        """Code civil 2229, 2231: an interruption on the last day of the
        period counts, the day after it revives nothing."""
        # A consumer's invoice due 01/10/2026 prescribes on 01/10/2028 (L218-2).
        due = date(2026, 10, 1)
        self.assertEqual(law.prescription_date(due, True, date(2028, 10, 1)), date(2030, 10, 1))
        self.assertEqual(law.prescription_date(due, True, date(2028, 10, 2)), date(2028, 10, 1))
        # Several interruptions, in any order: each one while the period runs.
        # Acknowledged on 01/06/2028 -> 01/06/2030; a legal action on
        # 01/05/2030, within it -> 01/05/2032.
        self.assertEqual(
            law.prescription_date(due, True, [date(2030, 5, 1), date(2028, 6, 1)]), date(2032, 5, 1)
        )
        # The same legal action without the acknowledgement came too late.
        self.assertEqual(law.prescription_date(due, True, [date(2030, 5, 1)]), date(2028, 10, 1))
        self.assertEqual(law.prescription_date(due, True, []), date(2028, 10, 1))

    def test_formal_notice(self):
        """Code civil 1344: a formal notice is a written summons, sent after
        the due date; the first one sent is the date the debtor was put on
        notice, from which a consumer's interest runs (1231-6)."""
        self.assertTrue(law.puts_on_notice("formal_notice", ["registered"]))
        self.assertTrue(law.puts_on_notice("formal_notice", ["email", "letter"]))
        self.assertFalse(law.puts_on_notice("formal_notice", ["email"]), "an email is not the addon's notice")
        self.assertFalse(law.puts_on_notice("formal_letter", ["registered"]))
        self.assertFalse(law.notice_after_due_date(0), "on the due date nothing is owed yet")
        self.assertTrue(law.notice_after_due_date(1))
        first, later = date(2026, 10, 5), date(2026, 11, 20)
        cases = [
            (None, later, True, later),  # the first notice
            (first, later, True, first),  # a second one: the first counts
            (first, later, False, first),  # a reminder changes nothing
            (None, later, False, None),
        ]
        for recorded, sent_on, notice, expected in cases:
            with self.subTest(recorded=recorded, notice=notice):
                self.assertEqual(law.formal_notice_date(recorded, sent_on, notice), expected)
                # The escalation records it in SQL: the twin gives the same date.
                [[in_sql]] = self.env.execute_query(
                    SQL(
                        "SELECT %s",
                        law.formal_notice_date_sql(SQL("%s::date", recorded), sent_on, SQL("%s", notice)),
                    )
                )
                self.assertEqual(in_sql, expected)
