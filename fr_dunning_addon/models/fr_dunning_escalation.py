# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import time
from collections import Counter, defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import SQL, format_date, formatLang

from .fr_dunning_level import TIER_RANK

_logger = logging.getLogger(__name__)


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
    def _plan(self, company, today, partners=None):
        """The communications due in ``company`` on ``today``.

        :returns: (plans, skipped): plans is a list of dicts {partner, currency,
            level, moves (all the invoices mentioned), advanced ({move: level})};
            skipped counts the customers left alone, by reason.
        """
        Move = self.env["account.move"].with_company(company)
        domain = [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("fr_dunning_is_penalty_invoice", "=", False),
            ("fr_dunning_blocked", "=", False),
        ]
        if partners is not None:
            domain.append(("commercial_partner_id", "in", partners.ids))
        candidates = Move.search(domain, order="commercial_partner_id, invoice_date_due, id")
        due_levels = candidates._fr_dunning_due_levels(today=today)
        skipped = Counter()
        if not due_levels:
            return [], skipped
        advancing = Move.browse(list(due_levels))
        # Everything the customers still owe, grouped per customer and currency.
        chaseable = candidates._fr_dunning_chaseable().filtered(
            lambda m: m.commercial_partner_id in advancing.commercial_partner_id
        )
        last_dates = {
            partner.id: last_date
            for partner, last_date in Move._read_group(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", advancing.commercial_partner_id.ids),
                    ("fr_dunning_last_date", "!=", False),
                ],
                ["commercial_partner_id"],
                ["fr_dunning_last_date:max"],
            )
        }
        plans = []
        groups = defaultdict(lambda: Move.browse())
        for move in chaseable:
            groups[(move.commercial_partner_id, move.currency_id)] |= move
        for (partner, currency), moves in groups.items():
            advanced = {move: due_levels[move.id] for move in moves if move.id in due_levels}
            if not advanced:
                continue
            level = max(advanced.values(), key=lambda lvl: (TIER_RANK[lvl.tier], lvl.offset_days))
            last = last_dates.get(partner.id)
            if last and (last >= today or last + timedelta(days=level.min_interval_days) > today):
                skipped["interval"] += 1
                continue
            advancing_moves = Move.browse([move.id for move in advanced])
            mentioned = moves.filtered(lambda m: m.invoice_date_due < today) | advancing_moves
            total = sum(mentioned.mapped("amount_residual"))
            minimum = max(level.min_amount, company.fr_dunning_tolerance)
            if currency.compare_amounts(total, minimum) < 0:
                skipped["amount"] += 1
                continue
            plans.append(
                {
                    "partner": partner,
                    "currency": currency,
                    "level": level,
                    "moves": mentioned,
                    "advanced": advanced,
                    "total": total,
                }
            )
        return plans, skipped

    @api.model
    def _execute(self, plans, today, automatic):
        """Send the planned communications; returns counts per channel."""
        sent = Counter()
        Move = self.env["account.move"]
        event_vals, move_bodies = [], {}
        chased = Move.browse()
        for plan in plans:
            partner, level, moves = plan["partner"], plan["level"], plan["moves"]
            company = moves.company_id
            channels = self._channels(level, partner)
            summary = self._summary(plan, today)
            if "email" in channels:
                partner.with_company(company).with_context(mail_notify_force_send=False).message_post(
                    body=summary,
                    subject=self.env._(
                        "%(level)s — %(company)s — %(amount)s due",
                        level=level.name,
                        company=company.name,
                        amount=formatLang(self.env, plan["total"], currency_obj=plan["currency"]),
                    ),
                    partner_ids=self._email_recipients(partner).ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            if "phone" in channels:
                partner.activity_schedule(
                    "mail.mail_activity_data_call",
                    date_deadline=today,
                    summary=self.env._("Call %(partner)s: %(level)s", partner=partner.name, level=level.name),
                    note=(level.call_script or Markup()) + summary,
                    user_id=self._responsible(partner, company).id,
                )
            for channel in channels:
                sent[channel] += 1
                event_vals.append(
                    {
                        "name": level.name,
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "move_ids": [Command.set(moves.ids)],
                        "level_id": level.id,
                        "event_type": "call" if channel == "phone" else "reminder",
                        "channel": {"registered": "registered_letter"}.get(channel, channel),
                        "user_id": False if automatic else self.env.uid,
                        "is_automatic": automatic,
                        "currency_id": plan["currency"].id,
                        "amount_residual": plan["total"],
                        "note": summary,
                    }
                )
            body = Markup(self.env._("Dunning: %(level)s (%(channels)s).")) % {
                "level": level.name,
                "channels": ", ".join(channels),
            }
            move_bodies.update(dict.fromkeys(moves.ids, body))
            # Invoices move up (one level); every invoice mentioned was chased today.
            by_level = defaultdict(lambda: Move.browse())
            for move, new_level in plan["advanced"].items():
                by_level[new_level] |= move
            for new_level, advanced_moves in by_level.items():
                advanced_moves.write({"fr_dunning_level_id": new_level.id})
            moves.write({"fr_dunning_last_date": today})
            chased |= moves
        if chased:
            Move.flush_model(["fr_dunning_count"])
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET fr_dunning_count = COALESCE(fr_dunning_count, 0) + 1 "
                    "WHERE id = ANY(%s)",
                    chased.ids,
                )
            )
            chased.invalidate_recordset(["fr_dunning_count"])
        self.env["fr.dunning.event"].create(event_vals)
        if move_bodies:
            Move.browse(list(move_bodies))._message_log_batch(bodies=move_bodies)
        return sent

    @api.model
    def _channels(self, level, partner):
        """The channels of ``level`` for ``partner``: without an email address, the
        email becomes a letter and a call to make."""
        channels = [
            name
            for name, used in (
                ("email", level.channel_email),
                ("letter", level.channel_letter),
                ("registered", level.channel_registered),
                ("phone", level.channel_phone),
            )
            if used
        ]
        if "email" in channels and not self._email_recipients(partner):
            channels.remove("email")
            if "letter" not in channels and "registered" not in channels:
                channels.append("letter")
            if "phone" not in channels:
                channels.append("phone")
        return channels

    @api.model
    def _email_recipients(self, partner):
        """The invoicing contact of the customer if any, else the customer itself,
        provided they have an email address."""
        invoicing = partner.child_ids.filtered(lambda c: c.type == "invoice" and c.email)[:1]
        return invoicing or partner.filtered("email")

    @api.model
    def _responsible(self, partner, company):
        partner = partner.with_company(company)
        return partner.fr_dunning_responsible_id or partner.user_id or self.env.user

    @api.model
    def _summary(self, plan, today):
        """A short HTML statement of what the communication is about."""
        rows = Markup()
        for move in plan["moves"].sorted("invoice_date_due"):
            rows += Markup("<li>%s — %s — %s</li>") % (
                move.name,
                format_date(self.env, move.invoice_date_due),
                formatLang(self.env, move.amount_residual, currency_obj=move.currency_id),
            )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "%(level)s on %(date)s: %(amount)s due on these invoices:",
                level=plan["level"].name,
                date=format_date(self.env, today),
                amount=formatLang(self.env, plan["total"], currency_obj=plan["currency"]),
            ),
            rows,
        )

    @api.model
    def _run(self, company, today=None, automatic=True, partners=None):
        """Plan and send today's communications of ``company``; returns a summary."""
        today = today or fields.Date.context_today(self)
        started = time.time()
        plans, skipped = self._plan(company, today, partners=partners)
        sent = self._execute(plans, today, automatic)
        summary = {
            "company": company.name,
            "customers": len({plan["partner"].id for plan in plans}),
            "communications": len(plans),
            "sent": dict(sent),
            "skipped": dict(skipped),
            "seconds": round(time.time() - started, 2),
        }
        _logger.info("fr_dunning escalation %s: %s", today, summary)
        return summary

    @api.model
    def _cron_fr_dunning_escalate(self):
        """Nightly run, for the companies that turned automatic dunning on."""
        for company in self.env["res.company"].search([("fr_dunning_auto", "=", True)]):
            self.with_company(company)._run(company)
