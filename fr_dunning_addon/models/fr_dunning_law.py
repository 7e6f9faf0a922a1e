# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The French rules on late payment, in one place.

Pure functions on dates and numbers: the models call them, the tests check
them with worked numbers. Each rule cites its source.
"""

from calendar import monthrange
from datetime import date, timedelta

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


def prescription_date(due_date, is_consumer, interrupted_on=None):
    """The last day the claim can be brought to court.

    The period runs from the due date (Code civil 2224, 2233); an
    acknowledgement of the debt by the debtor (2240) or a legal action (2241)
    interrupts it and a new period of the same length starts (2231). A formal
    notice (mise en demeure) does not interrupt it.
    """
    start = max(due_date, interrupted_on) if interrupted_on else due_date
    years = PRESCRIPTION_YEARS_CONSUMER if is_consumer else PRESCRIPTION_YEARS_BUSINESS
    return add_years(start, years)


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
