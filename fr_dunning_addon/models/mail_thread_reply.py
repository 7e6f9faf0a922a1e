# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .fr_dunning_reply_rules import AUTO_REPLY_HEADERS


class MailThread(models.AbstractModel):
    """The mail gateway hands a customer's answer to a reminder to the
    dunning: the reply is posted on the customer's chatter by Odoo (the
    reminder's thread), then read (fr_dunning_reply.py)."""

    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        # EXTENDS 'mail': the headers of an automatic answer are only known here.
        thread_id = super()._message_route_process(message, message_dict, routes)
        if message_dict.get("parent_id") and any(route[0] == "res.partner" for route in routes or ()):
            headers = {
                name: message.get(name) for name in (*AUTO_REPLY_HEADERS, "precedence") if message.get(name)
            }
            posted = (
                self.env["mail.message"]
                .sudo()
                .search([("message_id", "=", message_dict["message_id"]), ("model", "=", "res.partner")])
            )
            self.env["fr.dunning.reply"].sudo()._fr_dunning_receive(posted, headers)
        return thread_id
