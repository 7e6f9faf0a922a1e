# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the penalty engine and of penalty invoicing: time, SQL queries
and memory at several sizes.

usage: python3 bench/bench_penalties.py DB [--invoicing-only] [--invoicing-sizes=100,1000,5000]
                                           [odoo options...]
(bench/run.sh makes the database and the dataset, then calls this.)
"""

import resource
import sys
import time
import tracemalloc
from datetime import date

import odoo
from odoo import SUPERUSER_ID, api, fields

# The dataset's "today": the last day of the last semester whose rates are shipped.
AS_OF = date(2026, 6, 30)
SIZES = (1_000, 10_000, 100_000)
INVOICING_SIZES = (1_000,)


def measure(env, label, func):
    env.invalidate_all()
    queries0 = env.cr.sql_log_count
    t0 = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - t0
    queries = env.cr.sql_log_count - queries0
    env.invalidate_all()
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"| {label:<44} | {seconds:8.2f} s | {queries:7d} | {peak / 2**20:8.1f} MiB |",
        flush=True,
    )
    return result


def create_alone(env, moves):
    """Time Odoo's ``account.move.create`` alone on the same penalty invoices,
    given whole as the billing gives them: the part of the billing that is
    Odoo's own creation of the invoices (rolled back)."""
    env.invalidate_all()
    results = moves._fr_dunning_penalties(at_date=AS_OF, uncharged_only=True)
    documents = moves._fr_dunning_penalty_documents(results, {}, True, True, {})
    batches = moves._fr_dunning_penalty_move_batches(documents, fields.Date.context_today(moves))
    queries0 = env.cr.sql_log_count
    t0 = time.perf_counter()
    count = sum(len(creator.create(vals_list)) for creator, vals_list, _documents in batches)
    seconds = time.perf_counter() - t0
    queries = env.cr.sql_log_count - queries0
    env.cr.rollback()
    label = f"  of which Odoo's create of the {count} invoices"
    print(f"| {label:<44} | {seconds:8.2f} s | {queries:7d} |              |", flush=True)


def options(argv):
    """Split the benchmark's own options from Odoo's."""
    own = {"invoicing_only": False, "invoicing_sizes": INVOICING_SIZES}
    rest = []
    for arg in argv:
        if arg == "--invoicing-only":
            own["invoicing_only"] = True
        elif arg.startswith("--invoicing-sizes="):
            own["invoicing_sizes"] = tuple(int(size) for size in arg.split("=", 1)[1].split(","))
        else:
            rest.append(arg)
    return own, rest


def main():
    db_name = sys.argv[1]
    own, odoo_args = options(sys.argv[2:])
    odoo.tools.config.parse_config(["-d", db_name, *odoo_args])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Move = env["account.move"]
        ids = Move.search(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted"), ("name", "=like", "BENCH/%")],
            order="id",
        ).ids
        print(f"\nPenalty engine, as of {AS_OF}, on {len(ids)} bench invoices (2 companies)\n")
        print("| run                                          |     time | queries |  py peak     |")
        print("|----------------------------------------------|---------:|--------:|-------------:|")
        if own["invoicing_only"]:
            results = Move.browse(ids)._fr_dunning_penalties(at_date=AS_OF)
        else:
            for size in SIZES:
                if size > len(ids):
                    break
                moves = Move.browse(ids[:size])
                results = measure(
                    env,
                    f"compute_fr_late_penalties, {size} invoices",
                    lambda moves=moves: moves.compute_fr_late_penalties(at_date=AS_OF),
                )
        late = [move_id for move_id, result in results.items() if result["lines"]]
        total = sum(result["interest"] for result in results.values())
        print(f"\n{len(late)} invoices bear interest; total interest {total:,.2f}.\n")
        # Penalty invoices for N late invoices (rolled back).
        for size in own["invoicing_sizes"]:
            if size > len(late):
                break
            moves = Move.browse(late[:size])

            def bill(moves=moves):
                count = len(moves._fr_dunning_create_penalty_invoices(at_date=AS_OF))
                cr.rollback()
                return count

            count = measure(env, f"penalty invoices for {size} late invoices", bill)
            print(f"|   ({count} penalty invoices)", flush=True)
            create_alone(env, moves)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nProcess peak RSS: {rss:.0f} MiB")
        cr.rollback()


if __name__ == "__main__":
    main()
