# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from . import fr_dunning_law as law
from .fr_dunning_epc_qr import UNSTRUCTURED_MAX, payment_qr_payload, qr_image_src

ACCOUNT_STATEMENT_REPORT = "fr_dunning_addon.action_report_fr_dunning_statement"
# No transfer QR code for the past-due amount when part of it is not asked of
# the customer this way: paid by the instalments of a payment plan (its own
# document carries their code), collected by a collection agency or a
# commissaire de justice, or frozen by collective proceedings.
NO_QR_PAUSES = frozenset({"payment_plan", "litigation", "proceedings"})


class ReportFrDunningStatement(models.AbstractModel):
    _name = "report.fr_dunning_addon.report_fr_dunning_statement"
    _description = "Customer statement of account"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        statements = {partner.id: partner._fr_dunning_account_statement() for partner in partners}
        for statement in statements.values():
            statement["epc_qr"] = qr_image_src(statement["epc_qr_payload"])
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": statements,
        }


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _fr_dunning_account_statement(self):
        """The open items of ``self`` (a customer) in the current company, oldest
        due first, with the running balance: every unreconciled receivable line
        (invoices, credit notes, payments not yet matched)."""
        self.ensure_one()
        company = self.env.company
        today = fields.Date.context_today(self)
        lines = (
            self.env["account.move.line"]
            .search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "child_of", self.commercial_partner_id.id),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "!=", 0.0),
                ],
            )
            .sorted(lambda line: (line.date_maturity or line.date, line.date, line.id))
        )
        rows, balance = [], 0.0
        currency = company.currency_id
        for line in lines:
            balance = currency.round(balance + line.amount_residual)
            due = line.date_maturity or line.date
            rows.append(
                {
                    "line": line,
                    "date": line.date,
                    "reference": line.move_id.name,
                    "label": line.move_id.ref or line.name or "",
                    "due": due,
                    "days": max((today - due).days, 0) if line.amount_residual > 0 else 0,
                    "debit": line.amount_residual if line.amount_residual > 0 else 0.0,
                    "credit": -line.amount_residual if line.amount_residual < 0 else 0.0,
                    "balance": balance,
                }
            )
        # Each invoice's receivable lines are its instalments: only those due
        # before today are past due (fr_dunning_law.instalment_late, as every
        # overdue figure). Payments and credit notes not yet matched will
        # settle the oldest invoices: they come off what is past due.
        credits = sum(row["credit"] for row in rows)
        late = sum(row["debit"] for row in rows if law.instalment_late(row["due"], today))
        overdue = currency.round(max(late - credits, 0.0))
        # The reference of a transfer of what is past due: the late invoices',
        # or the customer's account when they do not fit in 140 characters.
        customer = self.commercial_partner_id
        late_moves = self.env["account.move"].union(
            *(row["line"].move_id for row in rows if row["debit"] and law.instalment_late(row["due"], today))
        )
        reference = ", ".join(move.payment_reference or move.name for move in late_moves)
        if len(reference) > UNSTRUCTURED_MAX:
            reference = customer.ref or customer.name
        qr_payload = None
        if not any(move.fr_dunning_blocked in NO_QR_PAUSES for move in late_moves):
            bank = company.partner_id.bank_ids[:1]
            qr_payload = payment_qr_payload(self.env, bank, overdue, currency, reference)
        return {
            "company": company,
            "customer": customer,
            "currency": currency,
            "today": today,
            "rows": rows,
            "balance": balance,
            "overdue": overdue,
            "not_due": currency.round(balance - overdue),
            "payment_reference": reference,
            # The SEPA transfer QR code of the past-due amount (fr_dunning_epc_qr).
            "epc_qr_payload": qr_payload,
        }
