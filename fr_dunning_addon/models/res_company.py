# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import fr_dunning_law as law
from .fr_dunning_formats import SIREN_GROUPS, SIRET_GROUPS, LangFormats, group_digits


class ResCompany(models.Model):
    _inherit = "res.company"

    # Technical: each escalation of the company writes it as soon as it holds
    # the company's lock (see fr.dunning.escalation._lock).
    fr_dunning_run_stamp = fields.Integer(copy=False, readonly=True, groups="base.group_system")
    fr_dunning_contractual_rate = fields.Float(
        string="Contractual penalty rate (%)",
        digits=(6, 2),
        help="Annual late-payment penalty rate stated in your terms of sale. Empty: the ECB "
        "rate + 10 points (Code de commerce L441-10). Never below 3 x the legal interest rate.",
    )
    fr_dunning_interest_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Late-payment interest account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the penalty invoices' interest lines (French chart: 763100).",
    )
    fr_dunning_indemnity_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Recovery indemnity account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the 40 EUR recovery indemnity lines (French chart: 758100).",
    )
    fr_dunning_loss_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Loss account for irrecoverable claims",
        check_company=True,
        help="Expense account of write-offs. Empty: the French chart's 654100 for invoices of the "
        "current year, 654400 for earlier years.",
    )

    fr_dunning_payment_term_check = fields.Selection(
        selection=[
            ("none", "No check"),
            ("warn", "Warn"),
            ("block", "Block"),
        ],
        string="Legal payment term check",
        default="warn",
        required=True,
        help="When a business customer's invoice is due more than 60 days after its date (or "
        "45 days end of month), Code de commerce L441-10 I: warn in the invoice's chatter, or "
        "refuse to post it.",
    )
    fr_dunning_invoice_mentions = fields.Boolean(
        string="Late-payment mentions on invoices",
        default=True,
        help="Print on business customers' invoices the late-payment penalty rate and the 40 EUR "
        "recovery indemnity (Code de commerce L441-9).",
    )

    fr_dunning_promise_grace_days = fields.Integer(
        string="Grace days after a promise to pay",
        default=3,
        help="A promise to pay not honoured this many days after its date is broken: chasing "
        "resumes at once.",
    )
    fr_dunning_share_capital = fields.Monetary(
        string="Share capital",
        currency_field="currency_id",
        help="Printed next to the company's name on the dunning letters when set, rounded down to "
        "the unit (Code de commerce R123-238).",
    )
    fr_dunning_legal_form = fields.Char(
        string="Legal form",
        help="SAS, SARL, SA...: printed next to the company's name on the dunning letters when the "
        "name does not already start or end with it (Code de commerce R123-238).",
    )
    fr_dunning_signatory_name = fields.Char(
        string="Signatory",
        help="Who signs the dunning letters and emails, e.g. the credit manager. Empty: the "
        "customer's dunning responsible (or salesperson) signs.",
    )
    fr_dunning_signatory_title = fields.Char(
        string="Signatory's title",
        help="Printed under the signatory's name, e.g. Credit manager. Empty: the job position of "
        "the responsible who signs, when the signatory above is empty.",
    )
    fr_dunning_large_amount = fields.Monetary(
        string="Large-amount threshold",
        currency_field="currency_id",
        default=10000.0,
        help="Customers whose overdue total exceeds this amount follow the large-amount dunning "
        "policy (unless a policy is set on them).",
    )
    fr_dunning_auto = fields.Boolean(
        string="Automatic dunning",
        help="Every night, send the reminders due (emails queued, letters and calls prepared). "
        "Off: reminders are sent from the Dunning menu only.",
    )
    fr_dunning_bank_stale_days = fields.Integer(
        string="Bank statements older than (days)",
        default=7,
        help="When a bank journal's last statement line is older than this, payments may be "
        "missing from the books: the preview warns, and the nightly run can wait.",
    )
    fr_dunning_hold_if_stale = fields.Boolean(
        string="Hold the nightly run when bank statements are late",
        help="The nightly run sends nothing while a bank journal's statements are late; "
        "reminders can still be sent by hand.",
    )
    fr_dunning_call_limit = fields.Integer(
        string="Calls per responsible and day",
        default=20,
        help="The most dunning calls a responsible is given in a day in this company, the largest "
        "amounts first; the others wait for the next day. The calls already given or logged that day "
        "count. 0: no limit.",
    )
    fr_dunning_tolerance = fields.Monetary(
        string="Dunning tolerance",
        currency_field="currency_id",
        default=5.0,
        help="Customers who owe less than this overdue amount are not chased.",
    )

    _sql_constraints = [
        (
            "fr_dunning_call_limit_positive",
            "CHECK(fr_dunning_call_limit >= 0)",
            "The number of calls per responsible and day cannot be negative (0: no limit).",
        ),
    ]

    @api.constrains("fr_dunning_contractual_rate")
    def _check_fr_dunning_contractual_rate(self):
        self._fr_dunning_check_contractual_rates(
            self.filtered("fr_dunning_contractual_rate").mapped("fr_dunning_contractual_rate")
        )

    @api.model
    def _fr_dunning_check_contractual_rates(self, rates):
        """Refuse a contractual rate below 3 x the legal rate in force (L441-10 II),
        or above a plausible ceiling (a typing error, see law.plausible_rate_ceiling)."""
        if not rates:
            return
        [[highest_ecb]] = self.env["fr.dunning.legal.rate"].sudo()._read_group([], [], ["ecb_rate:max"])
        ceiling = law.plausible_rate_ceiling(highest_ecb or 0.0)
        formats = LangFormats(self.env)
        if max(rates) > ceiling + 1e-9:
            raise ValidationError(
                self.env._(
                    "A contractual late-payment rate of %(rate)s is not plausible: it is more than "
                    "3 x the highest default rate recorded (ECB rate + 10 points = %(default)s), "
                    "i.e. %(ceiling)s. Check the figure (2.50 rather than 250?).",
                    rate=formats.percent(max(rates)),
                    default=formats.percent((highest_ecb or 0.0) + law.ECB_MARGIN_POINTS),
                    ceiling=formats.percent(ceiling),
                )
            )
        current = self.env["fr.dunning.legal.rate"].search(
            [("date_start", "<=", fields.Date.context_today(self))], order="date_start desc", limit=1
        )
        if not current:
            return
        floor = law.contractual_floor(current.legal_rate_other)
        too_low = [rate for rate in rates if rate < floor - 1e-9]
        if too_low:
            raise ValidationError(
                self.env._(
                    "A contractual late-payment rate of %(rate)s is below the legal floor: "
                    "3 x the legal interest rate of %(semester)s (%(legal)s) = %(floor)s "
                    "(Code de commerce L441-10). Enter at least %(floor)s, or leave it empty "
                    "to apply the ECB rate + 10 points.",
                    rate=formats.percent(min(too_low)),
                    semester=current.name,
                    legal=formats.percent(current.legal_rate_other),
                    floor=formats.percent(floor),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': every company starts with the default dunning policies.
        companies = super().create(vals_list)
        self.env["fr.dunning.policy"].sudo()._create_default_policies(companies)
        return companies

    def _fr_dunning_stale_bank_journals(self, today):
        """The bank journals of this company whose last statement line is older than
        the company's limit (journals never fed are left out: nothing to compare)."""
        self.ensure_one()
        last_lines = self.env["account.bank.statement.line"]._read_group(
            [("company_id", "=", self.id), ("journal_id.type", "=", "bank")],
            ["journal_id"],
            ["date:max"],
        )
        limit = today - timedelta(days=self.fr_dunning_bank_stale_days)
        return self.env["account.journal"].union(
            *[journal for journal, last_date in last_lines if last_date < limit]
        )

    def _fr_dunning_penalty_accounts(self):
        """(interest account, indemnity account), from the settings or the French chart."""
        self.ensure_one()
        ChartTemplate = self.env["account.chart.template"].with_company(self)
        interest = self.fr_dunning_interest_account_id or ChartTemplate.ref(
            "pcg_7631", raise_if_not_found=False
        )
        indemnity = self.fr_dunning_indemnity_account_id or ChartTemplate.ref(
            "pcg_7581", raise_if_not_found=False
        )
        return interest, indemnity

    def _fr_dunning_loss_account(self, invoice):
        self.ensure_one()
        if self.fr_dunning_loss_account_id:
            return self.fr_dunning_loss_account_id
        # PCG: 6541 for claims of the current financial year, 6544 for earlier ones.
        ChartTemplate = self.env["account.chart.template"].with_company(self)
        year_start = self.compute_fiscalyear_dates(fields.Date.context_today(self))["date_from"]
        return ChartTemplate.ref(
            law.irrecoverable_loss_account(invoice.invoice_date, year_start), raise_if_not_found=False
        )

    def _fr_dunning_mentions(self, formats=None):
        """What identifies this company on its letters and invoices, those it
        has set (Code de commerce R123-237 and R123-238): its name with its
        legal form, its share capital (rounded down to the unit), its registry
        number (the SIREN when only digits were typed) and its SIRET, with
        their digits grouped as INSEE prints them. ``formats``: the
        LangFormats of the document's language (else the context's)."""
        self.ensure_one()
        formats = formats or LangFormats(self.env)
        registry = (self.company_registry or "").strip()
        siren = registry.replace(" ", "") if registry.replace(" ", "").isdigit() else ""
        capital = law.share_capital_stated(self.fr_dunning_share_capital)
        return {
            "name": law.name_with_legal_form(self.name, self.fr_dunning_legal_form),
            "share_capital": capital and formats.amount(capital, self.currency_id, digits=0),
            "share_capital_amount": capital,
            "siren": siren and group_digits(siren, SIREN_GROUPS),
            "registry": not siren and registry,
            "siret": "siret" in self._fields
            and self.siret
            and group_digits(self.siret.replace(" ", ""), SIRET_GROUPS),
        }
