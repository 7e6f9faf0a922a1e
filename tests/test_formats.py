# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The escalation's date and amount formats give Odoo's text."""

from datetime import date, datetime

from odoo.tools import format_amount, format_date, formatLang

from odoo.addons.fr_dunning_addon.models.fr_dunning_formats import LangFormats

from .common import FrDunningCase

AMOUNTS = (0, 0.004, 0.005, -0.005, 0.125, 1.115, 2.675, 7, 999.995, 1234.5, -1234567.891, 12345678901.23)


class TestLangFormats(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["res.lang"]._activate_lang("de_CH")
        cls.usd = cls.setup_other_currency("USD", rates=[("2026-01-01", 1.10)])
        cls.currencies = cls.env.ref("base.EUR") | cls.usd | cls.env.ref("base.JPY") | cls.env.ref("base.KWD")

    def test_same_text_as_odoo(self):
        for lang in ("en_US", "fr_FR", "de_CH"):
            env = self.env(context=dict(self.env.context, lang=lang))
            formats = LangFormats(env)
            for currency in self.currencies:
                for amount in AMOUNTS:
                    with self.subTest(lang=lang, currency=currency.name, amount=amount):
                        self.assertEqual(
                            formats.amount(amount, currency), format_amount(env, amount, currency)
                        )
                        self.assertEqual(
                            formats.lang_amount(amount, currency),
                            formatLang(env, amount, currency_obj=currency),
                        )
                        self.assertEqual(
                            formats.amount(amount, currency, "en_US"),
                            format_amount(env, amount, currency, "en_US"),
                        )
            for value in (date(2026, 1, 1), date(2026, 11, 23), datetime(2026, 11, 23, 23, 30), "2026-11-23"):
                for date_format in (False, "long", "dd/MM/yyyy"):
                    expected = format_date(env, value, date_format=date_format)
                    with self.subTest(lang=lang, value=value, date_format=date_format):
                        self.assertEqual(formats.date(value, date_format), expected)
                        self.assertEqual(formats.date(value, date_format), expected, "formatted once, kept")
            self.assertEqual(formats.date(False), "")
            self.assertEqual(formats.date(date(2026, 11, 23), "long", "en_US"), "November 23, 2026")

    def test_worked_examples(self):
        french = LangFormats(self.env(context=dict(self.env.context, lang="fr_FR")))
        english = LangFormats(self.env(context=dict(self.env.context, lang="en_US")))
        eur = self.env.ref("base.EUR")
        self.assertEqual(french.amount(1234.5, eur), "1\xa0234,50\xa0€")
        self.assertEqual(english.amount(1234.5, self.usd), "$\xa01,234.50")
        self.assertEqual(english.amount(-0.5, eur), "-\ufeff0.50\xa0€")
        self.assertEqual(french.date(date(2026, 11, 23), "long"), "23 novembre 2026")

    def test_dates_kept_across_instances_until_the_language_changes(self):
        env = self.env(context=dict(self.env.context, lang="fr_FR"))
        day = date(2026, 11, 23)
        self.assertEqual(LangFormats(env).date(day), "23/11/2026")
        # A new instance (the cron's next batch) finds it formatted.
        self.assertIn(("fr_FR", "%d/%m/%Y", False, day), LangFormats._shared_dates)
        self.assertEqual(LangFormats(env).date(day), "23/11/2026")
        # The accountant changes the language's date format: it shows at once.
        self.env["res.lang"]._lang_get("fr_FR").date_format = "%d.%m.%Y"
        self.assertEqual(LangFormats(env).date(day), "23.11.2026")
        self.assertEqual(LangFormats(env).date(day), format_date(env, day))
