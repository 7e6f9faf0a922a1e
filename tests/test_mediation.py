# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mediation before court: a mediation that ends in a payment plan or a
promise, the conciliator's three months, the route chooser of CPC 750-1, and
the consumer mediator the letters name (Code de la consommation L616-1)."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .test_court_deadlines import CourtCase


class TestMediation(CourtCase):
    @freeze_time("2026-03-30")
    def test_mediation_ends_in_a_payment_plan(self):
        litigation = self._litigation(self.business, 3000.0, route="mediation", due="2026-01-31")
        self.assertEqual(
            litigation.mediation_kind, "enterprises", "a business: the Médiateur des entreprises"
        )
        self.assertIn("Médiateur des entreprises", litigation.amicable_advice)
        invoice = litigation.move_ids
        self.assertEqual(invoice.fr_dunning_blocked, "litigation")
        self._step(litigation, "md_referral", date(2026, 3, 2), court="Médiateur des entreprises")
        self._step(litigation, "md_meeting", date(2026, 3, 16), next_date=date(2026, 3, 30))
        self.assertEqual(self._open_activities(litigation).mapped("date_deadline"), [date(2026, 3, 30)])
        action = self._step(
            litigation,
            "md_agreement",
            date(2026, 3, 30),
            agreement="plan",
            instalment_count=3,
            first_date=date(2026, 4, 30),
            interval_months=1,
        )
        # 3 000,00 EUR in three monthly instalments of 1 000,00 EUR from 30/04/2026.
        plan = self.env["fr.dunning.payment.plan"].browse(action["res_id"])
        self.assertRecordValues(plan, [{"state": "open", "total": 3000.0, "partner_id": self.business.id}])
        self.assertRecordValues(
            plan.line_ids,
            [
                {"date": date(2026, 4, 30), "amount": 1000.0},
                {"date": date(2026, 5, 30), "amount": 1000.0},
                {"date": date(2026, 6, 30), "amount": 1000.0},
            ],
        )
        self.assertEqual(plan.move_ids, invoice)
        # The mediation is over: the invoices follow the plan now.
        self.assertRecordValues(litigation, [{"state": "closed", "outcome": "agreement"}])
        self.assertEqual(invoice.fr_dunning_blocked, "payment_plan")
        self.assertEqual(self._steps(litigation, "md_agreement").plan_id, plan)
        self.assertFalse(litigation.activity_ids, "the meeting's to-do is done")
        # Each step is an event of the history.
        events = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        for step in litigation.step_ids:
            self.assertIn(step.event_id, events)

    @freeze_time("2026-01-05")
    def test_conciliation_three_months_then_a_promise(self):
        litigation = self._litigation(self.consumer, 800.0, route="mediation")
        self.assertEqual(litigation.mediation_kind, "conciliator", "a consumer: a conciliateur de justice")
        self._step(litigation, "md_referral", date(2026, 1, 5), court="Conciliateur de justice de Lille")
        # CPC 750-1 3°: no first meeting within three months of 05/01/2026 =
        # 05/04/2026, Easter Sunday; Easter Monday 06/04 -> 07/04/2026 (CPC 642).
        self.assertEqual(self._open_activities(litigation).mapped("date_deadline"), [date(2026, 4, 7)])
        with freeze_time("2026-02-10"):
            action = self._step(
                litigation,
                "md_agreement",
                date(2026, 2, 10),
                agreement="promise",
                promise_date=date(2026, 3, 15),
            )
            promise = self.env["fr.dunning.promise"].browse(action["res_id"])
            self.assertRecordValues(
                promise,
                [
                    {
                        "state": "open",
                        "amount": 800.0,
                        "promise_date": date(2026, 3, 15),
                        "move_ids": litigation.move_ids.ids,
                    }
                ],
            )
            self.assertEqual(litigation.move_ids.fr_dunning_blocked, "promise")
            self.assertFalse(litigation.activity_ids)

    @freeze_time("2026-02-10")
    def test_failed_mediation_proves_the_attempt(self):
        mediation = self._litigation(self.consumer, 4999.99, route="mediation")
        self._step(mediation, "md_referral", date(2026, 1, 12))
        self._step(mediation, "md_failure", date(2026, 2, 10), note="Pas d'accord sur l'échéancier")
        self.assertRecordValues(mediation, [{"state": "closed", "outcome": "no_agreement"}])
        failure = self._steps(mediation, "md_failure").event_id
        merits = (
            self.env["fr.dunning.litigation"]
            .with_user(self.dunning_manager)
            .create(
                {
                    "partner_id": self.consumer.id,
                    "move_ids": [Command.set(mediation.move_ids.ids)],
                    "route": "merits",
                    "amicable_proof_event_id": failure.id,
                }
            )
        )
        self.assertTrue(merits.amicable_required)
        # Another customer's event is no proof.
        other = self._litigation(self.business, 100.0, route="mediation")
        self._step(other, "md_failure", date(2026, 2, 10))
        with self.assertRaisesRegex(ValidationError, "customer"):
            self._litigation(
                self.consumer,
                300.0,
                route="merits",
                amicable_proof_event_id=self._steps(other, "md_failure").event_id.id,
            )


class TestRouteChooser(CourtCase):
    @freeze_time("2026-02-10")
    def test_prior_amicable_attempt_before_the_tribunal_judiciaire(self):
        """CPC 750-1, to the cent, for a consumer (tribunal judiciaire)."""
        for amount, required in ((4999.99, True), (5000.00, True), (5000.01, False)):
            for route in ("merits", "summary"):
                with self.subTest(amount=amount, route=route):
                    if required:
                        with self.assertRaisesRegex(ValidationError, "750-1"):
                            self._litigation(self.consumer, amount, route=route)
                        litigation = self._litigation(
                            self.consumer, amount, route=route, amicable_exemption="conciliator_unavailable"
                        )
                        self.assertIn("inadmissible", litigation.amicable_advice)
                    else:
                        litigation = self._litigation(self.consumer, amount, route=route)
                        self.assertIn("no prior amicable attempt is required", litigation.amicable_advice)
                    self.assertEqual(litigation.amicable_required, required)
                    self.assertEqual(litigation.court, "judiciaire")
        # An order for payment is not concerned.
        injunction = self._litigation(self.consumer, 4999.99, route="injunction")
        self.assertFalse(injunction.amicable_required)
        self.assertIn("needs no prior amicable attempt", injunction.amicable_advice)
        # Nor an action before the tribunal de commerce.
        business = self._litigation(self.business, 4999.99, route="merits")
        self.assertFalse(business.amicable_required)
        self.assertEqual(business.court, "commerce")
        # A document proves the attempt as well as an event.
        with_document = self._litigation(
            self.consumer,
            2000.0,
            route="merits",
            amicable_proof_document=b"JVBERi0xLjQ=",
            amicable_proof_name="pv.pdf",
        )
        self.assertTrue(with_document.amicable_required)

    @freeze_time("2026-02-10")
    def test_a_manager_ceiling_corrected_as_data(self):
        """If a decree moves the 750-1 ceiling, a manager corrects it: the
        chooser follows."""
        rule = self.env["fr.dunning.court.rule"].search(
            [("company_id", "=", self.company.id), ("code", "=", "amicable_ceiling")]
        )
        self.assertRecordValues(rule, [{"amount": 5000.0, "article": "CPC 750-1"}])
        rule.with_user(self.dunning_manager).amount = 6000.0
        with self.assertRaisesRegex(ValidationError, "750-1"):
            self._litigation(self.consumer, 5500.0, route="merits")


class TestConsumerMediatorInLetters(CourtCase):
    @freeze_time("2026-11-23")
    def test_last_two_tiers_to_consumers_name_the_mediator(self):
        self.company.write(
            {
                "fr_dunning_consumer_mediator": "CM2C - Centre de la Médiation de la Consommation",
                "fr_dunning_consumer_mediator_url": "www.cm2c.net",
            }
        )
        policy = self.env["fr.dunning.policy"].search(
            [("company_id", "=", self.company.id), ("assignment", "=", "default")]
        )
        level = policy.level_ids[:1]
        for partner in (self.consumer, self.business):
            self._invoice(partner, "2026-08-24", "2026-09-23", 300.0)
        for partner, tier, named in (
            (self.consumer, "1", False),
            (self.consumer, "2", True),
            (self.consumer, "3", True),
            (self.business, "2", False),
            (self.business, "3", False),
        ):
            with self.subTest(partner=partner.name, tier=tier):
                moves = self.env["account.move"].search(
                    [("partner_id", "=", partner.id), ("move_type", "=", "out_invoice")]
                )
                event = (
                    self.env["fr.dunning.event"]
                    .sudo()
                    .create(
                        {
                            "name": "Relance",
                            "partner_id": partner.id,
                            "move_ids": [(6, 0, moves.ids)],
                            "level_id": level.id,
                            "event_type": "reminder",
                            "channel": "letter",
                            "letter_tier": tier,
                            "currency_id": self.company.currency_id.id,
                            "deadline_date": date(2026, 12, 8),
                        }
                    )
                )
                html = (
                    self.env["ir.actions.report"]
                    ._render_qweb_html("fr_dunning_addon.action_report_dunning_letter", event.ids)[0]
                    .decode()
                )
                self.assertEqual("CM2C - Centre de la Médiation de la Consommation" in html, named)
                self.assertEqual("L616-1" in html, named)


class TestMediationSuspendsPrescription(CourtCase):
    """Code civil 2238: a mediation suspends the prescription; it runs again
    from its end for what was left, and at least six months (2230: the time
    already run is kept)."""

    def test_the_days_left_run_again_from_the_end(self):
        # Between traders, due 15/03/2024: prescribed on 15/03/2029 (L110-4).
        # Mediation from 01/02/2028 to 01/05/2028 (90 days: 29 + 31 + 30).
        # Left on 01/02/2028: 408 days (366 to 01/02/2029, then 28 + 14).
        # 01/05/2028 + 408 days = 13/06/2029, i.e. 15/03/2029 + 90 days;
        # more than six months after 01/05/2028.
        self.assertEqual(
            law.prescription_date(
                date(2024, 3, 15), False, suspensions=[(date(2028, 2, 1), date(2028, 5, 1))]
            ),
            date(2029, 6, 13),
        )

    def test_at_least_six_months_after_the_end(self):
        # A consumer, due 01/01/2026: prescribed on 01/01/2028 (L218-2).
        # Mediation from 01/10/2027 to 15/12/2027: 92 days were left
        # (31 + 30 + 31), which would end on 16/03/2028; six months from
        # 15/12/2027 is 15/06/2028, the later one.
        self.assertEqual(
            law.prescription_date(
                date(2026, 1, 1), True, suspensions=[(date(2027, 10, 1), date(2027, 12, 15))]
            ),
            date(2028, 6, 15),
        )

    def test_under_way_before_the_due_date_or_after_the_end(self):
        # Under way: no date until it ends.
        self.assertIsNone(
            law.prescription_date(date(2026, 1, 1), True, suspensions=[(date(2026, 6, 1), None)])
        )
        # Begun before the due date: the period is suspended from the due
        # date, so all of it is left: 730 days (01/01/2026 to 01/01/2028),
        # counted from 01/03/2026: 29/02/2028 (2028 is a leap year).
        self.assertEqual(
            law.prescription_date(
                date(2026, 1, 1), True, suspensions=[(date(2025, 12, 1), date(2026, 3, 1))]
            ),
            date(2028, 2, 29),
        )
        # Begun after the claim prescribed (01/01/2028): nothing revives it.
        self.assertEqual(
            law.prescription_date(date(2026, 1, 1), True, suspensions=[(date(2028, 1, 2), date(2028, 3, 1))]),
            date(2028, 1, 1),
        )
        # Ended before an acknowledgement (2240) started a new period: no effect.
        self.assertEqual(
            law.prescription_date(
                date(2026, 1, 1), True, date(2026, 9, 1), suspensions=[(date(2026, 2, 1), date(2026, 3, 1))]
            ),
            date(2028, 9, 1),
        )

    @freeze_time("2026-03-30")
    def test_on_the_invoice_from_the_steps(self):
        # Between traders, due 31/01/2026: prescribed on 31/01/2031.
        litigation = self._litigation(self.business, 3000.0, route="mediation", due="2026-01-31")
        invoice = litigation.move_ids
        self.assertEqual(invoice.fr_dunning_prescription_date, date(2031, 1, 31))
        # The referral is the creditor's request alone: it suspends nothing.
        self._step(litigation, "md_referral", date(2026, 3, 2), court="Médiateur des entreprises")
        self.assertRecordValues(
            invoice,
            [{"fr_dunning_prescription_date": date(2031, 1, 31), "fr_dunning_prescription_suspended": False}],
        )
        # The first meeting, 09/03/2026, both parties present: suspended from it.
        self._step(litigation, "md_meeting", date(2026, 3, 9), next_date=date(2026, 3, 30))
        self.assertRecordValues(
            invoice, [{"fr_dunning_prescription_date": False, "fr_dunning_prescription_suspended": True}]
        )
        # Failed on 30/03/2026, after 21 days: 31/01/2031 + 21 days = 21/02/2031.
        self._step(litigation, "md_failure", date(2026, 3, 30))
        self.assertRecordValues(
            invoice,
            [{"fr_dunning_prescription_date": date(2031, 2, 21), "fr_dunning_prescription_suspended": False}],
        )
