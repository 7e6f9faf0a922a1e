"""Load the French demo data into a database (used by `make demo`).

usage: python3 scripts/demo_populate.py DBNAME [odoo options...]
"""

import sys

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
            _insurance(env, company)
        # The demo login speaks French.
        env["res.lang"]._activate_lang("fr_FR")
        env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})


def _insurance(env, company):
    """The credit insurance policy and an insured customer near its overdue report deadline."""
    from datetime import date

    from odoo.addons.fr_dunning_addon.demo.fr_dunning_demo_insurance import populate_insurance

    made = populate_insurance(env, company, date.today())
    if made:
        print(f"fr_dunning_addon: credit insurance {made['policy'].name}, 2 insured customers.")


if __name__ == "__main__":
    main()
