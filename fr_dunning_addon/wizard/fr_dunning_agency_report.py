# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, formatLang

from ..models.fr_dunning_access import GROUP_MANAGER, GROUP_USER, guarded
from ..models.fr_dunning_evidence import history_env
from ..models.fr_dunning_litigation_handover import AGENCY_REPORTS, COLLECTED_PAYMENT_STATES


class FrDunningAgencyReportWizard(models.TransientModel):
    """Record what the agency or the commissaire de justice reports on a
    file: a dunning event of the file, never changed afterwards. A dunning
    user records contacts, promises and files closed without result; a sum
    collected is booked (a payment reconciled with the invoices, the fee
    bill), which is a dunning manager's act."""

    _name = "fr.dunning.agency.report.wizard"
    _description = "Record an agency report"
    _check_company_auto = True

    litigation_id = fields.Many2one(
        comodel_name="fr.dunning.litigation",
        string="Litigation file",
        required=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="litigation_id.company_id",
        store=True,
    )
    company_currency_id = fields.Many2one(
        related="litigation_id.company_currency_id",
    )
    report = fields.Selection(
        selection=AGENCY_REPORTS,
        required=True,
        default="contact",
    )
    date = fields.Date(
        string="Reported on",
        required=True,
        default=fields.Date.context_today,
        help="The day of the contact, the promise or the collection, as the agency reports it.",
    )
    amount = fields.Monetary(
        currency_field="company_currency_id",
        help="The sum collected, or the sum the customer promised the agency.",
    )
    promise_date = fields.Date(
        string="Promised for",
    )
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Received in",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="The journal of the payment: the bank the agency pays into, or a journal kept for the "
        "agency's account.",
    )
    corrected_event_id = fields.Many2one(
        comodel_name="fr.dunning.event",
        string="Corrects",
        check_company=True,
        domain="[('litigation_id', '=', litigation_id)]",
        help="The report this one corrects: it stays in the history, as evidence of what was recorded then.",
    )
    note = fields.Text()

    @api.constrains("amount")
    def _check_amount(self):
        for wizard in self:
            if wizard.amount < 0:
                raise ValidationError(self.env._("The amount cannot be negative."))

    @guarded(GROUP_USER, "write")
    def action_record(self):
        """Record the report (and book a sum collected)."""
        self.ensure_one()
        litigation = self.litigation_id
        litigation.check_access("read")
        if self.report == "payment" and not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._("Only dunning managers record a sum collected: it books a payment and a bill.")
            )
        litigation._fr_dunning_check_reportable(self.date)
        wrong = self.corrected_event_id
        if wrong and wrong.litigation_id != litigation:
            raise ValidationError(self.env._("A report corrects a report of the same file."))
        if wrong.payment_id.state in COLLECTED_PAYMENT_STATES:
            raise UserError(
                self.env._(
                    "The payment of the report corrected stands: cancel it in accounting first, then record "
                    "the correction (and the right sum collected, if any)."
                )
            )
        env = history_env(self.env, litigation.company_id)
        currency = litigation.company_currency_id
        memo = env._(
            "%(agency)s, file %(customer)s",
            agency=litigation.external_partner_id.name,
            customer=litigation.partner_id.name,
        )
        payment, bill = self.env["account.payment"], self.env["account.move"]
        if self.report == "payment":
            if not currency.compare_amounts(self.amount, 0) > 0:
                raise ValidationError(self.env._("Enter the sum collected."))
            if not self.journal_id:
                raise ValidationError(self.env._("Choose the journal the sum collected is received in."))
            payment = litigation._fr_dunning_collect(self.amount, self.date, self.journal_id, memo)
            bill = litigation._fr_dunning_bill_fee(self.amount, self.date, memo)
        elif self.report == "closed":
            # The file's fixed fees are owed whatever the result.
            bill = litigation._fr_dunning_bill_fee(0.0, self.date, memo)
        labels = dict(self._fields["report"]._description_selection(env))
        text = self._report_text(env, currency)
        values = {
            "litigation_id": litigation.id,
            "agency_report": self.report,
            "payment_id": payment.id,
            "fee_bill_id": bill.id,
            "corrected_event_id": wrong.id,
        }
        litigation._fr_dunning_log(
            "agency_report",
            env._("Agency report: %(report)s", report=labels[self.report]),
            text,
            outcome="promise" if self.report == "promise" else False,
            **values,
        )
        return {"type": "ir.actions.act_window_close"}

    def _report_text(self, env, currency):
        """The event's text, in the history's language."""
        litigation = self.litigation_id
        labels = dict(self._fields["report"]._description_selection(env))
        text = env._(
            "%(agency)s reports on %(date)s: %(report)s.",
            agency=litigation.external_partner_id.name,
            date=format_date(env, self.date),
            report=labels[self.report],
        )
        if self.report == "payment":
            text += " " + env._(
                "Collected: %(amount)s.", amount=formatLang(env, self.amount, currency_obj=currency)
            )
        elif self.report == "promise" and self.amount:
            promised = formatLang(env, self.amount, currency_obj=currency)
            if self.promise_date:
                promised_text = env._(
                    "Promised: %(amount)s by %(date)s.",
                    amount=promised,
                    date=format_date(env, self.promise_date),
                )
            else:
                promised_text = env._("Promised: %(amount)s.", amount=promised)
            text += " " + promised_text
        if self.corrected_event_id:
            text += " " + env._("Corrects %(reference)s.", reference=self.corrected_event_id.reference)
        if self.note:
            text += " " + self.note
        return text
