"""Give the test database's main company the French chart of accounts.

The tests create French companies inside their transaction: with a main
company on the generic chart, PostgreSQL's statistics describe a table of 50
accounts and it plans the chart's queries for that, which makes a French
company's setup take tens of seconds. usage: test_db_prepare.py DB [odoo options]
"""

import sys

import odoo
from odoo import SUPERUSER_ID, api


def main():
    odoo.tools.config.parse_config(["-d", sys.argv[1], *sys.argv[2:]])
    registry = odoo.modules.registry.Registry(sys.argv[1])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        if company.chart_template != "fr":
            company.country_id = env.ref("base.fr")
            env["account.chart.template"].try_loading("fr", company, install_demo=False)
    with registry.cursor() as cr:
        cr.execute("ANALYZE")


if __name__ == "__main__":
    main()
