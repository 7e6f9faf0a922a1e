# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Send a chosen level to customers: the level, and a confirmation when it
would be their first communication."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.fr_dunning_access import GROUP_USER, guarded


class FrDunningLevelChoice(models.TransientModel):
    """Choose the level to send a customer now."""

    _name = "fr.dunning.level.choice"
    _description = "Send a chosen dunning level"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        required=True,
    )
    level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        string="Level to send",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    never_reminded = fields.Char(
        string="Never reminded",
        compute="_compute_never_reminded",
        help="The customers who got no reminder, letter or call before: a firm level would be "
        "their first communication.",
    )
    confirm_first = fields.Boolean(
        string="Send it as their first communication",
    )

    @api.depends("partner_ids", "level_id", "company_id")
    def _compute_never_reminded(self):
        for choice in self:
            partners = choice.partner_ids.commercial_partner_id
            if not choice.level_id or choice.level_id.tier in ("preventive", "courteous") or not partners:
                choice.never_reminded = False
                continue
            reminded = {
                partner.id
                for [partner] in self.env["fr.dunning.event"]._read_group(
                    [
                        ("company_id", "=", choice.company_id.id),
                        ("partner_id", "in", partners.ids),
                        ("event_type", "in", ("reminder", "letter", "registered_letter", "call")),
                    ],
                    ["partner_id"],
                )
            }
            choice.never_reminded = ", ".join(
                partners.filtered(lambda p, done=reminded: p.id not in done).mapped("name")
            )

    @guarded(GROUP_USER, "write")
    def action_preview(self):
        self.ensure_one()
        if self.never_reminded and not self.confirm_first:
            raise UserError(
                self.env._(
                    "%(customers)s never got a reminder: %(level)s would be their first communication "
                    '("despite our previous reminders" would not hold). Tick the box to confirm.',
                    customers=self.never_reminded,
                    level=self.level_id.name,
                )
            )
        return self.env["fr.dunning.preview"]._open(
            partners=self.partner_ids.commercial_partner_id, level=self.level_id
        )
