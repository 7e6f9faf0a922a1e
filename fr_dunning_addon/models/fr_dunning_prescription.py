# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Prescription: the last day an invoice's claim can be brought to court
(fr_dunning_law.prescription_date: interrupted by an acknowledgement or a
legal action unless it became void, suspended by a mediation or by the
small-claims procedure the debtor agreed to), and the warnings six months and one month before it."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date
from odoo.tools.sql import column_exists, create_column, table_exists

from . import fr_dunning_law as law
from .fr_dunning_evidence import reader_env


class AccountMove(models.Model):
    _inherit = "account.move"

    # The litigations of the invoice (the other side of their invoices).
    fr_dunning_litigation_ids = fields.Many2many(
        comodel_name="fr.dunning.litigation",
        relation="account_move_fr_dunning_litigation_rel",
        column1="account_move_id",
        column2="fr_dunning_litigation_id",
        string="Litigations",
        readonly=True,
        copy=False,
        groups="fr_dunning_addon.group_fr_dunning_user",
    )
    fr_dunning_prescription_suspended = fields.Boolean(
        string="Prescription suspended",
        compute="_compute_fr_dunning_prescription_date",
        store=True,
        help="A mediation or conciliation, or the simplified recovery of small claims the debtor agreed "
        "to take part in, is under way: the prescription is suspended until it ends, then runs again "
        "for what was left, and at least six months unless it ended in an enforceable title "
        "(Code civil 2238).",
    )

    def _auto_init(self):
        # The suspension's column made and filled here rather than computed for
        # every invoice by the update that adds it (each invoice's events and
        # litigations read again): only the invoices of a litigation with a
        # step that starts a suspension can be suspended, and only theirs are
        # computed.
        cr = self.env.cr
        if not column_exists(cr, "account_move", "fr_dunning_prescription_suspended"):
            create_column(cr, "account_move", "fr_dunning_prescription_suspended", "boolean")
            if table_exists(cr, "fr_dunning_litigation_step"):
                cr.execute(
                    SQL(
                        """SELECT DISTINCT rel.account_move_id
                             FROM account_move_fr_dunning_litigation_rel rel
                             JOIN fr_dunning_litigation_step step
                               ON step.litigation_id = rel.fr_dunning_litigation_id
                            WHERE step.kind = ANY(%s)""",
                        [start for start, _ends in law.PRESCRIPTION_SUSPENSIONS],
                    )
                )
                ids = [row[0] for row in cr.fetchall()]
                if ids:
                    self.env.add_to_compute(self._fields["fr_dunning_prescription_date"], self.browse(ids))
        return super()._auto_init()

    @api.depends(
        "move_type",
        "fr_dunning_due_date",
        "commercial_partner_id.fr_dunning_is_consumer",
        "fr_dunning_event_ids.event_type",
        "fr_dunning_event_ids.date",
        "fr_dunning_litigation_ids.date_end",
        "fr_dunning_litigation_ids.step_ids.kind",
        "fr_dunning_litigation_ids.step_ids.date",
        "fr_dunning_litigation_ids.step_ids.next_date",
        "fr_dunning_litigation_ids.step_ids.correction_ids",
    )
    def _compute_fr_dunning_prescription_date(self):
        for move in self:
            if move.move_type != "out_invoice" or not move.fr_dunning_due_date:
                move.fr_dunning_prescription_date = False
                move.fr_dunning_prescription_suspended = False
                continue
            void = move.fr_dunning_litigation_ids._fr_dunning_void_interruptions()
            interruptions = [
                fields.Date.context_today(move, event.date)
                for event in move.fr_dunning_event_ids
                if event.event_type in law.PRESCRIPTION_INTERRUPTING_EVENTS and event not in void
            ]
            # The earliest unpaid instalment prescribes first.
            prescription = law.prescription_date(
                move.fr_dunning_due_date,
                move.commercial_partner_id.fr_dunning_is_consumer,
                interruptions,
                move.fr_dunning_litigation_ids._fr_dunning_suspensions(),
            )
            move.fr_dunning_prescription_date = prescription or False
            move.fr_dunning_prescription_suspended = not prescription

    # ------------------------------------------------------------------
    # Cron: prescription warnings
    # ------------------------------------------------------------------

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
                env = reader_env(self.env, user, move.company_id)  # the cron has no language
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": move.id,
                        "activity_type_id": todo_type.id,
                        "date_deadline": today,
                        "summary": env._(
                            "%(invoice)s prescribes on %(date)s",
                            invoice=move.name,
                            date=format_date(env, move.fr_dunning_prescription_date),
                        ),
                        "note": env._(
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


class FrDunningLitigation(models.Model):
    _inherit = "fr.dunning.litigation"

    def _fr_dunning_suspensions(self):
        """The suspensions of the prescription (fr_dunning_law.Suspension)
        that the litigations ``self`` make from their steps in force
        (fr_dunning_law.prescription_suspensions, Code civil 2238): a
        mediation or conciliation, a small-claims procedure the debtor agreed
        to take part in; ended by their steps, else by the litigation's
        closing; under way otherwise."""
        found = []
        for litigation in self:
            steps = litigation.step_ids.filtered("in_force").sorted(lambda step: (step.date, step.id))
            found += law.prescription_suspensions(
                [(step.kind, step.date) for step in steps], litigation.date_end or None
            )
        return found

    def _fr_dunning_void_interruptions(self):
        """The legal-action events of the litigations ``self`` that no longer
        interrupt the prescription: a step corrected since (it no longer
        counts), and a summons on the merits that lapsed or whose claim was
        dismissed (Code civil 2243, fr_dunning_law.summons_interruption_void)."""
        events = self.env["fr.dunning.event"]
        today = fields.Date.context_today(self)
        for litigation in self:
            actions = litigation.step_ids.filtered(lambda step: step.kind in law.LEGAL_ACTION_STEPS)
            events |= actions.filtered(lambda step: not step.in_force).event_id
            steps = litigation._fr_dunning_court_steps()
            if "mt_summons" not in steps:
                continue
            rules = self.env["fr.dunning.court.rule"]._fr_dunning_rules(litigation.company_id)
            lodging = law.merits_lodging(steps, rules, today, litigation._fr_dunning_court_of_claim())
            if law.summons_interruption_void(steps, lodging is None or lodging.done):
                events |= actions.filtered(lambda step: step.kind == "mt_summons" and step.in_force).event_id
        return events
