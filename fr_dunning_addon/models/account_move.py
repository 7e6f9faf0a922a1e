# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import uuid
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_MANAGER, GROUP_USER, guarded


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
        "fr_dunning_prescription_suspended",
        "fr_dunning_prescription_warned",
        "fr_dunning_litigation_ids",
        "fr_dunning_penalty_ids",
    }
)
MANUAL_PAUSES = (False, "excluded")
# An invoice still (partly) due. "In payment" is paid, awaiting the bank.
OPEN_PAYMENT_STATES = ("not_paid", "partial")


def create_due_date_column(cr):
    """account.move.fr_dunning_due_date, created and filled in one statement
    (at install, and on the update that adds it): the due date of the earliest
    instalment not reconciled, else the invoice's due date; the twin of
    ``_compute_fr_dunning_due_date``."""
    if column_exists(cr, "account_move", "fr_dunning_due_date"):
        return
    create_column(cr, "account_move", "fr_dunning_due_date", "date")
    cr.execute(
        SQL(
            """
            UPDATE account_move m
               SET fr_dunning_due_date = COALESCE(
                       (SELECT MIN(line.date_maturity)
                          FROM account_move_line line
                         WHERE line.move_id = m.id
                           AND line.display_type = 'payment_term'
                           AND NOT COALESCE(line.reconciled, FALSE)),
                       m.invoice_date_due)
             WHERE m.invoice_date_due IS NOT NULL
            """
        )
    )


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
    fr_dunning_due_date = fields.Date(
        string="Earliest unpaid due date",
        compute="_compute_fr_dunning_due_date",
        store=True,
        index=True,
        help="The due date of the earliest instalment still unpaid (the invoice's due date when "
        "it has one instalment): each instalment's date is a payment date written on the "
        "invoice (Code de commerce L441-10 II), so the chasing, the days late and the aged "
        "balance follow it.",
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
        "L218-2); an acknowledgement of the debt or a legal action starts a new period, a mediation "
        "or the small-claims procedure the debtor agreed to take part in suspends it (Code civil "
        "2238). Empty while the suspension lasts.",
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
    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends(
        "state", "fr_dunning_due_date", "amount_residual", "partner_id", "fr_dunning_formal_notice_date"
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
                and m.fr_dunning_due_date
                and m.fr_dunning_due_date < today
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
            move.fr_dunning_days_late = (today - move.fr_dunning_due_date).days
        results = late._fr_dunning_penalties(at_date=today, strict=False)
        for move in late:
            result = results[move.id]
            move.fr_dunning_interest_to_date = result["interest"]
            move.fr_dunning_indemnity_due = result["indemnity"]
            notes = [result["reason"]] if result["reason"] else []
            if result.get("floored"):
                # L441-10 II: the contractual rate below 3 x the legal rate of a semester.
                notes.append(
                    self.env._(
                        "Contractual rate raised to the legal floor (3 x the legal interest rate) "
                        "in %(semesters)s.",
                        semesters=", ".join(law.semester_label(start) for start in result["floored"]),
                    )
                )
            move.fr_dunning_penalty_warning = " ".join(notes) or False

    @api.depends(
        "invoice_date_due",
        "line_ids.display_type",
        "line_ids.date_maturity",
        "line_ids.reconciled",
    )
    def _compute_fr_dunning_due_date(self):
        # Twin of create_due_date_column's SQL.
        for move in self:
            unpaid = [
                line.date_maturity
                for line in move.line_ids
                if line.display_type == "payment_term" and line.date_maturity and not line.reconciled
            ]
            move.fr_dunning_due_date = min(unpaid, default=move.invoice_date_due)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _auto_init(self):
        # The new stored due date, filled in SQL rather than computed record by
        # record on an update (see create_due_date_column).
        create_due_date_column(self.env.cr)
        return super()._auto_init()

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
        # EXTENDS 'account': the legal payment term between businesses; the
        # portal link the reminders will give.
        self._fr_dunning_check_payment_terms(block_only=True)
        posted = super()._post(soft=soft)
        posted._fr_dunning_check_payment_terms(block_only=False)
        posted._fr_dunning_ensure_tokens()
        return posted

    def _fr_dunning_ensure_tokens(self):
        """Give the customer invoices of ``self`` that have none the portal
        access token of their link in the reminders, where the customer sees
        and pays them: one token per customer, since its reminders list them
        together. Through the ORM, one write per customer; only the token
        changes, so the lines are not synchronised again
        (``_portal_ensure_token`` writes one invoice at a time, 14 ms each for
        that synchronisation, which a first night would pay 45 000 times)."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and not m.access_token)
        writer = invoices.sudo().with_context(
            skip_invoice_sync=True,
            tracking_disable=True,
            # A token changes neither the lines nor the balance: no balance
            # check (one query per write), and the invoice is not marked as
            # modified by hand.
            check_move_validity=False,
            skip_is_manually_modified=True,
        )
        for partner_invoices in writer.grouped("commercial_partner_id").values():
            partner_invoices.write({"access_token": str(uuid.uuid4())})

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
    # Business: dunning levels
    # ------------------------------------------------------------------

    @api.model
    def _fr_dunning_open_domain(self, company=None, move_type="out_invoice", chaseable=False):
        """Posted customer documents still (partly) due, of ``company``; with
        ``chaseable``, only invoices the escalation may chase: not penalty
        invoices, not paused. The one definition of an open invoice, with its
        SQL twin _fr_dunning_open_sql (a test checks that they agree)."""
        domain = [
            ("move_type", "in" if isinstance(move_type, tuple | list) else "=", move_type),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]
        if company:
            domain.append(("company_id", "=", company.id))
        if chaseable:
            domain += [("fr_dunning_is_penalty_invoice", "=", False), ("fr_dunning_blocked", "=", False)]
        return domain

    @api.model
    def _fr_dunning_open_sql(self, alias):
        """_fr_dunning_open_domain (customer invoices, any company) as an SQL
        condition on the account_move row ``alias``, for the grouped reports."""
        return SQL(
            "%(move)s.move_type = 'out_invoice' AND %(move)s.state = 'posted' "
            "AND %(move)s.payment_state = ANY(%(states)s)",
            move=SQL.identifier(alias),
            states=list(OPEN_PAYMENT_STATES),
        )

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
                ["company_id", "commercial_partner_id", "fr_dunning_due_date", "fr_dunning_level_id"]
            )
            rows = self.env.execute_query(
                SQL(
                    "SELECT id, company_id, commercial_partner_id, fr_dunning_due_date, fr_dunning_level_id "
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
            # What each customer owes late (its late instalments), for the large-amount policy.
            totals = self._fr_dunning_late_totals(
                [
                    *self._fr_dunning_open_domain(company),
                    ("commercial_partner_id", "in", partner_ids),
                    ("fr_dunning_due_date", "<", today),
                ],
                today,
            )
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
