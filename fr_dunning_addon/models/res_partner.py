# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from . import fr_dunning_law as law
from .account_move import paid_date_sql
from .fr_dunning_access import GROUP_MANAGER, GROUP_USER, guarded
from .fr_dunning_claim_declaration import CLAIM_REPORT
from .fr_dunning_evidence import history_env, reader_env
from .fr_dunning_statement import ACCOUNT_STATEMENT_REPORT

# How far back the payment behaviour of a customer looks.
BEHAVIOUR_DAYS = 365


class ResPartner(models.Model):
    _inherit = "res.partner"

    fr_dunning_is_consumer = fields.Boolean(
        string="Consumer",
        compute="_compute_fr_dunning_is_consumer",
        store=True,
        readonly=False,
        help="An individual buying for private needs. Consumers owe no 40 EUR indemnity and no "
        "business late-payment penalties: only legal-rate interest from the formal notice "
        "(Code civil 1231-6). Defaults to 'not a company'.",
    )
    fr_dunning_contractual_rate = fields.Float(
        string="Contractual penalty rate (%)",
        digits=(6, 2),
        help="Annual late-payment penalty rate agreed with this customer. Empty: the company's "
        "rate, or by default the ECB rate + 10 points. Never below 3 x the legal interest rate.",
    )
    fr_dunning_public_buyer = fields.Selection(
        selection=[
            ("state", "State or local authority (30 days)"),
            ("health", "Public health establishment (50 days)"),
            ("company", "Public company (60 days)"),
        ],
        string="Public buyer",
        tracking=True,
        help="A buyer under the Code de la commande publique: at most 30, 50 or 60 days to pay "
        "(R2192-10); late payment bears moratory interest at the ECB rate of the semester it "
        "started in + 8 points, one rate for the whole delay (R2192-31), and the 40 EUR "
        "indemnity (D2192-35), owed without any claim.",
    )
    fr_dunning_proceedings_date = fields.Date(
        string="Collective proceedings since",
        tracking=True,
        help="Date of the judgment opening collective proceedings (sauvegarde, redressement or "
        "liquidation judiciaire). Interest stops the day before; what accrued until then, and the "
        "40 EUR of invoices due before it, are declared to the mandataire, never billed.",
    )
    fr_dunning_proceedings_type = fields.Selection(
        selection=[
            ("safeguard", "Safeguard (sauvegarde)"),
            ("receivership", "Receivership (redressement judiciaire)"),
            ("liquidation", "Liquidation (liquidation judiciaire)"),
        ],
        string="Collective proceedings",
        tracking=True,
    )
    fr_dunning_proceedings_court = fields.Char(
        string="Court",
        help="The court that opened the proceedings, e.g. Tribunal de commerce de Lyon.",
    )
    fr_dunning_proceedings_mandatary_id = fields.Many2one(
        comodel_name="res.partner",
        string="Administrator / mandataire",
        help="The mandataire judiciaire (or liquidator) to whom the claims are declared.",
    )
    fr_dunning_bodacc_date = fields.Date(
        string="BODACC publication",
        tracking=True,
        help="Publication of the opening judgment in the BODACC: the claims must be declared "
        "within two months of it.",
    )
    fr_dunning_claims_deadline = fields.Date(
        string="Claims declaration deadline",
        compute="_compute_fr_dunning_claims_deadline",
        store=True,
        help="Two months from the BODACC publication (Code de commerce L622-24 and R622-24).",
    )

    fr_dunning_policy_id = fields.Many2one(
        comodel_name="fr.dunning.policy",
        string="Dunning policy",
        company_dependent=True,
        help="The policy this customer follows in the current company. Empty: the large-amount "
        "policy above the company's threshold, else the company's default policy.",
    )
    fr_dunning_excluded = fields.Boolean(
        string="Excluded from automatic dunning",
        company_dependent=True,
        tracking=True,
        help="The nightly run never chases this customer; reminders can still be sent by hand.",
    )
    fr_dunning_responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Dunning responsible",
        company_dependent=True,
        help="Who calls this customer and decides on litigation. Empty: the salesperson.",
    )

    fr_dunning_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Dunning currency",
        compute="_compute_fr_dunning_follow_up",
    )
    fr_dunning_total_due = fields.Monetary(
        string="Total due",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
        help="What this customer still owes on its invoices in the current company, due or not.",
    )
    fr_dunning_total_overdue = fields.Monetary(
        string="Total overdue",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
        help="What this customer owes past due date in the current company, in its currency: the "
        "late instalments of its invoices (due before today).",
    )
    fr_dunning_not_due_amount = fields.Monetary(
        string="Not yet due",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
        help="What this customer owes on instalments due today or later, in the current company.",
    )
    fr_dunning_disputed_amount = fields.Monetary(
        string="In dispute",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
        help="What the customer owes on invoices in dispute (not chased), in the current company.",
    )
    fr_dunning_promised_amount = fields.Monetary(
        string="Under a promise to pay",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
        help="What the customer owes on invoices paused by a pending promise to pay.",
    )
    fr_dunning_plan_amount = fields.Monetary(
        string="In a payment plan",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
    )
    fr_dunning_litigation_amount = fields.Monetary(
        string="In litigation",
        currency_field="fr_dunning_currency_id",
        compute="_compute_fr_dunning_follow_up",
    )
    fr_dunning_oldest_days = fields.Integer(
        string="Oldest overdue (days)",
        compute="_compute_fr_dunning_follow_up",
    )
    fr_dunning_level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        string="Dunning level",
        compute="_compute_fr_dunning_follow_up",
        help="The most advanced level of the customer's open invoices.",
    )
    fr_dunning_next_date = fields.Date(
        string="Next dunning action",
        compute="_compute_fr_dunning_follow_up",
    )
    fr_dunning_effective_policy_id = fields.Many2one(
        comodel_name="fr.dunning.policy",
        string="Policy followed",
        compute="_compute_fr_dunning_follow_up",
        help="The policy set on the customer, else the large-amount policy above the company's "
        "threshold, else the company's default policy.",
    )
    fr_dunning_effective_responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        compute="_compute_fr_dunning_follow_up",
        help="The dunning responsible set on the customer, else its salesperson.",
    )
    fr_dunning_avg_days_late = fields.Float(
        string="Average days late",
        digits=(16, 1),
        compute="_compute_fr_dunning_behaviour",
        help="Over the invoices paid in the last 12 months: days between the due date and the "
        "last payment, 0 when paid on time.",
    )
    fr_dunning_avg_reminders = fields.Float(
        string="Reminders per invoice",
        digits=(16, 1),
        compute="_compute_fr_dunning_behaviour",
        help="Over the invoices paid in the last 12 months: reminders sent before they were paid.",
    )
    fr_dunning_paid_count = fields.Integer(
        string="Invoices paid (12 months)",
        compute="_compute_fr_dunning_behaviour",
    )
    fr_dunning_open_move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Open invoices and credit notes",
        compute="_compute_fr_dunning_open_moves",
    )
    fr_dunning_timeline_ids = fields.Many2many(
        comodel_name="fr.dunning.event",
        string="Dunning timeline",
        compute="_compute_fr_dunning_timeline",
    )
    fr_dunning_event_count = fields.Integer(
        string="Dunning events",
        compute="_compute_fr_dunning_timeline",
    )

    @api.depends_context("company")
    def _compute_fr_dunning_follow_up(self):
        # Depends on today: never stored. Three grouped reads for all of self.
        company = self.env.company
        today = fields.Date.context_today(self)
        Move = self.env["account.move"]
        commercial = self.commercial_partner_id
        open_domain = [
            *Move._fr_dunning_open_domain(company),
            ("commercial_partner_id", "in", commercial.ids),
        ]
        late_moves = Move.search([*open_domain, ("fr_dunning_due_date", "<", today)])
        # The late instalments only (account_move_overdue).
        late_amounts = defaultdict(float)
        split = late_moves._fr_dunning_overdue_split(today)
        for move in late_moves:
            late_amounts[move.commercial_partner_id.id] += split[move.id].late
        overdue = {
            partner.id: (company.currency_id.round(late_amounts[partner.id]), oldest, next_date)
            for partner, oldest, next_date in Move._read_group(
                [("id", "in", late_moves.ids)],
                ["commercial_partner_id"],
                ["fr_dunning_due_date:min", "fr_dunning_next_date:min"],
            )
        }
        by_reason = {}
        levels = {}
        for partner, reason, level, amount in Move._read_group(
            open_domain,
            ["commercial_partner_id", "fr_dunning_blocked", "fr_dunning_level_id"],
            ["amount_residual_signed:sum"],
        ):
            amounts = by_reason.setdefault(partner.id, {})
            amounts[reason] = amounts.get(reason, 0.0) + amount
            current = levels.get(partner.id)
            if level and (not current or level.offset_days > current.offset_days):
                levels[partner.id] = level
        policies = commercial._fr_dunning_policies(
            company, {partner_id: values[0] for partner_id, values in overdue.items()}
        )
        for partner in self:
            customer = partner.commercial_partner_id
            amount, oldest, next_date = overdue.get(customer.id, (0.0, False, False))
            amounts = by_reason.get(customer.id, {})
            partner.fr_dunning_currency_id = company.currency_id
            partner.fr_dunning_total_due = sum(amounts.values())
            partner.fr_dunning_total_overdue = amount
            partner.fr_dunning_not_due_amount = company.currency_id.round(sum(amounts.values()) - amount)
            partner.fr_dunning_disputed_amount = amounts.get("dispute", 0.0)
            partner.fr_dunning_promised_amount = amounts.get("promise", 0.0)
            partner.fr_dunning_plan_amount = amounts.get("payment_plan", 0.0)
            partner.fr_dunning_litigation_amount = amounts.get("litigation", 0.0)
            partner.fr_dunning_oldest_days = (today - oldest).days if oldest else 0
            partner.fr_dunning_level_id = levels.get(customer.id, False)
            partner.fr_dunning_next_date = next_date
            partner.fr_dunning_effective_policy_id = policies.get(customer.id, False)
            customer = customer.with_company(company)
            partner.fr_dunning_effective_responsible_id = (
                customer.fr_dunning_responsible_id or customer.user_id
            )

    @api.depends_context("company")
    def _compute_fr_dunning_behaviour(self):
        # One grouped query: each invoice paid in the period, its last payment
        # (latest reconciliation of its receivable lines) against its due date.
        today = fields.Date.context_today(self)
        commercial_ids = tuple(self.commercial_partner_id.ids) or (0,)
        self.env["account.move"].flush_model(
            ["commercial_partner_id", "payment_state", "invoice_date_due", "fr_dunning_count"]
        )
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT paid.partner_id,
                   AVG(GREATEST(paid.paid_date - paid.due_date, 0)),
                   AVG(paid.reminders),
                   COUNT(*)
              FROM (
                    SELECT move.commercial_partner_id AS partner_id,
                           move.invoice_date_due AS due_date,
                           COALESCE(move.fr_dunning_count, 0) AS reminders,
                           %(paid_date)s AS paid_date
                      FROM account_move move
                     WHERE move.move_type = 'out_invoice'
                       AND move.state = 'posted'
                       AND move.payment_state IN ('paid', 'in_payment')
                       AND move.company_id = %(company)s
                       AND move.commercial_partner_id IN %(partners)s
                   ) paid
             WHERE paid.paid_date > %(since)s
          GROUP BY paid.partner_id
                """,
                paid_date=paid_date_sql("move"),
                company=self.env.company.id,
                partners=commercial_ids,
                since=today - timedelta(days=BEHAVIOUR_DAYS),
            )
        )
        behaviour = {partner_id: (days, reminders, count) for partner_id, days, reminders, count in rows}
        for partner in self:
            days, reminders, count = behaviour.get(partner.commercial_partner_id.id, (0.0, 0.0, 0))
            partner.fr_dunning_avg_days_late = float(days or 0.0)
            partner.fr_dunning_avg_reminders = float(reminders or 0.0)
            partner.fr_dunning_paid_count = count

    @api.depends_context("company")
    def _compute_fr_dunning_open_moves(self):
        Move = self.env["account.move"]
        moves = Move.search(
            [
                *Move._fr_dunning_open_domain(self.env.company, move_type=("out_invoice", "out_refund")),
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ],
            order="fr_dunning_due_date, id",
        )
        for partner in self:
            partner.fr_dunning_open_move_ids = moves.filtered(
                lambda m, p=partner: m.commercial_partner_id == p.commercial_partner_id
            )

    @api.depends_context("company")
    def _compute_fr_dunning_timeline(self):
        events = self.env["fr.dunning.event"].search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
            ]
        )
        for partner in self:
            mine = events.filtered(lambda e, p=partner: e.partner_id == p.commercial_partner_id)
            partner.fr_dunning_timeline_ids = mine
            partner.fr_dunning_event_count = len(mine)

    # ------------------------------------------------------------------
    # Buttons of the follow-up form
    # ------------------------------------------------------------------
    @guarded(GROUP_USER, "read")
    def action_fr_dunning_follow_up(self):
        """Open the customer's follow-up (from the customer, an invoice, a list)."""
        customer = self.commercial_partner_id[:1]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Follow-up: %(customer)s", customer=customer.name),
            "res_model": "res.partner",
            "res_id": customer.id,
            "view_mode": "form",
            "views": [(self.env.ref("fr_dunning_addon.fr_dunning_follow_up_view_form").id, "form")],
            "target": "current",
        }

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_send_now(self):
        return self.env["fr.dunning.preview"]._open(partners=self.commercial_partner_id, force=True)

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_choose_level(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a chosen dunning level"),
            "res_model": "fr.dunning.level.choice",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": [Command.set(self.commercial_partner_id.ids)]},
        }

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_log_call(self):
        return self.env["fr.dunning.call.wizard"]._open(self)

    def _fr_dunning_overdue_invoices(self):
        """The open invoices of ``self`` (commercial entities) past their due
        date, in the current company."""
        Move = self.env["account.move"]
        return Move.search(
            [
                *Move._fr_dunning_open_domain(self.env.company),
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("fr_dunning_due_date", "<", fields.Date.context_today(self)),
            ]
        )

    def _fr_dunning_log_note(self, body, company=None, **kwargs):
        """A dunning note in the chatter of the customers of ``self``, seen by
        the users of ``company`` (default: the current one) only: the customer
        is shared, its dunning is not. Returns the messages."""
        company = company or self.env.company
        messages = self.env["mail.message"]
        for partner in self:
            messages |= partner._message_log(body=body, **kwargs)
        messages.sudo().fr_dunning_company_id = company
        return messages

    def _fr_dunning_require_overdue(self):
        """The customer's overdue invoices, or a clear error."""
        self.ensure_one()
        invoices = self._fr_dunning_overdue_invoices()
        if not invoices:
            raise UserError(
                self.env._("%(customer)s has no overdue invoice.", customer=self.commercial_partner_id.name)
            )
        return invoices

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_promise(self):
        return self._fr_dunning_require_overdue().action_fr_dunning_promise()

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_dispute(self):
        return self._fr_dunning_require_overdue().action_fr_dunning_dispute()

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_payment_plan(self):
        return self._fr_dunning_require_overdue()._fr_dunning_case_action(
            "fr.dunning.payment.plan", self.env._("Set up a payment plan")
        )

    @guarded(GROUP_MANAGER, "read")
    def action_fr_dunning_litigation(self):
        return self._fr_dunning_require_overdue().action_fr_dunning_litigation()

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_toggle_excluded(self):
        """Exclude the customer from the nightly run, or include it again: a
        dunning decision, open to dunning users who cannot edit contacts."""
        if not self.env.user.has_group("fr_dunning_addon.group_fr_dunning_user"):
            raise AccessError(self.env._("Only dunning users can exclude a customer from dunning."))
        company = self.env.company.name
        env = history_env(self.env, self.env.company)  # the history is written in the company's language
        for partner in self.commercial_partner_id.sudo():
            excluded = not partner.fr_dunning_excluded
            partner.fr_dunning_excluded = excluded
            if excluded:
                body = env._("Excluded from automatic dunning in %(company)s.", company=company)
            else:
                body = env._("Included again in automatic dunning in %(company)s.", company=company)
            partner._fr_dunning_log_note(body, author_id=self.env.user.partner_id.id)
        return True

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_statement(self):
        """The statement of account (relevé de compte) as a PDF."""
        return self.env.ref(ACCOUNT_STATEMENT_REPORT).report_action(self.commercial_partner_id)

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_claim_declaration(self):
        """The déclaration de créance of a customer in collective proceedings, as a PDF."""
        return self.env.ref(CLAIM_REPORT).report_action(self.commercial_partner_id)

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_events(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dunning history"),
            "res_model": "fr.dunning.event",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            "context": {"create": False},
        }

    @api.depends("is_company", "parent_id.is_company")
    def _compute_fr_dunning_is_consumer(self):
        # EXTENDS 'base': only the commercial entity's nature matters.
        for partner in self:
            partner.fr_dunning_is_consumer = not partner.commercial_partner_id.is_company

    @api.depends("fr_dunning_bodacc_date")
    def _compute_fr_dunning_claims_deadline(self):
        for partner in self:
            partner.fr_dunning_claims_deadline = partner.fr_dunning_bodacc_date and law.claims_deadline(
                partner.fr_dunning_bodacc_date
            )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("fr_dunning_bodacc_date")._fr_dunning_schedule_claims()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if vals.get("fr_dunning_proceedings_date"):
            self._fr_dunning_pause_for_proceedings()
        if vals.get("fr_dunning_bodacc_date"):
            self._fr_dunning_schedule_claims()
        return result

    def _fr_dunning_pause_for_proceedings(self):
        """Collective proceedings stop all chasing (Code de commerce L622-21): the
        open invoices show it."""
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    *self.env["account.move"]._fr_dunning_open_domain(),
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("fr_dunning_blocked", "=", False),
                ]
            )
        )
        moves.write({"fr_dunning_blocked": "proceedings"})

    def _fr_dunning_schedule_claims(self):
        for partner in self.filtered(lambda p: p.is_company or not p.parent_id):
            user = self.env["fr.dunning.escalation"]._responsible(partner, self.env.company)
            env = reader_env(self.env, user, self.env.company)
            partner.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=partner.fr_dunning_claims_deadline,
                summary=env._("Declare the claims on %(partner)s", partner=partner.name),
                note=env._(
                    "Declare every claim on this customer to the mandataire judiciaire before the "
                    "deadline: an undeclared claim cannot be paid in the proceedings."
                ),
                user_id=user.id,
            )

    @api.constrains("fr_dunning_contractual_rate")
    def _check_fr_dunning_contractual_rate(self):
        self.env["res.company"]._fr_dunning_check_contractual_rates(
            self.filtered("fr_dunning_contractual_rate").mapped("fr_dunning_contractual_rate")
        )

    @api.model
    def _commercial_fields(self):
        # EXTENDS 'base': contacts follow their company.
        return super()._commercial_fields() + [
            "fr_dunning_is_consumer",
            "fr_dunning_contractual_rate",
            "fr_dunning_proceedings_date",
            "fr_dunning_proceedings_type",
            "fr_dunning_proceedings_court",
            "fr_dunning_proceedings_mandatary_id",
            "fr_dunning_bodacc_date",
            "fr_dunning_policy_id",
            "fr_dunning_excluded",
            "fr_dunning_responsible_id",
        ]

    @guarded(GROUP_USER, "read")
    def action_fr_dunning_penalty_wizard(self):
        """Open the penalty invoice wizard on these customers' late invoices."""
        late = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("fr_dunning_is_penalty_invoice", "=", False),
                ("fr_dunning_due_date", "<", fields.Date.context_today(self)),
                ("payment_state", "in", ("not_paid", "partial", "in_payment", "paid")),
            ]
        )
        return late.action_fr_dunning_penalty_wizard()

    @guarded(GROUP_MANAGER)
    def action_fr_dunning_litigation_file(self):
        """Build the litigation file of this customer in the current company: a
        ZIP attached to the dunning event that records it."""
        self.ensure_one()
        attachment = self.env["fr.dunning.litigation.file"]._build(self)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
