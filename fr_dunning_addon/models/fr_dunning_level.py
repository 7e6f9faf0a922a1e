# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import fr_dunning_law as law

# The tiers, in the order a debt goes through them.
TIERS = [
    ("preventive", "Preventive reminder"),
    ("courteous", "Courteous reminder"),
    ("firm", "Firm reminder"),
    ("formal", "Formal letter"),
    ("formal_notice", "Formal notice (mise en demeure)"),
    ("pre_litigation", "Pre-litigation notice"),
    ("litigation", "Litigation hand-over"),
]
TIER_RANK = {tier: rank for rank, (tier, _label) in enumerate(TIERS)}
# The three letters (reports/fr_dunning_letter.xml).
LETTER_TIERS = [
    ("1", "1 - Courteous reminder"),
    ("2", "2 - Formal notice"),
    ("3", "3 - Pre-litigation notice"),
]
# The letter of each tier, when a level prints one without saying which.
TIER_LETTER = {
    "preventive": "1",
    "courteous": "1",
    "firm": "1",
    "formal": "1",
    "formal_notice": "2",
    "pre_litigation": "3",
    "litigation": "3",
}
# The addon's email template of each tier (used when a level has none).
TIER_TEMPLATE = {
    "preventive": "fr_dunning_addon.mail_template_preventive",
    "courteous": "fr_dunning_addon.mail_template_courteous",
    "firm": "fr_dunning_addon.mail_template_firm",
    "formal": "fr_dunning_addon.mail_template_formal",
    "formal_notice": "fr_dunning_addon.mail_template_formal_notice",
    "pre_litigation": "fr_dunning_addon.mail_template_pre_litigation",
    "litigation": "fr_dunning_addon.mail_template_pre_litigation",
}


class FrDunningLevel(models.Model):
    """One step of a dunning policy: when, how and how firmly to chase."""

    _name = "fr.dunning.level"
    _description = "Dunning level"
    _order = "policy_id, offset_days, id"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        translate=True,
    )
    policy_id = fields.Many2one(
        comodel_name="fr.dunning.policy",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="policy_id.company_id",
        store=True,
        index=True,
    )
    offset_days = fields.Integer(
        string="Days after due date",
        required=True,
        help="When this level is reached, in days from the due date: -3 means three days "
        "before the due date, 15 means fifteen days after.",
    )
    tier = fields.Selection(
        selection=TIERS,
        required=True,
        default="courteous",
        help="How firm the communication is. A policy's tiers never go backwards.",
    )
    channel_email = fields.Boolean(
        string="Email",
        default=True,
    )
    channel_letter = fields.Boolean(
        string="Letter",
    )
    channel_registered = fields.Boolean(
        string="Registered letter (LRAR)",
        help="A letter sent by registered mail with acknowledgement of receipt: the "
        "registered-mail number and the acknowledgement date are recorded on the event.",
    )
    channel_phone = fields.Boolean(
        string="Phone call",
        help="An activity for the customer's dunning responsible, with the call script.",
    )
    channel_sms = fields.Boolean(
        string="SMS",
        help="A short text to the customer's mobile (else phone) number, queued in Odoo's SMS app "
        "and sent through Odoo's SMS service. Ignored while the SMS app is not installed, and for "
        "customers without a number.",
    )
    mail_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Email template",
        domain="[('model', '=', 'fr.dunning.event')]",
        help="The email sent at this level. Empty: the addon's template for the level's tier.",
    )
    letter_tier = fields.Selection(
        selection=LETTER_TIERS,
        string="Letter printed",
        help="Which letter is printed for the letter channels.",
    )
    penalties = fields.Selection(
        selection=[
            ("none", "Not mentioned"),
            ("show", "Shown in the communication"),
            ("charge", "Shown and billed"),
        ],
        string="Late-payment penalties",
        default="none",
        required=True,
    )
    deadline_days = fields.Integer(
        string="Deadline given (days)",
        default=8,
        help="The customer is asked to pay within this many days of the communication.",
    )
    min_amount = fields.Monetary(
        string="Minimum overdue amount",
        currency_field="currency_id",
        help="Below this overdue total, the customer is not chased at this level "
        "(no registered letter for 80 EUR).",
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id",
    )
    min_interval_days = fields.Integer(
        string="Days since the last communication",
        default=7,
        help="At least this many days between two communications to the same customer.",
    )
    letter_text = fields.Html(
        string="Letter text",
        translate=True,
        help="Replaces the main paragraphs of the letter (and of the email) of this level. "
        "The invoice table, the amounts, the deadline, the legal mentions and the payment "
        "details stay. Empty: the standard text of the letter's tier.",
    )
    litigation_route = fields.Selection(
        selection=law.LITIGATION_ROUTES,
        string="Intended procedure",
        default="injunction",
        help="The procedure the pre-litigation notice announces.",
    )
    call_script = fields.Html(
        translate=True,
        help="What to say on the phone: given to the responsible in the call activity.",
    )

    _sql_constraints = [
        (
            "offset_unique",
            "UNIQUE(policy_id, offset_days)",
            "Two levels of a policy cannot fall on the same day.",
        ),
        (
            "positive_values",
            "CHECK(deadline_days >= 0 AND min_interval_days >= 0 AND COALESCE(min_amount, 0) >= 0)",
            "Deadlines, intervals and minimum amounts cannot be negative.",
        ),
    ]

    @api.constrains(
        "tier", "channel_email", "channel_letter", "channel_registered", "channel_phone", "channel_sms"
    )
    def _check_channels(self):
        for level in self:
            channels = (
                level.channel_email,
                level.channel_letter,
                level.channel_registered,
                level.channel_phone,
                level.channel_sms,
            )
            if not any(channels) and level.tier != "litigation":
                raise ValidationError(
                    self.env._("Level %(level)s needs at least one channel.", level=level.name)
                )
            letters = [
                name
                for name, on in (("letter", level.channel_letter), ("registered", level.channel_registered))
                if on
            ]
            if level.tier == "formal_notice" and not law.puts_on_notice(level.tier, letters):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s is a formal notice (mise en demeure): it needs the letter or "
                        "the registered letter channel.",
                        level=level.name,
                    )
                )

    @api.constrains("tier", "offset_days")
    def _check_formal_notice_after_due_date(self):
        for level in self:
            if TIER_RANK[level.tier] >= TIER_RANK["formal_notice"] and not law.notice_after_due_date(
                level.offset_days
            ):
                raise ValidationError(
                    self.env._(
                        "Level %(level)s is a formal notice (mise en demeure) or firmer: it must fall "
                        "after the due date (at least 1 day after it, not %(days)s).",
                        level=level.name,
                        days=level.offset_days,
                    )
                )

    @api.constrains("tier", "offset_days", "policy_id")
    def _check_tier_order(self):
        for policy in self.policy_id:
            levels = policy.level_ids.sorted("offset_days")
            for previous, level in pairwise(levels):
                if TIER_RANK[level.tier] < TIER_RANK[previous.tier]:
                    raise ValidationError(
                        self.env._(
                            "In policy %(policy)s, level %(level)s (day %(day)s) is softer than level "
                            "%(previous)s (day %(previous_day)s): a later level cannot go back to a "
                            "softer tier.",
                            policy=policy.name,
                            level=level.name,
                            day=level.offset_days,
                            previous=previous.name,
                            previous_day=previous.offset_days,
                        )
                    )
