# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Prescription: the warnings six months and one month before an invoice's
claim can no longer be brought to court (the date itself is computed on the
invoice, from fr_dunning_law)."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from .fr_dunning_evidence import reader_env


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Cron: prescription warnings
    # ------------------------------------------------------------------

    @api.model
    def _cron_fr_dunning_prescription(self):
        """Activities for the dunning responsible of invoices that prescribe
        within 6 months, then within 1 month: each warning once."""
        today = fields.Date.context_today(self)
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("account.move")
        activity_vals = []
        for warning, months in ((1, 6), (2, 1)):
            horizon = today + relativedelta(months=months)
            moves = self.search(
                [
                    *self._fr_dunning_open_domain(),
                    ("fr_dunning_prescription_date", "<=", horizon),
                    ("fr_dunning_prescription_warned", "<", warning),
                ]
            )
            for move in moves:
                user = self.env["fr.dunning.escalation"]._responsible(
                    move.commercial_partner_id, move.company_id, move.invoice_user_id
                )
                env = reader_env(self.env, user, move.company_id)  # the cron has no language
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": move.id,
                        "activity_type_id": todo_type.id,
                        "date_deadline": today,
                        "summary": env._(
                            "%(invoice)s prescribes on %(date)s",
                            invoice=move.name,
                            date=format_date(env, move.fr_dunning_prescription_date),
                        ),
                        "note": env._(
                            "After this date the claim can no longer be brought to court. Obtain a written "
                            "acknowledgement of the debt or start legal action before it."
                        ),
                        "user_id": user.id,
                    }
                )
            if moves:
                self.flush_model(["fr_dunning_prescription_warned"])
                self.env.cr.execute(
                    SQL(
                        "UPDATE account_move SET fr_dunning_prescription_warned = %s WHERE id = ANY(%s)",
                        warning,
                        moves.ids,
                    )
                )
                moves.invalidate_recordset(["fr_dunning_prescription_warned"])
        self.env["mail.activity"].sudo().create(activity_vals)
        return len(activity_vals)
