# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..models.fr_dunning_access import GROUP_MANAGER, guarded
from ..models.fr_dunning_evidence import history_env


class FrDunningAcknowledgement(models.TransientModel):
    """Record that the customer acknowledged its debt in writing.

    An acknowledgement starts the prescription again (Code civil 2240): it
    moves the last day the claim can be brought to court by years. So it is
    recorded by a dunning manager only, on a date that has passed, with the
    signed document, which stays on the event as evidence."""

    _name = "fr.dunning.acknowledgement"
    _description = "Record an acknowledgement of debt"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices acknowledged",
        required=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted')]",
    )
    date = fields.Date(
        string="Signed on",
        required=True,
        default=fields.Date.context_today,
    )
    document = fields.Binary(
        string="Signed document",
        required=True,
        help="The letter, email or payment plan in which the customer acknowledges the debt.",
    )
    document_name = fields.Char()
    note = fields.Text()

    @api.model
    def _open(self, moves):
        partner = moves.commercial_partner_id
        if len(partner) != 1:
            raise UserError(self.env._("Select invoices of one customer."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Acknowledgement of debt"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": partner.id, "default_move_ids": [Command.set(moves.ids)]},
        }

    @guarded(GROUP_MANAGER, "write")
    def action_record(self):
        self.ensure_one()
        if self.date > fields.Date.context_today(self):
            raise ValidationError(self.env._("An acknowledgement of debt cannot be dated in the future."))
        if self.move_ids.commercial_partner_id != self.partner_id.commercial_partner_id:
            raise ValidationError(self.env._("The invoices must all be invoices of the customer."))
        # The history is written in the company's language.
        env = history_env(self.env, self.company_id)
        text = env._(
            "Debt acknowledged in writing by the customer on %(date)s (Code civil 2240): the prescription "
            "starts again from that day.",
            date=format_date(env, self.date),
        )
        if self.note:
            text = f"{text} {self.note}"
        event = self.env["fr.dunning.event"]._fr_dunning_record(
            [
                {
                    "name": env._("Acknowledgement of debt"),
                    "date": datetime.combine(self.date, time(12)),
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.commercial_partner_id.id,
                    "move_ids": [Command.set(self.move_ids.ids)],
                    "event_type": "acknowledgement",
                    "channel": "manual",
                    "currency_id": self.move_ids.currency_id[:1].id or self.company_id.currency_id.id,
                    "amount_residual": sum(self.move_ids.mapped("amount_residual")),
                    "note": Markup("<p>%s</p>") % text,
                }
            ]
        )
        document = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.document_name or self.env._("Acknowledgement of debt"),
                    "datas": self.document,
                    "res_model": event._name,
                    "res_id": event.id,
                }
            )
        )
        event.sudo().attachment_ids = [Command.link(document.id)]
        return {
            "type": "ir.actions.act_window",
            "res_model": event._name,
            "res_id": event.id,
            "view_mode": "form",
            "target": "current",
        }
