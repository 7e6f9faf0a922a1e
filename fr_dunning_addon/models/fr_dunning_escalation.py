# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL

from .fr_dunning_access import GROUP_MANAGER, known_record
from .fr_dunning_formats import LangFormats
from .fr_dunning_level import TIER_RANK

_logger = logging.getLogger(__name__)


# The columns of account_move the plan reads, in this order.
PLAN_COLUMNS = (
    "id",
    "company_id",
    "commercial_partner_id",
    "currency_id",
    "fr_dunning_due_date",
    "amount_residual",
    "fr_dunning_level_id",
)
# First key of the PostgreSQL advisory lock of a company's escalation.
ESCALATION_LOCK = 4_418_301
# Minutes before the nightly cron tries again a batch it could not run.
RETRY_MINUTES = 2


@dataclass(frozen=True)
class Plan:
    """One communication the escalation plans: a customer's chaseable overdue
    invoices of one currency, at one level. What planning returns, what
    delivery sends and what the "To chase today" preview lists."""

    partner: object  # res.partner, the commercial entity
    currency: object  # res.currency
    level: object  # fr.dunning.level
    moves: object  # account.move: the invoices mentioned
    refunds: object  # account.move: open credit notes deducted
    advanced: dict  # {account.move: fr.dunning.level}: the invoices moving up, to which level
    total: float  # what the communication asks for, in ``currency``
    # Set by the daily limit of calls (fr_dunning_call_limit.py), read by delivery:
    # the channels of the level sent by an earlier run, whose call was postponed;
    earlier: frozenset = frozenset()
    # and whether this run's call is postponed: the invoices then keep their state.
    call_postponed: bool = False


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
        query = Move._search(domain, order="commercial_partner_id, fr_dunning_due_date, id")
        _late, late_currency = Move._fr_dunning_join_late(query, today)
        # Last column: what is late of each invoice, its late instalments
        # (account_move_overdue), which a communication claims.
        fetched = self.env.execute_query(
            query.select(
                SQL(", ").join(
                    [
                        *(SQL.identifier("account_move", name) for name in columns),
                        late_currency,
                    ]
                )
            )
        )
        if not fetched:
            return [], Counter()
        ordered_ids = [row[0] for row in fetched]
        rows = {row[0]: (row[2], row[3], row[4], row[5], row[7]) for row in fetched}
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
            partner_id, currency_id, _due, _residual, _late = rows[move_id]
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
            # A late invoice is claimed for its late instalments, one not late
            # yet (a preventive reminder) for all it owes.
            total = sum(
                rows[move_id][4] if rows[move_id][2] < today else rows[move_id][3]
                for move_id in mentioned_ids
            )
            total -= refund_totals[(partner_id, currency_id)]
            minimum = max(level.min_amount, company.fr_dunning_tolerance)
            if total - minimum < -currency.rounding / 2:  # compare_amounts(total, minimum) < 0
                skipped["amount"] += 1
                continue
            plans.append(
                Plan(
                    partner=self.env["res.partner"].browse(partner_id).with_prefetch(partner_prefetch),
                    currency=currency,
                    level=level,
                    moves=Move.browse(mentioned_ids).with_prefetch(move_prefetch),
                    refunds=Move.browse(refund_ids.get((partner_id, currency_id), [])),
                    advanced={
                        Move.browse(move_id).with_prefetch(move_prefetch): due_levels[move_id]
                        for move_id in advanced_ids
                    },
                    total=total,
                )
            )
        return plans, skipped

    @api.model
    def _deadline(self, level, moves, today):
        """The date the communication asks to pay by: the due date for a
        preventive reminder, else the level's deadline from today."""
        if level.tier == "preventive":
            upcoming = [due for due in moves.mapped("fr_dunning_due_date") if due >= today]
            return min(upcoming) if upcoming else today
        return today + timedelta(days=level.deadline_days)

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
    def _responsible(self, partner, company, fallback=None):
        """Who follows ``partner`` in ``company``: its dunning responsible, else
        its salesperson, else ``fallback``, else the current user, else the
        company's dunning managers.

        Never OdooBot: the nightly jobs run as the superuser, and a to-do
        given to it is read by nobody."""
        partner = partner.with_company(company)
        for user in (partner.fr_dunning_responsible_id, partner.user_id, fallback, self.env.user):
            if self._fr_dunning_can_follow(user):
                return user
        group = known_record(self.env, GROUP_MANAGER)
        managers = (
            group.sudo().users.filtered(lambda u: company in u.company_ids and self._fr_dunning_can_follow(u))
            if group
            else self.env["res.users"]
        ).sorted("id")
        admin = known_record(self.env, "base.user_admin")
        return managers[:1] or (admin if self._fr_dunning_can_follow(admin) else self.env.user)

    @api.model
    def _fr_dunning_can_follow(self, user):
        """Whether ``user`` can be given a dunning to-do: an active internal
        user, not the superuser (OdooBot)."""
        user = (user or self.env["res.users"]).sudo()
        return bool(user) and user.active and not user.share and not user._is_superuser()

    @api.model
    def _summary(self, plan, today, formats=None):
        """A short HTML statement of what the communication is about, in the
        user's language (``formats``: its LangFormats, when already made)."""
        formats = formats or LangFormats(self.env)
        rows = Markup()
        for move in plan.moves.sorted("fr_dunning_due_date"):
            rows += Markup("<li>%s — %s — %s</li>") % (
                move.name,
                formats.date(move.fr_dunning_due_date),
                formats.lang_amount(move.amount_residual, move.currency_id),
            )
        for refund in plan.refunds:
            rows += Markup("<li>%s — %s — %s</li>") % (
                self.env._("Credit note %(name)s", name=refund.name),
                formats.date(refund.invoice_date),
                formats.lang_amount(-refund.amount_residual, refund.currency_id),
            )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "%(level)s on %(date)s: %(amount)s due on these invoices:",
                level=plan.level.with_env(self.env).name,
                date=formats.date(today),
                amount=formats.lang_amount(plan.total, plan.currency),
            ),
            rows,
        )

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
                "fr_dunning_due_date",
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
                  AND NOT (level.preventive AND "account_move".fr_dunning_due_date < %s)""",
            [level.policy_id.id for level in levels],
            levels.mapped("offset_days"),
            [level.tier == "preventive" for level in levels],
            levels.mapped("min_interval_days"),
            min(levels.mapped("offset_days")) - 1,
            today,
        )
        query.add_where(
            SQL(
                """EXISTS(%s AND "account_move".fr_dunning_due_date + level.offset_days <= %s)
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
