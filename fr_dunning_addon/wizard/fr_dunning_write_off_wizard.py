# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import formatLang

from ..models.fr_dunning_access import GROUP_MANAGER, guarded


class FrDunningWriteOffWizard(models.TransientModel):
    """Confirm a write-off: what goes to the loss account, the VAT recovered
    and the accounts, before anything is posted."""

    _name = "fr.dunning.write.off.wizard"
    _description = "Confirm a write-off"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        required=True,
        check_company=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_amounts",
    )
    single_currency = fields.Boolean(
        compute="_compute_amounts",
    )
    amount_total = fields.Monetary(
        string="Written off, VAT included",
        currency_field="currency_id",
        compute="_compute_amounts",
    )
    amount_untaxed = fields.Monetary(
        string="Loss, excluding VAT",
        currency_field="currency_id",
        compute="_compute_amounts",
        help="Debited to the loss account (PCG 6541 for invoices of the financial year, 6544 for "
        "earlier ones, unless another account is set in the dunning settings).",
    )
    amount_tax = fields.Monetary(
        string="VAT recovered",
        currency_field="currency_id",
        compute="_compute_amounts",
        help="The VAT of the unpaid part, reversed on the collected VAT account by the credit note "
        "(CGI art. 272-1).",
    )
    summary = fields.Html(
        string="Entries",
        compute="_compute_amounts",
        sanitize=False,
    )

    @api.depends("move_ids")
    def _compute_amounts(self):
        for wizard in self:
            plans = wizard.move_ids._fr_dunning_write_off_plan() if wizard.move_ids else {}
            currencies = wizard.move_ids.currency_id
            wizard.single_currency = len(currencies) <= 1
            wizard.currency_id = currencies[:1] or wizard.company_id.currency_id
            wizard.amount_total = sum(plan["residual"] for plan in plans.values())
            wizard.amount_untaxed = sum(plan["untaxed"] for plan in plans.values())
            wizard.amount_tax = sum(plan["tax"] for plan in plans.values())
            wizard.summary = wizard._summary(plans)

    def _summary(self, plans):
        """One row per invoice: amount, loss and its account, VAT and its accounts."""
        rows = Markup()
        for invoice, plan in plans.items():
            currency = invoice.currency_id

            def amount(value, currency=currency):
                return formatLang(self.env, value, currency_obj=currency)

            taxes = Markup("<br/>").join(
                Markup("%s %s") % (account.display_name, amount(value))
                for account, value in plan["tax_accounts"].items()
            )
            rows += Markup("<tr><td>%s</td><td class='text-end'>%s</td><td>%s %s</td><td>%s</td></tr>") % (
                invoice.name,
                amount(plan["residual"]),
                plan["loss_account"].display_name,
                amount(plan["untaxed"]),
                taxes or "-",
            )
        header = Markup("<tr><th>%s</th><th class='text-end'>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Invoice"),
            self.env._("Written off, VAT included"),
            self.env._("Loss, excluding VAT (debit)"),
            self.env._("VAT recovered (debit)"),
        )
        return Markup("<table class='table table-sm'>%s%s</table>") % (header, rows)

    @api.model
    def _open(self, invoices):
        if len(invoices.company_id) > 1:
            raise UserError(self.env._("Write off the invoices of one company at a time."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write off (irrecoverable)"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_company_id": invoices.company_id.id,
                "default_move_ids": [Command.set(invoices.ids)],
            },
        }

    @guarded(GROUP_MANAGER, "write")
    def action_confirm(self):
        """Post the write-off credit notes and reconcile them with the invoices."""
        self.ensure_one()
        refunds = self.move_ids._fr_dunning_write_off_check()._fr_dunning_write_off()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write-off credit notes"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", refunds.ids)],
        }
