# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The action on the merits: the summons, the copy lodged with the registry
or the summons lapses (CPC 754, 857), the hearings, the judgment, its service
and the appeal period (CPC 528, 538, 643), the enforcement; the prescription
interrupted by the summons (Code civil 2241) and that interruption voided by
a lapse or a dismissal (2243). Dates worked by hand from the articles."""

from datetime import date
from types import SimpleNamespace

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .test_court_deadlines import CourtCase


class MeritsCase(CourtCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.belgian = cls.env["res.partner"].create(
            {
                "name": "Brasserie Lambic SA",
                "is_company": True,
                "street": "12 rue Haute",
                "zip": "1000",
                "city": "Bruxelles",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        cls.reunion = cls.env["res.partner"].create(
            {
                "name": "Vanille Bourbon SARL",
                "is_company": True,
                "street": "5 rue de Paris",
                "zip": "97400",
                "city": "Saint-Denis",
                "country_id": cls.env.ref("base.re").id,
            }
        )

    def _merits(self, partner=None, amount=3000.0, due="2025-12-01", **vals):
        return self._litigation(partner or self.business, amount, route="merits", due=due, **vals)

    def _prescription(self, invoice, day):
        invoice.invalidate_recordset(["fr_dunning_prescription_date"])
        self.assertEqual(invoice.fr_dunning_prescription_date, day)

    def _deadlines(self, litigation):
        return self._open_activities(litigation).mapped("date_deadline")


class TestMeritsLaw(MeritsCase):
    """The periods of the action on the merits: pure functions."""

    def test_lodging_counted_back_from_the_hearing(self):
        # The day of the hearing does not count and the whole days before it
        # stay free: 8 days before a hearing on Wednesday 31/07/2024 -> 23/07
        # is the 8th day back, the copy is due on Monday 22/07/2024.
        self.assertEqual(law.period_before(date(2024, 7, 31), 8), date(2024, 7, 22))
        # Tribunal de commerce (CPC 857, 8 days), hearing Thursday 16/04/2026:
        # 16/04 - 9 days = Tuesday 07/04/2026 (Easter Monday is 06/04).
        self.assertEqual(law.period_before(date(2026, 4, 16), 8), date(2026, 4, 7))
        # Tribunal judiciaire (CPC 754, 15 days): 16/04 - 16 days = Tuesday 31/03/2026.
        self.assertEqual(law.period_before(date(2026, 4, 16), 15), date(2026, 3, 31))
        # Hearing Tuesday 14/04/2026 at the tribunal de commerce: 14/04 - 9 days =
        # 05/04, Easter Sunday; brought back over Saturday 04/04 to Friday 03/04/2026.
        self.assertEqual(law.period_before(date(2026, 4, 14), 8), date(2026, 4, 3))
        # The same hearing at the tribunal judiciaire: 14/04 - 16 days = Sunday
        # 29/03/2026 -> Friday 27/03/2026.
        self.assertEqual(law.period_before(date(2026, 4, 14), 15), date(2026, 3, 27))
        self.assertEqual(law.COURT_RULES["merits_lodging_judiciaire"].days, 15)
        self.assertEqual(law.COURT_RULES["merits_lodging_commerce"].days, 8)

    def test_distance_extension_by_the_customer_country(self):
        """CPC 643: one month overseas, two months abroad, the European Union included."""
        self.assertIsNone(law.distance_rule("FR"))
        self.assertIsNone(law.distance_rule(False))
        for code in ("BE", "DE", "ES", "CH"):
            self.assertEqual(law.distance_rule(code), "distance_abroad")
        for code in ("RE", "GP", "NC", "YT"):
            self.assertEqual(law.distance_rule(code), "distance_overseas")
        self.assertEqual(law.COURT_RULES["distance_abroad"].months, 2)
        self.assertEqual(law.COURT_RULES["distance_overseas"].months, 1)

    def test_what_voids_the_summons_interruption(self):
        def steps(**days):
            return {kind: SimpleNamespace(kind=kind, date=day) for kind, day in days.items()}

        summons = date(2026, 3, 2)
        void = law.summons_interruption_void
        self.assertFalse(void(steps(mt_summons=summons), lodged_in_time=False), "no lapse recorded")
        self.assertTrue(void(steps(mt_summons=summons, mt_lapsed=date(2026, 4, 8)), lodged_in_time=False))
        # A lapse the lodging in time contradicts (entered after the night recorded it).
        self.assertFalse(void(steps(mt_summons=summons, mt_lapsed=date(2026, 4, 8)), lodged_in_time=True))
        dismissed = steps(mt_summons=summons, mt_dismissed=date(2026, 5, 28))
        self.assertTrue(void(dismissed, lodged_in_time=True))
        self.assertFalse(void({**dismissed, **steps(mt_appeal=date(2026, 6, 15))}, lodged_in_time=True))
        self.assertFalse(void(steps(mt_dismissed=date(2026, 5, 28)), lodged_in_time=True), "no summons")
        self.assertEqual(law.STEP_ROUTE["mt_summons"], "merits")
        self.assertIn("mt_summons", law.LEGAL_ACTION_STEPS)
        self.assertTrue({"mt_lapsed", "mt_void"} <= set(law.AUTOMATIC_STEPS))
        self.assertNotIn("merits", law.HANDOVER_LEGAL_ACTION_ROUTES)


class TestMeritsSteps(MeritsCase):
    @freeze_time("2026-03-02")
    def test_each_step_in_order_before_the_tribunal_de_commerce(self):
        litigation = self._merits()
        self.assertEqual(litigation.court, "commerce")
        # The hand-over is no legal action: the summons is.
        handover = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("name", "=", "Litigation")]
        )
        self.assertEqual(handover.event_type, "note")
        self._step(
            litigation,
            "mt_summons",
            date(2026, 3, 2),
            next_date=date(2026, 4, 16),
            court="Tribunal de commerce de Lyon",
        )
        # CPC 857: copy lodged by 16/04 - 9 days = 07/04/2026; the hearing on 16/04/2026.
        self.assertEqual(self._deadlines(litigation), [date(2026, 4, 7), date(2026, 4, 16)])
        self.assertIn("<td>Lodge the summons with the registry by</td>", litigation.court_deadlines_html)
        self.assertIn("CPC 857", litigation.court_deadlines_html)
        self.assertEqual(litigation.court_next_deadline, date(2026, 4, 7))
        self.assertEqual(self._steps(litigation, "mt_summons").event_id.event_type, "legal_action")
        with freeze_time("2026-03-10"):
            self._step(litigation, "mt_lodged", date(2026, 3, 10), reference="RG 2026F00123")
            self.assertEqual(self._deadlines(litigation), [date(2026, 4, 16)])
        with freeze_time("2026-04-16"):
            # Adjourned to the day the judgment is given (délibéré).
            self._step(litigation, "mt_hearing", date(2026, 4, 16), next_date=date(2026, 5, 28))
            self.assertEqual(self._deadlines(litigation), [date(2026, 5, 28)])
        with freeze_time("2026-05-28"):
            self._step(litigation, "mt_judgment", date(2026, 5, 28), amount=3000.0, by_default=True)
            # CPC 478: given without the debtor, served within six months:
            # 28/11/2026 is a Saturday -> Monday 30/11/2026 (CPC 642).
            self.assertEqual(self._deadlines(litigation), [date(2026, 11, 30)])
        with freeze_time("2026-06-10"):
            self._step(litigation, "mt_service", date(2026, 6, 10))
            # CPC 528, 538: appeal within one month of the service of 10/06/2026: Friday 10/07/2026.
            self.assertEqual(self._deadlines(litigation), [date(2026, 7, 10)])
            self.assertIn("Appeal period of the judgment ends", litigation.activity_ids.summary)
        with freeze_time("2026-07-13"):
            self._cron()
            self.assertFalse(litigation.court_warning)
            self._step(litigation, "mt_enforcement", date(2026, 7, 13))
            self.assertFalse(litigation.activity_ids)
        self.assertEqual(
            litigation.step_ids.sorted(lambda step: (step.date, step.id)).mapped("kind"),
            ["mt_summons", "mt_lodged", "mt_hearing", "mt_judgment", "mt_service", "mt_enforcement"],
        )
        self.assertEqual(litigation.step_ids.user_id, self.dunning_manager)
        self.assertEqual(
            litigation.step_ids.event_id.filtered(lambda event: event.event_type == "legal_action"),
            self._steps(litigation, "mt_summons").event_id,
        )
        self.assertEqual(self._steps(litigation, "mt_judgment").amount, 3000.0)

    @freeze_time("2026-06-10")
    def test_appeal_period_from_service_by_the_customer_country(self):
        """Service on Wednesday 10/06/2026 (CPC 528, 538, 643):
        in France one month, 10/07/2026 (Friday); in Belgium, abroad, 1 + 2
        months, 10/09/2026 (Thursday); in La Réunion, 1 + 1 months,
        10/08/2026 (Monday)."""
        expected = {
            self.business: (date(2026, 7, 10), "CPC 528, 538"),
            self.belgian: (date(2026, 9, 10), "CPC 528, 538, CPC 643 2°"),
            self.reunion: (date(2026, 8, 10), "CPC 528, 538, CPC 643 1°"),
        }
        for partner, (last, article) in expected.items():
            with self.subTest(customer=partner.name):
                with freeze_time("2026-03-02"):
                    litigation = self._merits(partner)
                    self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=date(2026, 4, 16))
                self._step(litigation, "mt_lodged", date(2026, 3, 10))
                self._step(litigation, "mt_partial", date(2026, 5, 28), amount=2000.0)
                self._step(litigation, "mt_service", date(2026, 6, 10))
                # Partly granted: the debtor's appeal, its distance added,
                # and the company's own, from France: one month, 10/07/2026.
                self.assertEqual(sorted(self._deadlines(litigation)), sorted([last, date(2026, 7, 10)]))
                self.assertIn(f"<td>{article}</td>", litigation.court_deadlines_html)
                self.assertIn(article, "".join(litigation.activity_ids.mapped("note")))
                self._step(litigation, "mt_appeal", date(2026, 6, 10), note="Appel de la débitrice")
                self.assertFalse(litigation.activity_ids, "answered by the appeal")

    def test_no_six_months_to_serve_when_the_summons_reached_the_debtor_in_person(self):
        """CPC 473 al. 2, 478: the debtor absent, but the summons served to
        it in person: the decision is deemed given after both parties were
        heard, and is not void if served after six months. Without that, a
        judgment of 28/05/2026 is served by Monday 30/11/2026 (28/11 is a
        Saturday), a référé order of 16/03/2026 by 16/09/2026."""
        with freeze_time("2026-03-02"):
            merits = self._merits()
            self._step(
                merits, "mt_summons", date(2026, 3, 2), next_date=date(2026, 4, 16), summons_to_person=True
            )
            summary = self._litigation(self.consumer, 2000.0, route="summary", amicable_exemption="urgency")
            self._step(
                summary, "rp_summons", date(2026, 3, 2), next_date=date(2026, 3, 16), summons_to_person=True
            )
        self.assertTrue(self._steps(merits, "mt_summons").to_person)
        self._step(merits, "mt_lodged", date(2026, 3, 10))
        with freeze_time("2026-05-28"):
            self._step(merits, "mt_judgment", date(2026, 5, 28), amount=3000.0, by_default=True)
            self._step(summary, "rp_order", date(2026, 3, 16), by_default=True)
        self.assertEqual(self._deadlines(merits), [])
        self.assertEqual(self._deadlines(summary), [])
        with freeze_time("2026-12-01"):
            self._cron()
        self.assertFalse(self._steps(merits, "mt_void"))
        self.assertFalse(self._steps(summary, "rp_void"))
        # The wizard's box is for summonses: a service's "to the person" is its own.
        with freeze_time("2026-12-01"):
            self._step(summary, "rp_service", date(2026, 12, 1), to_person=False, summons_to_person=True)
        self.assertFalse(self._steps(summary, "rp_service").to_person)

    def test_the_step_wizard_lists_the_steps_in_the_reader_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        Wizard = self.env["fr.dunning.litigation.step.wizard"].with_user(self.dunning_manager)
        french = dict(Wizard.with_context(lang="fr_FR").fields_get(["kind"])["kind"]["selection"])
        self.assertEqual(french["mt_summons"], "Assignation au fond signifiée")
        self.assertEqual(
            french["sc_agreement"], "Accord du débiteur pour participer (constaté par le commissaire)"
        )
        english = dict(Wizard.with_context(lang="en_US").fields_get(["kind"])["kind"]["selection"])
        self.assertEqual(english["mt_summons"], "Summons served (assignation au fond)")
        self.assertNotIn("mt_lapsed", french, "recorded by the night only")

    def test_the_company_appeals_a_dismissal_within_one_month_wherever_the_debtor_lives(self):
        """A claim dismissed, the judgment served on Wednesday 10/06/2026:
        the appellant is the company, in France, so one month (CPC 528, 538)
        without CPC 643's extension, which follows the appellant's residence
        (Cass. 2e civ., 11/04/2019): 10/07/2026 even against a Belgian
        customer, not 10/09/2026."""
        with freeze_time("2026-03-02"):
            litigation = self._merits(self.belgian)
            self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=date(2026, 4, 16))
        self._step(litigation, "mt_lodged", date(2026, 3, 10))
        self._step(litigation, "mt_dismissed", date(2026, 5, 28))
        self._step(litigation, "mt_service", date(2026, 6, 10))
        self.assertEqual(self._deadlines(litigation), [date(2026, 7, 10)])
        self.assertNotIn("CPC 643", litigation.court_deadlines_html)
        self.assertIn("Code civil 2243", litigation.activity_ids.note)
        self.assertNotIn("enforce", litigation.activity_ids.note)

    @freeze_time("2026-03-02")
    def test_summons_lapses_by_the_night_when_not_lodged(self):
        litigation = self._merits()
        invoice = litigation.move_ids
        self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=date(2026, 4, 16))
        # Nobody records the lapse by hand, not even a manager.
        with self.assertRaises(ValidationError):
            self._step(litigation, "mt_lapsed", date(2026, 3, 2))
        # A dunning user who is not a manager records nothing.
        with self.assertRaises(AccessError):
            self._step(litigation, "mt_lodged", date(2026, 3, 2), user=self.dunning_user)
        # The last day to lodge, Tuesday 07/04/2026, still counts.
        with freeze_time("2026-04-07"):
            self._cron()
            self.assertFalse(self._steps(litigation, "mt_lapsed"))
        with freeze_time("2026-04-08"):
            self._cron()
            self._cron()
            lapsed = self._steps(litigation, "mt_lapsed")
            self.assertRecordValues(lapsed, [{"date": date(2026, 4, 8), "automatic": True, "user_id": False}])
            self.assertRecordValues(lapsed.event_id, [{"is_automatic": True, "user_id": False}])
            self.assertIn("CPC 857", litigation.court_warning)
            self.assertIn("2243", litigation.court_warning)
            # The lodging and hearing to-dos closed; the responsible warned once.
            self.assertRecordValues(
                self._open_activities(litigation),
                [{"date_deadline": date(2026, 4, 8), "user_id": self.dunning_manager.id}],
            )
            self.assertIn("CPC 857", litigation.activity_ids.summary)
            # The interruption is void: the invoice prescribes 5 years after its due date.
            self._prescription(invoice, date(2030, 12, 1))
            # A new summons needs a new litigation.
            with self.assertRaises(UserError):
                self._step(litigation, "mt_summons", date(2026, 4, 8), next_date=date(2026, 6, 4))

    @freeze_time("2026-03-30")
    def test_copy_lodged_late_at_the_tribunal_judiciaire(self):
        # A consumer, 6 000 EUR: the tribunal judiciaire, no prior attempt (CPC 750-1).
        litigation = self._merits(self.consumer, 6000.0)
        self.assertEqual(litigation.court, "judiciaire")
        self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=date(2026, 4, 14))
        # CPC 754: 14/04 - 16 days = Sunday 29/03/2026 -> Friday 27/03/2026,
        # already passed: the litigation warns at once, the night records the lapse.
        self.assertIn("CPC 754", litigation.court_warning)
        self.assertFalse(self._steps(litigation, "mt_lapsed"))
        # Entering the copy lodged on 30/03/2026 changes nothing: too late.
        self._step(litigation, "mt_lodged", date(2026, 3, 30))
        self.assertIn("CPC 754", litigation.court_warning)
        self._cron()
        self.assertRecordValues(
            self._steps(litigation, "mt_lapsed"), [{"date": date(2026, 3, 30), "automatic": True}]
        )

    @freeze_time("2026-03-20")
    def test_lapse_contradicted_by_a_copy_lodged_in_time(self):
        # The copy was lodged on 05/03/2026 but entered after the night
        # recorded the lapse: lodged in time, the summons stands.
        litigation = self._merits(due="2024-03-15")
        invoice = litigation.move_ids
        self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=date(2026, 3, 19))
        # 19/03 - 9 days = Tuesday 10/03/2026, passed: the night records the lapse.
        self._cron()
        self.assertTrue(self._steps(litigation, "mt_lapsed"))
        self._prescription(invoice, date(2029, 3, 15))
        self._step(litigation, "mt_lodged", date(2026, 3, 5))
        self.assertFalse(litigation.court_warning)
        self._prescription(invoice, date(2031, 3, 2))

    @freeze_time("2026-11-30")
    def test_past_steps_entered_one_by_one(self):
        # A procedure entered after the fact: the summons of 03/09/2026 for a
        # hearing on Wednesday 21/10/2026 (copy due 21/10 - 9 days = Monday
        # 12/10/2026), then the copy lodged on 07/09/2026. Between the two
        # the litigation warns, and no lapse is recorded: the night would
        # have found the copy.
        litigation = self._merits(due="2026-05-31")
        self._step(litigation, "mt_summons", date(2026, 9, 3), next_date=date(2026, 10, 21))
        self.assertIn("CPC 857", litigation.court_warning)
        self._step(litigation, "mt_lodged", date(2026, 9, 7))
        self._cron()
        self.assertFalse(self._steps(litigation, "mt_lapsed"))
        self.assertFalse(litigation.court_warning)

    @freeze_time("2026-03-02")
    def test_a_summons_names_its_hearing(self):
        litigation = self._merits()
        for next_date in (False, date(2026, 3, 2)):
            with self.subTest(next_date=next_date), self.assertRaises(ValidationError):
                self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=next_date)
        # Nor a step of another route.
        with self.assertRaises(ValidationError):
            self._step(litigation, "rp_summons", date(2026, 3, 2), next_date=date(2026, 4, 16))
        self.assertFalse(litigation.step_ids)
        labels = dict(
            self.env["fr.dunning.litigation.step.wizard"]
            .with_context(fr_dunning_route="merits")
            ._selection_kind()
        )
        self.assertIn("mt_summons", labels)
        self.assertIn("correction", labels)
        self.assertFalse({"mt_lapsed", "mt_void", "rp_summons"} & labels.keys())


class TestMeritsPrescription(MeritsCase):
    """Between traders, an invoice due 15/03/2024 prescribes on 15/03/2029
    (Code de commerce L110-4): 15/03/2024 + 5 years."""

    def test_summons_interrupts_dismissal_voids_appeal_restores(self):
        with freeze_time("2026-03-02"):
            litigation = self._merits(due="2024-03-15")
            invoice = litigation.move_ids
            self._prescription(invoice, date(2029, 3, 15))
            # Code civil 2241, 2231: a new 5-year period from the summons of
            # 02/03/2026: 02/03/2031.
            self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=date(2026, 4, 16))
            self._prescription(invoice, date(2031, 3, 2))
            self._step(litigation, "mt_lodged", date(2026, 3, 2))
        with freeze_time("2026-05-28"):
            self._step(litigation, "mt_dismissed", date(2026, 5, 28))
            # 2243: the claim rejected, the interruption is void: back to 15/03/2029.
            self._prescription(invoice, date(2029, 3, 15))
            self.assertIn("2243", litigation.court_warning)
        with freeze_time("2026-06-15"):
            # The company appeals: the dismissal is not final, the summons interrupts again.
            self._step(litigation, "mt_appeal", date(2026, 6, 15))
            self._prescription(invoice, date(2031, 3, 2))
            self.assertFalse(litigation.court_warning)

    def test_lapse_voids_and_a_correction_no_longer_counts(self):
        with freeze_time("2026-03-06"):
            litigation = self._merits(due="2024-03-15")
            invoice = litigation.move_ids
            # Recorded on 05/03/2026 by mistake, served on 02/03/2026: the
            # correction carries the right day, the wrong one no longer counts.
            self._step(litigation, "mt_summons", date(2026, 3, 5), next_date=date(2026, 4, 16))
            self._prescription(invoice, date(2031, 3, 5))
            wrong = self._steps(litigation, "mt_summons")
            self._step(
                litigation,
                "mt_summons",
                date(2026, 3, 2),
                next_date=date(2026, 4, 16),
                corrected_step_id=wrong.id,
            )
            self.assertFalse(wrong.in_force)
            self._prescription(invoice, date(2031, 3, 2))
        with freeze_time("2026-04-08"):
            # Last day to lodge 07/04/2026, passed: the night's lapse voids it.
            self._cron()
            self.assertTrue(self._steps(litigation, "mt_lapsed").automatic)
            self._prescription(invoice, date(2029, 3, 15))

    def test_summons_on_the_prescription_last_day(self):
        # Code civil 2229: the prescription is acquired once its last day,
        # Thursday 15/03/2029, has passed. A summons served that day starts
        # a new period: 15/03/2034. Served the day after, it revives nothing.
        with freeze_time("2029-03-16"):
            on_time = self._merits(due="2024-03-15")
            late = self._merits(due="2024-03-15")
            self._step(on_time, "mt_summons", date(2029, 3, 15), next_date=date(2029, 4, 26))
            self._step(late, "mt_summons", date(2029, 3, 16), next_date=date(2029, 4, 26))
            self._prescription(on_time.move_ids, date(2034, 3, 15))
            self._prescription(late.move_ids, date(2029, 3, 15))


class TestMeritsTrust(MeritsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intruders("merits")

    @freeze_time("2026-03-02")
    def test_only_a_manager_of_the_company_records_or_sees_the_steps(self):
        litigation = self._merits(due="2024-03-15")
        invoice = litigation.move_ids
        for user in (self.dunning_user, self.c2_manager, self.billing_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=date(2026, 4, 16), user=user)
        with self.assertRaises(AccessError):
            litigation.with_user(self.c2_manager).action_fr_dunning_record_step()
        self.assertFalse(litigation.step_ids)
        self._prescription(invoice, date(2029, 3, 15))
        self._step(litigation, "mt_summons", date(2026, 3, 2), next_date=date(2026, 4, 16))
        step = litigation.step_ids
        # Another company's manager neither sees the step nor its litigation.
        with self.assertRaises(AccessError):
            step.with_user(self.c2_manager).read(["date"])
        with self.assertRaises(AccessError):
            litigation.with_user(self.c2_manager).read(["court_deadlines_html"])
        self.assertFalse(
            self.env["fr.dunning.litigation.step"].with_user(self.c2_manager).search([("id", "=", step.id)])
        )
        # A dunning user reads it, but cannot correct it nor change it.
        self.assertEqual(step.with_user(self.dunning_user).kind, "mt_summons")
        with self.assertRaises(AccessError):
            step.with_user(self.dunning_user).action_fr_dunning_correct()
        with self.assertRaises(UserError):
            step.with_user(self.dunning_manager).write({"date": date(2026, 1, 2)})
        with self.assertRaises(UserError):
            step.event_id.with_user(self.dunning_manager).write({"event_type": "note"})
        self._prescription(invoice, date(2031, 3, 2))
