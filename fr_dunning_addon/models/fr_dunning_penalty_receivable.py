# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receivable lines of a penalty invoice, given in its create values as
Odoo's synchronisation of the dynamic lines would compute them, so that the
invoices of a batch are created without it (``skip_invoice_sync``)."""

from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _fr_dunning_penalty_receivable_lines(
        self, move_type, partner, company, currency, invoice_date, income
    ):
        """The receivable lines (display type ``payment_term``) of a penalty
        invoice or credit note, and its due date, as
        account.move's ``_compute_needed_terms`` computes them, with the
        payment term Odoo gives the invoice (``_compute_invoice_payment_term_id``:
        the customer's, in the company) and Odoo's own ``_compute_terms``.

        Penalty lines bear no tax (outside the scope of VAT), no discount, and
        the invoice no cash rounding: the payment term lines are then the only
        dynamic lines Odoo would add (no tax, early-payment or discount
        allocation line).

        :param income: (amount_currency, balance): the sums of the income
            lines, signed as their lines (a credit on an invoice is negative).
        :returns: ([line values], invoice_date_due)
        """
        income_currency, income_balance = income
        sign = 1 if move_type in ("out_invoice", "out_receipt") else -1
        payment_term = partner.with_company(company).property_payment_term_id
        if not payment_term:
            # Odoo: one line of the invoice's total, due on its due date, which
            # is the day the invoice is made when it has no payment term.
            needed = {
                (invoice_date, False): {
                    "balance": -income_balance,
                    "amount_currency": -income_currency,
                    "discount_balance": 0.0,
                    "discount_amount_currency": 0.0,
                }
            }
        else:
            terms = payment_term._compute_terms(
                date_ref=invoice_date,
                currency=currency,
                company=company,
                tax_amount=0.0,
                tax_amount_currency=0.0,
                sign=sign,
                untaxed_amount=-income_balance,
                untaxed_amount_currency=-income_currency,
                cash_rounding=None,
            )
            needed = {}
            for term_line in terms["line_ids"]:
                key = (fields.Date.to_date(term_line["date"]), terms.get("discount_date"))
                if key in needed:
                    needed[key]["balance"] += term_line["company_amount"]
                    needed[key]["amount_currency"] += term_line["foreign_amount"]
                else:
                    needed[key] = {
                        "balance": term_line["company_amount"],
                        "amount_currency": term_line["foreign_amount"],
                        "discount_balance": terms.get("discount_balance") or 0.0,
                        "discount_amount_currency": terms.get("discount_amount_currency") or 0.0,
                    }
        lines = [
            {
                "display_type": "payment_term",
                "date_maturity": date_maturity,
                "discount_date": discount_date,
                "balance": company.currency_id.round(values["balance"]),
                "amount_currency": currency.round(values["amount_currency"]),
                "discount_balance": values["discount_balance"],
                "discount_amount_currency": values["discount_amount_currency"],
            }
            for (date_maturity, discount_date), values in needed.items()
        ]
        return lines, max(date_maturity for date_maturity, _discount_date in needed)
