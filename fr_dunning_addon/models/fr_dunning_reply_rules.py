# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a customer's reply to a reminder says, by transparent rules.

Pure functions, in French and in English, without a database: a reply is
classified as a payment announced, a promise to pay (with its date when it
gives one), a contest, an out-of-office answer, or something else. The result
names the words that decided it (the evidence shown to the accountant) and
the date found. Nothing is decided by the rules: the accountant turns a
suggestion into a promise or a dispute, or dismisses it.

The text is compared without accents or case (« RÉGLÉ » is « regle »), but
the evidence is given back in the customer's own words.
"""

import re
import unicodedata
from calendar import monthrange
from collections import namedtuple
from datetime import date, timedelta

PAYMENT = "payment"
PROMISE = "promise"
CONTEST = "contest"
OUT_OF_OFFICE = "out_of_office"
OTHER = "other"
CATEGORIES = (PAYMENT, PROMISE, CONTEST, OUT_OF_OFFICE, OTHER)

Classification = namedtuple("Classification", "category evidence date reason")

# Headers an automatic answer carries (RFC 3834 Auto-Submitted, and the
# vendors' own): any value but "no".
AUTO_REPLY_HEADERS = ("auto-submitted", "x-autoreply", "x-autorespond", "x-auto-response")
AUTO_PRECEDENCE = ("auto_reply", "auto-reply")

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "january": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "february": 2,
    "feb": 2,
    "mars": 3,
    "march": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juin": 6,
    "june": 6,
    "jun": 6,
    "juillet": 7,
    "juil": 7,
    "july": 7,
    "jul": 7,
    "aout": 8,
    "august": 8,
    "aug": 8,
    "septembre": 9,
    "sept": 9,
    "september": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "october": 10,
    "novembre": 11,
    "nov": 11,
    "november": 11,
    "decembre": 12,
    "dec": 12,
    "december": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

# Out of office: the answer of a mailbox, not of the customer.
OUT_OF_OFFICE_PATTERNS = [
    r"absente? du bureau",
    r"(?:actuellement|suis|serai) absente?",
    r"en conges?\b",
    r"reponse automatique",
    r"message automatique",
    r"out of (?:the )?office",
    r"away from (?:the|my) office",
    r"auto(?:matic)?[- ]?reply",
    r"\bi am (?:currently )?(?:away|on leave|on holiday|on vacation)",
    r"\babsente?\b(?= jusqu| du | depuis| cette| pour)",
    r"\ben deplacement\b",
    r"\bsans acces a (?:mes |ma )?(?:mails|e-?mails|messagerie)",
    r"\ba mon retour\b",
    r"\ben arret (?:maladie|de travail)\b|\ben conge (?:maternite|maladie)\b",
    r"\b(?:genere|envoye) automatiquement\b|\bautomatically generated\b",
]

# Contest: the customer questions the invoice. Each pattern gives the dispute
# category it suggests (fr.dunning.dispute.category).
CONTEST_PATTERNS = [
    (
        r"\b(?:ne (?:l')?avons|n'avons|n'ai) (?:jamais |toujours pas |pas )?(?:ete )?(?:recu|livre)",
        "not_received",
    ),
    (r"\b(?:non|pas|jamais) (?:encore )?(?:recue?s?|livree?s?)\b", "not_received"),
    (r"\bnever (?:received|delivered)", "not_received"),
    (
        r"\b(?:not|haven't|have not|didn't|did not) (?:yet )?(?:been )?(?:received|receive|delivered)",
        "not_received",
    ),
    (r"\berreur (?:de|sur (?:le|la|les)) (?:prix|tarif)", "price"),
    (r"\b(?:prix|tarif) (?:errone|incorrect|non conforme|ne correspond)", "price"),
    (r"\bwrong price|\bprice (?:is )?(?:wrong|incorrect)|\bovercharged", "price"),
    (r"\bnon conformes?\b|\bdefectueu(?:x|se)s?\b|\bendommagee?s?\b|\babimee?s?\b|\bcassee?s?\b", "quality"),
    (r"\bdefective\b|\bdamaged\b|\bfaulty\b|\bpoor quality\b", "quality"),
    (r"\blivraison (?:incomplete|partielle)|\bretard de livraison|\bpartial delivery", "delivery"),
    (r"\berreur (?:de|sur (?:le|la|les)) (?:facturation|montant|quantite)", "billing_error"),
    (r"\b(?:quantite|montant) (?:errone|incorrect|facture ne)", "billing_error"),
    (r"\bfacturee? (?:deux fois|en double|a tort)|\bdoublon\b", "billing_error"),
    (r"\b(?:un|d'un|votre|cet|notre) avoir\b", "billing_error"),
    (r"\bcredit note\b|\bwrong amount\b|\binvoiced twice\b|\bduplicate invoice\b", "billing_error"),
    (r"\bne fonctionne(?:nt)? pas\b|\bne marche(?:nt)? pas\b|\bdoesn't work\b|\bdoes not work\b", "quality"),
    (r"\bne correspond(?:ent)? pas (?:au|a la|aux) (?:devis|commande|bon|contrat|tarif)", "price"),
    (r"\brefus(?:ons|e) (?:de (?:payer|regler)|cette facture|le paiement)", "other"),
    (r"\bne (?:paierons|reglerons|payerons|paierai|reglerai) pas\b|\bwill not pay\b|\bwon't pay\b", "other"),
    (r"\bne correspond(?:ent)? pas (?:a|avec) (?:la|notre|votre) (?:facture|commande)", "billing_error"),
    (
        r"\b(?:n'a|n'ont|n'est|ne sont) pas (?:ete )?(?:realisee?s?|terminee?s?|effectuee?s?|achevee?s?)",
        "quality",
    ),
    (r"\b(?:corriger|rectifier|modifier|refaire) (?:la|votre|cette) facture\b", "billing_error"),
    (r"\bet non \d+ comme facture", "billing_error"),
    (r"\bcorrected invoice\b|\bcorrect the invoice\b|\bamended invoice\b", "billing_error"),
    (r"\b(?:invoiced|billed|charged) (?:us )?for\b[^.;!?]{0,60}\bbut\b", "billing_error"),
    (r"\baucune commande\b|\b(?:sans|aucun|pas de) (?:bon de commande|bc)\b", "other"),
    (r"\bno purchase order\b|\bwithout (?:a )?(?:purchase order|po)\b", "other"),
    (r"\bcontest(?:e|ee|ons|ation)s?\b|\blitige\b|\bdesaccord\b|\breclamation\b", "other"),
    (r"\bdispute[sd]?\b|\bdisagree\b|\bdo not agree\b|\bwe reject\b", "other"),
]

# A promise: an intention to pay in the future (a date makes it a promise to
# record; without one, the accountant asks for it).
PROMISE_PATTERNS = [
    r"\b(?:reglerons|reglerai|paierons|payerons|paierai|payerai|verserons|virerons)\b",
    r"\b(?:allons|vais|pourrons|pourrai|devrions) (?:vous )?(?:regler|payer)",
    r"\b(?:allons|vais|pourrons|pourrai|devrions) proceder au (?:reglement|paiement|virement)",
    r"\b(?:allons|vais|pourrons|pourrai|devrions) effectuer (?:le|un) (?:reglement|paiement|virement)",
    (
        r"\b(?:sera|seront) (?:donc |bien |alors |ainsi )?"
        r"(?:regle|reglee|regles|reglees|paye|payee|payes|vire|effectue|emis|envoye|verse)\b"
    ),
    r"\b(?:paiement|reglement|virement|cheque|versement) (?:partira|interviendra|arrivera)\b",
    r"\b(?:paiement|reglement|virement|versement|cheque) (?:est |sera )?(?:prevu|programme|planifie)",
    r"\b(?:prevu|programme|planifie) (?:pour )?(?:le|la|fin|debut|mi)\b",
    r"\bmise en paiement\b(?! (?:a ete |est )?(?:effectuee|faite))",
    r"\bd'ici (?:le|la|fin|au)\b",
    r"\bau plus tard (?:le|fin)\b",
    r"\b(?:will|shall|are going to|'ll) (?:be )?(?:pay|paid|settle|settled|transfer)",
    r"\b(?:will|shall|are going to|'ll) (?:make the payment|process)",
    r"\b(?:payment|transfer) (?:is )?(?:scheduled|planned|due to be made)",
    r"\bscheduled for\b",
    r"\bprocederons au (?:reglement|paiement|virement)",
    r"\b(?:m'engage|nous engageons|s'engage) a (?:regler|payer|vous regler|vous payer)",
    r"\ba prevoir\b",
    r"\bhonorerons\b|\bhonorerai\b",
    r"\b(?:fais|ferai|ferons|faisons) le necessaire\b",
    r"\b(?:regl|pai|pay|vir)\w*\b[^.;!?]{0,40}\bdes (?:que|reception)\b",
]

# A payment announced: the customer says it has paid, or that the payment is
# on its way.
PAYMENT_PATTERNS = [
    r"\b(?:virement|reglement|paiement|versement|cheque) (?:a ete |bien )?(?:effectue|emis|envoye)",
    r"\b(?:virement|reglement|paiement|versement|cheque) (?:a ete |bien )?(?:fait|realise|valide)",
    r"\b(?:virement|reglement|paiement|versement|cheque) (?:a ete |bien )?(?:parti|passe|execute)",
    r"(?:\bavons|\bj'?ai|\bai) (?:bien )?(?:regle|paye|vire|envoye (?:le|un) cheque)",
    r"\b(?:transmis|transmettre|donne|passe|signe|valide) (?:l'|un |notre )?ordre de (?:virement|paiement)",
    r"\b(?:avons|ai) (?:bien )?(?:effectue le|procede au) (?:virement|reglement|paiement)",
    r"\b(?:a|ont) (?:bien )?ete (?:regle|reglee|regles|reglees|paye|payee|payees|vire|viree)",
    r"\bdeja (?:ete )?(?:regle|reglee|paye|payee)",
    r"\bregle(?:e|es)? le\b",
    r"\b(?:virement|reglement|paiement|versement|cheque)\b[^.;!?]{0,25}?\b(?:parti|envoye|poste|expedie|emis)\b",
    r"\b(?:fait|effectue|emis|passe|lance|envoye) (?:le|un|notre|votre) (?:virement|reglement|paiement)",
    r"\b(?:fait|effectue|emis|passe|lance|envoye) (?:le|un|notre|votre) cheque",
    r"\b(?:c'est|est|sont) (?:bien )?(?:deja )?(?:regle|reglee|regles|reglees|paye|payee|payes|payees)\b",
    r"\bpaye(?:e|es)? le\b",
    r"\b(?:paiement|reglement|virement) (?:est )?en cours\b",
    r"\ben cours de (?:paiement|reglement|virement)\b",
    r"\bmise en paiement (?:a ete |est )?(?:effectuee|faite)",
    r"\b(?:has|have) (?:been )?(?:paid|settled|sent|transferred|wired)",
    r"\b(?:we|i) (?:paid|settled|sent the payment|made the payment|transferred|wired)",
    r"\bpayment (?:was |has been )?(?:sent|made|processed|released|is on its way|in progress)",
    r"\bpayment (?:went|has gone) out\b",
    r"\b(?:we|i) (?:have )?(?:processed|released|initiated|sent|made) (?:the |your |a )?(?:payment|transfer)",
    r"\balready paid\b",
]

WEEKDAYS = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
# Delays written in words (« sous huit jours », "within ten days").
COUNT_WORDS = {
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "dix": 10,
    "quinze": 15,
    "trente": 30,
    "two": 2,
    "three": 3,
    "five": 5,
    "seven": 7,
    "ten": 10,
    "fifteen": 15,
    "thirty": 30,
}
_COUNT = "(?P<count>\\d{1,2}|" + "|".join(sorted(COUNT_WORDS, key=len, reverse=True)) + ")"

# Dates: numeric (15/12, 15/12/2026, 15.12.26, 2026-12-15), written (le 15
# décembre, 1er mars 2027, December 15th, 15th of December), relative to the
# month (fin janvier, début février, mi-mars, end of January, fin du mois) or
# to the day of the reply (demain, sous 8 jours, la semaine prochaine, next
# week, within 10 days).
_DAY = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)?\d{2})"
DATE_PATTERNS = [
    ("iso", r"(?<![\d/.-])(?P<year>20\d{2})-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?![\d/.-])"),
    (
        "numeric",
        r"(?<![\d/.-])(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)(?:[/.](?P<year>(?:19|20)?\d{2}))?(?![\d/])",
    ),
    ("written", rf"\b{_DAY}(?: of)? {_MONTH}(?: {_YEAR})?\b"),
    ("written_en", rf"\b{_MONTH} {_DAY}(?:,? (?P<year>20\d{{2}}))?\b"),
    (
        "end",
        (
            rf"\b(?:fin|end of|late) (?:(?:du |de |the |next )?(?:mois|month)(?P<next> prochain)?|{_MONTH})"
            rf"(?: {_YEAR})?\b"
        ),
    ),
    ("year_end", r"\b(?:fin (?:de l'|d')annee|end of the year)\b"),
    ("start", rf"\b(?:debut|early|beginning of) {_MONTH}(?: {_YEAR})?\b"),
    ("mid", rf"\b(?:mi-?|mid-?|middle of ){_MONTH}(?: {_YEAR})?\b"),
    ("tomorrow", r"\b(?:demain|tomorrow)\b"),
    ("days", rf"\b(?:sous|dans|d'ici|within|in) {_COUNT} (?:jours|days)\b"),
    ("next_week", r"\b(?:la semaine prochaine|next week)\b"),
    (
        "weekday",
        r"\b(?P<last>last )?(?:next )?(?P<weekday>"
        + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
        # Not when a date follows (« lundi 7 décembre »: the date says it).
        + r")(?P<past> dernier)?\b(?! \d)",
    ),
]


# A word about paying: with a date to come and nothing else said, a promise;
# with a date gone by, a payment announced.
PAY_WORDS = r"\b(?:regl\w*|pai\w*|pay\w*|vir\w*|versement|cheque|solde)\b"


def normalize(text):
    """``text`` in lower case without accents, and for each character of the
    result the index of the character of ``text`` it comes from."""
    chars, origins = [], []
    for index, char in enumerate(text or ""):
        char = {"\u2019": "'", "\u00a0": " ", "\u202f": " ", "\u0153": "oe", "\u00e6": "ae"}.get(char, char)
        for part in unicodedata.normalize("NFKD", char.lower()):
            if unicodedata.combining(part):
                continue
            chars.append(" " if part.isspace() else part)
            origins.append(index)
    return "".join(chars), origins


def strip_quoted(text):
    """The customer's own words: ``text`` without the message it answers (the
    reminder quoted below "Le ... a écrit :", "On ... wrote:", an "Original
    Message" separator or "De :" / "From:" headers), nor ">" lines."""
    kept = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        plain, _origins = normalize(stripped)
        if (
            re.match(r"^(le|on)\b.*(a ecrit|wrote)\s*:?$", plain)
            or re.match(r"^-+\s*(original message|message d'origine|message original)", plain)
            or re.match(r"^(de|from)\s*:", plain)
        ):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def is_auto_reply(headers):
    """Whether the headers (a mapping, any case) say the mail was sent by a
    machine: an out-of-office answer."""
    lowered = {str(key).lower(): str(value or "").strip().lower() for key, value in (headers or {}).items()}
    if any(lowered.get(name) and lowered[name] != "no" for name in AUTO_REPLY_HEADERS):
        return True
    return lowered.get("precedence") in AUTO_PRECEDENCE


def _year_near(month, day, reference):
    """The date of ``day``/``month`` nearest to ``reference`` (a date written
    without its year), or None when the day does not exist."""
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        if 1 <= day <= monthrange(year, month)[1]:
            candidates.append(date(year, month, day))
    return min(candidates, key=lambda d: abs((d - reference).days)) if candidates else None


def _full_year(year):
    year = int(year)
    return year + 2000 if year < 100 else year


def _month_date(month, year, reference, day_of):
    """A day of ``month`` (``day_of(last_day)`` gives it), in ``year`` or in the
    year nearest to ``reference``."""
    if year:
        year = _full_year(year)
        return date(year, month, day_of(monthrange(year, month)[1]))
    guesses = [date(y, month, day_of(monthrange(y, month)[1])) for y in (reference.year, reference.year + 1)]
    guesses.append(date(reference.year - 1, month, day_of(monthrange(reference.year - 1, month)[1])))
    return min(guesses, key=lambda d: abs((d - reference).days))


def _to_date(kind, found, reference):
    values = found.groupdict()
    month = values.get("month")
    if month and not month.isdigit():
        month = MONTHS[month.rstrip(".")]
    elif month:
        month = int(month)
    year = values.get("year")
    try:
        if kind in ("iso", "numeric", "written", "written_en"):
            day = int(values["day"])
            if not 1 <= month <= 12:
                return None
            if year:
                year = _full_year(year)
                return date(year, month, day) if 1 <= day <= monthrange(year, month)[1] else None
            return _year_near(month, day, reference)
        if kind == "end":
            if not month:  # fin du mois: the month of the reply, or the next one
                if values.get("next") or "next" in found.group():
                    first = date(reference.year, reference.month, 1) + timedelta(days=32)
                    return date(first.year, first.month, monthrange(first.year, first.month)[1])
                return date(reference.year, reference.month, monthrange(reference.year, reference.month)[1])
            return _month_date(month, year, reference, lambda last: last)
        if kind == "start":
            return _month_date(month, year, reference, lambda last: 5)
        if kind == "mid":
            return _month_date(month, year, reference, lambda last: 15)
        if kind == "year_end":
            return date(reference.year, 12, 31)
        return _relative_date(kind, values, reference)
    except (TypeError, ValueError):
        return None
    return None


def _relative_date(kind, values, reference):
    """A date counted from the day of the reply."""
    if kind == "tomorrow":
        return reference + timedelta(days=1)
    if kind == "days":
        count = values["count"]
        return reference + timedelta(days=int(count) if count.isdigit() else COUNT_WORDS[count])
    if kind == "next_week":
        return reference + timedelta(days=7)
    if kind == "weekday":
        # The next one (a day named is not the day of the reply), or the last
        # one (« vendredi dernier », "last Friday").
        ahead = (WEEKDAYS[values["weekday"]] - reference.weekday() - 1) % 7 + 1
        return reference + timedelta(days=ahead - 7 if values["last"] or values["past"] else ahead)
    return None


def find_dates(plain, reference):
    """[(start, end, date)] of the dates in the normalized text ``plain``, in
    the order they appear; a span already read as a date is not read again."""
    found, taken = [], []
    for kind, pattern in DATE_PATTERNS:
        for match in re.finditer(pattern, plain):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            day = _to_date(kind, match, reference)
            if day:
                found.append((span[0], span[1], day))
                taken.append(span)
    return sorted(found)


def _first(patterns, plain):
    """The first (in the text) match of any of ``patterns``, with the pattern's
    payload when the patterns are (regex, payload) pairs."""
    best = None
    for entry in patterns:
        pattern, payload = entry if isinstance(entry, tuple) else (entry, None)
        match = re.search(pattern, plain)
        if match and (best is None or match.start() < best[0].start()):
            best = (match, payload)
    return best


def _all(patterns, plain):
    """Every match of ``patterns``, in the order of the text."""
    matches = []
    for entry in patterns:
        pattern = entry[0] if isinstance(entry, tuple) else entry
        matches += list(re.finditer(pattern, plain))
    return sorted(matches, key=lambda m: m.start())


def _words(text, origins, spans):
    """The customer's own words of the normalized ``spans``, without repeats."""
    words = []
    for start, end in spans:
        piece = text[origins[start] : origins[end - 1] + 1].strip()
        if piece and piece not in words:
            words.append(piece)
    return tuple(words)


def _nearest(dates, position):
    return min(dates, key=lambda found: abs(found[0] - position)) if dates else None


def classify(text, reference, headers=None):
    """Classify a reply: ``text`` (plain text, the quoted reminder already cut,
    see strip_quoted), ``reference`` the day it was received, ``headers`` the
    mail's headers. Returns a Classification: category, evidence (the words
    that decided, as the customer wrote them), date (promised, paid or back
    at the office; None when none is given) and reason (for a contest, the
    dispute category suggested)."""
    plain, origins = normalize(text)
    dates = find_dates(plain, reference)
    if is_auto_reply(headers):
        away = _first(OUT_OF_OFFICE_PATTERNS, plain)
        evidence = _words(text, origins, [away[0].span()]) if away else ()
        header = next(
            (f"{key}: {value}" for key, value in (headers or {}).items() if is_auto_reply({key: value})),
            None,
        )
        return Classification(OUT_OF_OFFICE, ((header,) if header else ()) + evidence, None, None)
    away = _first(OUT_OF_OFFICE_PATTERNS, plain)
    if away:
        # Back at the office: the last date given after it (« du 23/11 au 27/11 »).
        back = max((d for d in dates if d[0] >= away[0].start()), default=None)
        return Classification(OUT_OF_OFFICE, _words(text, origins, [away[0].span()]), back and back[2], None)
    contest = _first(CONTEST_PATTERNS, plain)
    if contest:
        spans = [m.span() for m in _all(CONTEST_PATTERNS, plain)]
        return Classification(CONTEST, _words(text, origins, spans), None, contest[1])
    promise = _first(PROMISE_PATTERNS, plain)
    payment = _first(PAYMENT_PATTERNS, plain)
    if promise and not (
        payment and payment[0].start() < promise[0].start() and "en cours" in payment[0].group()
    ):
        when = _nearest(dates, promise[0].start())
        spans = [promise[0].span()] + ([when[:2]] if when else [])
        return Classification(PROMISE, _words(text, origins, sorted(spans)), when and when[2], None)
    if payment:
        when = _nearest(dates, payment[0].start())
        category = PAYMENT
        if when and when[2] > reference:
            if payment[0].group().endswith(" le"):
                # « réglée le 10 décembre » read on 23 November: paid on a day to come.
                category = PROMISE
            else:
                # A payment made is not dated ahead (« chèque envoyé vendredi »).
                when = None
        spans = [payment[0].span()] + ([when[:2]] if when else [])
        return Classification(category, _words(text, origins, sorted(spans)), when and when[2], None)
    pay = re.search(PAY_WORDS, plain)
    when = pay and _nearest(dates, pay.start())
    if when:
        spans = sorted([pay.span(), when[:2]])
        category = PROMISE if when[2] >= reference else PAYMENT
        return Classification(category, _words(text, origins, spans), when[2], None)
    return Classification(OTHER, (), None, None)
