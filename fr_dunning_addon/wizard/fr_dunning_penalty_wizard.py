# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from ..models.fr_dunning_access import GROUP_USER, guarded


class FrDunningPenaltyWizard(models.TransientModel):
    _name = "fr.dunning.penalty.wizard"
    _description = "Bill late-payment penalties"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    at_date = fields.Date(
        string="Compute to",
        required=True,
        default=fields.Date.context_today,
        help="Interest runs up to this day (or to the payment, for invoices paid since). The "
        "penalty invoice is dated the day it is issued, today; its lines state the period they "
        "charge.",
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Late invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('fr_dunning_is_penalty_invoice', '=', False)]",
    )
    with_interest = fields.Boolean(
        string="Late-payment interest",
        default=True,
    )
    with_indemnity = fields.Boolean(
        string="40 EUR recovery indemnity",
        default=True,
        help="Once per late invoice, business customers only (Code de commerce D441-5).",
    )
    complementary_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Complementary indemnity on",
        check_company=True,
        domain="[('id', 'in', move_ids)]",
        help="When your recovery costs exceed 40 EUR, a complementary indemnity can be claimed "
        "on justification (Code de commerce L441-10 II).",
    )
    complementary_amount = fields.Float(
        string="Complementary amount",
        digits="Account",
    )
    complementary_reason = fields.Char(
        string="Justification",
        help="What the costs are (e.g. commissaire de justice's fees, invoice no.).",
    )
    preview = fields.Html(
        compute="_compute_preview",
        sanitize=False,
    )

    @api.depends("move_ids", "at_date", "with_interest", "with_indemnity")
    def _compute_preview(self):
        for wizard in self:
            moves = wizard.move_ids._origin
            if not moves or not wizard.at_date:
                wizard.preview = False
                continue
            try:
                results = moves._fr_dunning_penalties(at_date=wizard.at_date, uncharged_only=True)
                # The customers' invoices whose overcharged interest the billing gives back.
                with_give_backs = moves._fr_dunning_give_back_invoices()
                overcharges = with_give_backs._fr_dunning_overcharges()
            except UserError as error:
                wizard.preview = Markup('<div class="alert alert-warning mb-0">%s</div>') % error.args[0]
                continue
            rows = Markup()
            for move in moves | with_give_backs.browse(list(overcharges)):
                result = results.get(move.id) or {"days_late": "", "interest": 0.0, "indemnity": 0.0}
                interest = result["interest"] if wizard.with_interest else 0.0
                indemnity = result["indemnity"] if wizard.with_indemnity else 0.0
                given = sum(give_back["amount"] for give_back in overcharges.get(move.id, []))
                rows += Markup(
                    "<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td><td class='text-end'>%s</td><td>%s</td></tr>"
                ) % (
                    move.name,
                    move.partner_id.display_name,
                    result["days_late"],
                    formatLang(self.env, interest, currency_obj=move.currency_id),
                    formatLang(self.env, indemnity, currency_obj=move.currency_id),
                    formatLang(self.env, -given, currency_obj=move.currency_id) if given else "",
                    result.get("reason") or "",
                )
            wizard.preview = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "<th></th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Invoice"),
                self.env._("Customer"),
                self.env._("Days late"),
                self.env._(
                    "Interest not yet charged to %(date)s", date=format_date(self.env, wizard.at_date)
                ),
                self.env._("Indemnity"),
                self.env._("Interest given back"),
                rows,
            )

    @guarded(GROUP_USER, "write")
    def action_create(self):
        self.ensure_one()
        if not self.move_ids:
            raise UserError(self.env._("Select at least one late invoice."))
        if self.complementary_amount < 0:
            raise UserError(self.env._("The complementary indemnity cannot be negative."))
        complementary = {}
        if self.complementary_move_id and self.complementary_amount:
            if not self.complementary_reason:
                raise UserError(self.env._("A complementary indemnity needs its justification."))
            complementary[self.complementary_move_id.id] = (
                self.complementary_amount,
                self.complementary_reason,
            )
        penalty_moves = self.move_ids._fr_dunning_create_penalty_invoices(
            at_date=self.at_date,
            with_interest=self.with_interest,
            with_indemnity=self.with_indemnity,
            complementary=complementary,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        if len(penalty_moves) == 1:
            action.update({"views": [(False, "form")], "res_id": penalty_moves.id})
        else:
            action["domain"] = [("id", "in", penalty_moves.ids)]
        return action
