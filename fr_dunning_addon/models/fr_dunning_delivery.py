# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delivery: the planned communications sent, channel by channel.

Emails are queued through the ORM with their recipients and delivery
notifications, letters rendered and stored on their events, calls given as
to-dos to the responsible, texts queued in Odoo's SMS app; then the invoices'
dunning state is moved on. Called by the run (fr_dunning_night.py) with the
plans of planning (fr_dunning_escalation.py)."""

import logging
from collections import Counter, defaultdict

from lxml import html
from markupsafe import Markup

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, formatLang

from . import fr_dunning_law as law
from .fr_dunning_escalation import communication
from .fr_dunning_evidence import history_writers, hold_unaddressed_letters, reader_writers
from .fr_dunning_formats import LangFormats
from .fr_dunning_level import TIER_LETTER, TIER_TEMPLATE

_logger = logging.getLogger(__name__)


class FrDunningEscalation(models.AbstractModel):
    _inherit = "fr.dunning.escalation"

    @api.model
    def _execute(self, plans, today, automatic, run=None):
        """Send the planned communications, set-wise; returns counts per channel.

        Emails are created as queued mail.mail records (with their message in the
        customer's chatter), never sent inline: the mail queue sends them after
        the transaction is committed, so a rollback sends nothing.
        """
        sent = Counter()
        Move = self.env["account.move"]
        call_type = self.env.ref("mail.mail_activity_data_call")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        activity_vals, event_vals = [], []
        by_level = defaultdict(list)
        chased_ids, notice_ids, partial_ids = [], [], []
        reachable = self._email_reachable({plan.partner.id for plan in plans})

        def channels_of(plan):
            # Less what an earlier run sent and a call postponed (fr_dunning_call_limit.py).
            return [
                channel
                for channel in self._channels(plan.level, plan.partner, plan.partner.id in reachable)
                if channel not in plan.earlier and not (channel == "phone" and plan.call_postponed)
            ]

        plans = hold_unaddressed_letters(self, plans, today, channels_of, automatic)
        sms_vals = []
        writer = history_writers(self.env)  # the history is written in the company's language
        reader = reader_writers(self.env)  # a call to make, in the language of who makes it
        for plan in plans:
            partner, level, moves = plan.partner, plan.level, plan.moves
            company = moves.company_id
            channels = channels_of(plan)
            lang_env, formats = writer(company)
            # The email's text is its message: the summary is for letters and calls.
            summary = (
                self.with_env(lang_env)._summary(plan, today, formats)
                if set(channels) - {"email"}
                else Markup()
            )
            deadline = self._deadline(level, moves, today)
            letter_tier = level.letter_tier or (
                TIER_LETTER[level.tier] if {"letter", "registered"} & set(channels) else False
            )
            if "phone" in channels:
                caller = self._responsible(partner, company)
                caller_env, caller_formats = reader(caller, company)
                call_level = level.with_env(caller_env)
                activity_vals.append(
                    {
                        "res_model_id": partner_model,
                        "res_id": partner.id,
                        "activity_type_id": call_type.id,
                        "date_deadline": today,
                        "summary": caller_env._(
                            "Call %(partner)s: %(level)s", partner=partner.name, level=call_level.name
                        ),
                        "note": (call_level.call_script or Markup())
                        + (
                            summary
                            if caller_env.lang == lang_env.lang
                            else self.with_env(caller_env)._summary(plan, today, caller_formats)
                        ),
                        "user_id": caller.id,
                        "fr_dunning_company_id": company.id,
                        "fr_dunning_level_id": level.id,
                    }
                )
            if "sms" in channels:
                sms_vals.append(
                    {
                        "partner_id": partner.id,
                        "number": partner.mobile or partner.phone,
                        "body": self._sms_text(plan, deadline),
                        "state": "outgoing",
                    }
                )
            for channel in channels:
                sent[channel] += 1
                is_letter = channel in ("letter", "registered")
                event_vals.append(
                    {
                        # The call is to be made: logged as made by the call wizard.
                        "name": lang_env._("Call to make: %(level)s", level=level.with_env(lang_env).name)
                        if channel == "phone"
                        else level.with_env(lang_env).name,
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "move_ids": [Command.set(moves.ids + plan.refunds.ids)],
                        "level_id": level.id,
                        "run_id": run.id if run else False,
                        "event_type": "call_planned" if channel == "phone" else "reminder",
                        "channel": {"registered": "registered_letter"}.get(channel, channel),
                        "user_id": False if automatic else self.env.uid,
                        "is_automatic": automatic,
                        "currency_id": plan.currency.id,
                        "amount_residual": plan.total,
                        "deadline_date": deadline,
                        "letter_tier": letter_tier if is_letter or channel == "email" else False,
                        # The email's text is its message; letters and calls keep theirs here.
                        "note": False if channel == "email" else summary,
                    }
                )
            if law.puts_on_notice(level.tier, channels):
                notice_ids += moves.ids
            if plan.call_postponed:
                # The level is not complete: the invoices stay due for it.
                partial_ids += moves.ids
                continue
            for move, new_level in plan.advanced.items():
                if (
                    not move.fr_dunning_level_id
                    or move.fr_dunning_level_id.offset_days < new_level.offset_days
                ):
                    by_level[new_level].append(move.id)
            chased_ids += moves.ids
        if not plans:
            return sent
        # Calls land on the customer, which a dunning user may not be allowed to edit.
        self.env["mail.activity"].sudo().create(activity_vals)
        if sms_vals:
            # Queued like the emails: Odoo's SMS queue sends them after commit.
            self.env["sms.sms"].sudo().create(sms_vals)
        # Reminders and calls never interrupt prescription (only an
        # acknowledgement or a legal action does, see account_move): the
        # invoices' prescription dates stand, instead of being computed again
        # for every invoice of the run (45 000 per company on a first night).
        linked = Move.union(*(plan.moves | plan.refunds for plan in plans))
        with self.env.protecting([Move._fields["fr_dunning_prescription_date"]], linked):
            events = self.env["fr.dunning.event"]._fr_dunning_record(event_vals, automatic=automatic)
        letters = events.filtered(lambda e: e.channel in ("letter", "registered_letter") and e.letter_tier)
        emails = events.filtered(lambda e: e.channel == "email")
        carried = {communication(letter) for letter in letters}
        with_letter = emails.filtered(lambda email: communication(email) in carried)

        (letters | emails)._fr_dunning_ensure_tokens()
        # The invoices show their dunning history from the events (no note on
        # each invoice: 45 000 messages per company on a first night).
        self._send_emails(emails - with_letter, letters.browse())
        letters._fr_dunning_render_letters()
        self._send_emails(with_letter, letters)
        self._advance(today, by_level, chased_ids, notice_ids, partial_ids)
        # Penalties are billed with a communication's first part only.
        to_charge = [
            move_id
            for plan in plans
            if plan.level.penalties == "charge" and not plan.earlier
            for move_id in plan.moves.ids
        ]
        if to_charge:
            sent.update(self._charge_penalties(Move.browse(to_charge), today))
        return sent

    @api.model
    def _advance(self, today, by_level, chased_ids, notice_ids, partial_ids=()):
        """Record on the invoices what was sent today: formal notice date,
        level (one up at most), next action date and count.

        ``partial_ids``: invoices of communications whose call was postponed:
        they keep their state, but for the formal notice date when what was
        sent puts the debtor on notice.

        One statement for all of it: each UPDATE of an invoice writes a new
        row in every one of account_move's thirty-odd indexes, and a first
        night chases 45 000 invoices per company. Plain SQL: an ORM write on
        posted invoices resynchronizes their lines, and the invoices' chatter
        note already records the level."""
        notices, chased = set(notice_ids), set(chased_ids)
        # Of the invoices whose call waits, only those put on notice are written.
        waiting_notices = notices - chased
        noticed_only = [move_id for move_id in dict.fromkeys(partial_ids) if move_id in waiting_notices]
        if not chased_ids and not noticed_only:
            return
        Move = self.env["account.move"]
        fnames = [
            "fr_dunning_level_id",
            "fr_dunning_last_date",
            "fr_dunning_count",
            "fr_dunning_next_date",
            "fr_dunning_formal_notice_date",
        ]
        # The next action: the next level's day, not before its minimum interval.
        advanced = {}
        for new_level, advanced_ids in by_level.items():
            following = new_level.policy_id.level_ids.filtered(
                lambda lvl, current=new_level: lvl.offset_days > current.offset_days
            ).sorted("offset_days")[:1]
            offset, gap = (following.offset_days, following.min_interval_days) if following else (None, None)
            advanced.update(dict.fromkeys(advanced_ids, (new_level.id, offset, gap)))
        nothing = (None, None, None)
        ids = chased_ids + noticed_only
        steps = [advanced.get(move_id, nothing) for move_id in ids]
        Move.flush_model(fnames)
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move m
                   SET fr_dunning_last_date = CASE WHEN v.chased THEN %(today)s
                                                   ELSE m.fr_dunning_last_date END,
                       fr_dunning_count = CASE WHEN v.chased THEN COALESCE(m.fr_dunning_count, 0) + 1
                                               ELSE m.fr_dunning_count END,
                       fr_dunning_level_id = COALESCE(v.level_id, m.fr_dunning_level_id),
                       fr_dunning_next_date = CASE
                           WHEN v.level_id IS NULL THEN m.fr_dunning_next_date
                           WHEN v.next_offset IS NULL THEN NULL
                           ELSE GREATEST(m.fr_dunning_due_date + v.next_offset,
                                         %(today)s::date + v.next_interval)
                       END,
                       fr_dunning_formal_notice_date = %(notice_date)s
                  FROM unnest(%(ids)s::int[], %(levels)s::int[], %(offsets)s::int[],
                              %(intervals)s::int[], %(notices)s::bool[], %(chased)s::bool[])
                       AS v(id, level_id, next_offset, next_interval, notice, chased)
                 WHERE m.id = v.id
                """,
                today=today,
                ids=ids,
                levels=[step[0] for step in steps],
                offsets=[step[1] for step in steps],
                intervals=[step[2] for step in steps],
                notices=[move_id in notices for move_id in ids],
                chased=[move_id in chased for move_id in ids],
                notice_date=law.formal_notice_date_sql(
                    SQL("m.fr_dunning_formal_notice_date"), today, SQL("v.notice")
                ),
            ),
            # A concurrent update (the cron redoes its batch) is not a query error.
            log_exceptions=False,
        )
        Move.browse(ids).invalidate_recordset(fnames)

    @api.model
    def _send_emails(self, events, letters):
        """Queue one email per event, rendered from its level's template in the
        customer's language, with the letter of the same communication and the
        invoices' PDFs attached: as ``message_post`` sends an email.

        Through the ORM's batch APIs: the chatter copy on the customer
        (``mail.message``, with its recipients), the queued ``mail.mail`` on
        it, and one ``mail.notification`` per recipient, which Odoo's mail
        queue keeps up to date (sent, bounced, exception). Deleting an email
        from the queue leaves its copy, the evidence, in the chatter.
        """
        if not events:
            return
        comment = self.env.ref("mail.mt_comment")
        author = self.env.user.partner_id
        values = events._fr_dunning_letter_values()
        letter_of = {communication(letter): letter.letter_id for letter in letters}
        by_template = defaultdict(list)
        for event in events:
            template = event.level_id.mail_template_id or self.env.ref(TIER_TEMPLATE[event.level_id.tier])
            by_template[template].append(event.id)
        # Existing invoice PDFs (Odoo stores the one sent with the invoice).
        invoice_pdfs = {move.id: move.invoice_pdf_report_id for move in events.move_ids}
        message_vals, mail_vals, recipients_of, mailed = [], [], [], []
        for template, event_ids in by_template.items():
            template, template_events = template.sudo(), events.browse(event_ids)
            subjects, bodies = self._render_emails(template, template_events, {"letters": values})
            for event in template_events:
                company, partner = event.company_id, event.partner_id
                sender = company.partner_id.email_formatted or author.email_formatted
                attachments = letter_of.get(communication(event))
                attachment_ids = attachments.ids if attachments else []
                for move in event.move_ids:
                    attachment_ids += invoice_pdfs[move.id].ids
                recipients = self._email_recipients(partner)
                message_vals.append(
                    {
                        "model": "res.partner",
                        "res_id": partner.id,
                        "record_name": partner.sudo().display_name,
                        "message_type": "comment",
                        "subtype_id": comment.id,
                        "author_id": author.id,
                        "email_from": sender,
                        "reply_to": sender,
                        "subject": subjects[event.id],
                        "body": bodies[event.id],
                        "partner_ids": [Command.set(recipients.ids)],
                        "attachment_ids": [Command.set(attachment_ids)],
                        "fr_dunning_company_id": company.id,
                    }
                )
                mail_vals.append(
                    {
                        "body_html": bodies[event.id],
                        "recipient_ids": [Command.set(recipients.ids)],
                        "auto_delete": False,
                        "state": "outgoing",
                    }
                )
                recipients_of.append(recipients.ids)
                mailed.append(event)
        # The documents attached are read as the user (the flow writes as superuser).
        attached = {id_ for vals in message_vals for id_ in vals["attachment_ids"][0][2]}
        self.env["ir.attachment"].browse(attached).check("read")
        messages = self.env["mail.message"].sudo().create(message_vals)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .create(
                [
                    {**vals, "mail_message_id": message.id}
                    for vals, message in zip(mail_vals, messages, strict=True)
                ]
            )
        )
        self.env["mail.notification"].sudo().create(
            [
                {
                    "mail_message_id": mail.mail_message_id.id,
                    "mail_mail_id": mail.id,
                    "res_partner_id": partner_id,
                    "author_id": author.id,
                    "notification_type": "email",
                    "notification_status": "ready",
                    "is_read": True,
                }
                for mail, partner_ids in zip(mails, recipients_of, strict=True)
                for partner_id in partner_ids
            ]
        )
        for event, message in zip(mailed, messages, strict=True):
            event.sudo().message_id = message

    @api.model
    def _render_emails(self, template, events, add_context):
        """({event id: subject}, {event id: body}) of ``template`` for
        ``events``, as ``_render_field`` gives them in each event's language,
        but faster:

        - one QWeb compilation of the body per language instead of one per
          email (Odoo compiles a template given as source on every call): the
          bodies are rendered in one loop and cut apart at a separator;
        - ``format_date`` and ``format_amount`` with the language read once
          (see LangFormats), the same text as Odoo's.
        """
        separator = "\x1eFR-DUNNING-NEXT\x1e"
        subjects, bodies = {}, {}
        for localized, event_ids in template._classify_per_lang(events.ids).values():
            formats = LangFormats(localized.env)
            context = dict(add_context, format_date=formats.date, format_amount=formats.amount)
            subjects.update(localized._render_field("subject", event_ids, add_context=context))
            source = localized.body_html
            if not source:
                bodies.update(dict.fromkeys(event_ids, ""))
                continue
            variables = localized._render_eval_context()
            variables.update(
                context, fr_dunning_events=localized.env[template.render_model].browse(event_ids)
            )
            loop = Markup(
                '<t t-foreach="fr_dunning_events" t-as="object">%s<t t-out="fr_dunning_next"/></t>'
            ) % (Markup(source))
            variables["fr_dunning_next"] = separator
            rendered = localized.env["ir.qweb"]._render(
                html.fragment_fromstring(str(loop), create_parent="div"), variables
            )
            parts = str(rendered)[5:-6].split(separator)
            bodies.update(zip(event_ids, (Markup(part) for part in parts[:-1]), strict=True))
        return subjects, bodies

    @api.model
    def _charge_penalties(self, moves, today):
        """Draft penalty invoices for the levels that bill penalties. Missing legal
        rates or nothing left to charge never stop the run: they are logged."""
        try:
            with self.env.cr.savepoint():
                penalty_moves = moves._fr_dunning_create_penalty_invoices(at_date=today)
        except UserError as error:
            _logger.info("fr_dunning escalation: no penalty invoice (%s)", error.args[0])
            return Counter()
        return Counter({"penalty_invoice": len(penalty_moves)})

    @api.model
    def _sms_text(self, plan, deadline):
        """A short text (one or two SMS) in the customer's language."""
        partner, moves = plan.partner, plan.moves
        company = moves.company_id[:1]
        lang = self.env["fr.dunning.event"]._fr_dunning_lang(partner)
        env = self.with_context(lang=lang).env
        invoices = ", ".join(moves.filtered(lambda m: m.move_type == "out_invoice").mapped("name"))
        values = {
            "company": company.name,
            "amount": formatLang(env, plan.total, currency_obj=plan.currency),
            "invoices": invoices,
            "deadline": format_date(env, deadline) if deadline else "",
            "phone": company.phone or company.email or "",
        }
        if deadline:
            return env._(
                "%(company)s: %(amount)s is past due on %(invoices)s. Please pay by %(deadline)s. "
                "Already paid or a question? Call us on %(phone)s.",
                **values,
            )
        return env._(
            "%(company)s: %(amount)s is past due on %(invoices)s. Please pay it. "
            "Already paid or a question? Call us on %(phone)s.",
            **values,
        )

    @api.model
    def _channels(self, level, partner, reachable=None):
        """The channels of ``level`` for ``partner``: without an email address, the
        email becomes a letter and a call to make. ``reachable``: whether the
        partner has an email recipient, when already known (see _email_reachable)."""
        # SMS only with Odoo's SMS app (optional) and a number to text.
        sms = level.channel_sms and "sms.sms" in self.env and bool(partner.mobile or partner.phone)
        channels = [
            name
            for name, used in (
                ("email", level.channel_email),
                ("letter", level.channel_letter),
                ("registered", level.channel_registered),
                ("phone", level.channel_phone),
                ("sms", sms),
            )
            if used
        ]
        if reachable is None:
            reachable = bool(self._email_recipients(partner))
        if "email" in channels and not reachable:
            channels.remove("email")
            if "letter" not in channels and "registered" not in channels:
                channels.append("letter")
            if "phone" not in channels:
                channels.append("phone")
        return channels

    @api.model
    def _channel_labels(self, channels, labels=None):
        """The channels' names in the user's language (``labels``: the
        selection's labels, when already read)."""
        labels = labels or self._channel_selection()
        return [labels[{"registered": "registered_letter"}.get(channel, channel)] for channel in channels]

    @api.model
    def _channel_selection(self):
        return dict(self.env["fr.dunning.event"]._fields["channel"]._description_selection(self.env))

    @api.model
    def _email_reachable(self, partner_ids):
        """The ids among ``partner_ids`` that _email_recipients finds someone to
        write to: an email address on the customer or on an invoicing contact
        (one query for thousands of customers)."""
        self.env["res.partner"].flush_model(["email", "type", "parent_id", "active"])
        return {
            partner_id
            for [partner_id] in self.env.execute_query(
                SQL(
                    """SELECT partner.id FROM res_partner partner
                        WHERE partner.id = ANY(%s)
                          AND (COALESCE(partner.email, '') != ''
                               OR EXISTS(SELECT 1 FROM res_partner child
                                          WHERE child.parent_id = partner.id AND child.active
                                            AND child.type = 'invoice'
                                            AND COALESCE(child.email, '') != ''))""",
                    list(partner_ids),
                )
            )
        }

    @api.model
    def _email_recipients(self, partner):
        """The invoicing contact of the customer if any, else the customer itself,
        provided they have an email address."""
        invoicing = partner.child_ids.filtered(lambda c: c.type == "invoice" and c.email)[:1]
        return invoicing or partner.filtered("email")
