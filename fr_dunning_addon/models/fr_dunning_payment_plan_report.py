# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The printed payment plan, with how to pay its next instalment: the bank
details, the reference to quote and the SEPA transfer QR code of that
instalment (``fr_dunning_epc_qr``)."""

from odoo import api, models

from .fr_dunning_epc_qr import UNSTRUCTURED_MAX, payment_qr_payload, qr_image_src, sepa_iban_countries


class ReportPaymentPlan(models.AbstractModel):
    _name = "report.fr_dunning_addon.report_payment_plan"
    _description = "Payment plan"

    @api.model
    def _get_report_values(self, docids, data=None):
        plans = self.env["fr.dunning.payment.plan"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": plans._name,
            "docs": plans,
            "next_instalments": plans._fr_dunning_next_instalments(),
        }


class FrDunningPaymentPlan(models.Model):
    _inherit = "fr.dunning.payment.plan"

    def _fr_dunning_next_instalments(self):
        """{plan id: what its next instalment asks for, or None}: the first
        instalment not yet covered by what the invoices were paid since the
        plan started (the rest of it when partly paid), for a draft or running
        plan; its date, amount, the company's bank account, the reference to
        quote and the transfer's QR code (None when none can be printed)."""
        result = {}
        sepa_countries = sepa_iban_countries(self.env)
        for plan in self:
            result[plan.id] = None
            if plan.state not in ("draft", "open"):
                continue
            currency = plan.currency_id
            # Payments count from the start of the plan: none before it runs.
            paid = plan.paid_since if plan.state == "open" else 0.0
            covered = 0.0
            for line in plan.line_ids.sorted(lambda line: (line.date, line.id)):
                covered += line.amount
                due = currency.round(min(covered - paid, line.amount))
                if currency.compare_amounts(due, 0.0) > 0:
                    break
            else:
                continue
            bank = plan.company_id.partner_id.bank_ids[:1]
            invoices = plan.move_ids.sorted(lambda move: (move.invoice_date_due or move.date, move.id))
            reference = ", ".join(move.payment_reference or move.name for move in invoices)
            if len(reference) > UNSTRUCTURED_MAX:
                # Too many invoices for a transfer's 140 characters: the plan's own.
                reference = f"ECH-{plan.id:06d}"
            payload = payment_qr_payload(self.env, bank, due, currency, reference, sepa_countries)
            result[plan.id] = {
                "date": line.date,
                "amount": due,
                "bank": bank,
                "reference": reference,
                "qr_payload": payload,
                "qr": qr_image_src(payload),
            }
        return result
