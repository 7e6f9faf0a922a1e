# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_formats import LangFormats
from .fr_dunning_level import LETTER_TIERS

# Clocks of the web server and the database differ by a little: an event is
# "in the future" beyond this.
CLOCK_TOLERANCE = timedelta(minutes=5)


class FrDunningEvent(models.Model):
    """One thing done to recover a debt: a reminder sent, a call made, a letter
    posted, a penalty invoice issued...

    Events are the evidence a court will ask for. They are recorded only by
    the addon's own flows, through ``_fr_dunning_record`` (users have no right
    to create one: the flows create them as superuser, after their guarded
    entry point checked the user), never dated in the future, never deleted;
    only what happens to a letter later (printing, registered-mail number,
    acknowledgement of receipt) and the note change. A mistake is corrected by
    a new event that refers to the wrong one (``corrected_event_id``).
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
            ("portal", "Online, by the customer"),
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
    email_subject = fields.Char(
        related="message_id.subject",
        string="Subject",
    )
    email_recipient_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Sent to",
        compute="_compute_email_delivery",
        help="The recipients of the email, as Odoo's mail queue addressed it.",
    )
    email_attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        string="Email attachments",
        compute="_compute_email_delivery",
    )
    email_status = fields.Selection(
        selection=[
            ("ready", "Queued"),
            ("sent", "Sent"),
            ("bounce", "Bounced"),
            ("exception", "Not sent (error)"),
            ("canceled", "Cancelled"),
        ],
        string="Delivery",
        compute="_compute_email_delivery",
        help="Where the email stands, from Odoo's delivery notifications: the worst of its recipients'.",
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
    deadline_text = fields.Char(
        string="Pay by (in full)",
        compute="_compute_deadline_text",
        help='The date to pay by, written in full in the reader\'s language ("1er décembre 2026"), '
        "as the email subjects give it.",
    )
    corrected_event_id = fields.Many2one(
        comodel_name="fr.dunning.event",
        string="Corrects",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The event this one corrects: the wrong one stays in the history, as evidence of "
        "what was recorded then.",
    )
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="fr_dunning_event_ir_attachment_rel",
        column1="event_id",
        column2="attachment_id",
        string="Documents",
    )

    @api.depends("message_id")
    def _compute_email_delivery(self):
        # The event's own access was checked; the message's notifications are
        # Odoo's bookkeeping of the delivery, read as such.
        for event in self:
            message = event.message_id.sudo()
            statuses = set(message.notification_ids.mapped("notification_status"))
            event.email_recipient_ids = message.partner_ids.sudo(False)
            event.email_attachment_ids = message.attachment_ids.sudo(False)
            event.email_status = next(
                (
                    status
                    for group, status in (
                        ({"bounce"}, "bounce"),
                        ({"exception"}, "exception"),
                        ({"ready", "process", "pending"}, "ready"),
                        ({"canceled"}, "canceled"),
                        ({"sent"}, "sent"),
                    )
                    if statuses & group
                ),
                False,
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

    @api.depends("deadline_date")
    @api.depends_context("lang")
    def _compute_deadline_text(self):
        formats = LangFormats(self.env)
        for event in self:
            event.deadline_text = formats.long_date(event.deadline_date) if event.deadline_date else ""

    @api.constrains("is_automatic", "user_id")
    def _check_automatic(self):
        for event in self:
            if event.is_automatic and event.user_id:
                raise ValidationError(
                    self.env._("An automatic event is produced by the system, not by a person.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': evidence is recorded by the addon's flows only.
        if not self.env.su:
            raise AccessError(
                self.env._("Dunning events are recorded by the dunning actions only, not by hand.")
            )
        limit = fields.Datetime.now() + CLOCK_TOLERANCE
        for vals in vals_list:
            if vals.get("date") and fields.Datetime.to_datetime(vals["date"]) > limit:
                raise ValidationError(self.env._("A dunning event cannot be dated in the future."))
        return super().create(vals_list)

    @api.model
    def _fr_dunning_record(self, vals_list, automatic=False):
        """Record dunning events: the one way evidence is written.

        Called by the addon's flows, after their guarded entry point checked
        the user. ``automatic`` events are the system's (the nightly run): no
        user. Otherwise the current user did it. Returns the events in the
        caller's environment."""
        for vals in vals_list:
            vals["is_automatic"] = automatic
            vals["user_id"] = False if automatic else vals.get("user_id") or self.env.uid
        return self.sudo().create(vals_list).sudo(self.env.su)

    def write(self, vals):
        # EXTENDS 'base': events are evidence. A user only completes what the
        # post office gives back once: the registered-mail number and the date
        # the customer signed for the letter. Everything else is the flows'.
        if not self.env.su:
            self._fr_dunning_check_user_write(vals)
        return super().write(vals)

    def _fr_dunning_check_user_write(self, vals):
        if set(vals) - self._fr_dunning_editable_fields():
            raise UserError(
                self.env._(
                    "A dunning event is evidence and cannot be changed: record a correction instead. "
                    "Only a registered letter's number and acknowledgement date can be filled in."
                )
            )
        for event in self:
            if event.channel != "registered_letter":
                raise UserError(self.env._("Only a registered letter has a number and an acknowledgement."))
            if any(vals.get(name) != event[name] and event[name] for name in vals):
                raise UserError(
                    self.env._(
                        "The registered-mail number and the acknowledgement date are filled in once: "
                        "record a correction to change them."
                    )
                )
        if vals.get("acknowledgement_date") and (
            fields.Date.to_date(vals["acknowledgement_date"]) > fields.Date.context_today(self)
        ):
            raise ValidationError(self.env._("An acknowledgement of receipt cannot be dated in the future."))

    @api.model
    def _fr_dunning_editable_fields(self):
        return {"registered_number", "acknowledgement_date"}

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_correct(self):
        """Open the correction of this event: a new event that refers to it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a correction"),
            "res_model": "fr.dunning.correction",
            "view_mode": "form",
            "target": "new",
            "context": {"default_event_id": self.id},
        }

    @guarded(GROUP_USER, "write")
    def action_mark_printed(self):
        self.filtered(lambda e: not e.printed_date).sudo().write(
            {"printed_date": fields.Datetime.now(), "printed_by_id": self.env.uid}
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Dunning events are the evidence of your recovery actions and cannot be deleted.")
        )
