# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import e-invoicing statuses from a CSV file (a platform's export)."""

import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.fr_dunning_access import GROUP_USER, guarded

# The columns, in French or in English, as platforms name them.
COLUMNS = {
    "invoice": ("invoice", "facture", "numero", "numéro", "invoice_number"),
    "code": ("code", "status", "statut"),
    "date": ("date", "status_date", "date_statut"),
    "reason_code": ("reason_code", "code_motif", "motif_code"),
    "reason": ("reason", "motif", "commentaire", "comment"),
}
MAX_ROWS = 10000


def read_statuses(data):
    """[{invoice, code, date, reason_code, reason}] of a CSV file's bytes
    (comma or semicolon, UTF-8 or Latin-1, a header line)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    if len(rows) > MAX_ROWS:
        raise csv.Error(f"more than {MAX_ROWS} lines")
    statuses = []
    for row in rows:
        lowered = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        status = {
            target: next((lowered[name] for name in names if lowered.get(name)), "")
            for target, names in COLUMNS.items()
        }
        if status["invoice"] or status["code"]:
            statuses.append(status)
    return statuses


class FrDunningLifecycleImport(models.TransientModel):
    _name = "fr.dunning.lifecycle.import"
    _description = "Import e-invoicing statuses"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    file = fields.Binary(
        string="CSV file",
        required=True,
        help="Columns: invoice (number), code (200 to 228), date (YYYY-MM-DD or DD/MM/YYYY), reason_code, "
        "reason. Comma or semicolon separated.",
    )
    filename = fields.Char()

    @guarded(GROUP_USER, "write")
    def action_import(self):
        """Record the file's statuses; those already known are skipped."""
        self.ensure_one()
        try:
            statuses = read_statuses(base64.b64decode(self.file or b""))
        except csv.Error as error:
            raise UserError(
                self.env._("The file cannot be read as CSV (at most 10 000 lines): %(error)s", error=error)
            ) from error
        for status in statuses:
            day = status["date"]
            if len(day) == 10 and day[2] == "/" and day[5] == "/":
                status["date"] = f"{day[6:]}-{day[3:5]}-{day[:2]}"
        created = (
            self.env["fr.dunning.lifecycle.status"]
            .with_company(self.company_id)
            .record_statuses(statuses, source="import")
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("E-invoicing statuses imported"),
            "res_model": "fr.dunning.lifecycle.status",
            "view_mode": "list,form",
            "domain": [("id", "in", created.ids)],
        }
