# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A promise or a payment plan that puts an insured invoice off beyond the
policy's maximum extension: the form says so before it is saved, and once it
is recorded (the promise made, the plan started) the dunning history and the
chatters say so too. Never refused: the customer's agreement stands, the
insurer has to be told."""

from odoo import api, fields, models
from odoo.tools import format_date

from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_evidence import history_env


class FrDunningPauseMixin(models.AbstractModel):
    _inherit = "fr.dunning.pause.mixin"

    def _fr_dunning_insurance_warning(self, last_date, env=None):
        """The warning when ``last_date`` (the last payment date agreed) goes
        past the extension limit of one of the insured invoices of ``self``,
        in ``env``'s language; False otherwise."""
        self.ensure_one()
        env = env or self.env
        if not last_date:
            return False
        limits = self.move_ids._origin._fr_dunning_insurance_limits()
        beyond = {move: limit for move, (_cover, limit) in limits.items() if limit < last_date}
        if not beyond:
            return False
        limit = min(beyond.values())
        policy = limits[next(iter(beyond))][0].policy_id
        return env._(
            "Credit insurance: %(date)s goes beyond the maximum extension of %(days)s days from the "
            "original due date of %(invoices)s (until %(limit)s at the latest). Report the extension to "
            "%(insurer)s, or the cover may be lost.",
            date=format_date(env, last_date),
            days=policy.max_extension_days,
            invoices=", ".join(sorted(move.name for move in beyond)),
            limit=format_date(env, limit),
            insurer=policy._insurer_name(),
        )

    def _fr_dunning_log_insurance_warning(self, last_dates):
        """Record the warnings of ``self`` ({record: last date}) in the
        dunning history and the chatters, in the company's language."""
        for record in self:
            env = history_env(self.env, record.company_id)
            text = record._fr_dunning_insurance_warning(last_dates[record], env)
            if text:
                record._fr_dunning_log("note", env._("Beyond the credit insurance's extension"), text)


class FrDunningPromise(models.Model):
    _inherit = "fr.dunning.promise"

    insurance_warning = fields.Char(
        string="Credit insurance warning",
        compute="_compute_insurance_warning",
    )

    @api.depends("move_ids", "promise_date")
    def _compute_insurance_warning(self):
        for promise in self:
            promise.insurance_warning = promise._fr_dunning_insurance_warning(promise.promise_date)

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS fr_dunning_addon: a promise beyond the extension limit is
        # recorded with its warning.
        promises = super().create(vals_list)
        promises._fr_dunning_log_insurance_warning({p: p.promise_date for p in promises})
        return promises


class FrDunningPaymentPlan(models.Model):
    _inherit = "fr.dunning.payment.plan"

    insurance_warning = fields.Char(
        string="Credit insurance warning",
        compute="_compute_insurance_warning",
    )

    @api.depends("move_ids", "line_ids.date")
    def _compute_insurance_warning(self):
        for plan in self:
            plan.insurance_warning = plan._fr_dunning_insurance_warning(
                max(plan.line_ids.mapped("date"), default=False)
            )

    @guarded(GROUP_USER, "write")
    def action_confirm(self):
        # EXTENDS fr_dunning_addon: a plan started beyond the extension limit
        # is recorded with its warning.
        drafts = self.filtered(lambda p: p.state == "draft")
        result = super().action_confirm()
        started = drafts.filtered(lambda p: p.state == "open")
        started._fr_dunning_log_insurance_warning({p: max(p.line_ids.mapped("date")) for p in started})
        return result
