# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the addon refuses, and what its history says: consistency checks,
calls planned and made, the history in the company's language, letters and
postal addresses."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestConsistencyChecks(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business.email = "compta@dupont.example"
        cls.invoice = cls._invoice(cls.business, "2026-10-04", "2026-11-03", 1000.0)

    def _plan(self, invoices):
        plan = self.env["fr.dunning.payment.plan"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoices.ids)],
                "instalment_count": 2,
                "first_date": date(2026, 12, 15),
            }
        )
        plan.action_compute_lines()
        return plan

    def test_two_running_plans_on_one_invoice_refused(self):
        other = self._invoice(self.business, "2026-10-05", "2026-11-04", 500.0)
        self._plan(self.invoice).action_confirm()
        second = self._plan(self.invoice | other)
        with self.assertRaises(ValidationError):
            second.action_confirm()
        # A plan on another invoice runs.
        third = self._plan(other)
        third.action_confirm()
        self.assertEqual(third.state, "open")

    def test_dispute_on_an_invoice_in_a_plan_refused(self):
        """An invoice in a running plan cannot be disputed (the plan is
        cancelled first), so the follow-up's amounts stay a partition: the
        invoice's amount shows "in dispute" once the plan is cancelled."""
        plan = self._plan(self.invoice)
        plan.action_confirm()
        Dispute = self.env["fr.dunning.dispute"]
        vals = {"partner_id": self.business.id, "move_ids": [Command.set(self.invoice.ids)], "note": "Prix"}
        with self.assertRaises(ValidationError):
            Dispute.create(vals)
        plan.action_cancel()
        Dispute.create(vals)
        self.env.flush_all()
        self.assertEqual(self.business.fr_dunning_disputed_amount, 1000.0)
        line = self.env["fr.dunning.customer"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(line, [{"disputed": 1000.0, "in_plan": 0.0}])
        # And the other way round: no plan on a disputed invoice.
        with self.assertRaises(ValidationError):
            self._plan(self.invoice).action_confirm()

    def test_promise_in_the_past_refused(self):
        Promise = self.env["fr.dunning.promise"]
        vals = {"partner_id": self.business.id, "move_ids": [Command.set(self.invoice.ids)], "amount": 100.0}
        with self.assertRaises(ValidationError):
            Promise.create({**vals, "promise_date": date(2026, 11, 22)})
        promise = Promise.create({**vals, "promise_date": date(2026, 11, 23)})
        with self.assertRaises(ValidationError):
            promise.promise_date = date(2026, 11, 1)

    def test_formal_notice_level_after_the_due_date(self):
        policy = self.env["fr.dunning.policy"].search(
            [("company_id", "=", self.company.id), ("assignment", "=", "default")]
        )
        notice = policy.level_ids.filtered(lambda lvl: lvl.tier == "formal_notice")
        other = self.env["fr.dunning.policy"].create({"name": "Test", "company_id": self.company.id})
        for days in (0, -5):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.env["fr.dunning.level"].create(
                    {
                        "name": f"Mise en demeure J{days}",
                        "policy_id": other.id,
                        "offset_days": days,
                        "tier": "formal_notice",
                        "channel_registered": True,
                    }
                )
        with self.assertRaises(ValidationError):
            notice.offset_days = 0

    def test_penalty_rate_ceiling(self):
        with self.assertRaises(ValidationError):
            self.company.fr_dunning_contractual_rate = 250.0
        rates = self.env["fr.dunning.legal.rate"].search([])
        highest = max(rates.mapped("ecb_rate"))
        ceiling = law.plausible_rate_ceiling(highest)
        self.assertEqual(ceiling, 3 * (highest + 10))
        with self.assertRaises(ValidationError):
            self.business.fr_dunning_contractual_rate = ceiling + 0.01
        self.business.fr_dunning_contractual_rate = 15.0
        self.assertEqual(self.business.fr_dunning_contractual_rate, 15.0)


@freeze_time(TODAY)
class TestCallsAndHistory(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        cls.business.email = "compta@dupont.example"
        cls.Escalation = cls.env["fr.dunning.escalation"]
        policy = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        cls.call_level = policy.level_ids.filtered(lambda lvl: lvl.channel_phone and lvl.channel_email)[:1]
        cls.invoice = cls._invoice(cls.business, "2026-10-04", "2026-11-03", 1000.0)

    def _events(self, event_type):
        return self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("event_type", "=", event_type)]
        )

    def _log_call(self, **vals):
        Wizard = self.env["fr.dunning.call.wizard"].with_user(self.dunning_user)
        action = Wizard._open(self.business)
        wizard = Wizard.with_context(action["context"]).create(vals)
        wizard.action_log()
        return self._events("call")

    def test_call_planned_then_made(self):
        self.Escalation._run(
            self.company, today=date(2026, 11, 23), partners=self.business, level=self.call_level
        )
        planned = self._events("call_planned")
        self.assertRecordValues(
            planned, [{"channel": "phone", "outcome": False, "level_id": self.call_level.id}]
        )
        self.assertTrue(planned.name.startswith("Call to make: "))
        self.assertFalse(self._events("call"), "the call is to make, not made")
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.business.id),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_call").id),
            ]
        )
        self.assertEqual(len(activity), 1)
        activity.user_id = self.dunning_user
        made = self._log_call(outcome="no_answer")
        self.assertRecordValues(
            made, [{"channel": "phone", "outcome": "no_answer", "name": "Call: No answer"}]
        )
        self.assertFalse(activity.exists(), "the call to make is done")

    def test_history_in_the_company_language(self):
        """An English-speaking user logs a call for a French company: the
        history reads in French, from the translated terms."""
        self.assertEqual(self.dunning_user.lang, "en_US")
        self.company.partner_id.lang = "fr_FR"
        # A call made, with its outcome.
        self.assertEqual(self._log_call(outcome="no_answer").name, "Appel : Pas de réponse")
        # The call the escalation plans.
        self.Escalation.with_user(self.dunning_user)._run(
            self.company,
            today=date(2026, 11, 23),
            partners=self.business,
            level=self.call_level,
            automatic=False,
        )
        planned = self._events("call_planned")
        self.assertTrue(planned.name.startswith("Appel à passer : "), planned.name)
        # A promise.
        event = self._log_call(outcome="promise", promise_date=date(2026, 12, 4), promise_amount=1000.0)[:1]
        self.assertEqual(event.name, "Appel : Promesse de paiement")
        self.assertIn("promis pour le 04/12/2026", event.note)
        # The wizard shows the outcomes in the user's language.
        field = self.env["fr.dunning.call.wizard"]._fields["outcome"]
        labels = dict(field._description_selection(self.env(context={"lang": "fr_FR"})))
        self.assertEqual(labels["no_answer"], "Pas de réponse")
        # A company without a language: the user's.
        self.company.partner_id.lang = False
        self.assertEqual(self._log_call(outcome="no_answer")[:1].name, "Call: No answer")


@freeze_time(TODAY)
class TestLettersAndAddresses(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business.email = "compta@dupont.example"
        cls.Escalation = cls.env["fr.dunning.escalation"]
        policy = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        cls.levels = {lvl.tier: lvl for lvl in policy.level_ids}
        cls.invoice = cls._invoice(cls.business, "2026-08-24", "2026-09-23", 1000.0)

    def _send(self, tier, automatic=True, today=date(2026, 11, 23)):
        self.Escalation._run(
            self.company, today=today, automatic=automatic, partners=self.business, level=self.levels[tier]
        )
        return self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("level_id.tier", "=", tier)]
        )

    def _address_todos(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.business.id),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_todo").id),
            ]
        )

    def test_no_letter_without_a_postal_address(self):
        self.business.write({"street": False, "zip": False, "city": "Lyon"})
        # The nightly run holds the formal notice and asks for the address, once.
        self.assertFalse(self._send("formal_notice"))
        self.assertFalse(self.invoice.fr_dunning_level_id)
        self.assertFalse(self.invoice.fr_dunning_formal_notice_date)
        todo = self._address_todos()
        self.assertEqual(len(todo), 1)
        self.assertIn("Complete the postal address", todo.summary)
        self.assertIn("Street", str(todo.note))
        self._send("formal_notice")
        self.assertEqual(len(self._address_todos()), 1, "one to-do, not one a night")
        # Sent by hand, it is refused with the customer named.
        with self.assertRaisesRegex(UserError, "Menuiserie Dupont SARL"):
            self._send("formal_notice", automatic=False)
        # With the address, the letter goes.
        self.business.write({"street": "3 rue du Bois", "zip": "69002"})
        events = self._send("formal_notice", automatic=False)
        self.assertEqual(sorted(events.mapped("channel")), ["email", "registered_letter"])
        self.assertTrue(self.invoice.fr_dunning_formal_notice_date)

    def _letter_html(self, letter):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html("fr_dunning_addon.action_report_dunning_letter", letter.ids)[0]
            .decode()
        )

    def test_previous_reminders_only_when_there_were_some(self):
        self.business.write({"street": "3 rue du Bois", "zip": "69002", "city": "Lyon"})
        first = self._send("formal_notice", automatic=False)
        letter = first.filtered(lambda e: e.channel == "registered_letter")
        self.assertFalse(letter._fr_dunning_letter_values()[letter.id]["reminded"], "the email goes with it")
        html = self._letter_html(letter)
        self.assertNotIn("Despite our previous reminders", html)
        self.assertIn("still unpaid although their due date has passed", html)
        # The pre-litigation notice: no reminder before the formal notice, but the notice itself.
        values = letter._fr_dunning_letter_values()[letter.id]
        self.assertIn("although their due date has passed", str(values["previous_html"]))
        # After a reminder, the letter says so.
        other = self._invoice(self.business, "2026-08-25", "2026-09-24", 500.0)
        self._event(self.business, other, "reminder", "2026-10-01 08:00:00", "Relance courtoise")
        events = self._send("formal_notice", automatic=False, today=date(2026, 12, 10))
        second = events.filtered(lambda e: e.channel == "registered_letter" and e.move_ids & other)
        self.assertTrue(second._fr_dunning_letter_values()[second.id]["reminded"])
        self.assertIn("Despite our previous reminders", self._letter_html(second))

    def test_chosen_level_without_a_previous_reminder_is_confirmed(self):
        Choice = self.env["fr.dunning.level.choice"].with_user(self.dunning_user)
        choice = Choice.create(
            {"partner_ids": [Command.set(self.business.ids)], "level_id": self.levels["formal_notice"].id}
        )
        self.assertEqual(choice.never_reminded, self.business.name)
        with self.assertRaises(UserError):
            choice.action_preview()
        choice.confirm_first = True
        self.assertEqual(choice.action_preview()["res_model"], "fr.dunning.preview")
        # A courteous level needs no confirmation; nor does a firm one after a reminder.
        choice.level_id = self.levels["courteous"]
        self.assertFalse(choice.never_reminded)
        self._event(self.business, self.invoice, "reminder", "2026-10-01 08:00:00", "Relance courtoise")
        choice.level_id = self.levels["formal_notice"]
        self.assertFalse(choice.never_reminded)
