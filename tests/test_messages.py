# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from markupsafe import Markup

from odoo import Command
from odoo.exceptions import AccessError

from odoo.addons.fr_dunning_addon.models import fr_dunning_messages
from odoo.addons.fr_dunning_addon.models.fr_dunning_messages import (
    SanitizerProcess,
    insert_messages,
    sanitize_bodies,
    sanitize_options,
)

from .common import TODAY, FrDunningCase

# Bodies the sanitizer changes in various ways.
TRICKY_BODIES = [
    "<p>Madame, Monsieur,</p><script>alert('x')</script>",
    '<p onclick="steal()" style="color: red; position: fixed; font-weight: bold">Réglez 1 200,00 €</p>',
    '<table style="border-collapse: collapse"><tr><td style="padding: 4px 8px">BENCH/1</td></tr></table>',
    '<form action="https://evil.example"><input name="iban"/></form><iframe src="https://evil.example"></iframe>',
    "<!--[if mso]><p>Outlook</p><![endif]--><p>Texte &amp; suite</p>",
    "<div><p>Non fermé<div>imbriqué",
    '<a href="javascript:alert(1)">lien</a> <a href="https://example.com/my/invoices/1">facture</a>',
    "Texte brut < 3 & > 2",
]
# Columns that differ between two messages by nature.
OWN_COLUMNS = {"id", "message_id", "date"}


@freeze_time(TODAY)
class TestBulkMessages(FrDunningCase):
    """The chatter messages written in bulk are the rows the ORM writes."""

    def _rows(self, *message_ids):
        self.env.flush_all()
        self.env.cr.execute("SELECT * FROM mail_message WHERE id IN %s ORDER BY id", [message_ids])
        names = [column.name for column in self.env.cr.description]
        return [dict(zip(names, row, strict=True)) for row in self.env.cr.fetchall()]

    def _attachments(self, message_id):
        self.env.cr.execute(
            "SELECT attachment_id FROM message_attachment_rel WHERE message_id = %s ORDER BY 1", [message_id]
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def assertSameMessage(self, ours, orm):
        self.assertTrue(ours["body"])
        for column, value in orm.items():
            if column not in OWN_COLUMNS:
                self.assertEqual(ours[column], value, f"column {column}")
        self.assertAlmostEqual(ours["date"], orm["date"], delta=timedelta(seconds=5))

    def test_invoice_note_is_the_row_of_message_log_batch(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        body = Markup("Dunning: <b>Courteous</b> reminder (email).<script>alert(1)</script>")
        Move = self.env["account.move"]
        orm = invoice._message_log_batch(bodies={invoice.id: body})
        ours = self.env["fr.dunning.escalation"]._log_notes(Move, {invoice.id: body})
        self.assertEqual(len(ours), 1)
        ours_row, orm_row = (
            self._rows(ours[0], orm.id)[::-1] if ours[0] < orm.id else self._rows(orm.id, ours[0])
        )
        self.assertSameMessage(ours_row, orm_row)
        # Sanitized by the body field's rule: the script is gone.
        self.assertNotIn("script", ours_row["body"])
        self.assertIn("<b>Courteous</b>", ours_row["body"])
        self.assertRegex(ours_row["message_id"], r"message-notify")
        # In the invoice's chatter, even when its messages were read before.
        self.assertIn(ours[0], invoice.message_ids.ids)

    def test_email_copy_is_the_row_the_orm_writes(self):
        self.business.email = "compta@dupont.example"
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        # The PDF Odoo keeps of a sent invoice goes with the reminder.
        invoice.invoice_pdf_report_file = base64.b64encode(b"%PDF-1.4 invoice")
        self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23), partners=self.business)
        event = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        self.assertEqual(event.channel, "email")
        message = event.message_id
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertTrue(mail.is_notification)
        # The same values through the ORM, as the email was once created.
        reference = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "model": "res.partner",
                    "res_id": self.business.id,
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "author_id": message.author_id.id,
                    "email_from": message.email_from,
                    "reply_to": message.reply_to,
                    "subject": message.subject,
                    "body": mail.body_html,
                    "attachment_ids": [Command.set(message.attachment_ids.ids)],
                    "fr_dunning_company_id": self.company.id,
                    "body_html": mail.body_html,
                    "recipient_ids": [Command.set(mail.recipient_ids.ids)],
                    "auto_delete": False,
                    "state": "outgoing",
                }
            )
        )
        ours_row, orm_row = self._rows(message.id, reference.mail_message_id.id)
        self.assertSameMessage(ours_row, orm_row)
        self.assertIn("-res.partner@", ours_row["message_id"])
        self.assertEqual(message.attachment_ids, invoice.invoice_pdf_report_id)
        self.assertEqual(self._attachments(message.id), self._attachments(reference.mail_message_id.id))
        self.assertIn(message, self.business.message_ids)
        # Deleting the email from the queue leaves the evidence in the chatter.
        mail.unlink()
        self.assertTrue(message.exists())

    def test_images_as_data_urls_become_attachments(self):
        png = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )
        ids = insert_messages(
            self.env,
            [
                {
                    "model": "res.partner",
                    "res_id": self.business.id,
                    "message_type": "comment",
                    "body": Markup('<p>Logo <img src="data:image/png;base64,%s"></p>') % png,
                },
                {
                    "model": "res.partner",
                    "res_id": self.business.id,
                    "message_type": "comment",
                    "body": "<p>Plain</p>",
                },
            ],
        )
        messages = self.env["mail.message"].browse(ids)
        self.assertEqual(len(messages.exists()), 2)
        self.assertEqual(len(messages[0].attachment_ids), 1)
        self.assertNotIn("data:image", messages[0].body)
        self.assertIn("/web/image/", messages[0].body)
        self.assertEqual(messages[1].body, Markup("<p>Plain</p>"))

    def test_bodies_sanitized_in_a_helper_process_as_by_the_field(self):
        Message = self.env["mail.message"]
        field = Message._fields["body"]
        expected = [field.convert_to_column(body, Message) for body in TRICKY_BODIES]
        self.assertNotEqual(expected, TRICKY_BODIES, "the bodies must be ones the sanitizer changes")
        helper = SanitizerProcess(sanitize_options(field), TRICKY_BODIES)
        self.assertEqual(helper.results(), expected)
        # Through sanitize_bodies, half here and half in the helper.
        sanitized = {}
        with patch.object(fr_dunning_messages, "PARALLEL_MIN", 2):
            sanitize_bodies(Message, TRICKY_BODIES + TRICKY_BODIES[:2], sanitized)
        self.assertEqual([sanitized[body] for body in TRICKY_BODIES], expected)

    def test_a_failed_helper_process_leaves_the_work_to_this_one(self):
        Message = self.env["mail.message"]
        field = Message._fields["body"]
        with self.assertLogs(fr_dunning_messages.__name__, "WARNING") as logs:
            self.assertIsNone(
                SanitizerProcess(sanitize_options(field), TRICKY_BODIES, executable="/bin/false").results()
            )
            sanitized = {}
            with (
                patch.object(fr_dunning_messages, "PARALLEL_MIN", 2),
                patch.object(fr_dunning_messages.sys, "executable", "/bin/false"),
            ):
                sanitize_bodies(Message, TRICKY_BODIES, sanitized)
        self.assertIn("sanitizer process failed", logs.output[0])
        self.assertEqual(
            [sanitized[body] for body in TRICKY_BODIES],
            [field.convert_to_column(body, Message) for body in TRICKY_BODIES],
        )

    def test_attachments_checked_as_the_user(self):
        """As Message.create: a user cannot attach to a message a file they
        may not read, even though the messages are written as superuser."""
        private = self.env["ir.attachment"].create({"name": "salaires.pdf", "raw": b"%PDF-1.4 private"})
        other = self.env["ir.attachment"].create(
            {
                "name": "facture.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "res.partner",
                "res_id": self.business.id,
            }
        )
        values = {
            "model": "res.partner",
            "res_id": self.business.id,
            "message_type": "comment",
            "body": "<p>Relance</p>",
        }
        user_env = self.env(user=self.dunning_user)
        with self.assertRaises(AccessError):
            insert_messages(user_env, [{**values, "attachment_ids": [private.id]}])
        [message_id] = insert_messages(user_env, [{**values, "attachment_ids": [other.id]}])
        self.assertEqual(self.env["mail.message"].browse(message_id).attachment_ids, other)
