# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The French rules on late payment, in one place.

Pure functions on dates and numbers: the models call them, the tests check
them with worked numbers. Each rule cites its source.
"""

import unicodedata
from calendar import monthrange
from datetime import date, timedelta
from typing import NamedTuple

from odoo.tools import SQL

# Code de commerce D441-5: fixed indemnity for recovery costs, per late invoice,
# owed by a business debtor only.
RECOVERY_INDEMNITY_EUR = 40.0

# Code de commerce L441-10 II: the default rate is the ECB main refinancing rate
# in force on 1 January / 1 July, plus 10 points.
ECB_MARGIN_POINTS = 10.0

# Code de commerce L441-10 II: a contractual rate may not be lower than three
# times the legal interest rate (taux de l'intérêt légal).
CONTRACTUAL_FLOOR_FACTOR = 3.0

# Interest is simple interest counted in calendar days over a 365-day year.
DAYS_PER_YEAR = 365

# Code de commerce L441-10 I: payment term at most 60 days from the invoice
# date, or 45 days end of month when agreed.
MAX_TERM_DAYS = 60
MAX_TERM_EOM_DAYS = 45


def semester_start(day):
    """First day of the semester containing ``day`` (1 January or 1 July)."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def semester_label(start):
    """'2025 S1' for the semester starting on ``start``."""
    return f"{start.year} S{1 if start.month == 1 else 2}"


def next_semester_start(day):
    start = semester_start(day)
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def ecb_rate_reference_day(day):
    """The day whose ECB main refinancing rate applies to the semester of ``day``.

    Code de commerce L441-10 II: for the first semester, the rate in force on
    1 January; for the second, the rate in force on 1 July (the rate of the
    ECB's most recent main refinancing operation on that day).
    """
    return semester_start(day)


def split_by_semester(date_from, date_to):
    """Cut [date_from, date_to] (both included) at each 1 January and 1 July.

    Late-payment interest uses the rate of each semester (L441-10 II), so each
    piece is computed at its own rate.
    """
    pieces = []
    start = date_from
    while start <= date_to:
        end = min(next_semester_start(start) - timedelta(days=1), date_to)
        pieces.append((start, end))
        start = end + timedelta(days=1)
    return pieces


def b2b_annual_rate(ecb_rate, legal_rate, contractual_rate=0.0):
    """Annual rate (percent) of late-payment penalties between businesses.

    L441-10 II: the contractual rate when there is one, never below three times
    the legal interest rate; otherwise the ECB rate plus 10 points.
    """
    if contractual_rate:
        return max(contractual_rate, CONTRACTUAL_FLOOR_FACTOR * legal_rate)
    return ecb_rate + ECB_MARGIN_POINTS


def contractual_floor(legal_rate):
    """The lowest contractual rate L441-10 II allows for a semester."""
    return CONTRACTUAL_FLOOR_FACTOR * legal_rate


def contractual_floored(contractual_rate, legal_rate, is_consumer=False):
    """Whether a business's contractual rate is below the floor of a semester
    whose legal rate is ``legal_rate``, and so raised to it (L441-10 II). The
    floor is checked semester by semester: a rate above the floor when it was
    agreed can fall below it when the legal rate rises."""
    return (
        bool(contractual_rate) and not is_consumer and contractual_rate < contractual_floor(legal_rate) - 1e-9
    )


# Code de commerce L441-10 II sets a floor to contractual rates, no ceiling; but
# a penalty clause manifestly excessive can be reduced by the judge (Code civil
# 1231-5), and a rate several times the legal default is far more likely a
# typing error (250 for 2.50) than a term of sale. Above this many times the
# highest default B2B rate ever recorded, the rate is refused.
PLAUSIBLE_RATE_FACTOR = 3.0


def plausible_rate_ceiling(highest_ecb_rate):
    """The highest contractual rate the addon accepts, in percent.

    ``highest_ecb_rate``: the highest ECB rate of the recorded semesters; the
    default B2B rate is that rate + 10 points (L441-10 II), and three times it
    leaves room for any rate seen in French terms of sale (e.g. 4.5 % + 10 =
    14.5 %, ceiling 43.5 %) while catching a mistyped 250 %.
    """
    return PLAUSIBLE_RATE_FACTOR * (highest_ecb_rate + ECB_MARGIN_POINTS)


def simple_interest(base, annual_rate, days):
    """Interest on ``base`` at ``annual_rate`` percent for ``days`` days (not rounded)."""
    return base * annual_rate / 100.0 * days / DAYS_PER_YEAR


def max_due_date(invoice_date):
    """The latest due date L441-10 I allows for an invoice between businesses.

    60 days from the invoice date, or 45 days end of month. The 45-days-end-of-
    month term is counted either way the administration accepts (end of the month
    after adding 45 days, or 45 days after the end of the month): the most
    favourable one applies.
    """
    sixty = invoice_date + timedelta(days=MAX_TERM_DAYS)
    plus_45 = invoice_date + timedelta(days=MAX_TERM_EOM_DAYS)
    eom_after_45 = date(plus_45.year, plus_45.month, monthrange(plus_45.year, plus_45.month)[1])
    end_of_month = date(
        invoice_date.year, invoice_date.month, monthrange(invoice_date.year, invoice_date.month)[1]
    )
    eom_then_45 = end_of_month + timedelta(days=MAX_TERM_EOM_DAYS)
    return max(sixty, eom_after_45, eom_then_45)


# The procedures a pre-litigation notice can announce (selection values).
LITIGATION_ROUTES = [
    # Code de procédure civile 1405 and following: order for payment, without a hearing.
    ("injunction", "Order for payment (injonction de payer)"),
    # Code des procédures civiles d'exécution L125-1: simplified recovery of small
    # claims by a commissaire de justice, up to 5 000 EUR (R125-1).
    ("small_claims", "Simplified recovery of small claims (commissaire de justice)"),
    # Code de procédure civile 873 (tribunal de commerce) and 835 (tribunal judiciaire):
    # provisional payment ordered in summary proceedings when the debt is not disputable.
    ("summary", "Summary proceedings for a provision (référé-provision)"),
    ("merits", "Action on the merits"),
    ("agency", "Collection agency"),
]
SMALL_CLAIMS_MAX_EUR = 5000.0


def court_for(is_consumer, public_buyer=False):
    """The court of a payment claim: the tribunal administratif against a
    public buyer (a public contract is an administrative one, Code de la
    commande publique L6; Code de justice administrative L211-1), the tribunal
    de commerce between traders (Code de commerce L721-3), the tribunal
    judiciaire otherwise (Code de l'organisation judiciaire L211-3)."""
    if public_buyer:
        return "administratif"
    return "judiciaire" if is_consumer else "commerce"


def litigation_route_for(route, public_buyer=False):
    """The procedure a pre-litigation notice announces. Against a public buyer,
    no order for payment nor seizure (public property cannot be seized): the
    référé-provision before the administrative court (CJA R541-1)."""
    return "summary" if public_buyer else route


# Code de commerce L110-4: claims between traders prescribe in 5 years.
PRESCRIPTION_YEARS_BUSINESS = 5
# Code de la consommation L218-2: a professional's claim on a consumer for goods
# or services prescribes in 2 years.
PRESCRIPTION_YEARS_CONSUMER = 2


def add_years(day, years):
    """``day`` plus ``years`` years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# Code civil 2238 (the text in force; its amending history is not cited): the
# prescription is suspended (2230: the time already run is kept)
# - by a mediation or conciliation the parties agree to once a dispute has
#   arisen (in writing, else from its first meeting), until a party or the
#   mediator declares it over;
# - from the debtor's agreement, recorded by the commissaire de justice, to
#   take part in the simplified recovery of small claims (CPCE L125-1); when
#   the procedure fails, until the debtor's refusal recorded by the
#   commissaire.
# The period then runs again for what was left, and for no less than six
# months. The article grants those six months when a mediation ends, whatever
# its outcome, and when the small-claims procedure fails; not when it ends in
# an enforceable title.
PRESCRIPTION_AFTER_SUSPENSION_MIN_MONTHS = 6
# A mediation suspends from the parties' written agreement to it, else from
# its first meeting. The referral is the creditor's request alone (a
# Médiateur des entreprises or a conciliateur de justice is seised by one
# party), which suspends nothing: the suspension is counted from the first
# meeting, the one day the addon knows both parties took part. A written
# agreement before it would have suspended earlier: the date shown is then
# earlier than the true one, never later.
MEDIATION_START_STEP = "md_meeting"
# The steps that end a mediation.
MEDIATION_END_STEPS = ("md_agreement", "md_failure")
# The steps that end the small-claims procedure once the debtor agreed to take
# part (sc_agreement): the debtor's refusal recorded by the commissaire, or the
# enforceable title on the amount and the terms agreed (CPCE L125-1). Not the
# month passed without agreement (sc_failed): nothing was agreed, nothing
# suspended; an agreement in force contradicts it (the nightly check recorded
# it before the agreement was entered).
SMALL_CLAIMS_END_STEPS = ("sc_refusal", "sc_title")
# What suspends the prescription (2238): (the litigation step that starts it,
# the steps that end it). Closing the litigation ends it too.
PRESCRIPTION_SUSPENSIONS = (
    (MEDIATION_START_STEP, MEDIATION_END_STEPS),
    ("sc_agreement", SMALL_CLAIMS_END_STEPS),
)
# The end that is not a failure: the period runs again from the title for the
# days that were left, without the six months' minimum.
SUSPENSION_ENDS_WITHOUT_MINIMUM = ("sc_title",)


class Suspension(NamedTuple):
    """A suspension of the prescription: its first day, the day it ended (None
    while it lasts) and the months the period runs at least after it."""

    began: date
    ended: date | None
    min_months: int = PRESCRIPTION_AFTER_SUSPENSION_MIN_MONTHS


def prescription_suspensions(steps, closed_on=None):
    """The suspensions (Code civil 2238) that the steps of a litigation make.

    ``steps``: (kind, date) of its steps in force, in their order;
    ``closed_on``: the day the litigation was closed, which ends a suspension
    still under way (as a failure: at least six months after it)."""
    found = []
    for start_kind, end_kinds in PRESCRIPTION_SUSPENSIONS:
        began = next((day for kind, day in steps if kind == start_kind), None)
        if began is None:
            continue
        end_kind, ended = next(
            ((kind, day) for kind, day in steps if kind in end_kinds and day >= began),
            (None, closed_on or None),
        )
        minimum = (
            0 if end_kind in SUSPENSION_ENDS_WITHOUT_MINIMUM else PRESCRIPTION_AFTER_SUSPENSION_MIN_MONTHS
        )
        found.append(Suspension(began, ended, minimum))
    return found


def prescription_date(due_date, is_consumer, interrupted_on=None, suspensions=()):
    """The last day the claim can be brought to court, or None while a
    suspension lasts (its end is not known yet).

    The period runs from the due date (Code civil 2224, 2233); an
    acknowledgement of the debt by the debtor (2240) or a legal action (2241)
    interrupts it and a new period of the same length starts (2231). A formal
    notice (mise en demeure) does not interrupt it.

    ``interrupted_on``: the day of an interruption, or the days of several.
    Only a period still running is interrupted (2231: the interruption erases
    the time run): the last day counts (2229: the prescription is acquired once
    the last day of the term has passed), the day after does not; an act after
    it revives nothing (the debtor may renounce a prescription acquired, 2250,
    which the addon never presumes).

    ``suspensions``: Suspension (or (first day, day it ended or None)) of each
    mediation, conciliation or small-claims procedure the debtor agreed to
    (2238). The days left when it began are counted again from the day it
    ended, and at least its minimum months (six unless it says otherwise).
    """
    days = (
        [interrupted_on] if isinstance(interrupted_on, date) else sorted(filter(None, interrupted_on or ()))
    )
    end = _prescription_end(due_date, due_date, is_consumer, suspensions)
    for day in days:
        if end is not None and day > end:
            break
        end = _prescription_end(due_date, day, is_consumer, suspensions)
    return end


def _prescription_end(due_date, interrupted_on, is_consumer, suspensions):
    """prescription_date for a period that starts again on ``interrupted_on``."""
    start = max(due_date, interrupted_on)
    years = PRESCRIPTION_YEARS_CONSUMER if is_consumer else PRESCRIPTION_YEARS_BUSINESS
    end = add_years(start, years)
    suspensions = [Suspension(*suspension) for suspension in suspensions]
    for began, ended, min_months in sorted(suspensions, key=lambda s: (s.began, s.ended or date.max)):
        # Only what suspends the period running: not before it started, not
        # once the claim prescribed.
        began = max(began, start)
        if began > end or (ended and ended < began):
            continue
        if not ended:
            return None
        end = max(ended + (end - began), add_months(ended, min_months))
    return end


def claims_deadline(bodacc_date):
    """Code de commerce L622-24 and R622-24: creditors declare their claims
    within two months of the publication of the opening judgment in the BODACC."""
    month = bodacc_date.month + 2
    year = bodacc_date.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return bodacc_date.replace(year=year, month=month, day=min(bodacc_date.day, monthrange(year, month)[1]))


# Plan comptable général (ANC regulation 2014-03, list of accounts, art. 932-1):
# 654 Pertes sur créances irrécouvrables, 6541 for claims of the financial year,
# 6544 for claims of earlier years. (xml ids of the French chart.)
LOSS_ACCOUNT_THIS_YEAR = "pcg_6541"
LOSS_ACCOUNT_EARLIER_YEARS = "pcg_6544"


def irrecoverable_loss_account(invoice_date, fiscal_year_start):
    """The PCG account that bears a claim written off, excluding VAT: 6541
    when the invoice is of the current financial year, 6544 otherwise."""
    if invoice_date and invoice_date >= fiscal_year_start:
        return LOSS_ACCOUNT_THIS_YEAR
    return LOSS_ACCOUNT_EARLIER_YEARS


def irrecoverable_share(residual, amount_total):
    """The share of an invoice written off as irrecoverable: what is still
    due over its total, VAT included.

    CGI art. 272-1: the VAT charged on a sale is recovered (imputée) when the
    claim has become definitely irrecoverable, once the invoice is rectified
    (a credit note). Only the VAT of what was not paid is recovered: payments
    received are taken to include VAT in the invoice's proportion. So the
    credit note bears the invoice's taxes on this share of its amounts, the
    VAT goes back to the collected VAT account and only the amount excluding
    VAT is a loss (654)."""
    if not amount_total:
        return 0.0
    return residual / amount_total


# ---------------------------------------------------------------------------
# Who owes what, from when (used by the penalty engine)
# ---------------------------------------------------------------------------


# Code civil 1344: the debtor is put on notice by a summons or a written act
# calling on them clearly enough to pay. The addon's formal notice is a letter
# (registered, with acknowledgement, when its date of receipt must be proved):
# a formal-notice level needs one of these channels.
FORMAL_NOTICE_CHANNELS = ("letter", "registered")


def puts_on_notice(tier, channels):
    """Whether a communication of a level of ``tier`` sent through
    ``channels`` is a formal notice (Code civil 1344, see above)."""
    return tier == "formal_notice" and bool(set(FORMAL_NOTICE_CHANNELS) & set(channels))


def notice_after_due_date(offset_days):
    """Whether a formal notice sent ``offset_days`` after the due date has an
    effect: it summons the debtor to perform an obligation that is due
    (Code civil 1344); on or before the due date it demands what is not yet
    owed, and no interest runs from it."""
    return offset_days > 0


def formal_notice_date(recorded, sent_on, is_notice):
    """The date an invoice's debtor was put on notice, once a communication is
    sent on ``sent_on``: the first formal notice counts (interest of a
    consumer runs from it, Code civil 1231-6 and 1344); a later one, or any
    other communication, leaves ``recorded`` as it is."""
    return (recorded or sent_on) if is_notice else recorded


def formal_notice_date_sql(recorded_sql, sent_on, is_notice_sql):
    """formal_notice_date as an SQL expression (the escalation records the
    date on every invoice it chases in one statement)."""
    return SQL(
        "CASE WHEN %s THEN COALESCE(%s, %s::date) ELSE %s END",
        is_notice_sql,
        recorded_sql,
        sent_on,
        recorded_sql,
    )


# Code de commerce L622-28: the judgment opening a sauvegarde stops, from its
# day, the legal and contractual interest and every late-payment increase (also
# for a redressement, L631-14, and a liquidation, L641-3). What accrued before
# it is not erased: it belongs to the claim declared to the mandataire
# (L622-24, L622-25). And no claim born before the judgment may be paid after
# it (L622-7): the penalties are declared, never billed.
def interest_last_day(proceedings_date):
    """The last day interest may run against a debtor whose collective
    proceedings opened on ``proceedings_date`` (None: no proceedings)."""
    return proceedings_date - timedelta(days=1) if proceedings_date else None


def declared_not_billed(proceedings_date, at_date):
    """Whether the penalties computed to ``at_date`` are a claim to declare in
    the proceedings rather than an amount to bill (L622-7, above)."""
    return bool(proceedings_date and proceedings_date <= at_date)


def instalment_late(due_date, day):
    """Whether an instalment due on ``due_date`` is late on ``day``. Each
    instalment's date is a payment date written on the invoice, and the
    penalties run from the day after it (Code de commerce L441-10 II): on its
    due date it is still on time. What is late is what the customer owes now;
    the later instalments are not yet due (Code civil 1305-2: what is owed
    at a term cannot be claimed before it falls)."""
    return due_date < day


def instalment_late_sql(due_sql, day):
    """instalment_late as an SQL condition, for the grouped reports."""
    return SQL("(%s < %s)", due_sql, day)


def interest_runs_after(due_date, is_consumer, formal_notice_date):
    """The day after which late-payment interest runs, or None when none runs.

    Between businesses, from the day after the due date written on the
    invoice (Code de commerce L441-10 II). A consumer owes interest at the
    legal rate only from the formal notice (Code civil 1231-6 and 1344)."""
    if not is_consumer:
        return due_date
    if not formal_notice_date:
        return None
    return max(due_date, formal_notice_date)


def annual_interest_rate(ecb_rate, legal_rate, contractual_rate, is_consumer):
    """The annual rate of a late invoice's interest in a semester.

    A consumer: the legal rate "in other cases", the creditor being a business
    (Code monétaire et financier L313-2). A business: see b2b_annual_rate."""
    if is_consumer:
        return legal_rate
    return b2b_annual_rate(ecb_rate, legal_rate, contractual_rate)


def indemnity_owed(is_consumer, due_date, paid_or_computed_on, proceedings_date=None):
    """Whether the 40 EUR recovery indemnity is owed: by a business customer
    or a public buyer, once per invoice paid (or still unpaid) after its due
    date (Code de commerce L441-10 II and D441-5; Code de la commande publique
    L2192-13 and D2192-35); never by a consumer. For a debtor in collective
    proceedings, when the due date came before the judgment: the invoice was
    late before it (L622-28 stops only what runs from the judgment on)."""
    if is_consumer or paid_or_computed_on <= due_date:
        return False
    return not proceedings_date or due_date < proceedings_date


def indemnity_rate_date(due_date):
    """The day whose exchange rate converts the 40 EUR of an invoice in another
    currency: the day it became owed, the day after the due date (D441-5). The
    amount is then the same whatever the day it is computed."""
    return due_date + timedelta(days=1)


# ---------------------------------------------------------------------------
# Public buyers (commande publique)
# ---------------------------------------------------------------------------

# Code de la commande publique R2192-10: the longest payment deadline of a
# public buyer, in days: the State and local authorities (pouvoirs
# adjudicateurs), public health establishments, public companies.
PUBLIC_BUYER_DEADLINE_DAYS = {"state": 30, "health": 50, "company": 60}

# R2192-31: moratory interest at the ECB main refinancing rate in force on the
# first day of the half-year in which the interest started to run, plus eight
# points: one rate for the whole delay, not a rate per semester.
PUBLIC_MARGIN_POINTS = 8.0

# R2192-36 (with L2192-13 and D2192-35): the moratory interest and the 40 EUR
# are owed by law, without any claim, and paid within 45 days of the payment
# of the principal.
PUBLIC_INTEREST_PAYMENT_DAYS = 45


def public_moratory_rate(ecb_rate_at_start):
    """The annual moratory interest rate (percent) of a public buyer's late
    payment: ``ecb_rate_at_start``, the ECB rate of the semester in which the
    interest started to run, plus eight points (R2192-31)."""
    return ecb_rate_at_start + PUBLIC_MARGIN_POINTS


def public_max_due_date(invoice_date, buyer_kind):
    """The latest due date R2192-10 allows a public buyer of ``buyer_kind``
    (counted here from the invoice date; the law counts from its receipt,
    which is never earlier)."""
    return invoice_date + timedelta(days=PUBLIC_BUYER_DEADLINE_DAYS[buyer_kind])


# Code civil 2240 (the debtor acknowledges the debt) and 2241 (a legal action):
# the dunning events that start the prescription again. A formal notice does not.
PRESCRIPTION_INTERRUPTING_EVENTS = ("acknowledgement", "legal_action")


def prescription_date_sql(due_date_sql, is_consumer_sql):
    """prescription_date without interruption, as an SQL expression on the
    columns given (for the install hook, on every existing invoice at once).
    PostgreSQL adds a year to 29 February as add_years does: 28 February."""
    return SQL(
        "(%s + CASE WHEN %s THEN make_interval(years => %s) ELSE make_interval(years => %s) END)::date",
        due_date_sql,
        is_consumer_sql,
        PRESCRIPTION_YEARS_CONSUMER,
        PRESCRIPTION_YEARS_BUSINESS,
    )


# ---------------------------------------------------------------------------
# A claim handed over to a collection agency or a commissaire de justice
# ---------------------------------------------------------------------------

# Plan comptable général (ANC regulation 2014-03, art. 932-1): a collection
# agency's commission is a fee (6226 Honoraires); a commissaire de justice's
# fees are 6227 Frais d'actes et de contentieux. (xml ids of the French chart.)
AGENCY_FEE_ACCOUNT = "pcg_6226"
BAILIFF_FEE_ACCOUNT = "pcg_6227"
# The fee is a service: its VAT is due when the agency is paid (CGI 269-2-c)
# and deductible then (CGI 271-I-2): the French chart's 20 % "on payment"
# purchase tax on services. Deducting it needs the agency's invoice (CGI
# 271-II-1-a): the fee bill stays a draft until that invoice comes in.
AGENCY_FEE_TAX = "tva_acq_encaissement"


def handover_fee_account(route):
    """The PCG account of the fees of a hand-over ``route``."""
    return AGENCY_FEE_ACCOUNT if route == "agency" else BAILIFF_FEE_ACCOUNT


# E-invoicing lifecycle statuses (CGI art. 289 bis; DGFiP/AIFE external
# specifications v3.1 and AFNOR XP Z12-012 for the codes and reasons).
# 213 Rejetée: the platform refused the invoice, which was not issued and does
# not exist for the tax authority: nothing to chase, unless the rejection is of
# a duplicate, which concerns the duplicate transmission only.
# 210 Refusée for a missing purchase-order number (a mention of the invoice,
# Code de commerce L441-9 I): the payment term runs from the invoice's date or
# the delivery (L441-10 I), so such a refusal does not move the due date.
LIFECYCLE_PO_WORDS = ("bon de commande", "numero de commande", "purchase order", "order reference")
LIFECYCLE_DUPLICATE_WORDS = ("doublon", "duplicate", "deja recue", "already received")


def _lifecycle_text(reason_code, reason):
    text = f"{reason_code or ''} {reason or ''}".lower().replace("_", " ")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def lifecycle_purchase_order_missing(code, reason_code, reason):
    """A refusal (210) for a missing or wrong purchase-order number."""
    text = _lifecycle_text(reason_code, reason)
    return code == "210" and (any(word in text for word in LIFECYCLE_PO_WORDS) or "commande" in text)


def lifecycle_duplicate(code, reason_code, reason):
    """A rejection (213) of a duplicate transmission."""
    text = _lifecycle_text(reason_code, reason)
    return code == "213" and any(word in text for word in LIFECYCLE_DUPLICATE_WORDS)


def lifecycle_invoice_exists(code, duplicate):
    """Whether the invoice exists (may be chased) after status ``code``."""
    return code != "213" or duplicate


# Court procedures and mediation: the steps, their deadlines, the prior
# amicable attempt
# ---------------------------------------------------------------------------


# Code de procédure civile 641: a period in months ends on the day of the last
# month that bears the same number as the day of the act that starts it, or,
# when that month has no such day, on its last day; a period in days does not
# count the day of the act. 642: a period ends on its last day at midnight,
# and one that would end on a Saturday, a Sunday or a public holiday is
# extended to the next working day.
def add_months(day, months):
    """``day`` plus ``months`` months (CPC 641): 31 January + 1 month is the
    last day of February."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def easter_sunday(year):
    """Easter Sunday of ``year`` (Gregorian computus, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 90) // 25
    p = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 33 * n + 19) % 32
    return date(year, n, p)


def french_public_holidays(year):
    """The public holidays of Code du travail L3133-1 (mainland France): 1
    January, Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 July, 15
    August, 1 November, 11 November, 25 December."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter + timedelta(days=offset) for offset in (1, 39, 50)]
    return {date(year, month, day) for month, day in fixed} | set(movable)


def next_working_day(day):
    """``day``, or the next day that is neither a weekend day nor a public
    holiday (CPC 642)."""
    while day.weekday() >= 5 or day in french_public_holidays(day.year):
        day += timedelta(days=1)
    return day


def period_end(start, months=0, days=0):
    """The last day of a period of ``months`` months and ``days`` days that
    starts with an act dated ``start`` (CPC 641 and 642)."""
    return next_working_day(add_months(start, months) + timedelta(days=days))


def previous_working_day(day):
    """``day``, or the last day before it that is neither a weekend day nor a
    public holiday."""
    while day.weekday() >= 5 or day in french_public_holidays(day.year):
        day -= timedelta(days=1)
    return day


def period_before(event_day, days):
    """The last day to do an act that must be done at least ``days`` days
    before ``event_day`` (a hearing), a period counted back from the event.

    Counted as CPC 641 counts a period in days, backwards: the day of the
    event does not count, and the ``days`` whole days before it must be left
    free, so the act is due the day before them (the way the Cour de
    cassation counts a period counted back, Cass. com. 14 March 2018, no.
    16-26.996, as practitioners report it; the ruling itself was not read
    here): 8 days before a hearing on 31/07 is 22/07. CPC 642's extension to
    the next working day would cut into the days the other party is owed: a
    last day that is not a working day is brought back to the working day
    before it."""
    return previous_working_day(event_day - timedelta(days=days + 1))


# The periods and thresholds of the procedures, as a company's dunning manager
# may see and, where the law changes, correct them (fr.dunning.court.rule):
# months, days, an amount in EUR, a date before which the rule applies, the
# source. The defaults below are the law as of 2026.
class CourtRule:
    __slots__ = ("amount", "article", "days", "label", "months", "until")

    def __init__(self, label="", months=0, days=0, amount=0.0, until=None, article=""):
        self.label, self.months, self.days, self.amount = label, months, days, amount
        self.until, self.article = until, article

    def end(self, start):
        """The last day of this rule's period for an act dated ``start``."""
        return period_end(start, self.months, self.days)


# Décret 2021-1322 of 11 October 2021, art. 3 (in force 1 March 2022 by décret
# 2022-245): the order for payment is now given to the creditor with the
# formule exécutoire already on it (CPC 1410), and former CPC 1423 (request
# the formule within one month after the opposition period, or the order is
# void) is repealed. It still governs the orders made before that date.
INJUNCTION_REFORM_DATE = date(2022, 3, 1)

COURT_RULES = {
    # CPC 1411: the order for payment is void (non avenue) if it is not served
    # within six months of its date.
    "injunction_service": CourtRule("Order for payment: serve it within", months=6, article="CPC 1411"),
    # CPC 1416: the debtor may oppose within one month of service. When service
    # was not made to the person, until one month after the first act served
    # to the person or, failing that, after the first enforcement measure that
    # makes the debtor's assets unavailable (1416 al. 2). CPC 1422: without
    # opposition within that month, the order has the effects of a judgment.
    "injunction_opposition": CourtRule(
        "Order for payment: opposition within", months=1, article="CPC 1416, 1422"
    ),
    # Former CPC 1422-1423 (orders made before 1 March 2022): the formule
    # exécutoire is requested within one month after the opposition period, or
    # the order is void.
    "injunction_formula": CourtRule(
        "Order for payment: request the formule exécutoire within (former rule)",
        months=1,
        until=INJUNCTION_REFORM_DATE,
        article="CPC 1423 (former, repealed on 01/03/2022)",
    ),
    # CPC 485-486: the référé hearing is the one the summons names.
    "summary_hearing": CourtRule("Référé: hearing", article="CPC 485"),
    # CPC 489: a référé order is provisionally enforceable; CPC 490: appeal
    # within fifteen days of its service.
    "summary_appeal": CourtRule("Référé: appeal within", days=15, article="CPC 489, 490"),
    # CPC 478: a decision given by default, or deemed after hearing both sides
    # only because it can be appealed, is void if it is not served within six
    # months of its date.
    "default_service": CourtRule("Decision by default: serve it within", months=6, article="CPC 478"),
    # CPCE L125-1: the simplified recovery of small claims takes place within
    # one month from the commissaire de justice's letter inviting the debtor;
    # with both parties' agreement on the amount and the terms, the commissaire
    # issues an enforceable title. R125-1: claims up to 5 000 EUR.
    "small_claims_answer": CourtRule(
        "Small claims: debtor's agreement within", months=1, article="CPCE L125-1"
    ),
    "small_claims_ceiling": CourtRule(
        "Small claims: highest claim", amount=SMALL_CLAIMS_MAX_EUR, article="CPCE R125-1"
    ),
    # CPC 750-1 (décret 2023-357, actions brought from 1 October 2023): before
    # the tribunal judiciaire, a claim for 5 000 EUR or less is preceded by an
    # attempt at conciliation by a conciliateur de justice, mediation or
    # participatory procedure, or it is inadmissible.
    "amicable_ceiling": CourtRule("Prior amicable attempt: claims up to", amount=5000.0, article="CPC 750-1"),
    # CPC 750-1 3°: no conciliation meeting within three months of the
    # referral to a conciliateur de justice dispenses from the attempt.
    "conciliation_meeting": CourtRule("Conciliation: first meeting within", months=3, article="CPC 750-1 3°"),
    # A mediation meeting: the date agreed with the mediator, no legal period.
    "mediation_meeting": CourtRule(
        "Mediation: next meeting",
    ),
    # The action on the merits. CPC 56 (tribunal judiciaire) and 855
    # (tribunal de commerce): since the reform of 2019-2020 the summons states
    # the place, day and time of the hearing.
    "merits_hearing": CourtRule("Action on the merits: hearing", article="CPC 56, 855"),
    # CPC 754 (as amended by décret 2020-1452, which wrote the fifteen days
    # below, and décret 2021-1322, which removed the two months counted from a
    # hearing date given electronically that décret 2019-1333 had made the
    # main rule): the court is seised by the copy of the
    # summons lodged with its registry; when the hearing date is given more
    # than fifteen days ahead, the copy is lodged at least fifteen days before
    # the hearing, or the summons lapses (caducité), declared by the judge of
    # its own motion. Checked against the text as the Ministry of Justice
    # quotes it (JO Sénat, 13 January 2022, p. 245, question no. 25287) and
    # later commentaries; Légifrance itself could not be read here.
    "merits_lodging_judiciaire": CourtRule(
        "Tribunal judiciaire: lodge the summons with the registry, days before the hearing",
        days=15,
        article="CPC 754",
    ),
    # CPC 857: before the tribunal de commerce, the copy is lodged at least
    # eight days before the hearing, or the summons lapses (the référé before
    # its president excepted, Cass. civ. 2e, 22 May 2025, no. 23-14.133).
    "merits_lodging_commerce": CourtRule(
        "Tribunal de commerce: lodge the summons with the registry, days before the hearing",
        days=8,
        article="CPC 857",
    ),
    # CPC 538: an ordinary appeal is lodged within one month in contentious
    # matters; CPC 528: from the service (signification) of the judgment.
    "merits_appeal": CourtRule("Judgment: appeal within", months=1, article="CPC 528, 538"),
    # CPC 643: before a court in mainland France, the periods of appearance,
    # appeal, opposition and cassation are extended by one month for a party
    # living in Guadeloupe, French Guiana, Martinique, La Réunion, Mayotte,
    # Saint-Barthélemy, Saint-Martin, Saint-Pierre-et-Miquelon, French
    # Polynesia, Wallis and Futuna, New Caledonia or the French Southern
    # Lands (1°), by two months for a party living abroad (2°), another
    # member state of the European Union included: the article makes no
    # exception for it.
    "distance_overseas": CourtRule(
        "Party living overseas: periods extended by", months=1, article="CPC 643 1°"
    ),
    "distance_abroad": CourtRule("Party living abroad: periods extended by", months=2, article="CPC 643 2°"),
}


def court_rules(overrides=None):
    """COURT_RULES with a company's ``overrides`` ({code: CourtRule})."""
    return {**COURT_RULES, **(overrides or {})}


# The steps of each procedure, as a dunning manager records them.
COURT_STEPS = [
    # Order for payment (CPC 1405 and following).
    ("ip_request", "Request filed with the court"),
    ("ip_order", "Order for payment made"),
    ("ip_service", "Order served by the commissaire de justice"),
    ("ip_opposition", "Opposition by the debtor"),
    ("ip_formula", "Formule exécutoire requested"),
    ("ip_enforcement", "No opposition: enforcement instructed"),
    ("ip_void", "Order void"),
    # Référé-provision (CPC 835 and 873).
    ("rp_summons", "Summons served (référé)"),
    ("rp_order", "Référé order made"),
    ("rp_service", "Référé order served"),
    ("rp_appeal", "Appeal by the debtor"),
    ("rp_void", "Référé order void"),
    # Simplified recovery of small claims (CPCE L125-1).
    ("sc_invitation", "Commissaire's invitation and proposal sent"),
    # The debtor first agrees to take part (which suspends the prescription,
    # Code civil 2238), then to the amount and the terms, on which the
    # commissaire issues the title; it may refuse at either stage.
    ("sc_agreement", "Debtor agrees to take part (recorded by the commissaire)"),
    ("sc_refusal", "Debtor's refusal recorded by the commissaire"),
    ("sc_title", "Enforceable title issued (amount and terms agreed)"),
    ("sc_failed", "No agreement to take part within the month"),
    # Mediation or conciliation before court.
    ("md_referral", "Referral to the mediator or conciliator"),
    ("md_meeting", "Mediation meeting"),
    ("md_agreement", "Agreement"),
    ("md_failure", "No agreement (failure)"),
    # Action on the merits before the tribunal de commerce or the tribunal
    # judiciaire (CPC 54, 750 and following; 853 and following).
    ("mt_summons", "Summons served (assignation au fond)"),
    ("mt_lodged", "Copy of the summons lodged with the registry"),
    ("mt_hearing", "Hearing held"),
    ("mt_judgment", "Judgment: claim granted"),
    ("mt_partial", "Judgment: claim partly granted"),
    ("mt_dismissed", "Judgment: claim dismissed"),
    ("mt_service", "Judgment served (signification)"),
    ("mt_appeal", "Appeal lodged"),
    ("mt_enforcement", "Judgment final: enforcement instructed"),
    ("mt_lapsed", "Summons lapsed: copy not lodged in time"),
    ("mt_void", "Judgment by default void"),
    # Any route: a step recorded by mistake.
    ("correction", "Correction of a step"),
]
# The route of each step, by its prefix; "correction" belongs to every route.
STEP_PREFIX_ROUTE = {
    "ip": "injunction",
    "rp": "summary",
    "sc": "small_claims",
    "md": "mediation",
    "mt": "merits",
}
STEP_ROUTE = {
    code: STEP_PREFIX_ROUTE[code[:2]] for code, _label in COURT_STEPS if code[:2] in STEP_PREFIX_ROUTE
}
# Recorded by the nightly check when a deadline passes, never by hand.
AUTOMATIC_STEPS = ("ip_void", "rp_void", "sc_failed", "mt_lapsed", "mt_void")
# Of those, the ones the night alone records, not the check that follows a
# manager's step: a manager entering a procedure's past steps one by one
# records the summons before the copy's lodging, and the summons has not
# lapsed for that. Until the night the litigation warns of it.
NIGHT_SANCTIONS = ("mt_lapsed",)
# Code civil 2241: a claim brought to court, even in référé, interrupts the
# prescription. These steps are recorded as legal actions.
LEGAL_ACTION_STEPS = ("ip_request", "rp_summons", "mt_summons")
# The routes whose hand-over itself is recorded as a legal action, as it was
# before their steps existed. Not the action on the merits: the claim is
# brought by the summons served (CPC 54, 750), recorded as its own step so
# that a lapse or a dismissal can void it (below); a file handed to a lawyer
# interrupts nothing.
HANDOVER_LEGAL_ACTION_ROUTES = ("injunction", "summary")

# The judgments on the merits, whatever they grant.
MERITS_JUDGMENT_STEPS = ("mt_judgment", "mt_partial", "mt_dismissed")
# The courts whose registry a summons on the merits is lodged with, and the
# rule of each (CPC 754, 857). Before the tribunal administratif a public
# buyer is sued by a request (CJA R411-1), not a summons: no lodging period.
MERITS_LODGING_RULES = {"judiciaire": "merits_lodging_judiciaire", "commerce": "merits_lodging_commerce"}

# CPC 643 1°: the overseas departments and communities, by their ISO codes
# (Odoo's countries). Another code is abroad; no code is France.
OVERSEAS_COUNTRY_CODES = ("GP", "GF", "MQ", "RE", "YT", "BL", "MF", "PM", "PF", "WF", "NC", "TF")


def distance_rule(country_code):
    """The CPC 643 rule that extends the periods of a party living in
    ``country_code`` before a court in mainland France, or None (France, or
    no country known: no extension is assumed)."""
    if not country_code or country_code == "FR":
        return None
    return "distance_overseas" if country_code in OVERSEAS_COUNTRY_CODES else "distance_abroad"


# Code civil 2243: the interruption by a legal action is void (non avenue)
# when the claimant withdraws, lets the instance lapse, or the claim is
# definitively rejected. A summons that lapses (caducité, CPC 754 and 857)
# is void with all that followed it: the court was never seised and the
# prescription was not interrupted (the Ministry of Justice's answer, JO Sénat,
# 13 January 2022, p. 245, question no. 25287). A dismissal is definitive
# once no appeal is lodged; the addon treats it as voiding the interruption
# from the day it is recorded unless an appeal follows: the date shown is the
# one that holds if the dismissal becomes final, never a later one.
MERITS_VOIDING_STEPS = ("mt_lapsed", "mt_dismissed")


def summons_interruption_void(steps, lodged_in_time):
    """Whether the interruption of the prescription by the summons on the
    merits is void (Code civil 2243, above). ``steps``: {kind: step} of the
    steps in force (each with ``date``); ``lodged_in_time``: whether the copy
    of the summons was lodged with the registry in time (a lapse recorded
    before the lodging was entered is contradicted by it)."""
    if "mt_summons" not in steps:
        return False
    if "mt_lapsed" in steps and not lodged_in_time:
        return True
    dismissed, appeal = steps.get("mt_dismissed"), steps.get("mt_appeal")
    return bool(dismissed) and not (appeal and appeal.date >= dismissed.date)


# Mediation, a route of its own: free for the parties with the Médiateur des
# entreprises (a public service of the Ministry of the Economy, seized through
# its website, confidential) and with a conciliateur de justice; paid to a
# conventional mediator (CPC, book V: conventional mediation and
# conciliation). It ends in an agreement the parties sign, or in a failure
# that proves the attempt (CPC 750-1).
MEDIATION_ROUTE = ("mediation", "Mediation or conciliation (before court)")
MEDIATION_KINDS = [
    ("enterprises", "Médiateur des entreprises (free, confidential)"),
    ("conciliator", "Conciliateur de justice (free)"),
    ("mediator", "Conventional mediator"),
]


def default_mediation_kind(is_consumer):
    """The Médiateur des entreprises handles disputes between businesses; a
    consumer customer is offered a conciliateur de justice."""
    return "conciliator" if is_consumer else "enterprises"


# CPC 750-1: the actions concerned are those brought before the tribunal
# judiciaire (the article sits among its particular rules), on the merits or
# in référé. An order for payment is not: it is made without hearing the
# debtor (750-1 3°). Neither are the commissaire's procedure, mediation nor an
# agency, which are not actions before a court.
AMICABLE_ATTEMPT_ROUTES = ("merits", "summary")


# CPC 750-1: the cases that dispense from the attempt, as a manager states them
# when no attempt can be proved (1°, an agreement to approve, and 4°, a court
# that conciliates itself, do not concern a claim for payment).
AMICABLE_EXEMPTIONS = [
    ("urgency", "Manifest urgency (CPC 750-1 3°)"),
    ("conciliator_unavailable", "No conciliation meeting within three months of the referral (CPC 750-1 3°)"),
    ("small_claims_failed", "Simplified small-claims procedure tried in vain (CPC 750-1 5°)"),
]


def amicable_attempt_required(route, court, claim_eur, ceiling_eur):
    """Whether a prior attempt at amicable resolution must be proved before
    bringing ``route`` before ``court`` for ``claim_eur`` (CPC 750-1: a sum
    not exceeding the ceiling, compared to the cent)."""
    return (
        route in AMICABLE_ATTEMPT_ROUTES
        and court == "judiciaire"
        and round(claim_eur, 2) <= round(ceiling_eur, 2)
    )


def small_claims_allowed(claim_eur, ceiling_eur):
    """CPCE R125-1: the simplified procedure is for claims of at most the
    ceiling (principal and interest)."""
    return round(claim_eur, 2) <= round(ceiling_eur, 2)


class Deadline:
    """A deadline of a court step: its rule, its last day, whether what it
    asks is done, and whether it has passed with a sanction."""

    __slots__ = ("article", "code", "date", "done", "lapsed", "sanction")

    def __init__(self, code, day, done=False, lapsed=False, sanction=None, article=""):
        self.code, self.date, self.done, self.lapsed, self.sanction = code, day, done, lapsed, sanction
        # The source, when it is not the rule's own (a period extended by CPC 643).
        self.article = article

    def key(self):
        return f"{self.code}:{self.date.isoformat()}"


# The summonses; one served to the debtor in person makes a decision given in
# its absence one deemed given after both parties were heard (CPC 473 al. 2),
# to which CPC 478's six months do not apply.
SUMMONS_STEPS = ("rp_summons", "mt_summons")


def default_service_deadline(rules, decision, service, today, sanction):
    """CPC 478: a decision given by default, or deemed given after both were
    heard only because it can be appealed (a référé order, a judgment, the
    debtor absent and the summons not served to the person), is served within
    six months of its date, or it is void: the ``sanction`` step.
    ``service``: its service step, if recorded."""
    last = rules["default_service"].end(decision.date)
    return Deadline(
        "default_service",
        last,
        done=bool(service) and service.date <= last,
        lapsed=(not service and today > last) or (bool(service) and service.date > last),
        sanction=sanction,
    )


def court_deadlines(steps, rules, today, court=None, country_code=None):
    """The deadlines that follow from ``steps`` ({kind: step}, the last step
    of each kind still in force; a step has ``date``, ``to_person``,
    ``by_default``, ``next_date`` and ``mediation_kind``), under ``rules``
    (court_rules()), as of ``today``; ``court`` (court_for()) and the
    debtor's ``country_code`` for the action on the merits."""
    found = merits_deadlines(steps, rules, today, court, country_code)
    order, service = steps.get("ip_order"), steps.get("ip_service")
    if order:
        last = rules["injunction_service"].end(order.date)
        late = bool(service) and service.date > last
        found.append(
            Deadline(
                "injunction_service",
                last,
                done=bool(service) and not late,
                lapsed=late or (not service and today > last),
                sanction="ip_void",
            )
        )
    if service and not (order and service.date > rules["injunction_service"].end(order.date)):
        opposition_end = rules["injunction_opposition"].end(service.date)
        answered = bool(steps.keys() & {"ip_opposition", "ip_enforcement", "ip_formula"})
        found.append(Deadline("injunction_opposition", opposition_end, done=answered))
        formula = rules["injunction_formula"]
        made_on = (steps.get("ip_request") or order or service).date
        if formula.until and made_on < formula.until and "ip_opposition" not in steps:
            last = formula.end(opposition_end)
            requested = steps.get("ip_formula")
            found.append(
                Deadline(
                    "injunction_formula",
                    last,
                    done=bool(requested) and requested.date <= last,
                    lapsed=bool(requested) and requested.date > last or (not requested and today > last),
                    sanction="ip_void",
                )
            )
    summons = steps.get("rp_summons")
    if summons and summons.next_date:
        found.append(Deadline("summary_hearing", summons.next_date, done="rp_order" in steps))
    summary_order, summary_service = steps.get("rp_order"), steps.get("rp_service")
    if summary_order and summary_order.by_default and not (summons and summons.to_person):
        found.append(default_service_deadline(rules, summary_order, summary_service, today, "rp_void"))
    if summary_service:
        last = rules["summary_appeal"].end(summary_service.date)
        found.append(Deadline("summary_appeal", last, done="rp_appeal" in steps))
    invitation = steps.get("sc_invitation")
    if invitation:
        last = rules["small_claims_answer"].end(invitation.date)
        answered = bool(steps.keys() & {"sc_agreement", "sc_refusal"})
        found.append(
            Deadline(
                "small_claims_answer",
                last,
                done=answered,
                lapsed=not answered and today > last,
                sanction="sc_failed",
            )
        )
    referral = steps.get("md_referral")
    ended = bool(steps.keys() & {"md_agreement", "md_failure"})
    if referral and referral.mediation_kind == "conciliator":
        last = rules["conciliation_meeting"].end(referral.date)
        found.append(Deadline("conciliation_meeting", last, done=ended or "md_meeting" in steps))
    meeting = steps.get("md_meeting")
    if meeting and meeting.next_date:
        found.append(Deadline("mediation_meeting", meeting.next_date, done=ended))
    return found


# The judgments that dismiss all or part of the claim: the company may appeal.
MERITS_CLAIM_REFUSED_STEPS = ("mt_dismissed", "mt_partial")


def merits_deadlines(steps, rules, today, court=None, country_code=None):
    """The deadlines of an action on the merits (see court_deadlines)."""
    found = []
    summons = steps.get("mt_summons")
    judgments = [steps[kind] for kind in MERITS_JUDGMENT_STEPS if kind in steps]
    judgment = max(judgments, key=lambda step: step.date, default=None)
    lodging = merits_lodging(steps, rules, today, court)
    if lodging:
        found.append(lodging)
    if summons:
        # The hearing the summons names, or the next one a hearing set (an
        # adjournment, or the day the judgment is given).
        hearing = steps.get("mt_hearing")
        next_day = hearing.next_date if hearing else summons.next_date
        if next_day:
            found.append(
                Deadline("merits_hearing", next_day, done=bool(judgment) or bool(lodging and lodging.lapsed))
            )
    served_to_person = bool(summons) and summons.to_person
    if judgment and judgment.by_default and judgment.kind != "mt_dismissed" and not served_to_person:
        found.append(default_service_deadline(rules, judgment, steps.get("mt_service"), today, "mt_void"))
    service = steps.get("mt_service")
    if judgment and service:
        appeal = rules["merits_appeal"]
        done = bool(steps.keys() & {"mt_appeal", "mt_enforcement"})
        if judgment.kind in MERITS_CLAIM_REFUSED_STEPS:
            # The company's own appeal against what was dismissed: one month
            # from service, never extended, since CPC 643 extends the periods
            # of a party living overseas or abroad, the appellant (Cass. 2e
            # civ., 11/04/2019, 18-11.268), and the company sues from France.
            # Missed, the dismissal is final and the summons' interruption of
            # the prescription void (Code civil 2243).
            last = period_end(service.date, appeal.months, appeal.days)
            found.append(Deadline("merits_company_appeal", last, done=done, article=appeal.article))
        if judgment.kind != "mt_dismissed":
            # The debtor's appeal against what was granted, its distance added.
            distance = distance_rule(country_code)
            months, article = appeal.months, appeal.article
            if distance:
                months += rules[distance].months
                article = f"{article}, {rules[distance].article}"
            last = period_end(service.date, months, appeal.days)
            found.append(Deadline("merits_appeal", last, done=done, article=article))
    return found


def merits_lodging(steps, rules, today, court):
    """The deadline to lodge the copy of the summons on the merits with the
    court's registry (CPC 754, 857), or None: no summons, a court without
    that rule, or a hearing too close for it (754 al. 2: the rule binds when
    the hearing date is given more than the period ahead; a summons served
    later than the last day could not be lodged in time, the judge may have
    shortened the period, CPC 755)."""
    summons = steps.get("mt_summons")
    code = MERITS_LODGING_RULES.get(court)
    if not summons or not summons.next_date or not code:
        return None
    last = period_before(summons.next_date, rules[code].days)
    if last < summons.date:
        return None
    lodged = steps.get("mt_lodged")
    late = bool(lodged) and lodged.date > last
    return Deadline(
        code,
        last,
        done=bool(lodged) and not late,
        lapsed=late or (not lodged and today > last),
        sanction="mt_lapsed",
    )


# Code de commerce R123-237 and R123-238: the letters and invoices of a company
# registered at the RCS state its SIREN, the word RCS followed by the city of
# its registry, its registered office, and its name immediately preceded or
# followed by its legal form and, for a SARL or a société par actions, the
# amount of its share capital, which may be rounded down to the unit
# (R123-238 3° and 4° b).
def name_with_legal_form(name, legal_form):
    """The company's name with its legal form next to it: the name as it is
    when it already starts or ends with the form ("Atelier Lumière SAS"),
    else the form after it."""
    name, legal_form = (name or "").strip(), (legal_form or "").strip()
    if not legal_form:
        return name
    words = name.replace(",", " ").upper().split()
    if words and legal_form.upper() in (words[0], words[-1]):
        return name
    return f"{name} {legal_form}"


def share_capital_stated(capital):
    """The share capital as the letters state it: rounded down to the unit."""
    return float(int(capital or 0.0))
