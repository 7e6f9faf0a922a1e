# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The steps of a court procedure or a mediation, and the deadlines they set.

A step (the order for payment made on 15/01/2026, served on 10/02/2026...) is
evidence: recorded by a dunning manager through the step wizard, or by the
nightly check when a deadline passes, each with its dunning event; never
changed nor deleted. A mistake is corrected by a new step that refers to the
wrong one, which then no longer counts. The deadlines follow from the steps
in force by ``fr_dunning_law.court_deadlines``; each one gives the
litigation's responsible an activity, once, closed when a later step answers
it."""

from datetime import datetime, time

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_MANAGER, guarded
from .fr_dunning_evidence import history_env, reader_env


class FrDunningLitigationStep(models.Model):
    _name = "fr.dunning.litigation.step"
    _description = "Court or mediation step"
    _order = "date desc, id desc"
    _check_company_auto = True

    litigation_id = fields.Many2one(
        comodel_name="fr.dunning.litigation",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="litigation_id.company_id",
        store=True,
        index=True,
    )
    partner_id = fields.Many2one(
        related="litigation_id.partner_id",
        string="Customer",
        store=True,
    )
    kind = fields.Selection(
        selection=law.COURT_STEPS,
        string="Step",
        required=True,
    )
    date = fields.Date(
        required=True,
        help="The date of the act: the order's date, the day it was served, the referral...",
    )
    court = fields.Char(
        help="The court, or the commissaire de justice or mediator acting.",
    )
    reference = fields.Char(
        help="The court's docket number (RG), the commissaire's or mediator's file number.",
    )
    to_person = fields.Boolean(
        string="Served to the person",
        help="Service made to the debtor in person (or its legal representative). Otherwise the debtor "
        "may oppose an order for payment until one month after the first act served to the person or "
        "the first enforcement measure that makes its assets unavailable (CPC 1416).",
    )
    by_default = fields.Boolean(
        string="Debtor absent",
        help="The debtor did not appear: a decision by default must be served within six months (CPC 478).",
    )
    next_date = fields.Date(
        string="Next date",
        help="The hearing the summons names, or the next mediation meeting.",
    )
    mediation_kind = fields.Selection(
        selection=law.MEDIATION_KINDS,
        string="Mediator",
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        help="The amount agreed or proposed, when the step has one.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
    )
    note = fields.Text()
    automatic = fields.Boolean(
        help="Recorded by the nightly check when a deadline passed.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded by",
    )
    event_id = fields.Many2one(
        comodel_name="fr.dunning.event",
        ondelete="restrict",
        check_company=True,
    )
    attachment_ids = fields.Many2many(
        related="event_id.attachment_ids",
        string="Documents",
    )
    corrected_step_id = fields.Many2one(
        comodel_name="fr.dunning.litigation.step",
        string="Corrects",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    correction_ids = fields.One2many(
        comodel_name="fr.dunning.litigation.step",
        inverse_name="corrected_step_id",
        string="Corrected by",
    )
    in_force = fields.Boolean(
        compute="_compute_in_force",
        help="False when a later step corrects this one.",
    )
    plan_id = fields.Many2one(
        comodel_name="fr.dunning.payment.plan",
        string="Payment plan agreed",
        check_company=True,
    )
    promise_id = fields.Many2one(
        comodel_name="fr.dunning.promise",
        string="Promise agreed",
        check_company=True,
    )

    @api.depends("correction_ids", "kind")
    def _compute_in_force(self):
        for step in self:
            step.in_force = step.kind != "correction" and not step.correction_ids

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': steps are evidence, recorded by the step wizard and
        # the nightly check only.
        if not self.env.su:
            raise AccessError(self.env._("Court steps are recorded with the step wizard only."))
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'base'
        if not self.env.su:
            raise UserError(
                self.env._("A recorded step is evidence and cannot be changed: record a correction instead.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A recorded step is evidence and cannot be deleted."))

    @guarded(GROUP_MANAGER, "read")
    def action_fr_dunning_correct(self):
        """Open the step wizard to record a step that corrects this one."""
        self.ensure_one()
        action = self.litigation_id.action_fr_dunning_record_step()
        action["context"] = {**action["context"], "default_corrected_step_id": self.id}
        return action


class FrDunningLitigation(models.Model):
    _inherit = "fr.dunning.litigation"

    step_ids = fields.One2many(
        comodel_name="fr.dunning.litigation.step",
        inverse_name="litigation_id",
        string="Steps",
        readonly=True,
    )
    # Technical: {deadline key: activity id} of the deadlines already given to
    # the responsible (written by the flows only).
    fr_dunning_court_activities = fields.Json(
        copy=False,
        readonly=True,
        groups="base.group_system",
    )
    court_deadlines_html = fields.Html(
        string="Deadlines",
        compute="_compute_court_deadlines",
        sanitize=False,
    )
    court_next_deadline = fields.Date(
        string="Next deadline",
        compute="_compute_court_deadlines",
    )
    court_warning = fields.Char(
        string="Warning",
        compute="_compute_court_deadlines",
    )

    @api.depends("step_ids.date", "step_ids.correction_ids")
    def _compute_court_deadlines(self):
        today = fields.Date.context_today(self)
        labels = self._fr_dunning_deadline_labels(self.env)
        head = Markup("<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>") % (
            self.env._("Deadline"),
            self.env._("Date"),
            self.env._("Source"),
            self.env._("State"),
        )
        for litigation in self:
            rules = self.env["fr.dunning.court.rule"]._fr_dunning_rules(litigation.company_id)
            deadlines = litigation._fr_dunning_court_deadlines(today, rules)
            rows = Markup()
            for deadline in sorted(deadlines, key=lambda d: d.date):
                status = (
                    self.env._("passed")
                    if deadline.lapsed
                    else self.env._("done")
                    if deadline.done
                    else self.env._("to do")
                )
                rows += Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                    labels[deadline.code],
                    format_date(self.env, deadline.date),
                    deadline.article or rules[deadline.code].article,
                    status,
                )
            litigation.court_deadlines_html = rows and Markup(
                '<table class="table table-sm">%s<tbody>%s</tbody></table>'
            ) % (head, rows)
            pending = [d.date for d in deadlines if not d.done and not d.lapsed]
            litigation.court_next_deadline = min(pending, default=False)
            litigation.court_warning = litigation._fr_dunning_court_warning(deadlines, self.env)

    def _fr_dunning_court_steps(self):
        """{kind: step}: the last step in force of each kind."""
        self.ensure_one()
        steps = self.step_ids.filtered("in_force").sorted(lambda step: (step.date, step.id))
        return {step.kind: step for step in steps}

    def _fr_dunning_court_deadlines(self, today, rules=None):
        self.ensure_one()
        rules = rules or self.env["fr.dunning.court.rule"]._fr_dunning_rules(self.company_id)
        return law.court_deadlines(
            self._fr_dunning_court_steps(),
            rules,
            today,
            court=self._fr_dunning_court_of_claim(),
            country_code=self.partner_id.commercial_partner_id.country_id.code,
        )

    def _fr_dunning_court_of_claim(self):
        """The court of the claim (fr_dunning_law.court_for), from the customer."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        return law.court_for(partner.fr_dunning_is_consumer, bool(partner.fr_dunning_public_buyer))

    def _fr_dunning_court_warning(self, deadlines, env):
        """What a manager must know at once: a void order, a procedure that
        failed, an opposition still open after a service not made to the person."""
        self.ensure_one()
        steps = self._fr_dunning_court_steps()
        texts = [
            self._fr_dunning_sanction_text(deadline.code, env)
            for deadline in deadlines
            if deadline.lapsed and deadline.sanction
        ]
        service = steps.get("ip_service")
        if service and not service.to_person and "ip_opposition" not in steps:
            texts.append(self._fr_dunning_deadline_texts(env, "injunction_opposition_open")[0])
        return " ".join(dict.fromkeys(texts)) or False

    @api.model
    def _fr_dunning_deadline_labels(self, env):
        """{deadline code: label} of the deadlines table, read before a date
        (the court rules' own labels read as periods: "serve it within")."""
        labels = dict(env["fr.dunning.court.rule"]._fields["code"]._description_selection(env))
        labels.update(
            {
                "injunction_service": env._("Serve the order for payment by"),
                "injunction_opposition": env._("Opposition period ends"),
                "injunction_formula": env._("Request the formule exécutoire by"),
                "summary_hearing": env._("Référé hearing"),
                "summary_appeal": env._("Appeal period of the référé order ends"),
                "default_service": env._("Serve the decision given by default by"),
                "small_claims_answer": env._("Debtor's agreement due by"),
                "conciliation_meeting": env._("First conciliation meeting due by"),
                "mediation_meeting": env._("Mediation meeting"),
            }
        )
        return labels

    @api.model
    def _fr_dunning_deadline_texts(self, env, code, when=None, article=""):
        """(summary, note) of the activity of a deadline ``code`` on ``when``."""
        day = when and format_date(env, when)
        texts = {
            "injunction_service": (
                env._("Have the order for payment served by %(date)s", date=day),
                env._(
                    "The order is void if it is not served within six months of its date (%(article)s).",
                    article=article,
                ),
            ),
            "injunction_opposition": (
                env._("Opposition period of the order for payment ends on %(date)s", date=day),
                env._(
                    "Without opposition by then, the order has the effects of a judgment: check with the "
                    "court registry, then instruct the commissaire de justice to enforce it (%(article)s).",
                    article=article,
                ),
            ),
            "injunction_opposition_open": (
                env._(
                    "Order not served to the person: the debtor may oppose until one month after the first "
                    "act served to the person or the first enforcement measure that makes its assets "
                    "unavailable (CPC 1416)."
                ),
                "",
            ),
            "injunction_formula": (
                env._("Request the formule exécutoire by %(date)s", date=day),
                env._(
                    "Order made before 1 March 2022: it is void if the formule exécutoire is not requested "
                    "within one month after the opposition period (%(article)s).",
                    article=article,
                ),
            ),
            "summary_hearing": (
                env._("Référé hearing on %(date)s", date=day),
                env._("The hearing named in the summons (%(article)s).", article=article),
            ),
            "summary_appeal": (
                env._("Appeal period of the référé order ends on %(date)s", date=day),
                env._(
                    "The order is provisionally enforceable; after this date it can no longer be "
                    "appealed (%(article)s).",
                    article=article,
                ),
            ),
            "default_service": (
                env._("Have the decision given by default served by %(date)s", date=day),
                env._(
                    "A decision given without the debtor appearing is void if it is not served within "
                    "six months of its date (%(article)s).",
                    article=article,
                ),
            ),
            "small_claims_answer": (
                env._("Debtor's agreement to the small-claims procedure due by %(date)s", date=day),
                env._(
                    "Without the debtor's agreement within one month of the commissaire's letter, the "
                    "procedure fails; an action can then be brought without another amicable attempt "
                    "(%(article)s, CPC 750-1 5°).",
                    article=article,
                ),
            ),
            "conciliation_meeting": (
                env._("First conciliation meeting due by %(date)s", date=day),
                env._(
                    "Without a first meeting within three months of the referral, the claim may be "
                    "brought to court without the attempt (%(article)s).",
                    article=article,
                ),
            ),
            "mediation_meeting": (env._("Mediation meeting on %(date)s", date=day), ""),
        }
        return texts[code]

    @api.model
    def _fr_dunning_sanction_text(self, code, env):
        """What follows when the deadline ``code`` passed."""
        return {
            "injunction_service": env._("Order for payment void: not served within six months (CPC 1411)."),
            "injunction_formula": env._(
                "Order for payment void: the formule exécutoire was not requested within one month after "
                "the opposition period (former CPC 1423)."
            ),
            "default_service": env._(
                "Decision by default void: not served within six months of its date (CPC 478)."
            ),
            "small_claims_answer": env._(
                "Small-claims procedure failed: no agreement within one month of the commissaire's letter "
                "(CPCE L125-1). It counts as the amicable attempt (CPC 750-1 5°)."
            ),
        }[code]

    # ------------------------------------------------------------------
    # Recording steps
    # ------------------------------------------------------------------

    @guarded(GROUP_MANAGER, "write")
    def action_fr_dunning_record_step(self):
        """Open the step wizard on this litigation."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a step"),
            "res_model": "fr.dunning.litigation.step.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_litigation_id": self.id, "fr_dunning_route": self.route},
        }

    def _fr_dunning_record_steps(self, vals_list, documents=None, automatic=False):
        """Record the steps ``vals_list`` of ``self`` (one litigation), each
        with its dunning event and, from ``documents`` ([(name, base64)]), the
        documents on the first one; then follow the deadlines."""
        self.ensure_one()
        env = history_env(self.env, self.company_id)
        labels = dict(self.env["fr.dunning.litigation.step"]._fields["kind"]._description_selection(env))
        steps = self.env["fr.dunning.litigation.step"]
        for vals in vals_list:
            day = fields.Date.to_date(vals["date"])
            parts = [env._("%(step)s on %(date)s", step=labels[vals["kind"]], date=format_date(env, day))]
            parts += [vals[name] for name in ("court", "reference", "note") if vals.get(name)]
            text = " — ".join(parts)
            event_vals = {
                "name": labels[vals["kind"]],
                "date": min(datetime.combine(day, time(12)), fields.Datetime.now()),
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.commercial_partner_id.id,
                "move_ids": [Command.set(self.move_ids.ids)],
                "event_type": "legal_action" if vals["kind"] in law.LEGAL_ACTION_STEPS else "note",
                "channel": "manual",
                "currency_id": self.currency_id.id,
                "amount_residual": self.amount_residual,
                "note": Markup("<p>%s</p>") % text,
            }
            event = self.env["fr.dunning.event"]._fr_dunning_record([event_vals], automatic=automatic)
            body = Markup("<p>%s</p>") % text
            self.partner_id.commercial_partner_id._fr_dunning_log_note(body, self.company_id)
            self.sudo()._message_log(body=body)
            step = steps.sudo().create(
                {
                    **vals,
                    "litigation_id": self.id,
                    "automatic": automatic,
                    "user_id": False if automatic else self.env.uid,
                    "event_id": event.id,
                }
            )
            if documents and not steps:
                attachments = (
                    self.env["ir.attachment"]
                    .sudo()
                    .create(
                        [
                            {
                                "name": name,
                                "datas": content,
                                "res_model": event._name,
                                "res_id": event.id,
                                "company_id": self.company_id.id,
                            }
                            for name, content in documents
                        ]
                    )
                )
                event.sudo().attachment_ids = [Command.set(attachments.ids)]
            steps |= step
        if not automatic:
            self._fr_dunning_court_sync(fields.Date.context_today(self))
        return steps.sudo(self.env.su)

    @guarded(GROUP_MANAGER, "write")
    def action_close(self):
        # EXTENDS fr_dunning_addon: the deadlines of a closed litigation are
        # no longer followed; their to-dos are closed with it.
        result = super().action_close()
        for litigation in self.sudo().filtered(lambda lit: lit.state == "closed"):
            known = litigation.fr_dunning_court_activities or {}
            if known:
                env = history_env(self.env, litigation.company_id)
                activities = self.env["mail.activity"].sudo().browse(list(known.values())).exists()
                activities.action_feedback(feedback=env._("The litigation is closed."))
                litigation.fr_dunning_court_activities = {}
        return result

    # ------------------------------------------------------------------
    # Deadlines: activities and what happens when they pass
    # ------------------------------------------------------------------

    def _fr_dunning_court_sync(self, today, night=False):
        """Give the responsible an activity for each deadline not given yet,
        close those a step answered, and record once what a passed deadline
        entails (a void order, a failed procedure; the sanctions of
        fr_dunning_law.NIGHT_SANCTIONS by the ``night`` only). Idempotent."""
        Rule = self.env["fr.dunning.court.rule"]
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        new_vals, new_keys = [], []
        for litigation in self.sudo():
            env = history_env(self.env, litigation.company_id)
            rules = Rule._fr_dunning_rules(litigation.company_id)
            deadlines = litigation._fr_dunning_court_deadlines(today, rules)
            known = dict(litigation.fr_dunning_court_activities or {})
            current = {deadline.key(): deadline for deadline in deadlines}
            closed = [key for key in known if key not in current or current[key].done or current[key].lapsed]
            for key in closed:
                activity = self.env["mail.activity"].sudo().browse(known.pop(key)).exists()
                if activity:
                    activity.action_feedback(feedback=env._("Answered by a later step, or no longer due."))
            user = self.env["fr.dunning.escalation"]._responsible(
                litigation.partner_id.commercial_partner_id, litigation.company_id, litigation.user_id
            )
            # The history in the company's language, the to-dos in their reader's.
            reader = reader_env(self.env, user, litigation.company_id)
            recorded = {step.kind for step in litigation.step_ids.filtered("in_force")}
            for deadline in deadlines:
                if (
                    deadline.lapsed
                    and deadline.sanction
                    and deadline.sanction not in recorded
                    and (night or deadline.sanction not in law.NIGHT_SANCTIONS)
                ):
                    text = self._fr_dunning_sanction_text(deadline.code, env)
                    litigation._fr_dunning_record_steps(
                        [{"kind": deadline.sanction, "date": today, "note": text}], automatic=True
                    )
                    recorded.add(deadline.sanction)
                    new_vals.append(
                        self._fr_dunning_activity_vals(
                            model_id,
                            litigation,
                            todo,
                            user,
                            today,
                            self._fr_dunning_sanction_text(deadline.code, reader),
                            "",
                        )
                    )
                    # Given once: the step recorded above is what remembers it.
                    new_keys.append((litigation, None))
                elif not deadline.done and not deadline.lapsed and deadline.key() not in known:
                    summary, note = self._fr_dunning_deadline_texts(
                        reader, deadline.code, deadline.date, deadline.article or rules[deadline.code].article
                    )
                    new_vals.append(
                        self._fr_dunning_activity_vals(
                            model_id, litigation, todo, user, deadline.date, summary, note
                        )
                    )
                    new_keys.append((litigation, deadline.key()))
            if closed or known != (litigation.fr_dunning_court_activities or {}):
                litigation.fr_dunning_court_activities = known
        # Odoo follows each activity's record for its user with the records'
        # ids as listed: two to-dos of one litigation for one user (a summons:
        # its copy to lodge, its hearing) would insert the follower twice.
        for user_id in {vals["user_id"] for vals in new_vals}:
            ids = {vals["res_id"] for vals in new_vals if vals["user_id"] == user_id}
            partner = self.env["res.users"].browse(user_id).partner_id
            self.sudo().browse(ids).message_subscribe(partner_ids=partner.ids)
        activities = self.env["mail.activity"].sudo().create(new_vals)
        for (litigation, key), activity in zip(new_keys, activities, strict=True):
            if not key:
                continue
            litigation.sudo().fr_dunning_court_activities = {
                **(litigation.sudo().fr_dunning_court_activities or {}),
                key: activity.id,
            }
        return activities

    @api.model
    def _fr_dunning_activity_vals(self, model_id, litigation, activity_type, user, when, summary, note):
        return {
            "res_model_id": model_id,
            "res_id": litigation.id,
            "activity_type_id": activity_type.id,
            "date_deadline": when,
            "summary": summary[:250] if summary else summary,
            "note": note and Markup("<p>%s</p>") % note,
            "user_id": user.id,
        }

    @api.model
    def _cron_fr_dunning_court_deadlines(self):
        """Nightly: the deadlines of the open procedures (see _fr_dunning_court_sync)."""
        litigations = self.search([("state", "=", "open"), ("step_ids", "!=", False)], order="id")
        return litigations._fr_dunning_court_sync(fields.Date.context_today(self), night=True)


class FrDunningLitigationFile(models.AbstractModel):
    _inherit = "fr.dunning.litigation.file"

    @api.model
    def _statement_values(self, partner):
        # EXTENDS fr_dunning_addon: the steps of the customer's procedures.
        values = super()._statement_values(partner)
        values["court_steps"] = self.env["fr.dunning.litigation.step"].search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", values["company"].id),
            ],
            order="date, id",
        )
        return values
