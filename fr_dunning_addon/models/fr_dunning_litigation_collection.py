# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an agency collects, in the books: the payment and the agency's fee.

The sum collected is the customer's payment, made through the agency: one
payment (Odoo's payment registration, in the journal the accountant chose:
the bank the agency pays into, or a journal of its own), reconciled with the
file's invoices, the oldest due first; a part payment leaves the rest due.

The agency's fee is a service it sells: a French accountant records it as a
vendor bill of the agency, with VAT (not a journal entry, which would deduct
no VAT and leave no supplier to pay). The commission (percentage x sum
collected) and, with the first bill of the file, the fixed fees are its
lines, on 6226 Honoraires (an agency) or 6227 Frais d'actes et de contentieux
(a commissaire de justice), with the 20 % VAT on services deductible on
payment. The bill stays a draft: VAT is deducted on the agency's own invoice
(CGI 271-II-1-a), whose number and date the accountant enters before posting
it, and which may differ by a rounding or a fee agreed since.
"""

from odoo import Command, models
from odoo.exceptions import UserError
from odoo.tools import float_round, formatLang

from . import fr_dunning_law as law


def agency_fee(collected, percent, fixed, rounding=0.01):
    """The agency's fee excluding VAT on a sum ``collected``, as (commission,
    fixed fees): ``percent`` % of it, rounded to the currency's ``rounding``,
    and the ``fixed`` fees (0 when already billed). 12 % of 5 000 = 600, and
    50 fixed: 650."""
    return float_round(collected * percent / 100, precision_rounding=rounding), fixed


class FrDunningLitigation(models.Model):
    _inherit = "fr.dunning.litigation"

    def _fr_dunning_collect(self, amount, day, journal, memo):
        """Register ``amount`` collected on ``day`` in ``journal`` as one
        payment of the customer, reconciled with the file's invoices still
        due, oldest due date first. Returns the payment."""
        self.ensure_one()
        invoices = self.move_ids.filtered_domain(self.env["account.move"]._fr_dunning_open_domain())
        if not invoices:
            raise UserError(self.env._("The invoices of this file are paid: there is nothing to collect."))
        currency = invoices.currency_id
        if len(currency) > 1:
            raise UserError(
                self.env._(
                    "The invoices of this file are in several currencies: register the payments from "
                    "the invoices."
                )
            )
        due = sum(invoices.mapped("amount_residual"))
        if currency.compare_amounts(amount, due) > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than the invoices still owe (%(due)s).",
                    amount=formatLang(self.env, amount, currency_obj=currency),
                    due=formatLang(self.env, due, currency_obj=currency),
                )
            )
        # Odoo's reconciliation matches the invoices' receivable lines by due
        # date (account.move.line._optimize_reconciliation_plan): the oldest
        # is paid first, the payment's rest goes to the next one.
        register = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "amount": amount,
                    "currency_id": currency.id,
                    "payment_date": day,
                    "journal_id": journal.id,
                    "group_payment": True,
                    "payment_difference_handling": "open",
                    "communication": memo,
                }
            )
        )
        return register._create_payments()

    def _fr_dunning_bill_fee(self, collected, day, memo):
        """The draft vendor bill of the agency's fee on ``collected`` (its
        fixed fees too when the file has no fee bill yet), or nothing when
        the terms charge nothing."""
        self.ensure_one()
        currency = self.company_currency_id
        billed = self.report_event_ids.fee_bill_id.filtered(lambda bill: bill.state != "cancel")
        commission, fixed = agency_fee(
            collected, self.fee_percent, 0.0 if billed else self.fee_fixed, currency.rounding
        )
        lines = []
        if not currency.is_zero(commission):
            lines.append(
                (
                    self.env._(
                        "Commission: %(percent)s %% of %(amount)s collected (%(memo)s)",
                        percent=formatLang(self.env, self.fee_percent, digits=2),
                        amount=formatLang(self.env, collected, currency_obj=currency),
                        memo=memo,
                    ),
                    commission,
                )
            )
        if not currency.is_zero(fixed):
            lines.append((self.env._("Fixed fees (%(memo)s)", memo=memo), fixed))
        if not lines:
            return self.env["account.move"]
        company = self.company_id
        agency = self.external_partner_id
        ChartTemplate = self.env["account.chart.template"].with_company(company)
        account = ChartTemplate.ref(law.handover_fee_account(self.route), raise_if_not_found=False)
        tax = ChartTemplate.ref(law.AGENCY_FEE_TAX, raise_if_not_found=False)
        tax = tax or company.account_purchase_tax_id
        position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(agency)
        taxes = position.map_tax(tax) if position else tax
        return (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "in_invoice",
                    "company_id": company.id,
                    "partner_id": agency.id,
                    "invoice_date": day,
                    "currency_id": currency.id,
                    "invoice_origin": memo,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": name,
                                "quantity": 1,
                                "price_unit": price,
                                **({"account_id": account.id} if account else {}),
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                        for name, price in lines
                    ],
                }
            )
        )
