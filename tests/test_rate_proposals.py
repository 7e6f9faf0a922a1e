# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The semester's rates proposed from the ECB and confirmed by a manager.

The ECB is a local HTTP server answering with the reconstructed daily series
(tests/data/README.md); "offline" is a closed local port. The shipped 2025 S2
rates are removed so that the semester is to enter, as on 2 July 2025.

Rates (shared/legal-rates.csv): 2025 S1 ECB 3.15 %, 2025 S2 ECB 2.15 %, taux
de l'intérêt légal 2.76 % (other cases) and 6.65 % (creditor an individual).
"""

import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import format_date

from odoo.addons.fr_dunning_addon.models.fr_dunning_ecb_data import ECB_PAGE
from odoo.addons.fr_dunning_addon.models.fr_dunning_legal_rate_proposal import ECB_URL_PARAM

from .common import TODAY, FrDunningCase

DAILY = (
    Path(__file__).parent / "data" / "ecb_fm_d_mrr_fr_2024-06-01_2026-01-02_reconstructed.json"
).read_text()
S2_2025 = date(2025, 7, 1)


class _EcbHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        status, body = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _lines(result):
    return [
        (line["date_from"], line["date_to"], line["days"], line["annual_rate"], line["amount"])
        for line in result["lines"]
    ]


class TestRateProposals(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.company_2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
            cls.c2_manager = new_test_user(
                cls.env,
                login="fr_dunning_rates_c2_manager",
                groups="fr_dunning_addon.group_fr_dunning_manager",
                company_id=cls.company_2.id,
                company_ids=[cls.company_2.id],
            )
        cls.ecb = ThreadingHTTPServer(("127.0.0.1", 0), _EcbHandler)
        cls.ecb.paths = []
        cls.ecb.answer = (200, DAILY)
        threading.Thread(target=cls.ecb.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.ecb.server_close)
        cls.addClassCleanup(cls.ecb.shutdown)

    def setUp(self):
        super().setUp()
        self.ecb.paths.clear()
        self.ecb.answer = (200, DAILY)
        self._ecb_at(f"http://127.0.0.1:{self.ecb.server_address[1]}/service/data")
        self.Rate = self.env["fr.dunning.legal.rate"]
        self.Proposal = self.env["fr.dunning.legal.rate.proposal"]
        self.Rate.search([("date_start", "=", S2_2025)]).unlink()

    def _ecb_at(self, url):
        self.env["ir.config_parameter"].sudo().set_param(ECB_URL_PARAM, url)

    def _fetch(self, user=None):
        return self.Rate.with_user(user or self.dunning_manager).action_fr_dunning_fetch_ecb()

    def _cron(self):
        self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_propose_rates").method_direct_trigger()

    def _proposals(self, company=None):
        return self.Proposal.search([("company_id", "=", (company or self.company).id)])

    # ------------------------------------------------------------------
    # Proposed, then confirmed
    # ------------------------------------------------------------------

    @freeze_time("2025-07-20")
    def test_proposal_changes_no_penalty_until_confirmed(self):
        # 1 000 excl. VAT + 20 % = 1 200, due 01/06/2025, on 20/07/2025.
        # 2025 S1: 02/06-30/06, 29 days at 3.15 + 10 = 13.15 %: 1 200 x 13.15 % x 29 / 365 = 12.54.
        invoice = self._invoice(self.business, "2025-05-02", "2025-06-01", 1000.0, taxes=self.tax_20)
        before = invoice.compute_fr_late_penalties(strict=False)[invoice.id]
        self.assertEqual(_lines(before), [(date(2025, 6, 2), date(2025, 6, 30), 29, 13.15, 12.54)])
        self.assertEqual(before["rates_missing_from"], S2_2025)

        action = self._fetch()
        proposal = self.Proposal.browse(action["res_id"])
        self.assertRecordValues(
            proposal,
            [
                {
                    "name": "2025 S2",
                    "company_id": self.company.id,
                    "date_start": S2_2025,
                    "state": "proposed",
                    "ecb_rate": 2.15,  # in force since 11/06/2025
                    "ecb_observation_date": S2_2025,
                    "b2b_default_rate": 12.15,
                    "legal_rate_other": 0.0,
                    "rate_id": False,
                }
            ],
        )
        asked = (
            "/service/data/FM/D.U2.EUR.4F.KR.MRR_FR.LEV"
            "?startPeriod=2024-06-30&endPeriod=2025-07-01&format=jsondata&detail=dataonly"
        )
        self.assertEqual(self.ecb.paths, [asked])
        self.assertTrue(proposal.ecb_source_url.endswith(self.ecb.paths[0]))
        self.assertIn("legifrance.gouv.fr", proposal.legal_source_url)

        # Proposed, not confirmed: the engine, the letters and billing see no rate.
        self.assertEqual(invoice.compute_fr_late_penalties(strict=False)[invoice.id], before)
        with self.assertRaisesRegex(UserError, "2025 S2 are missing"):
            invoice.compute_fr_late_penalties()
        self.assertFalse(self.Rate.search_count([("date_start", "=", S2_2025)]))

        mine = proposal.with_user(self.dunning_manager)
        with self.assertRaisesRegex(UserError, "Enter the two taux"):
            mine.action_confirm()
        mine.write({"legal_rate_other": 2.76, "legal_rate_individual": 6.65})
        mine.action_confirm()
        rate = self.Rate.search([("date_start", "=", S2_2025)])
        self.assertRecordValues(
            rate,
            [
                {
                    "ecb_rate": 2.15,
                    "legal_rate_other": 2.76,
                    "legal_rate_individual": 6.65,
                    "ecb_observation_date": S2_2025,
                    "ecb_source_url": proposal.ecb_source_url,
                    "legal_source_url": proposal.legal_source_url,
                }
            ],
        )
        self.assertRecordValues(
            proposal, [{"state": "confirmed", "rate_id": rate.id, "confirmed_by_id": self.dunning_manager.id}]
        )
        self.assertIn("confirmed by", rate.message_ids[0].body)
        # Confirmed: 2025 S2, 01/07-20/07, 20 days at 2.15 + 10 = 12.15 %:
        # 1 200 x 12.15 % x 20 / 365 = 7.99; with 2025 S1, 20.53.
        after = invoice.compute_fr_late_penalties()[invoice.id]
        self.assertEqual(
            _lines(after),
            [
                (date(2025, 6, 2), date(2025, 6, 30), 29, 13.15, 12.54),
                (date(2025, 7, 1), date(2025, 7, 20), 20, 12.15, 7.99),
            ],
        )
        self.assertAlmostEqual(after["interest"], 20.53, places=2)
        # Recorded now: nothing more to fetch, and the proposal is no longer edited.
        with self.assertRaisesRegex(UserError, "already recorded"):
            self._fetch()
        with self.assertRaises(UserError):
            mine.write({"legal_rate_other": 9.0})
        self.assertEqual(len(self.ecb.paths), 1)

    @freeze_time("2025-07-20")
    def test_fetch_twice_opens_the_same_proposal(self):
        first = self._fetch()["res_id"]
        self.assertEqual(self._fetch()["res_id"], first)
        self.assertEqual(len(self.ecb.paths), 1, "the ECB is asked once")
        # Cancelled by the manager: a new fetch proposes again.
        self.Proposal.browse(first).with_user(self.dunning_manager).action_cancel()
        second = self._fetch()["res_id"]
        self.assertNotEqual(second, first)
        self.assertEqual(self._proposals().mapped("state"), ["proposed", "cancelled"])

    @freeze_time("2025-07-20")
    def test_rates_typed_by_hand_close_the_proposal(self):
        proposal = self.Proposal.browse(self._fetch()["res_id"])
        self.Rate.with_user(self.dunning_manager).create(
            {"date_start": S2_2025, "ecb_rate": 2.15, "legal_rate_other": 2.76, "legal_rate_individual": 6.65}
        )
        self.assertEqual(proposal.state, "cancelled")
        self.assertFalse(proposal.activity_ids)
        with self.assertRaises(UserError):
            proposal.with_user(self.dunning_manager).action_confirm()

    # ------------------------------------------------------------------
    # Offline: what to enter by hand, and where
    # ------------------------------------------------------------------

    @freeze_time("2025-07-20")
    def test_offline_says_what_to_enter_by_hand(self):
        self._ecb_at(f"http://127.0.0.1:{_closed_port()}/service/data")
        with self.assertRaises(UserError) as caught:
            self._fetch()
        message = str(caught.exception)
        for expected in (
            "The ECB's rate of 2025 S2 could not be read",
            "cannot be reached",
            "Enter the rates of 2025 S2 by hand in",
            "Legal rates",  # the menu's path
            f"in force on {format_date(self.env, S2_2025)}",
            ECB_PAGE,
            "legifrance.gouv.fr",
            "taux de l'intérêt légal",
        ):
            self.assertIn(expected, message)
        self.assertFalse(self._proposals())
        # The ECB's own address, as shipped: this machine reaches no outside server.
        self.env["ir.config_parameter"].sudo().set_param(ECB_URL_PARAM, False)
        with self.assertRaisesRegex(UserError, "cannot be reached"):
            self._fetch()

    @freeze_time("2025-07-20")
    def test_answers_that_give_no_rate(self):
        self._ecb_at(f"http://127.0.0.1:{self.ecb.server_address[1]}/service/data")
        no_rate = f"holds no rate in force on {format_date(self.env, S2_2025)}"
        for answer, reason in (
            ((503, "Service Unavailable"), "answered with the error 503"),
            ((404, "No results found."), no_rate),
            ((200, ""), no_rate),
            ((200, DAILY[: len(DAILY) // 3]), "answer cannot be read"),
        ):
            self.ecb.answer = answer
            with self.subTest(status=answer[0]), self.assertRaisesRegex(UserError, reason):
                self._fetch()
        self.assertFalse(self._proposals())

    # ------------------------------------------------------------------
    # Who may fetch and confirm
    # ------------------------------------------------------------------

    @freeze_time("2025-07-20")
    def test_access_refused(self):
        with self.assertRaises(AccessError):
            self._fetch(self.dunning_user)
        proposal = self.Proposal.browse(self._fetch()["res_id"])
        proposal.with_user(self.dunning_manager).write(
            {"legal_rate_other": 2.76, "legal_rate_individual": 6.65}
        )
        # A dunning user who is not a manager: no proposal to read, none to confirm.
        for user in (self.dunning_user, self.c2_manager):
            with self.subTest(user=user.login):
                theirs = proposal.with_user(user)
                for method in (theirs.action_confirm, theirs.action_cancel):
                    with self.assertRaises(AccessError):
                        method()
                with self.assertRaises(AccessError):
                    theirs.read(["ecb_rate"])
        # Another company's manager does not see it.
        self.assertFalse(self.Proposal.with_user(self.c2_manager).search([("id", "=", proposal.id)]))
        # The manager types the legal rates; what the ECB said and the state are the flows'.
        mine = proposal.with_user(self.dunning_manager)
        for vals in (
            {"ecb_rate": 4.0},
            {"ecb_observation_date": date(2025, 7, 15)},
            {"ecb_source_url": "https://example.com"},
            {"state": "confirmed"},
            {"date_start": date(2026, 1, 1)},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                mine.write(vals)
        with self.assertRaises(AccessError):
            self.Proposal.with_user(self.dunning_manager).create(
                {"date_start": S2_2025, "ecb_rate": 9.0, "company_id": self.company.id}
            )
        with self.assertRaises(AccessError):
            mine.unlink()
        self.assertRecordValues(proposal, [{"state": "proposed", "ecb_rate": 2.15}])
        self.assertFalse(self.Rate.search_count([("date_start", "=", S2_2025)]))

    # ------------------------------------------------------------------
    # The twice-yearly cron
    # ------------------------------------------------------------------

    @freeze_time("2025-07-02 05:00:00")
    def test_cron_proposes_once_and_gives_a_todo(self):
        self._cron()
        proposal = self._proposals()
        self.assertRecordValues(
            proposal, [{"state": "proposed", "ecb_rate": 2.15, "ecb_observation_date": S2_2025}]
        )
        activities = proposal.activity_ids
        self.assertIn(self.dunning_manager, activities.user_id)
        mine = activities.filtered(lambda activity: activity.user_id == self.dunning_manager)
        self.assertRecordValues(
            mine, [{"summary": "Confirm the legal rates of 2025 S2", "date_deadline": date(2025, 7, 2)}]
        )
        self.assertRegex(mine.note, r"in force on .*: 2[.,]15 %")
        # The other company's manager gets a proposal of their own company.
        other = self._proposals(self.company_2)
        self.assertEqual(other.activity_ids.user_id, self.c2_manager)
        counted = self.Proposal.search_count([])
        # Idempotent: a second run proposes nothing new, gives no second to-do,
        # and does not even ask the ECB.
        self.assertEqual(len(self.ecb.paths), 1)
        self._cron()
        self.assertEqual(self.Proposal.search_count([]), counted)
        self.assertEqual(proposal.activity_ids, activities)
        self.assertEqual(len(self.ecb.paths), 1)
        # Cancelled by a manager: the cron respects it.
        proposal.with_user(self.dunning_manager).action_cancel()
        self._cron()
        self.assertEqual(self._proposals().mapped("state"), ["cancelled"])

    @freeze_time("2025-07-02 05:00:00")
    def test_confirming_closes_the_other_companies_proposals(self):
        self._cron()
        proposal, other = self._proposals(), self._proposals(self.company_2)
        self.assertEqual(other.state, "proposed")
        mine = proposal.with_user(self.dunning_manager)
        mine.write({"legal_rate_other": 2.76, "legal_rate_individual": 6.65})
        mine.action_confirm()
        self.assertFalse(proposal.activity_ids, "the to-do is done")
        self.assertEqual(other.state, "cancelled")
        self.assertFalse(other.activity_ids)
        self.assertEqual(self.Rate.search([("date_start", "=", S2_2025)]).ecb_rate, 2.15)

    @freeze_time("2025-07-02 05:00:00")
    def test_cron_offline(self):
        self._ecb_at(f"http://127.0.0.1:{_closed_port()}/service/data")
        with self.assertLogs(
            "odoo.addons.fr_dunning_addon.models.fr_dunning_legal_rate_proposal", "WARNING"
        ) as logs:
            self._cron()
        self.assertIn("Legal rates of 2025 S2 not proposed", logs.output[0])
        self.assertFalse(self.Proposal.search_count([]))
        # The daily check of missing rates still reminds the managers, and says where to look.
        self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_check_rates").method_direct_trigger()
        reminder = self.env["mail.activity"].search(
            [("res_model", "=", "fr.dunning.legal.rate"), ("user_id", "=", self.dunning_manager.id)]
        )
        self.assertEqual(reminder.summary, "Enter the legal rates of 2025 S2")
        self.assertIn(ECB_PAGE, reminder.note)
        self.assertIn("legifrance.gouv.fr", reminder.note)
