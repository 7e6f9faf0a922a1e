# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An invoice under credit insurance: its cover, its overdue report and claim
dates, and whether a dispute puts it outside the cover.

The original due date is ``fr_dunning_due_date``: the due date of the
earliest instalment still unpaid, as the invoice was issued (a one-instalment
invoice's due date). Promises and payment plans pause the chasing but never
move it, so the insurer's clock keeps running from it. When that instalment
is paid, the next one's own date, also as issued, takes over.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

# Set by the nightly reminders and the overdue report only (their own
# columns, written in SQL): a user who wrote them would silence a reminder.
INSURANCE_FLOW_FIELDS = frozenset(
    {
        "fr_dunning_insurance_report_warned",
        "fr_dunning_insurance_claim_warned",
        "fr_dunning_insurance_reported",
    }
)
# A commercial dispute takes the debt out of the cover until it is settled.
OUTSIDE_COVER_PAUSES = ("dispute",)


class AccountMove(models.Model):
    _inherit = "account.move"

    fr_dunning_insurance_report_warned = fields.Date(
        string="Overdue report reminder given for",
        copy=False,
        readonly=True,
        help="Technical: the original due date whose overdue report reminder was given.",
    )
    fr_dunning_insurance_claim_warned = fields.Date(
        string="Claim reminder given for",
        copy=False,
        readonly=True,
        help="Technical: the original due date whose claim reminder was given.",
    )
    fr_dunning_insurance_reported = fields.Date(
        string="Reported to the insurer on",
        copy=False,
        readonly=True,
        help="The day this invoice was last in an overdue report sent to the credit insurer.",
    )
    fr_dunning_insurance_cover_id = fields.Many2one(
        comodel_name="fr.dunning.insurance.cover",
        string="Credit insurance cover",
        compute="_compute_fr_dunning_insurance",
        help="The insurer's cover of the customer in force on the invoice's date.",
    )
    fr_dunning_insurance_state = fields.Selection(
        selection=[
            ("insured", "Insured"),
            ("outside", "Disputed: outside the cover"),
        ],
        string="Credit insurance",
        compute="_compute_fr_dunning_insurance",
        help="Insured: a cover of the customer was in force on the invoice's date. A disputed "
        "invoice is outside the cover until the dispute is settled.",
    )
    fr_dunning_insurance_report_date = fields.Date(
        string="Report to the insurer by",
        compute="_compute_fr_dunning_insurance",
        help="The overdue report deadline: the policy's days counted from the original due date.",
    )
    fr_dunning_insurance_claim_date = fields.Date(
        string="Claim to the insurer by",
        compute="_compute_fr_dunning_insurance",
        help="The claim deadline: the policy's days counted from the original due date.",
    )

    @api.depends(
        "invoice_date", "commercial_partner_id", "company_id", "fr_dunning_due_date", "fr_dunning_blocked"
    )
    def _compute_fr_dunning_insurance(self):
        covers = self.env["fr.dunning.insurance.cover"]._covers_of(
            self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        )
        for move in self:
            cover = covers.get(move.id)
            due = move.fr_dunning_due_date
            move.fr_dunning_insurance_cover_id = cover
            move.fr_dunning_insurance_state = cover and (
                "outside" if move.fr_dunning_blocked in OUTSIDE_COVER_PAUSES else "insured"
            )
            move.fr_dunning_insurance_report_date = cover and due and cover.policy_id._report_date(due)
            move.fr_dunning_insurance_claim_date = cover and due and cover.policy_id._claim_date(due)

    @api.model
    def _fr_dunning_check_user_vals(self, vals):
        # EXTENDS fr_dunning_addon: the insurance markers are the flows' too.
        if INSURANCE_FLOW_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "The credit insurance state of an invoice (%(fields)s) is set by the dunning "
                    "actions only.",
                    fields=", ".join(sorted(INSURANCE_FLOW_FIELDS & set(vals))),
                )
            )
        return super()._fr_dunning_check_user_vals(vals)

    def _fr_dunning_insurance_limits(self):
        """{invoice: (cover, extension limit)} for the insured invoices of
        ``self`` not in dispute: the last day a payment may be put off to
        without declaring it to the insurer."""
        covers = self.env["fr.dunning.insurance.cover"]._covers_of(self)
        return {
            move: (covers[move.id], covers[move.id].policy_id._extension_limit(move.fr_dunning_due_date))
            for move in self
            if move.id in covers
            and move.fr_dunning_due_date
            and move.fr_dunning_blocked not in OUTSIDE_COVER_PAUSES
        }
