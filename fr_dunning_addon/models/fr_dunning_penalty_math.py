# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The penalty arithmetic: what one late invoice owes, from plain values.

No environment, no database: an invoice is a ``Debt`` (its instalments with
their payments, who owes it), the legal rates a dict of semesters. The rules
come from ``fr_dunning_law``; the engine (``fr_dunning_penalty_engine``)
reads the values in SQL and calls ``invoice_penalties`` once per invoice.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from odoo.tools import float_compare, float_round

from . import fr_dunning_law as law


@dataclass(frozen=True)
class Instalment:
    """One due date of an invoice (a payment-term line) and what paid it:
    ``payments`` are (date, amount in the invoice's currency), in date order,
    as Odoo reconciled them with this line."""

    due: date
    amount: float
    payments: tuple = ()


@dataclass(frozen=True)
class Debt:
    """A customer invoice as the arithmetic needs it."""

    instalments: tuple
    is_consumer: bool = False
    # A key of law.PUBLIC_BUYER_DEADLINE_DAYS when the customer is a public buyer.
    public_buyer: str | None = None
    notice_date: date | None = None
    proceedings_date: date | None = None
    contractual_rate: float = 0.0
    # Already billed: interest up to this day, and the indemnity.
    interest_charged_to: date | None = None
    indemnity_charged: bool = False


class RatesMissing(Exception):
    """The legal rates of the semester starting on ``semester`` are needed and
    not recorded."""

    def __init__(self, semester):
        super().__init__(semester)
        self.semester = semester


def paid_on(instalment, rounding):
    """The day ``instalment`` was paid in full, or None."""
    paid = 0.0
    for pay_date, amount in instalment.payments:
        paid += amount
        if float_compare(paid, instalment.amount, precision_rounding=rounding) >= 0:
            return pay_date
    return None


def base_pieces(amount, payments, date_from, date_to):
    """Cut [date_from, date_to] where the amount due changes: a payment made
    on day P reduces the base from P + 1; payments made before date_from
    reduce it from the start. Yields (from, to, base)."""
    base = amount - sum(paid for pay_date, paid in payments if pay_date < date_from)
    reductions = defaultdict(float)
    for pay_date, paid in payments:
        if date_from <= pay_date < date_to:
            reductions[pay_date + timedelta(days=1)] += paid
    start = date_from
    for cut in sorted(reductions):
        yield start, cut - timedelta(days=1), base
        base -= reductions[cut]
        start = cut
    yield start, date_to, base


def invoice_penalties(debt, rates, rounding, at_date, strict=True):
    """What ``debt`` owes in late-payment penalties, computed to ``at_date``.

    :param rates: {first day of a semester: (ECB rate, legal rate "other cases")}
    :param rounding: the invoice currency's rounding.
    :param strict: raise ``RatesMissing`` when a needed semester has no rates;
        otherwise the interest stops before it (``reason`` "rates_missing").
    :returns: dict with
        ``lines``: [{"date_from", "date_to", "days", "base", "annual_rate", "amount"}],
        one per instalment, base and semester (one per base for a public buyer);
        ``interest``: their sum; ``indemnity_owed`` and ``indemnity_from`` (the
        day it became owed); ``days_late`` (of the earliest late instalment);
        ``overdue_since`` (its due date); ``computed_to``; ``reason`` (None,
        "proceedings", "no_notice", "rates_missing"); ``declared`` (a claim to
        declare in collective proceedings, never billed);
        ``rates_missing_from``; ``floored`` (the semesters whose contractual
        rate was raised to the legal floor).
    """
    result = {
        "lines": [],
        "interest": 0.0,
        "indemnity_owed": False,
        "indemnity_from": None,
        "days_late": 0,
        "overdue_since": None,
        "computed_to": at_date,
        "reason": None,
        "declared": law.declared_not_billed(debt.proceedings_date, at_date),
        "rates_missing_from": None,
        "floored": [],
    }
    # Each instalment's interest stops when it is paid in full.
    ends = [min(paid_on(inst, rounding) or at_date, at_date) for inst in debt.instalments]
    late = [(inst, end) for inst, end in zip(debt.instalments, ends, strict=True) if end > inst.due]
    if not late:
        return result
    first = min(inst.due for inst, _end in late)
    result["overdue_since"] = first
    result["days_late"] = max((end - inst.due).days for inst, end in late)
    result["computed_to"] = max(end for _inst, end in late)
    if result["declared"]:
        result["reason"] = "proceedings"
        result["computed_to"] = min(result["computed_to"], law.interest_last_day(debt.proceedings_date))
    # The 40 EUR: once per invoice, from its first late instalment.
    if not debt.indemnity_charged and any(
        law.indemnity_owed(debt.is_consumer, inst.due, end, debt.proceedings_date) for inst, end in late
    ):
        result["indemnity_owed"] = True
        result["indemnity_from"] = law.indemnity_rate_date(first)
    periods = _periods(debt, late)
    if len(periods) < len(late) and not result["reason"]:
        result["reason"] = "no_notice"
    # The first semester whose rates are needed and missing stops everything from it.
    missing = _missing_semester(debt, periods, rates)
    if missing:
        if strict:
            raise RatesMissing(missing)
        result["reason"] = "rates_missing"
        result["rates_missing_from"] = missing
        result["computed_to"] = min(result["computed_to"], missing - timedelta(days=1))
    floored = set()
    for inst, started, date_from, date_to in periods:
        if missing:
            if debt.public_buyer and law.semester_start(started) >= missing:
                continue
            date_to = min(date_to, missing - timedelta(days=1))
            if date_from > date_to:
                continue
        for piece_from, piece_to, base in base_pieces(inst.amount, inst.payments, date_from, date_to):
            if float_compare(base, 0.0, precision_rounding=rounding) > 0:
                for span_from, span_to, annual_rate in _rated_spans(
                    debt, started, piece_from, piece_to, rates, floored
                ):
                    days = (span_to - span_from).days + 1
                    amount = law.simple_interest(base, annual_rate, days)
                    result["lines"].append(
                        {
                            "date_from": span_from,
                            "date_to": span_to,
                            "days": days,
                            "base": base,
                            "annual_rate": annual_rate,
                            "amount": float_round(amount, precision_rounding=rounding),
                        }
                    )
    result["lines"].sort(key=lambda line: (line["date_from"], line["date_to"]))
    result["floored"] = sorted(floored)
    result["interest"] = float_round(
        sum(line["amount"] for line in result["lines"]), precision_rounding=rounding
    )
    return result


def _periods(debt, late):
    """[(instalment, first day interest runs, first day to compute, last day)]
    of the late instalments that bear interest (a consumer's only from the
    formal notice; never from the opening of collective proceedings on; never
    again what was already billed)."""
    last_day = law.interest_last_day(debt.proceedings_date)
    periods = []
    for inst, end in late:
        start_after = law.interest_runs_after(inst.due, debt.is_consumer, debt.notice_date)
        if start_after is None:
            continue
        started = start_after + timedelta(days=1)
        date_from = started
        if debt.interest_charged_to:
            date_from = max(date_from, debt.interest_charged_to + timedelta(days=1))
        date_to = min(end, last_day) if last_day else end
        if date_from <= date_to:
            periods.append((inst, started, date_from, date_to))
    return periods


def _missing_semester(debt, periods, rates):
    """The first semester the periods need whose rates are not in ``rates``."""
    needed = set()
    for _inst, started, date_from, date_to in periods:
        if debt.public_buyer:
            needed.add(law.semester_start(started))
        else:
            needed.update(
                law.semester_start(sem_from) for sem_from, _to in law.split_by_semester(date_from, date_to)
            )
    return min((semester for semester in needed if semester not in rates), default=None)


def _rated_spans(debt, started, date_from, date_to, rates, floored):
    """[(from, to, annual rate)] of [date_from, date_to]: one span at the rate
    of the start for a public buyer (R2192-31), else one per semester (a
    business's or consumer's rate changes each semester). Adds to ``floored``
    the semesters whose contractual rate was raised to the floor."""
    if debt.public_buyer:
        return [(date_from, date_to, law.public_moratory_rate(rates[law.semester_start(started)][0]))]
    spans = []
    for sem_from, sem_to in law.split_by_semester(date_from, date_to):
        ecb_rate, legal_rate = rates[law.semester_start(sem_from)]
        if law.contractual_floored(debt.contractual_rate, legal_rate, debt.is_consumer):
            floored.add(law.semester_start(sem_from))
        spans.append(
            (
                sem_from,
                sem_to,
                law.annual_interest_rate(ecb_rate, legal_rate, debt.contractual_rate, debt.is_consumer),
            )
        )
    return spans
