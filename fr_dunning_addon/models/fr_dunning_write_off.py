# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write-off (passage en perte) of irrecoverable invoices.

A credit note with the invoice's own taxes, on the share still due: the VAT
goes back to the collected VAT account (CGI art. 272-1), only the amount
excluding VAT is a loss (654), and the credit note is reconciled with the
invoice. A dunning manager confirms the amounts and accounts first; an
invoice under an open payment plan or an open dispute is not written off.
"""

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import formatLang

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_MANAGER, guarded
from .fr_dunning_evidence import history_env


class AccountMove(models.Model):
    _inherit = "account.move"

    @guarded(GROUP_MANAGER)
    def action_fr_dunning_write_off(self):
        """Write off what the selected invoices still owe: opens the
        confirmation, which states the amounts and the accounts."""
        invoices = self._fr_dunning_write_off_check()
        return self.env["fr.dunning.write.off.wizard"]._open(invoices)

    def _fr_dunning_write_off_check(self):
        """The invoices of self that can be written off, or a clear error."""
        invoices = self.filtered_domain(self._fr_dunning_open_domain())
        if not invoices:
            raise UserError(self.env._("None of the selected invoices has anything left to write off."))
        open_cases = (
            self.env["fr.dunning.payment.plan"]
            .search([("state", "=", "open"), ("move_ids", "in", invoices.ids)])
            .move_ids
            | self.env["fr.dunning.dispute"]
            .search([("state", "=", "open"), ("move_ids", "in", invoices.ids)])
            .move_ids
        )
        held = invoices & open_cases
        if held:
            raise UserError(
                self.env._(
                    "%(invoices)s cannot be written off: it is under an open payment plan or an open "
                    "dispute. Close the plan or resolve the dispute first.",
                    invoices=", ".join(held.mapped("name")),
                )
            )
        return invoices

    def _fr_dunning_write_off_plan(self):
        """{invoice: its write-off}, computed the way the credit note will be:

        ``lines`` (the credit note's line values: per set of taxes of the
        invoice, its share of the amount, with the same taxes, to the loss
        account; a rounding gap, if any, goes to the loss account untaxed),
        ``residual``, ``untaxed`` (to the loss account), ``tax`` (VAT
        recovered), ``loss_account`` and ``tax_accounts`` ({account: amount}).
        """
        plans = {}
        for invoice in self:
            company, currency = invoice.company_id, invoice.currency_id
            account = company._fr_dunning_loss_account(invoice)
            if not account:
                raise UserError(
                    self.env._(
                        "Set the loss account for irrecoverable claims in the dunning settings of "
                        "%(company)s.",
                        company=company.name,
                    )
                )
            residual = invoice.amount_residual
            share = law.irrecoverable_share(residual, invoice.amount_total)
            bases = defaultdict(float)
            for line in invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
                taxes = line.tax_ids
                included = taxes and all(tax.price_include for tax in taxes)
                bases[taxes] += line.price_total if included else line.price_subtotal
            name = self.env._("Irrecoverable claim: %(invoice)s", invoice=invoice.name)
            lines, untaxed, tax_amount = [], 0.0, 0.0
            tax_accounts = defaultdict(float)
            for taxes, base in bases.items():
                price = currency.round(base * share)
                if currency.is_zero(price):
                    continue
                result = taxes.compute_all(
                    price, currency=currency, partner=invoice.partner_id, is_refund=True
                )
                untaxed += result["total_excluded"]
                for tax in result["taxes"]:
                    tax_amount += tax["amount"]
                    tax_accounts[self.env["account.account"].browse(tax["account_id"])] += tax["amount"]
                lines.append(
                    {
                        "name": name,
                        "quantity": 1,
                        "price_unit": price,
                        "account_id": account.id,
                        "tax_ids": [Command.set(taxes.ids)],
                    }
                )
            gap = currency.round(residual - untaxed - tax_amount)
            if not currency.is_zero(gap):
                lines.append(
                    {
                        "name": name,
                        "quantity": 1,
                        "price_unit": gap,
                        "account_id": account.id,
                        "tax_ids": [Command.clear()],
                    }
                )
                untaxed += gap
            plans[invoice] = {
                "lines": lines,
                "residual": residual,
                "untaxed": currency.round(untaxed),
                "tax": currency.round(tax_amount),
                "loss_account": account,
                "tax_accounts": dict(tax_accounts),
            }
        return plans

    def _fr_dunning_write_off(self):
        """Post the write-off credit notes of self (checked invoices) and
        reconcile each with its invoice; returns the credit notes."""
        today = fields.Date.context_today(self)
        refunds = self.browse()
        for invoice, plan in self._fr_dunning_write_off_plan().items():
            currency = invoice.currency_id
            refund = self.sudo().create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "currency_id": currency.id,
                    "invoice_date": today,
                    "journal_id": invoice.journal_id.id,
                    "reversed_entry_id": invoice.id,
                    "fiscal_position_id": invoice.fiscal_position_id.id,
                    "ref": self.env._("Write-off of %(invoice)s", invoice=invoice.name),
                    "invoice_line_ids": [Command.create(vals) for vals in plan["lines"]],
                }
            )
            refund.action_post()
            (refund | invoice).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            ).reconcile()
            refunds |= refund
            # The history is written in the company's language.
            env = history_env(self.env, invoice.company_id)
            text = env._(
                "Written off: %(amount)s, of which %(untaxed)s to %(account)s and %(tax)s of VAT "
                "recovered (CGI art. 272) (credit note %(refund)s).",
                amount=formatLang(env, plan["residual"], currency_obj=currency),
                untaxed=formatLang(env, plan["untaxed"], currency_obj=currency),
                account=plan["loss_account"].with_env(env).display_name,
                tax=formatLang(env, plan["tax"], currency_obj=currency),
                refund=refund.name,
            )
            self.env["fr.dunning.event"]._fr_dunning_record(
                [
                    {
                        "name": env._("Write-off"),
                        "company_id": invoice.company_id.id,
                        "partner_id": invoice.commercial_partner_id.id,
                        "move_ids": [Command.set((invoice | refund).ids)],
                        "event_type": "note",
                        "channel": "manual",
                        "user_id": self.env.uid,
                        "currency_id": currency.id,
                        "amount_residual": plan["residual"],
                        "note": Markup("<p>%s</p>") % text,
                    }
                ]
            )
            invoice._message_log(body=Markup("<p>%s</p>") % text)
        return refunds
