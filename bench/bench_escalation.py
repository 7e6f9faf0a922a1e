# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the escalation: one run per company, rolled back; prints time,
SQL queries, what was sent and the process's peak resident memory so far.

usage: python3 bench/bench_escalation.py DB [odoo options...]
"""

import resource
import sys
import time
from datetime import date

import odoo
from odoo import SUPERUSER_ID, api

AS_OF = date(2026, 6, 30)


def enter_this_semesters_rates(env):
    """The rates of the semester the machine's clock is in, entered as a
    manager enters a semester not yet published, when they are missing.

    The run chases as of AS_OF, but its events, and the letters that compute
    interest to their day, are dated by the clock: without this, a run after
    30/06/2026 would print "rates missing" in every letter instead of the
    interest a company with its rates entered prints. The values are the last
    semester's, an assumption of the bench only, rolled back with the run."""
    Rate = env["fr.dunning.legal.rate"]
    today = date.today()
    start = date(today.year, 1 if today.month <= 6 else 7, 1)
    if Rate.search_count([("date_start", "=", start)]):
        return
    last = Rate.search([("date_start", "<", start)], order="date_start desc", limit=1)
    Rate.create(
        {
            "date_start": start,
            "ecb_rate": last.ecb_rate,
            "legal_rate_individual": last.legal_rate_individual,
            "legal_rate_other": last.legal_rate_other,
        }
    )
    print(f"(rates of the semester from {start} entered for the run, as those of {last.date_start})")


def main():
    db_name = sys.argv[1]
    odoo.tools.config.parse_config(["-d", db_name, *sys.argv[2:]])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["fr.dunning.policy"]._create_default_policies(env["res.company"].search([]))
        enter_this_semesters_rates(env)
        open_count = env["account.move"].search_count(
            [
                ("name", "=like", "BENCH/%"),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )
        print(f"\nEscalation, as of {AS_OF}, {open_count} open bench invoices\n")
        print("| company | time | queries | communications | sent | skipped | peak RSS |")
        print("|---|---:|---:|---:|---|---|---:|")
        for company in env["res.company"].search([]):
            escalation = env["fr.dunning.escalation"].with_company(company)
            queries0 = cr.sql_log_count
            t0 = time.perf_counter()
            summary = escalation._run(company, today=AS_OF)
            seconds = time.perf_counter() - t0
            print(
                f"| {company.name} | {seconds:.1f} s | {cr.sql_log_count - queries0} | "
                f"{summary['communications']} | {summary['sent']} | {summary['skipped']} | "
                f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB |",
                flush=True,
            )
        cr.rollback()


if __name__ == "__main__":
    main()
