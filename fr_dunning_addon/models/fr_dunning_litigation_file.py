# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The litigation file (dossier contentieux): one ZIP for the lawyer or the
commissaire de justice, with the statement of account, the invoices, the
letters sent and the whole dunning history. Built by
``res.partner.action_fr_dunning_litigation_file``; this module holds its
first document, the summary and statement of account."""

import re

from odoo import api, models
from odoo.tools import format_date

STATEMENT_REPORT = "fr_dunning_addon.action_report_litigation_statement"


def safe_file_name(name):
    """A file name without path separators or odd characters."""
    return re.sub(r"[^\w .-]+", "-", name or "").strip()


class ReportLitigationStatement(models.AbstractModel):
    _name = "report.fr_dunning_addon.report_litigation_statement"
    _description = "Litigation file: summary and statement of account"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["res.partner"].browse(docids)
        return {
            "docs": docs,
            "statements": {partner.id: partner._fr_dunning_statement_values() for partner in docs},
            "format_date": lambda day: format_date(self.env, day),
        }
