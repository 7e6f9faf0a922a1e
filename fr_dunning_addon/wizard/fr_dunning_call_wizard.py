# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from ..models.fr_dunning_access import GROUP_USER, guarded
from ..models.fr_dunning_evidence import history_env


class FrDunningCallWizard(models.TransientModel):
    """Log a phone call with a customer and what came of it."""

    _name = "fr.dunning.call.wizard"
    _description = "Log a dunning call"
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
        string="Invoices discussed",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    outcome = fields.Selection(
        # The event's outcomes, translated (a callable selection is shown as it returns).
        selection=lambda self: (
            self.env["fr.dunning.event"]._fields["outcome"]._description_selection(self.env)
        ),
        required=True,
        default="no_answer",
    )
    promise_date = fields.Date(
        string="Promised payment date",
    )
    promise_amount = fields.Monetary(
        string="Promised amount",
        currency_field="currency_id",
        compute="_compute_promise_amount",
        store=True,
        readonly=False,
        precompute=True,
        help="What the customer promises to pay; by default, what the invoices discussed still owe.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
    )
    note = fields.Text(
        help="What was said. For a dispute, its reason: the invoices discussed are paused.",
    )

    @api.depends("move_ids", "company_id")
    def _compute_currency_id(self):
        # The invoices' currency, as the promise records it (fr_dunning_case).
        for wizard in self:
            wizard.currency_id = wizard.move_ids.currency_id[:1] or wizard.company_id.currency_id

    @api.depends("move_ids")
    def _compute_promise_amount(self):
        for wizard in self:
            wizard.promise_amount = sum(wizard.move_ids.mapped("amount_residual"))

    @api.model
    def _open(self, partners):
        partner = partners.commercial_partner_id[:1]
        if not partner:
            raise UserError(self.env._("Select a customer."))
        invoices = partner._fr_dunning_overdue_invoices()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a call"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_company_id": self.env.company.id,
                "default_partner_id": partner.id,
                "default_move_ids": [Command.set(invoices.ids)],
            },
        }

    @guarded(GROUP_USER, "write")
    def action_log(self):
        self.ensure_one()
        if self.outcome == "promise" and not self.promise_date:
            raise UserError(self.env._("A promise to pay needs its date."))
        if self.outcome == "dispute" and not (self.move_ids and self.note):
            raise UserError(self.env._("A dispute needs the invoices concerned and its reason."))
        # The history is evidence, written once: in the company's language,
        # whoever logs the call.
        env = history_env(self.env, self.company_id)
        outcome_label = dict(env["fr.dunning.event"]._fields["outcome"]._description_selection(env))[
            self.outcome
        ]
        parts = [outcome_label]
        if self.outcome == "promise":
            parts.append(
                env._(
                    "payment of %(amount)s promised for %(date)s",
                    amount=formatLang(env, self.promise_amount, currency_obj=self.currency_id),
                    date=format_date(env, self.promise_date),
                )
            )
        if self.note:
            parts.append(self.note)
        text = " — ".join(parts)
        event = self.env["fr.dunning.event"]._fr_dunning_record(
            [
                {
                    "name": env._("Call: %(outcome)s", outcome=outcome_label),
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.id,
                    "move_ids": [Command.set(self.move_ids.ids)],
                    "event_type": "call",
                    "channel": "phone",
                    "outcome": self.outcome,
                    "user_id": self.env.uid,
                    "currency_id": self.currency_id.id,
                    "amount_residual": sum(self.move_ids.mapped("amount_residual")),
                    "note": Markup("<p>%s</p>") % text,
                }
            ]
        )
        if self.outcome == "dispute":
            self.env["fr.dunning.dispute"].create(
                {
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.id,
                    "move_ids": [Command.set(self.move_ids.ids)],
                    "note": self.note,
                }
            )
        if self.outcome == "promise" and self.move_ids:
            self.env["fr.dunning.promise"].create(
                {
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.id,
                    "move_ids": [Command.set(self.move_ids.ids)],
                    "promise_date": self.promise_date,
                    "amount": self.promise_amount or sum(self.move_ids.mapped("amount_residual")),
                    "note": self.note,
                }
            )
        # The call activities of this customer assigned to me are done.
        calls = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.partner_id.id),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_call").id),
                ("user_id", "=", self.env.uid),
            ]
        )
        calls.action_feedback(feedback=text)
        body = Markup("%s") % self.env._("Dunning call logged: %(text)s", text=text)
        self.partner_id._fr_dunning_log_note(body, self.company_id)
        if self.move_ids:
            self.move_ids._message_log_batch(bodies=dict.fromkeys(self.move_ids.ids, body))
        return {"type": "ir.actions.act_window_close", "infos": {"event_id": event.id}}
