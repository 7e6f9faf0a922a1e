# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The cover the insurer grants on one customer (agrément): its amount, its
dates, the insurer's reference for the buyer. An invoice is insured when a
cover of its customer, in its company, is in force on the invoice's date."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .fr_dunning_access import GROUP_USER, guarded


class FrDunningInsuranceCover(models.Model):
    _name = "fr.dunning.insurance.cover"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Credit insurance cover (agrément)"
    _order = "partner_id, date_start desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    policy_id = fields.Many2one(
        comodel_name="fr.dunning.insurance.policy",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        default=lambda self: self.env["fr.dunning.insurance.policy"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ),
    )
    company_id = fields.Many2one(
        related="policy_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    insurer_reference = fields.Char(
        string="Insurer's buyer reference",
        tracking=True,
        help="The number the insurer gives this buyer (numéro d'acheteur), quoted in every report.",
    )
    amount = fields.Monetary(
        string="Cover granted",
        required=True,
        tracking=True,
        help="The amount the insurer agreed to cover on this customer (agrément), in the company's currency.",
    )
    date_start = fields.Date(
        string="Granted on",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
        help="Invoices dated from this day are insured.",
    )
    date_end = fields.Date(
        string="Expires on",
        tracking=True,
        help="Invoices dated after this day are not insured. Empty: until the insurer withdraws it.",
    )
    note = fields.Text()

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A cover is a positive amount."),
        (
            "dates_ordered",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "A cover expires after it is granted.",
        ),
    ]

    @api.constrains("partner_id", "date_start", "date_end", "policy_id")
    def _check_no_overlap(self):
        # One cover in force at a time: an invoice is insured by one agrément.
        others = self.search(
            [("policy_id", "in", self.policy_id.ids), ("partner_id", "in", self.partner_id.ids)]
        )
        for cover in self:
            for other in others:
                if (
                    other != cover
                    and other.policy_id == cover.policy_id
                    and other.partner_id == cover.partner_id
                    and (not other.date_end or other.date_end >= cover.date_start)
                    and (not cover.date_end or other.date_start <= cover.date_end)
                ):
                    raise ValidationError(
                        self.env._(
                            "%(customer)s already has a cover in force in that period: end it before "
                            "recording the new one.",
                            customer=cover.partner_id.name,
                        )
                    )

    @api.model
    def _cover_sql(self, move_alias, cover_alias):
        """SQL: the cover ``cover_alias`` (a relation with partner_id,
        date_start and date_end) is in force on the invoice ``move_alias``
        (an account_move alias), of its customer and in force on its date.
        The twin of ``_covers_of`` (a test checks that they agree); the
        company and the policy are the caller's."""
        return SQL(
            "%(cover)s.partner_id = %(move)s.commercial_partner_id "
            "AND %(cover)s.date_start <= %(move)s.invoice_date "
            "AND (%(cover)s.date_end IS NULL OR %(cover)s.date_end >= %(move)s.invoice_date)",
            move=SQL.identifier(move_alias),
            cover=SQL.identifier(cover_alias),
        )

    @api.model
    def _covers_of(self, moves):
        """{invoice id: the cover in force on its date} for the invoices of
        ``moves`` that are insured: one search for all of them."""
        if not moves:
            return {}
        covers = (
            self.sudo()
            .search(
                [
                    ("partner_id", "in", moves.commercial_partner_id.ids),
                    ("company_id", "in", moves.company_id.ids),
                    ("policy_id.active", "=", True),
                ]
            )
            .sudo(self.env.su)
        )
        by_customer = covers.grouped(lambda c: (c.company_id.id, c.partner_id.id))
        result = {}
        for move in moves:
            if not move.invoice_date:
                continue
            for cover in by_customer.get((move.company_id.id, move.commercial_partner_id.id), []):
                if cover.date_start <= move.invoice_date and (
                    not cover.date_end or cover.date_end >= move.invoice_date
                ):
                    result[move.id] = cover
                    break
        return result

    @api.model
    def _current_covers(self, partners, company, today):
        """{commercial partner id: its cover in force on ``today`` in ``company``}."""
        covers = self.sudo().search(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                ("policy_id.active", "=", True),
                ("date_start", "<=", today),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ]
        )
        return {cover.partner_id.id: cover.sudo(self.env.su) for cover in covers}

    @guarded(GROUP_USER, "read")
    def action_open_follow_up(self):
        """The customer's follow-up, in the cover's company."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).action_fr_dunning_follow_up()
