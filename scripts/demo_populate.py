"""Load the French demo data into a database (used by `make demo`).

usage: python3 scripts/demo_populate.py DBNAME [odoo options...]
"""

import sys
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api


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
            court_demo(env, company, result)
        # The demo login speaks French.
        env["res.lang"]._activate_lang("fr_FR")
        env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})


def court_demo(env, company, result, today=None):
    """An order for payment in progress: the 15 000 EUR consulting invoice,
    handed over 35 days ago, the order made 20 days ago and served 6 days
    ago, so that its opposition period runs; and the company's consumer
    mediator, named in the letters to consumers."""
    today = today or date.today()
    company.write(
        {
            "fr_dunning_consumer_mediator": "CM2C - Centre de la Médiation de la Consommation de "
            "Conciliateurs de Justice",
            "fr_dunning_consumer_mediator_url": "https://www.cm2c.net",
        }
    )
    invoice = result["invoices"].filtered(lambda move: move.amount_untaxed == 15000.0)[:1]
    if not invoice:
        return None
    admin = env.ref("base.user_admin")
    env = env(user=admin, context=dict(env.context, allowed_company_ids=[company.id]))
    commissaire = env["res.partner"].create(
        {
            "name": "SCP Vidal & Roux, commissaires de justice",
            "is_company": True,
            "street": "4 place Bellecour",
            "zip": "69002",
            "city": "Lyon",
        }
    )
    litigation = env["fr.dunning.litigation"].create(
        {
            "company_id": company.id,
            "partner_id": invoice.commercial_partner_id.id,
            "move_ids": [Command.set(invoice.ids)],
            "route": "injunction",
            "external_partner_id": commissaire.id,
            "date_start": today - timedelta(days=35),
            "note": "Aucune réponse à la mise en demeure ni au dernier avis.",
        }
    )
    court = "Tribunal de commerce de Paris"
    for kind, days_ago, vals in (
        ("ip_request", 33, {"court": court}),
        ("ip_order", 20, {"court": court, "reference": f"IP {today.year}/004218"}),
        ("ip_service", 6, {"court": commissaire.name, "to_person": True}),
    ):
        env["fr.dunning.litigation.step.wizard"].create(
            {"litigation_id": litigation.id, "kind": kind, "date": today - timedelta(days=days_ago), **vals}
        ).action_record()
    print(f"fr_dunning_addon: an order for payment in progress for {litigation.partner_id.name}.")
    return litigation


if __name__ == "__main__":
    main()
