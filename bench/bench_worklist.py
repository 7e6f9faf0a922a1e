# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the screens an accountant opens every morning, per company,
as the web client calls them, rolled back:

- À relancer aujourd'hui (the escalation's plan turned into a preview), its
  form, then unticking and ticking every line in one click and a filter;
- Clients en retard, first page of the list (80 rows, largest overdue first)
  and its count;
- the follow-up form of the customer who owes the most;
- the dashboard.

usage: python3 bench/bench_worklist.py DB [odoo options...]
"""

import sys
import time
from datetime import date

from freezegun import freeze_time

import odoo
from odoo import SUPERUSER_ID, api

AS_OF = date(2026, 6, 30)

CUSTOMER_LIST = {
    "partner_id": {"fields": {"display_name": {}}},
    "level_id": {"fields": {"display_name": {}}},
    "responsible_id": {"fields": {"display_name": {}}},
    "total_overdue": {},
    "oldest_days": {},
    "aged_1_30": {},
    "aged_31_60": {},
    "aged_61_90": {},
    "aged_over_90": {},
    "disputed": {},
    "next_date": {},
    "currency_id": {"fields": {}},
    "company_id": {"fields": {"display_name": {}}},
}
PREVIEW_LINES = {
    "include": {},
    "partner_id": {"fields": {"display_name": {}}},
    "level_id": {"fields": {"display_name": {}}},
    "tier": {},
    "channels": {},
    "responsible_id": {"fields": {"display_name": {}}},
    "move_ids": {"fields": {"display_name": {}}},
    "amount": {},
    "currency_id": {"fields": {}},
    "warning": {},
}
# The fields of the preview's form, as the web client reads them.
PREVIEW_FORM = {
    "date": {},
    "bank_warning": {},
    "skipped_note": {},
    "plan_count": {},
    "unlisted_count": {},
    "send_ticked_note": {},
    "send_all_note": {},
    "line_level_ids": {},
    "line_responsible_ids": {},
    "filter_level_id": {"fields": {"display_name": {}}},
    "filter_channel": {},
    "filter_amount_min": {},
    "filter_amount_max": {},
    "filter_responsible_id": {"fields": {"display_name": {}}},
    "is_filtered": {},
    "shown_count": {},
    "shown_line_ids": {"fields": PREVIEW_LINES, "limit": 40},
}
FOLLOW_UP_FORM = {
    "name": {},
    "fr_dunning_total_due": {},
    "fr_dunning_total_overdue": {},
    "fr_dunning_disputed_amount": {},
    "fr_dunning_promised_amount": {},
    "fr_dunning_plan_amount": {},
    "fr_dunning_litigation_amount": {},
    "fr_dunning_oldest_days": {},
    "fr_dunning_level_id": {"fields": {"display_name": {}}},
    "fr_dunning_next_date": {},
    "fr_dunning_effective_responsible_id": {"fields": {"display_name": {}}},
    "fr_dunning_effective_policy_id": {"fields": {"display_name": {}}},
    "fr_dunning_paid_count": {},
    "fr_dunning_avg_days_late": {},
    "fr_dunning_avg_reminders": {},
    "fr_dunning_event_count": {},
    "fr_dunning_open_move_ids": {
        "fields": {
            "name": {},
            "invoice_date_due": {},
            "amount_residual_signed": {},
            "fr_dunning_level_id": {"fields": {"display_name": {}}},
            "fr_dunning_blocked": {},
        }
    },
    "fr_dunning_timeline_ids": {"fields": {"date": {}, "name": {}, "channel": {}}},
}


def measure(cr, label, func):
    queries0 = cr.sql_log_count
    t0 = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - t0
    print(f"| {label} | {seconds:.2f} s | {cr.sql_log_count - queries0} |", flush=True)
    return result


def bench_company(cr, env, company):
    cenv = env(context={"allowed_company_ids": [company.id], "lang": "fr_FR"})
    open_count = cenv["account.move"].search_count([*cenv["account.move"]._fr_dunning_open_domain(company)])
    print(f"\n{company.name}, as of {AS_OF}: {open_count} open invoices\n")
    print("| screen | time | SQL queries |")
    print("|---|---:|---:|")
    env.invalidate_all()
    action = measure(
        cr, "À relancer aujourd'hui (plan + preview)", lambda: cenv["fr.dunning.preview"]._open()
    )
    preview = cenv["fr.dunning.preview"].browse(action["res_id"])
    measure(
        cr, f"  its form, first 40 of {len(preview.line_ids)} lines", lambda: preview.web_read(PREVIEW_FORM)
    )
    for label, method in (("untick", "action_untick_shown"), ("tick", "action_tick_shown")):
        env.invalidate_all()
        measure(
            cr,
            f"  {label} the {preview.shown_count} lines shown, and the form again",
            lambda method=method: (
                getattr(preview, method)(),
                env.flush_all(),
                preview.web_read(PREVIEW_FORM),
            ),
        )
    env.invalidate_all()
    first = preview.line_ids[:1]
    measure(
        cr,
        f"  one line unticked by hand: the form's onchange over the {preview.shown_count} lines shown",
        lambda: preview.onchange(
            {"shown_line_ids": [[1, first.id, {"include": False}]]}, ["shown_line_ids"], PREVIEW_FORM
        ),
    )
    env.invalidate_all()
    level = preview.line_ids[-1:].level_id
    measure(
        cr,
        "  filter on a level, and the form again",
        lambda: preview.web_save({"filter_level_id": level.id}, {}) and preview.web_read(PREVIEW_FORM),
    )
    env.invalidate_all()
    Customer = cenv["fr.dunning.customer"]
    domain = [("total_overdue", ">", 0)]
    page = measure(
        cr,
        "Clients en retard: first 80 rows",
        lambda: Customer.web_search_read(
            domain, CUSTOMER_LIST, limit=80, order="total_overdue desc", count_limit=10001
        ),
    )
    print(f"|  ({page['length']} customers in arrears) | | |")
    env.invalidate_all()
    measure(
        cr,
        "Clients en retard: kanban grouped by level",
        lambda: Customer.web_read_group(domain, ["total_overdue:sum"], ["level_id"]),
    )
    top = page["records"][0]["partner_id"]["id"]
    env.invalidate_all()
    measure(
        cr,
        "Follow-up form of the largest debtor",
        lambda: cenv["res.partner"].browse(top).web_read(FOLLOW_UP_FORM),
    )
    env.invalidate_all()
    measure(cr, "Dashboard", lambda: cenv["fr.dunning.dashboard"]._open())


def main():
    db_name = sys.argv[1]
    odoo.tools.config.parse_config(["-d", db_name, *sys.argv[2:]])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr, freeze_time(AS_OF, tick=True):
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["fr.dunning.policy"]._create_default_policies(env["res.company"].search([]))
        env.flush_all()
        for company in env["res.company"].search([]):
            bench_company(cr, env, company)
        cr.rollback()


if __name__ == "__main__":
    main()
