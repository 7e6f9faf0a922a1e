# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the holder of a customer's link sees and does on its online page.

Everything here runs as superuser for a public visitor, after the token was
checked (``_fr_dunning_from_token``), and reads or acts on the link's
customer in the link's company only: the invoices shown are the customer's
overdue invoices (the one open-invoice domain, with a late instalment as
``account_move_overdue`` defines it); the ids a form sends are kept only
when they are among them. A promise and a dispute are made by their own
models' ``create`` (the same pause, the same event, on the portal channel),
and the customer's responsible gets a to-do.
"""

import os
import re
import unicodedata
from datetime import timedelta

from PIL import Image

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools.image import IMAGE_MAX_RESOLUTION, ImageProcess
from odoo.tools.mimetypes import guess_mimetype

from .fr_dunning_evidence import reader_env
from .fr_dunning_formats import LangFormats

# A contest's documents: what a customer sends to show what is wrong (a
# delivery note, a photo, a spreadsheet), nothing a browser would run.
MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
ALLOWED_MIMETYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# The reasons a customer may give online, in the order of the list.
PORTAL_REASONS = ("not_received", "price", "quantity", "quality", "paid", "other")
MAX_MESSAGE = 4000


def clean_filename(name, extension):
    """A file name safe to store and to offer for download: no path, no
    control character, no markup, at most 100 characters, ending with the
    extension its content has."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    stem = os.path.splitext(name)[0]
    stem = re.sub(r"[^\w .()-]+", "_", stem, flags=re.UNICODE).strip(" ._") or "document"
    return f"{stem[:90]}.{extension}" if extension else stem[:90]


class FrDunningPortalAccess(models.Model):
    _inherit = "fr.dunning.portal.access"

    # ------------------------------------------------------------------
    # What the page shows
    # ------------------------------------------------------------------

    def _fr_dunning_lang(self):
        """The customer's language when installed, else the company's."""
        self.ensure_one()
        Event = self.env["fr.dunning.event"].with_context(lang=self.company_id.partner_id.lang)
        return Event._fr_dunning_lang(self.partner_id)

    def _fr_dunning_invoices(self, today=None):
        """The customer's overdue invoices in the link's company, as
        superuser: open, with a late instalment. Oldest due first."""
        self.ensure_one()
        Move = self.env["account.move"].sudo().with_company(self.company_id)
        moves = Move.search(
            [
                *Move._fr_dunning_open_domain(self.company_id),
                ("commercial_partner_id", "=", self.partner_id.id),
            ],
            order="invoice_date_due, id",
        )
        owed = moves._fr_dunning_overdue_split(today)
        return moves.filtered(lambda m: not m.currency_id.is_zero(owed[m.id].late_currency))

    def _fr_dunning_actionable(self, invoices):
        """The invoices a promise or a contest may be made on: those no
        dispute, promise, plan or litigation pauses already."""
        return invoices.filtered(lambda m: not m.fr_dunning_blocked)

    def _fr_dunning_promise_limit(self, today):
        """The latest date a promise made online may give: the customer's
        policy's ``promise_max_days`` from today."""
        self.ensure_one()
        policy = self.partner_id._fr_dunning_policies(self.company_id).get(self.partner_id.id)
        days = policy.promise_max_days if policy else 30
        return today + timedelta(days=days)

    def _fr_dunning_page_values(self, today):
        """The values of the page, in the customer's language (self's env)."""
        self.ensure_one()
        formats = LangFormats(self.env)
        invoices = self._fr_dunning_invoices(today)
        owed = invoices._fr_dunning_overdue_split(today)
        blocked = dict(invoices._fields["fr_dunning_blocked"]._description_selection(self.env))
        currencies = invoices.currency_id
        rows = []
        for move in invoices:
            due = move.fr_dunning_due_date or move.invoice_date_due
            rows.append(
                {
                    "id": move.id,
                    "name": move.name,
                    "invoice_date": formats.date(move.invoice_date),
                    "due_date": formats.date(due),
                    "days": max((today - due).days, 0),
                    "late": formats.amount(owed[move.id].late_currency, move.currency_id),
                    "residual": formats.amount(move.amount_residual, move.currency_id),
                    "paused": move.fr_dunning_blocked and blocked.get(move.fr_dunning_blocked),
                    "actionable": not move.fr_dunning_blocked,
                    "url": move.access_token and move.get_portal_url(),
                }
            )
        single = len(currencies) == 1
        total = sum(invoices.mapped("amount_residual")) if single else 0.0
        total_text = formats.amount(total, currencies) if single else ""
        reference = ", ".join(m.payment_reference or m.name for m in invoices)
        company = self.company_id
        bank = company.partner_id.bank_ids[:1]
        reasons = dict(self.env["fr.dunning.dispute"]._fields["category"]._description_selection(self.env))
        limit = self._fr_dunning_promise_limit(today)
        return {
            "access": self,
            "company": company,
            "partner": self.partner_id,
            "rows": rows,
            "invoices": invoices,
            "currency": currencies if single else company.currency_id,
            "total": total,
            "total_text": total_text,
            "bank": bank,
            "bank_text": bank
            and (
                self.env._(
                    "Bank transfer to %(holder)s, IBAN %(iban)s, BIC %(bic)s",
                    holder=bank.partner_id.name or company.name,
                    iban=bank.acc_number,
                    bic=bank.bank_bic,
                )
                if bank.bank_bic
                else self.env._(
                    "Bank transfer to %(holder)s, IBAN %(iban)s",
                    holder=bank.partner_id.name or company.name,
                    iban=bank.acc_number,
                )
            ),
            "reference": reference,
            "reference_text": self.env._("Payment reference to state: %(reference)s", reference=reference),
            "pay_help": single
            and self.env._("Pay the invoices above, %(amount)s, in one payment.", amount=total_text),
            "reasons": [(code, reasons[code]) for code in PORTAL_REASONS],
            "today": fields.Date.to_string(today),
            "promise_limit": fields.Date.to_string(limit),
            "promise_help": self.env._(
                "Tick the invoices, then give the date you will pay them by (at the latest %(date)s).",
                date=formats.date(limit),
            ),
            "files_help": self.env._(
                "PDF, images or office documents: at most %(count)s files of %(size)s MB each.",
                count=MAX_FILES,
                size=MAX_FILE_BYTES // (1024 * 1024),
            ),
            "can_act": any(row["actionable"] for row in rows),
            "accept": ",".join(f".{ext}" for ext in ALLOWED_MIMETYPES.values()),
        }

    # ------------------------------------------------------------------
    # What the customer does
    # ------------------------------------------------------------------

    def _fr_dunning_chosen(self, move_ids, today):
        """The invoices of ``move_ids`` (ids sent by a form), refused unless
        every one is an invoice of the page a promise or contest may be made
        on: a changed id is refused, never acted on."""
        self.ensure_one()
        try:
            ids = {int(move_id) for move_id in move_ids}
        except (TypeError, ValueError):
            ids = None
        allowed = self._fr_dunning_actionable(self._fr_dunning_invoices(today))
        if not ids or not ids <= set(allowed.ids):
            raise UserError(self.env._("Choose one or more of the invoices listed on this page."))
        return allowed.filtered(lambda m: m.id in ids)

    def _fr_dunning_case_values(self, moves, note):
        partner = self.partner_id
        responsible = self.env["fr.dunning.escalation"]._responsible(partner, self.company_id)
        return responsible, {
            "company_id": self.company_id.id,
            "partner_id": partner.id,
            "move_ids": [Command.set(moves.ids)],
            "user_id": responsible.id,
            "origin": "portal",
            "note": (note or "").strip()[:MAX_MESSAGE] or False,
        }

    def _fr_dunning_promise_online(self, move_ids, promise_date, note=""):
        """The customer promises to pay the chosen invoices by
        ``promise_date`` (a date, or its ISO text), at most the policy's
        limit ahead; its responsible gets a to-do. Returns the promise."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        moves = self._fr_dunning_chosen(move_ids, today)
        try:
            promise_date = fields.Date.to_date(promise_date)
        except (TypeError, ValueError):
            promise_date = None
        if not promise_date:
            raise UserError(self.env._("Give the date you will pay by."))
        formats = LangFormats(self.env)
        if promise_date < today:
            raise UserError(self.env._("The date you will pay by cannot be in the past."))
        limit = self._fr_dunning_promise_limit(today)
        if promise_date > limit:
            raise UserError(
                self.env._(
                    "We can accept a payment date up to %(date)s online. For a later date, please "
                    "contact us.",
                    date=formats.date(limit),
                )
            )
        responsible, values = self._fr_dunning_case_values(moves, note)
        promise = (
            self.env["fr.dunning.promise"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    **values,
                    "promise_date": promise_date,
                    "amount": sum(moves.mapped("amount_residual")),
                }
            )
        )
        reader = reader_env(self.env, responsible, self.company_id)
        reader_formats = LangFormats(reader)
        promise.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=reader._("Promise to pay made online by %(partner)s", partner=self.partner_id.name),
            note=reader._(
                "%(partner)s promised online to pay %(amount)s by %(date)s (%(invoices)s).",
                partner=self.partner_id.name,
                amount=reader_formats.amount(promise.amount, promise.currency_id),
                date=reader_formats.date(promise_date),
                invoices=", ".join(moves.mapped("name")),
            ),
            user_id=responsible.id,
        )
        return promise

    def _fr_dunning_contest_online(self, move_ids, reason, message, files=()):
        """The customer contests the chosen invoices for ``reason`` (one of
        PORTAL_REASONS) with ``message`` and ``files`` ((name, bytes), at
        most MAX_FILES of MAX_FILE_BYTES, pdf, images or office documents by
        their content), stored on the dispute. Its review is due today, for
        the customer's responsible. Returns the dispute."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        moves = self._fr_dunning_chosen(move_ids, today)
        if reason not in PORTAL_REASONS:
            raise UserError(self.env._("Choose the reason of your contest in the list."))
        if not (message or "").strip():
            raise UserError(self.env._("Tell us what is wrong in a few words."))
        attachments = self._fr_dunning_upload_values(files)
        _responsible, values = self._fr_dunning_case_values(moves, message)
        dispute = (
            self.env["fr.dunning.dispute"]
            .sudo()
            .with_company(self.company_id)
            .create({**values, "category": reason, "review_date": today})
        )
        if attachments:
            self.env["ir.attachment"].sudo().create(
                [
                    {
                        **vals,
                        "res_model": dispute._name,
                        "res_id": dispute.id,
                        "company_id": self.company_id.id,
                    }
                    for vals in attachments
                ]
            )
        return dispute

    def _fr_dunning_upload_values(self, files):
        """The attachments' values of ``files`` ((file name, content bytes)),
        or UserError: too many, too large, empty, or of a kind not accepted
        (by content, whatever the name says)."""
        files = [(name, data) for name, data in files if name or data]
        if len(files) > MAX_FILES:
            raise UserError(self.env._("Send at most %(count)s documents.", count=MAX_FILES))
        vals_list = []
        for name, data in files:
            if not data:
                raise UserError(self.env._("The document %(name)s is empty.", name=clean_filename(name, "")))
            if len(data) > MAX_FILE_BYTES:
                raise UserError(
                    self.env._(
                        "The document %(name)s is larger than %(size)s MB.",
                        name=clean_filename(name, ""),
                        size=MAX_FILE_BYTES // (1024 * 1024),
                    )
                )
            mimetype = guess_mimetype(data, default="application/octet-stream")
            extension = ALLOWED_MIMETYPES.get(mimetype)
            if not extension:
                raise UserError(
                    self.env._(
                        "The document %(name)s is not a PDF, an image or an office document.",
                        name=clean_filename(name, ""),
                    )
                )
            self._fr_dunning_check_image(name, data, mimetype)
            vals_list.append(
                {
                    "name": clean_filename(name, extension),
                    "raw": data,
                    "mimetype": mimetype,
                    "type": "binary",
                }
            )
        return vals_list

    def _fr_dunning_check_image(self, name, data, mimetype):
        """Refuse an image Odoo would decode to resize it when storing it
        (``ir.attachment``, ``base.image_autoresize_extensions``) if it has
        more than Odoo's limit of pixels: a PNG of 12 kB may hold 100 million
        of them. Only its header is read."""
        kind, _slash, subtype = mimetype.partition("/")
        resized = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("base.image_autoresize_extensions", "png,jpeg,bmp,tiff")
        )
        if kind != "image" or subtype not in resized.split(","):
            return
        try:
            image = ImageProcess(data, verify_resolution=False).image
        except UserError:
            # Not decodable: Odoo stores it as it came, nothing is decoded.
            return
        except Image.DecompressionBombError:
            too_large = True
        else:
            too_large = bool(image) and image.width * image.height > IMAGE_MAX_RESOLUTION
        if too_large:
            raise UserError(
                self.env._(
                    "The image %(name)s is larger than %(pixels)s million pixels.",
                    name=clean_filename(name, ""),
                    pixels=int(IMAGE_MAX_RESOLUTION // 1e6),
                )
            )

    # ------------------------------------------------------------------
    # Paying
    # ------------------------------------------------------------------

    def _fr_dunning_payment(self, today=None):
        """(invoices, currency, amount) the customer pays online: all its
        overdue invoices of the page, in one currency (else nothing)."""
        self.ensure_one()
        invoices = self._fr_dunning_invoices(today)
        if len(invoices.currency_id) != 1:
            return invoices.browse(), self.company_id.currency_id, 0.0
        currency = invoices.currency_id
        return invoices, currency, currency.round(sum(invoices.mapped("amount_residual")))
