# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The "To chase today" preview's filters and ticking in bulk: what the list
shows, what one click ticks, and what each send button sends whatever the
filters."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from odoo.addons.fr_dunning_addon.wizard import fr_dunning_preview

from .common import TODAY, FrDunningCase

NEW_METHODS = ("action_filter", "action_clear_filters", "action_tick_shown", "action_untick_shown")


@freeze_time(TODAY)
class TestPreviewBulk(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.standard = cls.env["fr.dunning.policy"].search(
                [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
            )
            cls.levels = {lvl.offset_days: lvl for lvl in cls.standard.level_ids}
            cls.business.write({"email": "compta@dupont.example", "user_id": cls.dunning_manager.id})
            cls.hotel = cls._customer("Hôtel du Lac", email="direction@hotel-du-lac.example")
            cls.garage = cls._customer("Garage Petit", email="garage@petit.example")
            cls.bakery = cls._customer("Boulangerie Roux")  # no email: a letter and a call
            cls.usd = cls.setup_other_currency("USD", rates=[("2026-01-01", 2.0)])
            cls.atlantic = cls._customer("Atlantic Trade Inc.", email="ap@atlantic.example")
            # The dunning responsible wins over the salesperson.
            cls.hotel.with_company(cls.company).write(
                {"user_id": cls.dunning_manager.id, "fr_dunning_responsible_id": cls.dunning_user.id}
            )
            # 20 days late, never chased: the courteous reminder (email; letter
            # and call without an address).
            cls.inv_business = cls._invoice(cls.business, "2026-10-04", "2026-11-03", 1000.0)
            cls.inv_hotel = cls._invoice(cls.hotel, "2026-10-04", "2026-11-03", 700.0)
            cls.inv_bakery = cls._invoice(cls.bakery, "2026-10-04", "2026-11-03", 300.0)
            # 1 800 USD at 2 USD per euro: 900 EUR.
            cls.inv_atlantic = cls._invoice(
                cls.atlantic, "2026-10-04", "2026-11-03", 1800.0, currency=cls.usd
            )
            # 34 days late, chased at J+1 on 01/11: the firm reminder and call.
            cls.inv_garage = cls._invoice(cls.garage, "2026-09-20", "2026-10-20", 5000.0)
            cls.inv_garage.sudo().write(
                {"fr_dunning_level_id": cls.levels[1].id, "fr_dunning_last_date": date(2026, 11, 1)}
            )

    @classmethod
    def _customer(cls, name, email=False):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": email,
                "street": "1 place de la Mairie",
                "zip": "69001",
                "city": "Lyon",
            }
        )

    def _preview(self, user=None, **kwargs):
        Preview = self.env["fr.dunning.preview"].with_user(user or self.dunning_user)
        return Preview.browse(Preview._open(**kwargs)["res_id"])

    def _customers(self):
        return self.business | self.hotel | self.garage | self.bakery | self.atlantic

    def _shown(self, preview):
        return preview.shown_line_ids.partner_id

    def test_lines_carry_what_the_filters_read(self):
        preview = self._preview(partners=self._customers())
        # Largest amounts first, other currencies at today's rate.
        self.assertRecordValues(
            preview.line_ids,
            [
                {
                    "partner_id": self.garage.id,
                    "level_id": self.levels[15].id,
                    "channel_codes": "email,phone",
                    "responsible_id": False,
                    "amount": 5000.0,
                    "amount_company": 5000.0,
                },
                {
                    "partner_id": self.business.id,
                    "level_id": self.levels[1].id,
                    "channel_codes": "email",
                    "responsible_id": self.dunning_manager.id,  # its salesperson
                    "amount": 1000.0,
                    "amount_company": 1000.0,
                },
                {
                    "partner_id": self.atlantic.id,
                    "level_id": self.levels[1].id,
                    "channel_codes": "email",
                    "responsible_id": False,
                    "amount": 1800.0,
                    "amount_company": 900.0,
                },
                {
                    "partner_id": self.hotel.id,
                    "level_id": self.levels[1].id,
                    "channel_codes": "email",
                    "responsible_id": self.dunning_user.id,  # its dunning responsible
                    "amount": 700.0,
                    "amount_company": 700.0,
                },
                {
                    "partner_id": self.bakery.id,
                    "level_id": self.levels[1].id,
                    "channel_codes": "letter,phone",
                    "responsible_id": False,
                    "amount": 300.0,
                    "amount_company": 300.0,
                },
            ],
        )
        self.assertEqual(preview.shown_line_ids, preview.line_ids, "no filter: every line is shown")
        self.assertEqual(preview.line_level_ids, self.levels[1] | self.levels[15])
        self.assertEqual(preview.line_responsible_ids, self.dunning_user | self.dunning_manager)
        self.assertRecordValues(
            preview,
            [
                {
                    "shown_count": 5,
                    "is_filtered": False,
                    "send_ticked_note": "the 5 ticked reminders (7,900.00\xa0€).",
                }
            ],
        )

    def test_each_filter(self):
        preview = self._preview(partners=self._customers())
        for filters, expected in (
            ({"filter_level_id": self.levels[1].id}, self._customers() - self.garage),
            ({"filter_level_id": self.levels[15].id}, self.garage),
            ({"filter_channel": "phone"}, self.garage | self.bakery),
            ({"filter_channel": "letter"}, self.bakery),
            ({"filter_channel": "registered_letter"}, self.env["res.partner"]),
            # In euros: the 1 800 USD owed by Atlantic are 900 EUR.
            ({"filter_amount_min": 1000.0}, self.garage | self.business),
            ({"filter_amount_max": 900.0}, self.atlantic | self.hotel | self.bakery),
            (
                {"filter_amount_min": 700.0, "filter_amount_max": 1000.0},
                self.business | self.atlantic | self.hotel,
            ),
            ({"filter_responsible_id": self.dunning_user.id}, self.hotel),
            ({"filter_responsible_id": self.dunning_manager.id}, self.business),
            (
                {"filter_level_id": self.levels[1].id, "filter_channel": "email", "filter_amount_min": 800.0},
                self.business | self.atlantic,
            ),
        ):
            with self.subTest(filters=filters):
                preview.action_clear_filters()
                preview.write(filters)
                preview.action_filter()
                self.assertEqual(self._shown(preview), expected)
                self.assertEqual(preview.shown_count, len(expected))
                self.assertTrue(preview.is_filtered)
                # The line's own flag agrees with the list's SQL.
                self.assertEqual(preview.line_ids.filtered("shown").partner_id, expected)
        preview.action_clear_filters()
        self.assertEqual(preview.shown_line_ids, preview.line_ids)
        self.assertFalse(preview.is_filtered)

    def test_a_maximum_of_zero_filters_nothing(self):
        """The form shows 0,00 € when no maximum is typed: 0 is "no limit",
        never "nothing above 0 €"; the smallest maximum there is hides all."""
        preview = self._preview(partners=self._customers())
        preview.write({"filter_amount_max": 5000.0})
        self.assertTrue(preview.is_filtered)
        preview.write({"filter_amount_max": 0.0})
        preview.action_filter()
        self.assertEqual(self._shown(preview), self._customers())
        self.assertEqual(preview.shown_count, 5)
        self.assertFalse(preview.is_filtered)
        # With a minimum, the minimum alone applies: 5 000 and 1 000 EUR.
        preview.write({"filter_amount_min": 1000.0})
        self.assertEqual(self._shown(preview), self.garage | self.business)
        # A maximum of one cent is a maximum: the smallest amount, 300 EUR, is above it.
        preview.write({"filter_amount_min": 0.0, "filter_amount_max": 0.01})
        self.assertFalse(preview.shown_line_ids)
        self.assertTrue(preview.is_filtered)
        self.assertEqual(
            preview.send_ticked_note,
            "the 5 ticked reminders (7,900.00\xa0€), 5 of them hidden by the filters.",
        )

    def test_untick_all_tick_a_filtered_subset_send_the_ticked(self):
        preview = self._preview(partners=self._customers())
        preview.action_untick_shown()
        self.assertFalse(preview.line_ids.filtered("include"))
        self.assertEqual(preview.send_ticked_note, "nothing is ticked.")
        preview.write({"filter_channel": "email", "filter_amount_min": 800.0})
        preview.action_tick_shown()
        self.assertEqual(
            preview.line_ids.filtered("include").partner_id, self.garage | self.business | self.atlantic
        )
        # Then a narrower filter: the ticked lines it hides stay ticked, and
        # the screen says they will be sent.
        preview.write(
            {"filter_channel": False, "filter_amount_min": 0.0, "filter_level_id": self.levels[1].id}
        )
        preview.line_ids.filtered(lambda line: line.partner_id == self.atlantic).include = False
        self.assertEqual(self._shown(preview), self._customers() - self.garage)
        self.assertEqual(
            preview.send_ticked_note,
            "the 2 ticked reminders (6,000.00\xa0€), 1 of them hidden by the filters.",
        )
        run = self.env["fr.dunning.run"].browse(preview.action_send()["res_id"])
        self.assertEqual(run.event_ids.partner_id, self.garage | self.business)
        self.assertEqual(
            (
                self.inv_garage | self.inv_business | self.inv_atlantic | self.inv_hotel | self.inv_bakery
            ).mapped("fr_dunning_count"),
            [1, 1, 0, 0, 0],
        )

    def test_send_all_sends_all_but_the_unticked_whatever_the_filters(self):
        # Three lines listed (5 000, 1 000, 900 EUR), two not (700 and 300).
        with patch.object(fr_dunning_preview, "PREVIEW_LIMIT", 3):
            preview = self._preview(partners=self._customers())
        self.assertRecordValues(preview, [{"plan_count": 5, "unlisted_count": 2}])
        preview.write({"filter_amount_min": 950.0})
        preview.action_untick_shown()  # garage and business
        preview.action_clear_filters()
        self.assertEqual(
            preview.send_all_note,
            "3 reminders: every one due today, the 2 not listed included, except the 2 unticked.",
        )
        preview.write({"filter_level_id": self.levels[15].id})  # shows the garage only
        run = self.env["fr.dunning.run"].browse(preview.action_send_all()["res_id"])
        self.assertEqual(run.event_ids.partner_id, self.atlantic | self.hotel | self.bakery)

    def test_counts_follow_the_toggles_not_saved_yet(self):
        """The form's onchange: a line ticked or unticked in the list changes
        what the screen says will be sent before anything is saved."""
        preview = self._preview(partners=self._customers())
        preview.write({"filter_level_id": self.levels[1].id})
        preview.action_untick_shown()
        lines = {line.partner_id: line for line in preview.line_ids}
        spec = {
            "send_ticked_note": {},
            "send_all_note": {},
            "shown_count": {},
            "shown_line_ids": {"fields": {"include": {}, "amount_company": {}}},
        }
        result = preview.onchange(
            {
                "shown_line_ids": [
                    [1, lines[self.hotel].id, {"include": True}],
                    [1, lines[self.bakery].id, {"include": True}],
                ]
            },
            ["shown_line_ids"],
            spec,
        )
        self.assertEqual(
            result["value"]["send_ticked_note"],
            "the 3 ticked reminders (6,000.00\xa0€), 1 of them hidden by the filters.",
        )
        # Nothing was written.
        self.assertEqual(preview.line_ids.filtered("include").partner_id, self.garage)

    def test_bulk_ticking_is_one_write_whatever_the_number_of_lines(self):
        def queries(partners):
            preview = self._preview(partners=partners)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            preview.action_untick_shown()
            self.env.flush_all()
            count = self.env.cr.sql_log_count - before
            self.assertFalse(preview.line_ids.filtered("include"))
            return count

        queries(self.business)  # the caches of the first call (access rules, fields)
        self.assertEqual(queries(self.business | self.hotel), queries(self._customers()))

    def test_list_order_and_filter_choices_in_other_currencies(self):
        preview = self._preview(partners=self.atlantic | self.hotel)
        # 900 EUR before 700 EUR, though 1 800 USD: ranked in euros.
        self.assertEqual(preview.shown_line_ids.partner_id.ids, [self.atlantic.id, self.hotel.id])
        preview.write({"filter_amount_max": 800.0})
        self.assertEqual(self._shown(preview), self.hotel)

    def test_refused_to_a_billing_user_and_another_company(self):
        preview = self._preview(partners=self._customers())
        company_2 = self.setup_other_company(name="Seconde Société SAS")["company"]
        c2_user = new_test_user(
            self.env,
            login="fr_dunning_c2_user",
            groups="fr_dunning_addon.group_fr_dunning_user",
            company_id=company_2.id,
            company_ids=[company_2.id],
        )
        billing_user = new_test_user(
            self.env,
            login="fr_dunning_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        for user in (billing_user, c2_user):
            for method in NEW_METHODS:
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    getattr(preview.with_user(user), method)()
            with self.assertRaises(AccessError):
                preview.with_user(user).write(
                    {"shown_line_ids": [(1, preview.line_ids[0].id, {"include": False})]}
                )
        self.assertEqual(len(preview.line_ids.filtered("include")), 5)
        self.assertFalse(preview.is_filtered)
