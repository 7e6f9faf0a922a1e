# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .fr_dunning_level import TIER_TEMPLATE

# French names of the default policies and levels (English is the source).
FRENCH_NAMES = {
    "French standard policy": "Politique standard",
    "Loyal customer": "Client fidèle",
    "Large amount": "Gros montant",
    "Preventive reminder": "Relance préventive",
    "Courteous reminder": "Relance amiable",
    "Firm reminder and call": "Relance ferme et appel",
    "Formal letter": "Relance formelle par courrier",
    "Formal notice (LRAR)": "Mise en demeure (LRAR)",
    "Pre-litigation notice": "Dernier avis avant poursuites",
    "Litigation hand-over": "Transmission au contentieux",
    "Friendly reminder": "Rappel amical",
    "Courteous call": "Appel courtois",
    "Formal email and call": "Courriel formel et appel",
}

# The policies every company starts with (editable; never overwritten).
# (name, assignment, levels); a level: (name, offset, tier, channels, letter tier,
# penalties, deadline days, minimum amount, minimum interval).
DEFAULT_POLICIES = [
    (
        "French standard policy",
        "default",
        [
            ("Preventive reminder", -3, "preventive", ("email",), False, "none", 0, 0, 0),
            ("Courteous reminder", 1, "courteous", ("email",), "1", "none", 8, 0, 3),
            ("Firm reminder and call", 15, "firm", ("email", "phone"), "1", "none", 8, 0, 7),
            ("Formal letter", 30, "formal", ("email", "letter"), "1", "show", 8, 0, 7),
            ("Formal notice (LRAR)", 45, "formal_notice", ("email", "registered"), "2", "show", 15, 150, 7),
            (
                "Pre-litigation notice",
                60,
                "pre_litigation",
                ("email", "registered"),
                "3",
                "charge",
                8,
                150,
                7,
            ),
            ("Litigation hand-over", 75, "litigation", ("phone",), False, "charge", 0, 150, 7),
        ],
    ),
    (
        "Loyal customer",
        "manual",
        [
            ("Friendly reminder", 7, "courteous", ("email",), "1", "none", 15, 0, 7),
            ("Courteous call", 21, "firm", ("phone",), False, "none", 8, 0, 7),
            ("Formal letter", 40, "formal", ("email", "letter"), "1", "show", 8, 0, 10),
            ("Formal notice (LRAR)", 60, "formal_notice", ("email", "registered"), "2", "show", 15, 150, 10),
            (
                "Pre-litigation notice",
                80,
                "pre_litigation",
                ("email", "registered"),
                "3",
                "charge",
                8,
                150,
                10,
            ),
            ("Litigation hand-over", 95, "litigation", ("phone",), False, "charge", 0, 150, 10),
        ],
    ),
    (
        "Large amount",
        "large_amount",
        [
            ("Preventive reminder", -5, "preventive", ("email",), False, "none", 0, 0, 0),
            ("Formal email and call", 3, "firm", ("email", "phone"), "1", "show", 8, 0, 3),
            ("Formal letter", 15, "formal", ("email", "letter"), "1", "show", 8, 0, 7),
            ("Formal notice (LRAR)", 30, "formal_notice", ("email", "registered"), "2", "show", 15, 0, 7),
            ("Pre-litigation notice", 45, "pre_litigation", ("email", "registered"), "3", "charge", 8, 0, 7),
            ("Litigation hand-over", 60, "litigation", ("phone",), False, "charge", 0, 0, 7),
        ],
    ),
]


class FrDunningPolicy(models.Model):
    """An ordered list of dunning levels, chosen per customer."""

    _name = "fr.dunning.policy"
    _description = "Dunning policy"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        translate=True,
    )
    sequence = fields.Integer(
        default=10,
    )
    active = fields.Boolean(
        default=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    assignment = fields.Selection(
        selection=[
            ("default", "Company default"),
            ("large_amount", "Customers above the large-amount threshold"),
            ("manual", "Customers it is set on"),
        ],
        required=True,
        default="manual",
        help="Which customers follow this policy: those it is set on always do; otherwise "
        "customers whose overdue total exceeds the company's large-amount threshold follow "
        "the large-amount policy, and all others the company default.",
    )
    level_ids = fields.One2many(
        comodel_name="fr.dunning.level",
        inverse_name="policy_id",
        string="Levels",
        copy=True,
    )
    level_count = fields.Integer(
        compute="_compute_level_count",
    )
    promise_max_days = fields.Integer(
        string="Longest promise online (days)",
        default=30,
        help="On the customer's online page, a promise to pay may be dated at most this many days "
        "from the day it is made. A later date is refused: the customer calls or writes instead.",
    )

    _sql_constraints = [
        (
            "one_default_per_company",
            "EXCLUDE USING btree (company_id WITH =) WHERE (assignment = 'default' AND active)",
            "A company has one default dunning policy.",
        ),
        (
            "one_large_amount_per_company",
            "EXCLUDE USING btree (company_id WITH =) WHERE (assignment = 'large_amount' AND active)",
            "A company has one large-amount dunning policy.",
        ),
        (
            "promise_max_days_positive",
            "CHECK(promise_max_days >= 0)",
            "The longest promise online is a number of days, zero or more.",
        ),
    ]

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.constrains("active", "assignment")
    def _check_default_kept(self):
        for company in self.company_id:
            if not self.search_count(
                [("company_id", "=", company.id), ("assignment", "=", "default")], limit=1
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s needs a default dunning policy: make another one the default first.",
                        company=company.name,
                    )
                )

    @api.model
    def _create_default_policies(self, companies):
        """Give ``companies`` that have no policy yet the three default policies."""
        with_policy = {
            company.id
            for [company] in self.with_context(active_test=False)._read_group(
                [("company_id", "in", companies.ids)], ["company_id"]
            )
        }
        vals_list = []
        for company in companies.filtered(lambda c: c.id not in with_policy):
            for sequence, (name, assignment, levels) in enumerate(DEFAULT_POLICIES):
                vals_list.append(
                    {
                        "name": name,
                        "company_id": company.id,
                        "sequence": (sequence + 1) * 10,
                        "assignment": assignment,
                        "level_ids": [
                            Command.create(self._default_level_vals(company, *level)) for level in levels
                        ],
                    }
                )
        policies = self.create(vals_list)
        if "fr_FR" in {code for code, _name in self.env["res.lang"].get_installed()}:
            for record in [*policies, *policies.level_ids]:
                if record.name in FRENCH_NAMES:
                    record.with_context(lang="fr_FR").name = FRENCH_NAMES[record.name]
        return policies

    @api.model
    def _default_level_vals(
        self, company, name, offset, tier, channels, letter_tier, penalties, deadline, min_amount, interval
    ):
        return {
            "name": name,
            "offset_days": offset,
            "tier": tier,
            "channel_email": "email" in channels,
            "channel_letter": "letter" in channels,
            "channel_registered": "registered" in channels,
            "channel_phone": "phone" in channels,
            "letter_tier": letter_tier,
            "penalties": penalties,
            "deadline_days": deadline,
            "min_amount": min_amount,
            "min_interval_days": interval,
            "mail_template_id": "email" in channels
            and self.env.ref(TIER_TEMPLATE[tier], raise_if_not_found=False).id,
        }


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _fr_dunning_company_policies(self, company):
        """(active policies, default policy, large-amount policy) of ``company``."""
        policies = (
            self.env["fr.dunning.policy"].with_company(company).search([("company_id", "=", company.id)])
        )
        default = policies.filtered(lambda p: p.assignment == "default")[:1]
        large = policies.filtered(lambda p: p.assignment == "large_amount")[:1]
        return policies, default, large

    @api.model
    def _fr_dunning_explicit_policy_sql(self, company, alias):
        """SQL: the id of the policy set in ``company`` on the res_partner row
        ``alias`` (a company-dependent field: jsonb keyed by company id)."""
        return SQL("(%s ->> %s)::int", SQL.identifier(alias, "fr_dunning_policy_id"), str(company.id))

    def _fr_dunning_policies(self, company, overdue_totals=None):
        """{commercial partner id: fr.dunning.policy} in ``company``, for self.

        A policy set on the customer wins; else the large-amount policy when the
        customer's overdue total (``overdue_totals``: {partner id: amount in the
        company currency}) exceeds the company threshold; else the default.
        _fr_dunning_possible_policies_sql says the same for a search.
        """
        overdue_totals = overdue_totals or {}
        policies, default, large = self._fr_dunning_company_policies(company)
        # The commercial entities of self and their company-dependent policy,
        # for thousands of customers in one query.
        self.flush_model(["commercial_partner_id", "fr_dunning_policy_id"])
        explicit_ids = dict(
            self.env.execute_query(
                SQL(
                    """SELECT DISTINCT customer.id, %s
                         FROM res_partner partner
                         JOIN res_partner customer ON customer.id = partner.commercial_partner_id
                        WHERE partner.id = ANY(%s)""",
                    self._fr_dunning_explicit_policy_sql(company, "customer"),
                    self.ids,
                )
            )
        )
        active = {policy.id: policy for policy in policies}  # active policies of the company
        result = {}
        for partner_id in explicit_ids:
            explicit = active.get(explicit_ids.get(partner_id))
            if explicit:
                result[partner_id] = explicit
            elif large and overdue_totals.get(partner_id, 0.0) > company.fr_dunning_large_amount:
                result[partner_id] = large
            else:
                result[partner_id] = default
        return result

    @api.model
    def _fr_dunning_possible_policies_sql(self, company, alias, owed):
        """SQL: the ids (an array) of the policies the customer of the
        res_partner row ``alias`` may follow in ``company``, for a search that
        knows only ``owed`` (SQL), an upper bound of its overdue total: the
        rule of _fr_dunning_policies, where the large-amount policy stays
        possible while what it owes exceeds the threshold."""
        policies, default, large = self._fr_dunning_company_policies(company)
        self.flush_model(["fr_dunning_policy_id"])
        explicit = self._fr_dunning_explicit_policy_sql(company, alias)
        return SQL(
            """CASE WHEN %(explicit)s = ANY(%(active)s) THEN ARRAY[%(explicit)s]
                    WHEN %(owed)s > %(threshold)s THEN ARRAY[%(default)s, %(large)s]::int[]
                    ELSE ARRAY[%(default)s]::int[] END""",
            explicit=explicit,
            active=policies.ids,
            owed=owed,
            threshold=company.fr_dunning_large_amount,
            default=default.id or None,
            large=large.id or None,
        )
