# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class FrDunningPenalty(models.Model):
    """What a penalty invoice charged for one late invoice.

    One record per interest period or indemnity, linked to the penalty invoice
    line that bills it. It is how a period or an indemnity is never charged
    twice: a record counts as long as its penalty invoice is not cancelled, and
    it disappears with the line when a draft penalty invoice is deleted.
    """

    _name = "fr.dunning.penalty"
    _description = "Late-payment penalty charged"
    _order = "invoice_id, date_from, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Late invoice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    penalty_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Penalty invoice line",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    penalty_move_id = fields.Many2one(
        related="penalty_line_id.move_id",
        string="Penalty invoice",
        store=True,
        index=True,
    )
    penalty_state = fields.Selection(
        related="penalty_move_id.state",
        string="Penalty invoice status",
    )
    kind = fields.Selection(
        selection=[
            ("interest", "Late-payment interest"),
            ("indemnity", "Recovery indemnity"),
            ("complementary", "Complementary indemnity"),
        ],
        required=True,
    )
    date_from = fields.Date()
    date_to = fields.Date()
    days = fields.Integer()
    base = fields.Monetary(
        currency_field="currency_id",
        help="Amount still due, VAT included, during the period.",
    )
    annual_rate = fields.Float(
        string="Annual rate (%)",
        digits=(6, 2),
    )
    amount = fields.Monetary(
        currency_field="currency_id",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
    )
