# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

# The fields of a call to-do that only the escalation sets.
DUNNING_FIELDS = ("fr_dunning_company_id", "fr_dunning_level_id")


class MailActivity(models.Model):
    """A dunning call to make is a to-do of the call type on the customer,
    given by the escalation. It says which company's dunning gave it and for
    which level: the calls of the day are counted against the daily limit
    (fr_dunning_call_limit.py) and listed in "Calls to make today"
    (fr_dunning_call.py)."""

    _inherit = "mail.activity"

    fr_dunning_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Dunning company",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The company whose dunning gave this call to make.",
    )
    fr_dunning_level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        string="Dunning level",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The dunning level this call is for.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'mail': a dunning call is given by the escalation only.
        if not self.env.su and any(name in vals for vals in vals_list for name in DUNNING_FIELDS):
            raise AccessError(self.env._("Dunning calls are given by the dunning runs."))
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'mail'
        if not self.env.su and any(name in vals for name in DUNNING_FIELDS):
            raise AccessError(self.env._("Dunning calls are given by the dunning runs."))
        return super().write(vals)
