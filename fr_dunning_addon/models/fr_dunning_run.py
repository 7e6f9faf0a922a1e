# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class FrDunningRun(models.Model):
    """What one escalation run did: an accountant opens it to see who was chased,
    how, and who was left alone and why. The nightly run of a day is one record,
    whatever the number of batches."""

    _name = "fr.dunning.run"
    _description = "Dunning run"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
    )
    date = fields.Date(
        required=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
    )
    is_automatic = fields.Boolean(
        string="Nightly run",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Run by",
    )
    customer_count = fields.Integer(
        string="Customers chased",
    )
    communication_count = fields.Integer(
        string="Communications",
    )
    email_count = fields.Integer(
        string="Emails",
    )
    letter_count = fields.Integer(
        string="Letters",
    )
    registered_count = fields.Integer(
        string="Registered letters",
    )
    phone_count = fields.Integer(
        string="Calls to make",
    )
    calls_postponed = fields.Integer(
        string="Calls postponed",
        help="Calls left for the next day: their responsible had been given the company's daily "
        "number of calls, the largest amounts first. Their invoices stay due for the level; its "
        "emails and letters went.",
    )
    skipped_interval = fields.Integer(
        string="Left alone: too soon",
        help="Customers whose level was due but who were chased less than the level's minimum interval ago.",
    )
    skipped_amount = fields.Integer(
        string="Left alone: small amount",
        help="Customers who owe less than the level's minimum amount or the company tolerance.",
    )
    duration = fields.Float(
        string="Duration (s)",
        digits=(10, 2),
    )
    night_cursor = fields.Integer(
        string="Last customer done",
        readonly=True,
        help="Technical: the nightly run goes through the customers in id order, one batch per call, "
        "and resumes after this one.",
    )
    night_queue = fields.Text(
        string="Customers left tonight",
        readonly=True,
        prefetch=False,
        help="Technical: the ids of the night's candidates, searched at the night's first call and "
        "read by the next ones; emptied when the night is complete.",
    )
    held_reason = fields.Char(
        string="Held",
        readonly=True,
        help="Why the nightly run sent nothing this night (the company holds automatic reminders "
        "while its bank statements are stale).",
    )
    error_count = fields.Integer(
        string="Customers in error",
        readonly=True,
        help="Customers the nightly run could not chase because of an error (a mail template that "
        "fails for them, for example). Nothing was sent to them; the next night tries again.",
    )
    error_log = fields.Text(
        string="Errors",
        readonly=True,
        help="One line per customer in error: who, and the error.",
    )
    night_complete = fields.Boolean(
        string="Night complete",
        readonly=True,
        help="The nightly run went through all the customers of the company.",
    )
    event_ids = fields.One2many(
        comodel_name="fr.dunning.event",
        inverse_name="run_id",
        string="Events",
    )

    @api.depends("date", "company_id", "is_automatic")
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            kind = self.env._("Nightly run") if run.is_automatic else self.env._("Manual run")
            run.name = f"{kind} — {format_date(self.env, run.date)}" if run.date else kind

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        # The runs summarize the evidence: kept like the events.
        raise UserError(self.env._("Dunning runs are kept with the dunning history."))

    @api.model
    def _get_run(self, company, today, automatic):
        """Today's nightly run record of ``company`` (one per day), or a new manual one."""
        if automatic:
            run = self.search(
                [("company_id", "=", company.id), ("date", "=", today), ("is_automatic", "=", True)], limit=1
            )
            if run:
                return run
        # Runs are written by the escalation only (users may read them): their
        # counts summarize the evidence.
        return (
            self.sudo()
            .create(
                {
                    "company_id": company.id,
                    "date": today,
                    "is_automatic": automatic,
                    "user_id": False if automatic else self.env.uid,
                }
            )
            .sudo(self.env.su)
        )

    def _add_errors(self, errors):
        """Record ``errors`` ({partner: error message}): customers left out of
        this run because chasing them failed."""
        self.ensure_one()
        if not errors:
            return
        lines = [
            self.env._(
                "%(customer)s (#%(id)s): %(error)s", customer=partner.display_name, id=partner.id, error=error
            )
            for partner, error in errors.items()
        ]
        self.sudo().write(
            {
                "error_count": self.error_count + len(errors),
                "error_log": "\n".join(filter(None, [self.error_log, *lines])),
            }
        )

    def _add_summary(self, summary):
        """Add ``summary`` (see fr.dunning.escalation._run) to this run's counts."""
        self.ensure_one()
        sent, skipped = summary["sent"], summary["skipped"]
        self.sudo().write(
            {
                "customer_count": self.customer_count + summary["customers"],
                "communication_count": self.communication_count + summary["communications"],
                "email_count": self.email_count + sent.get("email", 0),
                "letter_count": self.letter_count + sent.get("letter", 0),
                "registered_count": self.registered_count + sent.get("registered", 0),
                "phone_count": self.phone_count + sent.get("phone", 0),
                "calls_postponed": self.calls_postponed + summary.get("calls_postponed", 0),
                "skipped_interval": self.skipped_interval + skipped.get("interval", 0),
                "skipped_amount": self.skipped_amount + skipped.get("amount", 0),
                "duration": self.duration + summary["seconds"],
            }
        )
