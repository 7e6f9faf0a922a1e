# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Relances clients impayés (France)",
    "summary": "Relances automatiques des factures clients impayées, "
    "pénalités de retard et indemnité forfaitaire de 40 € selon le droit français",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/fr-dunning/fr_dunning_addon",
    "author": "fr_dunning_addon contributors",
    "maintainers": ["fr-dunning"],
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["account", "mail"],
    "data": [
        "security/fr_dunning_security.xml",
        "security/ir.model.access.csv",
        "views/fr_dunning_event_views.xml",
        "views/fr_dunning_legal_rate_views.xml",
        "views/fr_dunning_policy_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/fr_dunning_penalty_wizard_views.xml",
        "views/fr_dunning_menus.xml",
        "reports/report_invoice.xml",
        "data/fr_dunning_legal_rate_data.xml",
        "data/ir_cron_data.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
}
