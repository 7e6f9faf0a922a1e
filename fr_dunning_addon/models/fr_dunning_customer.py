# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_READERS, guarded
from .fr_dunning_level import TIERS


class FrDunningCustomer(models.Model):
    """One line per customer and company with open invoices: what they owe, by
    age, in dispute, promised, in a plan or in litigation, and how far the
    dunning went. Computed by one grouped query (aged as of today), so every
    column can be sorted, filtered, grouped and pivoted."""

    _name = "fr.dunning.customer"
    _description = "Customer receivables follow-up"
    _auto = False
    _order = "total_overdue desc, id"
    _rec_name = "partner_id"
    _depends = {
        "account.move": [
            "move_type",
            "state",
            "payment_state",
            "company_id",
            "commercial_partner_id",
            "amount_residual_signed",
            "fr_dunning_due_date",
            "fr_dunning_blocked",
            "fr_dunning_level_id",
            "fr_dunning_next_date",
        ],
        "account.move.line": ["display_type", "date_maturity", "reconciled", "amount_residual"],
        "fr.dunning.level": ["tier", "offset_days"],
        "res.partner": [
            "user_id",
            "email",
            "country_id",
            "fr_dunning_responsible_id",
            "fr_dunning_excluded",
        ],
        "fr.dunning.promise": ["state", "move_ids"],
    }

    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    level_id = fields.Many2one(comodel_name="fr.dunning.level", string="Dunning level", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Salesperson", readonly=True)
    responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Dunning responsible",
        readonly=True,
        help="The customer's dunning responsible in this company, else its salesperson.",
    )
    country_id = fields.Many2one(comodel_name="res.country", readonly=True)
    excluded = fields.Boolean(string="Excluded from automatic dunning", readonly=True)
    promise_broken = fields.Boolean(
        string="Promise broken",
        readonly=True,
        help="A promise to pay on invoices still open was broken.",
    )
    has_email = fields.Boolean(string="Has an email address", readonly=True)
    tier = fields.Selection(selection=TIERS, readonly=True)
    invoice_count = fields.Integer(string="Open invoices", readonly=True)
    total_due = fields.Monetary(string="Total due", readonly=True)
    total_overdue = fields.Monetary(string="Overdue", readonly=True)
    not_due = fields.Monetary(string="Not due", readonly=True)
    aged_1_30 = fields.Monetary(string="1-30 days", readonly=True)
    aged_31_60 = fields.Monetary(string="31-60 days", readonly=True)
    aged_61_90 = fields.Monetary(string="61-90 days", readonly=True)
    aged_over_90 = fields.Monetary(string="Over 90 days", readonly=True)
    disputed = fields.Monetary(string="In dispute", readonly=True)
    promised = fields.Monetary(readonly=True)
    in_plan = fields.Monetary(string="In a payment plan", readonly=True)
    in_litigation = fields.Monetary(string="In litigation", readonly=True)
    in_proceedings = fields.Monetary(string="In collective proceedings", readonly=True)
    excluded_amount = fields.Monetary(string="Excluded by the accountant", readonly=True)
    oldest_days = fields.Integer(string="Oldest overdue (days)", readonly=True, aggregator="max")
    next_date = fields.Date(string="Next dunning action", readonly=True)

    @property
    def _table_query(self):
        # Amounts in company currency; each unpaid instalment aged as of today
        # from its own due date (account_move_overdue): an invoice whose first
        # half is late and second half not due counts in both columns.
        today = fields.Date.context_today(self)
        Move = self.env["account.move"]
        return SQL(
            """
            SELECT MIN(m.id) AS id,
                   m.company_id,
                   m.partner_id,
                   m.currency_id,
                   m.user_id,
                   m.responsible_id,
                   m.country_id,
                   m.excluded,
                   m.has_email,
                   BOOL_OR(m.promise_broken) AS promise_broken,
                   COUNT(DISTINCT m.id) AS invoice_count,
                   (ARRAY_AGG(m.level_id ORDER BY m.level_offset DESC NULLS LAST))[1] AS level_id,
                   (ARRAY_AGG(m.tier ORDER BY m.level_offset DESC NULLS LAST))[1] AS tier,
                   SUM(m.due) AS total_due,
                   SUM(m.due) FILTER (WHERE m.late) AS total_overdue,
                   SUM(m.due) FILTER (WHERE NOT m.late) AS not_due,
                   SUM(m.due) FILTER (WHERE m.age BETWEEN 1 AND 30) AS aged_1_30,
                   SUM(m.due) FILTER (WHERE m.age BETWEEN 31 AND 60) AS aged_31_60,
                   SUM(m.due) FILTER (WHERE m.age BETWEEN 61 AND 90) AS aged_61_90,
                   SUM(m.due) FILTER (WHERE m.age > 90) AS aged_over_90,
                   SUM(m.due) FILTER (WHERE m.paused = 'dispute') AS disputed,
                   SUM(m.due) FILTER (WHERE m.paused = 'promise') AS promised,
                   SUM(m.due) FILTER (WHERE m.paused = 'payment_plan') AS in_plan,
                   SUM(m.due) FILTER (WHERE m.paused = 'litigation') AS in_litigation,
                   SUM(m.due) FILTER (WHERE m.paused = 'proceedings') AS in_proceedings,
                   SUM(m.due) FILTER (WHERE m.paused = 'excluded') AS excluded_amount,
                   GREATEST(MAX(m.age), 0) AS oldest_days,
                   MIN(m.next_date) AS next_date
              FROM (
                    SELECT move.id,
                           move.company_id,
                           move.commercial_partner_id AS partner_id,
                           company.currency_id,
                           customer.user_id,
                           -- company-dependent fields: jsonb keyed by company id
                           COALESCE(
                               (customer.fr_dunning_responsible_id ->> move.company_id::text)::int,
                               customer.user_id
                           ) AS responsible_id,
                           customer.country_id,
                           COALESCE(
                               (customer.fr_dunning_excluded ->> move.company_id::text)::boolean, FALSE
                           ) AS excluded,
                           EXISTS(
                               SELECT 1
                                 FROM account_move_fr_dunning_promise_rel rel
                                 JOIN fr_dunning_promise promise
                                   ON promise.id = rel.fr_dunning_promise_id
                                WHERE rel.account_move_id = move.id
                                  AND promise.state = 'broken'
                           ) AS promise_broken,
                           COALESCE(customer.email, '') != '' AS has_email,
                           inst.residual AS due,
                           %(today)s - inst.due AS age,
                           %(late)s AS late,
                           move.fr_dunning_blocked AS paused,
                           move.fr_dunning_level_id AS level_id,
                           level.offset_days AS level_offset,
                           level.tier,
                           move.fr_dunning_next_date AS next_date
                      FROM account_move move
                      JOIN %(instalments)s inst ON inst.move_id = move.id
                      JOIN res_company company ON company.id = move.company_id
                      JOIN res_partner customer ON customer.id = move.commercial_partner_id
                 LEFT JOIN fr_dunning_level level ON level.id = move.fr_dunning_level_id
                     WHERE %(open)s
                   ) m
          GROUP BY m.company_id, m.partner_id, m.currency_id, m.user_id, m.responsible_id,
                   m.country_id, m.excluded, m.has_email
            """,
            today=today,
            open=Move._fr_dunning_open_sql("move"),
            instalments=Move._fr_dunning_instalments_sql(),
            late=law.instalment_late_sql(SQL("inst.due"), today),
        )

    @guarded(GROUP_READERS, "read")
    def action_open_partner(self):
        """The customer's follow-up, in this line's company."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).action_fr_dunning_follow_up()

    @guarded(GROUP_READERS, "read")
    def action_open_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.partner_id.name,
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [
                *self.env["account.move"]._fr_dunning_open_domain(self.company_id),
                ("commercial_partner_id", "=", self.partner_id.id),
            ],
        }
