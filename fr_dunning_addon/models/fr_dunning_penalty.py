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
            ("give_back_reversal", "Give-back taken back"),
        ],
        required=True,
    )
    refunded_penalty_id = fields.Many2one(
        comodel_name="fr.dunning.penalty",
        string="Gives back on",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The interest period charged on sums since paid that this line gives back; for a "
        "give-back taken back, that give-back.",
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
    give_back_status = fields.Selection(
        selection=[
            ("void", "Void: to take back"),
            ("taken_back", "Taken back"),
        ],
        compute="_compute_give_back_status",
        help="A give-back whose penalty invoice was cancelled since gives back interest no longer "
        "claimed: it counts in no claim, and the next penalty billing takes it back.",
    )

    def _compute_give_back_status(self):
        give_backs = self.filtered(lambda r: r.kind == "interest_refund")
        (self - give_backs).give_back_status = False
        void = give_backs._void()
        taken_back = give_backs._taken_back()
        for record in give_backs:
            record.give_back_status = (
                "taken_back" if record in taken_back else "void" if record in void else False
            )

    def _void(self):
        """The give-backs of ``self`` (kind ``interest_refund``, on a document
        not cancelled) whose penalty invoice was cancelled: the interest they
        give back is no longer billed, so they give nothing back."""
        return self.filtered(
            lambda r: (
                r.kind == "interest_refund"
                and r.penalty_move_id.state != "cancel"
                and r.refunded_penalty_id.penalty_move_id.state == "cancel"
            )
        )

    def _taken_back(self):
        """The void give-backs of ``self`` a later billing took back (a line
        of kind ``give_back_reversal`` not cancelled), in one search."""
        void = self._void()
        if not void:
            return void
        return (
            self.sudo()
            .search(
                [
                    ("kind", "=", "give_back_reversal"),
                    ("refunded_penalty_id", "in", void.ids),
                    ("penalty_move_id.state", "!=", "cancel"),
                ]
            )
            .refunded_penalty_id.sudo(self.env.su)
        )

    def _to_take_back(self):
        """The void give-backs of ``self`` not taken back yet."""
        void = self._void()
        return void - void._taken_back()
