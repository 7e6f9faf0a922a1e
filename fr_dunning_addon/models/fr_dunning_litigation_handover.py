# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A claim handed over to a collection agency or a commissaire de justice.

The litigation file records what was handed over and on which terms (the
amount, the fee as a percentage of the sums collected plus fixed fees); the
agency's reports are dunning events of the file (contact made, promise,
payment collected, closed without result), recorded by the report wizard
only and never changed: a correction is a new report. At hand-over the
company's own chasing of these invoices stops: the invoices are paused by
the litigation itself (the night, the preview, "send now" and the calls
planned leave them out); the open payment plans and promises on them end,
the call to-dos of a customer with nothing left to chase go, and the letters
recorded but not printed yet are named so that nobody posts them.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_evidence import history_env

# The routes where a third party recovers the claim and reports on it: a
# collection agency, or a commissaire de justice (simplified recovery of small
# claims, CPCE L125-1).
HANDOVER_ROUTES = ("agency", "small_claims")
# What an agency reports.
AGENCY_REPORTS = [
    ("contact", "Contact made"),
    ("promise", "Promise to pay"),
    ("payment", "Payment collected"),
    ("closed", "Closed without result"),
]
# The fields of the hand-over's terms, fixed once the agency reported.
TERMS_FIELDS = ("handover_amount", "fee_percent", "fee_fixed")
# Payments that count as collected: posted, not cancelled nor rejected.
COLLECTED_PAYMENT_STATES = ("in_process", "paid")


class FrDunningEvent(models.Model):
    """An agency's report is a dunning event of its litigation file."""

    _inherit = "fr.dunning.event"

    event_type = fields.Selection(
        selection_add=[("agency_report", "Agency report")],
        ondelete={"agency_report": "set default"},
    )
    litigation_id = fields.Many2one(
        comodel_name="fr.dunning.litigation",
        string="Litigation file",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    agency_report = fields.Selection(
        selection=AGENCY_REPORTS,
        string="Report",
        readonly=True,
        help="What the agency or the commissaire de justice reported.",
    )
    payment_id = fields.Many2one(
        comodel_name="account.payment",
        readonly=True,
        ondelete="restrict",
        check_company=True,
        help="The payment of the sums collected, reconciled with the invoices.",
    )
    fee_bill_id = fields.Many2one(
        comodel_name="account.move",
        string="Fee bill",
        readonly=True,
        ondelete="set null",
        check_company=True,
        help="The agency's fee, as a draft vendor bill to check against the agency's invoice.",
    )


class FrDunningLitigation(models.Model):
    _inherit = "fr.dunning.litigation"

    handover_amount = fields.Monetary(
        string="Amount handed over",
        currency_field="company_currency_id",
        tracking=True,
        help="What the agency, the commissaire de justice or the court is asked to recover, in the "
        "company's currency: by default what the invoices owed on the day of the hand-over. The "
        "recovery rate of each route is measured against it.",
    )
    fee_percent = fields.Float(
        string="Fee (% of the sums collected)",
        digits=(16, 2),
        tracking=True,
        help="The agency's commission, excluding VAT, as a share of each sum it collects.",
    )
    fee_fixed = fields.Monetary(
        string="Fixed fees (excl. VAT)",
        currency_field="company_currency_id",
        tracking=True,
        help="The file's fixed fees, billed once, with the first fee bill (a collection, or the "
        "file closed without result).",
    )
    is_handover = fields.Boolean(
        string="Handed over to a collector",
        compute="_compute_is_handover",
        help="A collection agency or a commissaire de justice recovers the claim and reports on it.",
    )
    report_event_ids = fields.One2many(
        comodel_name="fr.dunning.event",
        inverse_name="litigation_id",
        string="Reports",
        readonly=True,
    )
    collected_amount = fields.Monetary(
        string="Collected",
        currency_field="company_currency_id",
        compute="_compute_collected",
        help="The sums the agency reported collected, as their payments stand (a payment cancelled "
        "in accounting no longer counts).",
    )
    fee_bill_ids = fields.Many2many(
        comodel_name="account.move",
        string="Fee bills",
        compute="_compute_collected",
    )

    _sql_constraints = [
        (
            "fee_terms_valid",
            (
                "CHECK(COALESCE(fee_percent, 0) BETWEEN 0 AND 100 AND COALESCE(fee_fixed, 0) >= 0 "
                "AND COALESCE(handover_amount, 0) >= 0)"
            ),
            (
                "The fee is a percentage between 0 and 100, the fixed fees and the amount handed over "
                "are not negative."
            ),
        ),
    ]

    @api.depends("route")
    def _compute_is_handover(self):
        for litigation in self:
            litigation.is_handover = litigation.route in HANDOVER_ROUTES

    @api.depends("report_event_ids.payment_id.state", "report_event_ids.fee_bill_id")
    def _compute_collected(self):
        for litigation in self:
            payments = litigation.report_event_ids.payment_id.filtered(
                lambda p: p.state in COLLECTED_PAYMENT_STATES
            )
            litigation.collected_amount = sum(payments.mapped("amount_company_currency_signed"))
            litigation.fee_bill_ids = litigation.report_event_ids.fee_bill_id

    @api.onchange("move_ids")
    def _onchange_handover_amount(self):
        self.handover_amount = sum(self.move_ids.mapped("amount_residual_signed"))

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS fr.dunning.litigation: the amount handed over defaults to
        # what the invoices owe, and the company's own chasing stops.
        litigations = super().create(vals_list)
        for litigation in litigations.filtered(lambda lit: not lit.handover_amount):
            litigation.sudo().handover_amount = sum(litigation.move_ids.mapped("amount_residual_signed"))
        litigations._fr_dunning_stop_own_dunning()
        return litigations

    def write(self, vals):
        # EXTENDS fr.dunning.litigation: the terms the agency works on are
        # fixed once it reported (its fees were billed on them).
        if not self.env.su and set(TERMS_FIELDS) & set(vals) and self.report_event_ids:
            raise UserError(
                self.env._(
                    "The amount handed over and the fee terms are fixed once a report is recorded: "
                    "close the file and hand it over again."
                )
            )
        return super().write(vals)

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_agency_report(self):
        """Record a report of the agency or the commissaire de justice."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a report"),
            "res_model": "fr.dunning.agency.report.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_litigation_id": self.id},
        }

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_open_collections(self):
        """The payments and fee bills of the file."""
        self.ensure_one()
        payments = self.report_event_ids.payment_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collections"),
            "res_model": "account.payment",
            "view_mode": "list,form",
            "domain": [("id", "in", payments.ids)],
            "context": {"create": False},
        }

    def _fr_dunning_stop_own_dunning(self):
        """Stop what the company itself still had under way for the invoices
        handed over, and say so in the history (in its language)."""
        today = fields.Date.context_today(self)
        invoices = self.move_ids
        # A plan or a promise agreed with the customer is superseded: its
        # late-instalment emails and its broken-promise chasing would go on.
        self.env["fr.dunning.payment.plan"].search(
            [("state", "=", "open"), ("move_ids", "in", invoices.ids)]
        ).action_cancel()
        self.env["fr.dunning.promise"].search(
            [("state", "=", "open"), ("move_ids", "in", invoices.ids)]
        ).action_cancel()
        Move = self.env["account.move"]
        letters = (
            self.env["fr.dunning.event"]
            .sudo()
            .search(
                [
                    ("channel", "in", ("letter", "registered_letter")),
                    ("printed_date", "=", False),
                    ("move_ids", "in", invoices.ids),
                ]
            )
        )
        for company, litigations in self.grouped("company_id").items():
            env = history_env(self.env, company)
            partners = litigations.partner_id.commercial_partner_id
            # The customers that still have invoices to chase keep their calls.
            chased = self.env["res.partner"].browse()
            for [partner] in Move.with_company(company)._read_group(
                [
                    *Move._fr_dunning_chaseable_domain(company),
                    ("commercial_partner_id", "in", partners.ids),
                    ("fr_dunning_due_date", "<", today),
                ],
                ["commercial_partner_id"],
            ):
                chased |= partner
            calls = (
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "in", (partners - chased).ids),
                        ("fr_dunning_company_id", "=", company.id),
                    ]
                )
            )
            calls_by_partner = calls.grouped("res_id")
            for litigation in litigations:
                parts = []
                if litigation.is_handover:
                    parts.append(litigation._fr_dunning_terms_text(env))
                partner_calls = calls_by_partner.get(litigation.partner_id.commercial_partner_id.id)
                if partner_calls:
                    parts.append(
                        env._(
                            "Calls to make cancelled: %(count)s (nothing left to chase).",
                            count=len(partner_calls),
                        )
                    )
                pending = letters.filtered(lambda e, lit=litigation: e.move_ids & lit.move_ids)
                if pending:
                    parts.append(
                        env._(
                            "Letters recorded and not printed yet: %(letters)s. Do not post them.",
                            letters=", ".join(pending.mapped("reference")),
                        )
                    )
                if parts:
                    litigation._fr_dunning_log("note", env._("Own dunning stopped"), " ".join(parts))
            calls.unlink()

    def _fr_dunning_terms_text(self, env):
        """The hand-over's terms, in the language of ``env``."""
        self.ensure_one()
        currency = self.company_currency_id
        return env._(
            "Handed over on %(date)s: %(amount)s; fees %(percent)s %% of the sums collected plus "
            "%(fixed)s fixed fees, excluding VAT.",
            date=format_date(env, self.date_start),
            amount=formatLang(env, self.handover_amount, currency_obj=currency),
            percent=formatLang(env, self.fee_percent, digits=2),
            fixed=formatLang(env, self.fee_fixed, currency_obj=currency),
        )

    def _fr_dunning_check_reportable(self, day):
        """A report can be recorded on this file, dated ``day``, or a clear error."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(self.env._("This litigation file is closed: no report can be recorded on it."))
        if not self.is_handover:
            raise UserError(
                self.env._(
                    "Reports are recorded on files handed over to an agency or a commissaire de justice."
                )
            )
        if not self.external_partner_id:
            raise UserError(self.env._("Name the agency or the commissaire de justice of the file first."))
        if day > fields.Date.context_today(self):
            raise ValidationError(self.env._("A report cannot be dated in the future."))
        if day < self.date_start:
            raise ValidationError(
                self.env._(
                    "A report cannot be dated before the hand-over (%(date)s).",
                    date=format_date(self.env, self.date_start),
                )
            )
