# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Litigation (contentieux) and write-off (passage en perte): decisions of a
dunning manager."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_MANAGER, guarded
from .fr_dunning_evidence import history_env


class FrDunningLitigation(models.Model):
    """Invoices handed over to litigation: chasing stops for good, they show
    as "in litigation" everywhere, and the route, the external party, the costs
    and the outcome are recorded."""

    _name = "fr.dunning.litigation"
    _inherit = ["fr.dunning.pause.mixin"]
    _description = "Litigation"
    _order = "state, date_start desc, id desc"
    _fr_dunning_reason = "litigation"
    # Litigation prevails over the amicable pauses: the invoices are in litigation.
    _fr_dunning_replaces = ("dispute", "promise", "payment_plan", "excluded")

    name = fields.Char(
        compute="_compute_name",
        store=True,
    )
    route = fields.Selection(
        selection=law.LITIGATION_ROUTES,
        required=True,
        default="injunction",
        tracking=True,
    )
    external_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Lawyer / commissaire de justice / agency",
        tracking=True,
    )
    date_start = fields.Date(
        string="Handed over on",
        required=True,
        default=fields.Date.context_today,
    )
    date_end = fields.Date(
        string="Closed on",
        readonly=True,
    )
    costs = fields.Monetary(
        string="Costs incurred",
        currency_field="company_currency_id",
        tracking=True,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id",
        string="Company currency",
    )
    outcome = fields.Selection(
        selection=[
            ("paid", "Paid"),
            ("partially_paid", "Partially paid"),
            ("judgment", "Judgment obtained"),
            ("written_off", "Written off"),
        ],
        tracking=True,
    )
    state = fields.Selection(
        selection=[("open", "In litigation"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )

    @api.depends("partner_id", "route")
    def _compute_name(self):
        labels = dict(self._fields["route"]._description_selection(self.env))
        for litigation in self:
            litigation.name = f"{litigation.partner_id.name or ''} — {labels.get(litigation.route, '')}"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group("fr_dunning_addon.group_fr_dunning_manager"):
            raise AccessError(self.env._("Only dunning managers can move invoices to litigation."))
        litigations = super().create(vals_list)
        for litigation in litigations:
            # The history is written in the company's language.
            env = history_env(self.env, litigation.company_id)
            labels = dict(self._fields["route"]._description_selection(env))
            party = litigation.external_partner_id.name
            text = (
                env._(
                    "Handed over to litigation: %(route)s (%(party)s)",
                    route=labels[litigation.route],
                    party=party,
                )
                if party
                else env._("Handed over to litigation: %(route)s", route=labels[litigation.route])
            )
            litigation._fr_dunning_pause(text)
            event_type = "legal_action" if litigation.route in law.HANDOVER_LEGAL_ACTION_ROUTES else "note"
            litigation._fr_dunning_log(event_type, env._("Litigation"), text)
        return litigations

    @guarded(GROUP_MANAGER, "write")
    def action_close(self):
        """Close with the outcome entered; the invoices leave litigation."""
        for litigation in self.filtered(lambda lit: lit.state == "open"):
            if not litigation.outcome:
                raise UserError(self.env._("Enter the outcome of the litigation first."))
            litigation.sudo().write({"state": "closed", "date_end": fields.Date.context_today(self)})
            litigation._fr_dunning_resume()
            env = history_env(self.env, litigation.company_id)
            labels = dict(self._fields["outcome"]._description_selection(env))
            litigation._fr_dunning_log(
                "note",
                env._("Litigation closed"),
                env._("Litigation closed: %(outcome)s", outcome=labels[litigation.outcome]),
            )
