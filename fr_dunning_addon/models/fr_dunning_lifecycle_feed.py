# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The invoice's own e-invoicing status, when the installed Odoo has one.

Odoo's French e-invoicing modules of later 18.0 builds store the platform's
lifecycle status on the invoice. The Odoo this addon is tested on has none
(no such field in /opt/odoo18/addons, l10n_fr_facturx_chorus_pro included):
the bridge looks for the field by name when the registry is loaded, and does
nothing while it is absent. When present, each change of it is recorded as a
status (source "invoice") and obeyed like the others.
"""

import re

from odoo import fields, models

# The names the field may have in Odoo's French e-invoicing modules.
BRIDGE_FIELDS = (
    "l10n_fr_pdp_status",
    "l10n_fr_lifecycle_status",
    "l10n_fr_einvoice_status",
    "l10n_fr_edi_lifecycle_status",
)


def bridge_field(move_model):
    """The invoice's lifecycle-status field of this database, or None."""
    return next((name for name in BRIDGE_FIELDS if name in move_model._fields), None)


def status_code(value):
    """The three-digit code of a field's value ("210", "VRBL:FR:210",
    "210_refused"), or None."""
    found = re.search(r"(?<!\d)(2\d\d)(?!\d)", str(value or ""))
    return found.group(1) if found else None


class AccountMove(models.Model):
    _inherit = "account.move"

    def write(self, vals):
        # EXTENDS 'account': the bridge to the invoice's e-invoicing status.
        name = bridge_field(self)
        result = super().write(vals)
        if name and name in vals:
            self._fr_dunning_bridge_statuses(name)
        return result

    def _fr_dunning_bridge_statuses(self, name):
        today = fields.Date.context_today(self)
        statuses = [
            {"invoice": move.id, "code": status_code(move[name]), "date": today}
            for move in self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        ]
        statuses = [status for status in statuses if status["code"]]
        if statuses:
            self.env["fr.dunning.lifecycle.status"].sudo().record_statuses(statuses, source="invoice")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fr_dunning_payment_sent_days = fields.Integer(
        related="company_id.fr_dunning_payment_sent_days",
        readonly=False,
    )
