# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the nightly cron over several nights, committed, as Odoo's
cron runner calls it: one batch of customers per call, a commit after each,
until the job reports nothing left. Each night's time, SQL queries, calls and
what was sent are printed per company.

It COMMITS: run it on a copy of a bench database whose name ends in
``_nights`` (``createdb -T fr_dunning_bench_100000 fr_dunning_bench_100000_nights``).

usage: python3 bench/bench_nights.py DB YYYY-MM-DD [YYYY-MM-DD ...] [--batch=N] [odoo options...]

``--batch=N``: customers per call (default: the method's, as the cron record).
"""

import sys
import time
from datetime import date

from freezegun import freeze_time

import odoo
from odoo import SUPERUSER_ID, api

# The run record's counts, in the table's order.
COUNTS = ("communication_count", "email_count", "letter_count", "registered_count", "phone_count")


def main():
    db_name = sys.argv[1]
    if not db_name.endswith("_nights"):
        sys.exit("This benchmark commits: give it a copy of a bench database named *_nights.")
    days = [date.fromisoformat(arg) for arg in sys.argv[2:] if arg[:1].isdigit()]
    batch = [int(arg.split("=", 1)[1]) for arg in sys.argv[2:] if arg.startswith("--batch=")]
    options = [arg for arg in sys.argv[2:] if not arg[:1].isdigit() and not arg.startswith("--batch=")]
    odoo.tools.config.parse_config(["-d", db_name, *options])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["fr.dunning.policy"]._create_default_policies(env["res.company"].search([]))
        env["res.company"].search([]).fr_dunning_auto = True
        cr.commit()
    print("| night | company | run time | communications | emails | letters | registered | calls (phone) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for day in days:
        # tick=True: the clock runs (the timings), from the night's 2 a.m.
        with freeze_time(f"{day} 02:00:00", tick=True), registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cron = env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate")
            queries0, t0, calls = cr.sql_log_count, time.perf_counter(), 0
            while True:
                job, progress = cron._add_progress()
                escalation = env["fr.dunning.escalation"].with_context(job.env.context)
                escalation._cron_fr_dunning_escalate(**({"batch_size": batch[0]} if batch else {}))
                cr.commit()
                calls += 1
                if not progress.remaining:
                    break
            seconds, queries = time.perf_counter() - t0, cr.sql_log_count - queries0
            runs = env["fr.dunning.run"].search([("date", "=", day), ("is_automatic", "=", True)])
            for run in runs:
                print(
                    f"| {day:%d/%m} | {run.company_id.name} | {run.duration:.1f} s | "
                    + " | ".join(str(run[name]) for name in COUNTS)
                    + " |",
                    flush=True,
                )
            print(
                f"| {day:%d/%m} | **all: {seconds:.1f} s, {queries} SQL queries, {calls} cron calls** "
                "| | | | | | |",
                flush=True,
            )


if __name__ == "__main__":
    main()
