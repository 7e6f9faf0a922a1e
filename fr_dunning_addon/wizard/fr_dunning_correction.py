# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, fields, models

from ..models.fr_dunning_access import GROUP_USER, guarded
from ..models.fr_dunning_evidence import history_env


class FrDunningCorrection(models.TransientModel):
    """Correct a dunning event: the wrong one stays, a new one says what was
    wrong and refers to it. The history shows both, as a court would want."""

    _name = "fr.dunning.correction"
    _description = "Correct a dunning event"
    _check_company_auto = True

    company_id = fields.Many2one(
        related="event_id.company_id",
    )
    event_id = fields.Many2one(
        comodel_name="fr.dunning.event",
        string="Event corrected",
        required=True,
        check_company=True,
    )
    note = fields.Text(
        string="Correction",
        required=True,
        help="What was wrong in the event, and what is right.",
    )

    @guarded(GROUP_USER, "write")
    def action_record(self):
        self.ensure_one()
        wrong = self.event_id
        wrong.check_access("read")
        # The history is written in the company's language.
        env = history_env(self.env, wrong.company_id)
        event = self.env["fr.dunning.event"]._fr_dunning_record(
            [
                {
                    "name": env._("Correction of %(reference)s", reference=wrong.reference),
                    "company_id": wrong.company_id.id,
                    "partner_id": wrong.partner_id.id,
                    "move_ids": [Command.set(wrong.move_ids.ids)],
                    "event_type": "note",
                    "channel": "manual",
                    "currency_id": wrong.currency_id.id,
                    "amount_residual": wrong.amount_residual,
                    "corrected_event_id": wrong.id,
                    "note": Markup("<p>%s</p>") % self.note,
                }
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": event._name,
            "res_id": event.id,
            "view_mode": "form",
            "target": "current",
        }
