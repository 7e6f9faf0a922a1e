# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

from .account_move import paid_date_sql
from .fr_dunning_access import GROUP_READERS, guarded
from .fr_dunning_level import TIERS

# A reminder "recovers" an invoice when the invoice is fully paid within this
# many days after it (the definition of the recovery rate).
RECOVERY_DAYS = 15
# The events that are reminders sent to the customer.
COMMUNICATION_TYPES = ("reminder", "letter", "registered_letter", "call")
# A level's recovery rate counts the invoices chased at that level, a call
# planned by the escalation included (a level may chase by phone only).
LEVEL_TYPES = (*COMMUNICATION_TYPES, "call_planned")
# The simple DSO looks at the sales of this many days.
DSO_DAYS = 365
# The count-back DSO walks back at most this many months.
COUNT_BACK_MONTHS = 24


def dso_simple(receivables, sales, days=DSO_DAYS):
    """Simple (or average) method: receivables / sales of the period x days."""
    return receivables / sales * days if sales > 0 else 0.0


def dso_count_back(receivables, monthly_sales, today):
    """Count-back method: take the months' sales back from the current month
    (to ``today``) until they add up to the receivables; whole months count
    all their days, the last one pro rata. ``monthly_sales``: {first day of
    the month: sales incl. VAT}."""
    remaining, days = receivables, 0.0
    month = today.replace(day=1)
    for _step in range(COUNT_BACK_MONTHS):
        length = (
            today.day if month == today.replace(day=1) else calendar.monthrange(month.year, month.month)[1]
        )
        sales = monthly_sales.get(month, 0.0)
        if remaining <= 0:
            break
        if sales > 0 and remaining <= sales:
            return days + remaining / sales * length
        remaining -= max(sales, 0.0)
        days += length
        month -= relativedelta(months=1)
    return days


class FrDunningRecovery(models.Model):
    """One line per invoice and level it was chased at: was it paid within 15
    days of that level's first reminder? Averaged by level, it is the level's recovery rate. Only the
    reminders whose 15 days are over count."""

    _name = "fr.dunning.recovery"
    _description = "Dunning recovery by reminder"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "fr.dunning.event": ["date", "event_type", "level_id", "channel", "company_id", "partner_id"],
        "account.move": ["payment_state", "amount_total_signed"],
        "account.partial.reconcile": ["max_date"],
    }

    date = fields.Date(string="Reminder date", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    event_id = fields.Many2one(comodel_name="fr.dunning.event", string="Reminder", readonly=True)
    move_id = fields.Many2one(comodel_name="account.move", string="Invoice", readonly=True)
    level_id = fields.Many2one(comodel_name="fr.dunning.level", readonly=True)
    tier = fields.Selection(selection=TIERS, readonly=True)
    channel = fields.Selection(
        selection=lambda self: self.env["fr.dunning.event"]._fields["channel"].selection,
        readonly=True,
    )
    paid_date = fields.Date(string="Paid on", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    amount = fields.Monetary(string="Invoice total", readonly=True)
    recovered = fields.Float(
        string="Recovery rate (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the invoice was paid within 15 days after the reminder, else 0: averaged, "
        "the share of invoices recovered.",
    )
    recovered_count = fields.Integer(string="Paid within 15 days", readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT DISTINCT ON (rel.move_id, event.level_id)
                   (rel.event_id::bigint << 32) + rel.move_id AS id,
                   event.date::date AS date,
                   event.company_id,
                   event.partner_id,
                   rel.event_id,
                   rel.move_id,
                   event.level_id,
                   level.tier,
                   event.channel,
                   paid.paid_date,
                   company.currency_id,
                   move.amount_total_signed AS amount,
                   CASE WHEN paid.paid_date <= event.date::date + %(days)s
                        THEN 100.0 ELSE 0.0 END AS recovered,
                   CASE WHEN paid.paid_date <= event.date::date + %(days)s
                        THEN 1 ELSE 0 END AS recovered_count
              FROM fr_dunning_event event
              JOIN fr_dunning_event_account_move_rel rel ON rel.event_id = event.id
              JOIN account_move move ON move.id = rel.move_id AND move.move_type = 'out_invoice'
              JOIN res_company company ON company.id = event.company_id
         LEFT JOIN fr_dunning_level level ON level.id = event.level_id
         LEFT JOIN LATERAL (SELECT %(paid_date)s AS paid_date) paid ON TRUE
             WHERE event.event_type IN %(types)s
               AND event.level_id IS NOT NULL
               AND event.date::date <= %(closed)s
          -- One line per invoice and level (a level sends an email, a letter
          -- and a call at once): the first communication of that level.
          ORDER BY rel.move_id, event.level_id, event.date, event.id
            """,
            paid_date=paid_date_sql("move"),
            days=RECOVERY_DAYS,
            types=LEVEL_TYPES,
            closed=today - timedelta(days=RECOVERY_DAYS),
        )


class FrDunningDashboard(models.TransientModel):
    """The receivables at a glance, as of today, for the current company:
    DSO both ways, aging, paused amounts, overdue and recovery per level, and
    the ten customers who owe the most past due. Every figure is a grouped
    query; the buttons open the pivots behind them."""

    _name = "fr.dunning.dashboard"
    _description = "Dunning dashboard"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    receivables = fields.Monetary(
        string="Customer receivables",
        help="Balance of the customer receivable accounts: invoices still due, less credit notes "
        "and payments not yet matched, all taxes included.",
    )
    sales_year = fields.Monetary(
        string="Sales of the last 12 months",
        help="Customer invoices less credit notes, all taxes included, dated in the last 365 days.",
    )
    dso_simple = fields.Float(
        string="DSO, simple method (days)",
        digits=(16, 1),
        help="Receivables / sales of the last 12 months x 365. Smooths the seasons out.",
    )
    dso_count_back = fields.Float(
        string="DSO, count-back method (days)",
        digits=(16, 1),
        help="The receivables are matched against the sales of the current month, then of the "
        "months before, until exhausted: whole months count all their days, the last one pro "
        "rata. Follows recent sales.",
    )
    total_due = fields.Monetary(string="Invoices still due")
    not_due = fields.Monetary(string="Not due")
    aged_1_30 = fields.Monetary(string="1-30 days")
    aged_31_60 = fields.Monetary(string="31-60 days")
    aged_61_90 = fields.Monetary(string="61-90 days")
    aged_over_90 = fields.Monetary(string="Over 90 days")
    total_overdue = fields.Monetary(string="Overdue")
    disputed = fields.Monetary(string="In dispute")
    promised = fields.Monetary()
    in_plan = fields.Monetary(string="In a payment plan")
    in_litigation = fields.Monetary(string="In litigation")
    customer_count = fields.Integer(string="Customers overdue")
    reminder_count = fields.Integer(
        string="Reminders (30 days)",
        help="Reminders sent in the last 30 days, all channels.",
    )
    level_line_ids = fields.One2many(
        comodel_name="fr.dunning.dashboard.line",
        inverse_name="dashboard_id",
        string="By level",
        domain=[("kind", "=", "level")],
    )
    top_line_ids = fields.One2many(
        comodel_name="fr.dunning.dashboard.line",
        inverse_name="dashboard_id",
        string="Top 10 late payers",
        domain=[("kind", "=", "top")],
    )

    @api.depends("date")
    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = self.env._("Dunning dashboard")

    @api.model
    def _figures(self, company, today):
        """Every figure of the dashboard as a dict (create values)."""
        Move = self.env["account.move"]
        [[receivables]] = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", company.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ],
            [],
            ["amount_residual:sum"],
        )
        sales_domain = [
            ("company_id", "=", company.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("invoice_date", "<=", today),
        ]
        [[sales_year]] = Move._read_group(
            [*sales_domain, ("invoice_date", ">", today - timedelta(days=DSO_DAYS))],
            [],
            ["amount_total_signed:sum"],
        )
        first_month = today.replace(day=1) - relativedelta(months=COUNT_BACK_MONTHS - 1)
        monthly = {
            month: amount
            for month, amount in Move._read_group(
                [*sales_domain, ("invoice_date", ">=", first_month)],
                ["invoice_date:month"],
                ["amount_total_signed:sum"],
            )
        }
        monthly = {(m if isinstance(m, date) else m.date()): a for m, a in monthly.items()}
        Customer = self.env["fr.dunning.customer"]
        measures = [
            "total_due",
            "not_due",
            "aged_1_30",
            "aged_31_60",
            "aged_61_90",
            "aged_over_90",
            "total_overdue",
            "disputed",
            "promised",
            "in_plan",
            "in_litigation",
        ]
        [totals] = Customer._read_group([("company_id", "=", company.id)], [], [f"{m}:sum" for m in measures])
        # Customers with something overdue (straight from the invoices: the
        # customer report is an aggregation of its own).
        [[customer_count]] = Move._read_group(
            [*Move._fr_dunning_open_domain(company), ("fr_dunning_due_date", "<", today)],
            [],
            ["commercial_partner_id:count_distinct"],
        )
        [[reminder_count]] = self.env["fr.dunning.event"]._read_group(
            [
                ("company_id", "=", company.id),
                ("event_type", "in", COMMUNICATION_TYPES),
                ("date", ">", fields.Datetime.to_datetime(today - timedelta(days=30))),
            ],
            [],
            ["__count"],
        )
        values = dict(zip(measures, (total or 0.0 for total in totals), strict=True))
        values.update(
            company_id=company.id,
            date=today,
            receivables=receivables or 0.0,
            sales_year=sales_year or 0.0,
            dso_simple=dso_simple(receivables or 0.0, sales_year or 0.0),
            dso_count_back=dso_count_back(receivables or 0.0, monthly, today),
            customer_count=customer_count,
            reminder_count=reminder_count,
        )
        values["level_line_ids"] = [Command.create(vals) for vals in self._level_lines(company, today)]
        values["top_line_ids"] = [
            Command.create(
                {
                    "kind": "top",
                    "sequence": rank,
                    "partner_id": row.partner_id.id,
                    "level_id": row.level_id.id,
                    "amount": row.total_overdue,
                    "oldest_days": row.oldest_days,
                }
            )
            for rank, row in enumerate(
                Customer.search([("company_id", "=", company.id), ("total_overdue", ">", 0)], limit=10)
            )
        ]
        return values

    @api.model
    def _level_lines(self, company, today):
        """Overdue amount and invoices per level (each invoice at its own level),
        and each level's recovery rate over the last 12 months."""
        Move = self.env["account.move"]
        Level = self.env["fr.dunning.level"]
        # The late instalments' residual (account_move_overdue), through the
        # ORM's query (its record rules) grouped in SQL.
        query = Move._search(
            [
                *Move._fr_dunning_open_domain(company),
                ("fr_dunning_due_date", "<", today),
                ("fr_dunning_level_id", "!=", False),
            ]
        )
        late, _late_currency = Move._fr_dunning_join_late(query, today)
        overdue = {
            Level.browse(level_id): (amount, count)
            for level_id, amount, count in self.env.execute_query(
                SQL(
                    """SELECT "account_move".fr_dunning_level_id, SUM(%s), COUNT(*)
                         FROM %s WHERE %s GROUP BY 1""",
                    late,
                    query.from_clause,
                    query.where_clause,
                )
            )
        }
        recovery = {
            level: (rate, count)
            for level, rate, count in self.env["fr.dunning.recovery"]._read_group(
                [("company_id", "=", company.id), ("date", ">", today - timedelta(days=DSO_DAYS))],
                ["level_id"],
                ["recovered:avg", "__count"],
            )
        }
        levels = Level.browse({lvl.id for lvl in [*overdue, *recovery]}).sorted(
            lambda lvl: (lvl.offset_days, lvl.policy_id.sequence, lvl.id)
        )
        return [
            {
                "kind": "level",
                "sequence": rank,
                "level_id": level.id,
                "amount": overdue.get(level, (0.0, 0))[0],
                "invoice_count": overdue.get(level, (0.0, 0))[1],
                "reminder_count": recovery.get(level, (0.0, 0))[1],
                "recovery_rate": recovery.get(level, (0.0, 0))[0],
            }
            for rank, level in enumerate(levels)
        ]

    @api.model
    def _open(self):
        dashboard = self.create(self._figures(self.env.company, fields.Date.context_today(self)))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dunning dashboard"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "target": "current",
        }

    @guarded(GROUP_READERS, "read")
    def action_refresh(self):
        return self._open()

    def _open_action(self, xmlid, **context):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["context"] = context
        return action

    @guarded(GROUP_READERS, "read")
    def action_open_aging(self):
        return self._open_action(
            "fr_dunning_addon.fr_dunning_customer_action", pivot_measures=["not_due", "aged_1_30"]
        )

    @guarded(GROUP_READERS, "read")
    def action_open_reminders(self):
        return self._open_action("fr_dunning_addon.fr_dunning_reminder_stats_action")

    @guarded(GROUP_READERS, "read")
    def action_open_recovery(self):
        return self._open_action("fr_dunning_addon.fr_dunning_recovery_action")


class FrDunningDashboardLine(models.TransientModel):
    _name = "fr.dunning.dashboard.line"
    _description = "Dunning dashboard line"
    _order = "sequence, id"

    dashboard_id = fields.Many2one(
        comodel_name="fr.dunning.dashboard",
        required=True,
        ondelete="cascade",
    )
    kind = fields.Selection(
        selection=[("level", "By level"), ("top", "Top late payer")],
        required=True,
    )
    sequence = fields.Integer()
    currency_id = fields.Many2one(related="dashboard_id.currency_id")
    level_id = fields.Many2one(comodel_name="fr.dunning.level")
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer")
    amount = fields.Monetary(string="Overdue")
    oldest_days = fields.Integer(string="Oldest overdue (days)")
    invoice_count = fields.Integer(string="Invoices")
    reminder_count = fields.Integer(
        string="Invoices reminded (12 months)",
        help="Invoices chased at this level in the last 12 months, 15 days ago or more.",
    )
    recovery_rate = fields.Float(
        string="Paid within 15 days (%)",
        digits=(16, 1),
    )

    @guarded(GROUP_READERS, "read")
    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id.action_fr_dunning_follow_up()
