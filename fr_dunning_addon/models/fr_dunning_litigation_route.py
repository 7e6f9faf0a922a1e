# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Choosing the route: mediation before court, and the prior amicable attempt
the law asks before some actions.

Mediation is a route of its own: the Médiateur des entreprises for business
customers (free, confidential), a conciliateur de justice or a conventional
mediator otherwise. Before the tribunal judiciaire, an action on the merits
or in référé for 5 000 EUR or less is inadmissible without a prior attempt at
conciliation, mediation or participatory procedure (CPC 750-1): the route
chooser says so, and a litigation on such a route is refused without the
proof of the attempt (an event of the history, a document) or the reason for
an exemption. An order for payment is not concerned."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import formatLang

from . import fr_dunning_law as law

COURT_LABELS = {
    "commerce": "Tribunal de commerce",
    "judiciaire": "Tribunal judiciaire",
    "administratif": "Tribunal administratif",
}


class FrDunningLitigation(models.Model):
    _inherit = "fr.dunning.litigation"

    route = fields.Selection(
        selection_add=[law.MEDIATION_ROUTE],
        ondelete={law.MEDIATION_ROUTE[0]: "set default"},
    )
    outcome = fields.Selection(
        selection_add=[("agreement", "Amicable agreement"), ("no_agreement", "No agreement")],
        ondelete={"agreement": "set null", "no_agreement": "set null"},
    )
    mediation_kind = fields.Selection(
        selection=law.MEDIATION_KINDS,
        string="Mediator",
        compute="_compute_mediation_kind",
        store=True,
        readonly=False,
        help="The Médiateur des entreprises handles disputes between businesses, free and confidential; "
        "a conciliateur de justice is free too; a conventional mediator is paid.",
    )
    court = fields.Selection(
        selection=list(COURT_LABELS.items()),
        compute="_compute_amicable",
        help="The court of the claim: tribunal de commerce between traders, tribunal judiciaire against "
        "a consumer, tribunal administratif against a public buyer.",
    )
    amicable_required = fields.Boolean(
        string="Prior amicable attempt required",
        compute="_compute_amicable",
    )
    amicable_advice = fields.Text(
        string="What the law asks",
        compute="_compute_amicable",
    )
    amicable_proof_event_id = fields.Many2one(
        comodel_name="fr.dunning.event",
        string="Proof of the attempt (event)",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="The event of the history that proves the attempt: the failure of a mediation or a "
        "conciliation, the small-claims procedure that failed...",
    )
    amicable_proof_document = fields.Binary(
        string="Proof of the attempt (document)",
        attachment=True,
        help="The conciliator's or mediator's statement that the attempt failed.",
    )
    amicable_proof_name = fields.Char()
    amicable_exemption = fields.Selection(
        selection=law.AMICABLE_EXEMPTIONS,
        string="Exemption",
        help="The reason the claim may be brought without a prior attempt (CPC 750-1).",
    )

    @api.depends("partner_id")
    def _compute_mediation_kind(self):
        for litigation in self:
            litigation.mediation_kind = litigation.mediation_kind or law.default_mediation_kind(
                litigation.partner_id.commercial_partner_id.fr_dunning_is_consumer
            )

    @api.depends("route", "partner_id", "move_ids.amount_residual", "mediation_kind", "company_id")
    def _compute_amicable(self):
        today = fields.Date.context_today(self)
        euro = self.env.ref("base.EUR")
        for litigation in self:
            partner = litigation.partner_id.commercial_partner_id
            litigation.court = law.court_for(
                partner.fr_dunning_is_consumer, bool(partner.fr_dunning_public_buyer)
            )
            rules = self.env["fr.dunning.court.rule"]._fr_dunning_rules(litigation.company_id)
            claim = litigation._fr_dunning_claim_eur(today)
            litigation.amicable_required = law.amicable_attempt_required(
                litigation.route, litigation.court, claim, rules["amicable_ceiling"].amount
            )
            litigation.amicable_advice = litigation._fr_dunning_route_advice(claim, rules, euro)

    def _fr_dunning_claim_eur(self, today):
        """What the invoices still owe, in euros at ``today``'s rate."""
        self.ensure_one()
        company = self.company_id or self.env.company
        currency = self.currency_id or company.currency_id
        return currency._convert(self.amount_residual, self.env.ref("base.EUR"), company, today)

    def _fr_dunning_route_advice(self, claim, rules, euro):
        """What the route chooser says about the route, the court and the claim."""
        self.ensure_one()
        env = self.env
        amount = formatLang(env, claim, currency_obj=euro)
        ceiling = formatLang(env, rules["amicable_ceiling"].amount, currency_obj=euro)
        if self.route == "injunction":
            return env._(
                "An order for payment needs no prior amicable attempt: it is made without hearing the "
                "debtor (CPC 750-1)."
            )
        if self.route == "small_claims":
            small = formatLang(env, rules["small_claims_ceiling"].amount, currency_obj=euro)
            if not law.small_claims_allowed(claim, rules["small_claims_ceiling"].amount):
                return env._(
                    "The simplified recovery of small claims is for claims of %(ceiling)s at most "
                    "(CPCE R125-1); this one is %(amount)s.",
                    ceiling=small,
                    amount=amount,
                )
            return env._(
                "A commissaire de justice invites the debtor to agree on the amount and the terms; the "
                "debtor has one month from the letter (CPCE L125-1). With the agreement, the commissaire "
                "issues an enforceable title; without it, the attempt counts for CPC 750-1."
            )
        if self.route == law.MEDIATION_ROUTE[0]:
            return {
                "enterprises": env._(
                    "The Médiateur des entreprises handles disputes between businesses, free and "
                    "confidential. An agreement becomes a payment plan or a promise to pay; a failure "
                    "is the proof of the attempt that CPC 750-1 asks."
                ),
                "conciliator": env._(
                    "A conciliateur de justice is free. Without a first meeting within three months of the "
                    "referral, the claim may go to court without the attempt (CPC 750-1 3°). An agreement "
                    "becomes a payment plan or a promise to pay."
                ),
                "mediator": env._(
                    "A conventional mediator is paid, usually by both parties. An agreement becomes a "
                    "payment plan or a promise to pay; a failure is the proof of the attempt that CPC "
                    "750-1 asks."
                ),
            }.get(self.mediation_kind, "")
        if self.route not in law.AMICABLE_ATTEMPT_ROUTES:
            return False
        if self.court == "administratif":
            return env._(
                "Against a public buyer the claim goes to the tribunal administratif (référé-provision, "
                "CJA R541-1): CPC 750-1 does not apply."
            )
        if self.court != "judiciaire":
            return env._(
                "Before the tribunal de commerce no prior amicable attempt is required (CPC 750-1 concerns "
                "the tribunal judiciaire). The Médiateur des entreprises remains a free option."
            )
        if self.amicable_required:
            return env._(
                "A claim of %(amount)s (%(ceiling)s or less) brought before the tribunal judiciaire on the "
                "merits or in référé is inadmissible without a prior attempt at conciliation, mediation or "
                "participatory procedure (CPC 750-1). Give the event or the document that proves the "
                "attempt, or the reason for an exemption.",
                amount=amount,
                ceiling=ceiling,
            )
        return env._(
            "A claim of %(amount)s, above %(ceiling)s: no prior amicable attempt is required (CPC 750-1).",
            amount=amount,
            ceiling=ceiling,
        )

    @api.constrains(
        "route",
        "move_ids",
        "amicable_proof_event_id",
        "amicable_proof_document",
        "amicable_exemption",
    )
    def _check_fr_dunning_route(self):
        today = fields.Date.context_today(self)
        for litigation in self.filtered(lambda lit: lit.state == "open"):
            rules = self.env["fr.dunning.court.rule"]._fr_dunning_rules(litigation.company_id)
            if litigation.route == "small_claims" and not law.small_claims_allowed(
                litigation._fr_dunning_claim_eur(today), rules["small_claims_ceiling"].amount
            ):
                raise ValidationError(litigation.amicable_advice)
            proof = litigation.amicable_proof_event_id
            if proof and proof.partner_id != litigation.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._("The proof of the attempt must be an event of this customer.")
                )
            if litigation.amicable_required and not (
                proof or litigation.amicable_proof_document or litigation.amicable_exemption
            ):
                raise ValidationError(litigation.amicable_advice)
