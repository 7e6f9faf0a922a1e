# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the law asks of a customer invoice itself: its payment term within the
legal limit (Code de commerce L441-10 I; a public buyer's, Code de la commande
publique R2192-10), checked when it is posted, and the late-payment mentions
it must carry (L441-9)."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from . import fr_dunning_law as law


class AccountMove(models.Model):
    _inherit = "account.move"

    fr_dunning_term_exceeded = fields.Boolean(
        string="Payment term beyond the legal limit",
        compute="_compute_fr_dunning_term_exceeded",
        help="Due more than 60 days after the invoice date, or 45 days end of month "
        "(Code de commerce L441-10 I).",
    )

    @api.depends(
        "move_type",
        "invoice_date",
        "invoice_date_due",
        "commercial_partner_id.fr_dunning_is_consumer",
        "commercial_partner_id.fr_dunning_public_buyer",
    )
    def _compute_fr_dunning_term_exceeded(self):
        for move in self:
            move.fr_dunning_term_exceeded = bool(
                move.move_type == "out_invoice"
                and move.invoice_date
                and move.invoice_date_due
                and not move.commercial_partner_id.fr_dunning_is_consumer
                and move.invoice_date_due > move._fr_dunning_max_due_date(move.invoice_date)
            )

    def _fr_dunning_max_due_date(self, invoice_date):
        """The latest due date the law allows this invoice: a public buyer's
        deadline (R2192-10), else the businesses' one (L441-10 I)."""
        kind = self.commercial_partner_id.fr_dunning_public_buyer
        return law.public_max_due_date(invoice_date, kind) if kind else law.max_due_date(invoice_date)

    def _fr_dunning_check_payment_terms(self, block_only):
        """Code de commerce L441-10 I: at most 60 days, or 45 days end of month;
        for a public buyer, 30, 50 or 60 days (R2192-10)."""
        today = fields.Date.context_today(self)
        for move in self:
            if (
                move.move_type != "out_invoice"
                or move.company_id.fr_dunning_payment_term_check == "none"
                or move.commercial_partner_id.fr_dunning_is_consumer
                or not move.invoice_date_due
            ):
                continue
            invoice_date = move.invoice_date or today
            limit = move._fr_dunning_max_due_date(invoice_date)
            if move.invoice_date_due <= limit:
                continue
            invoice = move.name if move.name and move.name != "/" else move.partner_id.display_name
            if move.commercial_partner_id.fr_dunning_public_buyer:
                message = self.env._(
                    "Invoice %(invoice)s is due on %(due)s, beyond the legal limit of %(limit)s: a "
                    "public buyer pays within %(days)s days (Code de la commande publique R2192-10).",
                    invoice=invoice,
                    due=format_date(self.env, move.invoice_date_due),
                    limit=format_date(self.env, limit),
                    days=law.PUBLIC_BUYER_DEADLINE_DAYS[move.commercial_partner_id.fr_dunning_public_buyer],
                )
            else:
                message = self.env._(
                    "Invoice %(invoice)s is due on %(due)s, beyond the legal limit of %(limit)s: between "
                    "businesses, payment is due at most 60 days after the invoice date, or 45 days end "
                    "of month (Code de commerce L441-10 I).",
                    invoice=invoice,
                    due=format_date(self.env, move.invoice_date_due),
                    limit=format_date(self.env, limit),
                )
            if move.company_id.fr_dunning_payment_term_check == "block":
                if block_only:
                    raise UserError(message)
            elif not block_only:
                move.message_post(body=message, message_type="comment", subtype_xmlid="mail.mt_note")

    def _fr_dunning_invoice_mention(self):
        """The late-payment mentions of L441-9 for this invoice, or '' when none apply."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if (
            self.move_type != "out_invoice"
            or not self.company_id.fr_dunning_invoice_mentions
            or partner.fr_dunning_is_consumer
            or self.fr_dunning_is_penalty_invoice
        ):
            return ""
        if partner.fr_dunning_public_buyer:
            mention = self.env._(
                "Late payment: moratory interest at the European Central Bank's refinancing rate plus "
                "8 points, and a fixed indemnity for recovery costs of 40 EUR, owed by law (Code de la "
                "commande publique L2192-13, R2192-31 and D2192-35)."
            )
            return mention
        contractual = partner.fr_dunning_contractual_rate or self.company_id.fr_dunning_contractual_rate
        if contractual:
            rate = self.env._("%(rate)s %% per year", rate=formatLang(self.env, contractual, digits=2))
        else:
            rate = self.env._("the European Central Bank's refinancing rate plus 10 points")
        mention = self.env._(
            "Late payment: penalties at %(rate)s, due from the day after the due date, and a fixed "
            "indemnity for recovery costs of 40 EUR per invoice (Code de commerce L441-10 and "
            "D441-5).",
            rate=rate,
        )
        if not self.invoice_payment_term_id.early_discount:
            mention += " " + self.env._("No discount for early payment.")
        return mention
