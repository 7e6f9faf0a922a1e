# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The penalty engine: what a late invoice owes, to the cent (Code de
commerce L441-10, D441-5; Code civil 1231-6 for consumers), read in three
queries whatever the number of invoices, the arithmetic in plain Python;
the legal rules themselves are in fr_dunning_law."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from . import fr_dunning_law as law
from . import fr_dunning_penalty_math as penalty_math
from .fr_dunning_access import GROUP_USER, guarded, known_record
from .fr_dunning_formats import LangFormats


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

        :param at_date: the day to compute to (default: today). Each instalment
            bears interest from the day after its own due date until it is paid
            in full (see fr_dunning_penalty_math, which does the arithmetic).
        :param uncharged_only: leave out what a penalty invoice already charged
            (interest periods up to the last one charged, the indemnity).
        :param strict: raise when the legal rates of a needed semester are
            missing (default). When False, interest stops before that semester
            and ``reason`` says which rates are missing (for display only).
        :returns: {invoice id: {
                "lines": [{"date_from", "date_to", "days", "base", "annual_rate", "amount"}],
                "interest": sum of the lines' amounts,
                "indemnity": the recovery indemnity due (0 when not owed or charged),
                "days_late": calendar days from the earliest late instalment's due
                    date to at_date or its payment,
                "overdue_since": that due date,
                "computed_to": the last day the amounts are computed to,
                "currency": res.currency,
                "declared": True for a debtor in collective proceedings: a claim
                    to declare, never to bill,
                "floored": the semesters whose contractual rate was raised to
                    the legal floor,
                "reason": why not all is owed or billed (consumer without
                    formal notice, proceedings, missing rates) or False,
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
        instalments = self._fr_dunning_instalments(move_ids)
        charged = self._fr_dunning_charged(move_ids) if uncharged_only else {}
        rates = {
            rate.date_start: (rate.ecb_rate, rate.legal_rate_other)
            for rate in self.env["fr.dunning.legal.rate"].search([])
        }
        Rate = self.env["fr.dunning.legal.rate"]
        indemnities = {}
        reasons = {}
        for row in rows:
            result = results[row["id"]]
            currency = result["currency"]
            interest_charged_to = charged.get((row["id"], "interest"))
            debt = penalty_math.Debt(
                instalments=instalments[row["id"]],
                is_consumer=row["is_consumer"] and not row["public_buyer"],
                public_buyer=row["public_buyer"] or None,
                notice_date=row["notice_date"],
                proceedings_date=row["proceedings_date"],
                contractual_rate=0.0
                if row["public_buyer"]
                else (row["partner_rate"] or row["company_rate"] or 0.0),
                interest_charged_to=interest_charged_to if interest_charged_to is not True else None,
                indemnity_charged=bool(charged.get((row["id"], "indemnity"))),
            )
            try:
                computed = penalty_math.invoice_penalties(
                    debt, rates, currency.rounding, at_date, strict=strict
                )
            except penalty_math.RatesMissing as missing:
                raise UserError(Rate._missing_message(missing.semester)) from None
            result.update(
                {
                    key: computed[key]
                    for key in (
                        "lines",
                        "interest",
                        "days_late",
                        "computed_to",
                        "declared",
                        "floored",
                        "overdue_since",
                    )
                }
            )
            # The same few reasons on many rows: worded once each.
            reason_key = (computed["reason"], computed["rates_missing_from"], row["proceedings_date"])
            if reason_key not in reasons:
                reasons[reason_key] = self._fr_dunning_reason(computed, row)
            result["reason"] = reasons[reason_key]
            if computed["rates_missing_from"]:
                result["rates_missing_from"] = computed["rates_missing_from"]
            if computed["indemnity_owed"]:
                # Converted once per currency and day it became owed (D441-5).
                key = (row["currency_id"], row["company_id"], computed["indemnity_from"])
                if key not in indemnities:
                    indemnities[key] = self._fr_dunning_indemnity_amount(currency, row["company_id"], key[2])
                result["indemnity"] = indemnities[key]
        return results

    @api.model
    def _fr_dunning_reason(self, computed, row):
        """Why the penalties are not (all) to bill, in the user's words, or False."""
        reason = computed["reason"]
        if reason == "proceedings":
            return self.env._(
                "Collective proceedings opened on %(date)s: the interest to the day before and the "
                "indemnity are declared to the mandataire, not billed (Code de commerce L622-7, L622-28).",
                date=LangFormats(self.env).date(row["proceedings_date"]),
            )
        if reason == "no_notice":
            return self.env._("Consumer: interest runs from the formal notice only.")
        if reason == "rates_missing":
            return self.env["fr.dunning.legal.rate"]._missing_message(computed["rates_missing_from"])
        return False

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
            [
                "fr_dunning_is_consumer",
                "fr_dunning_contractual_rate",
                "fr_dunning_proceedings_date",
                "fr_dunning_public_buyer",
            ]
        )
        self.env["res.company"].flush_model(["fr_dunning_contractual_rate"])
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model(
            ["move_id", "display_type", "date", "date_maturity", "amount_currency"]
        )

    def _fr_dunning_penalty_rows(self, at_date):
        """The late customer invoices of self that may bear penalties (one of
        their instalments is past due), in one query."""
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT m.id, m.company_id, m.currency_id, m.invoice_date_due, m.amount_total,
                       m.fr_dunning_formal_notice_date AS notice_date,
                       COALESCE(p.fr_dunning_is_consumer, FALSE) AS is_consumer,
                       p.fr_dunning_contractual_rate AS partner_rate,
                       p.fr_dunning_proceedings_date AS proceedings_date,
                       p.fr_dunning_public_buyer AS public_buyer,
                       c.fr_dunning_contractual_rate AS company_rate
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.commercial_partner_id
                  JOIN res_company c ON c.id = m.company_id
                 WHERE m.id = ANY(%(ids)s)
                   AND m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND EXISTS (SELECT 1
                                 FROM account_move_line term
                                WHERE term.move_id = m.id
                                  AND term.display_type = 'payment_term'
                                  AND COALESCE(term.date_maturity, m.invoice_date_due) < %(at_date)s)
                   AND NOT COALESCE(m.fr_dunning_is_penalty_invoice, FALSE)
                 ORDER BY m.id
                """,
                ids=self.ids,
                at_date=at_date,
            )
        )

    def _fr_dunning_instalments(self, move_ids):
        """{invoice id: (penalty_math.Instalment, ...)}: each payment-term line (its due
        date, its amount in the invoice's currency) with what reduced it
        (payments, credit notes, dated by the counterpart), as Odoo reconciled
        them, in due-date order. L441-10 II: each instalment's date is a
        payment date written on the invoice, from which its penalties run."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT line.move_id, line.id, COALESCE(line.date_maturity, move.invoice_date_due),
                       line.amount_currency, counterpart.date, partial.debit_amount_currency
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
             LEFT JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
             LEFT JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
                 WHERE line.move_id = ANY(%(ids)s)
                   AND line.display_type = 'payment_term'
                 ORDER BY line.move_id, 3, line.id, counterpart.date, partial.id
                """,
                ids=move_ids,
            )
        )
        lines = defaultdict(dict)
        for move_id, line_id, due, amount, pay_date, paid in rows:
            line = lines[move_id].setdefault(line_id, (due, amount, []))
            if pay_date:
                line[2].append((pay_date, paid))
        return {
            move_id: tuple(
                penalty_math.Instalment(due, amount, tuple(payments))
                for due, amount, payments in by_line.values()
            )
            for move_id, by_line in lines.items()
        }

    def _fr_dunning_charged(self, move_ids):
        """{(invoice id, kind): last day charged} for penalty invoices not cancelled."""
        groups = self.env["fr.dunning.penalty"]._read_group(
            [("invoice_id", "in", move_ids), ("penalty_move_id.state", "!=", "cancel")],
            ["invoice_id", "kind"],
            ["date_to:max", "__count"],
        )
        return {(invoice.id, kind): date_to or True for invoice, kind, date_to, _count in groups}

    @api.model
    def _fr_dunning_indemnity_amount(self, currency, company_id, owed_on):
        """The 40 EUR of D441-5 in ``currency``, at the rate of ``owed_on``, the
        day it became owed (law.indemnity_rate_date)."""
        eur = known_record(self.env, "base.EUR")
        if currency == eur:
            return law.RECOVERY_INDEMNITY_EUR
        company = self.env["res.company"].browse(company_id)
        return eur._convert(law.RECOVERY_INDEMNITY_EUR, currency, company, owed_on)
