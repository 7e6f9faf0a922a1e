# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The overdue report to the credit insurer (déclaration de menace de
sinistre): a CSV of the insured invoices whose report date has come or comes
within the policy's notice days, with what the insurers ask for (the buyer's
SIREN, name and address, the invoices, their original due dates, the amounts,
the overdue amount and the action taken). A manager builds it; it is recorded
as sent, with its date, on each customer it names, and the CSV is kept with
those events."""

import csv
import io
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .account_move_insurance import OUTSIDE_COVER_PAUSES
from .fr_dunning_access import GROUP_MANAGER, guarded
from .fr_dunning_evidence import history_env
from .fr_dunning_insurance_policy import latest_due_date
from .fr_dunning_litigation_file import safe_file_name


def buyer_siren(partner):
    """The buyer's SIREN (9 digits): from its SIRET (French localization),
    else its company registry number, else its French VAT number; '' when
    none gives one."""
    siret = "".join(c for c in (partner["siret"] if "siret" in partner._fields else "") or "" if c.isdigit())
    if len(siret) == 14:
        return siret[:9]
    registry = "".join(c for c in partner.company_registry or "" if c.isdigit())
    if len(registry) in (9, 14):
        return registry[:9]
    vat = (partner.vat or "").replace(" ", "").upper()
    if vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
        return vat[4:]
    return ""


class FrDunningInsurancePolicy(models.Model):
    _inherit = "fr.dunning.insurance.policy"

    @guarded(GROUP_MANAGER, "read")
    def action_fr_dunning_overdue_report(self):
        """Build the overdue report of this policy, record it as sent on each
        customer it names, and download it."""
        self.ensure_one()
        attachment = self._fr_dunning_overdue_report(fields.Date.context_today(self))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _fr_dunning_report_invoices(self, today):
        """The insured invoices to report on ``today``: open, overdue, not in
        dispute (outside the cover), whose report date is within the notice
        days or passed, oldest first."""
        self.ensure_one()
        Move = self.env["account.move"]
        candidates = Move.search(
            [
                *Move._fr_dunning_open_domain(self.company_id),
                ("commercial_partner_id", "in", self.cover_ids.partner_id.ids),
                ("fr_dunning_is_penalty_invoice", "=", False),
                ("fr_dunning_blocked", "not in", OUTSIDE_COVER_PAUSES),
                ("fr_dunning_due_date", "<", today),
                (
                    "fr_dunning_due_date",
                    "<=",
                    latest_due_date(today + timedelta(days=self.notice_days), self.report_days),
                ),
            ],
            order="commercial_partner_id, fr_dunning_due_date, id",
        )
        covers = self.env["fr.dunning.insurance.cover"]._covers_of(candidates)
        return candidates.filtered(lambda m: m.id in covers), covers

    def _fr_dunning_overdue_report(self, today):
        """The CSV of the overdue report, attached to the events that record
        it as sent (one per customer); returns the attachment."""
        self.ensure_one()
        invoices, covers = self._fr_dunning_report_invoices(today)
        if not invoices:
            raise UserError(
                self.env._(
                    "No insured invoice to report to %(insurer)s today: none is past its due date with "
                    "its report date within %(days)s days.",
                    insurer=self._insurer_name(),
                    days=self.notice_days,
                )
            )
        content = self._fr_dunning_report_csv(invoices, covers, today)
        env = history_env(self.env, self.company_id)  # the history is written in the company's language
        text = env._(
            "Overdue report sent to %(insurer)s on %(date)s (policy %(number)s)",
            insurer=self._insurer_name(),
            date=format_date(env, today),
            number=self.policy_number,
        )
        by_customer = invoices.grouped("commercial_partner_id")
        events = self.env["fr.dunning.event"]._fr_dunning_record(
            [
                {
                    "name": env._("Overdue report to the credit insurer"),
                    "company_id": self.company_id.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(moves.ids)],
                    "event_type": "note",
                    "channel": "manual",
                    "user_id": self.env.uid,
                    "currency_id": self.company_id.currency_id.id,
                    "amount_residual": sum(moves.mapped("amount_residual_signed")),
                    "note": Markup("<p>%s</p>") % text,
                }
                for partner, moves in by_customer.items()
            ]
        )
        name = self.env._(
            "Overdue report %(insurer)s %(date)s.csv",
            insurer=safe_file_name(self._insurer_name()),
            date=today,
        )
        # Kept with the events, as evidence of what was sent: the company's
        # users only read it, nobody changes it.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": content,
                    "mimetype": "text/csv",
                    "res_model": events._name,
                    "res_id": events[0].id,
                    "company_id": self.company_id.id,
                }
            )
        )
        events.sudo().write({"attachment_ids": [Command.link(attachment.id)]})
        body = Markup("<p>%s</p>") % text
        partners = self.env["res.partner"].concat(*by_customer)
        # The customers are shared, their dunning is not: the notes are the company's.
        messages = partners._message_log_batch(bodies=dict.fromkeys(partners.ids, body))
        messages.sudo().fr_dunning_company_id = self.company_id
        self._message_log(body=body)
        self.sudo().last_report_date = today
        # The addon's own column, in one statement.
        invoices.flush_recordset(["fr_dunning_insurance_reported"])
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET fr_dunning_insurance_reported = %s WHERE id = ANY(%s)",
                today,
                invoices.ids,
            )
        )
        invoices.invalidate_recordset(["fr_dunning_insurance_reported"])
        return attachment

    def _fr_dunning_report_csv(self, invoices, covers, today):
        """One line per invoice, the buyer first: what insurers ask for."""
        self.ensure_one()
        actions = self._fr_dunning_actions_taken(invoices)
        # What each buyer owes past due on the invoices reported, in the company's currency.
        overdue = {
            buyer.id: sum(moves.mapped("amount_residual_signed"))
            for buyer, moves in invoices.grouped("commercial_partner_id").items()
        }
        pauses = dict(invoices._fields["fr_dunning_blocked"]._description_selection(self.env))
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(
            [
                self.env._("Policy number"),
                self.env._("Insurer's buyer reference"),
                self.env._("SIREN"),
                self.env._("Buyer"),
                self.env._("Address"),
                self.env._("Zip"),
                self.env._("City"),
                self.env._("Country"),
                self.env._("Cover granted"),
                self.env._("Invoice"),
                self.env._("Invoice date"),
                self.env._("Original due date"),
                self.env._("Days overdue"),
                self.env._("Amount"),
                self.env._("Amount due"),
                self.env._("Currency"),
                self.env._("Buyer's overdue total"),
                self.env._("Report deadline"),
                self.env._("Action taken"),
            ]
        )
        for invoice in invoices:
            buyer, cover = invoice.commercial_partner_id, covers[invoice.id]
            action = actions.get(invoice.id, "")
            if invoice.fr_dunning_blocked:
                action = " — ".join(filter(None, [pauses.get(invoice.fr_dunning_blocked), action]))
            writer.writerow(
                [
                    self.policy_number,
                    cover.insurer_reference or "",
                    buyer_siren(buyer),
                    buyer.name,
                    ", ".join(filter(None, [buyer.street, buyer.street2])),
                    buyer.zip or "",
                    buyer.city or "",
                    buyer.country_id.code or "",
                    f"{cover.amount:.2f}",
                    invoice.name,
                    fields.Date.to_string(invoice.invoice_date),
                    fields.Date.to_string(invoice.fr_dunning_due_date),
                    (today - invoice.fr_dunning_due_date).days,
                    f"{invoice.amount_total:.2f}",
                    f"{invoice.amount_residual:.2f}",
                    invoice.currency_id.name,
                    f"{overdue[buyer.id]:.2f} {self.company_id.currency_id.name}",
                    fields.Date.to_string(self._report_date(invoice.fr_dunning_due_date)),
                    action,
                ]
            )
        return out.getvalue().encode("utf-8-sig")

    def _fr_dunning_actions_taken(self, invoices):
        """{invoice id: its last dunning event, as '<date> <name>'}: one search."""
        events = self.env["fr.dunning.event"].search(
            [("move_ids", "in", invoices.ids), ("company_id", "=", self.company_id.id)],
            order="date desc, id desc",
        )
        result = {}
        for event in events:
            for move in event.move_ids:
                result.setdefault(move.id, f"{fields.Date.to_string(event.date.date())} {event.name}")
        return result
