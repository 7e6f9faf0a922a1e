# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The déclaration de créance: what a customer in collective proceedings owes
the company on the day of the opening judgment, as the mandataire judiciaire
must receive it (Code de commerce L622-24, L622-25, R622-23).

Per invoice born before the judgment: the principal due on that day, the
interest to the day before (L622-28 stops it from the judgment on), the 40 EUR
of an invoice due before the judgment, and the instalments not yet due with
their dates. Amounts in another currency are converted to euros at the rate
of the judgment's day (L622-25). Nothing here is billed (L622-7).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from . import fr_dunning_law as law
from .fr_dunning_evidence import history_env
from .fr_dunning_formats import LangFormats

CLAIM_REPORT = "fr_dunning_addon.action_report_claim_declaration"


class ReportClaimDeclaration(models.AbstractModel):
    _name = "report.fr_dunning_addon.report_claim_declaration"
    _description = "Declaration of claim (déclaration de créance)"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        missing = partners.filtered(lambda p: not p.fr_dunning_proceedings_date)
        if missing:
            raise UserError(
                self.env._(
                    "%(customers)s: no collective proceedings recorded (date of the opening judgment).",
                    customers=", ".join(missing.mapped("name")),
                )
            )
        company = self.env.company
        env = history_env(self.env, company)
        return {
            "docs": partners,
            "claims": {
                partner.id: self.with_env(env)._claim_values(partner, company) for partner in partners
            },
            "formats": LangFormats(env),
            "company": company,
            "euro": self.env.ref("base.EUR"),
        }

    @api.model
    def _claim_values(self, partner, company):
        """The claim on ``partner`` in ``company`` on the day of its opening judgment."""
        judgment = partner.fr_dunning_proceedings_date
        Move = self.env["account.move"]
        # Born before the judgment (L622-24): invoices and credit notes dated before it.
        moves = Move.search(
            [
                *Move._fr_dunning_open_domain(company, move_type=("out_invoice", "out_refund")),
                ("commercial_partner_id", "=", partner.id),
                ("invoice_date", "<", judgment),
            ],
            order="move_type, fr_dunning_due_date, id",
        )
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        penalties = invoices._fr_dunning_penalties(at_date=judgment, strict=False)
        instalments = Move._fr_dunning_instalments(invoices.ids) if invoices else {}
        euro = self.env.ref("base.EUR")
        lines, to_fall_due, missing_rates = [], [], []
        totals = dict.fromkeys(("principal", "interest", "indemnity", "due", "later"), 0.0)
        for move in moves:
            currency = move.currency_id

            def in_euros(amount, currency=currency):
                # L622-25: a claim in another currency, at the rate of the judgment's day.
                return currency._convert(amount, euro, company, judgment) if currency != euro else amount

            if move.move_type == "out_refund":
                principal, interest, indemnity, later = -move.amount_residual, 0.0, 0.0, []
            else:
                principal, later = 0.0, []
                for inst in instalments.get(move.id, ()):
                    left = inst.amount - sum(paid for pay_date, paid in inst.payments if pay_date < judgment)
                    if currency.is_zero(left):
                        continue
                    if inst.due < judgment:
                        principal += left
                    else:
                        later.append((inst.due, left))
                penalty = penalties[move.id]
                interest, indemnity = penalty["interest"], penalty["indemnity"]
                if penalty.get("rates_missing_from"):
                    missing_rates.append(penalty["rates_missing_from"])
            if currency.is_zero(principal) and not later and not interest and not indemnity:
                continue
            line = {
                "move": move,
                "currency": currency,
                "principal": principal,
                "interest": interest,
                "indemnity": indemnity,
                "due": principal + interest + indemnity,
                "later": sum(amount for _due, amount in later),
                "disputed": move.fr_dunning_blocked in ("dispute", "litigation"),
            }
            line["euros"] = {
                key: in_euros(line[key]) for key in ("principal", "interest", "indemnity", "due", "later")
            }
            for key in totals:
                totals[key] += line["euros"][key]
            lines.append(line)
            to_fall_due += [(due, move, amount, in_euros(amount)) for due, amount in later]
        # R622-23 3°: the claim in litigation, and where.
        litigations = self.env["fr.dunning.litigation"].search(
            [("move_ids", "in", invoices.ids), ("state", "=", "open")]
        )
        formats = LangFormats(self.env)
        totals = {key: euro.round(value) for key, value in totals.items()}
        to_fall_due.sort(key=lambda item: (item[0], item[1].id))
        later_items = []
        for due, move, _amount, euros in to_fall_due:
            later_items.append(
                self.env._(
                    "%(amount)s on %(date)s (%(invoice)s)",
                    amount=formats.amount(euros, euro),
                    date=formats.date(due),
                    invoice=move.name,
                )
            )
        responsible = self.env["fr.dunning.escalation"]._responsible(partner, company)
        signatory_name, signatory_title = self.env["fr.dunning.event"]._fr_dunning_signatory(
            company, responsible
        )
        return {
            "amount_due_html": self.env._(
                "Amount of the claim due on %(date)s: %(amount)s.",
                date=formats.date(judgment, "long"),
                amount=formats.amount(totals["due"], euro),
            ),
            "to_fall_due_html": self.env._(
                "Amounts to fall due, declared with their dates: %(items)s.", items="; ".join(later_items)
            ),
            "partner": partner,
            "judgment": judgment,
            "interest_to": law.interest_last_day(judgment),
            "deadline": partner.fr_dunning_claims_deadline,
            "lines": lines,
            "to_fall_due": to_fall_due,
            "totals": totals,
            "foreign": any(line["currency"] != euro for line in lines),
            "rates_missing_from": min(missing_rates, default=None),
            "disputed": any(line["disputed"] for line in lines),
            "litigations": litigations,
            "today": fields.Date.context_today(self),
            "responsible": responsible,
            # Signed as the letters are: the company's signatory, else the responsible.
            "signatory_name": signatory_name,
            "signatory_title": signatory_title,
        }
