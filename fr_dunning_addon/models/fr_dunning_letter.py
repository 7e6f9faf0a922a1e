# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dunning letters: what they say (values) and their PDF (rendering).

A letter is rendered once, when its communication is sent, and stored on the
event: printing it again gives back that copy, with the figures of the day it
was sent. Debian's wkhtmltopdf prints neither header nor footer and cannot
split a multi-record PDF, so the letterhead is in the body, a batch of letters
is rendered in one wkhtmltopdf call, and the PDF is cut back into letters at
the marker each letter carries on its first page: an invisible link, which
wkhtmltopdf turns into a link annotation of that page (read without parsing
the page's text, then removed).
"""

import io
import logging
import os
import subprocess
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from lxml import html as lxml_html
from markupsafe import Markup, escape
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_USER, guarded
from .fr_dunning_formats import LangFormats

_logger = logging.getLogger(__name__)

LETTER_REPORT = "fr_dunning_addon.action_report_dunning_letter"
# Letters rendered per wkhtmltopdf call, and wkhtmltopdf processes at once.
LETTER_BATCH = 50
LETTER_PROCESSES = 2
# The marker's link: this scheme, then the event's id.
MARKER = "fr-dunning-letter:"


def wkhtmltopdf(command, body):
    """(exit code, messages, PDF bytes) of wkhtmltopdf converting ``body``
    (HTML) with ``command``. Runs in a worker thread: it touches no
    environment nor cursor."""
    with tempfile.TemporaryDirectory(prefix="fr_dunning_letters.") as folder:
        html_path = os.path.join(folder, "letters.html")
        pdf_path = os.path.join(folder, "letters.pdf")
        with open(html_path, "w", encoding="utf-8") as html_file:
            html_file.write(body)
        with open(os.path.join(folder, "wkhtmltopdf.log"), "w+", encoding="utf-8") as log:
            process = subprocess.run(
                [_get_wkhtmltopdf_bin(), *command, html_path, pdf_path],
                stdout=subprocess.DEVNULL,
                stderr=log,
                check=False,
            )
            log.seek(0)
            messages = log.read()[-1000:]
        pdf = b""
        if os.path.exists(pdf_path):
            with open(pdf_path, "rb") as pdf_file:
                pdf = pdf_file.read()
        return process.returncode, messages, pdf


class FrDunningEvent(models.Model):
    _inherit = "fr.dunning.event"

    # ------------------------------------------------------------------
    # What a letter says
    # ------------------------------------------------------------------

    def _fr_dunning_letter_values(self):
        """{event id: the values of its letter and email}, computed set-wise.

        Amounts are in the event's currency; penalties are computed to the
        event's date by the penalty engine, for business customers and for
        consumers after a formal notice (the engine applies the law).
        """
        if not self:
            return {}
        LegalRate = self.env["fr.dunning.legal.rate"]
        moves = self.move_ids
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        by_day = defaultdict(list)
        for event in self:
            by_day[fields.Date.context_today(event, event.date)].append(event.id)
        penalties = {}
        rates_missing = {}
        for day, event_ids in by_day.items():
            day_invoices = self.browse(event_ids).move_ids & invoices
            # What a penalty invoice already billed is claimed by that invoice
            # only for what is still unpaid of it (below), never twice.
            penalties[day] = day_invoices._fr_dunning_penalties(
                at_date=day, uncharged_only=True, strict=False
            )
            rates_missing[day] = not LegalRate.search_count([("date_start", "=", law.semester_start(day))])
        # Portal links (the customer sees the invoice, and pays it online when a
        # payment provider is enabled): the tokens were given when sending
        # (_fr_dunning_ensure_tokens); rendering only reads.
        base_url = self[:1].get_base_url()
        # One question per company (not per letter): can its customers pay online?
        online = {company: self._fr_dunning_pay_online(company) for company in self.company_id}
        reminded = self._fr_dunning_reminded_before()
        billed = self._fr_dunning_billed_unpaid(invoices)
        bank_of = {}
        formats_of = {}
        result = {}
        for event in self:
            day = fields.Date.context_today(event, event.date)
            partner = event.partner_id
            company = event.company_id
            lang = event.lang
            env = event.with_context(lang=lang).env
            formats = formats_of.get(lang) or formats_of.setdefault(lang, LangFormats(env))
            currency = event.currency_id
            tier = event.letter_tier or "1"
            lines = []
            interest = indemnity = 0.0
            indemnity_count = 0
            for move in event.move_ids.sorted(lambda m: (m.move_type, m.invoice_date_due or m.date, m.id)):
                refund = move.move_type == "out_refund"
                sign = -1 if refund else 1
                lines.append(
                    {
                        "move": move,
                        "is_refund": refund,
                        "name": move.name,
                        "invoice_date": move.invoice_date,
                        "due_date": move.invoice_date_due,
                        "days": 0 if refund else max((day - move.invoice_date_due).days, 0),
                        "amount": sign * move.amount_total,
                        "paid": sign * (move.amount_total - move.amount_residual),
                        "residual": sign * move.amount_residual,
                        "url": False if refund or not move.access_token else base_url + move.get_portal_url(),
                    }
                )
                if not refund:
                    penalty = penalties[day].get(move.id)
                    if penalty:
                        interest += penalty["interest"]
                        indemnity += penalty["indemnity"]
                        indemnity_count += bool(penalty["indemnity"])
                    billed_interest, billed_indemnity, billed_count = billed.get(move.id, (0.0, 0.0, 0))
                    interest += billed_interest
                    indemnity += billed_indemnity
                    indemnity_count += billed_count
            residual = currency.round(sum(line["residual"] for line in lines))
            show_penalties = tier in ("2", "3") or (event.level_id.penalties in ("show", "charge"))
            interest = currency.round(interest) if show_penalties and not rates_missing[day] else 0.0
            indemnity = currency.round(indemnity) if show_penalties else 0.0
            notice_dates = [
                d for d in event.move_ids.mapped("fr_dunning_formal_notice_date") if d and d < day
            ]
            if company not in bank_of:
                bank_of[company] = company.partner_id.bank_ids[:1]
            responsible = event.user_id or event.env["fr.dunning.escalation"]._responsible(partner, company)
            route = event.level_id.litigation_route or "injunction"
            result[event.id] = {
                "lang": lang,
                "day": day,
                "place_date": env._(
                    "%(city)s, %(date)s",
                    city=company.city or "",
                    date=formats.date(day, "long"),
                ).strip(", "),
                "deadline": event.deadline_date,
                "deadline_text": event.deadline_date and formats.date(event.deadline_date, "long"),
                "tier": tier,
                # Nothing overdue yet: a reminder ahead of the due date.
                "preventive": all(line["days"] == 0 for line in lines),
                "is_consumer": partner.fr_dunning_is_consumer,
                "lines": lines,
                "invoice_count": sum(1 for line in lines if not line["is_refund"]),
                "residual": residual,
                "show_penalties": show_penalties,
                "rates_missing": show_penalties and rates_missing[day],
                "interest": interest,
                "indemnity": indemnity,
                "indemnity_count": indemnity_count,
                "grand_total": currency.round(residual + interest + indemnity),
                "indemnity_unit": law.RECOVERY_INDEMNITY_EUR,
                "bank": bank_of[company],
                "payment_reference": ", ".join(
                    line["move"].payment_reference or line["name"] for line in lines if not line["is_refund"]
                ),
                "responsible": responsible,
                # "Despite our previous reminders" only when there were some.
                "reminded": event.id in reminded,
                "notice_date": notice_dates and min(notice_dates),
                "notice_date_text": notice_dates and formats.date(min(notice_dates), "long"),
                "route": route,
                "court": law.court_for(partner.fr_dunning_is_consumer),
                "small_claims": route == "small_claims"
                and currency.compare_amounts(residual, law.SMALL_CLAIMS_MAX_EUR) <= 0,
                "pay_online": online[company],
                "portal_url": base_url + "/my/invoices",
                "reference": f"REL-{event.id:06d}",
                # Dates and amounts in the letter's language, Odoo's text
                # without the per-call lookups of the QWeb widgets.
                "formats": formats,
            }
            result[event.id].update(self._fr_dunning_letter_sentences(env, result[event.id], event, formats))
        return result

    @api.model
    def _fr_dunning_billed_unpaid(self, invoices):
        """{invoice id: (interest, indemnity, indemnities)} that penalty
        invoices billed for ``invoices`` and the customer has not paid yet (in
        proportion to what each penalty invoice still owes). A letter claims
        them with the penalties not billed yet: a penalty invoice is never
        chased itself, and what was paid of it is not claimed again."""
        billed = defaultdict(lambda: [0.0, 0.0, 0])
        charges = (
            self.env["fr.dunning.penalty"]
            .sudo()
            .search([("invoice_id", "in", invoices.ids), ("penalty_move_id.state", "=", "posted")])
        )
        for charge in charges:
            move = charge.penalty_move_id
            share = move.amount_residual / move.amount_total if move.amount_total else 0.0
            if not share:
                continue
            entry = billed[charge.invoice_id.id]
            if charge.kind == "indemnity":
                entry[1] += charge.amount * share
                entry[2] += 1
            else:
                entry[0] += charge.amount * share
        return {invoice_id: tuple(entry) for invoice_id, entry in billed.items()}

    def _fr_dunning_reminded_before(self):
        """The ids of the events of ``self`` whose invoices were chased before
        them by another communication (a reminder, a letter, a call made), in
        one query: a letter says "despite our previous reminders" only then."""
        invoices = self.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        if not invoices:
            return set()
        # One read of the history of these invoices (on a first night, 45 000
        # invoices: a search through the ORM's many2many subquery was planned
        # row by row on the events just written).
        rows = self.env.execute_query(
            SQL(
                """SELECT rel.move_id, event.id, event.date, event.run_id, event.level_id
                     FROM fr_dunning_event_account_move_rel rel
                     JOIN fr_dunning_event event ON event.id = rel.event_id
                    WHERE rel.move_id = ANY(%s)
                      AND event.event_type IN ('reminder', 'letter', 'registered_letter', 'call')
                      AND event.date <= %s""",
                invoices.ids,
                max(self.mapped("date")),
            )
        )
        by_move = defaultdict(list)
        for move_id, event_id, day, run_id, level_id in rows:
            by_move[move_id].append((day, event_id, run_id, level_id))

        def before(other, event):
            # The email, letter and call of one communication are not reminders of each other.
            day, other_id, run_id, level_id = other
            same = run_id and run_id == event.run_id.id and level_id == event.level_id.id
            return (day, other_id) < (event.date, event.id) and not same

        return {
            event.id
            for event in self
            if any(before(other, event) for move_id in event.move_ids.ids for other in by_move[move_id])
        }

    @api.model
    def _fr_dunning_pay_online(self, company):
        """Whether the customers of ``company`` can pay online (an enabled payment
        provider, with Odoo's payment modules installed)."""
        if "payment.provider" not in self.env:
            return False
        return bool(
            self.env["payment.provider"]
            .sudo()
            .search_count([("state", "in", ("enabled", "test")), ("company_id", "=", company.id)], limit=1)
        )

    @api.model
    def _fr_dunning_letter_sentences(self, env, values, event, formats=None):
        """The sentences that carry figures, whole for the translators, in the
        customer's language (``env``; ``formats``: its LangFormats, when
        already made); figures are escaped and set in bold."""
        formats = formats or LangFormats(env)

        def bold(value):
            return Markup("<strong>%s</strong>") % value

        def sentence(text, **figures):
            return Markup(escape(text)) % {key: bold(value) for key, value in figures.items()}

        currency = event.currency_id
        amount = formats.lang_amount(values["grand_total"], currency)
        deadline = values["deadline_text"] or ""
        bank = values["bank"]
        court = {
            "commerce": env._("tribunal de commerce"),
            "judiciaire": env._("tribunal judiciaire"),
        }[values["court"]]
        routes = {
            "injunction": env._(
                "an application for an order for payment (injonction de payer) before the %(court)s."
            ),
            "small_claims": env._(
                "the simplified recovery procedure for small claims, conducted by a commissaire de justice."
            ),
            "summary": env._(
                "summary proceedings for a provision (référé-provision) before the president of the "
                "%(court)s."
            ),
            "merits": env._("an action on the merits before the %(court)s."),
            "agency": env._("recovery by a collection agency."),
        }
        names = values["payment_reference"]
        return {
            "subject_1": sentence(
                env._("Subject: payment reminder, invoice %(names)s")
                if values["invoice_count"] == 1
                else env._("Subject: payment reminder, invoices %(names)s"),
                names=names,
            ),
            "registered_html": sentence(
                env._("Registered letter with acknowledgement of receipt no. %(number)s"),
                number=event.registered_number,
            )
            if event.registered_number
            else escape(env._("Registered letter with acknowledgement of receipt")),
            "request_html": sentence(
                env._(
                    "Please settle the balance of %(amount)s by %(date)s. If you have paid in the meantime, "
                    "please disregard this letter. If something stands in the way of the payment (an invoice "
                    "you question, a delivery problem), tell us: we would rather sort it out with you."
                ),
                amount=amount,
                date=deadline,
            ),
            "notice_html": sentence(
                env._(
                    "Consequently, by this letter, which constitutes a formal notice (mise en demeure) "
                    "within the meaning of article 1344 of the Code civil, we require you to pay the sum "
                    "of %(amount)s by %(date)s at the latest."
                ),
                amount=amount,
                date=deadline,
            ),
            "previous_html": sentence(
                env._(
                    "Our formal notice of %(date)s has remained unanswered, and the sums below are still "
                    "unpaid."
                ),
                date=values["notice_date_text"],
            )
            if values["notice_date_text"]
            else escape(
                env._("Our reminders have remained unanswered, and the sums below are still unpaid.")
                if values["reminded"]
                else env._("The sums below are still unpaid although their due date has passed.")
            ),
            "ultimatum_html": sentence(
                env._(
                    "This is our final notice. Unless the sum of %(amount)s reaches us by %(date)s, the file "
                    "will be handed over, without further notice, for:"
                ),
                amount=amount,
                date=deadline,
            ),
            "route_html": bold(routes[values["route"]] % {"court": court}),
            "pay_html": sentence(
                env._("Please pay %(amount)s by %(date)s at the latest."), amount=amount, date=deadline
            ),
            "due_html": sentence(
                env._("The amount due is %(amount)s, payable by %(date)s."), amount=amount, date=deadline
            ),
            "interest_label": env._("Late-payment interest to %(date)s", date=formats.date(values["day"])),
            "indemnity_label": env._(
                "Fixed recovery indemnity (%(count)s x 40 EUR)", count=values["indemnity_count"]
            ),
            "bank_html": sentence(
                env._("Bank transfer to %(holder)s, IBAN %(iban)s, BIC %(bic)s")
                if bank.bank_bic
                else env._("Bank transfer to %(holder)s, IBAN %(iban)s"),
                holder=bank.partner_id.name or event.company_id.name,
                iban=bank.acc_number,
                bic=bank.bank_bic or "",
            )
            if bank
            else Markup(),
            "reference_html": sentence(env._("Payment reference to state: %(reference)s"), reference=names),
        }

    # ------------------------------------------------------------------
    # Rendering and printing
    # ------------------------------------------------------------------

    def _fr_dunning_letter_name(self):
        self.ensure_one()
        return f"Relance-{self.partner_id.id}-{self.id}.pdf"

    def _fr_dunning_ensure_tokens(self):
        """The portal links of these communications' invoices exist before they
        are rendered: when sending, never when rendering (see account.move)."""
        self.move_ids._fr_dunning_ensure_tokens()

    def _fr_dunning_render_letters(self, meanwhile=None):
        """Render and store the letters of ``self`` that have none yet, one
        wkhtmltopdf call per batch. Returns the events' letters (attachments).

        The batches' HTML is rendered here; wkhtmltopdf then converts them in
        the background, ``LETTER_PROCESSES`` at a time, while ``meanwhile``
        (a function, if given) does other work of the same transaction."""
        report = self.env["ir.actions.report"]._get_report(LETTER_REPORT)
        todo = self.filtered(lambda e: e.letter_tier and not e.letter_id)
        jobs = []
        with ThreadPoolExecutor(
            max_workers=LETTER_PROCESSES, thread_name_prefix="fr_dunning_letters"
        ) as pool:
            for batch_ids in split_every(LETTER_BATCH, todo.ids):
                events = self.browse(batch_ids)
                command, body = events._fr_dunning_letter_document(report)
                jobs.append((events, pool.submit(wkhtmltopdf, command, body)))
            if meanwhile:
                meanwhile()
            for events, job in jobs:
                code, messages, pdf = job.result()
                # 1: a resource could not be loaded; the PDF is made all the same.
                if code not in (0, 1) or not pdf:
                    raise UserError(
                        self.env._(
                            "wkhtmltopdf failed (error code: %(code)s). Message: %(message)s",
                            code=code,
                            message=messages,
                        )
                    )
                if messages:
                    _logger.info("wkhtmltopdf: %s", messages)
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

    def _fr_dunning_letter_document(self, report):
        """(wkhtmltopdf arguments, HTML) of the letters of ``self`` as one document."""
        Report = self.env["ir.actions.report"].with_context(debug=False)
        html = Report._render_qweb_html(report, self.ids, data={"debug": False, "fr_dunning_split": True})[0]
        bodies, _html_ids, _header, _footer, paperformat_args = report._prepare_html(
            html, report_model=report.model
        )
        # Odoo's own arguments for the report's paper format; no session cookie:
        # the letter's assets are public and its images are inline.
        command = Report._build_wkhtmltopdf_args(
            report.get_paperformat(), False, specific_paperformat_args=paperformat_args
        )
        if "--javascript-delay" in command:
            # Odoo waits report.print_delay (1 s) for scripts; the letters run none.
            command[command.index("--javascript-delay") + 1] = "0"
        return command, self._fr_dunning_single_body(bodies)[0]

    def _fr_dunning_split_letters(self, pdf):
        """{event id: PDF bytes}: ``pdf``, the letters of ``self``, cut apart."""
        reader = PdfReader(io.BytesIO(pdf))
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
            writer = PdfWriter()
            for number in range(first, last):
                writer.add_page(reader.pages[number])
            stream = io.BytesIO()
            writer.write(stream)
            pdfs[event_id] = stream.getvalue()
        return pdfs

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
        are then marked printed (by whom, when)."""
        letters = self.filtered("letter_tier")
        if not letters:
            raise UserError(self.env._("None of the selected lines has a letter to print."))
        letters._fr_dunning_render_letters()
        writer = PdfWriter()
        for event in letters:
            writer.append(PdfReader(io.BytesIO(event.letter_id.sudo().raw)))
        stream = io.BytesIO()
        writer.write(stream)
        merged = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Letters %(date)s.pdf", date=fields.Date.context_today(self).isoformat()
                    ),
                    "raw": stream.getvalue(),
                    "mimetype": "application/pdf",
                    "res_model": "fr.dunning.run",
                    "public": False,
                }
            )
        )
        letters.action_mark_printed()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{merged.id}?download=true",
            "target": "self",
        }


class ReportDunningLetter(models.AbstractModel):
    _name = "report.fr_dunning_addon.report_dunning_letter"
    _description = "Dunning letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["fr.dunning.event"].browse(docids)
        letters = docs._fr_dunning_letter_values()
        if (data or {}).get("fr_dunning_split"):
            # Rendered to be cut apart (see _fr_dunning_render_batch).
            for event_id, values in letters.items():
                values["marker"] = f"{MARKER}{event_id}"
        return {
            "doc_ids": docids,
            "doc_model": "fr.dunning.event",
            "docs": docs,
            "letters": letters,
        }
