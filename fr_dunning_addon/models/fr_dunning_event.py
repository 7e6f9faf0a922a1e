# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .fr_dunning_level import LETTER_TIERS


class FrDunningEvent(models.Model):
    """One thing done to recover a debt: a reminder sent, a call made, a letter
    posted, a penalty invoice issued...

    Events are the evidence a court will ask for: the system never deletes
    them, and nobody can delete one through the interface.
    """

    _name = "fr.dunning.event"
    _description = "Dunning event"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "name"

    name = fields.Char(
        string="Description",
        required=True,
    )
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        help="The commercial entity (company or individual) the event concerns.",
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        relation="fr_dunning_event_account_move_rel",
        column1="event_id",
        column2="move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund'))]",
    )
    run_id = fields.Many2one(
        comodel_name="fr.dunning.run",
        index=True,
        ondelete="restrict",
    )
    level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        index=True,
        ondelete="restrict",
    )
    event_type = fields.Selection(
        selection=[
            ("reminder", "Reminder"),
            ("call", "Phone call"),
            ("call_planned", "Call planned"),
            ("letter", "Letter"),
            ("registered_letter", "Registered letter"),
            ("penalty", "Penalty invoice"),
            ("dispute", "Dispute"),
            ("promise", "Promise to pay"),
            ("acknowledgement", "Debt acknowledged by the customer"),
            ("legal_action", "Legal action"),
            ("note", "Note"),
        ],
        required=True,
        default="note",
        index=True,
    )
    channel = fields.Selection(
        selection=[
            ("email", "Email"),
            ("letter", "Letter"),
            ("registered_letter", "Registered letter (LRAR)"),
            ("phone", "Phone"),
            ("sms", "SMS"),
            ("manual", "Manual"),
        ],
        default="manual",
        required=True,
    )
    outcome = fields.Selection(
        selection=[
            ("promise", "Promise to pay"),
            ("dispute", "Dispute"),
            ("no_answer", "No answer"),
            ("wrong_contact", "Wrong contact"),
            ("paid", "Says it has paid"),
            ("other", "Other"),
        ],
        string="Call outcome",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Done by",
        help="Empty when the event was produced by the nightly automatic run.",
    )
    is_automatic = fields.Boolean(
        string="Automatic",
        help="Produced by the nightly escalation, not by a person.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        default=lambda self: self.env.company.currency_id,
    )
    amount_residual = fields.Monetary(
        string="Amount due",
        currency_field="currency_id",
        help="What the customer owed on the invoices concerned when the event happened.",
    )
    note = fields.Html()
    printed_date = fields.Datetime(
        string="Printed on",
        readonly=True,
    )
    printed_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Printed by",
        readonly=True,
    )
    registered_number = fields.Char(
        string="Registered-mail number",
        help="The number on the registered letter's receipt (LRAR).",
    )
    acknowledgement_date = fields.Date(
        help="The date the customer signed the acknowledgement of receipt.",
    )
    message_id = fields.Many2one(
        comodel_name="mail.message",
        string="Email sent",
        ondelete="set null",
        help="The email, as it stands in the customer's chatter.",
    )
    deadline_date = fields.Date(
        string="Pay by",
        help="The date the communication asks the customer to pay by.",
    )
    letter_tier = fields.Selection(
        selection=LETTER_TIERS,
        string="Letter",
        help="Which letter goes with this communication.",
    )
    letter_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Letter (PDF)",
        readonly=True,
        ondelete="restrict",
        help="The letter exactly as it was sent. Printing it again gives back this copy.",
    )
    reference = fields.Char(
        string="Our reference",
        compute="_compute_reference",
    )
    lang = fields.Char(
        string="Language",
        compute="_compute_lang",
        help="The language of the communication: the customer's, if it is installed.",
    )
    invoice_names = fields.Char(
        string="Invoice numbers",
        compute="_compute_invoice_names",
    )
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="fr_dunning_event_ir_attachment_rel",
        column1="event_id",
        column2="attachment_id",
        string="Documents",
    )

    @api.depends()
    def _compute_reference(self):
        for event in self:
            event.reference = event.id and f"REL-{event.id:06d}"

    @api.depends("partner_id.lang")
    def _compute_lang(self):
        for event in self:
            event.lang = self._fr_dunning_lang(event.partner_id)

    @api.model
    def _fr_dunning_lang(self, partner):
        """The customer's language if it is installed, else the user's."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return partner.lang if partner.lang in installed else (self.env.lang or "en_US")

    @api.depends("move_ids")
    def _compute_invoice_names(self):
        for event in self:
            event.invoice_names = ", ".join(
                event.move_ids.filtered(lambda m: m.move_type == "out_invoice").sorted("name").mapped("name")
            )

    def write(self, vals):
        # Events are evidence: once recorded, only what happens to the letter later
        # (printing, registered-mail number, acknowledgement) and the note change.
        if not self.env.su and set(vals) - self._fr_dunning_editable_fields():
            raise UserError(
                self.env._(
                    "A dunning event is evidence and cannot be changed, except its printing, "
                    "its registered-mail number, its acknowledgement date and its note."
                )
            )
        return super().write(vals)

    @api.model
    def _fr_dunning_editable_fields(self):
        return {"printed_date", "printed_by_id", "registered_number", "acknowledgement_date", "note"}

    def action_mark_printed(self):
        self.filtered(lambda e: not e.printed_date).write(
            {"printed_date": fields.Datetime.now(), "printed_by_id": self.env.uid}
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Dunning events are the evidence of your recovery actions and cannot be deleted.")
        )
