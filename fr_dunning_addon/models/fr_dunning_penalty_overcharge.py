# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Interest charged on sums since paid, and given back.

Late-payment penalties are owed on the sums remaining due only (Code de
commerce L441-10 II): a creditor may not keep interest computed on what the
customer had already paid. When a payment registered after a penalty invoice
is dated inside a period that invoice charged, the periods already charged
are computed again with the payments known today (the engine's amounts due,
day by day) and compared with what was charged: the difference is given back
by the next billing, and recorded (fr.dunning.penalty, kind
``interest_refund``) against the period it corrects, so that it is never
given back twice.
"""

from collections import defaultdict
from datetime import timedelta
from itertools import pairwise

from odoo import api, fields, models
from odoo.tools import float_compare, float_round

from . import fr_dunning_law as law

ONE_DAY = timedelta(days=1)


def overcharged_pieces(date_from, date_to, charged_base, owed, given, rounding):
    """The days of a period charged on ``charged_base`` on which less was due.

    :param owed: [(from, to, base)]: the amount due day by day, as known today
        (a day no piece covers: nothing was due, the invoice being paid).
    :param given: [(from, to, base)]: the sums already given back for this
        period, so that they are not given back twice.
    :param rounding: the currency's rounding.
    :returns: [(from, to, excess)]: the runs of days on which ``excess`` (the
        sums already paid, not yet given back) was charged, excess > 0.
    """
    cuts = {date_from, date_to + ONE_DAY}
    for start, end, _base in (*owed, *given):
        for day in (start, end + ONE_DAY):
            if date_from < day <= date_to:
                cuts.add(day)
    cuts = sorted(cuts)
    pieces = []
    for start, stop in pairwise(cuts):
        due = next((base for first, last, base in owed if first <= start <= last), 0.0)
        back = sum(base for first, last, base in given if first <= start <= last)
        # Never more than what was charged; what was due beyond it is not billed again.
        excess = float_round(max(charged_base - max(due, 0.0), 0.0) - back, precision_rounding=rounding)
        if pieces and pieces[-1][2] == excess:
            pieces[-1][1] = stop - ONE_DAY
        else:
            pieces.append([start, stop - ONE_DAY, excess])
    return [
        (start, end, excess)
        for start, end, excess in pieces
        if float_compare(excess, 0.0, precision_rounding=rounding) > 0
    ]


class AccountMove(models.Model):
    _inherit = "account.move"

    fr_dunning_interest_overcharged = fields.Monetary(
        string="Interest to give back",
        currency_field="currency_id",
        compute="_compute_fr_dunning_interest_overcharged",
        groups="fr_dunning_addon.group_fr_dunning_user,account.group_account_readonly",
        help="Interest already billed on sums the customer had paid (a payment dated inside a "
        "period already billed): the next penalty billing gives it back.",
    )

    fr_dunning_give_back_void = fields.Monetary(
        string="Give-backs to take back",
        currency_field="currency_id",
        compute="_compute_fr_dunning_interest_overcharged",
        groups="fr_dunning_addon.group_fr_dunning_user,account.group_account_readonly",
        help="Interest given back on a penalty invoice cancelled since: that interest is no longer "
        "billed, so the give-back counts in no claim, and the next penalty billing takes it back.",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends("state", "amount_residual", "fr_dunning_penalty_ids")
    def _compute_fr_dunning_interest_overcharged(self):
        # Depends on the payments known today: never stored.
        charged = self.filtered(
            lambda m: (
                m.id and m.move_type == "out_invoice" and m.state == "posted" and m.fr_dunning_penalty_ids
            )
        )
        overcharges = charged._fr_dunning_overcharges(strict=False) if charged else {}
        take_backs = charged._fr_dunning_take_backs() if charged else {}
        for move in self:
            move.fr_dunning_interest_overcharged = sum(
                give_back["amount"] for give_back in overcharges.get(move.id, [])
            )
            move.fr_dunning_give_back_void = -sum(record.amount for record in take_backs.get(move.id, ()))

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _fr_dunning_overcharges(self, strict=True):
        """The interest charged on the invoices of ``self`` on sums since paid,
        not given back yet.

        :param strict: see _fr_dunning_penalties. When False, days in semesters
            whose rates are missing are left out.
        :returns: {invoice id: [{"penalty": the fr.dunning.penalty charged,
            "date_from", "date_to", "days", "base" (the sums already paid),
            "annual_rate" (the rate charged), "amount" (> 0, to give back)}]},
            for the invoices that have some.
        """
        records = (
            self.env["fr.dunning.penalty"]
            .sudo()
            .search(
                [
                    ("invoice_id", "in", self.ids),
                    ("kind", "in", ("interest", "interest_refund")),
                    ("penalty_move_id.state", "!=", "cancel"),
                ],
                order="id",
            )
        )
        charged = records.filtered(lambda r: r.kind == "interest" and r.invoice_id.state == "posted")
        if not charged:
            return {}
        given = defaultdict(list)
        for record in records - charged:
            given[record.refunded_penalty_id.id].append((record.date_from, record.date_to, record.base))
        invoices = self.browse(charged.invoice_id.ids)
        owed = invoices._fr_dunning_owed(max(charged.mapped("date_to")), strict)
        result = defaultdict(list)
        for penalty in charged:
            pieces, known_to = owed[penalty.invoice_id.id]
            date_to = min(penalty.date_to, known_to) if known_to else penalty.date_to
            if date_to < penalty.date_from:
                continue
            currency = penalty.currency_id
            for start, end, excess in overcharged_pieces(
                penalty.date_from,
                date_to,
                penalty.base,
                pieces,
                given[penalty.id],
                currency.rounding,
            ):
                days = (end - start).days + 1
                amount = currency.round(law.simple_interest(excess, penalty.annual_rate, days))
                if currency.is_zero(amount):
                    continue
                result[penalty.invoice_id.id].append(
                    {
                        "penalty": penalty,
                        "date_from": start,
                        "date_to": end,
                        "days": days,
                        "base": excess,
                        "annual_rate": penalty.annual_rate,
                        "amount": amount,
                    }
                )
        return dict(result)

    def _fr_dunning_take_backs(self):
        """{invoice id: fr.dunning.penalty}: the void give-backs of the
        invoices of ``self`` not taken back yet (see
        fr.dunning.penalty._void), for the invoices that have some. The
        interest a cancelled penalty invoice billed is billed no more: what a
        give-back gave back of it was given back twice, and the next billing
        takes it back (a line of kind ``give_back_reversal``), once."""
        give_backs = (
            self.env["fr.dunning.penalty"]
            .sudo()
            .search(
                [
                    ("invoice_id", "in", self.ids),
                    ("kind", "=", "interest_refund"),
                    ("penalty_move_id.state", "!=", "cancel"),
                    ("refunded_penalty_id.penalty_move_id.state", "=", "cancel"),
                ],
                order="id",
            )
        )
        to_take_back = give_backs._to_take_back()
        return {invoice.id: records for invoice, records in to_take_back.grouped("invoice_id").items()}

    def _fr_dunning_owed(self, at_date, strict):
        """{invoice id: ([(from, to, base)], known to)}: what each invoice of
        self owed day by day up to ``at_date``, as the engine computes it with
        today's payments (its interest pieces: an invoice paid in full owes
        nothing after its payment); ``known to`` is the last day known when a
        semester's rates are missing (``strict`` False), else None.

        An invoice whose customer is in collective proceedings owed interest
        up to the day before the opening judgment only (Code de commerce
        L622-28): the engine computes it so."""
        results = self._fr_dunning_penalties(at_date=at_date, strict=strict)
        return {
            move_id: (
                [(line["date_from"], line["date_to"], line["base"]) for line in result["lines"]],
                result.get("rates_missing_from") and result["rates_missing_from"] - ONE_DAY,
            )
            for move_id, result in results.items()
        }

    def _fr_dunning_give_back_invoices(self):
        """The invoices whose overcharged interest a billing of ``self`` gives
        back: self, and the other invoices with interest charged of the same
        customers in the same companies (an invoice paid in full since is no
        longer chased, but its customer's next billing still gives back)."""
        if not self:
            return self
        charged = (
            self.env["fr.dunning.penalty"]
            .sudo()
            ._read_group(
                [
                    # A give-back too: one whose penalty invoice was cancelled is taken back.
                    ("kind", "in", ("interest", "interest_refund")),
                    ("company_id", "in", self.company_id.ids),
                    ("invoice_id.commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("penalty_move_id.state", "!=", "cancel"),
                ],
                ["invoice_id"],
            )
        )
        pairs = {(move.company_id, move.commercial_partner_id) for move in self}
        others = self.browse(
            [
                invoice.id
                for [invoice] in charged
                if (invoice.company_id, invoice.commercial_partner_id) in pairs
            ]
        )
        return self | others
