# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Payment plans (échéanciers): a customer's debt split into instalments.

The instalments are shown as soon as the invoices, the number of instalments,
the first date and the interval are given, and can be adjusted while the plan
is a draft; starting the plan fixes them (a plan without instalments does not
start). While a plan runs, its invoices are not chased on their due dates; the
nightly check reminds the customer of a late instalment, closes the plan
when everything is paid, and breaks it after two missed instalments, which
resumes the chasing at once.
"""

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_evidence import history_env

# A plan with this many missed instalments is broken.
MISSED_TO_BREAK = 2


class FrDunningPaymentPlan(models.Model):
    _name = "fr.dunning.payment.plan"
    _inherit = ["fr.dunning.pause.mixin"]
    _description = "Payment plan"
    _order = "state, id desc"
    _fr_dunning_reason = "payment_plan"
    # Instalments agreed with the customer supersede a promise to pay.
    _fr_dunning_replaces = ("promise",)
    _fr_dunning_flow_fields = ("state", "total", "missed_count")

    name = fields.Char(
        compute="_compute_name",
        store=True,
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("open", "Running"),
            ("done", "Paid"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    instalment_count = fields.Integer(
        string="Instalments",
        default=3,
    )
    first_date = fields.Date(
        string="First instalment on",
        default=lambda self: fields.Date.context_today(self) + relativedelta(months=1),
    )
    interval_months = fields.Integer(
        string="Months between instalments",
        default=1,
    )
    line_ids = fields.One2many(
        comodel_name="fr.dunning.payment.plan.line",
        inverse_name="plan_id",
        string="Instalment lines",
        copy=True,
    )
    instalment_total = fields.Monetary(
        string="Instalments total",
        compute="_compute_instalment_total",
        help="What the instalments add up to: the amount due, for the plan to start.",
    )
    instalments_unbalanced = fields.Boolean(
        string="Instalments not adding up",
        compute="_compute_instalment_total",
    )
    total = fields.Monetary(
        string="Total of the plan",
        readonly=True,
        help="What the invoices owed when the plan started.",
    )
    paid_since = fields.Monetary(
        string="Paid since the start",
        compute="_compute_paid_since",
    )
    missed_count = fields.Integer(
        string="Missed instalments",
        readonly=True,
    )

    @api.depends("partner_id")
    def _compute_name(self):
        for plan in self:
            plan.name = plan.partner_id.name or ""

    @api.depends("total", "move_ids.amount_residual")
    def _compute_paid_since(self):
        for plan in self:
            plan.paid_since = max(plan.total - sum(plan.move_ids.mapped("amount_residual")), 0.0)

    @api.depends("line_ids.amount", "amount_residual")
    def _compute_instalment_total(self):
        for plan in self:
            plan.instalment_total = sum(plan.line_ids.mapped("amount"))
            plan.instalments_unbalanced = bool(plan.line_ids) and bool(
                plan.currency_id.compare_amounts(plan.instalment_total, plan.amount_residual)
            )

    @api.onchange("move_ids", "instalment_count", "first_date", "interval_months")
    def _onchange_instalments(self):
        # The accountant sees the instalments before starting the plan, and may
        # adjust them in the draft: changing the terms computes them again.
        for plan in self.filtered(lambda p: p.state == "draft"):
            if plan._fr_dunning_has_terms() and plan.currency_id.compare_amounts(plan.amount_residual, 0) > 0:
                plan.line_ids = plan._fr_dunning_equal_instalments()
            else:
                plan.line_ids = [Command.clear()]

    @api.constrains("state", "move_ids")
    def _check_one_open_plan(self):
        # An invoice follows one schedule: two running plans would each count
        # the same payments as their own instalments.
        running = self.filtered(lambda p: p.state == "open")
        if not running:
            return
        others = self.search(
            [("state", "=", "open"), ("id", "not in", running.ids), ("move_ids", "in", running.move_ids.ids)]
        )
        for plan in running:
            shared = (others.move_ids | (running - plan).move_ids) & plan.move_ids
            if shared:
                raise ValidationError(
                    self.env._(
                        "%(invoices)s already in a running payment plan: cancel that plan first, or "
                        "leave these invoices out.",
                        invoices=", ".join(shared.mapped("name")),
                    )
                )
        # See FrDunningDispute._check_not_in_plan: a plan does not take over a dispute.
        disputed = self.env["fr.dunning.dispute"].search(
            [("state", "=", "open"), ("move_ids", "in", running.move_ids.ids)]
        )
        if disputed:
            raise ValidationError(
                self.env._(
                    "%(invoices)s in an open dispute: resolve or cancel the dispute before setting up "
                    "a payment plan on it.",
                    invoices=", ".join((disputed.move_ids & running.move_ids).mapped("name")),
                )
            )

    def _fr_dunning_check_lines_editable(self):
        if any(plan.state != "draft" for plan in self.exists()):
            raise UserError(
                self.env._(
                    "The instalments of a plan agreed with the customer cannot be changed: cancel the "
                    "plan and agree a new one."
                )
            )

    @guarded(GROUP_USER, "write")
    def action_compute_lines(self):
        """Equal instalments again, in place of the draft's lines."""
        for plan in self.filtered(lambda p: p.state == "draft"):
            if not plan._fr_dunning_has_terms():
                raise UserError(
                    self.env._("Give the number of instalments, the first date and the interval.")
                )
            plan.line_ids = plan._fr_dunning_equal_instalments()

    @guarded(GROUP_USER, "write")
    def action_confirm(self):
        """Start the plan on the instalments shown in the draft."""
        for plan in self.filtered(lambda p: p.state == "draft"):
            if not plan.line_ids:
                # Never instalments the accountant has not seen.
                raise UserError(
                    self.env._(
                        "%(customer)s: the plan has no instalments. Compute them and check them "
                        "before starting the plan.",
                        customer=plan.partner_id.name,
                    )
                )
            total = plan.amount_residual
            if plan.currency_id.compare_amounts(sum(plan.line_ids.mapped("amount")), total):
                raise ValidationError(
                    self.env._(
                        "The instalments add up to %(sum)s but the invoices owe %(total)s: they must "
                        "be equal.",
                        sum=formatLang(
                            self.env, sum(plan.line_ids.mapped("amount")), currency_obj=plan.currency_id
                        ),
                        total=formatLang(self.env, total, currency_obj=plan.currency_id),
                    )
                )
            plan.sudo().write({"state": "open", "total": total})
            # The history is written in the company's language.
            env = history_env(self.env, plan.company_id)
            text = env._(
                "Payment plan: %(total)s in %(count)s instalments, from %(first)s to %(last)s",
                total=formatLang(env, total, currency_obj=plan.currency_id),
                count=len(plan.line_ids),
                first=format_date(env, min(plan.line_ids.mapped("date"))),
                last=format_date(env, max(plan.line_ids.mapped("date"))),
            )
            plan._fr_dunning_pause(text)
            plan._fr_dunning_log("note", env._("Payment plan"), text)

    @guarded(GROUP_USER, "write")
    def action_cancel(self):
        """Cancel the plan; a running one resumes the chasing of its invoices
        (the form asks for a confirmation first)."""
        for plan in self.filtered(lambda p: p.state in ("draft", "open")):
            running = plan.state == "open"
            plan.sudo().state = "cancelled"
            if running:
                plan._fr_dunning_resume()
                env = history_env(self.env, plan.company_id)
                plan._fr_dunning_log(
                    "note", env._("Payment plan cancelled"), env._("Payment plan cancelled.")
                )

    @guarded(GROUP_USER, "read")
    def action_print(self):
        return self.env.ref("fr_dunning_addon.action_report_payment_plan").report_action(self)

    def _fr_dunning_has_terms(self):
        """Whether the number of instalments, the first date and the interval are given."""
        self.ensure_one()
        return self.instalment_count >= 1 and self.interval_months >= 1 and bool(self.first_date)

    def _fr_dunning_equal_instalments(self):
        """The commands that replace the lines of the draft ``self`` by equal
        instalments of what its invoices owe (the last one takes the rounding)."""
        self.ensure_one()
        total = self.amount_residual
        share = self.currency_id.round(total / self.instalment_count)
        amounts = [share] * (self.instalment_count - 1)
        amounts.append(self.currency_id.round(total - sum(amounts)))
        return [Command.clear()] + [
            Command.create(
                {
                    "date": self.first_date + relativedelta(months=index * self.interval_months),
                    "amount": amount,
                }
            )
            for index, amount in enumerate(amounts)
        ]

    def _fr_dunning_check(self, today):
        """Follow the running plans on ``today``: returns (done, broken)."""
        done = broken = self.browse()
        grace = {}
        for plan in self.filtered(lambda p: p.state == "open"):
            company = plan.company_id
            grace.setdefault(company, company.fr_dunning_promise_grace_days)
            env = history_env(self.env, company)
            if plan.currency_id.is_zero(plan.amount_residual):
                plan.sudo().state = "done"
                plan._fr_dunning_resume()
                plan._fr_dunning_log("note", env._("Payment plan completed"), env._("Payment plan paid."))
                done |= plan
                continue
            # The instalments past their date (plus the grace days) must be
            # covered, in order, by what was paid since the start.
            paid = plan.paid_since
            missed = plan.line_ids.browse()
            covered = 0.0
            for line in plan.line_ids.sorted("date"):
                covered += line.amount
                if line.date + relativedelta(days=grace[company]) < today and (
                    plan.currency_id.compare_amounts(paid, covered) < 0
                ):
                    missed |= line
            new_missed = missed.filtered(lambda line: not line.reminded)
            if len(missed) >= MISSED_TO_BREAK:
                plan.sudo().write({"state": "broken", "missed_count": len(missed)})
                plan._fr_dunning_resume()
                plan._fr_dunning_log(
                    "note",
                    env._("Payment plan broken"),
                    env._("Payment plan broken: %(count)s instalments missed.", count=len(missed)),
                )
                broken |= plan
            elif new_missed:
                plan.sudo().missed_count = len(missed)
                plan._fr_dunning_remind(new_missed)
            missed.sudo().reminded = True
        return done, broken

    def _fr_dunning_remind(self, lines):
        """Email the customer about a late instalment."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        recipients = self.env["fr.dunning.escalation"]._email_recipients(partner)
        lang_self = self.with_context(lang=partner.lang or self.env.lang)

        def late_text(env):
            return env._(
                "The instalment of %(amount)s due on %(date)s under our payment plan has not reached us. "
                "Please pay it without delay: two missed instalments end the plan, and the whole balance "
                "of %(total)s then becomes due.",
                amount=formatLang(env, sum(lines.mapped("amount")), currency_obj=self.currency_id),
                date=format_date(env, min(lines.mapped("date"))),
                total=formatLang(env, self.amount_residual, currency_obj=self.currency_id),
            )

        # The email in the customer's language, the history in the company's.
        env = lang_self.env
        text = late_text(env)
        if recipients:
            message = partner.sudo().message_post(
                body=Markup("<p>%s</p>") % text,
                subject=env._("Late instalment: %(company)s", company=self.company_id.name),
                partner_ids=recipients.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            message.fr_dunning_company_id = self.company_id
        history = history_env(self.env, self.company_id)
        self._fr_dunning_log("reminder", history._("Late instalment"), late_text(history))

    @api.model
    def _cron_fr_dunning_payment_plans(self):
        today = fields.Date.context_today(self)
        done, broken = self.search([("state", "=", "open")])._fr_dunning_check(today)
        broken._fr_dunning_chase_now(today)
        return done, broken


class FrDunningPaymentPlanLine(models.Model):
    _name = "fr.dunning.payment.plan.line"
    _description = "Payment plan instalment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one(
        comodel_name="fr.dunning.payment.plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="plan_id.company_id",
        store=True,
    )
    currency_id = fields.Many2one(
        related="plan_id.currency_id",
    )
    date = fields.Date(
        required=True,
    )
    amount = fields.Monetary(
        required=True,
    )
    reminded = fields.Boolean(
        string="Late, reminded",
        readonly=True,
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "An instalment must be positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': the instalments are agreed when the plan starts.
        if not self.env.su:
            self.env["fr.dunning.payment.plan"].browse(
                {vals.get("plan_id") for vals in vals_list}
            )._fr_dunning_check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'base'
        if not self.env.su:
            self.plan_id._fr_dunning_check_lines_editable()
            if "plan_id" in vals:
                self.plan_id.browse(vals["plan_id"])._fr_dunning_check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if not self.env.su:
            self.plan_id._fr_dunning_check_lines_editable()
