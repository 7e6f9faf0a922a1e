# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError

# The documents of these models are evidence: the letters as they were sent,
# the signed acknowledgements of debt.
EVIDENCE_MODELS = ("fr.dunning.event",)


class IrAttachment(models.Model):
    """The documents of the dunning history are never changed nor deleted.

    Odoo checks an attachment's write against write access on its record,
    which a dunning user has on events (to type a registered-mail number): the
    event's own guard would be skipped. Only the addon's flows (as superuser)
    write these documents."""

    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': the documents of the history are the flows' (the
        # letter as sent, the signed acknowledgement).
        if not self.env.su and any(vals.get("res_model") in EVIDENCE_MODELS for vals in vals_list):
            raise AccessError(
                self.env._("Documents of the dunning history are added by the dunning actions.")
            )
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'base'
        if not self.env.su:
            self._fr_dunning_check_not_evidence()
            if vals.get("res_model") in EVIDENCE_MODELS:
                raise AccessError(
                    self.env._("Documents of the dunning history are added by the dunning actions.")
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dunning_evidence(self):
        if not self.env.su:
            self._fr_dunning_check_not_evidence()

    def _fr_dunning_check_not_evidence(self):
        if any(attachment.sudo().res_model in EVIDENCE_MODELS for attachment in self):
            raise AccessError(
                self.env._("A document of the dunning history is evidence: it cannot be changed or deleted.")
            )
