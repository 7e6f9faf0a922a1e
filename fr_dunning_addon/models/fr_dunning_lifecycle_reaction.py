# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the chasing does on an e-invoicing status, each reaction an event.

- 210 Refusée, 207 En litige: a dispute with the buyer's reason (a refusal
  for a missing purchase-order number is flagged: it does not move the due
  date, see fr_dunning_law);
- 208 Suspendue: a to-do to send the missing document, chasing paused until
  209 Complétée;
- 211 Paiement transmis: chasing paused for the company's number of days;
- 213 Rejetée: not chased (the invoice does not legally exist) until it is
  filed again (200 Déposée), except a rejection of a duplicate;
- 205 Approuvée: kept as evidence that the debt is not disputed;
- 225 Affacturée (factoring): the factor collects, own dunning stops.

The pauses are records of ``fr.dunning.lifecycle.hold``, a pause like a
dispute or a promise (fr.dunning.pause.mixin): they set the invoice's pause
reason, log their events, and clear it when they end.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from . import fr_dunning_law as law
from . import fr_dunning_reply_rules as rules
from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_evidence import history_env, reader_env
from .fr_dunning_lifecycle_status import FACTORING_CODES

HOLD_KINDS = [
    ("suspended", "Suspended: document to send"),
    ("payment_sent", "Payment sent by the buyer"),
    ("rejected", "Rejected: the invoice does not exist"),
    ("factored", "Factored: the factor collects"),
]


class FrDunningLifecycleHold(models.Model):
    """A pause of the chasing on an e-invoicing status."""

    _name = "fr.dunning.lifecycle.hold"
    _inherit = ["fr.dunning.pause.mixin"]
    _description = "Dunning paused by an e-invoicing status"
    _order = "state, id desc"
    _fr_dunning_reason = "einvoicing"

    name = fields.Char(
        compute="_compute_name",
        store=True,
    )
    kind = fields.Selection(
        selection=HOLD_KINDS,
        required=True,
        readonly=True,
    )
    until = fields.Date(
        string="Paused until",
        readonly=True,
        help="The chasing resumes after this date (a payment sent by the buyer).",
    )
    state = fields.Selection(
        selection=[("open", "Pausing"), ("closed", "Ended")],
        default="open",
        required=True,
        index=True,
    )

    @api.depends("partner_id", "kind")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for hold in self:
            hold.name = f"{hold.partner_id.name or ''} — {labels.get(hold.kind, '')}"

    @api.model_create_multi
    def create(self, vals_list):
        holds = super().create(vals_list)
        for hold in holds:
            env = history_env(self.env, hold.company_id)
            text = hold.note or ""
            hold._fr_dunning_pause(text)
            hold._fr_dunning_log("lifecycle", env._("Chasing paused by an e-invoicing status"), text)
        return holds

    @guarded(GROUP_USER, "write")
    def action_close(self):
        """End the pause by hand (a factoring ended, a status that never came)."""
        self._fr_dunning_close(self.env._("Ended by hand."))

    def _fr_dunning_close(self, why):
        for hold in self.filtered(lambda h: h.state == "open"):
            hold.sudo().state = "closed"
            hold._fr_dunning_resume()
            env = history_env(self.env, hold.company_id)
            hold._fr_dunning_log("lifecycle", env._("Chasing resumed after an e-invoicing pause"), why)

    @api.model
    def _cron_fr_dunning_lifecycle_holds(self):
        """Nightly: the pauses of a payment sent end after their days."""
        today = fields.Date.context_today(self)
        expired = self.search([("state", "=", "open"), ("until", "<", today)])
        expired._fr_dunning_close(self.env._("The days granted to the payment sent are over."))
        return expired


class FrDunningLifecycleStatus(models.Model):
    _inherit = "fr.dunning.lifecycle.status"

    def _fr_dunning_react(self):
        """Record each status in the history and obey it (see the module's
        docstring). ``self`` is sorted by date; run as superuser by the feeds,
        after their guarded entry point."""
        for status in self.sudo():
            env = history_env(self.env, status.company_id)
            labels = dict(self._fields["code"]._description_selection(env))
            reason = " ".join(filter(None, (status.reason_code, status.reason)))
            text = env._(
                "E-invoicing status %(status)s on %(date)s%(reason)s",
                status=labels[status.code],
                date=format_date(env, status.date),
                reason=" — " + reason if reason else "",
            )
            status.event_id = status._fr_dunning_event(
                env._("E-invoicing status %(status)s", status=labels[status.code]), text
            )
            try:
                with self.env.cr.savepoint():
                    reaction = status._fr_dunning_reaction(env)
            except (UserError, ValidationError) as error:
                reaction = env._("Not applied: %(error)s", error=error.args[0])
                status._fr_dunning_event(env._("E-invoicing status not applied"), reaction)
            status.reaction = reaction or False

    def _fr_dunning_event(self, name, text):
        return self.env["fr.dunning.event"]._fr_dunning_record(
            [
                {
                    "name": name,
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.id,
                    "move_ids": [Command.set(self.move_id.ids)],
                    "event_type": "lifecycle",
                    "channel": "manual",
                    "currency_id": self.move_id.currency_id.id,
                    "amount_residual": self.move_id.amount_residual,
                    "note": Markup("<p>%s</p>") % text,
                }
            ],
            automatic=True,
        )

    def _fr_dunning_hold(self, kind, note, until=False):
        return (
            self.env["fr.dunning.lifecycle.hold"]
            .sudo()
            .create(
                {
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.id,
                    "move_ids": [Command.set(self.move_id.ids)],
                    "kind": kind,
                    "until": until,
                    "note": note,
                }
            )
        )

    def _fr_dunning_open_holds(self, kinds):
        return (
            self.env["fr.dunning.lifecycle.hold"]
            .sudo()
            .search([("state", "=", "open"), ("kind", "in", kinds), ("move_ids", "in", self.move_id.ids)])
        )

    def _fr_dunning_reaction(self, env):
        """Obey one status; returns what was done, in the history's words."""
        code, move = self.code, self.move_id
        if code in ("210", "207"):
            return self._fr_dunning_dispute(env)
        if code == "208":
            user = self.env["fr.dunning.escalation"]._responsible(self.partner_id, self.company_id)
            move.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.date,
                summary=reader_env(self.env, user, self.company_id)._(
                    "E-invoice suspended: send the missing document"
                ),
                note=self.reason or self.reason_code or "",
                user_id=user.id,
            )
            self.hold_id = self._fr_dunning_hold(
                "suspended", env._("Suspended (208): %(reason)s", reason=self.reason or "")
            )
            return env._("Chasing paused until the invoice is completed (209); a to-do to send the document.")
        if code == "209":
            holds = self._fr_dunning_open_holds(["suspended"])
            holds._fr_dunning_close(env._("Invoice completed (209)."))
            return env._("Chasing resumed: the invoice is completed.") if holds else False
        if code == "211":
            days = self.company_id.fr_dunning_payment_sent_days
            until = self.date + timedelta(days=days)
            self._fr_dunning_open_holds(["payment_sent"])._fr_dunning_close(env._("A new payment sent."))
            hold_name = env._(
                "Payment sent by the buyer (211): reminders held until %(date)s",
                date=format_date(env, until),
            )
            self.hold_id = self._fr_dunning_hold("payment_sent", hold_name, until=until)
            return env._("Reminders held until %(date)s.", date=format_date(env, until))
        if code == "213":
            if law.lifecycle_invoice_exists(code, self.duplicate):
                return env._(
                    "Rejected as a duplicate: the duplicate transmission only; the invoice is chased."
                )
            self.hold_id = self._fr_dunning_hold(
                "rejected", env._("Rejected (213): %(reason)s", reason=self.reason or self.reason_code or "")
            )
            return env._("Not chased: a rejected invoice does not legally exist.")
        if code == "200":
            holds = self._fr_dunning_open_holds(["rejected"])
            holds._fr_dunning_close(env._("Invoice filed again (200)."))
            return env._("Chasing resumed: the invoice is filed again.") if holds else False
        if code == "205":
            return env._("Approved by the buyer: evidence that the debt is not disputed.")
        if code in FACTORING_CODES:
            self.hold_id = self._fr_dunning_hold("factored", env._("Factored (%(code)s)", code=code))
            return env._("Own dunning stopped: the factor collects.")
        return False

    def _fr_dunning_dispute(self, env):
        Dispute = self.env["fr.dunning.dispute"].with_company(self.company_id)
        if Dispute.search_count([("state", "=", "open"), ("move_ids", "in", self.move_id.ids)]):
            return env._("A dispute is already open on this invoice.")
        note = env._(
            "Buyer's reason (e-invoicing status %(code)s): %(reason)s",
            code=self.code,
            reason=" ".join(filter(None, (self.reason_code, self.reason))) or "—",
        )
        if self.purchase_order_missing:
            flag = env._(
                "Refused for a missing purchase-order number: this does not move the due date "
                "(Code de commerce L441-10 I); send the invoice again with the number."
            )
            note = f"{note}\n{flag}"
        category = rules.classify(self.reason or "", self.date).reason or (
            "billing_error" if self.purchase_order_missing else "other"
        )
        user = self.env["fr.dunning.escalation"]._responsible(self.partner_id, self.company_id)
        self.dispute_id = Dispute.sudo().create(
            {
                "user_id": user.id,
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "move_ids": [Command.set(self.move_id.ids)],
                "category": category,
                "note": note,
            }
        )
        return env._("Dispute opened with the buyer's reason.")


class FrDunningEvent(models.Model):
    _inherit = "fr.dunning.event"

    event_type = fields.Selection(
        selection_add=[("lifecycle", "E-invoicing status")],
        ondelete={"lifecycle": "set default"},
    )


class AccountMove(models.Model):
    _inherit = "account.move"

    fr_dunning_blocked = fields.Selection(
        selection_add=[("einvoicing", "E-invoicing status")],
        ondelete={"einvoicing": "set null"},
    )
    fr_dunning_lifecycle_ids = fields.One2many(
        comodel_name="fr.dunning.lifecycle.status",
        inverse_name="move_id",
        string="E-invoicing statuses",
    )


class ResCompany(models.Model):
    _inherit = "res.company"

    fr_dunning_payment_sent_days = fields.Integer(
        string="Hold after a payment sent (days)",
        default=10,
        help="When the buyer's platform says the payment is sent (status 211), reminders wait this "
        "many days for it to arrive.",
    )
