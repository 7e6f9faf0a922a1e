# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's date and amount formats in one language, for thousands of values.

``format_date``, ``format_amount`` and ``formatLang`` look the language up in
Odoo's caches on every call. On a first night of 100 000 invoices the emails,
letters and call notes format some 300 000 dates and amounts, and those
lookups were a sixth of the run. Here the language is read once; a date is
formatted once (the same due dates and deadlines come back all night); an
amount is laid out with the language's grouping read once. The text is Odoo's,
character for character: the tests compare both on many values.
"""

import ast
import datetime
import re

from babel.core import Locale, UnknownLocaleError
from lxml import etree
from lxml import html as lxml_html

from odoo.tools import float_round, format_amount, format_date, formatLang, get_lang

from odoo.addons.base.models.res_lang import intersperse

NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"
# How INSEE prints a SIREN (732 829 320) and a SIRET (732 829 320 00017).
SIREN_GROUPS = (3, 3, 3)
SIRET_GROUPS = (3, 3, 3, 5)


# French typography: a no-break space before : ; ! ? % and », after «, and
# between an amount and its currency (40 €), so that no line starts with them.
# Translations are typed with plain spaces; the letters print them this way.
# (An English text has no space before these signs: it is left as it is.)
FRENCH_SPACES = re.compile(r"(?<!\s) (?=[:;!?%»])|(?<=«) |(?<=\d) (?=€|EUR\b)")


def french_spacing(text):
    """``text`` with the no-break spaces of French typography."""
    return FRENCH_SPACES.sub(NO_BREAK_SPACE, text)


def french_spacing_html(html):
    """``html`` (bytes, a whole document) with the no-break spaces of French
    typography in its text, never in its style sheets, scripts or attributes."""
    tree = lxml_html.document_fromstring(html).getroottree()
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        if node.text and node.tag not in ("style", "script"):
            node.text = french_spacing(node.text)
        if node.tail:
            node.tail = french_spacing(node.tail)
    return etree.tostring(tree, method="html", encoding="utf-8")


def group_digits(number, sizes):
    """``number`` cut into groups of ``sizes`` joined by no-break spaces, as
    it is (stripped) when it has not that many characters."""
    number = (number or "").strip()
    if len(number) != sum(sizes):
        return number
    groups, start = [], 0
    for size in sizes:
        groups.append(number[start : start + size])
        start += size
    return NO_BREAK_SPACE.join(groups)


class LangFormats:
    """The formats of ``env``'s language (its context's ``lang``, as Odoo's
    functions pick it)."""

    # Dates once formatted, shared by the instances of a process (the nightly
    # cron makes new ones at each batch): {(language, its date format, format
    # asked, date): text}. The language's format is in the key: editing it
    # takes effect at once.
    _shared_dates = {}
    SHARED_DATES_MAX = 100_000

    def __init__(self, env):
        lang = get_lang(env)
        self.env = env
        self.code = lang.code
        self._date_format = lang.date_format
        self._grouping = ast.literal_eval(lang.grouping)
        self._thousands_sep = lang.thousands_sep or ""
        self._decimal_point = lang.decimal_point
        self._currencies = {}
        self._percent_sign = None

    def _number(self, value, digits):
        """res.lang.format(f"%.{digits}f", value, grouping=True)"""
        parts = (f"%.{digits}f" % value).split(".")
        parts[0] = intersperse(parts[0], self._grouping, self._thousands_sep)[0]
        return self._decimal_point.join(parts)

    def spreadsheet_number(self, value, digits=2):
        """``value`` as a spreadsheet of the language reads a number: its
        decimal point, no thousands separator ("18000,00" in French)."""
        return (f"%.{digits}f" % value).replace(".", self._decimal_point)

    def _currency(self, currency):
        data = self._currencies.get(currency.id)
        if data is None:
            data = self._currencies[currency.id] = (
                currency.decimal_places,
                currency.rounding,
                currency.symbol or "",
                currency.position,
            )
        return data

    def date(self, value, date_format=False, lang_code=False):
        """format_date(env, value, lang_code, date_format), as mail templates
        call it (an unknown locale gives the value back). Dates of the
        language are kept once formatted; datetimes depend on the time zone."""
        lang_code = lang_code or self.code
        key = (
            (self.code, self._date_format, date_format, value)
            if lang_code == self.code and type(value) is datetime.date
            else None
        )
        text = self._shared_dates.get(key) if key else None
        if text is None:
            try:
                text = format_date(self.env, value, lang_code=lang_code, date_format=date_format)
            except UnknownLocaleError:
                return value
            if key:
                if len(self._shared_dates) >= self.SHARED_DATES_MAX:
                    self._shared_dates.clear()
                self._shared_dates[key] = text
        return text

    def long_date(self, value):
        """``value`` written in full, as a letter dates itself and its
        deadlines; in French the first of a month is written "1er", and the
        day is never parted from its month at the end of a line."""
        text = self.date(value, "long")
        if self.code.startswith("fr") and isinstance(text, str):
            text = re.sub(r"^(\d+) ", rf"\g<1>{'er' if value.day == 1 else ''}{NO_BREAK_SPACE}", text)
        return text

    def amount(self, amount, currency, lang_code=False, digits=None):
        """format_amount(env, amount, currency, lang_code); ``digits``: that
        many decimals instead of the currency's (0 for a share capital)."""
        if lang_code and lang_code != self.code:
            return format_amount(self.env, amount, currency, lang_code)
        currency_digits, rounding, symbol, position = self._currency(currency)
        if digits is None:
            digits = currency_digits
        else:
            rounding = 10.0**-digits
        text = (
            self._number(float_round(amount, precision_rounding=rounding), digits)
            .replace(" ", NO_BREAK_SPACE)
            .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
        )
        if position == "before":
            return f"{symbol}{NO_BREAK_SPACE}{text}"
        return f"{text}{NO_BREAK_SPACE}{symbol}"

    def lang_amount(self, value, currency):
        """formatLang(env, value, currency_obj=currency)"""
        if value == "" or not currency:
            return formatLang(self.env, value)
        digits, _rounding, symbol, position = self._currency(currency)
        text = self._number(float_round(value, precision_digits=digits, rounding_method="HALF-EVEN"), digits)
        if not symbol:
            return text
        if position == "after":
            return f"{text}{NO_BREAK_SPACE}{symbol}"
        return f"{symbol}{NO_BREAK_SPACE}{text}"

    def percent(self, value, digits=2):
        """A rate in percent (7.86 for 7.86 %) with the language's decimal
        point and what CLDR puts between the number and the sign: "7,86 %"
        with a no-break space in French, "7.86%" in English."""
        if self._percent_sign is None:
            try:
                pattern = Locale.parse(self.code).percent_formats[None].pattern
            except (UnknownLocaleError, ValueError):
                pattern = "#,##0%"
            # The pattern's number ends at its last digit placeholder.
            end = max(pattern.rfind("0"), pattern.rfind("#")) + 1
            sign = pattern[end:].replace(" ", NO_BREAK_SPACE)
            self._percent_sign = sign if "%" in sign else "%"
        return f"{self._number(value, digits)}{self._percent_sign}"
