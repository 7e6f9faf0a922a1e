# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's credit-insurance position in a company, as the follow-up and
the worklist show it: the cover in force, the next deadline owed to the
insurer, the overdue beyond the cover, the disputed invoices outside it. One
search of covers and one of invoices for all the customers shown."""

from odoo import api, fields, models
from odoo.osv import expression

from .account_move_insurance import OUTSIDE_COVER_PAUSES


class ResPartner(models.Model):
    _inherit = "res.partner"

    fr_dunning_insurance_cover_id = fields.Many2one(
        comodel_name="fr.dunning.insurance.cover",
        string="Credit insurance cover",
        compute="_compute_fr_dunning_insurance",
        help="The insurer's cover of this customer in force today in the current company.",
    )
    fr_dunning_insurance_amount = fields.Monetary(
        string="Cover granted",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_insurance",
    )
    fr_dunning_insurance_reference = fields.Char(
        string="Insurer's buyer reference",
        compute="_compute_fr_dunning_insurance",
    )
    fr_dunning_insurance_next_date = fields.Date(
        string="Next insurance deadline",
        compute="_compute_fr_dunning_insurance",
        help="The earliest deadline still owed to the insurer on the customer's insured open "
        "invoices: the overdue report until it is sent, then the claim.",
    )
    fr_dunning_insurance_next_kind = fields.Selection(
        selection=[("report", "Overdue report"), ("claim", "Claim")],
        string="Deadline for",
        compute="_compute_fr_dunning_insurance",
    )
    fr_dunning_insurance_outside_amount = fields.Monetary(
        string="Disputed, outside the cover",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_insurance",
        help="What the customer owes on insured invoices in dispute: the insurer does not cover a "
        "disputed debt until the dispute is settled.",
    )
    fr_dunning_insurance_warning = fields.Char(
        string="Credit insurance warning",
        compute="_compute_fr_dunning_insurance",
    )

    @api.depends_context("company")
    def _compute_fr_dunning_insurance(self):
        # Depends on today: never stored.
        company = self.env.company
        positions = self._fr_dunning_insurance_positions(company, fields.Date.context_today(self))
        for partner in self:
            position = positions.get(partner.commercial_partner_id.id, {})
            cover = position.get("cover")
            partner.fr_dunning_insurance_cover_id = cover
            partner.fr_dunning_insurance_amount = cover.amount if cover else 0.0
            partner.fr_dunning_insurance_reference = cover.insurer_reference if cover else False
            partner.fr_dunning_insurance_next_date = position.get("next_date", False)
            partner.fr_dunning_insurance_next_kind = position.get("next_kind", False)
            partner.fr_dunning_insurance_outside_amount = position.get("outside", 0.0)
            partner.fr_dunning_insurance_warning = position.get("warning", False)

    def _fr_dunning_insurance_positions(self, company, today):
        """{commercial partner id: {cover, next_date, next_kind, outside,
        overdue, warning}} of the customers of ``self`` that have a cover in
        ``company`` (in force today, or on the date of an open invoice)."""
        Move = self.env["account.move"]
        Cover = self.env["fr.dunning.insurance.cover"]
        customers = self.commercial_partner_id
        covered = Cover.sudo().search(
            [
                ("partner_id", "in", customers.ids),
                ("company_id", "=", company.id),
                ("policy_id.active", "=", True),
            ]
        )
        if not covered:
            return {}
        current = Cover._current_covers(covered.partner_id, company, today)
        moves = Move.search(
            [
                *Move._fr_dunning_open_domain(company),
                ("commercial_partner_id", "in", covered.partner_id.ids),
                ("fr_dunning_is_penalty_invoice", "=", False),
            ]
        )
        covers = Cover._covers_of(moves)
        positions = {
            partner_id: {"cover": cover, "outside": 0.0, "overdue": 0.0}
            for partner_id, cover in current.items()
        }
        for move in moves:
            position = positions.setdefault(move.commercial_partner_id.id, {"outside": 0.0, "overdue": 0.0})
            if move.fr_dunning_due_date and move.fr_dunning_due_date < today:
                position["overdue"] += move.amount_residual_signed
            cover = covers.get(move.id)
            if not cover or not move.fr_dunning_due_date:
                continue
            if move.fr_dunning_blocked in OUTSIDE_COVER_PAUSES:
                position["outside"] += move.amount_residual_signed
                continue
            policy = cover.policy_id
            due = move.fr_dunning_due_date
            kind, deadline = (
                ("claim", policy._claim_date(due))
                if move.fr_dunning_insurance_reported
                else ("report", policy._report_date(due))
            )
            if not position.get("next_date") or deadline < position["next_date"]:
                position.update(next_date=deadline, next_kind=kind)
        for position in positions.values():
            cover = position.get("cover")
            if cover and company.currency_id.compare_amounts(position["overdue"], cover.amount) > 0:
                position["warning"] = self.env._(
                    "The overdue total (%(overdue)s) exceeds the cover granted (%(cover)s): "
                    "%(excess)s is not insured.",
                    overdue=company.currency_id.format(position["overdue"]),
                    cover=company.currency_id.format(cover.amount),
                    excess=company.currency_id.format(position["overdue"] - cover.amount),
                )
        return positions


class FrDunningCustomer(models.Model):
    _inherit = "fr.dunning.customer"

    insurance_next_date = fields.Date(
        string="Next insurance deadline",
        compute="_compute_insurance",
        help="The earliest deadline still owed to the credit insurer on this customer's insured "
        "invoices: the overdue report until it is sent, then the claim.",
    )
    insurance_cover = fields.Monetary(
        string="Cover granted",
        compute="_compute_insurance",
    )
    insurance_over_cover = fields.Boolean(
        string="Overdue beyond the cover",
        compute="_compute_insurance",
        search="_search_insurance_over_cover",
        help="What the customer owes past due exceeds the cover its credit insurer granted.",
    )
    insurance_outside = fields.Monetary(
        string="Disputed, outside the cover",
        compute="_compute_insurance",
    )

    def _compute_insurance(self):
        today = fields.Date.context_today(self)
        for company, lines in self.grouped("company_id").items():
            positions = lines.partner_id._fr_dunning_insurance_positions(company, today)
            for line in lines:
                position = positions.get(line.partner_id.id, {})
                cover = position.get("cover")
                line.insurance_next_date = position.get("next_date", False)
                line.insurance_cover = cover.amount if cover else 0.0
                line.insurance_over_cover = bool(position.get("warning"))
                line.insurance_outside = position.get("outside", 0.0)

    def _search_insurance_over_cover(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Search on this field with = or != only."))
        today = fields.Date.context_today(self)
        covers = (
            self.env["fr.dunning.insurance.cover"]
            .sudo()
            .search([("company_id", "in", self.env.companies.ids), ("policy_id.active", "=", True)])
        )
        domains = []
        for company, company_covers in covers.grouped("company_id").items():
            positions = company_covers.partner_id._fr_dunning_insurance_positions(company, today)
            over = [partner_id for partner_id, position in positions.items() if position.get("warning")]
            if over:
                domains.append([("company_id", "=", company.id), ("partner_id", "in", over)])
        domain = expression.OR(domains) if domains else expression.FALSE_DOMAIN
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]
