# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's credit insurance, on top of ``fr_dunning_demo.populate``.

An Allianz Trade policy (60 days of extension, overdue report 30 days and
claim 150 days after the original due date, reminders 7 days ahead) and two
insured customers:

- Fromagerie Petit, whose invoice fell due 25 days ago: its overdue report
  is due in 5 days, and the night's reminder is given at once;
- Agence Horizon Digital SAS, 100 days late on 11 760 € against a cover of
  8 000 €: beyond its cover, already reported to the insurer (the report
  built by the demo), its claim due in 50 days.
"""

from datetime import timedelta

NEAR_DEADLINE_CUSTOMER = "Fromagerie Petit"
OVER_COVER_CUSTOMER = "Agence Horizon Digital SAS"


def populate_insurance(env, company, today):
    """The policy, the two covers, the overdue report of the customer beyond
    its cover and the night's reminders; returns them by name."""
    Partner = env["res.partner"]
    near = Partner.search([("name", "=", NEAR_DEADLINE_CUSTOMER)], limit=1)
    over = Partner.search([("name", "=", OVER_COVER_CUSTOMER)], limit=1)
    if not near or not over:
        return {}
    policy = env["fr.dunning.insurance.policy"].create(
        {
            "company_id": company.id,
            "insurer": "allianz_trade",
            "policy_number": "ATF-2026-004512",
            "max_extension_days": 60,
            "report_days": 30,
            "claim_days": 150,
            "notice_days": 7,
        }
    )
    Cover = env["fr.dunning.insurance.cover"]
    over_cover = Cover.create(
        {
            "policy_id": policy.id,
            "partner_id": over.id,
            "insurer_reference": "ATF-ACH-118204",
            "amount": 8000.0,
            "date_start": today - timedelta(days=400),
        }
    )
    # The customer beyond its cover was reported weeks ago, in the demo: the
    # report, built today, names it alone.
    report = policy._fr_dunning_overdue_report(today)
    near_cover = Cover.create(
        {
            "policy_id": policy.id,
            "partner_id": near.id,
            "insurer_reference": "ATF-ACH-207731",
            "amount": 5000.0,
            "date_start": today - timedelta(days=200),
        }
    )
    env["fr.dunning.escalation"]._fr_dunning_insurance_remind(today)
    return {"policy": policy, "near_cover": near_cover, "over_cover": over_cover, "report": report}
