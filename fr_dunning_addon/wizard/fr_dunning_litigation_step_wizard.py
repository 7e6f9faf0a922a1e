# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models import fr_dunning_law as law
from ..models.fr_dunning_access import GROUP_MANAGER, guarded


class FrDunningLitigationStepWizard(models.TransientModel):
    """Record a step of a court procedure or a mediation: the one way a
    manager records one. The step and its event are evidence; its deadlines
    become activities. A mediation's agreement becomes a payment plan or a
    promise to pay, and ends the mediation."""

    _name = "fr.dunning.litigation.step.wizard"
    _description = "Record a court or mediation step"
    _check_company_auto = True

    litigation_id = fields.Many2one(
        comodel_name="fr.dunning.litigation",
        required=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="litigation_id.company_id",
    )
    route = fields.Selection(
        related="litigation_id.route",
    )
    kind = fields.Selection(
        selection="_selection_kind",
        string="Step",
        required=True,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The date of the act itself (the order's date, the day it was served...), not the day you "
        "record it.",
    )
    court = fields.Char(
        help="The court, or the commissaire de justice or mediator acting.",
    )
    reference = fields.Char(
        help="The court's docket number (RG), the commissaire's or mediator's file number.",
    )
    to_person = fields.Boolean(
        string="Served to the person",
        default=True,
    )
    summons_to_person = fields.Boolean(
        string="Summons served to the person",
        help="The summons was served to the debtor in person (or its legal representative): a decision "
        "given in its absence is then deemed given after both parties were heard (CPC 473) and need not "
        "be served within six months (CPC 478). Left unticked, the six months are watched.",
    )
    by_default = fields.Boolean(
        string="Debtor absent",
    )
    next_date = fields.Date(
        string="Next date",
        help="The hearing the summons names, or the next mediation meeting.",
    )
    amount = fields.Monetary(
        currency_field="currency_id",
    )
    currency_id = fields.Many2one(
        related="litigation_id.currency_id",
    )
    note = fields.Text()
    document = fields.Binary(
        help="The order, the service report, the mediator's statement...",
    )
    document_name = fields.Char()
    corrected_step_id = fields.Many2one(
        comodel_name="fr.dunning.litigation.step",
        string="Step corrected",
        check_company=True,
        domain="[('litigation_id', '=', litigation_id)]",
    )
    agreement = fields.Selection(
        selection=[("plan", "Payment plan"), ("promise", "Promise to pay")],
        string="The agreement is",
        default="plan",
    )
    instalment_count = fields.Integer(
        string="Instalments",
        default=3,
    )
    first_date = fields.Date(
        string="First instalment on",
    )
    interval_months = fields.Integer(
        string="Months between instalments",
        default=1,
    )
    promise_date = fields.Date(
        string="Promised for",
    )

    @api.model
    def _selection_kind(self):
        """The steps a manager records (those of the litigation's route when
        the form knows it), never the ones the nightly check records."""
        route = self.env.context.get("fr_dunning_route")
        # In the reader's language: the labels as the steps' own field
        # translates them.
        labels = dict(self.env["fr.dunning.litigation.step"]._fields["kind"]._description_selection(self.env))
        return [
            (code, labels.get(code, label))
            for code, label in law.COURT_STEPS
            if code not in law.AUTOMATIC_STEPS and (not route or law.STEP_ROUTE.get(code, route) == route)
        ]

    def _check_step(self):
        litigation = self.litigation_id
        if litigation.state != "open":
            raise UserError(self.env._("The litigation is closed: open a new one to record its steps."))
        if (
            self.kind in law.AUTOMATIC_STEPS
            or law.STEP_ROUTE.get(self.kind, litigation.route) != litigation.route
        ):
            raise ValidationError(self.env._("This step does not belong to the litigation's route."))
        if self.date > fields.Date.context_today(self):
            raise ValidationError(self.env._("A step cannot be dated in the future."))
        if self.kind == "correction" and not self.corrected_step_id:
            raise ValidationError(self.env._("Choose the step this one corrects."))
        if self.corrected_step_id and (
            self.corrected_step_id.litigation_id != litigation or not self.corrected_step_id.in_force
        ):
            raise ValidationError(
                self.env._("Only a step of this litigation still in force can be corrected.")
            )
        if self.kind == "mt_summons":
            # CPC 56 and 855: the summons states the day of the hearing; the
            # copy's lodging and the lapse are counted back from it.
            if not self.next_date or self.next_date <= self.date:
                raise ValidationError(
                    self.env._(
                        "A summons on the merits names its hearing: enter its date, after the summons."
                    )
                )
            if "mt_lapsed" in litigation._fr_dunning_court_steps() and not self.corrected_step_id:
                raise UserError(
                    self.env._(
                        "The summons of this litigation lapsed: close it and hand the invoices over again "
                        "for a new summons."
                    )
                )

    @guarded(GROUP_MANAGER, "write")
    def action_record(self):
        self.ensure_one()
        litigation = self.litigation_id
        litigation.check_access("write")
        self._check_step()
        mediation = law.STEP_ROUTE.get(self.kind) == law.MEDIATION_ROUTE[0]
        vals = {
            "kind": self.kind,
            "date": self.date,
            "court": self.court,
            "reference": self.reference,
            "to_person": (
                self.to_person
                if self.kind in ("ip_service", "rp_service")
                else self.summons_to_person
                if self.kind in law.SUMMONS_STEPS
                else False
            ),
            "by_default": self.by_default if self.kind in ("rp_order", *law.MERITS_JUDGMENT_STEPS) else False,
            "next_date": self.next_date,
            "mediation_kind": litigation.mediation_kind if mediation else False,
            "amount": self.amount,
            "currency_id": self.currency_id.id,
            "note": self.note,
            "corrected_step_id": self.corrected_step_id.id,
        }
        documents = self.document and [(self.document_name or self.kind, self.document)]
        step = litigation._fr_dunning_record_steps([vals], documents)
        if self.kind == "md_agreement":
            return self._fr_dunning_agreement(step)
        if self.kind == "md_failure":
            litigation.outcome = "no_agreement"
            litigation.action_close()
        return {"type": "ir.actions.act_window_close"}

    def _fr_dunning_agreement(self, step):
        """The mediation ends in an agreement: it becomes a running payment
        plan or a promise to pay on what the invoices still owe."""
        litigation = self.litigation_id
        moves = litigation.move_ids.filtered(lambda move: not move.currency_id.is_zero(move.amount_residual))
        if not moves:
            raise UserError(self.env._("The invoices are paid: there is nothing left to agree on."))
        # The invoices leave litigation first, so that the plan or the promise
        # pauses their chasing.
        litigation.outcome = "agreement"
        litigation.action_close()
        common = {
            "company_id": litigation.company_id.id,
            "partner_id": litigation.partner_id.id,
            "move_ids": [Command.set(moves.ids)],
            "note": self.note,
        }
        if self.agreement == "promise":
            promise = self.env["fr.dunning.promise"].create(
                {
                    **common,
                    "promise_date": self.promise_date,
                    "amount": self.amount or sum(moves.mapped("amount_residual")),
                }
            )
            step.sudo().promise_id = promise
            return self._fr_dunning_open(promise)
        plan = self.env["fr.dunning.payment.plan"].create(
            {
                **common,
                "instalment_count": self.instalment_count,
                "first_date": self.first_date or self.date + relativedelta(months=1),
                "interval_months": self.interval_months,
            }
        )
        plan.action_compute_lines()
        plan.action_confirm()
        step.sudo().plan_id = plan
        return self._fr_dunning_open(plan)

    def _fr_dunning_open(self, record):
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "target": "current",
        }
