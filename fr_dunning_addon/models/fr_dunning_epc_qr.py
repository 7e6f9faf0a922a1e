# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SEPA credit-transfer QR code (EPC QR) printed in the payment box.

A banking standard, not the law: European Payments Council, EPC069-12,
*Quick Response Code: Guidelines to Enable Data Capture for the Initiation of
a SEPA Credit Transfer*, code version 002. A banking app that scans it fills
in the transfer: the payee's name and IBAN, the amount, the reference.

The payload, one element per line (LF), the last filled one not followed by a
separator:

    BCD                     service tag
    002                     version (the BIC is optional within the EEA)
    1                       character set: UTF-8
    SCT                     identification: SEPA credit transfer
    BIC                     of the payee's bank, 8 or 11 characters
    name                    of the payee, at most 70 characters
    IBAN                    of the payee, at most 34 characters
    EUR1234.56              amount, 0.01 to 999999999.99, a dot, 2 decimals at most
    purpose                 (left empty)
    structured reference    ISO 11649 creditor reference (RF...), at most 35
    unstructured reference  at most 140 characters, never with a structured one
    information             to the payer (left empty)

At most 331 bytes in all (QR version 13), printed at error-correction level M.

Why not Odoo's ``account_qr_code_sepa`` (``res.partner.bank._get_qr_vals``
with ``sct_qr``): it cuts the name at 71 and the text at 141 characters where
the standard says 70 and 140, writes the amount with ``str(float)``, does not
check the 331 bytes, draws at Odoo's default level L, and puts in the
structured element any national reference Odoo knows (Belgian, Finnish,
Dutch...) where the standard takes ISO 11649 only. The addon depends on
``account`` and ``mail`` only; these few lines keep it so.
"""

import base64
import io
import re
from decimal import ROUND_HALF_UP, Decimal

from PIL import Image
from reportlab.graphics.barcode.qr import QrCodeWidget
from stdnum import iban as stdnum_iban

from odoo.addons.account.tools import is_valid_structured_reference_iso

SERVICE_TAG = "BCD"
VERSION = "002"
CHARSET_UTF8 = "1"
IDENTIFICATION = "SCT"
NAME_MAX = 70
IBAN_MAX = 34
STRUCTURED_MAX = 35
UNSTRUCTURED_MAX = 140
AMOUNT_MIN = Decimal("0.01")
AMOUNT_MAX = Decimal("999999999.99")
PAYLOAD_MAX_BYTES = 331
ERROR_LEVEL = "M"
CURRENCY = "EUR"
# Version 002 leaves the BIC out only when the payee's bank is in the EEA
# (the 27 member states, Iceland, Liechtenstein, Norway); elsewhere in SEPA
# (Switzerland, the United Kingdom, Monaco...) it stays mandatory.
EEA_IBAN_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE"),
        *("IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO"),
    }
)
BIC_FORMAT = re.compile(r"[A-Z0-9]{8}([A-Z0-9]{3})?")
# The white margin around the code, in modules (ISO/IEC 18004).
QUIET_ZONE = 4
# The image's least side, in pixels: a whole number of pixels per module, printed about 3 cm wide.
IMAGE_PIXELS = 300


def _one_line(text):
    """``text`` on one line: a line feed would shift the elements after it."""
    return " ".join((text or "").split())


def epc_qr_payload(name, iban, amount, reference="", bic=""):
    """The EPC QR payload (text) paying ``amount`` euros to ``name``'s ``iban``
    with ``reference``, or None when the standard allows none: no name, an
    IBAN that is not one, an amount out of its range, no BIC for a bank
    outside the EEA, more than 331 bytes.

    ``reference`` goes in the structured element when it is an ISO 11649
    creditor reference, else in the unstructured one (cut at 140)."""
    name = _one_line(name)[:NAME_MAX]
    iban = re.sub(r"\s", "", iban or "").upper()
    bic = re.sub(r"\s", "", bic or "").upper()
    if not name or len(iban) > IBAN_MAX or not stdnum_iban.is_valid(iban):
        return None
    if not BIC_FORMAT.fullmatch(bic):
        if iban[:2] not in EEA_IBAN_COUNTRIES:
            return None
        bic = ""
    value = Decimal(str(amount or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not AMOUNT_MIN <= value <= AMOUNT_MAX:
        return None
    reference = _one_line(reference)
    structured = re.sub(r"\s", "", reference).upper()
    if len(structured) <= STRUCTURED_MAX and is_valid_structured_reference_iso(structured):
        unstructured = ""
    else:
        structured, unstructured = "", reference[:UNSTRUCTURED_MAX]
    elements = [
        SERVICE_TAG,
        VERSION,
        CHARSET_UTF8,
        IDENTIFICATION,
        bic,
        name,
        iban,
        f"{CURRENCY}{value}",
        "",  # purpose
        structured,
        unstructured,
        "",  # beneficiary to originator information
    ]
    while not elements[-1]:
        elements.pop()
    payload = "\n".join(elements)
    if len(payload.encode("utf-8")) > PAYLOAD_MAX_BYTES:
        return None
    return payload


def sepa_iban_countries(env):
    """The country codes of the IBANs a SEPA credit transfer reaches (Odoo's
    SEPA zone; the French overseas departments use FR IBANs)."""
    sepa = env.ref("base.sepa_zone", raise_if_not_found=False)
    return frozenset(sepa.sudo().country_ids.mapped("code")) if sepa else frozenset()


def payment_qr_payload(env, bank, amount, currency, reference, sepa_countries=None):
    """The payload of a transfer of ``amount`` in ``currency`` to ``bank`` (a
    res.partner.bank), when the QR can be printed: an IBAN of a SEPA country,
    an account in euros, a positive amount. Else None, and nothing is printed.
    ``sepa_countries``: ``sepa_iban_countries(env)``, when already read.

    The payee is the account's holder: since October 2025 the payer's bank
    checks that name against the account (verification of payee, Regulation
    (EU) 2024/886), so the holder's name set on the account comes first."""
    if not bank or currency.name != CURRENCY or (bank.currency_id and bank.currency_id.name != CURRENCY):
        return None
    iban = re.sub(r"\s", "", bank.acc_number or "").upper()
    if sepa_countries is None:
        sepa_countries = sepa_iban_countries(env)
    if iban[:2] not in sepa_countries:
        return None
    return epc_qr_payload(
        bank.acc_holder_name or bank.partner_id.name,
        iban,
        amount,
        reference=reference,
        bic=bank.bank_bic or "",
    )


def qr_image_src(payload):
    """The QR code of ``payload`` as a PNG data URI, at level M (EPC069-12),
    None without a payload. The modules are reportlab's (Odoo's barcode
    library); they are painted here with Pillow, one pixel each then scaled:
    Odoo's ``ir.actions.report.barcode`` draws them as vector shapes first,
    five times slower (136 ms a code against 27 ms, measured on a loaded
    2-core machine; some 700 letters a company on a first night), and blurs
    their edges."""
    if not payload:
        return None
    widget = QrCodeWidget(payload, barLevel=ERROR_LEVEL)
    widget.qr.make()
    modules = widget.qr.modules
    side = len(modules) + 2 * QUIET_ZONE
    image = Image.new("1", (side, side), 1)
    pixels = image.load()
    for row, line in enumerate(modules):
        for column, dark in enumerate(line):
            if dark:
                pixels[QUIET_ZONE + column, QUIET_ZONE + row] = 0
    scale = -(-IMAGE_PIXELS // side)
    image = image.resize((side * scale, side * scale), Image.NEAREST)
    png = io.BytesIO()
    image.save(png, format="PNG")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
