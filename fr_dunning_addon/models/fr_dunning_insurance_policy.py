# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's credit-insurance policy (assurance-crédit) and the one rule
its deadlines follow.

Credit insurance is a contract (Code des assurances L111-1 and the policy's
own conditions): its deadlines are the policy's data, written in days because
they differ from one contract to the next, not law. What is fixed is how they
are counted: in calendar days from the invoice's ORIGINAL due date, which a
promise or a payment plan never moves. That count is ``insurance_deadline``,
here and nowhere else.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

INSURERS = [
    ("allianz_trade", "Allianz Trade"),
    ("coface", "Coface"),
    ("atradius", "Atradius"),
    ("other", "Other"),
]


def insurance_deadline(original_due_date, days):
    """The day a contract deadline of ``days`` falls on: calendar days counted
    from the original due date (due on 01/10, 15 days: 16/10)."""
    return original_due_date + timedelta(days=days)


def latest_due_date(day, days):
    """The latest original due date whose deadline of ``days`` falls on or
    before ``day``: the inverse of ``insurance_deadline``, for searches
    (``insurance_deadline(due, days) <= day`` exactly when ``due <=
    latest_due_date(day, days)``)."""
    return day - timedelta(days=days)


class FrDunningInsurancePolicy(models.Model):
    """The credit-insurance policy of a company: the insurer, the policy
    number and the contract's deadlines, in days from the original due date."""

    _name = "fr.dunning.insurance.policy"
    _inherit = ["mail.thread"]
    _description = "Credit insurance policy"
    _check_company_auto = True
    _rec_name = "name"

    name = fields.Char(
        compute="_compute_name",
        store=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(
        default=True,
        tracking=True,
        help="An archived policy gives no reminders and covers no invoice.",
    )
    insurer = fields.Selection(
        selection=INSURERS,
        required=True,
        default="allianz_trade",
        tracking=True,
    )
    insurer_other = fields.Char(
        string="Insurer's name",
        tracking=True,
        help="The insurer's name when it is not in the list.",
    )
    policy_number = fields.Char(
        required=True,
        tracking=True,
    )
    max_extension_days = fields.Integer(
        string="Maximum extension (days)",
        default=60,
        required=True,
        tracking=True,
        help="How many days after the original due date the contract lets you extend a payment "
        "(promise, payment plan) without declaring it. A promise or a plan that goes further "
        "is recorded with a warning. Read it in your policy's conditions.",
    )
    report_days = fields.Integer(
        string="Overdue report deadline (days)",
        default=15,
        required=True,
        tracking=True,
        help="Déclaration de menace de sinistre: the overdue must reach the insurer within this "
        "many days of the original due date, or the cover may be lost.",
    )
    claim_days = fields.Integer(
        string="Claim deadline (days)",
        default=150,
        required=True,
        tracking=True,
        help="Déclaration de sinistre: the claim for the unpaid debt must reach the insurer "
        "within this many days of the original due date.",
    )
    notice_days = fields.Integer(
        string="Reminder (days before)",
        default=5,
        required=True,
        tracking=True,
        help="The dunning responsible of the customer gets a to-do this many days before each "
        "overdue report date and each claim date.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Credit insurance manager",
        tracking=True,
        help="Gets the reminders of customers without a dunning responsible or salesperson.",
    )
    cover_ids = fields.One2many(
        comodel_name="fr.dunning.insurance.cover",
        inverse_name="policy_id",
        string="Covers",
    )
    last_report_date = fields.Date(
        string="Last overdue report",
        readonly=True,
    )

    _sql_constraints = [
        ("company_uniq", "UNIQUE(company_id)", "A company has one credit insurance policy."),
    ]

    @api.depends("insurer", "insurer_other", "policy_number")
    def _compute_name(self):
        for policy in self:
            policy.name = f"{policy._insurer_name()} {policy.policy_number or ''}".strip()

    @api.constrains("max_extension_days", "report_days", "claim_days", "notice_days")
    def _check_days(self):
        for policy in self:
            if min(policy.max_extension_days, policy.report_days, policy.claim_days, policy.notice_days) < 0:
                raise ValidationError(self.env._("The deadlines of a policy are days to come: not negative."))
            if policy.claim_days < policy.report_days:
                raise ValidationError(
                    self.env._("The claim deadline comes after the overdue report deadline, not before it.")
                )

    @api.constrains("insurer", "insurer_other")
    def _check_insurer_other(self):
        if any(policy.insurer == "other" and not policy.insurer_other for policy in self):
            raise ValidationError(self.env._("Give the insurer's name."))

    def _insurer_name(self):
        """The insurer's name as the policy gives it."""
        self.ensure_one()
        if self.insurer == "other":
            return self.insurer_other or ""
        return dict(INSURERS).get(self.insurer, "")

    def _report_date(self, original_due_date):
        """The overdue report deadline of an invoice originally due on ``original_due_date``."""
        self.ensure_one()
        return insurance_deadline(original_due_date, self.report_days)

    def _claim_date(self, original_due_date):
        self.ensure_one()
        return insurance_deadline(original_due_date, self.claim_days)

    def _extension_limit(self, original_due_date):
        """The last day a payment may be put off to without declaring it."""
        self.ensure_one()
        return insurance_deadline(original_due_date, self.max_extension_days)
