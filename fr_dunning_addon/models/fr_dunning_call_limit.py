# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily limit of calls: nobody makes 14 000 calls in a day.

A level may chase by phone: delivery gives the customer's responsible a call
to-do. A company sets how many calls its dunning gives a responsible in a day
(``fr_dunning_call_limit``, 0: no limit). A run hands its calls out to each
responsible by amount, the largest first, up to what is left of the day once
the company's calls already given or logged that day are counted: the nightly
cron's batches and the accountants' runs share the day. The other calls are
postponed.

A postponed call is not sent and does not count as sent, and the invoices
keep their dunning state (level, last and next date, count): they stay due,
and the next run plans the same level again. The emails, letters and texts
of that communication go at once all the same, and only once: the next run
finds them in the history (the events of that level on those invoices since
their last step) and sends the call alone, which completes the level and
moves the invoices on. A communication whose only channel is the call is not
sent at all: the customer waits for a free call.
"""

import dataclasses
from collections import Counter
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.tools import SQL

from .fr_dunning_escalation import Plan
from .fr_dunning_evidence import missing_postal_fields

# A level's channel of an event's channel, where their names differ.
LEVEL_CHANNEL = {"registered_letter": "registered"}


def day_bounds(env, day):
    """The first instant of ``day`` and of the day after, in UTC (naive, as
    Odoo stores datetimes), in the time zone ``day`` was taken in (the
    context's, else the user's, as ``fields.Date.context_today``)."""
    try:
        zone = pytz.timezone(env.context.get("tz") or env.user.tz or "UTC")
    except pytz.UnknownTimeZoneError:
        zone = pytz.utc

    def utc(moment):
        return zone.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

    return utc(datetime.combine(day, time.min)), utc(datetime.combine(day + timedelta(days=1), time.min))


class FrDunningEscalation(models.AbstractModel):
    _inherit = "fr.dunning.escalation"

    @api.model
    def _hold_calls(self, company, plans: list[Plan], today):
        """(plans, postponed): the ``plans`` to deliver today, and the number
        of calls postponed by ``company``'s daily limit.

        A plan keeps the channels an earlier run sent (``earlier``, sent no
        more) and whether its call is postponed (``call_postponed``); a plan
        left with nothing to send today is left out (its customer waits). A
        call postponed today waits for the next day, whichever run comes
        next: a customer is chased by one run a day."""
        reachable = self._email_reachable({plan.partner.id for plan in plans}) if plans else set()
        channels = {
            id(plan): set(self._channels(plan.level, plan.partner, plan.partner.id in reachable))
            for plan in plans
        }
        calling = [plan for plan in plans if "phone" in channels[id(plan)]]
        if not calling:
            return plans, 0
        earlier, postponed_on = self._channels_sent_earlier(company, calling)
        waiting = {id(plan) for plan in calling if postponed_on.get(id(plan)) == today}
        plans = [plan for plan in plans if id(plan) not in waiting]
        calling = [plan for plan in calling if id(plan) not in waiting]
        for plan in calling:
            channels[id(plan)] -= earlier.get(id(plan), frozenset())
        # A letter to a customer without an address holds its whole
        # communication (see hold_unaddressed_letters): it takes no call.
        to_call = [
            plan
            for plan in calling
            if "phone" in channels[id(plan)]
            and not ({"letter", "registered"} & channels[id(plan)] and missing_postal_fields(plan.partner))
        ]
        postponed = self._postponed_calls(company, to_call, today)
        kept = []
        for plan in plans:
            sent_before = earlier.get(id(plan), frozenset())
            is_postponed = id(plan) in postponed
            if is_postponed and not channels[id(plan)] - {"phone"}:
                continue  # the call was all that was left: the customer waits
            if sent_before or is_postponed:
                plan = dataclasses.replace(plan, earlier=sent_before, call_postponed=is_postponed)
            kept.append(plan)
        return kept, len(postponed)

    @api.model
    def _postponed_calls(self, company, plans, today):
        """The ids (``id()``) of the ``plans`` whose call does not fit in
        their responsible's day: each responsible's calls by amount (in the
        company's currency), the largest first, up to the company's limit
        less the calls the responsible already has today."""
        limit = company.fr_dunning_call_limit
        if not limit or not plans:
            return set()
        responsible = {id(plan): self._responsible(plan.partner, company).id for plan in plans}
        used = Counter(self._calls_of_the_day(company, set(responsible.values()), today))
        rates = {
            currency: currency._convert(1.0, company.currency_id, company, today)
            for currency in {plan.currency for plan in plans}
        }
        postponed = set()
        for plan in sorted(plans, key=lambda plan: (-plan.total * rates[plan.currency], plan.partner.id)):
            user_id = responsible[id(plan)]
            if used[user_id] >= limit:
                postponed.add(id(plan))
            else:
                used[user_id] += 1
        return postponed

    @api.model
    def _calls_of_the_day(self, company, user_ids, today):
        """{user id: number of ``company``'s dunning calls of ``today``} for
        ``user_ids``: the call to-dos its dunning gave them, still open, due
        today or given today, and the calls they logged today in it. One
        query. Each company counts its own: its limit is its setting."""
        if not user_ids:
            return {}
        Activity, Event = self.env["mail.activity"], self.env["fr.dunning.event"]
        Activity.flush_model(
            ["user_id", "active", "activity_type_id", "date_deadline", "fr_dunning_company_id"]
        )
        Event.flush_model(["company_id", "user_id", "event_type", "date"])
        start, end = day_bounds(self.env, today)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT calls.user_id, COUNT(*)
                  FROM (SELECT activity.user_id
                          FROM mail_activity activity
                         WHERE activity.user_id = ANY(%(users)s)
                           AND activity.active
                           AND activity.activity_type_id = %(call_type)s
                           AND activity.fr_dunning_company_id = %(company)s
                           AND (activity.date_deadline = %(today)s
                                OR (activity.create_date >= %(start)s AND activity.create_date < %(end)s))
                     UNION ALL
                        SELECT event.user_id
                          FROM fr_dunning_event event
                         WHERE event.user_id = ANY(%(users)s)
                           AND event.company_id = %(company)s
                           AND event.event_type = 'call'
                           AND event.date >= %(start)s AND event.date < %(end)s) AS calls
              GROUP BY calls.user_id
                """,
                company=company.id,
                users=list(user_ids),
                call_type=self.env.ref("mail.mail_activity_data_call").id,
                today=today,
                start=start,
                end=end,
            )
        )
        return dict(rows)

    @api.model
    def _channels_sent_earlier(self, company, plans):
        """({id(plan): frozenset of channels}, {id(plan): day}): what was
        already sent for ``plans`` by an earlier run whose call was
        postponed, and the last day it was sent: the events of the plan's
        level, customer and currency on the invoices it moves up, since the
        day of their last step (which a postponed call leaves as it was).
        One query."""
        moves = [move.id for plan in plans for move in plan.advanced]
        if not moves:
            return {}, {}
        self.env["fr.dunning.event"].flush_model(
            ["company_id", "partner_id", "currency_id", "level_id", "event_type", "channel", "date", "run_id"]
        )
        self.env["account.move"].flush_model(["fr_dunning_last_date"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT event.partner_id, event.currency_id, event.level_id, event.channel,
                       MAX(COALESCE(run.date, event.date::date))
                  FROM fr_dunning_event event
                  JOIN fr_dunning_event_account_move_rel rel ON rel.event_id = event.id
                  JOIN account_move move ON move.id = rel.move_id
             LEFT JOIN fr_dunning_run run ON run.id = event.run_id
                 WHERE event.company_id = %(company)s
                   AND event.partner_id = ANY(%(partners)s)
                   AND event.level_id = ANY(%(levels)s)
                   AND event.event_type IN ('reminder', 'call_planned')
                   AND rel.move_id = ANY(%(moves)s)
                   -- the run's day is the company's day; an event outside a run, its UTC day
                   AND (move.fr_dunning_last_date IS NULL
                        OR COALESCE(run.date, event.date::date) > move.fr_dunning_last_date)
              GROUP BY event.partner_id, event.currency_id, event.level_id, event.channel
                """,
                company=company.id,
                partners=list({plan.partner.id for plan in plans}),
                levels=list({plan.level.id for plan in plans}),
                moves=moves,
            )
        )
        sent, last = {}, {}
        for partner_id, currency_id, level_id, channel, day in rows:
            key = (partner_id, currency_id, level_id)
            sent.setdefault(key, set()).add(LEVEL_CHANNEL.get(channel, channel))
            last[key] = max(last.get(key, day), day)
        keys = {id(plan): (plan.partner.id, plan.currency.id, plan.level.id) for plan in plans}
        return (
            {plan_id: frozenset(sent[key]) for plan_id, key in keys.items() if key in sent},
            {plan_id: last[key] for plan_id, key in keys.items() if key in last},
        )
