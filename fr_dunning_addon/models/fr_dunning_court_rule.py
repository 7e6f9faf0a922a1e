# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The periods and thresholds of the court procedures, per company.

The law is in ``fr_dunning_law.COURT_RULES``, each rule with its article.
Procedure rules change by decree (the formule exécutoire in 2022, the prior
amicable attempt in 2023, the small-claims ceiling in 2020): a dunning manager
sees them here and can correct a figure the day the law changes, without
waiting for a new version of the addon. Every change is tracked."""

from odoo import api, fields, models

from . import fr_dunning_law as law


class FrDunningCourtRule(models.Model):
    _name = "fr.dunning.court.rule"
    _inherit = ["mail.thread"]
    _description = "Court deadline or threshold"
    _order = "company_id, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    code = fields.Selection(
        selection=[(code, rule.label) for code, rule in law.COURT_RULES.items()],
        string="Rule",
        required=True,
        readonly=True,
    )
    article = fields.Char(
        string="Source",
        readonly=True,
        help="The article the rule comes from.",
    )
    months = fields.Integer(
        tracking=True,
        help="Months counted from the act that starts the period (Code de procédure civile 641).",
    )
    days = fields.Integer(
        tracking=True,
        help="Days counted from the day after the act (CPC 641). A period ending on a Saturday, a Sunday "
        "or a public holiday runs to the next working day (CPC 642).",
    )
    amount = fields.Float(
        string="Amount (EUR)",
        digits=(12, 2),
        tracking=True,
    )
    until_date = fields.Date(
        string="Applies before",
        tracking=True,
        help="The rule applies to procedures started before this date only (a rule the law repealed).",
    )
    note = fields.Text()

    _sql_constraints = [
        ("code_company_unique", "UNIQUE(company_id, code)", "This rule is already recorded for the company."),
        (
            "figures_positive",
            "CHECK(months >= 0 AND days >= 0 AND amount >= 0)",
            "Periods and amounts cannot be negative.",
        ),
    ]

    @api.depends("code")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for rule in self:
            rule.display_name = labels.get(rule.code, "")

    @api.model
    def _fr_dunning_seed(self, companies=None):
        """The law's rules for each company that has not got them yet."""
        companies = companies or self.env["res.company"].sudo().with_context(active_test=False).search(
            [("id", "!=", False)]
        )
        existing = {
            (rule.company_id.id, rule.code)
            for rule in self.sudo().search([("company_id", "in", companies.ids)])
        }
        self.sudo().create(
            [
                {
                    "company_id": company.id,
                    "code": code,
                    "article": rule.article,
                    "months": rule.months,
                    "days": rule.days,
                    "amount": rule.amount,
                    "until_date": rule.until,
                }
                for company in companies
                for code, rule in law.COURT_RULES.items()
                if (company.id, code) not in existing
            ]
        )

    @api.model
    def _fr_dunning_rules(self, company):
        """{code: law.CourtRule} of ``company``: its records, else the law's."""
        records = self.sudo().search([("company_id", "=", company.id)])
        return law.court_rules(
            {
                rule.code: law.CourtRule(
                    law.COURT_RULES[rule.code].label,
                    months=rule.months,
                    days=rule.days,
                    amount=rule.amount,
                    until=rule.until_date,
                    article=rule.article or law.COURT_RULES[rule.code].article,
                )
                for rule in records
                if rule.code in law.COURT_RULES
            }
        )


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': every company starts with the law's court rules.
        companies = super().create(vals_list)
        self.env["fr.dunning.court.rule"].sudo()._fr_dunning_seed(companies)
        return companies
