# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The nightly reminders of the credit-insurance deadlines.

At the start of each call of the nightly cron, before the escalation's
batches: the insured invoices whose overdue report date or claim date comes
within the policy's notice days give their customer's dunning responsible a
to-do on the customer's cover, one per cover and night, listing the
invoices. Each invoice keeps the original due date it was reminded for (its
own technical columns): a second night finds nothing to do, a new original due
date (the next instalment) is reminded again. One bounded batch of covers per
call, committed by Odoo's cron runner with its to-dos, so a crash loses the
current batch only.
"""

import functools
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .fr_dunning_evidence import reader_writers
from .fr_dunning_insurance_policy import latest_due_date

_logger = logging.getLogger(__name__)


class FrDunningEscalation(models.AbstractModel):
    _inherit = "fr.dunning.escalation"

    @api.model
    def _cron_fr_dunning_escalate(self, batch_size=500):
        # EXTENDS fr_dunning_addon: the insurance deadlines first, one batch
        # of covers per call while some are left, then the escalation.
        done, left = self._fr_dunning_insurance_remind(fields.Date.context_today(self), batch_size)
        if left:
            self.env["ir.cron"]._notify_progress(done=done, remaining=1)
            return None
        return super()._cron_fr_dunning_escalate(batch_size=batch_size)

    @api.model
    def _fr_dunning_insurance_remind(self, today, batch_size=500):
        """Give the to-dos of the insurance deadlines due on ``today``, for at
        most ``batch_size`` covers; returns (to-dos given, whether covers may
        be left)."""
        policies = self.env["fr.dunning.insurance.policy"].sudo().search([("active", "=", True)], order="id")
        given, left = 0, False
        for policy in policies:
            rows = self._fr_dunning_insurance_todo(policy, today, batch_size)
            if not rows:
                continue
            given += self._fr_dunning_insurance_activities(policy, rows, today)
            covers = {row[1] for row in rows}
            _logger.info(
                "fr_dunning insurance %s: %s to-dos for %s invoices of %s customers",
                policy.company_id.name,
                given,
                len(rows),
                len(covers),
            )
            if len(covers) >= batch_size:
                left = True
                break
            batch_size -= len(covers)
        return given, left

    @api.model
    def _fr_dunning_insurance_todo(self, policy, today, limit):
        """The insured open invoices of ``policy``'s company whose overdue
        report or claim is to be reminded on ``today``, for at most ``limit``
        covers: rows (invoice id, cover id, original due date, claim due).

        The covers go into the query as a list of values, which PostgreSQL
        counts exactly: joined to the invoices by a hash on the customer,
        whatever the statistics of a cover table just filled (read as one row,
        they made it scan the invoices once per cover: 45 s for 1 800 covers)."""
        covers = policy.sudo().cover_ids
        if not covers:
            return []
        notice_day = today + timedelta(days=policy.notice_days)
        Move = self.env["account.move"]
        Move.flush_model(
            [
                "fr_dunning_due_date",
                "fr_dunning_blocked",
                "fr_dunning_is_penalty_invoice",
                "fr_dunning_insurance_report_warned",
                "fr_dunning_insurance_claim_warned",
                "fr_dunning_insurance_reported",
            ]
        )
        return self.env.execute_query(
            SQL(
                """
                WITH todo AS (
                    SELECT move.id,
                           cover.id AS cover_id,
                           move.fr_dunning_due_date AS due,
                           move.fr_dunning_due_date <= %(claim_due)s AS claim
                      FROM account_move move
                      JOIN unnest(%(ids)s::int[], %(partners)s::int[], %(starts)s::date[], %(ends)s::date[])
                           AS cover(id, partner_id, date_start, date_end)
                        ON %(covered)s
                     WHERE %(open)s
                       AND move.company_id = %(company)s
                       AND NOT COALESCE(move.fr_dunning_is_penalty_invoice, FALSE)
                       AND move.fr_dunning_blocked IS DISTINCT FROM 'dispute'
                       AND (
                            (move.fr_dunning_due_date <= %(claim_due)s
                             AND move.fr_dunning_insurance_claim_warned
                                 IS DISTINCT FROM move.fr_dunning_due_date)
                         OR (move.fr_dunning_due_date <= %(report_due)s
                             AND move.fr_dunning_insurance_reported IS NULL
                             AND move.fr_dunning_insurance_report_warned
                                 IS DISTINCT FROM move.fr_dunning_due_date)
                       )
                )
                SELECT id, cover_id, due, claim
                  FROM todo
                 WHERE cover_id IN (SELECT DISTINCT cover_id FROM todo ORDER BY cover_id LIMIT %(limit)s)
              ORDER BY cover_id, due, id
                """,
                ids=covers.ids,
                partners=[cover.partner_id.id for cover in covers],
                starts=[cover.date_start for cover in covers],
                ends=[cover.date_end or None for cover in covers],
                company=policy.company_id.id,
                open=Move._fr_dunning_open_sql("move"),
                covered=self.env["fr.dunning.insurance.cover"]._cover_sql("move", "cover"),
                report_due=latest_due_date(notice_day, policy.report_days),
                claim_due=latest_due_date(notice_day, policy.claim_days),
                limit=limit,
            )
        )

    @api.model
    def _fr_dunning_insurance_activities(self, policy, rows, today):
        """One to-do per cover for ``rows`` (Odoo subscribes the to-do's user
        to its record once per created to-do: two on one record in one create
        would subscribe twice), its claims first, then its overdue reports;
        and the invoices marked as reminded. Returns the count."""
        Move = self.env["account.move"].sudo()
        Cover = self.env["fr.dunning.insurance.cover"].sudo()
        moves = Move.browse([row[0] for row in rows])
        covers = Cover.browse({row[1] for row in rows})
        ids = defaultdict(lambda: {True: [], False: []})
        for move_id, cover_id, _due, claim in rows:
            ids[cover_id][claim].append(move_id)
        # Each cover's invoices read with all the others' (one query per 1 000).
        by_cover = {
            cover_id: {
                claim: Move.browse(move_ids).with_prefetch(moves._prefetch_ids)
                for claim, move_ids in kinds.items()
            }
            for cover_id, kinds in ids.items()
        }
        # Each to-do in the language of the one who reads it.
        writer = reader_writers(self.env)
        insurer = policy._insurer_name()

        @functools.cache
        def intros(lang_env):
            return {
                True: lang_env._(
                    "Declare the claim (déclaration de sinistre) on these unpaid invoices to %(insurer)s "
                    "before its deadline, counted from their original due date, or the cover may be lost:",
                    insurer=insurer,
                ),
                False: lang_env._(
                    "Report these overdue invoices (déclaration de menace de sinistre) to %(insurer)s "
                    "before the deadline, counted from their original due date, or the cover may be lost:",
                    insurer=insurer,
                ),
            }

        todo_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(Cover._name)
        vals_list = []
        for cover in covers:
            partner = cover.partner_id
            user = self._responsible(partner, policy.company_id, policy.user_id)
            lang_env, formats = writer(user, policy.company_id)
            note, deadlines = Markup(), {}
            for claim in (True, False):
                invoices = by_cover[cover.id][claim]
                if not invoices:
                    continue
                deadline_of = policy._claim_date if claim else policy._report_date
                dates = {move: deadline_of(move.fr_dunning_due_date) for move in invoices}
                deadlines[claim] = min(dates.values())
                items = Markup().join(
                    Markup("<li>%s</li>")
                    % lang_env._(
                        "%(invoice)s: due on %(due)s, %(amount)s unpaid, deadline %(deadline)s",
                        invoice=move.name,
                        due=formats.date(move.fr_dunning_due_date),
                        amount=formats.lang_amount(move.amount_residual, move.currency_id),
                        deadline=formats.date(dates[move]),
                    )
                    for move in sorted(invoices, key=lambda m, d=dates: (d[m], m.id))
                )
                note += Markup("<p>%s</p><ul>%s</ul>") % (intros(lang_env)[claim], items)
            claim = True in deadlines
            values = {"customer": partner.name, "insurer": insurer, "date": formats.date(deadlines[claim])}
            if claim:
                summary = lang_env._("Claim on %(customer)s to %(insurer)s by %(date)s", **values)
            else:
                summary = lang_env._(
                    "Report the overdue of %(customer)s to %(insurer)s by %(date)s", **values
                )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": cover.id,
                    "activity_type_id": todo_type.id,
                    "date_deadline": min(deadlines.values()),
                    "summary": summary,
                    "note": note,
                    "user_id": user.id,
                }
            )
        # The to-dos land on the covers, which dunning users may only read.
        self.env["mail.activity"].sudo().create(vals_list)
        claimed = [row[0] for row in rows if row[3]]
        # The addon's own columns, in two statements: each invoice keeps the
        # original due date it was reminded for. A claim reminder stands for
        # the overdue report too (its date passed long before).
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET fr_dunning_insurance_report_warned = fr_dunning_due_date "
                "WHERE id = ANY(%s)",
                moves.ids,
            )
        )
        if claimed:
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET fr_dunning_insurance_claim_warned = fr_dunning_due_date "
                    "WHERE id = ANY(%s)",
                    claimed,
                )
            )
        moves.invalidate_recordset(
            ["fr_dunning_insurance_report_warned", "fr_dunning_insurance_claim_warned"]
        )
        return len(vals_list)
