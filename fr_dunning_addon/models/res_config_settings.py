# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fr_dunning_contractual_rate = fields.Float(
        related="company_id.fr_dunning_contractual_rate",
        readonly=False,
    )
    fr_dunning_interest_account_id = fields.Many2one(
        related="company_id.fr_dunning_interest_account_id",
        readonly=False,
    )
    fr_dunning_indemnity_account_id = fields.Many2one(
        related="company_id.fr_dunning_indemnity_account_id",
        readonly=False,
    )
    fr_dunning_payment_term_check = fields.Selection(
        related="company_id.fr_dunning_payment_term_check",
        readonly=False,
    )
    fr_dunning_invoice_mentions = fields.Boolean(
        related="company_id.fr_dunning_invoice_mentions",
        readonly=False,
    )
    fr_dunning_tolerance = fields.Monetary(
        related="company_id.fr_dunning_tolerance",
        readonly=False,
    )
    fr_dunning_large_amount = fields.Monetary(
        related="company_id.fr_dunning_large_amount",
        readonly=False,
    )
    fr_dunning_loss_account_id = fields.Many2one(
        related="company_id.fr_dunning_loss_account_id",
        readonly=False,
    )
    fr_dunning_promise_grace_days = fields.Integer(
        related="company_id.fr_dunning_promise_grace_days",
        readonly=False,
    )
    fr_dunning_share_capital = fields.Monetary(
        related="company_id.fr_dunning_share_capital",
        readonly=False,
    )
    fr_dunning_legal_form = fields.Char(
        related="company_id.fr_dunning_legal_form",
        readonly=False,
    )
    fr_dunning_signatory_name = fields.Char(
        related="company_id.fr_dunning_signatory_name",
        readonly=False,
    )
    fr_dunning_signatory_title = fields.Char(
        related="company_id.fr_dunning_signatory_title",
        readonly=False,
    )
    fr_dunning_auto = fields.Boolean(
        related="company_id.fr_dunning_auto",
        readonly=False,
    )
    fr_dunning_bank_stale_days = fields.Integer(
        related="company_id.fr_dunning_bank_stale_days",
        readonly=False,
    )
    fr_dunning_hold_if_stale = fields.Boolean(
        related="company_id.fr_dunning_hold_if_stale",
        readonly=False,
    )
    fr_dunning_call_limit = fields.Integer(
        related="company_id.fr_dunning_call_limit",
        readonly=False,
    )
