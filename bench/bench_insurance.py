# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the credit-insurance reminders the nightly cron gives before
its escalation, on a bench dataset, rolled back.

Prints the time and SQL queries of: the pass when no company has a policy
(what every cron call pays), the first night once every customer with open
invoices is insured (one policy per company: reports 15 days, claims 90 days
after the original due date, reminders 5 days ahead), as Odoo's runner calls
it (batches of 500 covers), the same night again (nothing new) and the next
night; then the customers-in-arrears list (its first 80 lines with and
without the insurance columns) and the follow-up of the largest debtor.

usage: python3 bench/bench_insurance.py DB [YYYY-MM-DD] [odoo options...]
"""

import sys
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, api

LIST_FIELDS = ["partner_id", "level_id", "total_overdue", "oldest_days", "next_date"]
INSURANCE_FIELDS = ["insurance_next_date", "insurance_cover", "insurance_over_cover", "insurance_outside"]


def measure(env, label, function):
    cr = env.cr
    env.invalidate_all()
    queries0, t0 = cr.sql_log_count, time.perf_counter()
    result = function()
    env.flush_all()
    seconds, queries = time.perf_counter() - t0, cr.sql_log_count - queries0
    print(f"| {label} | {seconds:.2f} s | {queries} | {result} |", flush=True)
    return result


def night(env, day):
    """The insurance pass as the cron's calls make it, until nothing is left."""
    escalation = env["fr.dunning.escalation"]
    given = calls = 0
    while True:
        done, left = escalation._fr_dunning_insurance_remind(day, 500)
        given, calls = given + done, calls + 1
        if not left:
            return f"{given} to-dos in {calls} calls"


def main():
    db_name = sys.argv[1]
    days = [date.fromisoformat(arg) for arg in sys.argv[2:] if arg[:1].isdigit()]
    day = days[0] if days else date(2026, 6, 30)
    options = [arg for arg in sys.argv[2:] if not arg[:1].isdigit()]
    odoo.tools.config.parse_config(["-d", db_name, *options])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        print("| step | time | SQL queries | result |")
        print("|---|---:|---:|---|")
        measure(env, "no policy: the pass each cron call makes", lambda: night(env, day))
        companies = env["res.company"].search([])
        Move = env["account.move"]
        for company in companies:
            policy = env["fr.dunning.insurance.policy"].create(
                {
                    "company_id": company.id,
                    "insurer": "coface",
                    "policy_number": f"BENCH-{company.id}",
                    "report_days": 15,
                    "claim_days": 90,
                    "notice_days": 5,
                }
            )
            partners = {
                partner.id
                for [partner] in Move._read_group(
                    Move._fr_dunning_open_domain(company), ["commercial_partner_id"]
                )
            }
            env["fr.dunning.insurance.cover"].create(
                [
                    {
                        "policy_id": policy.id,
                        "partner_id": partner_id,
                        "amount": 20000.0,
                        "date_start": date(2020, 1, 1),
                    }
                    for partner_id in sorted(partners)
                ]
            )
        env.flush_all()
        covers = env["fr.dunning.insurance.cover"].search_count([])
        print(f"| {covers} customers insured in {len(companies)} companies | | | |")
        measure(env, f"first night {day:%d/%m/%Y}", lambda: night(env, day))
        measure(env, f"same night again {day:%d/%m/%Y}", lambda: night(env, day))
        measure(
            env, f"next night {day + timedelta(days=1):%d/%m/%Y}", lambda: night(env, day + timedelta(days=1))
        )
        for company in companies:
            Customer = env["fr.dunning.customer"].with_context(allowed_company_ids=[company.id])
            domain = [("total_overdue", ">", 0), ("company_id", "=", company.id)]
            measure(
                env,
                f"{company.name}: customers in arrears, 80 lines",
                lambda C=Customer, d=domain: len(C.search_read(d, LIST_FIELDS, limit=80)),
            )
            measure(
                env,
                f"{company.name}: the same with the insurance columns",
                lambda C=Customer, d=domain: len(C.search_read(d, LIST_FIELDS + INSURANCE_FIELDS, limit=80)),
            )
            top = Customer.search(domain, limit=1).partner_id.with_company(company)
            measure(
                env,
                f"{company.name}: follow-up's insurance fields of the largest debtor",
                lambda p=top: str(p.fr_dunning_insurance_next_date),
            )
        cr.rollback()


if __name__ == "__main__":
    main()
