# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
import time
from collections import Counter, defaultdict
from datetime import date, timedelta

import psycopg2
from lxml import html
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date, formatLang, split_every

from .fr_dunning_evidence import history_writers, hold_unaddressed_letters
from .fr_dunning_formats import LangFormats
from .fr_dunning_level import TIER_LETTER, TIER_RANK, TIER_TEMPLATE

_logger = logging.getLogger(__name__)


# The columns of account_move the plan reads, in this order.
PLAN_COLUMNS = (
    "id",
    "company_id",
    "commercial_partner_id",
    "currency_id",
    "invoice_date_due",
    "amount_residual",
    "fr_dunning_level_id",
)
# First key of the PostgreSQL advisory lock of a company's escalation.
ESCALATION_LOCK = 4_418_301
# Minutes before the nightly cron tries again a batch it could not run.
RETRY_MINUTES = 2


def communication(event):
    """The communication an event belongs to: its letter and its email share it."""
    return event.partner_id.id, event.currency_id.id, event.level_id.id


class FrDunningEscalation(models.AbstractModel):
    """The escalation: who gets which reminder today, and sending it.

    For each customer, its chaseable overdue invoices of one currency go into
    one communication, at the level of its most advanced invoice; an invoice
    moves up at most one level per run; a customer already chased today, or
    within the level's minimum interval, is left alone. Running it twice on the
    same day changes nothing the second time.
    """

    _name = "fr.dunning.escalation"
    _description = "Dunning escalation"

    @api.model
    def _plan(self, company, today, partners=None, force=False, only=None, level=None, exclude=None):
        """The communications due in ``company`` on ``today``.

        :param force: the next level of every overdue invoice now, whatever its
            day and the minimum interval (an accountant's "send now").
        :param only: a set of (partner id, currency id) to keep.
        :param exclude: a set of (partner id, currency id) to leave out.
        :param level: send this level (an accountant's choice) on the overdue
            invoices, whatever their current level; none moves back.

        :returns: (plans, skipped): plans is a list of dicts {partner, currency,
            level, moves (all the invoices mentioned), advanced ({move: level})};
            skipped counts the customers left alone, by reason.
        """
        Move = self.env["account.move"].with_company(company)
        # Excluded customers and collective proceedings are left out in SQL.
        domain = Move._fr_dunning_chaseable_domain(company)
        if partners is not None:
            domain.append(("commercial_partner_id", "in", partners.ids))
        # One query for the whole open ledger, as plain rows (id, company,
        # partner, currency, due date, residual, level) rather than records: a
        # company's 45 000 open invoices go through here every night.
        columns = PLAN_COLUMNS
        Move.flush_model(columns[1:])
        query = Move._search(domain, order="commercial_partner_id, invoice_date_due, id")
        fetched = self.env.execute_query(
            query.select(SQL(", ").join(SQL.identifier("account_move", name) for name in columns))
        )
        if not fetched:
            return [], Counter()
        ordered_ids = [row[0] for row in fetched]
        rows = {row[0]: (row[2], row[3], row[4], row[5]) for row in fetched}
        candidates = Move.browse(ordered_ids)
        overdue_ids = [move_id for move_id in ordered_ids if rows[move_id][2] < today]
        if level:
            due_levels = dict.fromkeys(overdue_ids, level)
            force = True
        elif force:
            due_levels = Move.browse(overdue_ids)._fr_dunning_due_levels(today=date.max, chaseable=True)
        else:
            due_levels = candidates._fr_dunning_due_levels(
                today=today, chaseable=True, rows=[(r[0], r[1], r[2], r[4], r[6]) for r in fetched]
            )
        skipped = Counter()
        if not due_levels:
            return [], skipped
        # Everything the customers still owe, grouped per customer and currency.
        advancing_partner_ids = {rows[move_id][0] for move_id in due_levels}
        last_dates = {
            partner.id: last_date
            for partner, last_date in Move._read_group(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", list(advancing_partner_ids)),
                    ("fr_dunning_last_date", "!=", False),
                ],
                ["commercial_partner_id"],
                ["fr_dunning_last_date:max"],
            )
        }
        # Open credit notes: shown as deductions, never chased.
        refund_ids = defaultdict(list)
        refund_totals = defaultdict(float)
        for refund in Move.search(
            [
                *Move._fr_dunning_open_domain(company, move_type="out_refund"),
                ("commercial_partner_id", "in", list(advancing_partner_ids)),
            ]
        ):
            key = (refund.commercial_partner_id.id, refund.currency_id.id)
            refund_ids[key].append(refund.id)
            refund_totals[key] += refund.amount_residual
        group_ids = defaultdict(list)
        for move_id in ordered_ids:
            partner_id, currency_id, _due, _residual = rows[move_id]
            if partner_id in advancing_partner_ids:
                group_ids[(partner_id, currency_id)].append(move_id)
        # Records browsed one by one share one prefetch set, so that reading a
        # field later reads it for all of them at once.
        partner_prefetch = self.env["res.partner"].browse(list(advancing_partner_ids))._prefetch_ids
        move_prefetch = candidates._prefetch_ids
        Currency = self.env["res.currency"]
        # Compared by id: hashing records costs more than the comparison itself.
        level_by_id = {lvl.id: lvl for lvl in set(due_levels.values())}
        level_rank = {lvl.id: (TIER_RANK[lvl.tier], lvl.offset_days) for lvl in level_by_id.values()}
        due_level_ids = {move_id: lvl.id for move_id, lvl in due_levels.items()}
        plans = []
        for (partner_id, currency_id), ids in group_ids.items():
            if only is not None and (partner_id, currency_id) not in only:
                continue
            if exclude and (partner_id, currency_id) in exclude:
                continue
            advanced_ids = [move_id for move_id in ids if move_id in due_levels]
            if not advanced_ids:
                continue
            level = level_by_id[max((due_level_ids[move_id] for move_id in advanced_ids), key=level_rank.get)]
            last = last_dates.get(partner_id)
            if (
                not force
                and last
                and (last >= today or last + timedelta(days=level.min_interval_days) > today)
            ):
                skipped["interval"] += 1
                continue
            advanced_set = set(advanced_ids)
            mentioned_ids = [
                move_id for move_id in ids if rows[move_id][2] < today or move_id in advanced_set
            ]
            currency = Currency.browse(currency_id)
            total = sum(rows[move_id][3] for move_id in mentioned_ids)
            total -= refund_totals[(partner_id, currency_id)]
            minimum = max(level.min_amount, company.fr_dunning_tolerance)
            if total - minimum < -currency.rounding / 2:  # compare_amounts(total, minimum) < 0
                skipped["amount"] += 1
                continue
            plans.append(
                {
                    "partner": self.env["res.partner"].browse(partner_id).with_prefetch(partner_prefetch),
                    "currency": currency,
                    "level": level,
                    "moves": Move.browse(mentioned_ids).with_prefetch(move_prefetch),
                    "refunds": Move.browse(refund_ids.get((partner_id, currency_id), [])),
                    "advanced": {
                        Move.browse(move_id).with_prefetch(move_prefetch): due_levels[move_id]
                        for move_id in advanced_ids
                    },
                    "total": total,
                }
            )
        return plans, skipped

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
        chased_ids, notice_ids = [], []
        reachable = self._email_reachable({plan["partner"].id for plan in plans})

        def channels_of(plan):
            return self._channels(plan["level"], plan["partner"], plan["partner"].id in reachable)

        plans = hold_unaddressed_letters(self, plans, today, channels_of, automatic)
        sms_vals = []
        writer = history_writers(self.env)  # the history is written in the company's language
        for plan in plans:
            partner, level, moves = plan["partner"], plan["level"], plan["moves"]
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
                activity_vals.append(
                    {
                        "res_model_id": partner_model,
                        "res_id": partner.id,
                        "activity_type_id": call_type.id,
                        "date_deadline": today,
                        "summary": self.env._(
                            "Call %(partner)s: %(level)s", partner=partner.name, level=level.name
                        ),
                        "note": (level.call_script or Markup()) + summary,
                        "user_id": self._responsible(partner, company).id,
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
                        "move_ids": [Command.set(moves.ids + plan.get("refunds", Move).ids)],
                        "level_id": level.id,
                        "run_id": run.id if run else False,
                        "event_type": "call_planned" if channel == "phone" else "reminder",
                        "channel": {"registered": "registered_letter"}.get(channel, channel),
                        "user_id": False if automatic else self.env.uid,
                        "is_automatic": automatic,
                        "currency_id": plan["currency"].id,
                        "amount_residual": plan["total"],
                        "deadline_date": deadline,
                        "letter_tier": letter_tier if is_letter or channel == "email" else False,
                        # The email's text is its message; letters and calls keep theirs here.
                        "note": False if channel == "email" else summary,
                    }
                )
            for move, new_level in plan["advanced"].items():
                if (
                    not move.fr_dunning_level_id
                    or move.fr_dunning_level_id.offset_days < new_level.offset_days
                ):
                    by_level[new_level].append(move.id)
            chased_ids += moves.ids
            if level.tier == "formal_notice" and {"letter", "registered"} & set(channels):
                notice_ids += moves.ids
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
        linked = Move.union(*(plan["moves"] | plan.get("refunds", Move) for plan in plans))
        with self.env.protecting([Move._fields["fr_dunning_prescription_date"]], linked):
            events = self.env["fr.dunning.event"]._fr_dunning_record(event_vals, automatic=automatic)
        letters = events.filtered(lambda e: e.channel in ("letter", "registered_letter") and e.letter_tier)
        emails = events.filtered(lambda e: e.channel == "email")
        carried = {communication(letter) for letter in letters}
        with_letter = emails.filtered(lambda email: communication(email) in carried)

        def meanwhile():
            # While wkhtmltopdf renders the letters: the emails without one. The
            # invoices show their dunning history from the events (no note on
            # each invoice: 45 000 messages per company on a first night).
            self._send_emails(emails - with_letter, letters.browse())

        (letters | emails)._fr_dunning_ensure_tokens()
        letters._fr_dunning_render_letters(meanwhile=meanwhile)
        self._send_emails(with_letter, letters)
        self._advance(today, by_level, chased_ids, notice_ids)
        to_charge = [
            move_id for plan in plans if plan["level"].penalties == "charge" for move_id in plan["moves"].ids
        ]
        if to_charge:
            sent.update(self._charge_penalties(Move.browse(to_charge), today))
        return sent

    @api.model
    def _advance(self, today, by_level, chased_ids, notice_ids):
        """Record on the invoices what was sent today: formal notice date,
        level (one up at most), next action date and count.

        One statement for all of it: each UPDATE of an invoice writes a new
        row in every one of account_move's thirty-odd indexes, and a first
        night chases 45 000 invoices per company. Plain SQL: an ORM write on
        posted invoices resynchronizes their lines, and the invoices' chatter
        note already records the level."""
        if not chased_ids:
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
        steps = [advanced.get(move_id, nothing) for move_id in chased_ids]
        notices = set(notice_ids)
        Move.flush_model(fnames)
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move m
                   SET fr_dunning_last_date = %(today)s,
                       fr_dunning_count = COALESCE(m.fr_dunning_count, 0) + 1,
                       fr_dunning_level_id = COALESCE(v.level_id, m.fr_dunning_level_id),
                       fr_dunning_next_date = CASE
                           WHEN v.level_id IS NULL THEN m.fr_dunning_next_date
                           WHEN v.next_offset IS NULL THEN NULL
                           ELSE GREATEST(m.invoice_date_due + v.next_offset,
                                         %(today)s::date + v.next_interval)
                       END,
                       -- Code civil 1344: the formal notice is the starting
                       -- point of a consumer's interest; the first one counts.
                       fr_dunning_formal_notice_date = CASE
                           WHEN v.notice THEN COALESCE(m.fr_dunning_formal_notice_date, %(today)s)
                           ELSE m.fr_dunning_formal_notice_date
                       END
                  FROM unnest(%(ids)s::int[], %(levels)s::int[], %(offsets)s::int[],
                              %(intervals)s::int[], %(notices)s::bool[])
                       AS v(id, level_id, next_offset, next_interval, notice)
                 WHERE m.id = v.id
                """,
                today=today,
                ids=chased_ids,
                levels=[step[0] for step in steps],
                offsets=[step[1] for step in steps],
                intervals=[step[2] for step in steps],
                notices=[move_id in notices for move_id in chased_ids],
            )
        )
        Move.browse(chased_ids).invalidate_recordset(fnames)

    @api.model
    def _deadline(self, level, moves, today):
        """The date the communication asks to pay by: the due date for a
        preventive reminder, else the level's deadline from today."""
        if level.tier == "preventive":
            upcoming = [due for due in moves.mapped("invoice_date_due") if due >= today]
            return min(upcoming) if upcoming else today
        return today + timedelta(days=level.deadline_days)

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
        partner, moves = plan["partner"], plan["moves"]
        company = moves.company_id[:1]
        lang = self.env["fr.dunning.event"]._fr_dunning_lang(partner)
        env = self.with_context(lang=lang).env
        invoices = ", ".join(moves.filtered(lambda m: m.move_type == "out_invoice").mapped("name"))
        values = {
            "company": company.name,
            "amount": formatLang(env, plan["total"], currency_obj=plan["currency"]),
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
    def _warnings(self, company, partners):
        """{partner id: warning} for customers with unreconciled payments or open
        credit notes in ``company``: they may have paid already."""
        partner_ids = [partner.id for partner in partners]
        if not partner_ids:
            return {}
        unreconciled = {
            partner.id
            for [partner] in self.env["account.move.line"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partner_ids),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "<", 0),
                    ("move_id.move_type", "!=", "out_refund"),
                ],
                ["partner_id"],
            )
        }
        credit_notes = {
            partner.id
            for [partner] in self.env["account.move"]._read_group(
                [
                    *self.env["account.move"]._fr_dunning_open_domain(company, move_type="out_refund"),
                    ("commercial_partner_id", "in", partner_ids),
                ],
                ["commercial_partner_id"],
            )
        }
        warnings = {}
        for partner_id in partner_ids:
            parts = []
            if partner_id in unreconciled:
                parts.append(self.env._("unreconciled payment"))
            if partner_id in credit_notes:
                parts.append(self.env._("open credit note"))
            if parts:
                warnings[partner_id] = ", ".join(parts)
        return warnings

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

    @api.model
    def _responsible(self, partner, company, fallback=None):
        """Who follows ``partner`` in ``company``: its dunning responsible, else
        its salesperson, else ``fallback``, else the current user."""
        partner = partner.with_company(company)
        return partner.fr_dunning_responsible_id or partner.user_id or fallback or self.env.user

    @api.model
    def _summary(self, plan, today, formats=None):
        """A short HTML statement of what the communication is about, in the
        user's language (``formats``: its LangFormats, when already made)."""
        formats = formats or LangFormats(self.env)
        rows = Markup()
        for move in plan["moves"].sorted("invoice_date_due"):
            rows += Markup("<li>%s — %s — %s</li>") % (
                move.name,
                formats.date(move.invoice_date_due),
                formats.lang_amount(move.amount_residual, move.currency_id),
            )
        for refund in plan.get("refunds", []):
            rows += Markup("<li>%s — %s — %s</li>") % (
                self.env._("Credit note %(name)s", name=refund.name),
                formats.date(refund.invoice_date),
                formats.lang_amount(-refund.amount_residual, refund.currency_id),
            )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "%(level)s on %(date)s: %(amount)s due on these invoices:",
                level=plan["level"].with_env(self.env).name,
                date=formats.date(today),
                amount=formats.lang_amount(plan["total"], plan["currency"]),
            ),
            rows,
        )

    @api.model
    def _run(
        self,
        company,
        today=None,
        automatic=True,
        partners=None,
        only=None,
        force=False,
        level=None,
        exclude=None,
    ):
        """Plan and send today's communications of ``company``; returns a summary."""
        if not self.env.su and not self.env.user.has_group("fr_dunning_addon.group_fr_dunning_user"):
            raise AccessError(self.env._("Only dunning users can send reminders."))
        today = today or fields.Date.context_today(self)
        started = time.time()
        stale = company._fr_dunning_stale_bank_journals(today)
        if stale:
            _logger.warning(
                "fr_dunning escalation %s: bank statements of %s are older than %s days%s",
                company.name,
                ", ".join(stale.mapped("name")),
                company.fr_dunning_bank_stale_days,
                ": nightly run held" if automatic and company.fr_dunning_hold_if_stale else "",
            )
            if automatic and company.fr_dunning_hold_if_stale:
                return dict(self._empty_summary(company, held=1), held=stale)
        if not self._lock(company):
            # Another escalation of this company is sending: never both at once.
            _logger.info("fr_dunning escalation %s: another run is in progress, skipped", company.name)
            if not automatic:
                raise UserError(
                    self.env._(
                        "Reminders of %(company)s are being sent by another run. Try again in a minute.",
                        company=company.name,
                    )
                )
            return self._empty_summary(company, locked=1)
        plans, skipped = self._plan(
            company, today, partners=partners, force=force, only=only, level=level, exclude=exclude
        )
        run = self.env["fr.dunning.run"].browse()
        if plans or skipped:
            run = self.env["fr.dunning.run"]._get_run(company, today, automatic)
        sent = self._execute(plans, today, automatic, run=run)
        # The run's time counts its writes still in the ORM's buffers.
        self.env.flush_all()
        summary = {
            "company": company.name,
            "customers": len({plan["partner"].id for plan in plans}),
            "communications": len(plans),
            "sent": dict(sent),
            "skipped": dict(skipped),
            "seconds": round(time.time() - started, 2),
        }
        if run:
            run._add_summary(summary)
            summary["run"] = run
        _logger.info("fr_dunning escalation %s: %s", today, summary)
        return summary

    @api.model
    def _run_isolating(self, company, today, partners):
        """The nightly ``_run`` of ``partners``, each attempt in a savepoint:
        when it fails, its halves are run, down to single customers. Returns
        (summary, errors): the merged summary of what was sent, and {partner:
        error message} of the customers that could not be chased.

        One customer whose data makes the run fail (a mail template edited
        with an expression that breaks for them, say) must not stop the night
        for everybody after them: Odoo's cron runner would call again the next
        day only, and turn the job off after a week of failures. A database
        error of the moment (a serialization failure, a lost connection) is
        not the customer's: it is raised, and the batch is redone."""
        try:
            with self.env.cr.savepoint():
                return self._run(company, today, partners=partners), {}
        except psycopg2.OperationalError:
            raise
        except Exception as error:  # isolated below, logged, and recorded on the run
            if len(partners) == 1:
                _logger.exception(
                    "fr_dunning escalation %s: chasing %s (%s) failed; nothing sent to them tonight",
                    company.name,
                    partners.display_name,
                    partners.id,
                )
                return self._empty_summary(company), {partners: self._error_text(error)}
        half = len(partners) // 2
        summary, errors = self._run_isolating(company, today, partners[:half])
        if summary["skipped"].get("locked"):
            return summary, errors
        other, other_errors = self._run_isolating(company, today, partners[half:])
        errors.update(other_errors)
        if other["skipped"].get("locked"):
            return other, errors
        for key in ("customers", "communications", "seconds"):
            summary[key] += other[key]
        for key in ("sent", "skipped"):
            summary[key] = dict(Counter(summary[key]) + Counter(other[key]))
        summary.pop("run", None)
        return summary, errors

    @api.model
    def _error_text(self, error):
        """What an accountant reads of ``error`` on the run: the message of a
        user error, else the error's kind and first lines (the log has the
        traceback)."""
        if isinstance(error, UserError):
            return error.args[0]
        lines = [line.strip() for line in f"{error.__class__.__name__}: {error}".splitlines()]
        text = " — ".join(line for line in lines if line)
        return text if len(text) <= 500 else text[:499] + "…"

    @api.model
    def _empty_summary(self, company, **skipped):
        return {
            "company": company.name,
            "customers": 0,
            "communications": 0,
            "sent": {},
            "skipped": skipped,
            "seconds": 0,
        }

    @api.model
    def _lock(self, company):
        """Take the company's escalation lock until the end of the transaction;
        False when another transaction holds it (the nightly batch and an
        accountant's run never plan on the same state)."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", ESCALATION_LOCK, company.id))
        return self.env.cr.fetchone()[0]

    @api.model
    def _call_again_soon(self, done, remaining):
        """End this cron call without finishing the night, and have the cron
        called again in a few minutes. Odoo's runner calls again at once only
        when the call reports some work done; otherwise it would wait for the
        next day."""
        cron = self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate", raise_if_not_found=False)
        if cron:
            cron._trigger(fields.Datetime.now() + timedelta(minutes=RETRY_MINUTES))
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _candidate_partners(self, company, today, after=0):
        """Ids of the customers of ``company`` the escalation may chase today,
        above ``after``, in id order: a superset of the customers _plan sends
        something to, found in one query without planning them.

        A customer may follow the policies _fr_dunning_possible_policies_sql
        gives. An invoice can only move to a level of those policies that
        comes after its current level (a preventive one only before its due
        date). Among those levels, the earliest offset says whether one may be
        due today, and the shortest minimum interval whether the customer's
        last communication still holds it back. On a quiet night this leaves
        out the thousands of customers chased a few days ago.
        """
        Partner = self.env["res.partner"]
        levels = Partner._fr_dunning_company_policies(company)[0].level_ids
        if not levels:
            return []
        Move = self.env["account.move"]
        Move.flush_model(
            [
                "commercial_partner_id",
                "invoice_date_due",
                "fr_dunning_level_id",
                "fr_dunning_last_date",
                "amount_residual_signed",
            ]
        )
        levels.flush_recordset(["offset_days", "tier", "min_interval_days", "policy_id"])
        # Later calls of the night look past the last customer done (a
        # many2one compared with 0 would compare with NULL).
        past = [("commercial_partner_id", ">", after)] if after else []
        query = Move._search([*Move._fr_dunning_open_domain(company, chaseable=True), *past])
        query.add_join(
            "LEFT JOIN",
            "fr_dunning_current",
            "fr_dunning_level",
            SQL('"fr_dunning_current".id = "account_move".fr_dunning_level_id'),
        )
        # Per customer: the policies it may follow, from what it owes in all.
        owed = Move._search([*Move._fr_dunning_open_domain(company), *past])
        query.add_join(
            "JOIN",
            "fr_dunning_customer",
            SQL(
                """(SELECT owed.partner_id, %s AS policy_ids
                      FROM (SELECT "account_move".commercial_partner_id AS partner_id,
                                   SUM("account_move".amount_residual_signed) AS total
                              FROM %s WHERE %s GROUP BY 1) AS owed
                      JOIN res_partner customer ON customer.id = owed.partner_id)""",
                Partner._fr_dunning_possible_policies_sql(company, "customer", SQL("owed.total")),
                owed.from_clause,
                owed.where_clause,
            ),
            SQL('"fr_dunning_customer".partner_id = "account_move".commercial_partner_id'),
        )
        # Its last communication in the company, on any invoice.
        query.add_join(
            "LEFT JOIN",
            "fr_dunning_last",
            SQL(
                "(SELECT commercial_partner_id, MAX(fr_dunning_last_date) AS day FROM account_move "
                "WHERE company_id = %s AND fr_dunning_last_date IS NOT NULL AND commercial_partner_id > %s "
                "GROUP BY commercial_partner_id)",
                company.id,
                after,
            ),
            SQL('"fr_dunning_last".commercial_partner_id = "account_move".commercial_partner_id'),
        )
        # The levels the invoice may move to (policy, offset, preventive, minimum interval).
        following = SQL(
            """SELECT 1 FROM unnest(%s::int[], %s::int[], %s::bool[], %s::int[])
                          AS level(policy_id, offset_days, preventive, gap)
                WHERE level.policy_id = ANY("fr_dunning_customer".policy_ids)
                  AND level.offset_days > COALESCE("fr_dunning_current".offset_days, %s)
                  AND NOT (level.preventive AND "account_move".invoice_date_due < %s)""",
            [level.policy_id.id for level in levels],
            levels.mapped("offset_days"),
            [level.tier == "preventive" for level in levels],
            levels.mapped("min_interval_days"),
            min(levels.mapped("offset_days")) - 1,
            today,
        )
        query.add_where(
            SQL(
                """EXISTS(%s AND "account_move".invoice_date_due + level.offset_days <= %s)
                   AND ("fr_dunning_last".day IS NULL
                        OR EXISTS(%s AND "fr_dunning_last".day + GREATEST(level.gap, 1) <= %s))""",
                following,
                today,
                following,
                today,
            )
        )
        rows = self.env.execute_query(
            SQL(
                'SELECT DISTINCT "account_move".commercial_partner_id FROM %s WHERE %s ORDER BY 1',
                query.from_clause,
                query.where_clause,
            )
        )
        return [partner_id for [partner_id] in rows]

    @api.model
    def _cron_fr_dunning_escalate(self, batch_size=500):
        """Nightly run, for the companies that turned Automatic dunning on.

        Customers in batches, in a stable order, and one batch that sends
        something per call. The company's nightly run record keeps the last
        customer done, written in the same transaction as the batch: Odoo's
        cron runner commits after each call and calls again while work
        remains, and a crash loses the current batch only, which the next call
        redoes (nothing was sent: mails leave the queue after the commit).

        The progress lives on the run record rather than in a system
        parameter: writing a parameter clears the registry caches of every
        Odoo worker, compiled templates included, at each batch.
        """
        today = fields.Date.context_today(self)
        # The night's progress is the cron's (users may only read runs).
        Run = self.env["fr.dunning.run"].sudo()
        companies = self.env["res.company"].search([("fr_dunning_auto", "=", True)], order="id")
        runs = {
            run.company_id.id: run
            for run in Run.search(
                [("company_id", "in", companies.ids), ("date", "=", today), ("is_automatic", "=", True)]
            )
        }
        for company in companies:
            run = runs.get(company.id, Run)
            if run.night_complete:
                continue
            # The night's candidates are searched once (0.15 to 0.3 s on 45 000
            # open invoices, at each of the 70 calls of a first night before),
            # then read from the run record; searched again past the last
            # customer done when that list runs out, for those who became due
            # meanwhile.
            queued = json.loads(run.night_queue or "[]")
            partner_ids = [partner_id for partner_id in queued if partner_id > run.night_cursor]
            if not partner_ids:
                queued = []
                partner_ids = self._candidate_partners(company, today, run.night_cursor)
            escalation = self.with_company(company)
            done = 0
            for batch in split_every(batch_size, partner_ids):
                try:
                    summary, errors = escalation._run_isolating(
                        company, today, self.env["res.partner"].browse(batch)
                    )
                except (psycopg2.errors.TransactionRollbackError, psycopg2.errors.LockNotAvailable) as error:
                    # Another transaction wrote the same rows meanwhile (bank
                    # reconciliation at night, say). The batch was rolled back;
                    # a new transaction, a new snapshot: this batch again soon.
                    _logger.info("fr_dunning escalation %s: %s; batch to be redone", company.name, error)
                    return self._call_again_soon(done, len(partner_ids) - done)
                if summary["skipped"].get("locked"):
                    # An accountant's run of this company is sending: this
                    # batch again at the next call, never skipped.
                    return self._call_again_soon(done, len(partner_ids) - done)
                if summary["skipped"].get("held"):
                    # Held for stale bank statements: the whole company, tonight.
                    run = run or Run._get_run(company, today, automatic=True)
                    run.held_reason = self.env._(
                        "Nothing sent: the last bank statements of %(journals)s are more than %(days)s days "
                        "old, and the company holds automatic reminders until they are imported.",
                        journals=", ".join(summary["held"].mapped("name")),
                        days=company.fr_dunning_bank_stale_days,
                    )
                    break
                done += len(batch)
                run = run or Run._get_run(company, today, automatic=True)
                run.night_cursor = batch[-1]
                run._add_errors(errors)
                if summary["communications"] or errors:
                    # Committed by the cron runner before the next call. A batch
                    # that sent nothing needs no commit: the next one follows in
                    # this call, without searching the candidates again.
                    if not queued and len(partner_ids) > done:
                        run.night_queue = json.dumps(partner_ids[done:])
                    self.env["ir.cron"]._notify_progress(done=done, remaining=len(partner_ids) - done or 1)
                    return
            run = run or Run._get_run(company, today, automatic=True)
            if queued:
                # The list ran out: anyone due meanwhile past the last one done?
                run.night_queue = False
                self.env["ir.cron"]._notify_progress(done=done, remaining=1)
                return
            run.write({"night_complete": True, "night_queue": False})
        self.env["ir.cron"]._notify_progress(done=0, remaining=0)
