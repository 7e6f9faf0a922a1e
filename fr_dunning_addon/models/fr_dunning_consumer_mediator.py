# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's consumer mediator, named in the letters to consumers.

Code de la consommation L612-1: every consumer may refer a dispute with a
professional to a consumer mediator, free of charge; L616-1 and R616-1: the
professional gives the consumer the name and website of the mediator it
belongs to. The formal notice and the final notice to a consumer name it
(reports/fr_dunning_letter.xml)."""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    fr_dunning_consumer_mediator = fields.Char(
        string="Consumer mediator",
        help="The consumer mediator the company belongs to (Code de la consommation L612-1, L616-1): "
        "named in the formal notice and the final notice sent to consumers.",
    )
    fr_dunning_consumer_mediator_url = fields.Char(
        string="Consumer mediator's website",
        help="Where a consumer refers a dispute to the mediator (R616-1).",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fr_dunning_consumer_mediator = fields.Char(
        related="company_id.fr_dunning_consumer_mediator",
        readonly=False,
    )
    fr_dunning_consumer_mediator_url = fields.Char(
        related="company_id.fr_dunning_consumer_mediator_url",
        readonly=False,
    )
