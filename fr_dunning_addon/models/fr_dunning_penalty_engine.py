# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The penalty engine: what a late invoice owes, to the cent (Code de
commerce L441-10, D441-5; Code civil 1231-6 for consumers), read in three
queries whatever the number of invoices, the arithmetic in plain Python;
the legal rules themselves are in fr_dunning_law."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_USER, guarded


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Business: the penalty engine
    # ------------------------------------------------------------------

    @guarded(GROUP_USER, "read")
    def compute_fr_late_penalties(self, at_date=None, uncharged_only=False, strict=True):
        """Late-payment penalties of customer invoices (see _fr_dunning_penalties),
        for a dunning user who may read them: reachable over RPC, so the group
        and the invoices' access rules (their company) are checked before the
        engine reads anything in SQL."""
        return self._fr_dunning_penalties(at_date=at_date, uncharged_only=uncharged_only, strict=strict)

    def _fr_dunning_penalties(self, at_date=None, uncharged_only=False, strict=True):
        """Late-payment penalties of customer invoices, in each invoice's currency.

        :param at_date: the day to compute to (default: today). For an invoice
            paid in full, interest stops on the day of the payment.
        :param uncharged_only: leave out what a penalty invoice already charged
            (interest periods up to the last one charged, the indemnity).
        :param strict: raise when the legal rates of a needed semester are
            missing (default). When False, interest stops before that semester
            and ``reason`` says which rates are missing (for display only).
        :returns: {invoice id: {
                "lines": [{"date_from", "date_to", "days", "base", "annual_rate", "amount"}],
                "interest": sum of the lines' amounts,
                "indemnity": the recovery indemnity due (0 when not owed or charged),
                "days_late": calendar days from the due date to at_date or payment,
                "currency": res.currency,
                "reason": why nothing is owed (consumer without formal notice...) or False,
            }}
            Every invoice of ``self`` has an entry; those not late have no line.
        :raises UserError: when the legal rates of a needed semester are missing
            (``strict``).
        """
        at_date = at_date or fields.Date.context_today(self)
        if not self:
            return {}
        self._fr_dunning_flush()
        # One query for every invoice of self, late or not: no ORM read per record.
        currency_of = dict(
            self.env.execute_query(
                SQL("SELECT id, currency_id FROM account_move WHERE id = ANY(%s)", self.ids)
            )
        )
        currencies = {cur.id: cur for cur in self.env["res.currency"].browse(set(currency_of.values()))}
        results = {
            move_id: {
                "lines": [],
                "interest": 0.0,
                "indemnity": 0.0,
                "days_late": 0,
                "currency": currencies[currency_id],
                "reason": False,
            }
            for move_id, currency_id in currency_of.items()
        }
        rows = self._fr_dunning_penalty_rows(at_date)
        if not rows:
            return results
        move_ids = [row["id"] for row in rows]
        payments = self._fr_dunning_payments(move_ids)
        charged = self._fr_dunning_charged(move_ids) if uncharged_only else {}
        rates = {
            rate.date_start: (rate.ecb_rate, rate.legal_rate_other)
            for rate in self.env["fr.dunning.legal.rate"].search([])
        }
        roundings = {currency_id: currency.rounding for currency_id, currency in currencies.items()}
        reasons = {
            "proceedings": self.env._("Customer in collective proceedings: no penalty."),
            "no_notice": self.env._("Consumer: interest runs from the formal notice only."),
        }
        indemnities = {}
        for row in rows:
            result = results[row["id"]]
            self._fr_dunning_penalties_of(
                row,
                payments.get(row["id"], []),
                charged,
                rates,
                roundings[row["currency_id"]],
                at_date,
                result,
                reasons,
                strict,
            )
            if result["indemnity"] is None:
                key = (row["currency_id"], row["company_id"])
                if key not in indemnities:
                    indemnities[key] = self._fr_dunning_indemnity_amount(
                        currencies[row["currency_id"]], row["company_id"], at_date
                    )
                result["indemnity"] = indemnities[key]
        return results

    @api.model
    def _fr_dunning_flush(self):
        """Write pending changes of the columns the engine reads in SQL."""
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "invoice_date_due",
                "amount_total",
                "currency_id",
                "company_id",
                "commercial_partner_id",
                "fr_dunning_formal_notice_date",
                "fr_dunning_is_penalty_invoice",
            ]
        )
        self.env["res.partner"].flush_model(
            ["fr_dunning_is_consumer", "fr_dunning_contractual_rate", "fr_dunning_proceedings_date"]
        )
        self.env["res.company"].flush_model(["fr_dunning_contractual_rate"])
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model(["move_id", "display_type", "date"])

    def _fr_dunning_penalty_rows(self, at_date):
        """The late customer invoices of self that may bear penalties, in one query."""
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT m.id, m.company_id, m.currency_id, m.invoice_date_due, m.amount_total,
                       m.fr_dunning_formal_notice_date AS notice_date,
                       COALESCE(p.fr_dunning_is_consumer, FALSE) AS is_consumer,
                       p.fr_dunning_contractual_rate AS partner_rate,
                       p.fr_dunning_proceedings_date AS proceedings_date,
                       c.fr_dunning_contractual_rate AS company_rate
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.commercial_partner_id
                  JOIN res_company c ON c.id = m.company_id
                 WHERE m.id = ANY(%(ids)s)
                   AND m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.invoice_date_due < %(at_date)s
                   AND NOT COALESCE(m.fr_dunning_is_penalty_invoice, FALSE)
                 ORDER BY m.id
                """,
                ids=self.ids,
                at_date=at_date,
            )
        )

    def _fr_dunning_payments(self, move_ids):
        """{invoice id: [(date, amount in invoice currency)]}: what reduced each
        invoice's receivable (payments, credit notes), dated by the counterpart."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT line.move_id, counterpart.date, SUM(partial.debit_amount_currency)
                  FROM account_move_line line
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
                  JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
                 WHERE line.move_id = ANY(%(ids)s)
                   AND line.display_type = 'payment_term'
                 GROUP BY line.move_id, counterpart.date
                 ORDER BY line.move_id, counterpart.date
                """,
                ids=move_ids,
            )
        )
        payments = defaultdict(list)
        for move_id, pay_date, amount in rows:
            payments[move_id].append((pay_date, amount))
        return payments

    def _fr_dunning_charged(self, move_ids):
        """{(invoice id, kind): last day charged} for penalty invoices not cancelled."""
        groups = self.env["fr.dunning.penalty"]._read_group(
            [("invoice_id", "in", move_ids), ("penalty_move_id.state", "!=", "cancel")],
            ["invoice_id", "kind"],
            ["date_to:max", "__count"],
        )
        return {(invoice.id, kind): date_to or True for invoice, kind, date_to, _count in groups}

    @api.model
    def _fr_dunning_penalties_of(
        self, row, payments, charged, rates, rounding, at_date, result, reasons, strict
    ):
        """Fill ``result`` with the penalties of one invoice (see _fr_dunning_penalties).

        Works on plain values only (rates as (ECB, legal rate) tuples, the
        currency's rounding): it runs once per invoice. Also sets
        ``computed_to``, the last day the amounts are computed to, and, when a
        semester's rates are missing, ``rates_missing_from``, its first day."""
        total = row["amount_total"]
        due = row["invoice_date_due"]
        # Interest stops when the invoice is paid in full.
        end = at_date
        paid = 0.0
        for pay_date, amount in payments:
            paid += amount
            if float_compare(paid, total, precision_rounding=rounding) >= 0:
                end = min(end, pay_date)
                break
        result["days_late"] = max((end - due).days, 0)
        # The day the amounts are computed to; earlier when a semester's rates are missing.
        result["computed_to"] = end
        if law.interest_stopped(row["proceedings_date"], at_date):
            result["reason"] = reasons["proceedings"]
            return
        start_after = law.interest_runs_after(due, row["is_consumer"], row["notice_date"])
        if start_after is None:
            result["reason"] = reasons["no_notice"]
            return
        # Owed once per late invoice: never again once charged.
        if law.indemnity_owed(row["is_consumer"], due, end) and not charged.get((row["id"], "indemnity")):
            result["indemnity"] = None  # converted by the caller, once per currency
        date_from = start_after + timedelta(days=1)
        last_charged = charged.get((row["id"], "interest"))
        if last_charged and last_charged is not True:
            date_from = max(date_from, last_charged + timedelta(days=1))
        if date_from > end:
            return
        contractual = row["partner_rate"] or row["company_rate"] or 0.0
        for piece_from, piece_to, base in self._fr_dunning_base_pieces(total, payments, date_from, end):
            if result["reason"]:
                break
            if float_compare(base, 0.0, precision_rounding=rounding) <= 0:
                continue
            for sem_from, sem_to in law.split_by_semester(piece_from, piece_to):
                semester = rates.get(law.semester_start(sem_from))
                if not semester:
                    message = self.env["fr.dunning.legal.rate"]._missing_message(law.semester_start(sem_from))
                    if strict:
                        raise UserError(message)
                    # Interest stops before the first semester without rates.
                    result["reason"] = message
                    result["computed_to"] = sem_from - timedelta(days=1)
                    result["rates_missing_from"] = law.semester_start(sem_from)
                    break
                ecb_rate, legal_rate = semester
                annual_rate = law.annual_interest_rate(ecb_rate, legal_rate, contractual, row["is_consumer"])
                days = (sem_to - sem_from).days + 1
                amount = float_round(
                    law.simple_interest(base, annual_rate, days), precision_rounding=rounding
                )
                result["lines"].append(
                    {
                        "date_from": sem_from,
                        "date_to": sem_to,
                        "days": days,
                        "base": base,
                        "annual_rate": annual_rate,
                        "amount": amount,
                    }
                )
        result["interest"] = float_round(
            sum(line["amount"] for line in result["lines"]), precision_rounding=rounding
        )

    @api.model
    def _fr_dunning_base_pieces(self, total, payments, date_from, date_to):
        """Cut [date_from, date_to] where the amount due changes.

        A payment made on day P reduces the base from P + 1; payments made
        before date_from reduce it from the start. Yields (from, to, base)."""
        base = total - sum(amount for pay_date, amount in payments if pay_date < date_from)
        reductions = defaultdict(float)
        for pay_date, amount in payments:
            if date_from <= pay_date < date_to:
                reductions[pay_date + timedelta(days=1)] += amount
        start = date_from
        for cut in sorted(reductions):
            yield start, cut - timedelta(days=1), base
            base -= reductions[cut]
            start = cut
        yield start, date_to, base

    @api.model
    def _fr_dunning_indemnity_amount(self, currency, company_id, at_date):
        """The 40 EUR of D441-5 in ``currency``, at the rate of ``at_date``."""
        eur = self.env.ref("base.EUR")
        if currency == eur:
            return law.RECOVERY_INDEMNITY_EUR
        company = self.env["res.company"].browse(company_id)
        return eur._convert(law.RECOVERY_INDEMNITY_EUR, currency, company, at_date)
