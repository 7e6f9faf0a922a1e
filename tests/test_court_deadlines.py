# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Court orders and their deadlines: the order for payment, the
référé-provision and the simplified recovery of small claims, worked by hand
from the Code de procédure civile (CPC) and the Code des procédures civiles
d'exécution (CPCE); the steps as evidence; who may record them."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import format_date

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .common import FrDunningCase


class CourtCase(FrDunningCase):
    """Litigations and steps as a dunning manager records them."""

    @classmethod
    def _setup_intruders(cls, prefix):
        """Who may not touch the company's litigation: a dunning manager of a
        second company and a plain billing user of the first."""
        cls.company_2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
        cls.c2_manager = new_test_user(
            cls.env,
            login=f"{prefix}_c2_manager",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=cls.company_2.id,
            company_ids=[cls.company_2.id],
        )
        cls.billing_user = new_test_user(
            cls.env,
            login=f"{prefix}_billing",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _litigation(self, partner, amount, route="injunction", due="2025-12-01", **vals):
        due = fields.Date.to_date(due)
        invoice = self._invoice(partner, due - timedelta(days=30), due, amount)
        return (
            self.env["fr.dunning.litigation"]
            .with_user(self.dunning_manager)
            .create(
                {"partner_id": partner.id, "move_ids": [Command.set(invoice.ids)], "route": route, **vals}
            )
        )

    def _step(self, litigation, kind, day, user=None, **vals):
        wizard = (
            self.env["fr.dunning.litigation.step.wizard"]
            .with_user(user or self.dunning_manager)
            .create({"litigation_id": litigation.id, "kind": kind, "date": day, **vals})
        )
        return wizard.action_record()

    def _steps(self, litigation, kind):
        return litigation.step_ids.filtered(lambda step: step.kind == kind)

    def _open_activities(self, litigation):
        return litigation.activity_ids.sorted("date_deadline")

    def _cron(self):
        self.env["fr.dunning.litigation"]._cron_fr_dunning_court_deadlines()
        self.env.invalidate_all()


class TestCourtLaw(CourtCase):
    """The periods, counted as the code counts them: pure functions."""

    def test_periods_counted_as_the_code_counts_them(self):
        # CPC 641: 15/01/2026 + 6 months = 15/07/2026, a Wednesday.
        self.assertEqual(law.period_end(date(2026, 1, 15), months=6), date(2026, 7, 15))
        # CPC 641: 31/01/2026 + 1 month = 28/02/2026 (no 31 February), a Saturday;
        # CPC 642: extended to Monday 02/03/2026.
        self.assertEqual(law.add_months(date(2026, 1, 31), 1), date(2026, 2, 28))
        self.assertEqual(law.period_end(date(2026, 1, 31), months=1), date(2026, 3, 2))
        # 14/06/2026 + 1 month = 14/07/2026, a public holiday (Tuesday) -> 15/07/2026.
        self.assertEqual(law.period_end(date(2026, 6, 14), months=1), date(2026, 7, 15))
        # Days: the day of the act does not count. 20/03/2026 + 15 days = 04/04/2026,
        # a Saturday; 05/04 is Easter Sunday, 06/04 Easter Monday -> Tuesday 07/04/2026.
        self.assertEqual(law.period_end(date(2026, 3, 20), days=15), date(2026, 4, 7))
        self.assertEqual(law.easter_sunday(2026), date(2026, 4, 5))
        self.assertEqual(law.easter_sunday(2027), date(2027, 3, 28))
        # Ascension (Easter + 39) and Whit Monday (Easter + 50) of 2026.
        self.assertTrue({date(2026, 5, 14), date(2026, 5, 25)} <= law.french_public_holidays(2026))
        self.assertEqual(len(law.french_public_holidays(2026)), 11)

    def test_prior_amicable_attempt_to_the_cent(self):
        """CPC 750-1: a sum 'not exceeding 5 000 EUR', before the tribunal
        judiciaire, on the merits or in référé; not an order for payment."""
        required = law.amicable_attempt_required
        for claim, expected in ((4999.99, True), (5000.00, True), (5000.01, False)):
            with self.subTest(claim=claim):
                self.assertEqual(required("merits", "judiciaire", claim, 5000.0), expected)
                self.assertEqual(required("summary", "judiciaire", claim, 5000.0), expected)
                self.assertFalse(required("injunction", "judiciaire", claim, 5000.0))
                self.assertFalse(required("merits", "commerce", claim, 5000.0))
                self.assertFalse(required("small_claims", "judiciaire", claim, 5000.0))


class TestInjunction(CourtCase):
    @freeze_time("2026-01-20")
    def test_order_not_served_in_time_is_void(self):
        litigation = self._litigation(self.business, 3000.0)
        self._step(
            litigation,
            "ip_request",
            date(2026, 1, 5),
            court="Tribunal de commerce de Lyon",
            reference="IP 2026/0042",
        )
        self.assertFalse(litigation.activity_ids, "a request sets no deadline")
        self._step(litigation, "ip_order", date(2026, 1, 15))
        # CPC 1411: served within six months of 15/01/2026, i.e. by 15/07/2026
        # (a Wednesday: no extension).
        self.assertRecordValues(
            self._open_activities(litigation),
            [{"date_deadline": date(2026, 7, 15), "user_id": self.dunning_manager.id}],
        )
        self.assertIn(format_date(self.env, date(2026, 7, 15)), litigation.activity_ids.summary)
        self.assertEqual(litigation.court_next_deadline, date(2026, 7, 15))
        self.assertIn("CPC 1411", litigation.court_deadlines_html)
        # The table has its own wording, read before a date, and its headers.
        self.assertIn("<td>Serve the order for payment by</td>", litigation.court_deadlines_html)
        self.assertNotIn("serve it within", litigation.court_deadlines_html)
        self.assertIn(
            "<th>Deadline</th><th>Date</th><th>Source</th><th>State</th>", litigation.court_deadlines_html
        )
        # Each step has its event; the request is a legal action (Code civil 2241).
        self.assertEqual(
            litigation.step_ids.sorted("date").event_id.mapped("event_type"), ["legal_action", "note"]
        )
        self.assertRecordValues(
            self._steps(litigation, "ip_request"),
            [{"court": "Tribunal de commerce de Lyon", "reference": "IP 2026/0042"}],
        )
        with freeze_time("2026-07-15"):
            self._cron()
            self.assertFalse(self._steps(litigation, "ip_void"), "the last day still counts")
            self.assertFalse(litigation.court_warning)
        with freeze_time("2026-07-16"):
            self._cron()
            self._cron()
            void = self._steps(litigation, "ip_void")
            self.assertRecordValues(void, [{"date": date(2026, 7, 16), "automatic": True, "user_id": False}])
            self.assertRecordValues(void.event_id, [{"is_automatic": True, "user_id": False}])
            self.assertIn("CPC 1411", litigation.court_warning)
            # The "serve by" to-do is closed; the responsible is warned, once.
            self.assertRecordValues(
                self._open_activities(litigation),
                [{"date_deadline": date(2026, 7, 16), "user_id": self.dunning_manager.id}],
            )
            self.assertIn("CPC 1411", litigation.activity_ids.summary)

    @freeze_time("2026-02-12")
    def test_served_order_opposition_period_and_correction(self):
        litigation = self._litigation(self.business, 3000.0)
        self._step(litigation, "ip_order", date(2026, 1, 15))
        self._step(litigation, "ip_service", date(2026, 2, 10), to_person=False)
        # CPC 1416: opposition within one month of 10/02/2026: 10/03/2026 (Tuesday).
        # The order is of 2026: no formule exécutoire to request (CPC 1423 repealed).
        self.assertRecordValues(self._open_activities(litigation), [{"date_deadline": date(2026, 3, 10)}])
        self.assertIn(format_date(self.env, date(2026, 3, 10)), litigation.activity_ids.summary)
        # Served, not to the person: the opposition stays open (CPC 1416 al. 2).
        self.assertIn("CPC 1416", litigation.court_warning)
        # The service was in fact made to the person: a correction, the wrong
        # step stays as recorded.
        wrong = self._steps(litigation, "ip_service")
        self._step(litigation, "ip_service", date(2026, 2, 10), to_person=True, corrected_step_id=wrong.id)
        self.assertFalse(wrong.in_force)
        self.assertEqual(len(self._steps(litigation, "ip_service")), 2)
        self.assertFalse(litigation.court_warning)
        self.assertRecordValues(self._open_activities(litigation), [{"date_deadline": date(2026, 3, 10)}])
        # No opposition: enforcement; the to-do is done.
        with freeze_time("2026-03-11"):
            self._step(litigation, "ip_enforcement", date(2026, 3, 11))
            self.assertFalse(litigation.activity_ids)

    @freeze_time("2026-02-12")
    def test_closing_the_litigation_closes_its_deadlines(self):
        litigation = self._litigation(self.business, 3000.0)
        self._step(litigation, "ip_order", date(2026, 1, 15))
        self.assertEqual(len(litigation.activity_ids), 1)
        litigation.with_user(self.dunning_manager).write({"outcome": "paid"})
        litigation.with_user(self.dunning_manager).action_close()
        self.assertFalse(litigation.activity_ids)
        with freeze_time("2026-07-16"):
            self._cron()
            self.assertFalse(self._steps(litigation, "ip_void"), "a closed litigation is no longer followed")

    @freeze_time("2022-01-25")
    def test_formule_executoire_window_of_an_order_made_before_2022_03_01(self):
        litigation = self._litigation(self.business, 3000.0, due="2021-11-01")
        self._step(litigation, "ip_request", date(2022, 1, 3))
        self._step(litigation, "ip_order", date(2022, 1, 10))
        self._step(litigation, "ip_service", date(2022, 1, 20), to_person=True)
        # CPC 1416: 20/01/2022 + 1 month = 20/02/2022, a Sunday -> Monday 21/02/2022 (CPC 642).
        # Former CPC 1423: the formule exécutoire within one month after that:
        # 21/02/2022 + 1 month = 21/03/2022 (Monday), or the order is void.
        self.assertEqual(
            self._open_activities(litigation).mapped("date_deadline"), [date(2022, 2, 21), date(2022, 3, 21)]
        )
        self.assertIn("1423", litigation.court_deadlines_html)
        with freeze_time("2022-03-21"):
            self._cron()
            self.assertFalse(self._steps(litigation, "ip_void"))
        with freeze_time("2022-03-22"):
            self._cron()
            self.assertTrue(self._steps(litigation, "ip_void"))
            self.assertIn("1423", litigation.court_warning)

    @freeze_time("2022-01-25")
    def test_formula_requested_in_time_and_rule_corrected_by_a_manager(self):
        litigation = self._litigation(self.business, 3000.0, due="2021-11-01")
        self._step(litigation, "ip_order", date(2022, 1, 10))
        self._step(litigation, "ip_service", date(2022, 1, 20), to_person=True)
        with freeze_time("2022-03-15"):
            self._step(litigation, "ip_formula", date(2022, 3, 15))
        with freeze_time("2022-03-22"):
            self._cron()
            self.assertFalse(self._steps(litigation, "ip_void"))
        # The court rules are data: a dunning user reads them, a manager corrects them.
        rule = self.env["fr.dunning.court.rule"].search(
            [("company_id", "=", self.company.id), ("code", "=", "injunction_formula")]
        )
        self.assertRecordValues(rule, [{"months": 1, "until_date": date(2022, 3, 1)}])
        with self.assertRaises(AccessError):
            rule.with_user(self.dunning_user).write({"until_date": False})
        rule.with_user(self.dunning_manager).write({"until_date": False})
        codes = [d.code for d in litigation._fr_dunning_court_deadlines(date(2022, 3, 22))]
        self.assertNotIn("injunction_formula", codes)


class TestSummaryAndSmallClaims(CourtCase):
    @freeze_time("2026-03-20")
    def test_summary_hearing_service_and_appeal(self):
        litigation = self._litigation(self.consumer, 2000.0, route="summary", amicable_exemption="urgency")
        self._step(litigation, "rp_summons", date(2026, 3, 2), next_date=date(2026, 3, 16))
        self.assertEqual(self._open_activities(litigation).mapped("date_deadline"), [date(2026, 3, 16)])
        self._step(litigation, "rp_order", date(2026, 3, 16), by_default=True)
        # CPC 478: a decision by default served within six months: 16/09/2026 (Wednesday).
        self.assertEqual(self._open_activities(litigation).mapped("date_deadline"), [date(2026, 9, 16)])
        self._step(litigation, "rp_service", date(2026, 3, 20))
        # CPC 490: appeal within 15 days of 20/03/2026 = 04/04/2026, a Saturday;
        # Easter Sunday, then Easter Monday 06/04 -> Tuesday 07/04/2026 (CPC 642).
        self.assertEqual(self._open_activities(litigation).mapped("date_deadline"), [date(2026, 4, 7)])
        self.assertEqual(
            self._steps(litigation, "rp_summons").event_id.event_type, "legal_action", "a summons interrupts"
        )

    @freeze_time("2026-02-02")
    def test_small_claims_without_agreement_within_the_month(self):
        litigation = self._litigation(self.consumer, 1200.0, route="small_claims")
        self._step(litigation, "sc_invitation", date(2026, 2, 2), amount=1200.0)
        # CPCE L125-1: one month from the commissaire's letter of 02/02/2026: 02/03/2026 (Monday).
        self.assertEqual(self._open_activities(litigation).mapped("date_deadline"), [date(2026, 3, 2)])
        with freeze_time("2026-03-03"):
            self._cron()
            failed = self._steps(litigation, "sc_failed")
            self.assertTrue(failed.automatic)
            self.assertIn("750-1", litigation.court_warning)
            # The failure proves the attempt for an action on the merits (CPC 750-1 5°).
            merits = self._litigation(
                self.consumer, 1200.0, route="merits", amicable_proof_event_id=failed.event_id.id
            )
            self.assertTrue(merits.amicable_required)

    @freeze_time("2026-02-02")
    def test_small_claims_agreement_and_title(self):
        litigation = self._litigation(self.business, 800.0, route="small_claims")
        self._step(litigation, "sc_invitation", date(2026, 1, 20))
        self._step(litigation, "sc_agreement", date(2026, 2, 2))
        self.assertFalse(litigation.activity_ids, "agreed within the month")
        self._step(litigation, "sc_title", date(2026, 2, 2), amount=800.0, reference="Titre 2026-17")
        with freeze_time("2026-03-01"):
            self._cron()
            self.assertFalse(self._steps(litigation, "sc_failed"))

    @freeze_time("2026-02-02")
    def test_small_claims_ceiling(self):
        # CPCE R125-1: 5 000 EUR at most, to the cent.
        self._litigation(self.business, 5000.00, route="small_claims")
        with self.assertRaisesRegex(ValidationError, "R125-1"):
            self._litigation(self.business, 5000.01, route="small_claims")


class TestCourtStepsTrust(CourtCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intruders("court")

    @freeze_time("2026-02-12")
    def test_steps_recorded_by_managers_of_the_company_only(self):
        litigation = self._litigation(self.business, 3000.0)
        with self.assertRaises(AccessError):
            self._step(litigation, "ip_order", date(2026, 1, 15), user=self.dunning_user)
        with self.assertRaises(AccessError):
            self._step(litigation, "ip_order", date(2026, 1, 15), user=self.c2_manager)
        with self.assertRaises(AccessError):
            litigation.with_user(self.c2_manager).action_fr_dunning_record_step()
        with self.assertRaises(AccessError):
            litigation.with_user(self.dunning_user).action_fr_dunning_record_step()
        self.assertFalse(litigation.step_ids)
        # A manager's wizard, run by a dunning user: refused too.
        wizard = (
            self.env["fr.dunning.litigation.step.wizard"]
            .with_user(self.dunning_manager)
            .create({"litigation_id": litigation.id, "kind": "ip_order", "date": date(2026, 1, 15)})
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.dunning_user).action_record()
        self.assertFalse(litigation.step_ids)
        # Other companies see neither the steps nor the court rules of this one.
        self._step(litigation, "ip_order", date(2026, 1, 15))
        step = litigation.step_ids
        with self.assertRaises(AccessError):
            step.with_user(self.c2_manager).read(["date"])
        with self.assertRaises(AccessError):
            step.with_user(self.billing_user).read(["date"])
        rules = self.env["fr.dunning.court.rule"].with_user(self.c2_manager).search([])
        self.assertEqual(rules.company_id, self.company_2, "company 2 has its own rules, seeded at creation")
        self.assertEqual(len(rules), len(law.COURT_RULES))

    @freeze_time("2026-02-12")
    def test_recorded_steps_never_changed_nor_deleted(self):
        litigation = self._litigation(self.business, 3000.0)
        self._step(litigation, "ip_order", date(2026, 1, 15))
        step = litigation.step_ids.with_user(self.dunning_manager)
        with self.assertRaises(UserError):
            step.write({"date": date(2026, 1, 16)})
        with self.assertRaises(UserError):
            step.unlink()
        with self.assertRaises(UserError):
            step.event_id.write({"name": "Autre"})
        with self.assertRaises(AccessError):
            self.env["fr.dunning.litigation.step"].with_user(self.dunning_manager).create(
                {"litigation_id": litigation.id, "kind": "ip_order", "date": date(2026, 1, 1)}
            )
        self.assertRecordValues(litigation.step_ids, [{"date": date(2026, 1, 15)}])
        # Nor recorded in the future, nor of another route, nor the nightly check's.
        for kind, day in (
            ("ip_service", date(2026, 2, 13)),
            ("md_referral", date(2026, 2, 1)),
            ("ip_void", date(2026, 2, 1)),
        ):
            with self.subTest(kind=kind), self.assertRaises(ValidationError):
                self._step(litigation, kind, day)
        self.assertEqual(len(litigation.step_ids), 1)
        # A correction is a new step.
        action = litigation.step_ids.with_user(self.dunning_manager).action_fr_dunning_correct()
        self.assertEqual(action["context"]["default_corrected_step_id"], litigation.step_ids.id)

    @freeze_time("2026-02-12")
    def test_litigation_file_lists_the_steps(self):
        litigation = self._litigation(self.business, 3000.0)
        self._step(litigation, "ip_request", date(2026, 1, 5), court="Tribunal de commerce de Lyon")
        self._step(litigation, "ip_order", date(2026, 1, 15), reference="IP 2026/0042")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("fr_dunning_addon.action_report_litigation_statement", self.business.ids)[0]
            .decode()
        )
        self.assertIn("05/01/2026", html)
        self.assertIn("15/01/2026", html)
        self.assertIn("IP 2026/0042", html)
        self.assertIn("Tribunal de commerce de Lyon", html)
