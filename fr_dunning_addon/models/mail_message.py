# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class MailMessage(models.Model):
    """Dunning messages on a customer belong to the company that chased.

    A customer (``res.partner``) is shared by the companies of the database,
    and so is its chatter: the reminders, calls and notes a company writes on
    it carry ``fr_dunning_company_id``, and a record rule hides them from the
    users of the other companies. The chatter copy of a reminder sent is the
    evidence of what was sent: nobody edits or deletes it."""

    _inherit = "mail.message"

    fr_dunning_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Dunning company",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The company whose dunning wrote this message: only its users see it.",
    )

    @api.private
    def init(self):
        # EXTENDS 'mail': the chatter copies of the reminders sent before this
        # field existed take the company of their event, through the ORM.
        result = super().init()
        if "fr.dunning.event" in self.env:
            events = (
                self.env["fr.dunning.event"]
                .sudo()
                .search([("message_id", "!=", False), ("message_id.fr_dunning_company_id", "=", False)])
            )
            for company, company_events in events.grouped("company_id").items():
                company_events.message_id.write({"fr_dunning_company_id": company.id})
        return result

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # EXTENDS 'mail': its override reads the rows in SQL after flushing only
        # its own fields; the company rule reads this one.
        self.flush_model(["fr_dunning_company_id"])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def write(self, vals):
        # EXTENDS 'mail': a reminder sent, a call noted are evidence; the
        # company they belong to is the flows'.
        if not self.env.su:
            if "fr_dunning_company_id" in vals:
                raise AccessError(
                    self.env._("The company of a dunning message is set by the dunning actions.")
                )
            self._fr_dunning_check_not_evidence()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dunning_evidence(self):
        if not self.env.su:
            self._fr_dunning_check_not_evidence()

    def _fr_dunning_check_not_evidence(self):
        """Refuse to change the dunning messages of ``self``: the reminders'
        copies and the notes the dunning actions wrote on a customer."""
        Event = self.env["fr.dunning.event"].sudo()
        if self and (
            self.sudo().filtered("fr_dunning_company_id")
            or Event.search_count([("message_id", "in", self.ids)], limit=1)
        ):
            raise AccessError(
                self.env._("A reminder sent is evidence of the dunning: its message cannot be changed.")
            )


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _check_can_update_message_content(self, messages):
        # EXTENDS 'mail': the chatter's "edit" runs as superuser once the author
        # is checked; a dunning message stays as it was sent, whoever asks.
        result = super()._check_can_update_message_content(messages)
        messages._fr_dunning_check_not_evidence()
        return result
