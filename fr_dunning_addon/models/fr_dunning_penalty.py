# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class FrDunningPenalty(models.Model):
    """What a penalty invoice charged for one late invoice.

    One record per interest period or indemnity, linked to the penalty invoice
    line that bills it. It is how a period or an indemnity is never charged
    twice: a record counts as long as its penalty invoice is not cancelled, and
    it disappears with the line when a draft penalty invoice is deleted.

    Interest charged on sums the customer had in fact paid (a payment dated
    inside a period already billed, registered afterwards) is given back by a
    later penalty invoice or credit note: a record of kind ``interest_refund``
    with a negative amount, the days and the sums concerned, pointing at the
    period it corrects (``refunded_penalty_id``), so that it is never given
    back twice.
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
            ("interest_refund", "Interest given back"),
        ],
        required=True,
    )
    refunded_penalty_id = fields.Many2one(
        comodel_name="fr.dunning.penalty",
        string="Gives back on",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The interest period charged on sums since paid that this line gives back.",
    )
    date_from = fields.Date()
    date_to = fields.Date()
    days = fields.Integer()
    base = fields.Monetary(
        currency_field="currency_id",
        help="Amount still due, VAT included, during the period; for interest given back, the "
        "sums already paid on which it was charged.",
    )
    annual_rate = fields.Float(
        string="Annual rate (%)",
        digits=(6, 2),
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        help="Negative for interest given back.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
    )
