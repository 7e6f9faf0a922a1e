# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reminder emails are evidence: each one is the chatter message
``message_post`` would write, with its recipients and one delivery
notification per recipient, which Odoo's mail queue keeps up to date."""

import base64
from datetime import date

from freezegun import freeze_time

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestReminderEmails(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business.email = "compta@dupont.example"
        cls.accounting = cls.env["res.partner"].create(
            {
                "name": "Service comptable Dupont",
                "parent_id": cls.business.id,
                "type": "invoice",
                "email": "factures@dupont.example",
            }
        )

    def _send(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        # The PDF Odoo keeps of a sent invoice goes with the reminder.
        invoice.invoice_pdf_report_file = base64.b64encode(b"%PDF-1.4 invoice")
        self.env["fr.dunning.escalation"].with_user(self.dunning_user)._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=self.business
        )
        event = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        self.assertEqual(event.channel, "email")
        return invoice, event

    def test_email_has_its_recipients_and_notifications(self):
        invoice, event = self._send()
        message = event.message_id
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(len(mail), 1)
        self.assertRecordValues(
            mail, [{"state": "outgoing", "is_notification": True, "recipient_ids": self.accounting.ids}]
        )
        # The invoicing contact is the recipient, in the message and in the queue.
        self.assertEqual(message.partner_ids, self.accounting)
        self.assertRecordValues(
            message.notification_ids,
            [
                {
                    "res_partner_id": self.accounting.id,
                    "notification_type": "email",
                    "notification_status": "ready",
                    "mail_mail_id": mail.id,
                }
            ],
        )
        self.assertEqual(message.attachment_ids, invoice.invoice_pdf_report_id)
        self.assertEqual(message.fr_dunning_company_id, self.company)
        self.assertEqual(message.author_id, self.dunning_user.partner_id)
        self.assertIn("-res.partner@", message.message_id)
        self.assertIn(message, self.business.message_ids)
        # The event shows what was sent, to whom, and where it stands.
        self.assertRecordValues(
            event,
            [
                {
                    "email_subject": message.subject,
                    "email_recipient_ids": self.accounting.ids,
                    "email_attachment_ids": invoice.invoice_pdf_report_id.ids,
                    "email_status": "ready",
                }
            ],
        )
        self.assertTrue(message.subject)
        # No note on the invoice: its history is its events.
        self.assertFalse(invoice.message_ids.filtered(lambda m: "Dunning:" in (m.body or "")))
        self.assertEqual(invoice.fr_dunning_event_ids, event)
        # Deleting the email from the queue leaves the evidence in the chatter.
        mail.unlink()
        self.assertTrue(message.exists())
        self.assertEqual(event.message_id, message)

    def test_email_copy_is_what_message_post_writes(self):
        _invoice, event = self._send()
        ours = event.message_id
        reference = self.business.sudo().message_post(
            body=ours.body,
            subject=ours.subject,
            author_id=ours.author_id.id,
            email_from=ours.email_from,
            reply_to=ours.reply_to,
            partner_ids=ours.partner_ids.ids,
            attachment_ids=ours.attachment_ids.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        for name in (
            "model",
            "res_id",
            "record_name",
            "message_type",
            "subtype_id",
            "author_id",
            "email_from",
            "reply_to",
            "subject",
            "body",
            "partner_ids",
            "is_internal",
            "email_add_signature",
        ):
            self.assertEqual(ours[name], reference[name], name)
        self.assertEqual(
            ours.notification_ids.mapped(lambda n: (n.res_partner_id, n.notification_type)),
            reference.notification_ids.mapped(lambda n: (n.res_partner_id, n.notification_type)),
        )

    def test_delivery_status_from_the_mail_queue(self):
        _invoice, event = self._send()
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", event.message_id.id)])
        # What the mail queue does once the SMTP server took the email.
        mail._postprocess_sent_message(success_pids=self.accounting)
        event.invalidate_recordset(["email_status"])
        self.assertEqual(event.email_status, "sent")
        self.assertFalse(self.business.activity_ids)

    def test_undelivered_email_gives_a_todo(self):
        _invoice, event = self._send()
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", event.message_id.id)])
        # What the mail queue does when the server refuses the recipient.
        mail._postprocess_sent_message(
            success_pids=self.env["res.partner"],
            failure_reason="550 no such user",
            failure_type="mail_email_invalid",
        )
        event.invalidate_recordset(["email_status"])
        self.assertEqual(event.email_status, "exception")
        todo = self.business.activity_ids.filtered(lambda a: event.reference in (a.note or ""))
        self.assertEqual(len(todo), 1)
        self.assertIn("factures@dupont.example", todo.note)
        # A bounce reported later for the same email: still one to-do.
        event.message_id.notification_ids.sudo().write({"notification_status": "bounce"})
        event.invalidate_recordset(["email_status"])
        self.assertEqual(event.email_status, "bounce")
        self.assertEqual(len(self.business.activity_ids.filtered(lambda a: a.summary == todo.summary)), 1)

    def test_attachments_checked_as_the_user(self):
        """A user cannot attach to a reminder a file they may not read, even
        though the flow writes the messages as superuser."""
        private = self.env["ir.attachment"].create({"name": "salaires.pdf", "raw": b"%PDF-1.4 private"})
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        invoice.sudo().invoice_pdf_report_id = private
        with self.assertRaises(Exception) as raised:
            self.env["fr.dunning.escalation"].with_user(self.dunning_user)._run(
                self.company, today=date(2026, 11, 23), automatic=False, partners=self.business
            )
        self.assertEqual(type(raised.exception).__name__, "AccessError")
        self.assertFalse(
            self.env["mail.message"]
            .search(
                [("model", "=", "res.partner"), ("res_id", "=", self.business.id), ("subject", "!=", False)]
            )
            .filtered(lambda m: private in m.attachment_ids)
        )
