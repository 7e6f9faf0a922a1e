# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A large, realistic receivables dataset for the benchmarks.

``generate(env, invoices=100_000, customers=20_000, as_of=...)`` creates, across
two French companies:

- ``customers`` customers (one in ten a consumer);
- ``invoices`` posted customer invoices with VAT, due between 200 days before
  and 30 days after ``as_of``, amounts from 120 to 6 000 EUR incl. VAT;
- a payment on 40 % of them: 30 % partly paid (40 %), 10 % paid in full.

Posting 100 000 invoices through the ORM takes hours, so one template invoice
and one template payment per company are made through the ORM, then cloned in
SQL (every column copied, amounts scaled), with the partial reconciliations
that link payments to invoices. The result reads, for the addon, like invoices
and payments made by hand: receivable lines, residuals, payment states.
"""

import logging
import random
import time
from datetime import timedelta

from odoo import Command
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MARKER = "BENCH"

MOVE_AMOUNTS = {
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_untaxed_in_currency_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_total_in_currency_signed",
    "amount_residual_signed",
}
LINE_AMOUNTS = {
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "tax_base_amount",
    "amount_residual",
    "amount_residual_currency",
    "price_unit",
    "price_subtotal",
    "price_total",
}


def _columns(env, table):
    rows = env.execute_query(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
            table,
        )
    )
    return [row[0] for row in rows]


def _companies(env):
    """The main company and a second French company, both on the French chart."""
    france = env.ref("base.fr")
    main = env.ref("base.main_company")
    if main.chart_template != "fr":
        main.country_id = france
        env["account.chart.template"].try_loading("fr", main, install_demo=False)
    second = env["res.company"].search([("name", "=", "Bench Company B")], limit=1)
    if not second:
        second = env["res.company"].create({"name": "Bench Company B", "country_id": france.id})
        env["account.chart.template"].try_loading("fr", second, install_demo=False)
    env.user.company_ids |= main | second
    return main | second


def _templates(env, company, partner, as_of):
    """One posted invoice of 100.00 excl. VAT (120.00 incl.) and one posted payment of
    100.00 for ``company``: the rows the SQL clones copy."""
    env = env(context=dict(env.context, allowed_company_ids=[company.id], tracking_disable=True))
    account = env["account.account"].search(
        [("account_type", "=", "income"), ("company_ids", "in", company.id)], order="code", limit=1
    )
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "company_id": company.id,
            "partner_id": partner.id,
            "invoice_date": as_of - timedelta(days=30),
            "invoice_date_due": as_of,
            "invoice_payment_term_id": False,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Prestation",
                        "quantity": 1,
                        "price_unit": 100.0,
                        "account_id": account.id,
                        "tax_ids": [Command.set(company.account_sale_tax_id.ids)],
                    }
                )
            ],
        }
    )
    invoice.action_post()
    payment = env["account.payment"].create(
        {
            "amount": 100.0,
            "date": as_of,
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": partner.id,
            "company_id": company.id,
        }
    )
    payment.action_post()
    return invoice, payment.move_id


def _insert_clones(env, table, columns, overrides, source_sql, scaled, scale_expr):
    """INSERT INTO table SELECT each column from the template ``t``, overridden or
    scaled, joined to the rows of ``source_sql`` (aliased ``m``)."""
    exprs = []
    for column in columns:
        if column in overrides:
            exprs.append(SQL(overrides[column]))
        elif column in scaled:
            exprs.append(SQL("t.%s * " + scale_expr, SQL.identifier(column)))
        else:
            exprs.append(SQL("t.%s", SQL.identifier(column)))
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in columns),
            SQL(", ").join(exprs),
            source_sql,
        )
    )
    return env.cr.rowcount


def generate(env, invoices=100_000, customers=20_000, as_of=None, seed=42):
    """Create the dataset; returns a dict of counts and the time taken."""
    t0 = time.time()
    rng = random.Random(seed)
    companies = _companies(env)
    # The customers are French: their emails and letters are rendered from
    # the French texts, as on a French database (where installing the
    # language loads every module's terms).
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["fr_FR"])
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, fr_dunning_is_consumer,
                                     active, type, lang, email, ref, autopost_bills, create_date, write_date,
                                     street, zip, city)
            SELECT 'Client ' || n, 'Client ' || n, mod(n, 10) != 0, mod(n, 10) = 0,
                   TRUE, 'contact', 'fr_FR',
                   CASE WHEN mod(n, 25) = 0 THEN NULL ELSE 'client' || n || '@bench.example' END,
                   %(marker)s || '-' || n, 'ask', now(), now(),
                   n || ' rue des Clients', '75011', 'Paris'
              FROM generate_series(1, %(customers)s) n
            RETURNING id
            """,
            marker=MARKER,
            customers=customers,
        )
    )
    partner_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", partner_ids))
    env["res.partner"].invalidate_model()

    templates = {}
    for company in companies:
        templates[company.id] = _templates(env, company, env["res.partner"].browse(partner_ids[0]), as_of)
    env.flush_all()

    # The plan: one row per invoice (template, partner, dates, scale, payment).
    plan = []
    for n in range(invoices):
        company = companies[n % 2]
        due = as_of + timedelta(days=rng.randint(-200, 30))
        roll = rng.random()
        paid = 0.0 if roll >= 0.4 else (0.4 if roll >= 0.1 else 1.0)
        plan.append(
            (
                n,
                templates[company.id][0].id,
                templates[company.id][1].id,
                partner_ids[rng.randrange(customers)],
                due - timedelta(days=30),
                due,
                rng.randint(1, 50),
                paid,
                min(due + timedelta(days=rng.randint(1, 60)), as_of),
            )
        )
    env.cr.execute(
        "CREATE TEMP TABLE bench_plan (n int, template_id int, payment_template_id int, "
        "partner_id int, invoice_date date, due date, k numeric, paid numeric, pay_date date, "
        "move_id int, payment_move_id int) ON COMMIT DROP"
    )
    for chunk_start in range(0, len(plan), 10_000):
        chunk = plan[chunk_start : chunk_start + 10_000]
        env.cr.execute(
            SQL(
                "INSERT INTO bench_plan (n, template_id, payment_template_id, partner_id, "
                "invoice_date, due, k, paid, pay_date) SELECT * FROM unnest(%s::int[], %s::int[], "
                "%s::int[], %s::int[], %s::date[], %s::date[], %s::numeric[], %s::numeric[], %s::date[])",
                *[[row[i] for row in chunk] for i in range(9)],
            )
        )
    env.cr.execute("UPDATE bench_plan SET move_id = nextval('account_move_id_seq')")
    env.cr.execute("UPDATE bench_plan SET payment_move_id = nextval('account_move_id_seq') WHERE paid > 0")

    move_columns = ["id", *_columns(env, "account_move")]
    line_columns = _columns(env, "account_move_line")
    # Invoices.
    _insert_clones(
        env,
        "account_move",
        move_columns,
        {
            "id": "m.move_id",
            "name": f"'{MARKER}/' || m.n",
            "sequence_number": "m.n",
            "sequence_prefix": f"'{MARKER}/'",
            "partner_id": "m.partner_id",
            "commercial_partner_id": "m.partner_id",
            "partner_shipping_id": "m.partner_id",
            "invoice_partner_display_name": "'Client'",
            "date": "m.invoice_date",
            "invoice_date": "m.invoice_date",
            "invoice_date_due": "m.due",
            "payment_reference": f"'{MARKER}/' || m.n",
            # A token each, as posting gives it (see account.move._post).
            "access_token": "gen_random_uuid()::text",
            "inalterable_hash": "NULL",
            "secure_sequence_number": "NULL",
            "amount_residual": "t.amount_residual * m.k * (1 - m.paid)",
            "amount_residual_signed": "t.amount_residual_signed * m.k * (1 - m.paid)",
            "payment_state": "CASE WHEN m.paid = 1 THEN 'paid' WHEN m.paid > 0 THEN 'partial' "
            "ELSE 'not_paid' END",
        },
        SQL("bench_plan m JOIN account_move t ON t.id = m.template_id"),
        MOVE_AMOUNTS,
        "m.k",
    )
    _insert_clones(
        env,
        "account_move_line",
        line_columns,
        {
            "move_id": "m.move_id",
            "move_name": f"'{MARKER}/' || m.n",
            "partner_id": "m.partner_id",
            "date": "m.invoice_date",
            "invoice_date": "m.invoice_date",
            "date_maturity": "CASE WHEN t.display_type = 'payment_term' THEN m.due ELSE t.date_maturity END",
            "amount_residual": "CASE WHEN t.display_type = 'payment_term' THEN t.amount_residual * m.k * "
            "(1 - m.paid) ELSE t.amount_residual * m.k END",
            "amount_residual_currency": "CASE WHEN t.display_type = 'payment_term' THEN "
            "t.amount_residual_currency * m.k * (1 - m.paid) ELSE t.amount_residual_currency * m.k END",
            "reconciled": "t.display_type = 'payment_term' AND m.paid = 1",
            "matching_number": "NULL",
            "full_reconcile_id": "NULL",
        },
        SQL("bench_plan m JOIN account_move_line t ON t.move_id = m.template_id"),
        LINE_AMOUNTS,
        "m.k",
    )
    # Payments: the template's entry, scaled to what was paid.
    paid_scale = "(m.k * 1.2 * m.paid)"
    _insert_clones(
        env,
        "account_move",
        move_columns,
        {
            "id": "m.payment_move_id",
            "name": f"'{MARKER}/PAY/' || m.n",
            "sequence_number": "m.n",
            "sequence_prefix": f"'{MARKER}/PAY/'",
            "partner_id": "m.partner_id",
            "commercial_partner_id": "m.partner_id",
            "date": "m.pay_date",
            "origin_payment_id": "NULL",
            "payment_reference": "NULL",
            "access_token": "NULL",
            "inalterable_hash": "NULL",
            "secure_sequence_number": "NULL",
        },
        SQL("bench_plan m JOIN account_move t ON t.id = m.payment_template_id WHERE m.paid > 0"),
        MOVE_AMOUNTS,
        paid_scale,
    )
    _insert_clones(
        env,
        "account_move_line",
        line_columns,
        {
            "move_id": "m.payment_move_id",
            "move_name": f"'{MARKER}/PAY/' || m.n",
            "partner_id": "m.partner_id",
            "date": "m.pay_date",
            "payment_id": "NULL",
            "amount_residual": "0",
            "amount_residual_currency": "0",
            "reconciled": "t.account_id IN (SELECT account_id FROM account_move_line "
            "WHERE display_type = 'payment_term' AND move_id = m.template_id)",
            "matching_number": "NULL",
            "full_reconcile_id": "NULL",
        },
        SQL("bench_plan m JOIN account_move_line t ON t.move_id = m.payment_template_id WHERE m.paid > 0"),
        LINE_AMOUNTS,
        paid_scale,
    )
    # Link each payment's receivable line to its invoice's receivable line.
    env.cr.execute(
        """
        INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount, debit_amount_currency,
                                               credit_amount_currency, company_id, debit_currency_id,
                                               credit_currency_id, max_date, create_date, write_date)
        SELECT inv_line.id, pay_line.id, -pay_line.balance, -pay_line.amount_currency,
               -pay_line.amount_currency, inv_line.company_id, inv_line.currency_id,
               pay_line.currency_id, m.pay_date, now(), now()
          FROM bench_plan m
          JOIN account_move_line inv_line ON inv_line.move_id = m.move_id
                                         AND inv_line.display_type = 'payment_term'
          JOIN account_move_line pay_line ON pay_line.move_id = m.payment_move_id
                                         AND pay_line.account_id = inv_line.account_id
         WHERE m.paid > 0
        """
    )
    partials = env.cr.rowcount
    env.cr.execute("SELECT setval('account_move_id_seq', (SELECT max(id) FROM account_move))")
    env.invalidate_all()
    env.cr.execute("ANALYZE")
    counts = {
        "companies": len(companies),
        "customers": customers,
        "invoices": invoices,
        "payments": partials,
        "seconds": round(time.time() - t0, 1),
    }
    _logger.info("bench dataset: %s", counts)
    return counts
