# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, float_round, format_date, formatLang

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_MANAGER, GROUP_USER, guarded
from .fr_dunning_evidence import history_writers


def paid_date_sql(alias):
    """SQL: the day the invoice ``alias`` (an account_move alias) was fully paid,
    its receivable's latest reconciliation; NULL while it is not. Shared by
    the customers' payment behaviour and the recovery rates."""
    return SQL(
        """(SELECT MAX(part.max_date)
              FROM account_move_line paid_line
              JOIN account_partial_reconcile part ON part.debit_move_id = paid_line.id
             WHERE paid_line.move_id = %s.id
               AND paid_line.display_type = 'payment_term'
               AND %s.payment_state IN ('paid', 'in_payment'))""",
        SQL.identifier(alias),
        SQL.identifier(alias),
    )


# Set by the addon's flows only (as superuser), never by a user's write: they
# pause the chasing, move the prescription or record what was sent. A user may
# only exclude an invoice from chasing by hand, or include it again.
FLOW_FIELDS = frozenset(
    {
        "fr_dunning_formal_notice_date",
        "fr_dunning_is_penalty_invoice",
        "fr_dunning_level_id",
        "fr_dunning_last_date",
        "fr_dunning_next_date",
        "fr_dunning_count",
        "fr_dunning_event_ids",
        "fr_dunning_prescription_date",
        "fr_dunning_prescription_warned",
        "fr_dunning_penalty_ids",
    }
)
MANUAL_PAUSES = (False, "excluded")

# Code civil 2240 and 2241: what interrupts the prescription (a formal notice does not).
INTERRUPTING_EVENTS = ("acknowledgement", "legal_action")


class AccountMove(models.Model):
    _inherit = "account.move"

    # The level and the formal notice date are written by the escalation in one
    # statement for thousands of invoices (the addon's own columns): not tracked
    # in the invoice's chatter, since the invoice's dunning events (its "Late
    # payment" tab) are their history, and evidence.
    fr_dunning_formal_notice_date = fields.Date(
        string="Formal notice date",
        copy=False,
        help="Date of the mise en demeure. For a consumer, legal-rate interest runs from this "
        "date only (Code civil 1231-6).",
    )
    fr_dunning_is_penalty_invoice = fields.Boolean(
        string="Penalty invoice",
        copy=False,
        readonly=True,
        help="An invoice of late-payment penalties: it bears no penalties itself (Code civil "
        "1343-2 forbids interest on interest but by contract or judgment).",
    )
    fr_dunning_level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        string="Dunning level",
        copy=False,
        index=True,
        readonly=True,
        help="The last dunning level this invoice reached.",
    )
    fr_dunning_last_date = fields.Date(
        string="Last reminder",
        copy=False,
        readonly=True,
    )
    fr_dunning_next_date = fields.Date(
        string="Next dunning action",
        copy=False,
        index=True,
        readonly=True,
        help="When the next level is due (its offset from the due date, or the minimum "
        "interval since the last communication).",
    )
    fr_dunning_count = fields.Integer(
        string="Reminders sent",
        copy=False,
        readonly=True,
    )
    fr_dunning_event_ids = fields.Many2many(
        comodel_name="fr.dunning.event",
        relation="fr_dunning_event_account_move_rel",
        column1="move_id",
        column2="event_id",
        string="Dunning events",
        copy=False,
        readonly=True,
    )
    fr_dunning_prescription_date = fields.Date(
        string="Prescription date",
        compute="_compute_fr_dunning_prescription_date",
        store=True,
        index=True,
        help="The last day the claim can be brought to court: 5 years from the due date between "
        "traders (Code de commerce L110-4), 2 years for a consumer (Code de la consommation "
        "L218-2); an acknowledgement of the debt or a legal action starts a new period.",
    )
    fr_dunning_prescription_warned = fields.Integer(
        string="Prescription warnings",
        copy=False,
        readonly=True,
        help="Prescription warnings given: 1 six months before, 2 one month before.",
    )
    fr_dunning_blocked = fields.Selection(
        selection=[
            ("dispute", "Dispute"),
            ("promise", "Promise to pay"),
            ("payment_plan", "Payment plan"),
            ("litigation", "Litigation"),
            ("proceedings", "Collective proceedings"),
            ("excluded", "Excluded by the accountant"),
        ],
        string="Dunning paused",
        copy=False,
        index=True,
        tracking=True,
        help="Any reason here stops every reminder on this invoice, until it is cleared.",
    )
    fr_dunning_blocked_note = fields.Char(
        string="Pause note",
        copy=False,
    )
    fr_dunning_penalty_ids = fields.One2many(
        comodel_name="fr.dunning.penalty",
        inverse_name="invoice_id",
        string="Penalties charged",
    )
    fr_dunning_days_late = fields.Integer(
        string="Days late",
        compute="_compute_fr_dunning_penalties",
        help="Calendar days since the due date, while the invoice is not paid.",
    )
    fr_dunning_interest_to_date = fields.Monetary(
        string="Late-payment interest to date",
        currency_field="currency_id",
        compute="_compute_fr_dunning_penalties",
        help="Interest accrued from the day after the due date to today, charged or not.",
    )
    fr_dunning_indemnity_due = fields.Monetary(
        string="Recovery indemnity due",
        currency_field="currency_id",
        compute="_compute_fr_dunning_penalties",
        help="The 40 EUR fixed indemnity (in the invoice currency) when not charged yet.",
    )
    fr_dunning_penalty_warning = fields.Char(
        string="Penalty warning",
        compute="_compute_fr_dunning_penalties",
    )
    fr_dunning_term_exceeded = fields.Boolean(
        string="Payment term beyond the legal limit",
        compute="_compute_fr_dunning_term_exceeded",
        help="Due more than 60 days after the invoice date, or 45 days end of month "
        "(Code de commerce L441-10 I).",
    )

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends(
        "state", "invoice_date_due", "amount_residual", "partner_id", "fr_dunning_formal_notice_date"
    )
    def _compute_fr_dunning_penalties(self):
        # Depends on today: never stored.
        today = fields.Date.context_today(self)
        late = self.filtered(
            lambda m: (
                m.id
                and m.move_type == "out_invoice"
                and m.state == "posted"
                and m.payment_state not in ("paid", "reversed")
                and m.invoice_date_due
                and m.invoice_date_due < today
            )
        )
        (self - late).update(
            {
                "fr_dunning_days_late": 0,
                "fr_dunning_interest_to_date": 0.0,
                "fr_dunning_indemnity_due": 0.0,
                "fr_dunning_penalty_warning": False,
            }
        )
        if not late:
            return
        for move in late:
            move.fr_dunning_days_late = (today - move.invoice_date_due).days
        results = late._fr_dunning_penalties(at_date=today, strict=False)
        for move in late:
            result = results[move.id]
            move.fr_dunning_interest_to_date = result["interest"]
            move.fr_dunning_indemnity_due = result["indemnity"]
            move.fr_dunning_penalty_warning = result["reason"]

    @api.depends(
        "move_type",
        "invoice_date_due",
        "commercial_partner_id.fr_dunning_is_consumer",
        "fr_dunning_event_ids.event_type",
        "fr_dunning_event_ids.date",
    )
    def _compute_fr_dunning_prescription_date(self):
        for move in self:
            if move.move_type != "out_invoice" or not move.invoice_date_due:
                move.fr_dunning_prescription_date = False
                continue
            interruptions = [
                fields.Date.context_today(move, event.date)
                for event in move.fr_dunning_event_ids
                if event.event_type in INTERRUPTING_EVENTS
            ]
            move.fr_dunning_prescription_date = law.prescription_date(
                move.invoice_date_due,
                move.commercial_partner_id.fr_dunning_is_consumer,
                max(interruptions, default=None),
            )

    @api.depends(
        "move_type", "invoice_date", "invoice_date_due", "commercial_partner_id.fr_dunning_is_consumer"
    )
    def _compute_fr_dunning_term_exceeded(self):
        for move in self:
            move.fr_dunning_term_exceeded = bool(
                move.move_type == "out_invoice"
                and move.invoice_date
                and move.invoice_date_due
                and not move.commercial_partner_id.fr_dunning_is_consumer
                and move.invoice_date_due > law.max_due_date(move.invoice_date)
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'account': the dunning state is the flows'.
        if not self.env.su:
            for vals in vals_list:
                self._fr_dunning_check_user_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'account': the dunning state is the flows'.
        if not self.env.su:
            self._fr_dunning_check_user_vals(vals)
            if {"fr_dunning_blocked", "fr_dunning_blocked_note"} & set(vals) and any(
                move.fr_dunning_blocked not in MANUAL_PAUSES for move in self
            ):
                raise UserError(
                    self.env._(
                        "This invoice is paused by a dispute, a promise, a payment plan, litigation or "
                        "collective proceedings: close that record to resume the chasing."
                    )
                )
        return super().write(vals)

    @api.model
    def _fr_dunning_check_user_vals(self, vals):
        """Refuse what a user may not write on an invoice's dunning state."""
        if FLOW_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "The dunning state of an invoice (%(fields)s) is set by the dunning actions only.",
                    fields=", ".join(sorted(FLOW_FIELDS & set(vals))),
                )
            )
        if "fr_dunning_blocked" in vals and vals["fr_dunning_blocked"] not in MANUAL_PAUSES:
            raise AccessError(
                self.env._(
                    "Open a dispute, a promise, a payment plan or a litigation to pause the chasing "
                    "for that reason: its record is the evidence of the pause."
                )
            )

    def _post(self, soft=True):
        # EXTENDS 'account': the legal payment term between businesses.
        self._fr_dunning_check_payment_terms(block_only=True)
        posted = super()._post(soft=soft)
        posted._fr_dunning_check_payment_terms(block_only=False)
        return posted

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_follow_up(self):
        """The customer's dunning follow-up (smart button of the invoice)."""
        return self.commercial_partner_id[:1].action_fr_dunning_follow_up()

    @guarded(GROUP_MANAGER, "read")
    def action_fr_dunning_acknowledgement(self):
        """Record the customer's written acknowledgement of these invoices."""
        return self.env["fr.dunning.acknowledgement"]._open(self)

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_penalty_wizard(self):
        """Open the penalty invoice wizard on the selected late invoices."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bill late-payment penalties"),
            "res_model": "fr.dunning.penalty.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": [Command.set(self.ids)]},
        }

    # ------------------------------------------------------------------
    # Business: the penalty engine
    # ------------------------------------------------------------------

    @guarded(GROUP_USER, "read")
    def compute_fr_late_penalties(self, at_date=None, uncharged_only=False, strict=True):
        """Late-payment penalties of customer invoices (see _fr_dunning_penalties),
        for a dunning user who may read them: reachable over RPC, so the group
        and the invoices' access rules (their company) are checked before the
        engine reads anything in SQL."""
        return self._fr_dunning_penalties(at_date=at_date, uncharged_only=uncharged_only, strict=strict)

    def _fr_dunning_penalties(self, at_date=None, uncharged_only=False, strict=True):
        """Late-payment penalties of customer invoices, in each invoice's currency.

        :param at_date: the day to compute to (default: today). For an invoice
            paid in full, interest stops on the day of the payment.
        :param uncharged_only: leave out what a penalty invoice already charged
            (interest periods up to the last one charged, the indemnity).
        :param strict: raise when the legal rates of a needed semester are
            missing (default). When False, interest stops before that semester
            and ``reason`` says which rates are missing (for display only).
        :returns: {invoice id: {
                "lines": [{"date_from", "date_to", "days", "base", "annual_rate", "amount"}],
                "interest": sum of the lines' amounts,
                "indemnity": the recovery indemnity due (0 when not owed or charged),
                "days_late": calendar days from the due date to at_date or payment,
                "currency": res.currency,
                "reason": why nothing is owed (consumer without formal notice...) or False,
            }}
            Every invoice of ``self`` has an entry; those not late have no line.
        :raises UserError: when the legal rates of a needed semester are missing
            (``strict``).
        """
        at_date = at_date or fields.Date.context_today(self)
        if not self:
            return {}
        self._fr_dunning_flush()
        # One query for every invoice of self, late or not: no ORM read per record.
        currency_of = dict(
            self.env.execute_query(
                SQL("SELECT id, currency_id FROM account_move WHERE id = ANY(%s)", self.ids)
            )
        )
        currencies = {cur.id: cur for cur in self.env["res.currency"].browse(set(currency_of.values()))}
        results = {
            move_id: {
                "lines": [],
                "interest": 0.0,
                "indemnity": 0.0,
                "days_late": 0,
                "currency": currencies[currency_id],
                "reason": False,
            }
            for move_id, currency_id in currency_of.items()
        }
        rows = self._fr_dunning_penalty_rows(at_date)
        if not rows:
            return results
        move_ids = [row["id"] for row in rows]
        payments = self._fr_dunning_payments(move_ids)
        charged = self._fr_dunning_charged(move_ids) if uncharged_only else {}
        rates = {
            rate.date_start: (rate.ecb_rate, rate.legal_rate_other)
            for rate in self.env["fr.dunning.legal.rate"].search([])
        }
        roundings = {currency_id: currency.rounding for currency_id, currency in currencies.items()}
        reasons = {
            "proceedings": self.env._("Customer in collective proceedings: no penalty."),
            "no_notice": self.env._("Consumer: interest runs from the formal notice only."),
        }
        indemnities = {}
        for row in rows:
            result = results[row["id"]]
            self._fr_dunning_penalties_of(
                row,
                payments.get(row["id"], []),
                charged,
                rates,
                roundings[row["currency_id"]],
                at_date,
                result,
                reasons,
                strict,
            )
            if result["indemnity"] is None:
                key = (row["currency_id"], row["company_id"])
                if key not in indemnities:
                    indemnities[key] = self._fr_dunning_indemnity_amount(
                        currencies[row["currency_id"]], row["company_id"], at_date
                    )
                result["indemnity"] = indemnities[key]
        return results

    @api.model
    def _fr_dunning_flush(self):
        """Write pending changes of the columns the engine reads in SQL."""
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "invoice_date_due",
                "amount_total",
                "currency_id",
                "company_id",
                "commercial_partner_id",
                "fr_dunning_formal_notice_date",
                "fr_dunning_is_penalty_invoice",
            ]
        )
        self.env["res.partner"].flush_model(
            ["fr_dunning_is_consumer", "fr_dunning_contractual_rate", "fr_dunning_proceedings_date"]
        )
        self.env["res.company"].flush_model(["fr_dunning_contractual_rate"])
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move.line"].flush_model(["move_id", "display_type", "date"])

    def _fr_dunning_penalty_rows(self, at_date):
        """The late customer invoices of self that may bear penalties, in one query."""
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT m.id, m.company_id, m.currency_id, m.invoice_date_due, m.amount_total,
                       m.fr_dunning_formal_notice_date AS notice_date,
                       COALESCE(p.fr_dunning_is_consumer, FALSE) AS is_consumer,
                       p.fr_dunning_contractual_rate AS partner_rate,
                       p.fr_dunning_proceedings_date AS proceedings_date,
                       c.fr_dunning_contractual_rate AS company_rate
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.commercial_partner_id
                  JOIN res_company c ON c.id = m.company_id
                 WHERE m.id = ANY(%(ids)s)
                   AND m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.invoice_date_due < %(at_date)s
                   AND NOT COALESCE(m.fr_dunning_is_penalty_invoice, FALSE)
                 ORDER BY m.id
                """,
                ids=self.ids,
                at_date=at_date,
            )
        )

    def _fr_dunning_payments(self, move_ids):
        """{invoice id: [(date, amount in invoice currency)]}: what reduced each
        invoice's receivable (payments, credit notes), dated by the counterpart."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT line.move_id, counterpart.date, SUM(partial.debit_amount_currency)
                  FROM account_move_line line
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
                  JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
                 WHERE line.move_id = ANY(%(ids)s)
                   AND line.display_type = 'payment_term'
                 GROUP BY line.move_id, counterpart.date
                 ORDER BY line.move_id, counterpart.date
                """,
                ids=move_ids,
            )
        )
        payments = defaultdict(list)
        for move_id, pay_date, amount in rows:
            payments[move_id].append((pay_date, amount))
        return payments

    def _fr_dunning_charged(self, move_ids):
        """{(invoice id, kind): last day charged} for penalty invoices not cancelled."""
        groups = self.env["fr.dunning.penalty"]._read_group(
            [("invoice_id", "in", move_ids), ("penalty_move_id.state", "!=", "cancel")],
            ["invoice_id", "kind"],
            ["date_to:max", "__count"],
        )
        return {(invoice.id, kind): date_to or True for invoice, kind, date_to, _count in groups}

    @api.model
    def _fr_dunning_penalties_of(
        self, row, payments, charged, rates, rounding, at_date, result, reasons, strict
    ):
        """Fill ``result`` with the penalties of one invoice (see _fr_dunning_penalties).

        Works on plain values only (rates as (ECB, legal rate) tuples, the
        currency's rounding): it runs once per invoice. Also sets
        ``computed_to``, the last day the amounts are computed to, and, when a
        semester's rates are missing, ``rates_missing_from``, its first day."""
        total = row["amount_total"]
        due = row["invoice_date_due"]
        # Interest stops when the invoice is paid in full.
        end = at_date
        paid = 0.0
        for pay_date, amount in payments:
            paid += amount
            if float_compare(paid, total, precision_rounding=rounding) >= 0:
                end = min(end, pay_date)
                break
        result["days_late"] = max((end - due).days, 0)
        # The day the amounts are computed to; earlier when a semester's rates are missing.
        result["computed_to"] = end
        if row["proceedings_date"] and row["proceedings_date"] <= at_date:
            # Code de commerce L622-28: the opening judgment of collective
            # proceedings stops interest; the addon then computes no penalty.
            result["reason"] = reasons["proceedings"]
            return
        if row["is_consumer"]:
            # Code civil 1231-6 and 1344: a consumer owes legal-rate interest from
            # the formal notice only; no 40 EUR indemnity (D441-5 is for businesses).
            if not row["notice_date"]:
                result["reason"] = reasons["no_notice"]
                return
            start_after = max(due, row["notice_date"])
        else:
            start_after = due
            # Code de commerce D441-5: 40 EUR per late invoice, charged once.
            if not charged.get((row["id"], "indemnity")) and end > due:
                result["indemnity"] = None  # converted by the caller, once per currency
        date_from = start_after + timedelta(days=1)
        last_charged = charged.get((row["id"], "interest"))
        if last_charged and last_charged is not True:
            date_from = max(date_from, last_charged + timedelta(days=1))
        if date_from > end:
            return
        contractual = row["partner_rate"] or row["company_rate"] or 0.0
        for piece_from, piece_to, base in self._fr_dunning_base_pieces(total, payments, date_from, end):
            if result["reason"]:
                break
            if float_compare(base, 0.0, precision_rounding=rounding) <= 0:
                continue
            for sem_from, sem_to in law.split_by_semester(piece_from, piece_to):
                semester = rates.get(law.semester_start(sem_from))
                if not semester:
                    message = self.env["fr.dunning.legal.rate"]._missing_message(law.semester_start(sem_from))
                    if strict:
                        raise UserError(message)
                    # Interest stops before the first semester without rates.
                    result["reason"] = message
                    result["computed_to"] = sem_from - timedelta(days=1)
                    result["rates_missing_from"] = law.semester_start(sem_from)
                    break
                ecb_rate, legal_rate = semester
                if row["is_consumer"]:
                    # Code monétaire et financier L313-2: the creditor is a business,
                    # so the "other cases" legal rate applies.
                    annual_rate = legal_rate
                else:
                    annual_rate = law.b2b_annual_rate(ecb_rate, legal_rate, contractual)
                days = (sem_to - sem_from).days + 1
                amount = float_round(
                    law.simple_interest(base, annual_rate, days), precision_rounding=rounding
                )
                result["lines"].append(
                    {
                        "date_from": sem_from,
                        "date_to": sem_to,
                        "days": days,
                        "base": base,
                        "annual_rate": annual_rate,
                        "amount": amount,
                    }
                )
        result["interest"] = float_round(
            sum(line["amount"] for line in result["lines"]), precision_rounding=rounding
        )

    @api.model
    def _fr_dunning_base_pieces(self, total, payments, date_from, date_to):
        """Cut [date_from, date_to] where the amount due changes.

        A payment made on day P reduces the base from P + 1; payments made
        before date_from reduce it from the start. Yields (from, to, base)."""
        base = total - sum(amount for pay_date, amount in payments if pay_date < date_from)
        reductions = defaultdict(float)
        for pay_date, amount in payments:
            if date_from <= pay_date < date_to:
                reductions[pay_date + timedelta(days=1)] += amount
        start = date_from
        for cut in sorted(reductions):
            yield start, cut - timedelta(days=1), base
            base -= reductions[cut]
            start = cut
        yield start, date_to, base

    @api.model
    def _fr_dunning_indemnity_amount(self, currency, company_id, at_date):
        """The 40 EUR of D441-5 in ``currency``, at the rate of ``at_date``."""
        eur = self.env.ref("base.EUR")
        if currency == eur:
            return law.RECOVERY_INDEMNITY_EUR
        company = self.env["res.company"].browse(company_id)
        return eur._convert(law.RECOVERY_INDEMNITY_EUR, currency, company, at_date)

    # ------------------------------------------------------------------
    # Business: penalty invoices
    # ------------------------------------------------------------------

    def _fr_dunning_create_penalty_invoices(
        self, at_date=None, with_interest=True, with_indemnity=True, complementary=None
    ):
        """Create one draft penalty invoice per customer, company and currency.

        :param complementary: {invoice id: (amount, justification)}: a complementary
            indemnity, when recovery costs above 40 EUR are justified (L441-10 II).
        :returns: the penalty invoices (account.move).
        """
        at_date = at_date or fields.Date.context_today(self)
        complementary = complementary or {}
        results = self._fr_dunning_penalties(at_date=at_date, uncharged_only=True)
        groups = defaultdict(lambda: self.env["account.move"])
        for move in self.sorted(lambda m: (m.invoice_date_due, m.id)):
            groups[(move.company_id, move.commercial_partner_id, move.currency_id)] |= move
        vals_list, penalties_per_invoice = [], []
        active_langs = {code for code, _name in self.env["res.lang"].get_installed()}
        for (company, partner, currency), moves in groups.items():
            interest_account, indemnity_account = company._fr_dunning_penalty_accounts()
            lang = partner.lang if partner.lang in active_langs else self.env.lang
            lang_env = self.with_context(lang=lang).with_company(company).env
            lines, penalties = [], []
            for move in moves:
                result = results[move.id]
                if with_interest and result["lines"]:
                    self._fr_dunning_require_account(interest_account, company)
                    for line in result["lines"]:
                        lines.append(move._fr_dunning_interest_line_vals(lang_env, line, interest_account))
                        penalties.append({"kind": "interest", "invoice_id": move.id, **line})
                if with_indemnity and result["indemnity"]:
                    self._fr_dunning_require_account(indemnity_account, company)
                    lines.append(
                        move._fr_dunning_indemnity_line_vals(
                            lang_env, result["indemnity"], indemnity_account, complementary=False
                        )
                    )
                    penalties.append(
                        {"kind": "indemnity", "invoice_id": move.id, "amount": result["indemnity"]}
                    )
                extra = complementary.get(move.id)
                if extra and extra[0] > 0:
                    self._fr_dunning_require_account(indemnity_account, company)
                    lines.append(
                        move._fr_dunning_indemnity_line_vals(
                            lang_env, extra[0], indemnity_account, complementary=extra[1]
                        )
                    )
                    penalties.append({"kind": "complementary", "invoice_id": move.id, "amount": extra[0]})
            if not lines:
                continue
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "invoice_date": at_date,
                    "invoice_origin": ", ".join(moves.mapped("name"))[:256],
                    "narration": lang_env._(
                        "Late-payment penalties and recovery indemnities are outside the scope of VAT."
                    ),
                    "invoice_line_ids": [Command.create(line) for line in lines],
                }
            )
            penalties_per_invoice.append((company, currency, penalties))
        if not vals_list:
            raise UserError(
                self.env._(
                    "Nothing to charge on %(date)s: these invoices are not late, already charged, "
                    "or bear no penalty (consumer without formal notice, collective proceedings).",
                    date=format_date(self.env, at_date),
                )
            )
        penalty_moves = self.env["account.move"].create(vals_list)
        # Marked by this flow only: users cannot set the flag (see write).
        penalty_moves.sudo().write({"fr_dunning_is_penalty_invoice": True})
        penalty_vals = []
        for penalty_move, (company, currency, penalties) in zip(
            penalty_moves, penalties_per_invoice, strict=True
        ):
            product_lines = penalty_move.invoice_line_ids.sorted("sequence")
            for line, penalty in zip(product_lines, penalties, strict=True):
                penalty_vals.append(
                    {
                        **penalty,
                        "company_id": company.id,
                        "currency_id": currency.id,
                        "penalty_line_id": line.id,
                    }
                )
        # What was charged is recorded by this flow only: users cannot create it.
        self.env["fr.dunning.penalty"].sudo().create(penalty_vals)
        self._fr_dunning_log_penalty_invoices(penalty_moves)
        return penalty_moves

    def _fr_dunning_interest_line_vals(self, lang_env, line, account):
        self.ensure_one()
        label = lang_env._(
            "Late-payment penalties — invoice %(invoice)s — from %(date_from)s to %(date_to)s — "
            "%(days)s days at %(rate)s %%",
            invoice=self.name,
            date_from=format_date(lang_env, line["date_from"]),
            date_to=format_date(lang_env, line["date_to"]),
            days=line["days"],
            rate=formatLang(lang_env, line["annual_rate"], digits=2),
        )
        return {
            "name": label,
            "quantity": 1,
            "price_unit": line["amount"],
            "account_id": account.id,
            "tax_ids": [Command.clear()],
        }

    def _fr_dunning_indemnity_line_vals(self, lang_env, amount, account, complementary=False):
        self.ensure_one()
        if complementary:
            label = lang_env._(
                "Complementary recovery indemnity — invoice %(invoice)s — art. L441-10 of the Code "
                "de commerce — justification: %(reason)s",
                invoice=self.name,
                reason=complementary,
            )
        else:
            label = lang_env._(
                "Fixed indemnity for recovery costs — invoice %(invoice)s — art. L441-10 and D441-5 "
                "of the Code de commerce",
                invoice=self.name,
            )
        return {
            "name": label,
            "quantity": 1,
            "price_unit": amount,
            "account_id": account.id,
            "tax_ids": [Command.clear()],
        }

    @api.model
    def _fr_dunning_require_account(self, account, company):
        if not account:
            raise UserError(
                self.env._(
                    "Set the income accounts of late-payment penalties for %(company)s in "
                    "Accounting > Configuration > Settings > Customer dunning.",
                    company=company.name,
                )
            )

    def _fr_dunning_log_penalty_invoices(self, penalty_moves):
        """A dunning event and a chatter message per penalty invoice."""
        penalties = self.env["fr.dunning.penalty"].search([("penalty_move_id", "in", penalty_moves.ids)])
        by_penalty_move = penalties.grouped("penalty_move_id")
        event_vals, bodies = [], {}
        writer = history_writers(self.env)  # the history is written in the company's language
        for penalty_move in penalty_moves:
            late_moves = by_penalty_move[penalty_move].invoice_id
            lang_env = writer(penalty_move.company_id)[0]
            event_vals.append(
                {
                    "name": lang_env._(
                        "Penalty invoice for %(invoices)s", invoices=", ".join(late_moves.mapped("name"))
                    ),
                    "company_id": penalty_move.company_id.id,
                    "partner_id": penalty_move.commercial_partner_id.id,
                    "move_ids": [Command.set(late_moves.ids)],
                    "event_type": "penalty",
                    "channel": "manual",
                    "user_id": self.env.uid,
                    "currency_id": penalty_move.currency_id.id,
                    "amount_residual": penalty_move.amount_total,
                }
            )
            body = Markup(lang_env._("Late-payment penalties billed on %(link)s.")) % {
                "link": penalty_move._get_html_link()
            }
            bodies.update(dict.fromkeys(late_moves.ids, body))
        self.env["account.move"].browse(list(bodies))._message_log_batch(bodies=bodies)
        self.env["fr.dunning.event"]._fr_dunning_record(event_vals)

    # ------------------------------------------------------------------
    # Business: dunning levels
    # ------------------------------------------------------------------

    @api.model
    def _fr_dunning_open_domain(self, company=None, move_type="out_invoice", chaseable=False):
        """Posted customer documents still (partly) due, of ``company``; with
        ``chaseable``, only invoices the escalation may chase: not penalty
        invoices, not paused."""
        domain = [
            ("move_type", "in" if isinstance(move_type, tuple | list) else "=", move_type),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        if company:
            domain.append(("company_id", "=", company.id))
        if chaseable:
            domain += [("fr_dunning_is_penalty_invoice", "=", False), ("fr_dunning_blocked", "=", False)]
        return domain

    @api.model
    def _fr_dunning_chaseable_domain(self, company):
        """Invoices of ``company`` the escalation may chase: posted customer
        invoices still due, not penalty invoices, not paused, of customers
        neither excluded (in ``company``) nor in collective proceedings. Searched
        with ``company`` as the current company (the exclusion is per company)."""
        return [
            *self._fr_dunning_open_domain(company, chaseable=True),
            ("commercial_partner_id.fr_dunning_proceedings_date", "=", False),
            ("commercial_partner_id.fr_dunning_excluded", "!=", True),
        ]

    def _fr_dunning_chaseable(self):
        """The invoices of self the escalation may chase (in self's order), with
        one query per company."""
        allowed = set()
        for company in self.company_id:
            allowed.update(
                self.with_company(company)
                .search([("id", "in", self.ids), *self._fr_dunning_chaseable_domain(company)])
                .ids
            )
        return self.browse([move_id for move_id in self.ids if move_id in allowed])

    def _fr_dunning_due_levels(self, today=None, chaseable=False, rows=None):
        """{invoice id: fr.dunning.level} for the invoices of self whose next level
        is due on ``today``.

        The next level is the one after the invoice's current level in its
        customer's policy (one level per run); it is due once ``today`` reaches
        the due date plus the level's offset. A preventive level is skipped once
        the invoice is overdue. ``chaseable``: self is already filtered by
        _fr_dunning_chaseable(). ``rows``: (id, company id, commercial partner
        id, due date, level id) of self, when the caller has read them already.
        """
        today = today or fields.Date.context_today(self)
        result = {}
        moves_to_chase = self if chaseable else self._fr_dunning_chaseable()
        if not moves_to_chase:
            return result
        # Plain rows rather than records: this runs on every open invoice of a
        # company each night (45 000 in the benchmark).
        if rows is None:
            self.flush_model(
                ["company_id", "commercial_partner_id", "invoice_date_due", "fr_dunning_level_id"]
            )
            rows = self.env.execute_query(
                SQL(
                    "SELECT id, company_id, commercial_partner_id, invoice_date_due, fr_dunning_level_id "
                    "FROM account_move WHERE id = ANY(%s) ORDER BY id",
                    moves_to_chase.ids,
                )
            )
        rows_by_company = defaultdict(list)
        for row in rows:
            rows_by_company[row[1]].append(row)
        Level = self.env["fr.dunning.level"]
        for company_id, rows in rows_by_company.items():
            company = self.env["res.company"].browse(company_id)
            partner_ids = list({row[2] for row in rows})
            totals = {
                partner.id: amount
                for partner, amount in self._read_group(
                    [
                        *self._fr_dunning_open_domain(company),
                        ("commercial_partner_id", "in", partner_ids),
                        ("invoice_date_due", "<", today),
                    ],
                    ["commercial_partner_id"],
                    ["amount_residual_signed:sum"],
                )
            }
            policies = self.env["res.partner"].browse(partner_ids)._fr_dunning_policies(company, totals)
            levels_by_policy = {
                policy: [
                    (level, level.offset_days, level.tier) for level in policy.level_ids.sorted("offset_days")
                ]
                for policy in set(policies.values())
                if policy
            }
            current_offsets = {
                level.id: level.offset_days for level in Level.browse({row[4] for row in rows if row[4]})
            }
            for move_id, _company_id, partner_id, due, level_id in rows:
                policy = policies.get(partner_id)
                if not policy:
                    continue
                current = current_offsets.get(level_id)
                overdue = today > due
                for level, offset, tier in levels_by_policy[policy]:
                    if current is not None and offset <= current:
                        continue
                    if tier == "preventive" and overdue:
                        continue
                    if due + timedelta(days=offset) <= today:
                        result[move_id] = level
                    break
        return result

    def _fr_dunning_check_payment_terms(self, block_only):
        """Code de commerce L441-10 I: at most 60 days, or 45 days end of month."""
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
            limit = law.max_due_date(invoice_date)
            if move.invoice_date_due <= limit:
                continue
            message = self.env._(
                "Invoice %(invoice)s is due on %(due)s, beyond the legal limit of %(limit)s: between "
                "businesses, payment is due at most 60 days after the invoice date, or 45 days end "
                "of month (Code de commerce L441-10 I).",
                invoice=move.name if move.name and move.name != "/" else move.partner_id.display_name,
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

    @api.model
    def _cron_fr_dunning_prescription(self):
        """Activities for the dunning responsible of invoices that prescribe
        within 6 months, then within 1 month: each warning once."""
        today = fields.Date.context_today(self)
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("account.move")
        activity_vals = []
        for warning, months in ((1, 6), (2, 1)):
            horizon = today + relativedelta(months=months)
            moves = self.search(
                [
                    *self._fr_dunning_open_domain(),
                    ("fr_dunning_prescription_date", "<=", horizon),
                    ("fr_dunning_prescription_warned", "<", warning),
                ]
            )
            for move in moves:
                user = self.env["fr.dunning.escalation"]._responsible(
                    move.commercial_partner_id, move.company_id, move.invoice_user_id
                )
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": move.id,
                        "activity_type_id": todo_type.id,
                        "date_deadline": today,
                        "summary": self.env._(
                            "%(invoice)s prescribes on %(date)s",
                            invoice=move.name,
                            date=format_date(self.env, move.fr_dunning_prescription_date),
                        ),
                        "note": self.env._(
                            "After this date the claim can no longer be brought to court. Obtain a written "
                            "acknowledgement of the debt or start legal action before it."
                        ),
                        "user_id": user.id,
                    }
                )
            if moves:
                self.flush_model(["fr_dunning_prescription_warned"])
                self.env.cr.execute(
                    SQL(
                        "UPDATE account_move SET fr_dunning_prescription_warned = %s WHERE id = ANY(%s)",
                        warning,
                        moves.ids,
                    )
                )
                moves.invalidate_recordset(["fr_dunning_prescription_warned"])
        self.env["mail.activity"].sudo().create(activity_vals)
        return len(activity_vals)
