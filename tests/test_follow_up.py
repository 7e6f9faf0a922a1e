# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer follow-up form, its buttons, the statement of account, and the
Relances screens as a dunning user and a dunning manager see them."""

import subprocess
import tempfile
from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user
from odoo.tools.safe_eval import safe_eval

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestFollowUp(FrDunningCase):
    def test_totals_and_payment_behaviour(self):
        # Open: 1 000 overdue (46 days), 300 in dispute, 200 promised, 400 not due.
        late = self._invoice(self.business, "2026-09-08", "2026-10-08", 1000.0)
        disputed = self._invoice(self.business, "2026-10-01", "2026-10-31", 300.0)
        promised = self._invoice(self.business, "2026-10-10", "2026-11-09", 200.0)
        self._invoice(self.business, "2026-11-10", "2026-12-10", 400.0)
        self.env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(disputed.ids)], "note": "Qualité"}
        )
        self.env["fr.dunning.promise"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(promised.ids)],
                "promise_date": date(2026, 12, 1),
                "amount": 200.0,
            }
        )
        # Paid in the last 12 months: 10 days late (2 reminders), on time (none),
        # 32 days late (4 reminders): 14.0 days and 2.0 reminders on average.
        # Paid 20 days late in 2025-09, more than 12 months ago: left out.
        history = [
            ("2026-03-01", "2026-03-31", "2026-04-10", 2),
            ("2026-05-01", "2026-05-31", "2026-05-20", 0),
            ("2026-07-01", "2026-07-31", "2026-09-01", 4),
            ("2025-08-01", "2025-08-31", "2025-09-20", 3),
        ]
        for invoice_date, due, paid, reminders in history:
            invoice = self._invoice(self.business, invoice_date, due, 100.0)
            if reminders:
                invoice.sudo().fr_dunning_count = reminders
            self._pay(invoice, 100.0, paid)
        refund = self._refund(self.business, "2026-11-20", 50.0)
        self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23), partners=self.business)
        self.env.flush_all()
        self.env.invalidate_all()

        customer = self.business.with_user(self.dunning_user)
        self.assertRecordValues(
            customer,
            [
                {
                    "fr_dunning_total_due": 1900.0,
                    "fr_dunning_total_overdue": 1500.0,
                    "fr_dunning_disputed_amount": 300.0,
                    "fr_dunning_promised_amount": 200.0,
                    "fr_dunning_plan_amount": 0.0,
                    "fr_dunning_litigation_amount": 0.0,
                    "fr_dunning_oldest_days": 46,
                    "fr_dunning_paid_count": 3,
                    "fr_dunning_avg_days_late": 14.0,
                    "fr_dunning_avg_reminders": 2.0,
                    "fr_dunning_effective_policy_id": self.env["fr.dunning.policy"]
                    .search([("company_id", "=", self.company.id), ("assignment", "=", "default")])
                    .id,
                }
            ],
        )
        # Open invoices and the open credit note, oldest due first.
        self.assertEqual(customer.fr_dunning_open_move_ids[0], late)
        self.assertIn(refund, customer.fr_dunning_open_move_ids)
        self.assertEqual(len(customer.fr_dunning_open_move_ids), 5)
        # Timeline: newest first; today's run (J+30: a letter and an email, J+15's
        # call) comes before the dispute and the promise.
        timeline = customer.fr_dunning_timeline_ids
        self.assertEqual(customer.fr_dunning_event_count, len(timeline))
        types = timeline.mapped("event_type")
        self.assertEqual(set(types[-2:]), {"dispute", "promise"})
        self.assertIn("reminder", types[:-2])
        self.assertEqual(timeline, timeline.sorted(lambda e: (e.date, e.id), reverse=True))
        # The responsible: the dunning responsible, else the salesperson.
        self.business.user_id = self.dunning_manager
        self.env.invalidate_all()
        self.assertEqual(customer.fr_dunning_effective_responsible_id, self.dunning_manager)
        self.business.with_company(self.company).fr_dunning_responsible_id = self.dunning_user
        self.env.invalidate_all()
        self.assertEqual(customer.fr_dunning_effective_responsible_id, self.dunning_user)

    def test_send_now_then_call_with_a_promise(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        customer = self.business.with_user(self.dunning_user)
        # The invoice's smart button opens the follow-up form.
        action = invoice.with_user(self.dunning_user).action_fr_dunning_follow_up()
        self.assertEqual(action["res_id"], self.business.id)
        self.assertEqual(
            action["views"][0][0], self.env.ref("fr_dunning_addon.fr_dunning_follow_up_view_form").id
        )
        # Send the next reminder now: the preview, then the run.
        preview = customer.env["fr.dunning.preview"].browse(customer.action_fr_dunning_send_now()["res_id"])
        self.assertRecordValues(preview.line_ids, [{"partner_id": self.business.id, "amount": 1000.0}])
        preview.with_user(self.dunning_user).action_send()
        self.assertTrue(invoice.fr_dunning_level_id)
        # Log a call: the customer promises to pay on 4 December.
        action = customer.action_fr_dunning_log_call()
        with Form(
            self.env[action["res_model"]].with_user(self.dunning_user).with_context(**action["context"])
        ) as form:
            form.outcome = "promise"
            form.promise_date = date(2026, 12, 4)
            form.promise_amount = 1000.0
        form.save().action_log()
        self.env.invalidate_all()
        self.assertEqual(invoice.fr_dunning_blocked, "promise")
        self.assertEqual(customer.fr_dunning_promised_amount, 1000.0)
        types = customer.fr_dunning_timeline_ids.mapped("event_type")
        self.assertIn("reminder", types)
        self.assertIn("call", types)

    def test_buttons_open_the_right_forms(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        customer = self.business.with_user(self.dunning_user)
        for method, model in [
            ("action_fr_dunning_promise", "fr.dunning.promise"),
            ("action_fr_dunning_dispute", "fr.dunning.dispute"),
            ("action_fr_dunning_payment_plan", "fr.dunning.payment.plan"),
        ]:
            action = getattr(customer, method)()
            self.assertEqual(action["res_model"], model, method)
            self.assertEqual(action["context"]["default_move_ids"], [Command.set(invoice.ids)], method)
        action = customer.action_fr_dunning_choose_level()
        self.assertEqual(action["res_model"], "fr.dunning.level.choice")
        self.assertEqual(action["context"]["default_partner_ids"], [Command.set(self.business.ids)])
        plan = (
            self.env["fr.dunning.payment.plan"]
            .with_user(self.dunning_user)
            .with_context(**customer.action_fr_dunning_payment_plan()["context"])
            .create({"instalment_count": 2, "first_date": date(2026, 12, 1)})
        )
        self.assertEqual(plan.move_ids, invoice)
        # A customer with nothing overdue: a clear message.
        with self.assertRaisesRegex(UserError, "has no overdue invoice"):
            self.consumer.with_user(self.dunning_user).action_fr_dunning_dispute()

    def test_exclude_and_include(self):
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        customer = self.business.with_user(self.dunning_user).with_company(self.company)
        customer.action_fr_dunning_toggle_excluded()
        self.assertTrue(customer.fr_dunning_excluded)
        self.assertIn("Excluded from automatic dunning", customer.message_ids[0].body)
        summary = self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23))
        self.assertFalse(summary.get("run"), "an excluded customer is not chased")
        customer.action_fr_dunning_toggle_excluded()
        self.assertFalse(customer.fr_dunning_excluded)
        self.assertIn("Included again", customer.message_ids[0].body)
        summary = self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23))
        self.assertEqual(summary["run"].communication_count, 1)


@freeze_time(TODAY)
class TestStatement(FrDunningCase):
    def test_running_balance(self):
        # 1 000 due 08/10 (paid 400), 500 due 03/11, a 120 credit note of 20/11,
        # and a 90 payment not matched to any invoice.
        first = self._invoice(self.business, "2026-09-08", "2026-10-08", 1000.0)
        self._pay(first, 400.0, "2026-10-20")
        self._invoice(self.business, "2026-10-04", "2026-11-03", 500.0)
        self._invoice(self.business, "2026-11-20", "2026-12-20", 300.0)
        self._refund(self.business, "2026-11-20", 120.0)
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.business.id,
                "amount": 90.0,
                "date": date(2026, 11, 21),
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        statement = self.business.with_user(self.dunning_user)._fr_dunning_account_statement()
        rows = [
            (row["due"], row["debit"], row["credit"], row["balance"], row["days"])
            for row in statement["rows"]
        ]
        self.assertEqual(
            rows,
            [
                (date(2026, 10, 8), 600.0, 0.0, 600.0, 46),
                (date(2026, 11, 3), 500.0, 0.0, 1100.0, 20),
                (date(2026, 11, 21), 0.0, 90.0, 1010.0, 0),
                (date(2026, 11, 23), 0.0, 120.0, 890.0, 0),
                (date(2026, 12, 20), 300.0, 0.0, 1190.0, 0),
            ],
        )
        self.assertEqual(statement["balance"], 1190.0)
        # Past due: 600 + 500, less the payment and the credit note not yet
        # matched (they will settle the oldest invoices): 1 100 - 90 - 120 = 890.
        self.assertEqual(statement["overdue"], 890.0)

        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("fr_dunning_addon.action_report_fr_dunning_statement", self.business.ids)
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True, check=True
            ).stdout
        self.assertIn("Statement of account", text)
        self.assertIn("1,190.00", text)
        self.assertIn("890.00", text)
        self.assertIn(self.business.name, text)


@freeze_time(TODAY)
class TestScreens(FrDunningCase):
    def test_every_relances_screen_loads(self):
        """Every menu under Relances opens for a dunning user and a manager:
        its views load and its first records read."""
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        readonly = new_test_user(
            self.env,
            login="fr_dunning_auditor",
            groups="account.group_account_readonly",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        root = self.env.ref("fr_dunning_addon.menu_fr_dunning_root")
        menus = self.env["ir.ui.menu"].search([("id", "child_of", root.id), ("action", "!=", False)])
        self.assertGreaterEqual(len(menus), 15)
        for user in (self.dunning_user, self.dunning_manager, readonly):
            env = self.env(user=user)
            visible = env["ir.ui.menu"].browse(env["ir.ui.menu"]._visible_menu_ids())
            for menu in menus.filtered(lambda m, v=visible: m in v):
                action = menu.action.sudo()
                if action._name == "ir.actions.server":
                    result = action.with_user(user).run()
                    self.assertEqual(result["type"], "ir.actions.act_window", menu.name)
                    model, views, domain = result["res_model"], [(False, "form")], []
                else:
                    action = action.with_user(user)
                    model = action.res_model
                    views = [(False, mode) for mode in action.view_mode.split(",")]
                    domain = safe_eval(
                        action.domain or "[]",
                        {
                            **action._get_eval_context(),
                            "context_today": lambda: date(2026, 11, 23),
                            "relativedelta": relativedelta,
                        },
                    )
                env[model].get_views(views)
                env[model].search_read(domain, limit=5)
        # The follow-up form and the customer form's smart button, as a dunning user.
        env = self.env(user=self.dunning_user)
        env["res.partner"].get_views(
            [(self.env.ref("fr_dunning_addon.fr_dunning_follow_up_view_form").id, "form")]
        )
        arch = env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_fr_dunning_follow_up", arch)
        # An auditor (read-only accounting) reads the follow-up, without its buttons.
        follow_up_view = self.env.ref("fr_dunning_addon.fr_dunning_follow_up_view_form").id
        arch = self.env(user=readonly)["res.partner"].get_views([(follow_up_view, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn("fr_dunning_total_overdue", arch)
        self.assertNotIn("action_fr_dunning_send_now", arch)
        self.env(user=readonly)["res.partner"].browse(self.business.id).web_read(
            {"fr_dunning_total_overdue": {}}
        )
        # A user outside the dunning groups does not see the button.
        clerk = new_test_user(
            self.env, login="fr_dunning_clerk2", groups="base.group_user,base.group_partner_manager"
        )
        arch = self.env(user=clerk)["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("action_fr_dunning_follow_up", arch)

    def test_customer_report_filters(self):
        late = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        self._invoice(self.consumer, "2026-10-04", "2026-11-03", 100.0)
        self.business.with_company(self.company).write(
            {"fr_dunning_responsible_id": self.dunning_manager.id, "fr_dunning_excluded": True}
        )
        self.consumer.user_id = self.dunning_user
        # Promised on 5 November for the 10th: broken since.
        with freeze_time("2026-11-05"):
            promise = self.env["fr.dunning.promise"].create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(late.ids)],
                    "promise_date": date(2026, 11, 10),
                    "amount": 1000.0,
                }
            )
        promise.sudo().state = "broken"
        self.env.flush_all()
        Customer = self.env["fr.dunning.customer"].with_user(self.dunning_user)
        self.assertEqual(
            Customer.search([("responsible_id", "=", self.dunning_manager.id)]).partner_id, self.business
        )
        self.assertEqual(
            Customer.search([("responsible_id", "=", self.dunning_user.id)]).partner_id, self.consumer
        )
        self.assertEqual(Customer.search([("excluded", "=", True)]).partner_id, self.business)
        self.assertEqual(Customer.search([("promise_broken", "=", True)]).partner_id, self.business)
        # Group by responsible: one group each.
        groups = dict(Customer._read_group([], ["responsible_id"], ["total_overdue:sum"]))
        self.assertEqual(groups[self.dunning_manager], 1000.0)
        self.assertEqual(groups[self.dunning_user], 100.0)
        # The row opens the customer's follow-up.
        row = Customer.search([("partner_id", "=", self.business.id)])
        self.assertEqual(row.action_open_partner()["res_id"], self.business.id)
