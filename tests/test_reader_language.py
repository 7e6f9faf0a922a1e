# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The to-dos the night gives are written in the language of whoever reads
them, and given to someone who reads them: the nightly jobs run as OdooBot,
without a language (the terms are read from i18n/fr.po)."""

from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestReaderLanguage(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        # The company writes its history in English: only the reader speaks French.
        cls.company.partner_id.lang = "en_US"
        cls.business.email = "compta@dupont.example"
        cls.dunning_user.lang = "fr_FR"
        cls.managers = cls.env.ref("fr_dunning_addon.group_fr_dunning_manager").users.filtered(
            lambda u: not u.share and u.active
        )
        cls.managers.lang = "fr_FR"

    def _cron(self, records):
        """``records`` as a scheduled action sees them: OdooBot, no language."""
        return records.with_env(self.env(user=SUPERUSER_ID, context={}, su=True))

    def _level(self, tier):
        policy = self.env["fr.dunning.policy"].search([("company_id", "=", self.company.id)], limit=1)
        return policy.level_ids.filtered(lambda level: level.tier == tier)

    def _assert_not_odoobot(self, activities):
        self.assertTrue(activities)
        for activity in activities:
            self.assertFalse(activity.user_id._is_superuser(), activity.summary)
            self.assertTrue(activity.user_id.active and not activity.user_id.share)

    def test_undelivered_email(self):
        self.business.with_company(self.company).fr_dunning_responsible_id = self.dunning_user
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        self.env["fr.dunning.escalation"].with_user(self.dunning_manager)._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=self.business
        )
        event = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        self.assertEqual(event.channel, "email")
        # The mail queue reports the bounce, as OdooBot.
        self._cron(event.message_id.notification_ids).write({"notification_status": "bounce"})
        todo = self.business.activity_ids.filtered(lambda a: event.reference in (a.note or ""))
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.summary, "Courriel de relance non remis : vérifier l'adresse")
        self.assertIn(f"La relance {event.reference} à Menuiserie Dupont SARL n'a pas été remise", todo.note)
        self.assertEqual(todo.user_id, self.dunning_user)

    def test_call_without_responsible(self):
        """No responsible, no salesperson: the call goes to a dunning manager,
        in French, not to OdooBot."""
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        escalation = self._cron(self.env["fr.dunning.escalation"])
        escalation._run(self.company, today=date(2026, 11, 23), partners=self.business)
        summary = escalation._run(self.company, today=date(2026, 11, 30), partners=self.business)
        self.assertEqual(summary["sent"], {"email": 1, "phone": 1})
        call = self.business.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self._assert_not_odoobot(call)
        self.assertIn(call.user_id, self.managers)
        level = call.fr_dunning_level_id.with_context(lang="fr_FR")
        self.assertEqual(call.summary, f"Appeler Menuiserie Dupont SARL : {level.name}")

    def test_dispute_review(self):
        """Two disputes opened by an English speaker, and one by the night:
        the reviewer reads French."""
        invoices = [self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0) for _i in range(2)]
        Dispute = self.env["fr.dunning.dispute"]
        disputes = (
            Dispute.with_user(self.dunning_manager)
            .with_context(lang="en_US")
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(invoices[0].ids)],
                    "category": "quality",
                    "review_date": date(2026, 12, 15),
                    "user_id": self.dunning_user.id,
                }
            )
        )
        self.business.with_company(self.company).fr_dunning_responsible_id = self.dunning_user
        disputes |= (
            self._cron(Dispute)
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(invoices[1].ids)],
                    "category": "quality",
                    "review_date": date(2026, 12, 15),
                }
            )
        )
        todos = disputes.activity_ids
        self.assertEqual(len(todos), 2)
        self.assertEqual(set(todos.mapped("summary")), {"Revoir le litige du client Menuiserie Dupont SARL"})
        self.assertEqual(todos.user_id, self.dunning_user)

    def test_missing_legal_rates(self):
        rates = self.env["fr.dunning.legal.rate"]
        rates.search([("date_start", ">=", date(2027, 1, 1))]).unlink()
        self._cron(rates)._cron_check_missing_rates(days_ahead=60)
        anchor = rates.search([], order="date_start desc", limit=1)
        todos = anchor.activity_ids.filtered(lambda a: "2027 S1" in (a.summary or ""))
        self._assert_not_odoobot(todos)
        self.assertEqual(todos.user_id, self.managers.filtered(lambda u: not u._is_superuser()))
        self.assertEqual(set(todos.mapped("summary")), {"Saisir les taux légaux du semestre 2027 S1"})

    def test_held_letter(self):
        """A formal notice held for want of a postal address: the to-do asking
        for it is in the responsible's French, the company writes English."""
        self.business.with_company(self.company).fr_dunning_responsible_id = self.dunning_user
        self.business.write({"street": False, "zip": False, "city": "Lyon"})
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        self._cron(self.env["fr.dunning.escalation"])._run(
            self.company, today=date(2026, 11, 23), partners=self.business, level=self._level("formal_notice")
        )
        todo = self.business.activity_ids.filtered(lambda a: "adresse" in (a.summary or ""))
        self.assertEqual(todo.summary, "Compléter l'adresse postale du client Menuiserie Dupont SARL")
        self.assertIn("ne peut pas être envoyé à Menuiserie Dupont SARL", str(todo.note))
        self.assertEqual(todo.user_id, self.dunning_user)

    def test_court_deadline(self):
        """The deadline of an order for payment: the to-do in the reader's
        French, the step in the company's English history."""
        invoice = self._invoice(self.business, "2025-11-01", "2025-12-01", 3000.0)
        litigation = (
            self.env["fr.dunning.litigation"]
            .with_user(self.dunning_manager)
            .create({"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)]})
        )
        self.env["fr.dunning.litigation.step.wizard"].with_user(self.dunning_manager).create(
            {"litigation_id": litigation.id, "kind": "ip_order", "date": date(2026, 1, 15)}
        ).action_record()
        todo = litigation.activity_ids
        self.assertEqual(len(todo), 1)
        self.assertIn(todo.user_id, self.managers)
        # CPC 1411: not served within six months of 15/01/2026, the order is
        # void on 23/11/2026; the step says so in the company's English.
        self.assertEqual(
            todo.summary, "Injonction de payer non avenue : non signifiée dans les six mois (CPC 1411)."
        )
        void = litigation.step_ids.filtered(lambda step: step.kind == "ip_void")
        self.assertIn("Order for payment void: not served within six months (CPC 1411).", str(void.note))

    def test_credit_insurance(self):
        """The insurer's deadline, in the responsible's French."""
        policy = self.env["fr.dunning.insurance.policy"].create(
            {
                "company_id": self.company.id,
                "insurer": "coface",
                "policy_number": "COF-123456",
                "max_extension_days": 60,
                "report_days": 15,
                "claim_days": 90,
                "notice_days": 5,
            }
        )
        self.env["fr.dunning.insurance.cover"].create(
            {
                "policy_id": policy.id,
                "partner_id": self.business.id,
                "amount": 10000.0,
                "date_start": date(2026, 1, 1),
            }
        )
        self.business.with_company(self.company).fr_dunning_responsible_id = self.dunning_user
        self._invoice(self.business, "2026-09-15", "2026-10-15", 2000.0)
        self._cron(self.env["fr.dunning.escalation"])._fr_dunning_insurance_remind(date(2026, 11, 23), 500)
        todo = self.env["mail.activity"].search([("res_model", "=", "fr.dunning.insurance.cover")])
        self.assertEqual(todo.user_id, self.dunning_user)
        # Due 15/10/2026, reported within 15 days: by 30/10/2026.
        self.assertEqual(
            todo.summary,
            "Déclarer la menace de sinistre sur Menuiserie Dupont SARL à Coface au plus tard le 30/10/2026",
        )
        self.assertIn("Déclarez ces factures échues", str(todo.note))
