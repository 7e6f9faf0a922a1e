# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

ACCOUNT_STATEMENT_REPORT = "fr_dunning_addon.action_report_fr_dunning_statement"


class ReportFrDunningStatement(models.AbstractModel):
    _name = "report.fr_dunning_addon.report_fr_dunning_statement"
    _description = "Customer statement of account"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": {partner.id: partner._fr_dunning_account_statement() for partner in partners},
        }
