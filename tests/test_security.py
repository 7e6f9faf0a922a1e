# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attacks tried over JSON-RPC on the addon, each as the user who would
try it, each refused: another company's accountant, a billing user without
the dunning groups, a dunning user who is not a manager.

``test_every_public_method_is_guarded`` lists every public method of the
addon's models: a new one fails it until it is guarded, and
``test_every_public_method_refuses_*`` then calls it as those users."""

import base64
import inspect
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import TODAY, FrDunningCase

ADDON = "odoo.addons.fr_dunning_addon"
# Public methods of the ORM that the addon overrides: guarded by the access
# rights and record rules themselves, and by the overrides' own checks.
ORM_METHODS = {"create", "write", "unlink", "copy", "default_get", "read", "search"}


def _addon_public_methods(env):
    """{(model, method name): function} of every public method the addon
    defines on any model."""
    found = {}
    for model_name in env.registry:
        cls = type(env[model_name])
        for klass in cls.__mro__:
            if not klass.__module__.startswith(ADDON):
                continue
            for name, member in vars(klass).items():
                if name.startswith("_") or name in ORM_METHODS or not inspect.isfunction(member):
                    continue
                # Odoo refuses over RPC a method marked @api.private in any class.
                if any(getattr(getattr(k, name, None), "_api_private", False) for k in cls.__mro__):
                    continue
                found.setdefault((model_name, name), member)
    return found


@freeze_time(TODAY)
class TestSecurity(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.company_2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
            cls.c2_user = new_test_user(
                cls.env,
                login="fr_dunning_c2_manager",
                groups="fr_dunning_addon.group_fr_dunning_manager",
                company_id=cls.company_2.id,
                company_ids=[cls.company_2.id],
            )
            cls.billing_user = new_test_user(
                cls.env,
                login="fr_dunning_billing",
                groups="account.group_account_invoice",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
            cls.colleague = new_test_user(
                cls.env,
                login="fr_dunning_colleague",
                groups="fr_dunning_addon.group_fr_dunning_user",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
            cls.invoice = cls._invoice(cls.business, "2026-09-01", "2026-10-01", 1000.0)

    # ------------------------------------------------------------------
    # Records of company 1 to attack
    # ------------------------------------------------------------------

    def _records(self):
        """One record of company 1 per model that has public methods, made by
        the dunning user where it is theirs (wizards, screens)."""
        env = self.env
        user_env = env(user=self.dunning_user)
        dispute = env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(self.invoice.ids)], "note": "Prix"}
        )
        invoice_2 = self._invoice(self.business, "2026-09-01", "2026-10-02", 500.0)
        promise = env["fr.dunning.promise"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice_2.ids)],
                "promise_date": date(2026, 12, 15),
                "amount": 500.0,
            }
        )
        invoice_3 = self._invoice(self.business, "2026-09-01", "2026-10-03", 300.0)
        plan = env["fr.dunning.payment.plan"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(invoice_3.ids)]}
        )
        invoice_4 = self._invoice(self.business, "2026-09-01", "2026-10-04", 200.0)
        litigation = env["fr.dunning.litigation"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(invoice_4.ids)]}
        )
        event = self._event(self.business, self.invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        preview = user_env["fr.dunning.preview"].create({"company_id": self.company.id})
        user_env["fr.dunning.preview.line"].create(
            {"preview_id": preview.id, "partner_id": self.business.id, "amount": 1200.0}
        )
        # A call to make, as the escalation gives it to the responsible.
        call = (
            env["mail.activity"]
            .sudo()
            .create(
                {
                    "res_model_id": env["ir.model"]._get_id("res.partner"),
                    "res_id": self.business.id,
                    "activity_type_id": env.ref("mail.mail_activity_data_call").id,
                    "user_id": self.dunning_user.id,
                    "fr_dunning_company_id": self.company.id,
                }
            )
        )
        policy = env["fr.dunning.insurance.policy"].create(
            {"company_id": self.company.id, "insurer": "coface", "policy_number": "COF-1"}
        )
        cover = env["fr.dunning.insurance.cover"].create(
            {
                "policy_id": policy.id,
                "partner_id": self.business.id,
                "amount": 5000.0,
                "date_start": date(2026, 1, 1),
            }
        )
        dashboard = user_env["fr.dunning.dashboard"].create({"company_id": self.company.id})
        user_env["fr.dunning.dashboard.line"].create(
            {"dashboard_id": dashboard.id, "kind": "top", "partner_id": self.business.id}
        )
        step_wizard = env(user=self.dunning_manager)["fr.dunning.litigation.step.wizard"]
        order = {"litigation_id": litigation.id, "kind": "ip_order", "date": TODAY}
        step_wizard.create(order).action_record()
        return {
            "fr.dunning.litigation.step": litigation.step_ids,
            "fr.dunning.litigation.step.wizard": step_wizard.create(
                {"litigation_id": litigation.id, "kind": "ip_service", "date": TODAY}
            ),
            "account.move": self.invoice,
            "res.partner": self.business,
            "fr.dunning.dispute": dispute,
            "fr.dunning.promise": promise,
            "fr.dunning.payment.plan": plan,
            "fr.dunning.litigation": litigation,
            "fr.dunning.event": event,
            "fr.dunning.customer": env["fr.dunning.customer"].search(
                [("company_id", "=", self.company.id)], limit=1
            ),
            "fr.dunning.call": env["fr.dunning.call"].browse(call.id),
            "fr.dunning.insurance.policy": policy,
            "fr.dunning.insurance.cover": cover,
            "fr.dunning.preview": preview,
            "fr.dunning.preview.line": preview.line_ids,
            "fr.dunning.dashboard": dashboard,
            "fr.dunning.dashboard.line": dashboard.top_line_ids,
            "fr.dunning.level.choice": user_env["fr.dunning.level.choice"].create(
                {
                    "partner_ids": [Command.set(self.business.ids)],
                    "level_id": env["fr.dunning.level"]
                    .search([("company_id", "=", self.company.id)], limit=1)
                    .id,
                }
            ),
            "fr.dunning.call.wizard": user_env["fr.dunning.call.wizard"].create(
                {"partner_id": self.business.id, "note": "Le gérant promet un virement le 15/12."}
            ),
            "fr.dunning.penalty.wizard": user_env["fr.dunning.penalty.wizard"].create(
                {"move_ids": [Command.set(self.invoice.ids)]}
            ),
            "fr.dunning.acknowledgement": env(user=self.dunning_manager)["fr.dunning.acknowledgement"].create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "document": base64.b64encode(b"%PDF-1.4 signed"),
                }
            ),
            "fr.dunning.write.off.wizard": env(user=self.dunning_manager)[
                "fr.dunning.write.off.wizard"
            ].create({"move_ids": [Command.set(self.invoice.ids)]}),
            "fr.dunning.correction": user_env["fr.dunning.correction"].create(
                {"event_id": event.id, "note": "Mauvais numéro de recommandé."}
            ),
            # The legal rates are the country's, shared by the companies.
            "fr.dunning.legal.rate": env["fr.dunning.legal.rate"].search([], limit=1),
            # Made by reading the ECB (the flow creates it as superuser).
            "fr.dunning.legal.rate.proposal": env["fr.dunning.legal.rate.proposal"]
            .sudo()
            .create({"company_id": self.company.id, "date_start": date(2026, 7, 1), "ecb_rate": 2.15})
            .sudo(False),
            "fr.dunning.agency.report.wizard": user_env["fr.dunning.agency.report.wizard"].create(
                {"litigation_id": litigation.id, "report": "contact"}
            ),
            **self._reply_and_lifecycle_records(event),
            # The customer's link, as the sending of a reminder gives it.
            "fr.dunning.portal.access": env["fr.dunning.portal.access"]._fr_dunning_grant(event).sudo(False),
        }

    def _reply_and_lifecycle_records(self, event):
        """A customer's reply and an e-invoicing status, as their flows record them."""
        reply = (
            self.env["fr.dunning.reply"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.business.id,
                    "event_id": event.id,
                    "date": datetime(2026, 11, 23, 10),
                    "category": "promise",
                    "found_date": date(2026, 12, 15),
                }
            )
        )
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-06", 700.0)
        status = self.env["fr.dunning.lifecycle.status"].record_statuses(
            [{"invoice": invoice.id, "code": "225", "date": "2026-11-20"}]
        )
        return {
            "fr.dunning.reply": reply.sudo(False),
            "fr.dunning.lifecycle.status": status.sudo(False),
            "fr.dunning.lifecycle.hold": status.hold_id.sudo(False),
            "fr.dunning.lifecycle.import": self.env(user=self.dunning_user)[
                "fr.dunning.lifecycle.import"
            ].create({"file": base64.b64encode(b"invoice,code,date\n")}),
        }

    # ------------------------------------------------------------------
    # 3. Buttons hidden, methods open: every public method is guarded
    # ------------------------------------------------------------------

    def test_every_public_method_is_guarded(self):
        methods = _addon_public_methods(self.env)
        self.assertIn(("account.move", "compute_fr_late_penalties"), methods)
        self.assertIn(("res.partner", "action_fr_dunning_litigation_file"), methods)
        unguarded = sorted(
            f"{model}.{name}" for (model, name), f in methods.items() if not hasattr(f, "fr_dunning_guard")
        )
        self.assertFalse(unguarded, "public methods without @guarded: they are open over RPC")
        records = self._records()
        missing = sorted({model for model, _name in methods} - set(records))
        self.assertFalse(missing, "models with public methods and no record to attack in _records()")

    def _attack(self, user, methods, records, expect_refused):
        refused, let_through = [], []
        for (model, name), function in sorted(methods.items()):
            if not expect_refused(function, model):
                continue
            target = records[model].with_user(user)
            try:
                with self.env.cr.savepoint():
                    getattr(target, name)()
            except AccessError:
                refused.append(f"{model}.{name}")
                continue
            except Exception as error:  # noqa: BLE001 - any other outcome is a hole
                let_through.append(f"{model}.{name}: {type(error).__name__} {error}")
                continue
            let_through.append(f"{model}.{name}: ran")
        self.assertFalse(let_through, f"not refused as {user.login}")
        return refused

    def test_every_public_method_refuses_a_user_without_the_group(self):
        methods = _addon_public_methods(self.env)
        records = self._records()
        refused = self._attack(self.billing_user, methods, records, lambda f, m: True)
        self.assertEqual(len(refused), len(methods))

    def test_every_public_method_refuses_a_portal_user(self):
        """A customer logged in on the portal reaches the same RPC methods."""
        portal = new_test_user(
            self.env,
            login="fr_dunning_portal",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        methods = _addon_public_methods(self.env)
        refused = self._attack(portal, methods, self._records(), lambda f, m: True)
        self.assertEqual(len(refused), len(methods))

    def test_every_manager_method_refuses_a_dunning_user(self):
        methods = _addon_public_methods(self.env)
        manager_only = {
            key: f
            for key, f in methods.items()
            if f.fr_dunning_guard[0] == "fr_dunning_addon.group_fr_dunning_manager"
        }
        self.assertIn(("res.partner", "action_fr_dunning_litigation_file"), manager_only)
        self.assertIn(("account.move", "action_fr_dunning_write_off"), manager_only)
        refused = self._attack(self.dunning_user, manager_only, self._records(), lambda f, m: True)
        self.assertEqual(len(refused), len(manager_only))

    def test_every_public_method_refuses_another_company(self):
        """A manager of company 2 calls each method on company 1's records
        (customers and legal rates are shared: their methods work on the
        caller's company)."""
        methods = _addon_public_methods(self.env)
        refused = self._attack(
            self.c2_user,
            methods,
            self._records(),
            lambda f, model: model not in ("res.partner", "fr.dunning.legal.rate"),
        )
        self.assertTrue(refused)

    def test_plan_start_and_letter_printing_refused_outside(self):
        """Starting or cancelling a plan and printing letters (which records who
        printed them): refused to a billing user and to another company's
        manager, and nothing is recorded."""
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-05", 900.0)
        plan = self.env["fr.dunning.payment.plan"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)]}
        )
        plan.action_compute_lines()
        letter = self._event(self.business, invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        letter.sudo().write({"channel": "letter", "letter_tier": "1"})
        for user in (self.billing_user, self.c2_user):
            for method in (
                plan.with_user(user).action_compute_lines,
                plan.with_user(user).action_confirm,
                plan.with_user(user).action_cancel,
                letter.with_user(user).action_fr_dunning_print_letters,
            ):
                with self.subTest(user=user.login, method=method.__name__), self.assertRaises(AccessError):
                    method()
        self.assertRecordValues(plan, [{"state": "draft"}])
        self.assertFalse(invoice.fr_dunning_blocked)
        self.assertRecordValues(letter, [{"printed_date": False, "printed_by_id": False, "letter_id": False}])

    # ------------------------------------------------------------------
    # 1. Wizards and screens are their creator's, in their company
    # ------------------------------------------------------------------

    def test_transient_models_hidden_from_another_company_and_user(self):
        records = self._records()
        transients = [model for model in records if self.env[model]._transient]
        self.assertEqual(
            set(transients),
            {
                "fr.dunning.preview",
                "fr.dunning.preview.line",
                "fr.dunning.dashboard",
                "fr.dunning.dashboard.line",
                "fr.dunning.level.choice",
                "fr.dunning.call.wizard",
                "fr.dunning.penalty.wizard",
                "fr.dunning.acknowledgement",
                "fr.dunning.correction",
                "fr.dunning.write.off.wizard",
                "fr.dunning.agency.report.wizard",
                "fr.dunning.lifecycle.import",
                "fr.dunning.litigation.step.wizard",
            },
        )
        for model in transients:
            self.assertTrue(records[model], model)
            for user in (self.c2_user, self.colleague):
                if not self.env[model].with_user(user).has_access("read"):
                    continue  # the manager's wizards: no access at all
                self.assertFalse(
                    self.env[model].with_user(user).search_read([]), f"{model} read by {user.login}"
                )
        line = records["fr.dunning.preview.line"]
        with self.assertRaises(AccessError):
            line.with_user(self.c2_user).write({"include": False})
        with self.assertRaises(AccessError):
            records["fr.dunning.call.wizard"].with_user(self.c2_user).read(["note"])
        # Their creator still works with them.
        line.with_user(self.dunning_user).write({"include": False})
        self.assertFalse(line.include)

    def test_every_transient_model_has_company_and_owner_rules(self):
        Rule = self.env["ir.rule"]
        for model in self.env.registry.values():
            if not model._transient or not model.__module__.startswith(ADDON) or model._abstract:
                continue
            if model._name == "res.config.settings":
                continue
            rules = Rule.search([("model_id.model", "=", model._name)])
            self.assertTrue(any("company_ids" in r.domain_force for r in rules), f"{model._name}: company")
            self.assertTrue(any("create_uid" in r.domain_force for r in rules), f"{model._name}: owner")

    # ------------------------------------------------------------------
    # 2. The shared customer's chatter keeps each company's dunning
    # ------------------------------------------------------------------

    def test_dunning_chatter_of_a_shared_customer_stays_in_its_company(self):
        wizard = (
            self.env["fr.dunning.call.wizard"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "outcome": "other",
                    "note": "Le gérant promet un virement le 15/12.",
                }
            )
        )
        wizard.action_log()
        domain = [("model", "=", "res.partner"), ("res_id", "=", self.business.id)]
        mine = self.env["mail.message"].with_user(self.dunning_user).search_read(domain, ["body"])
        self.assertTrue(any("15/12" in message["body"] for message in mine))
        theirs = self.env["mail.message"].with_user(self.c2_user).search_read(domain, ["body"])
        self.assertFalse([message for message in theirs if "15/12" in message["body"]])
        note = self.env["mail.message"].search([*domain, ("body", "ilike", "15/12")])
        with self.assertRaises(AccessError):
            note.with_user(self.c2_user).read(["body"])

    def test_reminders_sent_before_the_update_join_their_company(self):
        """An email copy written before the company column existed is given
        its event's company when the addon is updated (mail.message.init)."""
        message = self.business.sudo().message_post(body="Relance envoyée avant la mise à jour.")
        self.assertFalse(message.fr_dunning_company_id)
        event = self._event(self.business, self.invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        event.sudo().message_id = message
        self.env.flush_all()
        self.env["mail.message"].init()
        message.invalidate_recordset(["fr_dunning_company_id"])
        self.assertEqual(message.fr_dunning_company_id, self.company)
        domain = [("model", "=", "res.partner"), ("res_id", "=", self.business.id)]
        self.assertNotIn(message, self.env["mail.message"].with_user(self.c2_user).search(domain))

    # ------------------------------------------------------------------
    # 4. Fields that only the workflows set
    # ------------------------------------------------------------------

    def test_pause_reasons_are_set_by_their_records_only(self):
        invoice = self.invoice.with_user(self.dunning_user)
        with self.assertRaises(AccessError):
            invoice.write({"fr_dunning_blocked": "litigation"})
        with self.assertRaises(AccessError):
            invoice.write({"fr_dunning_prescription_date": date(2034, 1, 1)})
        with self.assertRaises(AccessError):
            invoice.write({"fr_dunning_formal_notice_date": date(2026, 10, 15)})
        # A pause by hand stays the accountant's.
        invoice.write({"fr_dunning_blocked": "excluded", "fr_dunning_blocked_note": "Client stratégique"})
        self.assertEqual(self.invoice.fr_dunning_blocked, "excluded")
        invoice.write({"fr_dunning_blocked": False})
        # A dispute pauses; only its own buttons resume.
        dispute = (
            self.env["fr.dunning.dispute"]
            .with_user(self.dunning_user)
            .create(
                {"partner_id": self.business.id, "move_ids": [Command.set(self.invoice.ids)], "note": "Prix"}
            )
        )
        self.assertEqual(self.invoice.fr_dunning_blocked, "dispute")
        with self.assertRaises(UserError):
            invoice.write({"fr_dunning_blocked": False})
        with self.assertRaises(AccessError):
            dispute.write({"state": "resolved"})
        dispute.action_resolve()
        self.assertFalse(self.invoice.fr_dunning_blocked)

    def test_running_payment_plan_cannot_be_edited(self):
        plan = (
            self.env["fr.dunning.payment.plan"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "instalment_count": 2,
                    "first_date": date(2026, 12, 1),
                }
            )
        )
        plan.action_compute_lines()
        plan.line_ids[0].amount = 400.0  # a draft is negotiated freely
        plan.line_ids[1].amount = 600.0
        plan.action_confirm()
        self.assertEqual(plan.state, "open")
        line = plan.line_ids[0]
        with self.assertRaises(UserError):
            line.write({"amount": 1.0})
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(UserError):
            plan.write({"line_ids": [Command.create({"date": date(2027, 3, 1), "amount": 1.0})]})
        with self.assertRaises(AccessError):
            plan.write({"state": "done"})
        self.assertEqual(plan.line_ids.mapped("amount"), [400.0, 600.0])

    # ------------------------------------------------------------------
    # 5. Forged evidence
    # ------------------------------------------------------------------

    def test_events_cannot_be_created_by_hand(self):
        Event = self.env["fr.dunning.event"]
        vals = {
            "name": "Reconnaissance de dette",
            "partner_id": self.business.id,
            "move_ids": [Command.set(self.invoice.ids)],
            "event_type": "acknowledgement",
            "is_automatic": True,
            "date": datetime(2029, 1, 1),
        }
        for user in (self.dunning_user, self.dunning_manager):
            with self.assertRaises(AccessError):
                Event.with_user(user).create(vals)
        prescription = self.invoice.fr_dunning_prescription_date
        self.assertEqual(prescription, date(2031, 10, 1))
        # Even the flows cannot date one in the future.
        with self.assertRaises(ValidationError):
            Event.sudo().create(vals)
        self.assertEqual(self.invoice.fr_dunning_prescription_date, prescription)

    def test_acknowledgement_by_a_manager_with_the_signed_document(self):
        # Due 01/10/2026 between traders: prescribed 5 years later (L110-4).
        self.assertEqual(self.invoice.fr_dunning_prescription_date, date(2031, 10, 1))
        Wizard = self.env["fr.dunning.acknowledgement"]
        vals = {
            "partner_id": self.business.id,
            "move_ids": [Command.set(self.invoice.ids)],
            "date": date(2026, 11, 20),
            "document": base64.b64encode(b"%PDF-1.4 signed"),
            "document_name": "Reconnaissance signee.pdf",
        }
        with self.assertRaises(AccessError):
            Wizard.with_user(self.dunning_user).create(vals)
        with self.assertRaises(ValidationError):
            Wizard.with_user(self.dunning_manager).create({**vals, "date": date(2029, 1, 1)}).action_record()
        Wizard.with_user(self.dunning_manager).create(vals).action_record()
        event = self.invoice.fr_dunning_event_ids.filtered(lambda e: e.event_type == "acknowledgement")
        self.assertRecordValues(event, [{"user_id": self.dunning_manager.id, "is_automatic": False}])
        self.assertEqual(event.attachment_ids.mapped("name"), ["Reconnaissance signee.pdf"])
        self.assertEqual(event.attachment_ids.raw, b"%PDF-1.4 signed")
        # Code civil 2240 and 2231: a new 5-year period from the signature.
        self.assertEqual(self.invoice.fr_dunning_prescription_date, date(2031, 11, 20))
        with self.assertRaises(AccessError):
            event.attachment_ids.with_user(self.dunning_manager).unlink()

    def test_a_correction_is_a_new_event(self):
        event = self._event(self.business, self.invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        self.env["fr.dunning.correction"].with_user(self.dunning_user).create(
            {"event_id": event.id, "note": "Envoyée au mauvais contact."}
        ).action_record()
        correction = self.env["fr.dunning.event"].search([("corrected_event_id", "=", event.id)])
        self.assertEqual(len(correction), 1)
        self.assertIn("Envoyée au mauvais contact.", correction.note)
        self.assertEqual(correction.user_id, self.dunning_user)
        self.assertEqual(event.name, "Relance")
        with self.assertRaises(AccessError):
            self.env["fr.dunning.correction"].with_user(self.c2_user).create(
                {"event_id": event.id, "note": "x"}
            ).action_record()

    def test_events_are_never_edited(self):
        event = self._event(self.business, self.invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        mine = event.with_user(self.dunning_user)
        for vals in (
            {"name": "Autre"},
            {"date": datetime(2026, 1, 1)},
            {"note": "<p>réécrit</p>"},
            {"printed_date": datetime(2026, 11, 3)},
            {"printed_by_id": self.dunning_manager.id},
            {"event_type": "acknowledgement"},
        ):
            with self.assertRaises(UserError, msg=str(vals)):
                mine.write(vals)
        with self.assertRaises(UserError):
            mine.unlink()
        mine.action_mark_printed()
        self.assertEqual(event.printed_by_id, self.dunning_user)

    def test_registered_number_filled_once(self):
        letter = (
            self.env["fr.dunning.event"]
            .sudo()
            .create(
                {
                    "name": "Mise en demeure",
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "event_type": "reminder",
                    "channel": "registered_letter",
                }
            )
        )
        mine = letter.sudo(False).with_user(self.dunning_user)
        mine.write({"registered_number": "1A 000 111 2222 3"})
        with self.assertRaises(UserError):
            mine.write({"registered_number": "1A 999 999 9999 9"})
        with self.assertRaises(ValidationError):
            mine.write({"acknowledgement_date": date(2026, 12, 24)})
        mine.write({"acknowledgement_date": date(2026, 11, 20)})
        self.assertRecordValues(
            letter, [{"registered_number": "1A 000 111 2222 3", "acknowledgement_date": date(2026, 11, 20)}]
        )

    def test_charged_penalties_and_runs_are_the_flows(self):
        line = self.invoice.line_ids[:1]
        with self.assertRaises(AccessError):
            self.env["fr.dunning.penalty"].with_user(self.dunning_manager).create(
                {
                    "company_id": self.company.id,
                    "invoice_id": self.invoice.id,
                    "penalty_line_id": line.id,
                    "kind": "indemnity",
                    "amount": 40.0,
                    "currency_id": self.company.currency_id.id,
                }
            )
        run = self.env["fr.dunning.run"]._get_run(self.company, fields.Date.today(), automatic=False)
        with self.assertRaises(AccessError):
            run.with_user(self.dunning_user).write({"email_count": 0})
        with self.assertRaises(AccessError):
            self.env["fr.dunning.run"].with_user(self.dunning_user).create({"company_id": self.company.id})

    def test_letter_pdf_and_email_copy_are_never_changed(self):
        event = self._event(self.business, self.invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        # Stored by the flow that sent the letter, as superuser.
        pdf = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "Lettre.pdf",
                    "raw": b"%PDF-1.4 original",
                    "res_model": "fr.dunning.event",
                    "res_id": event.id,
                }
            )
        )
        event.sudo().letter_id = pdf
        with self.assertRaises(AccessError):
            pdf.with_user(self.dunning_user).write({"raw": b"%PDF-1.4 forged"})
        with self.assertRaises(AccessError):
            pdf.with_user(self.dunning_user).write({"datas": base64.b64encode(b"forged")})
        with self.assertRaises(AccessError):
            pdf.with_user(self.dunning_manager).unlink()
        self.assertEqual(pdf.raw, b"%PDF-1.4 original")
        # The chatter copy of a reminder, written by the escalation as its sender.
        message = (
            self.business.sudo()
            .message_post(
                body="Relance : merci de régler la facture.",
                message_type="comment",
                author_id=self.dunning_user.partner_id.id,
            )
            .sudo(False)
        )
        event.sudo().message_id = message
        with self.assertRaises(AccessError):
            message.with_user(self.dunning_user).write({"body": "<p>Autre texte</p>"})
        with self.assertRaises(AccessError):
            self.business.with_user(self.dunning_user)._message_update_content(message, body="Autre texte")

    def test_reminder_copy_not_edited_through_the_chatter(self):
        """The chatter's edit (/mail/message/update_content) runs as superuser
        once it checked the author: the reminder copy stays as sent."""
        event = self._event(self.business, self.invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        message = self.business.sudo().message_post(
            body="Relance : merci de régler la facture.",
            message_type="comment",
            author_id=self.dunning_user.partner_id.id,
        )
        event.sudo().message_id = message
        with self.assertRaises(AccessError):
            self.business.sudo()._message_update_content(message.sudo(), "FORGED", attachment_ids=[])
        self.assertIn("merci de régler", message.body)

    def test_call_note_is_not_edited_nor_unhidden(self):
        self.env["fr.dunning.call.wizard"].with_user(self.dunning_user).create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(self.invoice.ids)],
                "outcome": "other",
                "note": "Le gérant promet un virement le 15/12.",
            }
        ).action_log()
        note = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.business.id), ("body", "ilike", "15/12")]
        )
        self.assertEqual(note.fr_dunning_company_id, self.company)
        mine = note.with_user(self.dunning_user)
        with self.assertRaises(AccessError):
            mine.write({"body": "<p>edited</p>"})
        with self.assertRaises(AccessError):
            mine.write({"fr_dunning_company_id": False})
        with self.assertRaises(UserError):  # a note: Odoo itself refuses its edit
            self.business.sudo()._message_update_content(note.sudo(), "edited")

    def test_no_document_added_to_an_event_by_hand(self):
        event = self._event(self.business, self.invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        Attachment = self.env["ir.attachment"]
        for user in (self.dunning_user, self.dunning_manager):
            with self.assertRaises(AccessError):
                Attachment.with_user(user).create(
                    {
                        "name": "Lettre.pdf",
                        "raw": b"%PDF forged",
                        "res_model": event._name,
                        "res_id": event.id,
                    }
                )
        loose = Attachment.with_user(self.dunning_user).create({"name": "Lettre.pdf", "raw": b"%PDF forged"})
        with self.assertRaises(AccessError):
            loose.write({"res_model": event._name, "res_id": event.id})

    def test_cases_start_in_their_first_state(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-05", 300.0)
        base = {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)]}
        as_user = self.env(user=self.dunning_user)
        for model, vals in (
            ("fr.dunning.dispute", {"note": "x", "state": "resolved"}),
            ("fr.dunning.promise", {"promise_date": date(2026, 12, 15), "amount": 300.0, "state": "kept"}),
            ("fr.dunning.payment.plan", {"state": "open", "total": 999999.0}),
            ("fr.dunning.payment.plan", {"missed_count": 7}),
        ):
            with self.subTest(model=model, vals=vals), self.assertRaises(AccessError):
                as_user[model].create({**base, **vals})
        self.assertFalse(invoice.fr_dunning_blocked)
        # Their first state, given or not, is theirs to set.
        dispute = as_user["fr.dunning.dispute"].create({**base, "note": "Prix", "state": "open"})
        self.assertEqual((dispute.state, invoice.fr_dunning_blocked), ("open", "dispute"))

    # ------------------------------------------------------------------
    # 6. The penalty engine reads only what the user may read
    # ------------------------------------------------------------------

    def test_penalties_over_rpc_check_group_and_company(self):
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.c2_user).compute_fr_late_penalties()
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.billing_user).compute_fr_late_penalties()
        # The dunning user of the company gets the figures: due 01/10/2026,
        # 53 days late on 23/11/2026.
        result = self.invoice.with_user(self.dunning_user).compute_fr_late_penalties(strict=False)
        self.assertEqual(result[self.invoice.id]["days_late"], 53)

    # ------------------------------------------------------------------
    # 7. Rendering a letter writes nothing
    # ------------------------------------------------------------------

    def test_rendering_a_letter_gives_no_token(self):
        # Posted invoices get their token; one imported without it gets it when sent.
        self.assertTrue(self.invoice.access_token)
        self.invoice.sudo().access_token = False
        event = self._event(self.business, self.invoice, "reminder", datetime(2026, 11, 2, 9), "Relance")
        event.sudo().letter_tier = "1"
        values = event._fr_dunning_letter_values()
        self.assertTrue(values)
        self.assertFalse(self.invoice.access_token)
        event._fr_dunning_ensure_tokens()
        self.assertTrue(self.invoice.access_token)
