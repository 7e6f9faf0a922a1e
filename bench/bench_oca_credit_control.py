# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The same dataset through the OCA's account_credit_control 18.0 (for
comparison with bench_escalation.py): one credit control run per company as
of the same day, its lines set ready, then its email channel (communications
and their emails), rolled back. Letters are counted, not printed.

Needs a copy of a bench database with account_credit_control installed
(`pip download --no-deps odoo-addon-account_credit_control`, unzip, add its
odoo/addons to --addons-path, -i account_credit_control).

usage: python3 bench/bench_oca_credit_control.py DB [--emails N] [odoo options...]

--emails N sends the emails of the first N communications only and
extrapolates to all of them (the 100 000-invoice dataset would take hours).
"""

import sys
import time
from datetime import date

import odoo
from odoo import SUPERUSER_ID, Command, api

AS_OF = date(2026, 6, 30)


def main():
    db_name, options = sys.argv[1], sys.argv[2:]
    sample = None
    if options[:1] == ["--emails"]:
        sample, options = int(options[1]), options[2:]
    odoo.tools.config.parse_config(["-d", db_name, *options])
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # The bench customers speak French; the OCA module needs their language installed.
        env["res.lang"]._activate_lang("fr_FR")
        policy = env.ref("account_credit_control.credit_control_3_time")
        receivables = env["account.account"].search([("account_type", "=", "asset_receivable")])
        policy.account_ids = [Command.set(receivables.ids)]
        print(f"\nOCA account_credit_control, as of {AS_OF}, policy {policy.name}\n")
        print("| company | step | time | queries | result |")
        print("|---|---|---:|---:|---|")
        for company in env["res.company"].search([]):
            company.credit_policy_id = policy
            Run = env["credit.control.run"].with_company(company)
            queries0, t0 = cr.sql_log_count, time.perf_counter()
            run = Run.create(
                {"date": AS_OF, "company_id": company.id, "policy_ids": [Command.set(policy.ids)]}
            )
            run.generate_credit_lines()
            seconds = time.perf_counter() - t0
            print(
                f"| {company.name} | generate lines | {seconds:.1f} s | {cr.sql_log_count - queries0} | "
                f"{len(run.line_ids)} lines |",
                flush=True,
            )
            queries0, t0 = cr.sql_log_count, time.perf_counter()
            run.set_to_ready_lines()
            emails = run.line_ids.filtered(
                lambda line: line.channel == "email" and line.state == "to_be_sent"
            )
            comms = env["credit.control.communication"]._generate_comm_from_credit_lines(emails)
            seconds = time.perf_counter() - t0
            queries = cr.sql_log_count - queries0
            letters = run.line_ids.filtered(lambda line: line.channel == "letter")
            print(
                f"| {company.name} | communications | {seconds:.1f} s | {queries} | "
                f"{len(comms)} communications, {len(letters)} letter lines not printed |",
                flush=True,
            )
            sent = comms[:sample] if sample else comms
            queries0, t0 = cr.sql_log_count, time.perf_counter()
            sent._generate_emails()
            seconds = time.perf_counter() - t0
            queries = cr.sql_log_count - queries0
            note = f"{len(sent)} emails"
            if len(sent) < len(comms):
                ratio = len(comms) / len(sent)
                note += (
                    f" ({seconds / len(sent):.2f} s each; all {len(comms)}: "
                    f"about {seconds * ratio / 3600:.1f} h, {queries * ratio:.0f} queries)"
                )
            print(
                f"| {company.name} | emails | {seconds:.1f} s | {queries} | {note} |",
                flush=True,
            )
        cr.rollback()


if __name__ == "__main__":
    main()
