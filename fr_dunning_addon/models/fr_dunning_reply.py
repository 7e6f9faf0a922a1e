# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's reply to a reminder email, read and suggested.

The reply comes back through Odoo's mail gateway to the customer's chatter,
where the reminder was posted (fr_dunning_delivery.py): Odoo finds the
reminder from the reply's In-Reply-To / References headers. The addon then
links the reply to the reminder's event, reads it with the rules of
fr_dunning_reply_rules.py and suggests what it says. Nothing changes by
itself: the accountant turns the suggestion into a promise to pay or a
dispute in one click (their own flows pause the chasing and log their
events), or dismisses it.
"""

from lxml import html as lxml_html
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, html2plaintext

from . import fr_dunning_reply_rules as rules
from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_evidence import history_env

CATEGORY_SELECTION = [
    (rules.PAYMENT, "Payment announced"),
    (rules.PROMISE, "Promise to pay"),
    (rules.CONTEST, "Contest"),
    (rules.OUT_OF_OFFICE, "Out of office"),
    (rules.OTHER, "Other"),
]
# What a user may change on a suggestion before acting on it.
EDITABLE_FIELDS = frozenset({"found_date", "dispute_category"})


def reply_text(body):
    """The customer's own words of an HTML ``body``: without the quoted
    reminder (blockquotes, the quotes Odoo marks, "... a écrit :")."""
    if not body:
        return ""
    try:
        tree = lxml_html.fragment_fromstring(str(body), create_parent="div")
    except (ValueError, TypeError):
        return rules.strip_quoted(html2plaintext(body))
    for quoted in tree.xpath("//blockquote | //*[@data-o-mail-quote]"):
        quoted.drop_tree()
    return rules.strip_quoted(html2plaintext(lxml_html.tostring(tree, encoding="unicode")))


class FrDunningReply(models.Model):
    _name = "fr.dunning.reply"
    _description = "Customer reply to a reminder"
    _order = "state, date desc, id desc"
    _check_company_auto = True
    _rec_name = "subject"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    event_id = fields.Many2one(
        comodel_name="fr.dunning.event",
        string="Reminder",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
        help="The reminder the customer answered.",
    )
    move_ids = fields.Many2many(
        related="event_id.move_ids",
        string="Invoices",
    )
    message_id = fields.Many2one(
        comodel_name="mail.message",
        string="Reply",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The customer's email, as it stands in the customer's chatter.",
    )
    date = fields.Datetime(
        string="Received on",
        required=True,
        readonly=True,
    )
    subject = fields.Char(
        readonly=True,
    )
    author = fields.Char(
        string="From",
        readonly=True,
    )
    text = fields.Text(
        string="The customer's words",
        readonly=True,
        help="The reply without the reminder it quotes: what the rules read.",
    )
    category = fields.Selection(
        selection=CATEGORY_SELECTION,
        string="Reads as",
        required=True,
        readonly=True,
        index=True,
    )
    evidence = fields.Char(
        string="Matched words",
        readonly=True,
        help="The words of the reply that decided how it reads.",
    )
    found_date = fields.Date(
        string="Date given",
        help="The date the reply gives: promised, paid, or back at the office. Correct it before "
        "recording the promise if the rules read it wrong.",
    )
    dispute_category = fields.Selection(
        selection="_selection_dispute_category",
        string="Dispute reason",
    )
    state = fields.Selection(
        selection=[("suggested", "To review"), ("accepted", "Recorded"), ("dismissed", "Dismissed")],
        default="suggested",
        required=True,
        readonly=True,
        index=True,
    )
    promise_id = fields.Many2one(
        comodel_name="fr.dunning.promise",
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    dispute_id = fields.Many2one(
        comodel_name="fr.dunning.dispute",
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    done_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Reviewed by",
        readonly=True,
    )

    _sql_constraints = [
        ("message_unique", "UNIQUE(message_id)", "A reply is read once."),
    ]

    @api.model
    def _selection_dispute_category(self):
        """The dispute's reasons, labelled in the user's language (a lambda
        returning the dispute field's raw list would stay in English)."""
        return self.env["fr.dunning.dispute"]._fields["category"]._description_selection(self.env)

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': a reply is recorded by the mail gateway's flow only.
        if not self.env.su:
            raise AccessError(
                self.env._("Customer replies are recorded when the email arrives, not by hand.")
            )
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'base': the reply is evidence; a user only corrects the date
        # or the reason of a suggestion not acted on yet.
        if not self.env.su and (
            set(vals) - EDITABLE_FIELDS or any(reply.state != "suggested" for reply in self)
        ):
            raise AccessError(
                self.env._(
                    "A customer's reply is kept as received: only the date or the reason of a pending "
                    "suggestion can be corrected."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A customer's reply is evidence of the dunning and cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @guarded(GROUP_USER, "write")
    def action_accept(self):
        """Record what the reply says: a promise to pay (dated as the reply
        says) or a dispute (with its reason), through their own flows."""
        today = fields.Date.context_today(self)
        for reply in self.filtered(lambda r: r.state == "suggested"):
            moves = reply.event_id.move_ids.filtered(
                lambda m: (
                    m.move_type == "out_invoice"
                    and m.state == "posted"
                    and m.payment_state in ("not_paid", "partial")
                )
            )
            if not moves:
                raise UserError(self.env._("The invoices of this reminder are paid: nothing to record."))
            text = self.env._(
                "From the customer's reply of %(date)s: %(words)s",
                date=format_date(self.env, reply.date.date()),
                words=reply.evidence or reply.text or "",
            )
            values = {
                "company_id": reply.company_id.id,
                "partner_id": reply.partner_id.id,
                "move_ids": [Command.set(moves.ids)],
                "note": text,
            }
            env = self.with_company(reply.company_id).env
            if reply.category in (rules.PROMISE, rules.PAYMENT):
                if reply.category == rules.PROMISE and not reply.found_date:
                    raise UserError(self.env._("The reply gives no date: enter the date promised first."))
                promise = env["fr.dunning.promise"].create(
                    {
                        **values,
                        # A payment announced is awaited from today; a date gone by is today.
                        "promise_date": max(reply.found_date or today, today),
                        "amount": sum(moves.mapped("amount_residual")),
                    }
                )
                reply.sudo().write(
                    {"state": "accepted", "promise_id": promise.id, "done_by_id": self.env.uid}
                )
            elif reply.category == rules.CONTEST:
                dispute = env["fr.dunning.dispute"].create(
                    {**values, "category": reply.dispute_category or "other"}
                )
                reply.sudo().write(
                    {"state": "accepted", "dispute_id": dispute.id, "done_by_id": self.env.uid}
                )
            else:
                raise UserError(
                    self.env._("An out-of-office answer or another reply has nothing to record: dismiss it.")
                )

    @guarded(GROUP_USER, "write")
    def action_dismiss(self):
        """Nothing to record: the suggestion leaves the list, the reply stays."""
        self.filtered(lambda r: r.state == "suggested").sudo().write(
            {"state": "dismissed", "done_by_id": self.env.uid}
        )

    # ------------------------------------------------------------------
    # The mail gateway's flow
    # ------------------------------------------------------------------

    @api.model
    def _fr_dunning_receive(self, messages, headers=None):
        """Read the incoming ``messages`` (mail.message) that answer a
        reminder: one reply record each, linked to the reminder's event, an
        event in the history, and the message kept in the reminder's company.
        Returns the replies created. Run as superuser by the gateway."""
        messages = messages.filtered(lambda m: m.message_type == "email" and m.parent_id)
        seen = set(self.search([("message_id", "in", messages.ids)]).message_id.ids)
        messages = messages.filtered(lambda m: m.id not in seen)
        ancestors = {}
        for message in messages:
            chain, parent = [], message.parent_id
            while parent and parent.id not in chain:
                chain.append(parent.id)
                parent = parent.parent_id
            ancestors[message.id] = chain
        Event = self.env["fr.dunning.event"].sudo()
        events = Event.search(
            [
                ("message_id", "in", [i for chain in ancestors.values() for i in chain]),
                ("channel", "=", "email"),
            ]
        )
        event_of = {event.message_id.id: event for event in events}
        vals_list, history = [], []
        for message in messages:
            event = next((event_of[i] for i in ancestors[message.id] if i in event_of), None)
            if not event:
                continue
            text = reply_text(message.body)
            found = rules.classify(text, fields.Datetime.to_datetime(message.date).date(), headers)
            vals_list.append(
                {
                    "company_id": event.company_id.id,
                    "partner_id": event.partner_id.id,
                    "event_id": event.id,
                    "message_id": message.id,
                    "date": message.date,
                    "subject": message.subject,
                    "author": message.email_from,
                    "text": text[:5000],
                    "category": found.category,
                    "evidence": ", ".join(f"« {word} »" for word in found.evidence),
                    "found_date": found.date,
                    "dispute_category": found.reason,
                }
            )
            message.sudo().fr_dunning_company_id = event.company_id
        replies = self.sudo().create(vals_list)
        for reply in replies:
            env = history_env(self.env, reply.company_id)
            labels = dict(self._fields["category"]._description_selection(env))
            history.append(
                {
                    "name": env._("Customer reply: %(category)s", category=labels[reply.category]),
                    "company_id": reply.company_id.id,
                    "partner_id": reply.partner_id.id,
                    "move_ids": [Command.set(reply.event_id.move_ids.ids)],
                    "event_type": "reply",
                    "channel": "email",
                    "currency_id": reply.event_id.currency_id.id,
                    "amount_residual": reply.event_id.amount_residual,
                    "note": Markup("<p>%s</p><p>%s</p>")
                    % (
                        env._(
                            "Reply to %(reference)s from %(author)s. Matched words: %(words)s",
                            reference=reply.event_id.reference,
                            author=reply.author or "",
                            words=reply.evidence or "—",
                        ),
                        reply.text or "",
                    ),
                }
            )
        if history:
            self.env["fr.dunning.event"]._fr_dunning_record(history, automatic=True)
        return replies


class FrDunningEvent(models.Model):
    _inherit = "fr.dunning.event"

    event_type = fields.Selection(
        selection_add=[("reply", "Customer reply")],
        ondelete={"reply": "set default"},
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    fr_dunning_reply_ids = fields.One2many(
        comodel_name="fr.dunning.reply",
        inverse_name="partner_id",
        string="Replies to reminders",
    )
