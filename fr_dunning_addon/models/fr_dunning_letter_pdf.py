# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The letters' PDF: one entry point, ``_fr_dunning_render_letters``.

A letter is rendered once, when its communication is sent, and stored on the
event: printing it again gives back that copy, with the figures of the day it
was sent.

Why not Odoo's ``_render_qweb_pdf`` as it is: it makes one PDF of several
records by giving wkhtmltopdf one input file per record, then cuts the result
at the pages' text. Debian's wkhtmltopdf (0.12.6 without patched Qt) takes one
input file only and prints neither header nor footer; and one call per letter
costs about a second each, 700 letters per company on a first night of the
100 000-invoice benchmark. So a batch of letters (letterhead in the body) is
joined into one HTML document and converted by Odoo's own
``_run_wkhtmltopdf`` (the report's paper format, Odoo's process handling),
then cut back into letters at the marker each letter carries on its first
page: an invisible link, which wkhtmltopdf turns into a link annotation of
that page (read without parsing the page's text, then removed). The PDFs are
read and written with ``odoo.tools.pdf``.
"""

import io
import logging

from lxml import html as lxml_html

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, split_every
from odoo.tools.pdf import ArrayObject, NameObject, PdfFileReader, PdfFileWriter

from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_epc_qr import qr_image_src
from .fr_dunning_formats import french_spacing_html

_logger = logging.getLogger(__name__)

LETTER_REPORT = "fr_dunning_addon.action_report_dunning_letter"
LETTER_REPORT_NAME = "fr_dunning_addon.report_dunning_letter"
# The documents printed with French typography: the letters, the statement of
# account and the claim declaration.
FRENCH_SPACING_REPORTS = frozenset(
    {
        LETTER_REPORT_NAME,
        "fr_dunning_addon.report_fr_dunning_statement",
        "fr_dunning_addon.report_claim_declaration",
    }
)
# Letters rendered per wkhtmltopdf call.
LETTER_BATCH = 50
# The marker's link: this scheme, then the event's id.
MARKER = "fr-dunning-letter:"
# The channels of the events that carry a letter.
LETTER_CHANNELS = ("letter", "registered_letter")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _build_wkhtmltopdf_args(
        self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False
    ):
        """Odoo waits ``report.print_delay`` (1 s) for a report's scripts in
        every wkhtmltopdf call; the letters run none."""
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if self.env.context.get("fr_dunning_letters") and "--javascript-delay" in args:
            args[args.index("--javascript-delay") + 1] = "0"
        return args

    def _render_qweb_html(self, report_ref, docids, data=None):
        """The letters, the statement of account and the claim declaration
        with the no-break spaces of French typography (before a colon, between
        an amount and its currency sign...), whatever spaces the translations
        were typed with."""
        # EXTENDS 'base'
        html, report_type = super()._render_qweb_html(report_ref, docids, data=data)
        if self._get_report(report_ref).report_name in FRENCH_SPACING_REPORTS:
            html = french_spacing_html(html)
        return html, report_type


class FrDunningEvent(models.Model):
    _inherit = "fr.dunning.event"

    def _fr_dunning_letter_name(self):
        self.ensure_one()
        return f"Relance-{self.partner_id.id}-{self.id}.pdf"

    def _fr_dunning_ensure_tokens(self):
        """The portal links of these communications' invoices, and their
        customers' link to the overdue invoices (fr.dunning.portal.access),
        exist before they are rendered: when sending, never when rendering."""
        self.move_ids._fr_dunning_ensure_tokens()
        self.env["fr.dunning.portal.access"]._fr_dunning_grant(self)

    def _fr_dunning_render_letters(self):
        """Render and store the letters of ``self`` that have none yet, one
        wkhtmltopdf call per batch of ``LETTER_BATCH``. Returns the events'
        letters (attachments). See the module's docstring for the why."""
        Report = self.env["ir.actions.report"].with_context(fr_dunning_letters=True, debug=False)
        report = Report._get_report(LETTER_REPORT)
        todo = self.filtered(lambda e: e.letter_tier and not e.letter_id)
        for batch_ids in split_every(LETTER_BATCH, todo.ids):
            events = self.browse(batch_ids)
            html = Report._render_qweb_html(
                report, events.ids, data={"debug": False, "fr_dunning_split": True}
            )[0]
            bodies, _html_ids, _header, _footer, paperformat_args = report._prepare_html(
                html, report_model=report.model
            )
            # No header nor footer: the letterhead is in the body.
            pdf = Report._run_wkhtmltopdf(
                self._fr_dunning_single_body(bodies),
                report_ref=LETTER_REPORT,
                specific_paperformat_args=paperformat_args,
            )
            pdfs = events._fr_dunning_split_letters(pdf)
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": event._fr_dunning_letter_name(),
                            "raw": pdfs[event.id],
                            "mimetype": "application/pdf",
                            "res_model": self._name,
                            "res_id": event.id,
                            "type": "binary",
                        }
                        for event in events
                    ]
                )
            )
            # The letter belongs to the evidence: written once, by the system.
            for event, attachment in zip(events, attachments, strict=True):
                event.sudo().write(
                    {"letter_id": attachment.id, "attachment_ids": [fields.Command.link(attachment.id)]}
                )
        return self.letter_id

    def _fr_dunning_split_letters(self, pdf):
        """{event id: PDF bytes}: ``pdf``, the letters of ``self``, cut apart."""
        reader = PdfFileReader(io.BytesIO(pdf))
        starts = []
        for number, page in enumerate(reader.pages):
            event_id = self._fr_dunning_pop_marker(page)
            if event_id:
                starts.append((number, event_id))
        if sorted(event_id for _n, event_id in starts) != sorted(self.ids) or starts[0][0] != 0:
            raise UserError(
                self.env._(
                    "The letters could not be cut apart after rendering (%(found)s of %(count)s found).",
                    found=len(starts),
                    count=len(self),
                )
            )
        pdfs = {}
        for index, (first, event_id) in enumerate(starts):
            last = starts[index + 1][0] if index + 1 < len(starts) else len(reader.pages)
            pdfs[event_id] = self._fr_dunning_pdf([reader.pages[number] for number in range(first, last)])
        return pdfs

    @api.model
    def _fr_dunning_pdf(self, pages):
        """The PDF bytes of ``pages``."""
        writer = PdfFileWriter()
        for page in pages:
            writer.add_page(page)
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()

    @api.model
    def _fr_dunning_pop_marker(self, page):
        """The event id of the letter marker on ``page`` (0 if none); the
        marker's link annotation is removed from the page."""
        annotations = page.get("/Annots")
        if not annotations:
            return 0
        event_id, kept = 0, ArrayObject()
        for annotation in annotations.get_object():
            uri = annotation.get_object().get("/A", {}).get("/URI", "")
            if isinstance(uri, str) and uri.startswith(MARKER) and uri[len(MARKER) :].isdigit():
                event_id = int(uri[len(MARKER) :])
            else:
                kept.append(annotation)
        if kept:
            page[NameObject("/Annots")] = kept
        else:
            del page["/Annots"]
        return event_id

    @api.model
    def _fr_dunning_single_body(self, bodies):
        """The letters of ``bodies`` as one HTML document, each starting a new
        page: Debian's wkhtmltopdf (unpatched Qt) takes one input document only."""
        if len(bodies) <= 1:
            return bodies
        root = lxml_html.fromstring(bodies[0])
        last = root.find_class("article")[-1]
        parent = last.getparent()
        for body in bodies[1:]:
            for article in lxml_html.fromstring(body).find_class("article"):
                article.set("style", "page-break-before: always; " + article.get("style", ""))
                parent.append(article)
        return [lxml_html.tostring(root, encoding="unicode")]

    @guarded(GROUP_USER, "write")
    def action_fr_dunning_print_letters(self):
        """One PDF of the selected letters, in the order of the list, which
        are then marked printed (by whom, when).

        A letter not rendered yet is rendered first. The PDF is the letter
        report over the stored copies (its ``attachment_use`` gives them back,
        merged, without rendering again), downloaded by the web client as a
        report: once downloaded, the list it was printed from reloads and shows
        the letters printed (an ``act_url`` download would leave it as it was).
        """
        letters = self.filtered(lambda e: e.channel in LETTER_CHANNELS)
        if not letters:
            raise UserError(self.env._("None of the selected lines has a letter to print."))
        blank = letters.filtered(lambda e: not e.letter_tier and not e.letter_id)
        if blank:
            # Nothing says which letter went: rendering one now would make up a
            # document dated back. Say so rather than leave them to print forever.
            raise UserError(
                self.env._(
                    "No letter was recorded with %(lines)s (entered without one, by an import or before "
                    "the letters were made by the addon): there is nothing to print. Leave these lines "
                    "out, or use Mark as printed once they are posted.",
                    lines=", ".join(
                        f"{event.partner_id.name} "
                        f"({format_date(self.env, fields.Date.context_today(event, event.date))})"
                        for event in blank
                    ),
                )
            )
        letters._fr_dunning_render_letters()
        letters.action_mark_printed()
        return self.env.ref(LETTER_REPORT).report_action(letters, config=False)


class ReportDunningLetter(models.AbstractModel):
    _name = "report.fr_dunning_addon.report_dunning_letter"
    _description = "Dunning letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["fr.dunning.event"].browse(docids)
        letters = docs._fr_dunning_letter_values()
        # The transfer's QR code, drawn for the printed letter only (not the emails).
        for values in letters.values():
            values["epc_qr"] = qr_image_src(values["epc_qr_payload"])
        if (data or {}).get("fr_dunning_split"):
            # Rendered to be cut apart (see _fr_dunning_split_letters).
            for event_id, values in letters.items():
                values["marker"] = f"{MARKER}{event_id}"
        return {
            "doc_ids": docids,
            "doc_model": "fr.dunning.event",
            "docs": docs,
            "letters": letters,
        }
