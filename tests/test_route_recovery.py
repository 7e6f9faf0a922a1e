# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dashboard's recovery rate and time to cash per route, on a small
ledger worked by hand."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestRouteRecovery(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.agency = cls.env["res.partner"].create(
                {"name": "Recouvrement Express SAS", "is_company": True}
            )
            cls.bank = cls.company_data["default_journal_bank"]
            partner = cls.business
            # Amicable. X: 1 200 €, first reminder 05/10, paid 15/10: given
            # 1 200, collected 1 200, 10 days to cash.
            x = cls._invoice(partner, "2026-09-01", "2026-10-01", 1200.0)
            cls._event(partner, x, "reminder", datetime(2026, 10, 5, 9), "Relance")
            cls._event(partner, x, "letter", datetime(2026, 10, 9, 9), "Lettre")
            cls._pay(x, 1200.0, "2026-10-15")
            # Y: 2 000 €, 400 paid on 03/10 before the first reminder (10/10),
            # 800 on 02/11: given 2 000 - 400 = 1 600, collected 800, not
            # fully collected.
            y = cls._invoice(partner, "2026-09-01", "2026-10-01", 2000.0)
            cls._pay(y, 400.0, "2026-10-03")
            cls._event(partner, y, "reminder", datetime(2026, 10, 10, 9), "Relance")
            cls._pay(y, 800.0, "2026-11-02")
            # Injunction. Z: 4 000 €, reminded on 01/05 (so not amicable), 1 000
            # paid on 15/05, handed over on 01/06 for the 3 000 left, paid on
            # 31/07: given 3 000, collected 3 000, 60 days (30 in June + 30 in July).
            z = cls._invoice(partner, "2026-03-01", "2026-04-01", 4000.0)
            cls._event(partner, z, "reminder", datetime(2026, 5, 1, 9), "Relance")
            cls._pay(z, 1000.0, "2026-05-15")
            cls.env["fr.dunning.litigation"].create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(z.ids)],
                    "route": "injunction",
                    "date_start": date(2026, 6, 1),
                }
            )
            cls._pay(z, 3000.0, "2026-07-31")
            # Agency. W: 10 000 € handed over on 01/03, 5 000 collected on 15/04.
            w = cls._invoice(partner, "2025-12-01", "2026-01-01", 10000.0)
            cls.agency_file = cls.env["fr.dunning.litigation"].create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(w.ids)],
                    "route": "agency",
                    "external_partner_id": cls.agency.id,
                    "date_start": date(2026, 3, 1),
                    "fee_percent": 12.0,
                    "fee_fixed": 50.0,
                }
            )
            cls.env["fr.dunning.agency.report.wizard"].create(
                {
                    "litigation_id": cls.agency_file.id,
                    "report": "payment",
                    "date": date(2026, 4, 15),
                    "amount": 5000.0,
                    "journal_id": cls.bank.id,
                }
            ).action_record()
            # V: 1 000 € handed over on 01/05, settled by a credit note on
            # 01/06: no cash, nothing collected.
            v = cls._invoice(partner, "2026-03-01", "2026-04-01", 1000.0)
            cls.env["fr.dunning.litigation"].create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(v.ids)],
                    "route": "agency",
                    "external_partner_id": cls.agency.id,
                    "date_start": date(2026, 5, 1),
                }
            )
            refund = cls._refund(partner, "2026-06-01", 1000.0)
            (refund | v).line_ids.filtered(lambda line: line.account_type == "asset_receivable").reconcile()
            cls.billing_user = new_test_user(
                cls.env,
                login="fr_dunning_billing",
                groups="account.group_account_invoice",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )

    def _lines(self, today, user=None):
        Dashboard = self.env["fr.dunning.dashboard"].with_user(user or self.dunning_user)
        return {line["route"]: line for line in Dashboard._route_lines(self.company, today)}

    def test_recovery_and_time_to_cash_per_route(self):
        lines = self._lines(date(2026, 11, 23))
        self.assertEqual(list(lines), ["amicable", "injunction", "agency"])
        expected = {
            # given 1 200 + 1 600 = 2 800; collected 1 200 + 800 = 2 000;
            # 2 000 / 2 800 = 71.43 %; X fully collected in 10 days.
            "amicable": (2800.0, 2000.0, 2000 / 2800 * 100, 2, 1, 10.0),
            # 3 000 / 3 000; 01/06 -> 31/07 = 60 days.
            "injunction": (3000.0, 3000.0, 100.0, 1, 1, 60.0),
            # given 10 000 + 1 000; collected 5 000 (the credit note is no
            # cash): 5 000 / 11 000 = 45.45 %; none fully collected.
            "agency": (11000.0, 5000.0, 5000 / 11000 * 100, 2, 0, 0.0),
        }
        for route, (given, collected, rate, files, paid, days) in expected.items():
            line = lines[route]
            with self.subTest(route=route):
                self.assertAlmostEqual(line["handed_amount"], given, places=2)
                self.assertAlmostEqual(line["collected_amount"], collected, places=2)
                self.assertAlmostEqual(line["route_rate"], rate, places=4)
                self.assertEqual((line["file_count"], line["paid_count"]), (files, paid))
                self.assertAlmostEqual(line["cash_days"], days, places=4)

    def test_the_agency_collected_half_on_30_april(self):
        """On 30/04 only W was handed over: 5 000 / 10 000 = 50 %, and a file
        half collected has no time to cash yet."""
        lines = self._lines(date(2026, 4, 30))
        self.assertEqual(list(lines), ["agency"])
        self.assertAlmostEqual(lines["agency"]["route_rate"], 50.0, places=4)
        self.assertEqual((lines["agency"]["paid_count"], lines["agency"]["cash_days"]), (0, 0.0))

    def test_on_the_dashboard_of_its_company_only(self):
        Dashboard = self.env["fr.dunning.dashboard"].with_user(self.dunning_user)
        dashboard = Dashboard.create(Dashboard._figures(self.company, date(2026, 11, 23)))
        self.assertRecordValues(
            dashboard.route_line_ids,
            [
                {"route": "amicable", "handed_amount": 2800.0, "collected_amount": 2000.0, "paid_count": 1},
                {"route": "injunction", "handed_amount": 3000.0, "collected_amount": 3000.0, "paid_count": 1},
                {"route": "agency", "handed_amount": 11000.0, "collected_amount": 5000.0, "paid_count": 0},
            ],
        )
        company_2 = self.setup_other_company(name="Seconde Société SAS")["company"]
        self.assertFalse(self.env["fr.dunning.dashboard"]._route_lines(company_2, date(2026, 11, 23)))

    def test_refused_without_the_dunning_groups(self):
        with self.assertRaises(AccessError):
            self._lines(date(2026, 11, 23), user=self.billing_user)
