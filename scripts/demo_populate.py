"""Load the French demo data into a database (used by `make demo`).

usage: python3 scripts/demo_populate.py DBNAME [odoo options...]
"""

import sys
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, api


def main():
    db_name, options = sys.argv[1], sys.argv[2:]
    odoo.tools.config.parse_config(["-d", db_name, *options])
    # The addons path is known once the configuration is parsed.
    from odoo.addons.fr_dunning_addon.demo.fr_dunning_demo import populate

    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        result = populate(env, company)
        if result is None:
            print("fr_dunning_addon: demo data already present, kept as is.")
        else:
            print(
                f"fr_dunning_addon: demo data created: {len(result['customers'])} customers, "
                f"{len(result['invoices'])} invoices."
            )
            _agency_handover(env, company, date.today())
        # The demo login speaks French.
        env["res.lang"]._activate_lang("fr_FR")
        env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})


def _agency_handover(env, company, today):
    """The most overdue invoice still chased (90 to 120 days), handed over a month ago to a
    collection agency (12 % + 50 € excl. VAT), which made contact and has
    collected half: a payment reconciled, a draft fee bill, the rest due."""
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    Move = env["account.move"]
    invoice = Move.search(
        [
            *Move._fr_dunning_chaseable_domain(company),
            ("currency_id", "=", company.currency_id.id),
            ("commercial_partner_id.fr_dunning_public_buyer", "=", False),
            # Among the invoices 90 to 120 days late (not the source articles' cases).
            ("invoice_date_due", "<", today - timedelta(days=90)),
            ("invoice_date_due", ">=", today - timedelta(days=120)),
        ],
        order="invoice_date_due, id",
        limit=1,
    )
    bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    if not invoice or not bank:
        return None
    agency = env["res.partner"].create(
        {
            "name": "Atlantique Recouvrement SAS",
            "is_company": True,
            "street": "12 quai de la Fosse",
            "zip": "44000",
            "city": "Nantes",
            "country_id": env.ref("base.fr").id,
            "email": "dossiers@atlantique-recouvrement.example.com",
        }
    )
    litigation = env["fr.dunning.litigation"].create(
        {
            "company_id": company.id,
            "partner_id": invoice.commercial_partner_id.id,
            "move_ids": [(6, 0, invoice.ids)],
            "route": "agency",
            "external_partner_id": agency.id,
            "date_start": today - timedelta(days=30),
            "fee_percent": 12.0,
            "fee_fixed": 50.0,
            "note": "Client injoignable depuis trois mois ; dossier confié à l'agence.",
        }
    )
    Report = env["fr.dunning.agency.report.wizard"]
    Report.create(
        {
            "litigation_id": litigation.id,
            "report": "contact",
            "date": today - timedelta(days=24),
            "note": "Le gérant reconnaît la dette et propose de payer en deux fois.",
        }
    ).action_record()
    Report.create(
        {
            "litigation_id": litigation.id,
            "report": "payment",
            "date": today - timedelta(days=10),
            "amount": company.currency_id.round(invoice.amount_residual / 2),
            "journal_id": bank.id,
        }
    ).action_record()
    return litigation


if __name__ == "__main__":
    main()
