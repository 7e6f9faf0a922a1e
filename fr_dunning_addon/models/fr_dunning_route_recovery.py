# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dashboard's recovery per route: how much of what each route was given
came back in cash, and how long it took.

A *file* of a route is:

- for a litigation route (injunction, small claims, agency...), a litigation
  of the company: it starts on its hand-over date and was given its amount
  handed over;
- for the amicable route, an invoice chased by the company's reminders (a
  reminder, a letter or a call) and never handed over to litigation: it starts
  on its first reminder and was given what it still owed that day (its total
  less what was matched with it before).

*Collected* is the cash matched with the file's invoices (a payment or a bank
statement line, in a bank, cash or card journal; credit notes and write-offs
are not cash) from the file's start to its end (today for a file still open),
at most what the file was given. The **recovery rate** of a route is the sum
collected over the sum given, for all its files. The **time to cash** of a
file is the number of days from its start to the day the cash collected
reached what it was given; a file partly collected has none yet, and a route's
**average time to cash** is over its files fully collected (their count is
shown beside it). Everything in the company's currency, in one query.
"""

from odoo import Command, api, fields, models
from odoo.tools import SQL

from .fr_dunning_dashboard import COMMUNICATION_TYPES

# The journals whose entries are cash received.
CASH_JOURNAL_TYPES = ("bank", "cash", "credit")


class FrDunningDashboard(models.TransientModel):
    _inherit = "fr.dunning.dashboard"

    route_line_ids = fields.One2many(
        comodel_name="fr.dunning.dashboard.line",
        inverse_name="dashboard_id",
        string="By route",
        domain=[("kind", "=", "route")],
    )

    @api.model
    def _figures(self, company, today):
        # EXTENDS fr.dunning.dashboard: the recovery per route.
        values = super()._figures(company, today)
        values["route_line_ids"] = [Command.create(vals) for vals in self._route_lines(company, today)]
        return values

    @api.model
    def _route_lines(self, company, today):
        """One line per route with files: given, collected, rate, files,
        files fully collected and their average days to cash."""
        for model in ("fr.dunning.litigation", "fr.dunning.event", "account.move"):
            self.env[model].check_access("read")
        rows = {row[0]: row for row in self._route_figures(company, today)}
        order = [code for code, _label in self.env["fr.dunning.dashboard.line"]._route_selection()]
        lines = []
        routes = sorted(rows, key=lambda r: order.index(r) if r in order else len(order))
        for rank, route in enumerate(routes):
            _route, handed, collected, files, paid, days = rows[route]
            lines.append(
                {
                    "kind": "route",
                    "sequence": rank,
                    "route": route,
                    "handed_amount": handed,
                    "collected_amount": collected,
                    "route_rate": collected / handed * 100 if handed else 0.0,
                    "file_count": files,
                    "paid_count": paid,
                    "cash_days": days or 0.0,
                }
            )
        return lines

    @api.model
    def _route_figures(self, company, today):
        """[(route, given, collected, files, files fully collected, average
        days to cash)] of ``company`` on ``today``: the SQL of the module's
        docstring. Read after the caller checked the access."""
        self.env.flush_all()
        relation = self.env["fr.dunning.litigation"]._fields["move_ids"]
        half_cent = company.currency_id.rounding / 2
        return self.env.execute_query(
            SQL(
                """
            WITH reminded AS (
                SELECT rel.move_id, MIN(event.date)::date AS start
                  FROM fr_dunning_event event
                  JOIN fr_dunning_event_account_move_rel rel ON rel.event_id = event.id
                 WHERE event.company_id = %(company)s AND event.event_type IN %(types)s
              GROUP BY rel.move_id
            ), file_moves AS (
                SELECT lit.id AS file_id, lit.route, lit.date_start AS start,
                       COALESCE(lit.date_end, %(today)s) AS stop, lit.handover_amount AS given,
                       rel.%(move_col)s AS move_id
                  FROM fr_dunning_litigation lit
                  JOIN %(relation)s rel ON rel.%(file_col)s = lit.id
                 WHERE lit.company_id = %(company)s AND lit.date_start <= %(today)s
             UNION ALL
                SELECT -move.id, 'amicable', reminded.start, %(today)s,
                       move.amount_total_signed - COALESCE(before.amount, 0), move.id
                  FROM reminded
                  JOIN account_move move ON move.id = reminded.move_id
                       AND move.move_type = 'out_invoice' AND move.state = 'posted'
             LEFT JOIN LATERAL (
                        SELECT SUM(part.amount) AS amount
                          FROM account_move_line line
                          JOIN account_partial_reconcile part ON part.debit_move_id = line.id
                         WHERE line.move_id = move.id AND line.display_type = 'payment_term'
                           AND part.max_date < reminded.start
                       ) before ON TRUE
                 WHERE reminded.start <= %(today)s
                   AND NOT EXISTS (SELECT 1 FROM %(relation)s lit_rel WHERE lit_rel.%(move_col)s = move.id)
            ), days AS (
                -- the cash matched with each file's invoices, by day, within the file's life
                SELECT fm.file_id, part.max_date AS day, SUM(part.amount) AS amount
                  FROM file_moves fm
                  JOIN account_move_line line
                    ON line.move_id = fm.move_id AND line.display_type = 'payment_term'
                  JOIN account_partial_reconcile part ON part.debit_move_id = line.id
                  JOIN account_move_line counter ON counter.id = part.credit_move_id
                  JOIN account_journal journal ON journal.id = counter.journal_id
                 WHERE journal.type IN %(cash_types)s AND part.max_date BETWEEN fm.start AND fm.stop
              GROUP BY fm.file_id, part.max_date
            ), running AS (
                SELECT file_id, day, amount, SUM(amount) OVER (PARTITION BY file_id ORDER BY day) AS total
                  FROM days
            ), files AS (
                SELECT DISTINCT file_id, route, start, given FROM file_moves WHERE given > 0
            ), per_file AS (
                SELECT files.route, files.start, files.given,
                       LEAST(files.given, COALESCE(SUM(running.amount), 0)) AS collected,
                       MIN(running.day) FILTER (WHERE running.total >= files.given - %(half_cent)s)
                           AS cash_day
                  FROM files
             LEFT JOIN running ON running.file_id = files.file_id
              GROUP BY files.file_id, files.route, files.start, files.given
            )
            SELECT route, SUM(given)::float, SUM(collected)::float, COUNT(*), COUNT(cash_day),
                   AVG(cash_day - start)::float
              FROM per_file
          GROUP BY route
                """,
                company=company.id,
                today=today,
                types=COMMUNICATION_TYPES,
                cash_types=CASH_JOURNAL_TYPES,
                relation=SQL.identifier(relation.relation),
                file_col=SQL.identifier(relation.column1),
                move_col=SQL.identifier(relation.column2),
                half_cent=half_cent,
            )
        )


class FrDunningDashboardLine(models.TransientModel):
    _inherit = "fr.dunning.dashboard.line"

    kind = fields.Selection(
        selection_add=[("route", "By route")],
        ondelete={"route": "cascade"},
    )
    route = fields.Selection(
        selection="_route_selection",
    )
    handed_amount = fields.Monetary(
        string="Given",
        help="Litigation routes: the amounts handed over. Amicable: what the invoices chased still owed "
        "on their first reminder.",
    )
    collected_amount = fields.Monetary(
        string="Collected",
        help="The cash matched with the files' invoices since their start, at most what each file was given.",
    )
    route_rate = fields.Float(
        string="Recovery rate (%)",
        digits=(16, 1),
        help="Collected / given.",
    )
    file_count = fields.Integer(
        string="Files",
        help="Litigation routes: the files handed over. Amicable: the invoices chased, never handed over.",
    )
    paid_count = fields.Integer(
        string="Fully collected",
    )
    cash_days = fields.Float(
        string="Average days to cash",
        digits=(16, 1),
        help="From the hand-over (amicable: the first reminder) to the day the cash collected reached what "
        "the file was given, averaged over the files fully collected.",
    )

    @api.model
    def _route_selection(self):
        return [
            ("amicable", self.env._("Amicable (reminders)")),
            *self.env["fr.dunning.litigation"]._fields["route"]._description_selection(self.env),
        ]
