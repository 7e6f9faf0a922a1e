# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What pauses the chasing of invoices: disputes and promises to pay.

Each one sets the invoices' blocking reason while it is open (unless another
reason already pauses them), logs a dunning event and a chatter message, and
clears its own reason when it ends; the invoices then resume at the level they
had.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, formatLang

from .fr_dunning_access import GROUP_MANAGER, GROUP_USER, guarded
from .fr_dunning_evidence import history_env, reader_env


class FrDunningPauseMixin(models.AbstractModel):
    _name = "fr.dunning.pause.mixin"
    _description = "Pauses the chasing of invoices"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _check_company_auto = True
    # The blocking reason on account.move this record sets, and the reasons it
    # takes over (any other reason already set stays).
    _fr_dunning_reason = None
    _fr_dunning_replaces = ()
    # Written by the record's own actions only (as superuser): a user who could
    # write them would close a dispute, or empty a plan, without its event.
    _fr_dunning_flow_fields = ("state",)

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
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
    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_amount_residual",
    )
    amount_residual = fields.Monetary(
        string="Amount due",
        compute="_compute_amount_residual",
        help="What is still due on the invoices concerned.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
    )
    note = fields.Text()
    origin = fields.Selection(
        selection=[("user", "Recorded by a user"), ("portal", "By the customer, online")],
        default="user",
        required=True,
        readonly=True,
        help="Who recorded it: a user, or the customer on its online page (the link of its reminders).",
    )

    @api.depends("move_ids.amount_residual", "company_id")
    def _compute_amount_residual(self):
        for record in self:
            record.currency_id = record.move_ids.currency_id[:1] or record.company_id.currency_id
            record.amount_residual = sum(record.move_ids.mapped("amount_residual"))

    @api.constrains("move_ids", "partner_id")
    def _check_moves(self):
        for record in self:
            if not record.move_ids:
                raise ValidationError(self.env._("Choose the invoices concerned."))
            if record.move_ids.commercial_partner_id != record.partner_id.commercial_partner_id:
                raise ValidationError(self.env._("The invoices must all be invoices of the customer."))

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'mail': a record starts in its first state; only its actions
        # move it on (a dispute created "resolved" would pause for good).
        if not self.env.su:
            # The origin too: "by the customer, online" is the portal's to say.
            flow = [
                name
                for name in (*self._fr_dunning_flow_fields, "origin")
                if any(name in vals for vals in vals_list)
            ]
            defaults = self.default_get(flow)
            for vals in vals_list:
                if any(name in vals and vals[name] != defaults.get(name, False) for name in flow):
                    raise AccessError(
                        self.env._(
                            "A dispute, a promise or a plan starts in its first state: use its buttons."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'mail': the state is the actions', the invoices are fixed once
        # the chasing is paused for them.
        if not self.env.su:
            if {*self._fr_dunning_flow_fields, "origin"} & set(vals):
                raise AccessError(
                    self.env._("Use the record's buttons to change its state: each one leaves its event.")
                )
            if "move_ids" in vals and any(record._fr_dunning_is_running() for record in self):
                raise UserError(
                    self.env._(
                        "The invoices of a running record cannot be changed: close it and open a new one."
                    )
                )
        return super().write(vals)

    def _fr_dunning_is_running(self):
        """Whether the record pauses its invoices already (drafts do not)."""
        self.ensure_one()
        return self.state != "draft"

    def _fr_dunning_pause(self, note):
        """Pause the chasing of the invoices that no other reason pauses, or
        whose reason this one takes over."""
        for record in self:
            record.move_ids.filtered(
                lambda m: not m.fr_dunning_blocked or m.fr_dunning_blocked in self._fr_dunning_replaces
            ).sudo().write(
                {"fr_dunning_blocked": self._fr_dunning_reason, "fr_dunning_blocked_note": note[:250]}
            )

    def _fr_dunning_resume(self):
        """Clear this reason on the invoices no other open record still pauses."""
        still_open = self.search(
            [("state", "=", "open"), ("id", "not in", self.ids), ("move_ids", "in", self.move_ids.ids)]
        )
        paused = self.move_ids - still_open.move_ids
        paused.filtered(lambda m: m.fr_dunning_blocked == self._fr_dunning_reason).sudo().write(
            {"fr_dunning_blocked": False, "fr_dunning_blocked_note": False}
        )

    def _fr_dunning_chase_now(self, today):
        """The customers of ``self`` (broken promises or plans) get their next
        reminder at once, one level up: the escalation's "send now"."""
        Escalation = self.env["fr.dunning.escalation"]
        for company in self.company_id:
            partners = self.filtered(lambda r, c=company: r.company_id == c).partner_id.commercial_partner_id
            Escalation.with_company(company)._run(company, today=today, partners=partners, force=True)

    def _fr_dunning_log(self, event_type, name, text, outcome=False, online=False, **values):
        """A dunning event and a chatter note on the customer, the invoices and
        self; ``values``: more fields of the event. ``online``: what the
        customer did on its online page, logged on the portal channel and
        saying so."""
        events = self.env["fr.dunning.event"]
        for record in self:
            event_name, event_text = name, text
            if online:
                env = history_env(self.env, record.company_id)
                event_name = env._("%(what)s, by the customer online", what=name)
                event_text = env._("%(what)s (by the customer, on its online page)", what=text)
            events |= events._fr_dunning_record(
                [
                    {
                        "name": event_name,
                        "company_id": record.company_id.id,
                        "partner_id": record.partner_id.commercial_partner_id.id,
                        "move_ids": [Command.set(record.move_ids.ids)],
                        "event_type": event_type,
                        "channel": "portal" if online else "manual",
                        "outcome": outcome,
                        "user_id": self.env.uid,
                        "currency_id": record.currency_id.id,
                        "amount_residual": record.amount_residual,
                        "note": Markup("<p>%s</p>") % event_text,
                        **values,
                    }
                ]
            )
            body = Markup("<p>%s</p>") % event_text
            record.partner_id.commercial_partner_id._fr_dunning_log_note(body, record.company_id)
            record.move_ids._message_log_batch(bodies=dict.fromkeys(record.move_ids.ids, body))
            record._message_log(body=body)
        return events


class FrDunningDispute(models.Model):
    """A commercial dispute on invoices (litige commercial): chasing pauses until
    it is resolved; the owner is reminded on the review date."""

    _name = "fr.dunning.dispute"
    _inherit = ["fr.dunning.pause.mixin"]
    _description = "Dunning dispute"
    _order = "state, review_date, id desc"
    _fr_dunning_reason = "dispute"

    name = fields.Char(
        compute="_compute_name",
        store=True,
    )
    category = fields.Selection(
        selection=[
            ("quality", "Quality"),
            ("delivery", "Delivery"),
            ("billing_error", "Billing error"),
            ("price", "Price"),
            ("quantity", "Quantity"),
            ("not_received", "Not received"),
            ("paid", "Already paid"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        tracking=True,
    )
    review_date = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=15),
        help="The owner gets an activity on this date to review the dispute.",
    )
    state = fields.Selection(
        selection=[("open", "Open"), ("resolved", "Resolved"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    resolution = fields.Text()

    @api.constrains("state", "move_ids")
    def _check_not_in_plan(self):
        # An invoice in a running payment plan is refused rather than counted:
        # the customer agreed to pay it by instalments, so a dispute questions
        # the plan itself, and an accountant expects the plan to be cancelled
        # first (chasing resumes, logged). Counting it in both "in a plan" and
        # "in dispute" would have the follow-up's columns add up to more than
        # what is due; and the invoice can carry one pause reason only.
        opened = self.filtered(lambda d: d.state == "open")
        if not opened:
            return
        plans = self.env["fr.dunning.payment.plan"].search(
            [("state", "=", "open"), ("move_ids", "in", opened.move_ids.ids)]
        )
        if plans:
            raise ValidationError(
                self.env._(
                    "%(invoices)s in a running payment plan: cancel the plan before opening a dispute on it.",
                    invoices=", ".join((plans.move_ids & opened.move_ids).mapped("name")),
                )
            )

    @api.depends("partner_id", "category")
    def _compute_name(self):
        labels = dict(self._fields["category"]._description_selection(self.env))
        for dispute in self:
            dispute.name = f"{dispute.partner_id.name or ''} — {labels.get(dispute.category, '')}"

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        for dispute in disputes:
            labels = dict(self._fields["category"]._description_selection(self.env))
            # The history is written in the company's language.
            env = history_env(self.env, dispute.company_id)
            text = env._(
                "Dispute opened (%(category)s): %(note)s — review on %(date)s",
                category=dict(self._fields["category"]._description_selection(env))[dispute.category],
                note=dispute.note or "",
                date=format_date(env, dispute.review_date),
            )
            dispute._fr_dunning_pause(
                dispute.note or self.env._("Dispute: %(category)s", category=labels[dispute.category])
            )
            dispute._fr_dunning_log(
                "dispute",
                env._("Dispute opened"),
                text,
                outcome="dispute",
                online=dispute.origin == "portal",
            )
            dispute._fr_dunning_schedule_review()
        return disputes

    def write(self, vals):
        result = super().write(vals)
        if "review_date" in vals or "user_id" in vals:
            self.filtered(lambda d: d.state == "open")._fr_dunning_schedule_review()
        return result

    def _fr_dunning_schedule_review(self):
        for dispute in self:
            dispute.activity_unlink(["mail.mail_activity_data_todo"])
            Escalation = self.env["fr.dunning.escalation"]
            user = dispute.user_id
            if not Escalation._fr_dunning_can_follow(user):
                user = Escalation._responsible(dispute.partner_id.commercial_partner_id, dispute.company_id)
            # In the language of whoever reviews it, not of whoever opened the dispute.
            env = reader_env(self.env, user, dispute.company_id)
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=dispute.review_date,
                summary=env._("Review the dispute of %(partner)s", partner=dispute.partner_id.name),
                user_id=user.id,
            )

    @guarded(GROUP_USER, "write")
    def action_resolve(self):
        """Resolved: chasing resumes at the level the invoices had."""
        for dispute in self.filtered(lambda d: d.state == "open"):
            dispute.sudo().state = "resolved"
            dispute._fr_dunning_resume()
            dispute.activity_unlink(["mail.mail_activity_data_todo"])
            env = history_env(self.env, dispute.company_id)
            dispute._fr_dunning_log(
                "dispute",
                env._("Dispute resolved"),
                env._("Dispute resolved: %(resolution)s", resolution=dispute.resolution or ""),
            )

    @guarded(GROUP_USER, "write")
    def action_cancel(self):
        for dispute in self.filtered(lambda d: d.state == "open"):
            dispute.sudo().state = "cancelled"
            dispute._fr_dunning_resume()
            dispute.activity_unlink(["mail.mail_activity_data_todo"])
            env = history_env(self.env, dispute.company_id)
            dispute._fr_dunning_log("dispute", env._("Dispute cancelled"), env._("Dispute cancelled."))


class FrDunningPromise(models.Model):
    """A promise to pay: chasing pauses until its date plus the company's grace
    days; paid by then, it is kept; otherwise it is broken and chasing resumes
    at once, one level up."""

    _name = "fr.dunning.promise"
    _inherit = ["fr.dunning.pause.mixin"]
    _description = "Promise to pay"
    _order = "state, promise_date, id desc"
    _fr_dunning_reason = "promise"

    name = fields.Char(
        compute="_compute_name",
        store=True,
    )
    promise_date = fields.Date(
        string="Promised for",
        required=True,
        tracking=True,
    )
    amount = fields.Monetary(
        string="Amount promised",
        required=True,
        tracking=True,
    )
    residual_at_promise = fields.Monetary(
        string="Due when promised",
        readonly=True,
        help="What the invoices still owed when the promise was made: payments since then "
        "count towards the promise.",
    )
    paid_since = fields.Monetary(
        string="Paid since the promise",
        compute="_compute_paid_since",
    )
    deadline = fields.Date(
        string="Broken after",
        compute="_compute_deadline",
        store=True,
        help="The promised date plus the company's grace days.",
    )
    state = fields.Selection(
        selection=[
            ("open", "Pending"),
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The amount promised must be positive."),
    ]

    @api.constrains("promise_date")
    def _check_promise_date(self):
        # A promise is a date to come: dated in the past, it would be broken at
        # once (or, as a record of an old promise, be evidence of what was not
        # said on that day).
        today = fields.Date.context_today(self)
        for promise in self:
            if promise.promise_date < today:
                raise ValidationError(
                    self.env._(
                        "A promise to pay cannot be dated in the past (%(date)s).",
                        date=format_date(self.env, promise.promise_date),
                    )
                )

    @api.depends("partner_id", "promise_date")
    def _compute_name(self):
        for promise in self:
            promise.name = f"{promise.partner_id.name or ''} — {promise.promise_date or ''}"

    @api.depends("promise_date", "company_id.fr_dunning_promise_grace_days")
    def _compute_deadline(self):
        for promise in self:
            promise.deadline = promise.promise_date and promise.promise_date + timedelta(
                days=promise.company_id.fr_dunning_promise_grace_days
            )

    @api.depends("residual_at_promise", "move_ids.amount_residual")
    def _compute_paid_since(self):
        for promise in self:
            promise.paid_since = max(
                promise.residual_at_promise - sum(promise.move_ids.mapped("amount_residual")), 0
            )

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        for promise in promises:
            if promise.currency_id.compare_amounts(promise.amount, promise.amount_residual) > 0:
                raise ValidationError(
                    self.env._("The amount promised cannot exceed what the invoices still owe.")
                )
            promise.residual_at_promise = promise.amount_residual
            env = history_env(self.env, promise.company_id)
            text = env._(
                "Promise to pay %(amount)s by %(date)s",
                amount=formatLang(env, promise.amount, currency_obj=promise.currency_id),
                date=format_date(env, promise.promise_date),
            )
            promise._fr_dunning_pause(text)
            promise._fr_dunning_log(
                "promise",
                env._("Promise to pay"),
                text,
                outcome="promise",
                online=promise.origin == "portal",
            )
        return promises

    @guarded(GROUP_USER, "write")
    def action_cancel(self):
        for promise in self.filtered(lambda p: p.state == "open"):
            promise.sudo().state = "cancelled"
            promise._fr_dunning_resume()
            env = history_env(self.env, promise.company_id)
            promise._fr_dunning_log("promise", env._("Promise cancelled"), env._("Promise cancelled."))

    def _fr_dunning_check(self, today):
        """Close the open promises that are kept, break those past their deadline;
        returns (kept, broken)."""
        kept = self.filtered(
            lambda p: (
                p.state == "open"
                and (
                    p.currency_id.compare_amounts(p.paid_since, p.amount) >= 0
                    or p.currency_id.is_zero(p.amount_residual)
                )
            )
        )
        broken = self.filtered(lambda p: p.state == "open" and p not in kept and p.deadline < today)
        for promise in kept:
            promise.sudo().state = "kept"
            promise._fr_dunning_resume()
            env = history_env(self.env, promise.company_id)
            promise._fr_dunning_log("promise", env._("Promise kept"), env._("Promise to pay kept."))
        for promise in broken:
            promise.sudo().state = "broken"
            promise._fr_dunning_resume()
            env = history_env(self.env, promise.company_id)
            text = env._(
                "Promise to pay broken: %(paid)s received of %(amount)s promised for %(date)s.",
                paid=formatLang(env, promise.paid_since, currency_obj=promise.currency_id),
                amount=formatLang(env, promise.amount, currency_obj=promise.currency_id),
                date=format_date(env, promise.promise_date),
            )
            promise._fr_dunning_log("promise", env._("Promise broken"), text)
            partner = promise.partner_id.commercial_partner_id
            user = self.env["fr.dunning.escalation"]._responsible(
                partner, promise.company_id, promise.user_id
            )
            reader = reader_env(self.env, user, promise.company_id)
            if reader.lang != env.lang:
                text = reader._(
                    "Promise to pay broken: %(paid)s received of %(amount)s promised for %(date)s.",
                    paid=formatLang(reader, promise.paid_since, currency_obj=promise.currency_id),
                    amount=formatLang(reader, promise.amount, currency_obj=promise.currency_id),
                    date=format_date(reader, promise.promise_date),
                )
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=reader._("Promise to pay broken: %(partner)s", partner=partner.name),
                note=text,
                user_id=user.id,
            )
        return kept, broken

    @api.model
    def _cron_fr_dunning_promises(self):
        """Nightly: kept promises close, broken ones resume the chasing at once,
        one level up (the escalation's "send the next reminder now")."""
        today = fields.Date.context_today(self)
        kept, broken = self.search([("state", "=", "open")])._fr_dunning_check(today)
        broken._fr_dunning_chase_now(today)
        return kept, broken


class AccountMove(models.Model):
    _inherit = "account.move"

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_dispute(self):
        """Open a dispute on the selected invoices (one customer)."""
        return self._fr_dunning_case_action("fr.dunning.dispute", self.env._("Open a dispute"))

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_promise(self):
        """Record a promise to pay on the selected invoices (one customer)."""
        return self._fr_dunning_case_action(
            "fr.dunning.promise",
            self.env._("Record a promise to pay"),
            default_amount=sum(self.mapped("amount_residual")),
        )

    def _fr_dunning_case_action(self, model, name, **defaults):
        partner = self.commercial_partner_id
        if len(partner) != 1:
            raise UserError(self.env._("Select the invoices of one customer."))
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partner.id,
                "default_move_ids": [Command.set(self.ids)],
                "default_company_id": self.company_id[:1].id,
                **defaults,
            },
        }

    @guarded(GROUP_MANAGER, "read")
    def action_fr_dunning_litigation(self):
        """Move the selected invoices (one customer) to litigation."""
        return self._fr_dunning_case_action("fr.dunning.litigation", self.env._("Move to litigation"))
