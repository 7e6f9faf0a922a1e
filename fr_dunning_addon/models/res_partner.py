# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from . import fr_dunning_law as law


class ResPartner(models.Model):
    _inherit = "res.partner"

    fr_dunning_is_consumer = fields.Boolean(
        string="Consumer",
        compute="_compute_fr_dunning_is_consumer",
        store=True,
        readonly=False,
        help="An individual buying for private needs. Consumers owe no 40 EUR indemnity and no "
        "business late-payment penalties: only legal-rate interest from the formal notice "
        "(Code civil 1231-6). Defaults to 'not a company'.",
    )
    fr_dunning_contractual_rate = fields.Float(
        string="Contractual penalty rate (%)",
        digits=(6, 2),
        help="Annual late-payment penalty rate agreed with this customer. Empty: the company's "
        "rate, or by default the ECB rate + 10 points. Never below 3 x the legal interest rate.",
    )
    fr_dunning_proceedings_date = fields.Date(
        string="Collective proceedings since",
        tracking=True,
        help="Date of the judgment opening collective proceedings (sauvegarde, redressement or "
        "liquidation judiciaire). From then on, no penalty is computed for this customer.",
    )
    fr_dunning_proceedings_type = fields.Selection(
        selection=[
            ("safeguard", "Safeguard (sauvegarde)"),
            ("receivership", "Receivership (redressement judiciaire)"),
            ("liquidation", "Liquidation (liquidation judiciaire)"),
        ],
        string="Collective proceedings",
        tracking=True,
    )
    fr_dunning_proceedings_court = fields.Char(
        string="Court",
        help="The court that opened the proceedings, e.g. Tribunal de commerce de Lyon.",
    )
    fr_dunning_proceedings_mandatary_id = fields.Many2one(
        comodel_name="res.partner",
        string="Administrator / mandataire",
        help="The mandataire judiciaire (or liquidator) to whom the claims are declared.",
    )
    fr_dunning_bodacc_date = fields.Date(
        string="BODACC publication",
        tracking=True,
        help="Publication of the opening judgment in the BODACC: the claims must be declared "
        "within two months of it.",
    )
    fr_dunning_claims_deadline = fields.Date(
        string="Claims declaration deadline",
        compute="_compute_fr_dunning_claims_deadline",
        store=True,
        help="Two months from the BODACC publication (Code de commerce L622-24 and R622-24).",
    )

    fr_dunning_policy_id = fields.Many2one(
        comodel_name="fr.dunning.policy",
        string="Dunning policy",
        company_dependent=True,
        help="The policy this customer follows in the current company. Empty: the large-amount "
        "policy above the company's threshold, else the company's default policy.",
    )
    fr_dunning_excluded = fields.Boolean(
        string="Excluded from automatic dunning",
        company_dependent=True,
        tracking=True,
        help="The nightly run never chases this customer; reminders can still be sent by hand.",
    )
    fr_dunning_responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Dunning responsible",
        company_dependent=True,
        help="Who calls this customer and decides on litigation. Empty: the salesperson.",
    )

    fr_dunning_total_overdue = fields.Monetary(
        string="Total overdue",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
        help="What this customer owes past due date in the current company, in its currency.",
    )
    fr_dunning_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Dunning currency",
        compute="_compute_fr_dunning_follow_up",
    )
    fr_dunning_disputed_amount = fields.Monetary(
        string="In dispute",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
        help="What the customer owes on invoices in dispute (not chased), in the current company.",
    )
    fr_dunning_oldest_days = fields.Integer(
        string="Oldest overdue (days)",
        compute="_compute_fr_dunning_follow_up",
    )
    fr_dunning_level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        string="Dunning level",
        compute="_compute_fr_dunning_follow_up",
        help="The most advanced level of the customer's open invoices.",
    )
    fr_dunning_next_date = fields.Date(
        string="Next dunning action",
        compute="_compute_fr_dunning_follow_up",
    )

    @api.depends_context("company")
    def _compute_fr_dunning_follow_up(self):
        # Depends on today: never stored. Two grouped reads for all of self.
        company = self.env.company
        today = fields.Date.context_today(self)
        Move = self.env["account.move"]
        commercial_ids = self.commercial_partner_id.ids
        overdue = {
            partner.id: (amount, oldest, next_date)
            for partner, amount, oldest, next_date in Move._read_group(
                [
                    *Move._fr_dunning_open_domain(company),
                    ("commercial_partner_id", "in", commercial_ids),
                    ("invoice_date_due", "<", today),
                ],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum", "invoice_date_due:min", "fr_dunning_next_date:min"],
            )
        }
        disputed = dict(
            Move._read_group(
                [
                    *Move._fr_dunning_open_domain(company),
                    ("commercial_partner_id", "in", commercial_ids),
                    ("fr_dunning_blocked", "=", "dispute"),
                ],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        levels = {}
        for partner, level in Move._read_group(
            [
                *Move._fr_dunning_open_domain(company),
                ("commercial_partner_id", "in", commercial_ids),
                ("fr_dunning_level_id", "!=", False),
            ],
            ["commercial_partner_id", "fr_dunning_level_id"],
        ):
            current = levels.get(partner.id)
            if not current or level.offset_days > current.offset_days:
                levels[partner.id] = level
        for partner in self:
            amount, oldest, next_date = overdue.get(partner.commercial_partner_id.id, (0.0, False, False))
            partner.fr_dunning_total_overdue = amount
            partner.fr_dunning_disputed_amount = disputed.get(partner.commercial_partner_id, 0.0)
            partner.fr_dunning_currency_id = company.currency_id
            partner.fr_dunning_oldest_days = (today - oldest).days if oldest else 0
            partner.fr_dunning_level_id = levels.get(partner.commercial_partner_id.id, False)
            partner.fr_dunning_next_date = next_date

    @api.depends("is_company", "parent_id.is_company")
    def _compute_fr_dunning_is_consumer(self):
        # EXTENDS 'base': only the commercial entity's nature matters.
        for partner in self:
            partner.fr_dunning_is_consumer = not partner.commercial_partner_id.is_company

    @api.depends("fr_dunning_bodacc_date")
    def _compute_fr_dunning_claims_deadline(self):
        for partner in self:
            partner.fr_dunning_claims_deadline = partner.fr_dunning_bodacc_date and law.claims_deadline(
                partner.fr_dunning_bodacc_date
            )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("fr_dunning_bodacc_date")._fr_dunning_schedule_claims()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if vals.get("fr_dunning_proceedings_date"):
            self._fr_dunning_pause_for_proceedings()
        if vals.get("fr_dunning_bodacc_date"):
            self._fr_dunning_schedule_claims()
        return result

    def _fr_dunning_pause_for_proceedings(self):
        """Collective proceedings stop all chasing (Code de commerce L622-21): the
        open invoices show it."""
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    *self.env["account.move"]._fr_dunning_open_domain(),
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("fr_dunning_blocked", "=", False),
                ]
            )
        )
        moves.write({"fr_dunning_blocked": "proceedings"})

    def _fr_dunning_schedule_claims(self):
        for partner in self.filtered(lambda p: p.is_company or not p.parent_id):
            user = partner.fr_dunning_responsible_id or partner.user_id or self.env.user
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=partner.fr_dunning_claims_deadline,
                summary=self.env._("Declare the claims on %(partner)s", partner=partner.name),
                note=self.env._(
                    "Declare every claim on this customer to the mandataire judiciaire before the "
                    "deadline: an undeclared claim cannot be paid in the proceedings."
                ),
                user_id=user.id,
            )

    @api.constrains("fr_dunning_contractual_rate")
    def _check_fr_dunning_contractual_rate(self):
        self.env["res.company"]._fr_dunning_check_contractual_rates(
            self.filtered("fr_dunning_contractual_rate").mapped("fr_dunning_contractual_rate")
        )

    @api.model
    def _commercial_fields(self):
        # EXTENDS 'base': contacts follow their company.
        return super()._commercial_fields() + [
            "fr_dunning_is_consumer",
            "fr_dunning_contractual_rate",
            "fr_dunning_proceedings_date",
            "fr_dunning_proceedings_type",
            "fr_dunning_proceedings_court",
            "fr_dunning_proceedings_mandatary_id",
            "fr_dunning_bodacc_date",
            "fr_dunning_policy_id",
            "fr_dunning_excluded",
            "fr_dunning_responsible_id",
        ]

    def action_fr_dunning_penalty_wizard(self):
        """Open the penalty invoice wizard on these customers' late invoices."""
        late = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("fr_dunning_is_penalty_invoice", "=", False),
                ("invoice_date_due", "<", fields.Date.context_today(self)),
                ("payment_state", "in", ("not_paid", "partial", "in_payment", "paid")),
            ]
        )
        return late.action_fr_dunning_penalty_wizard()

    def _fr_dunning_policies(self, company, overdue_totals=None):
        """{commercial partner id: fr.dunning.policy} in ``company``, for self.

        A policy set on the customer wins; else the large-amount policy when the
        customer's overdue total (``overdue_totals``: {partner id: amount in the
        company currency}) exceeds the company threshold; else the default.
        """
        overdue_totals = overdue_totals or {}
        Policy = self.env["fr.dunning.policy"].with_company(company)
        policies = Policy.search([("company_id", "=", company.id)])
        default = policies.filtered(lambda p: p.assignment == "default")[:1]
        large = policies.filtered(lambda p: p.assignment == "large_amount")[:1]
        result = {}
        for partner in self.commercial_partner_id.with_company(company):
            explicit = partner.fr_dunning_policy_id
            if explicit and explicit.active:
                result[partner.id] = explicit
            elif large and overdue_totals.get(partner.id, 0.0) > company.fr_dunning_large_amount:
                result[partner.id] = large
            else:
                result[partner.id] = default
        return result
