# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rates, dates and amounts in the messages the addon writes follow the
reader's language: "7,86 %" (no-break space before the sign) and
"15/03/2026" in French, never "7.86 %" nor "2026-03-15"."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tools import formatLang

from odoo.addons.fr_dunning_addon.models.fr_dunning_formats import LangFormats

from .common import FrDunningCase

NBSP = "\N{NO-BREAK SPACE}"


@freeze_time("2026-03-15")
class TestFrenchTypography(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.french = cls.env(context=dict(cls.env.context, lang="fr_FR"))
        cls.english = cls.env(context=dict(cls.env.context, lang="en_US"))

    def test_percent(self):
        french, english = LangFormats(self.french), LangFormats(self.english)
        self.assertEqual(french.percent(7.86), f"7,86{NBSP}%")
        self.assertEqual(french.percent(1234.5), f"1{NBSP}234,50{NBSP}%")
        self.assertEqual(french.percent(12.15, digits=1), f"12,2{NBSP}%")
        self.assertEqual(english.percent(7.86), "7.86%")
        # The figures are Odoo's own for the language.
        for value in (0, 2.62, 7.859999999, 43.5, 1234.5):
            with self.subTest(value=value):
                self.assertEqual(french.percent(value), f"{formatLang(self.french, value, digits=2)}{NBSP}%")

    def test_contractual_rate_below_the_floor(self):
        # 2026 S1: legal rate "other cases" 2.62 %; floor 3 x 2.62 = 7.86 %
        # (Code de commerce L441-10 II). 5 % is below it.
        with self.assertRaises(ValidationError) as refused:
            self.company.with_context(lang="fr_FR").write({"fr_dunning_contractual_rate": 5.0})
        message = str(refused.exception)
        for figure in ("5,00", "2,62", "7,86"):
            self.assertIn(f"{figure}{NBSP}%", message)
        self.assertNotIn("7.86", message)
        self.assertNotIn(" %%", message)

    def test_contractual_rate_not_plausible(self):
        # The highest ECB rate of the shipped table is 4.50 % (2024 S1):
        # default rate 4.50 + 10 = 14.50 %; ceiling 3 x 14.50 = 43.50 %.
        highest = max(self.env["fr.dunning.legal.rate"].search([]).mapped("ecb_rate"))
        self.assertEqual(highest, 4.5)
        with self.assertRaises(ValidationError) as refused:
            self.business.with_context(lang="fr_FR").write({"fr_dunning_contractual_rate": 250.0})
        message = str(refused.exception)
        for figure in ("250,00", "14,50", "43,50"):
            self.assertIn(f"{figure}{NBSP}%", message)

    def test_semester_start_refused_with_a_french_date(self):
        with self.assertRaises(ValidationError) as refused:
            self.env["fr.dunning.legal.rate"].with_user(self.dunning_manager).with_context(
                lang="fr_FR"
            ).create(
                {
                    "date_start": "2026-03-15",
                    "ecb_rate": 2.15,
                    "legal_rate_individual": 6.67,
                    "legal_rate_other": 2.62,
                }
            )
        message = str(refused.exception)
        self.assertIn("15/03/2026", message)
        self.assertNotIn("2026-03-15", message)

    def test_missing_rates_date_in_the_reader_language(self):
        Rate = self.env["fr.dunning.legal.rate"]
        self.assertIn("01/07/2026", Rate.with_env(self.french)._missing_message(date(2026, 7, 1)))
        self.assertIn("07/01/2026", Rate.with_env(self.english)._missing_message(date(2026, 7, 1)))
