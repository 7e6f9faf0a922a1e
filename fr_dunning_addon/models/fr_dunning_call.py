# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_level import TIERS


class FrDunningCall(models.Model):
    """ "Calls to make today": the dunning's call to-dos still open, one line
    each, with what the customer owes past due today, the largest amounts
    first. Read from the to-dos (``mail.activity`` of the call type, given
    by the escalation) and the ledger in one query; logging the call closes
    the to-do, and the line goes."""

    _name = "fr.dunning.call"
    _description = "Dunning call to make"
    _auto = False
    _order = "amount_due desc, date_deadline, id"
    _rec_name = "partner_id"
    _depends = {
        "mail.activity": [
            "res_model",
            "res_id",
            "user_id",
            "date_deadline",
            "summary",
            "active",
            "fr_dunning_company_id",
            "fr_dunning_level_id",
        ],
        "account.move": [
            "move_type",
            "state",
            "payment_state",
            "company_id",
            "commercial_partner_id",
            "amount_residual_signed",
            "fr_dunning_due_date",
        ],
        "account.move.line": ["display_type", "date_maturity", "reconciled", "amount_residual"],
    }

    activity_id = fields.Many2one(comodel_name="mail.activity", string="To-do", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Responsible", readonly=True)
    date_deadline = fields.Date(string="To call on", readonly=True)
    level_id = fields.Many2one(comodel_name="fr.dunning.level", string="Dunning level", readonly=True)
    tier = fields.Selection(selection=TIERS, readonly=True)
    summary = fields.Char(readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    amount_due = fields.Monetary(
        string="Amount due",
        readonly=True,
        help="What the customer owes past due in this company today, in the company's currency.",
    )
    invoice_count = fields.Integer(string="Overdue invoices", readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        calls = SQL(
            "activity.res_model = 'res.partner' AND activity.active "
            "AND activity.fr_dunning_company_id IS NOT NULL"
        )
        return SQL(
            """
            SELECT activity.id,
                   activity.id AS activity_id,
                   activity.fr_dunning_company_id AS company_id,
                   activity.res_id AS partner_id,
                   activity.user_id,
                   activity.date_deadline,
                   activity.fr_dunning_level_id AS level_id,
                   level.tier,
                   activity.summary,
                   company.currency_id,
                   COALESCE(owed.amount, 0) AS amount_due,
                   COALESCE(owed.invoice_count, 0) AS invoice_count
              FROM mail_activity activity
              JOIN res_company company ON company.id = activity.fr_dunning_company_id
         LEFT JOIN fr_dunning_level level ON level.id = activity.fr_dunning_level_id
         LEFT JOIN (
                    -- one pass over the ledger, for the customers called only
                    SELECT move.company_id, move.commercial_partner_id AS partner_id,
                           SUM(COALESCE(late.residual, 0)) AS amount, COUNT(*) AS invoice_count
                      FROM account_move move
                 LEFT JOIN %(late)s late ON late.move_id = move.id
                     WHERE %(open)s
                       AND move.fr_dunning_due_date < %(today)s
                       AND (move.company_id, move.commercial_partner_id) IN (
                               SELECT activity.fr_dunning_company_id, activity.res_id
                                 FROM mail_activity activity WHERE %(calls)s)
                  GROUP BY move.company_id, move.commercial_partner_id
                   ) owed
                ON owed.company_id = activity.fr_dunning_company_id AND owed.partner_id = activity.res_id
             WHERE %(calls)s
            """,
            open=self.env["account.move"]._fr_dunning_open_sql("move"),
            # The late instalments only (account_move_overdue).
            late=self.env["account.move"]._fr_dunning_late_sql(today),
            today=today,
            calls=calls,
        )

    @guarded(GROUP_USER, "read")
    def action_open_follow_up(self):
        """The customer's follow-up, in this call's company."""
        self.ensure_one()
        return self.partner_id.with_company(self.company_id).action_fr_dunning_follow_up()

    @guarded(GROUP_USER, "read")
    def action_log_call(self):
        """Log the call: the call wizard, with the customer's overdue invoices."""
        self.ensure_one()
        return (
            self.env["fr.dunning.call.wizard"]
            .with_company(self.company_id)
            ._open(self.partner_id.with_company(self.company_id))
        )
