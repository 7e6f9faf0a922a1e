# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the letters: N letters rendered in batches (one wkhtmltopdf
call per batch), against Odoo's own invoice report on the same machine.
Everything is rolled back.

usage: python3 bench/bench_letters.py DB LETTERS [odoo options...]
"""

import sys
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api

AS_OF = date(2026, 6, 30)


def main():
    db_name, count = sys.argv[1], int(sys.argv[2])
    odoo.tools.config.parse_config(["-d", db_name, *sys.argv[3:]])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Move = env["account.move"]
        env["res.lang"]._activate_lang("fr_FR")
        env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"])
        late = Move.search(
            [
                ("name", "=like", "BENCH/%"),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", AS_OF - timedelta(days=30)),
            ],
            order="commercial_partner_id, id",
        )
        by_partner = {}
        for move in late:
            key = (move.commercial_partner_id, move.company_id, move.currency_id)
            by_partner.setdefault(key, move.browse())
            by_partner[key] |= move
        groups = list(by_partner.items())[:count]
        level = env["fr.dunning.level"].search([("tier", "=", "formal_notice")], limit=1)
        events = env["fr.dunning.event"].create(
            [
                {
                    "name": "Formal notice",
                    "company_id": moves.company_id.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(moves.ids)],
                    "level_id": level.id,
                    "channel": "registered_letter",
                    "event_type": "reminder",
                    "letter_tier": "2",
                    "currency_id": moves.currency_id.id,
                    "amount_residual": sum(moves.mapped("amount_residual")),
                    "deadline_date": AS_OF + timedelta(days=15),
                    "date": f"{AS_OF} 08:00:00",
                }
                for (partner, _company, _currency), moves in groups
            ]
        )
        print(
            f"\nLetters: {len(events)} formal notices for {len(events)} customers "
            f"({len(events.move_ids)} invoices)\n"
        )
        print("| what | documents | wkhtmltopdf calls | time | per document | queries |")
        print("|---|---:|---:|---:|---:|---:|")
        queries0, t0 = cr.sql_log_count, time.perf_counter()
        events._fr_dunning_render_letters()
        seconds = time.perf_counter() - t0
        batches = -(-len(events) // 50)
        print(
            f"| dunning letters, batches of 50 | {len(events)} | {batches} | {seconds:.1f} s | "
            f"{seconds / len(events) * 1000:.0f} ms | {cr.sql_log_count - queries0} |",
            flush=True,
        )
        # Odoo's invoice report: Debian's wkhtmltopdf renders one record per call.
        invoices = late[:20]
        Report = env["ir.actions.report"]
        queries0, t0 = cr.sql_log_count, time.perf_counter()
        for invoice in invoices:
            Report._render_qweb_pdf("account.account_invoices", invoice.ids)
        seconds = time.perf_counter() - t0
        print(
            f"| Odoo invoice report, one per call | {len(invoices)} | {len(invoices)} | {seconds:.1f} s | "
            f"{seconds / len(invoices) * 1000:.0f} ms | {cr.sql_log_count - queries0} |",
            flush=True,
        )
        cr.rollback()


if __name__ == "__main__":
    main()
