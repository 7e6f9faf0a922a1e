# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .models import fr_dunning_law as law
from .models.account_move import create_due_date_column


def pre_init_hook(env):
    """Create and fill the stored columns on large tables in SQL, before the ORM
    would compute them record by record."""
    cr = env.cr
    for column, column_type in (
        ("fr_dunning_formal_notice_date", "date"),
        ("fr_dunning_is_penalty_invoice", "boolean"),
        ("fr_dunning_level_id", "int4"),
        ("fr_dunning_last_date", "date"),
        ("fr_dunning_next_date", "date"),
        ("fr_dunning_count", "int4"),
        ("fr_dunning_blocked", "varchar"),
        ("fr_dunning_blocked_note", "varchar"),
        ("fr_dunning_prescription_warned", "int4"),
    ):
        if not column_exists(cr, "account_move", column):
            create_column(cr, "account_move", column, column_type)
    if not column_exists(cr, "res_partner", "fr_dunning_is_consumer"):
        create_column(cr, "res_partner", "fr_dunning_is_consumer", "boolean")
        cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET fr_dunning_is_consumer = NOT COALESCE(cp.is_company, FALSE)
                  FROM res_partner cp
                 WHERE cp.id = COALESCE(p.commercial_partner_id, p.id)
                """
            )
        )

    create_due_date_column(cr)
    if not column_exists(cr, "account_move", "fr_dunning_prescription_date"):
        # fr_dunning_law.prescription_date, in SQL: 5 years from the due date, 2
        # for a consumer (no dunning event exists yet to interrupt it).
        create_column(cr, "account_move", "fr_dunning_prescription_date", "date")
        cr.execute(
            SQL(
                """
                UPDATE account_move m
                   SET fr_dunning_prescription_date = %s
                  FROM res_partner p
                 WHERE p.id = m.commercial_partner_id
                   AND m.move_type = 'out_invoice'
                   AND m.fr_dunning_due_date IS NOT NULL
                """,
                law.prescription_date_sql(SQL("m.fr_dunning_due_date"), SQL("p.fr_dunning_is_consumer")),
            )
        )


def post_init_hook(env):
    """Give every company the default dunning policies, and point the penalty
    accounts of French companies to the PCG accounts."""
    env["fr.dunning.policy"]._create_default_policies(env["res.company"].search([]))
    for company in env["res.company"].search([("chart_template", "=", "fr")]):
        interest, indemnity = company._fr_dunning_penalty_accounts()
        company.write(
            {
                "fr_dunning_interest_account_id": interest.id,
                "fr_dunning_indemnity_account_id": indemnity.id,
            }
        )
