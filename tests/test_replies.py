# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's reply to a reminder email comes back through Odoo's mail
gateway (message_process, as a mail server hands it over), lands on the
customer's chatter, is linked to the reminder's event and read; one click
records the promise or the dispute it announces; nothing changes before."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestReplies(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business.email = "compta@dupont.example"
        cls.billing_user = new_test_user(
            cls.env,
            login="fr_dunning_replies_billing",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _remind(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        self.env["fr.dunning.escalation"].with_user(self.dunning_user)._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=self.business
        )
        event = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("channel", "=", "email")]
        )
        self.assertEqual(len(event), 1)
        return invoice, event

    def _reply(self, event, text, message_id="<reply-1@dupont.example>", headers=""):
        """The customer's answer, as their mail client writes it (the reminder
        quoted below), handed to Odoo's mail gateway."""
        original = event.message_id
        raw = (
            "From: Comptabilité Dupont <compta@dupont.example>\n"
            f"To: {self.company.email or 'relances@example.com'}\n"
            f"Subject: Re: {original.subject}\n"
            f"Message-ID: {message_id}\n"
            f"In-Reply-To: {original.message_id}\n"
            f"References: {original.message_id}\n"
            "Date: Mon, 23 Nov 2026 10:15:00 +0100\n"
            f"{headers}"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n"
            "\n"
            f"{text}\n"
            "\n"
            "Le lun. 23 nov. 2026 à 09:00, Relances a écrit :\n"
            "> Facture contestée ? Merci de régler avant le 30/11, litige sinon.\n"
        )
        self.env["mail.thread"].message_process(None, raw.encode())
        return self.env["fr.dunning.reply"].search([("event_id", "=", event.id)], order="id desc", limit=1)

    def test_reply_is_linked_to_the_reminder_and_read(self):
        invoice, event = self._remind()
        reply = self._reply(event, "Bonjour,\nNous réglerons le 15 décembre.\nCordialement")
        self.assertRecordValues(
            reply,
            [
                {
                    "company_id": self.company.id,
                    "partner_id": self.business.id,
                    "event_id": event.id,
                    "category": "promise",
                    "found_date": date(2026, 12, 15),
                    "evidence": "« réglerons », « 15 décembre »",
                    "state": "suggested",
                }
            ],
        )
        # The reply is the customer's email in their chatter, answering the reminder.
        self.assertEqual(reply.message_id.model, "res.partner")
        self.assertEqual(reply.message_id.res_id, self.business.id)
        self.assertEqual(reply.message_id.parent_id, event.message_id)
        self.assertEqual(reply.message_id.fr_dunning_company_id, self.company)
        # The quoted reminder is not read: it spoke of a "litige".
        self.assertNotIn("litige", reply.text)
        # The history has the reply; nothing else changed by itself.
        history = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("event_type", "=", "reply")]
        )
        self.assertEqual(len(history), 1)
        self.assertIn("« réglerons »", history.note)
        self.assertEqual(history.move_ids, invoice)
        self.assertFalse(invoice.fr_dunning_blocked)
        self.assertFalse(self.env["fr.dunning.promise"].search([("partner_id", "=", self.business.id)]))

    def test_the_same_email_is_read_once(self):
        _invoice, event = self._remind()
        reply = self._reply(event, "Virement effectué le 20/11.")
        again = self._reply(event, "Virement effectué le 20/11.")
        self.assertEqual(again, reply)
        self.assertFalse(self.env["fr.dunning.reply"]._fr_dunning_receive(reply.message_id))
        self.assertEqual(self.env["fr.dunning.reply"].search_count([("event_id", "=", event.id)]), 1)

    def test_one_click_records_the_promise(self):
        invoice, event = self._remind()
        reply = self._reply(event, "Nous réglerons le 15 décembre.")
        reply.with_user(self.dunning_user).action_accept()
        promise = reply.promise_id
        # 1 000.00 excl. tax without tax: the whole amount due is promised.
        self.assertRecordValues(
            promise,
            [
                {
                    "partner_id": self.business.id,
                    "promise_date": date(2026, 12, 15),
                    "amount": 1000.0,
                    "state": "open",
                }
            ],
        )
        self.assertEqual(promise.move_ids, invoice)
        self.assertIn("« réglerons »", promise.note)
        self.assertRecordValues(reply, [{"state": "accepted", "done_by_id": self.dunning_user.id}])
        self.assertEqual(invoice.fr_dunning_blocked, "promise")
        # Once recorded, a second click does nothing.
        reply.with_user(self.dunning_user).action_accept()
        self.assertEqual(
            self.env["fr.dunning.promise"].search_count([("partner_id", "=", self.business.id)]), 1
        )

    def test_a_payment_announced_is_awaited_from_today(self):
        invoice, event = self._remind()
        reply = self._reply(event, "Virement effectué le 20/11.")
        self.assertRecordValues(reply, [{"category": "payment", "found_date": date(2026, 11, 20)}])
        reply.with_user(self.dunning_user).action_accept()
        self.assertEqual(reply.promise_id.promise_date, date(2026, 11, 23))
        self.assertEqual(invoice.fr_dunning_blocked, "promise")

    def test_dispute_reason_is_translated(self):
        # The reasons are the dispute's, labelled in the user's language.
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        Reply = self.env["fr.dunning.reply"].with_user(self.dunning_user)
        labels = dict(
            Reply.with_context(lang="fr_FR").fields_get(["dispute_category"])["dispute_category"]["selection"]
        )
        self.assertEqual(labels["other"], "Autre")
        self.assertEqual(
            list(labels),
            [key for key, _label in self.env["fr.dunning.dispute"]._fields["category"].selection],
        )
        self.assertEqual(
            dict(Reply.fields_get(["dispute_category"])["dispute_category"]["selection"])["other"], "Other"
        )

    def test_one_click_opens_the_dispute_with_its_reason(self):
        invoice, event = self._remind()
        reply = self._reply(event, "Marchandise non reçue, nous ne réglerons pas cette facture.")
        self.assertRecordValues(reply, [{"category": "contest", "dispute_category": "not_received"}])
        # The accountant corrects the reason before opening the dispute.
        reply.with_user(self.dunning_user).dispute_category = "delivery"
        reply.with_user(self.dunning_user).action_accept()
        self.assertRecordValues(reply.dispute_id, [{"category": "delivery", "state": "open"}])
        self.assertEqual(invoice.fr_dunning_blocked, "dispute")

    def test_a_promise_without_date_asks_for_it(self):
        _invoice, event = self._remind()
        reply = self._reply(event, "Nous allons vous régler rapidement.")
        self.assertRecordValues(reply, [{"category": "promise", "found_date": False}])
        with self.assertRaises(UserError):
            reply.with_user(self.dunning_user).action_accept()
        reply.with_user(self.dunning_user).found_date = date(2026, 12, 4)
        reply.with_user(self.dunning_user).action_accept()
        self.assertEqual(reply.promise_id.promise_date, date(2026, 12, 4))

    def test_an_automatic_answer_is_out_of_office(self):
        invoice, event = self._remind()
        reply = self._reply(event, "Merci pour votre message.", headers="Auto-Submitted: auto-replied\n")
        self.assertRecordValues(reply, [{"category": "out_of_office"}])
        self.assertIn("auto-replied", reply.evidence)
        with self.assertRaises(UserError):
            reply.with_user(self.dunning_user).action_accept()
        reply.with_user(self.dunning_user).action_dismiss()
        self.assertRecordValues(reply, [{"state": "dismissed", "done_by_id": self.dunning_user.id}])
        self.assertFalse(invoice.fr_dunning_blocked)

    def test_an_answer_to_another_message_is_not_a_reply_to_a_reminder(self):
        note = self.business.message_post(body="Un autre échange", message_type="comment")
        raw = (
            "From: compta@dupont.example\nTo: relances@example.com\nSubject: Re: autre\n"
            "Message-ID: <other@dupont.example>\n"
            f"In-Reply-To: {note.message_id}\nReferences: {note.message_id}\n"
            "Content-Type: text/plain; charset=utf-8\n\nNous réglerons le 15 décembre.\n"
        )
        self.env["mail.thread"].message_process(None, raw.encode())
        self.assertFalse(self.env["fr.dunning.reply"].search([("partner_id", "=", self.business.id)]))

    def test_who_may_act_on_a_reply(self):
        invoice, event = self._remind()
        reply = self._reply(event, "Nous réglerons le 15 décembre.")
        company_2 = self.setup_other_company(name="Seconde Société SAS")["company"]
        c2_manager = new_test_user(
            self.env,
            login="fr_dunning_replies_c2",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=company_2.id,
            company_ids=[company_2.id],
        )
        for user in (self.billing_user, c2_manager):
            for method in ("action_accept", "action_dismiss"):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    getattr(reply.with_user(user), method)()
        # Another company's users do not see the reply at all.
        self.assertFalse(self.env["fr.dunning.reply"].with_user(c2_manager).search([]))
        # Nobody writes a reply by hand, nor changes what it says, nor deletes it.
        Reply = self.env["fr.dunning.reply"].with_user(self.dunning_manager)
        with self.assertRaises(AccessError):
            Reply.create({"event_id": event.id, "category": "promise", "date": "2026-11-23 10:00:00"})
        with self.assertRaises(AccessError):
            reply.with_user(self.dunning_manager).category = "contest"
        with self.assertRaises(AccessError):
            reply.with_user(self.dunning_manager).evidence = "« rien »"
        with self.assertRaises(AccessError):
            reply.with_user(self.dunning_manager).unlink()
        with self.assertRaises(AccessError):
            reply.message_id.with_user(self.dunning_manager).write({"body": "Réécrit"})
        self.assertRecordValues(reply, [{"state": "suggested", "category": "promise"}])
        self.assertFalse(invoice.fr_dunning_blocked)
