# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The litigation file (dossier contentieux): one ZIP for the lawyer or the
commissaire de justice, with the statement of account, the invoices, the
letters sent and the whole dunning history.

The claim is stated once: an invoice's interest and indemnity count only for
what no penalty invoice charged yet, and a penalty invoice counts as billed,
on its own line. Every amount says the day it is computed to. The ZIP is
attached to the dunning event that records it, which belongs to one company:
the customer (``res.partner``) is shared between companies, the file is not.
"""

import csv
import io
import re
import zipfile

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from . import fr_dunning_law as law
from .fr_dunning_evidence import history_env
from .fr_dunning_formats import LangFormats

STATEMENT_REPORT = "fr_dunning_addon.action_report_litigation_statement"
INVOICE_REPORT = "account.account_invoices"


def safe_file_name(name):
    """A file name without path separators or odd characters."""
    return re.sub(r"[^\w .-]+", "-", name or "").strip()


def french_date(day):
    """DD/MM/YYYY, the form a French court reads."""
    return day.strftime("%d/%m/%Y") if day else ""


class FrDunningLitigationFile(models.AbstractModel):
    """Builds the litigation file of a customer in the current company."""

    _name = "fr.dunning.litigation.file"
    _description = "Litigation file builder"

    @api.model
    def _statement_values(self, partner):
        """The net claim on ``partner`` (a customer) in the current company,
        per open invoice: principal (its late instalments: those not yet due
        are named, not claimed), penalties already billed (the open penalty
        invoices, as billed) less the interest given back and not yet settled
        (the open penalty credit notes, each on its own line), and the
        interest and indemnity not billed yet, to today or to the last day the
        legal rates allow. A give-back whose penalty invoice was cancelled
        since gives back interest no longer billed: it is not deducted."""
        partner = partner.commercial_partner_id
        company = self.env.company
        today = fields.Date.context_today(self)
        Move = self.env["account.move"]
        invoices = Move.search(
            [*Move._fr_dunning_open_domain(company), ("commercial_partner_id", "=", partner.id)],
            order="fr_dunning_due_date, id",
        )
        give_backs = Move.search(
            [
                *Move._fr_dunning_open_domain(company, move_type="out_refund"),
                ("commercial_partner_id", "=", partner.id),
                ("fr_dunning_is_penalty_invoice", "=", True),
            ],
            order="invoice_date, id",
        )
        penalties = invoices._fr_dunning_penalties(at_date=today, uncharged_only=True, strict=False)
        owed = invoices._fr_dunning_overdue_split(today)
        void = self._void_give_backs(invoices | give_backs)
        lines, totals, rates_missing, not_due = [], {}, [], []
        for invoice in invoices | give_backs:
            currency = invoice.currency_id
            line = {
                "invoice": invoice,
                "currency": currency,
                "is_penalty_invoice": invoice.fr_dunning_is_penalty_invoice,
                "is_give_back": invoice.move_type == "out_refund",
                "principal": 0.0,
                "billed": 0.0,
                "interest": 0.0,
                "indemnity": 0.0,
                "computed_to": today,
                "days": 0,
                "reason": False,
                # What a void give-back on this document no longer deducts.
                "void": void.get(invoice.id, 0.0),
            }
            if invoice.fr_dunning_is_penalty_invoice:
                billed = invoice.amount_residual * (-1 if line["is_give_back"] else 1) + line["void"]
                line["billed"] = min(billed, 0.0) if line["is_give_back"] else billed
            else:
                penalty = penalties[invoice.id]
                split = owed[invoice.id]
                late = law.instalment_late(invoice.fr_dunning_due_date, today)
                not_due += [(invoice, due, amount) for due, amount in split.later] if late else []
                line.update(
                    {
                        # Nothing late yet (litigation ahead of the due date): all of it.
                        "principal": split.late_currency if late else invoice.amount_residual,
                        "interest": penalty["interest"],
                        "indemnity": penalty["indemnity"],
                        "computed_to": penalty.get("computed_to") or today,
                        "days": max((today - invoice.fr_dunning_due_date).days, 0),
                        # The missing rates are stated once, as a fact, in the summary.
                        "reason": not penalty.get("rates_missing_from") and penalty["reason"],
                    }
                )
                if penalty.get("rates_missing_from"):
                    rates_missing.append((line["computed_to"], penalty["rates_missing_from"]))
            line["total"] = currency.round(
                line["principal"] + line["billed"] + line["interest"] + line["indemnity"]
            )
            lines.append(line)
            total = totals.setdefault(
                currency,
                {"principal": 0.0, "billed": 0.0, "interest": 0.0, "indemnity": 0.0, "total": 0.0},
            )
            for key in total:
                total[key] = currency.round(total[key] + line[key])
        events = self.env["fr.dunning.event"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)],
            order="date, id",
        )
        interest_to, missing_from = min(rates_missing) if rates_missing else (today, False)
        return {
            "company": company,
            "debtor": partner,
            "today": today,
            "lines": lines,
            "totals": totals,
            "not_due": not_due,
            "events": events,
            "invoices": invoices | give_backs,
            "interest_to": interest_to,
            "rates_missing_from": missing_from,
        }

    @api.model
    def _void_give_backs(self, documents):
        """{penalty document id: amount}: what the void give-backs not taken
        back yet (fr.dunning.penalty._to_take_back) gave back on each of
        ``documents``, a positive amount: the claim does not deduct it."""
        records = (
            self.env["fr.dunning.penalty"]
            .sudo()
            .search([("penalty_move_id", "in", documents.ids), ("kind", "=", "interest_refund")])
        )
        result = {}
        for record in records._to_take_back():
            result[record.penalty_move_id.id] = result.get(record.penalty_move_id.id, 0.0) - record.amount
        return result

    @api.model
    def _build(self, partner):
        """Build the ZIP of ``partner``'s claim in the current company, record
        it as a dunning event and attach it there; returns the attachment."""
        partner = partner.commercial_partner_id
        values = self._statement_values(partner)
        if not values["invoices"]:
            raise UserError(
                self.env._("%(partner)s owes nothing: there is no claim to hand over.", partner=partner.name)
            )
        events = values["events"]
        letters = events.filtered("letter_id")
        emails = events.filtered("message_id")
        invoices_folder = self.env._("02 Invoices")
        letters_folder = self.env._("03 Letters")
        history_name = self.env._("04 Dunning history.csv")
        emails_name = self.env._("05 Emails sent.txt")
        files = [
            (f"{invoices_folder}/{safe_file_name(invoice.name)}.pdf", self._invoice_pdf(invoice))
            for invoice in values["invoices"]
        ]
        files += [
            (
                f"{letters_folder}/{event.date.date()} {safe_file_name(event.name)} {event.reference}.pdf",
                event.letter_id.sudo().raw,
            )
            for event in letters
        ]
        files.append((history_name, self._history_csv(events)))
        files.append((emails_name, self._emails_text(partner, emails)))
        # The summary lists what the ZIP holds, and only that.
        evidence = [
            self.env._(
                "Folder “%(folder)s”: the open invoices, penalty invoices included: %(count)s.",
                folder=invoices_folder,
                count=len(values["invoices"]),
            )
        ]
        if letters:
            evidence.append(
                self.env._(
                    "Folder “%(folder)s”: the letters, as sent: %(count)s. Their registered-mail "
                    "numbers and acknowledgement dates are in the history.",
                    folder=letters_folder,
                    count=len(letters),
                )
            )
        evidence += [
            self.env._("File “%(file)s”: dunning events: %(count)s.", file=history_name, count=len(events)),
            self.env._("File “%(file)s”: the emails sent: %(count)s.", file=emails_name, count=len(emails)),
        ]
        statement, _format = self.env["ir.actions.report"]._render_qweb_pdf(
            STATEMENT_REPORT, partner.ids, data={"evidence": evidence}
        )
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(self.env._("01 Summary and statement of account.pdf"), statement)
            for name, content in files:
                archive.writestr(name, content)
        return self._attach(partner, values, stream.getvalue())

    @api.model
    def _attach(self, partner, values, content):
        """The dunning event of the file, in its company, with the ZIP attached
        to it (``res_model``/``res_id``): only users of that company can read it."""
        name = self.env._(
            "Litigation file %(partner)s %(date)s.zip",
            partner=safe_file_name(partner.name),
            date=values["today"],
        )
        # The history is written in the company's language.
        env = history_env(self.env, values["company"])
        text = env._("Litigation file built: %(name)s", name=name)
        event = self.env["fr.dunning.event"]._fr_dunning_record(
            [
                {
                    "name": env._("Litigation file"),
                    "company_id": values["company"].id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(values["invoices"].ids)],
                    "event_type": "note",
                    "channel": "manual",
                    "user_id": self.env.uid,
                    "amount_residual": sum(values["invoices"].mapped("amount_residual_signed")),
                    "note": Markup("<p>%s</p>") % text,
                }
            ]
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": content,
                    "mimetype": "application/zip",
                    "res_model": event._name,
                    "res_id": event.id,
                    "company_id": values["company"].id,
                }
            )
        )
        event.sudo().attachment_ids = [Command.link(attachment.id)]
        # The open litigation of the customer in this company shows it too.
        litigations = self.env["fr.dunning.litigation"].search(
            [
                ("company_id", "=", values["company"].id),
                ("partner_id", "=", partner.id),
                ("state", "=", "open"),
            ]
        )
        for litigation in litigations:
            litigation._message_log(body=Markup("<p>%s</p>") % text, attachment_ids=attachment.ids)
        return attachment

    @api.model
    def _invoice_pdf(self, invoice):
        """The invoice as sent (the PDF Odoo stored when sending it), else
        Odoo's invoice report, which identifies the seller."""
        pdf = invoice.invoice_pdf_report_id.sudo().raw
        if not pdf:
            pdf, _format = self.env["ir.actions.report"]._render_qweb_pdf(INVOICE_REPORT, invoice.ids)
        return pdf

    @api.model
    def _history_csv(self, events):
        """Every dunning event, oldest first: the evidence list."""
        labels = {
            name: dict(events._fields[name]._description_selection(self.env))
            for name in ("event_type", "channel", "outcome")
        }
        # For a spreadsheet in the reader's language (French Excel reads ";",
        # the BOM, "18000,00" and "26/11/2026"): dates in the reader's format
        # and time zone, amounts as numbers with their currency apart.
        formats = LangFormats(self.env)

        def when(event):
            local = fields.Datetime.context_timestamp(self, event.date)
            return f"{formats.date(local.date())} {local:%H:%M}"

        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(
            [
                self.env._("Date"),
                self.env._("Type"),
                self.env._("Channel"),
                self.env._("Description"),
                self.env._("Invoices"),
                self.env._("Amount due"),
                self.env._("Currency"),
                self.env._("Registered-mail number"),
                self.env._("Acknowledgement date"),
                self.env._("Call outcome"),
                self.env._("Done by"),
                self.env._("Note"),
            ]
        )
        for event in events:
            writer.writerow(
                [
                    when(event),
                    labels["event_type"].get(event.event_type, ""),
                    labels["channel"].get(event.channel, ""),
                    event.name,
                    ", ".join(event.move_ids.mapped("name")),
                    formats.spreadsheet_number(event.amount_residual),
                    event.currency_id.name or "",
                    event.registered_number or "",
                    event.acknowledgement_date and formats.date(event.acknowledgement_date) or "",
                    labels["outcome"].get(event.outcome, ""),
                    event.user_id.name or self.env._("Automatic"),
                    html2plaintext(event.note or "").strip(),
                ]
            )
        return out.getvalue().encode("utf-8-sig")

    @api.model
    def _emails_text(self, partner, events):
        """Each reminder email of ``events``: date, recipients, subject,
        attachments, delivery status and text. The recipients are those of the
        queued email (``mail.mail``), else the message's, else the customer's
        address."""
        messages = events.message_id.sudo()
        if not messages:
            return self.env._("No reminder email was sent to %(partner)s.", partner=partner.name).encode()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .with_context(active_test=False)
            .search([("mail_message_id", "in", messages.ids)])
            .grouped("mail_message_id")
        )
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids), ("notification_type", "=", "email")])
            .grouped("mail_message_id")
        )
        mail_states = dict(self.env["mail.mail"]._fields["state"]._description_selection(self.env))
        notification_states = dict(
            self.env["mail.notification"]._fields["notification_status"]._description_selection(self.env)
        )
        label = {
            "date": self.env._("Date"),
            "to": self.env._("To"),
            "subject": self.env._("Subject"),
            "attachments": self.env._("Attachments"),
            "status": self.env._("Delivery status"),
        }
        parts = []
        for event in events:
            message = event.message_id.sudo()
            mail = mails.get(message, self.env["mail.mail"])
            notified = notifications.get(message, self.env["mail.notification"])
            recipients = [address for address in mail.recipient_ids.mapped("email_formatted") if address]
            recipients += [address for address in mail.mapped("email_to") if address]
            if not recipients:
                recipients = [address for address in message.partner_ids.mapped("email_formatted") if address]
            if not recipients and event.partner_id.email:
                recipients = [event.partner_id.email_formatted]
            if mail:
                status = ", ".join(mail_states.get(state, state) for state in mail.mapped("state"))
                failures = [reason for reason in mail.mapped("failure_reason") if reason]
                if failures:
                    status = f"{status} ({'; '.join(failures)})"
            elif notified:
                status = ", ".join(
                    notification_states.get(state, state) for state in notified.mapped("notification_status")
                )
            else:
                status = self.env._("unknown")
            parts.append(
                "\n".join(
                    [
                        "=" * 72,
                        f"{label['date']}: {fields.Datetime.to_string(message.date)}",
                        f"{label['to']}: {', '.join(recipients) or self.env._('unknown')}",
                        f"{label['subject']}: {message.subject or ''}",
                        f"{label['attachments']}: {', '.join(message.attachment_ids.mapped('name')) or '-'}",
                        f"{label['status']}: {status}",
                        "",
                        html2plaintext(message.body or ""),
                    ]
                )
            )
        return "\n\n".join(parts).encode("utf-8")


class ReportLitigationStatement(models.AbstractModel):
    _name = "report.fr_dunning_addon.report_litigation_statement"
    _description = "Litigation file: summary and statement of account"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["res.partner"].browse(docids)
        builder = self.env["fr.dunning.litigation.file"]
        return {
            "docs": docs,
            "statements": {partner.id: builder._statement_values(partner) for partner in docs},
            "evidence": (data or {}).get("evidence") or [],
            "fr_date": french_date,
        }
