# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .fr_dunning_evidence import reader_env

UNDELIVERED = ("bounce", "exception")


class MailNotification(models.Model):
    """A reminder email that did not reach the customer is followed up.

    Odoo's mail queue and bounce handling write the delivery status on the
    email's notifications; the reminder's event shows it (``email_status``),
    and the customer's responsible gets a to-do to check the address."""

    _inherit = "mail.notification"

    def write(self, vals):
        # EXTENDS 'mail'
        result = super().write(vals)
        if vals.get("notification_status") in UNDELIVERED:
            self._fr_dunning_undelivered()
        return result

    def _fr_dunning_undelivered(self):
        events = (
            self.env["fr.dunning.event"]
            .sudo()
            .search([("message_id", "in", self.mail_message_id.ids), ("channel", "=", "email")])
        )
        Escalation = self.env["fr.dunning.escalation"].sudo()
        for event in events:
            partner, company = event.partner_id, event.company_id
            responsible = Escalation._responsible(partner, company)
            # Written for the responsible, in their language (the mail queue runs as OdooBot).
            env = reader_env(self.env, responsible, company)
            summary = env._("Reminder email not delivered: check the address")
            pending = partner.activity_ids.filtered(
                lambda a, s=summary, u=responsible: a.summary == s and a.user_id == u
            )
            if pending:
                continue
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=env._(
                    "The reminder %(reference)s to %(partner)s was not delivered (%(email)s). Correct the "
                    "email address, then send the reminder again.",
                    reference=event.reference,
                    partner=partner.name,
                    email=", ".join(event.email_recipient_ids.mapped("email")) or "—",
                ),
                user_id=responsible.id,
            )
