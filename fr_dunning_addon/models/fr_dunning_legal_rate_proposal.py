# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A semester's rates proposed from the ECB, for a Dunning manager to confirm.

A proposal is not a rate. The penalty engine, the letters and billing read
``fr.dunning.legal.rate`` only; a proposal becomes one when a manager has
typed the two taux de l'intérêt légal of the semester's arrêté and confirmed
it. The ECB's rate, the address it was read from and the date of the
observation are kept on the proposal, and copied to the rate, as evidence;
only the flow that read the ECB writes them.

The ECB is asked by the manager's *Fetch the ECB rate* button and by a cron
on 2 January and 2 July. Without network, or when the ECB's answer cannot be
read, the button says what to enter by hand and where to find it; the cron
logs it and the daily check of missing rates keeps reminding the managers.
"""

import logging

import requests
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date, formatLang

from . import fr_dunning_ecb_data as ecb
from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_MANAGER, guarded
from .fr_dunning_evidence import reader_env
from .fr_dunning_legal_rate import LEGIFRANCE_SEARCH_URL

_logger = logging.getLogger(__name__)

# System parameter: another address of the ECB's data service (a proxy, a mirror).
ECB_URL_PARAM = "fr_dunning_addon.ecb_data_api"
TIMEOUT_SECONDS = 10


class RatesUnavailable(Exception):
    """The ECB's rate could not be read; ``reason`` says why, in the user's words."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class FrDunningLegalRateProposal(models.Model):
    _name = "fr.dunning.legal.rate.proposal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Legal rates proposed for a semester"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    # What a manager types, while the proposal waits.
    _fr_dunning_user_fields = ("legal_rate_individual", "legal_rate_other", "legal_source_url")
    # What the ECB answered, and the state: written by the flows only (as superuser).
    _fr_dunning_flow_fields = (
        "company_id",
        "date_start",
        "state",
        "ecb_rate",
        "ecb_observation_date",
        "ecb_source_url",
        "ecb_fetched_on",
        "rate_id",
        "confirmed_by_id",
        "confirmed_on",
    )

    name = fields.Char(
        string="Semester",
        compute="_compute_name",
        store=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date_start = fields.Date(
        string="First day",
        required=True,
        readonly=True,
        help="1 January or 1 July: the semester the rates are proposed for.",
    )
    state = fields.Selection(
        selection=[
            ("proposed", "To confirm"),
            ("confirmed", "Confirmed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        readonly=True,
        default="proposed",
        tracking=True,
    )
    ecb_rate = fields.Float(
        string="ECB rate (%)",
        digits=(6, 2),
        readonly=True,
        help="Main refinancing rate of the European Central Bank in force on the first day of the "
        "semester, as read from the ECB's data service (Code de commerce L441-10 II).",
    )
    ecb_observation_date = fields.Date(
        string="ECB observation of",
        readonly=True,
        help="The day of the ECB's observation the rate was read from: the last one on or before "
        "the first day of the semester.",
    )
    ecb_source_url = fields.Char(
        string="ECB source",
        readonly=True,
        help="The address the ECB's rate was read from.",
    )
    ecb_fetched_on = fields.Datetime(
        string="Read on",
        readonly=True,
    )
    legal_rate_individual = fields.Float(
        string="Legal rate, creditor an individual (%)",
        digits=(6, 2),
        help="From the semester's arrêté: the taux de l'intérêt légal for creditors who are "
        "individuals not acting for professional needs.",
    )
    legal_rate_other = fields.Float(
        string="Legal rate, other cases (%)",
        digits=(6, 2),
        help="From the semester's arrêté: the taux de l'intérêt légal in all other cases (the one "
        "a company applies to its consumer customers, and the base of the 3x floor of contractual rates).",
    )
    legal_source_url = fields.Char(
        string="Arrêté",
        default=LEGIFRANCE_SEARCH_URL,
        help="The taux de l'intérêt légal is fixed each semester by an arrêté published in the Journal "
        "officiel in the last days of the semester before (Code monétaire et financier L313-2): the "
        "newest 'Arrêté relatif à la fixation du taux de l'intérêt légal'. The link searches Légifrance "
        "for it; replace it with the arrêté's own address once found.",
    )
    b2b_default_rate = fields.Float(
        string="Default B2B penalty rate (%)",
        digits=(6, 2),
        compute="_compute_derived_rates",
        help="ECB rate + 10 points (Code de commerce L441-10 II).",
    )
    contractual_floor_rate = fields.Float(
        string="Lowest contractual rate (%)",
        digits=(6, 2),
        compute="_compute_derived_rates",
        help="3 x the legal rate (other cases): no contractual penalty rate may be lower.",
    )
    rate_id = fields.Many2one(
        comodel_name="fr.dunning.legal.rate",
        string="Rates recorded",
        readonly=True,
        ondelete="set null",
    )
    confirmed_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Confirmed by",
        readonly=True,
    )
    confirmed_on = fields.Datetime(
        readonly=True,
    )

    _sql_constraints = [
        (
            "rates_positive",
            "CHECK(ecb_rate >= 0 AND legal_rate_individual >= 0 AND legal_rate_other >= 0)",
            "Rates cannot be negative.",
        ),
    ]

    def init(self):
        # One proposal to confirm per company and semester, even when the cron
        # and a manager ask the ECB at the same time.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (company_id, date_start) "
                "WHERE state = 'proposed'",
                SQL.identifier(f"{self._table}_open_unique"),
                SQL.identifier(self._table),
            )
        )

    @api.depends("date_start")
    def _compute_name(self):
        for proposal in self:
            proposal.name = proposal.date_start and law.semester_label(proposal.date_start)

    @api.depends("ecb_rate", "legal_rate_other")
    def _compute_derived_rates(self):
        for proposal in self:
            proposal.b2b_default_rate = law.b2b_annual_rate(proposal.ecb_rate, proposal.legal_rate_other)
            proposal.contractual_floor_rate = law.contractual_floor(proposal.legal_rate_other)

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'mail': proposals are made by reading the ECB, never typed.
        if not self.env.su:
            raise AccessError(self.env._("Rate proposals are made by reading the ECB's rate."))
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'mail': what the ECB said and the state are the flows'; the
        # rates typed by the manager change while the proposal waits only.
        if not self.env.su:
            if set(vals) & set(self._fr_dunning_flow_fields):
                raise AccessError(
                    self.env._("What the ECB answered and the state of a proposal are not edited by hand.")
                )
            if set(vals) & set(self._fr_dunning_user_fields) and any(
                proposal.state != "proposed" for proposal in self
            ):
                raise UserError(self.env._("A proposal confirmed or cancelled is no longer edited."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @guarded(GROUP_MANAGER, "write")
    def action_confirm(self):
        """Record the rates of each proposal's semester, as the manager typed
        and confirmed them; the penalties use them from now on."""
        for proposal in self:
            if proposal.state != "proposed":
                raise UserError(
                    self.env._(
                        "The proposal of %(semester)s is not waiting to be confirmed.", semester=proposal.name
                    )
                )
            if proposal.legal_rate_other <= 0 or proposal.legal_rate_individual <= 0:
                raise UserError(
                    self.env._(
                        "Enter the two taux de l'intérêt légal of %(semester)s from the arrêté published in "
                        "the Journal officiel before confirming.",
                        semester=proposal.name,
                    )
                )
        Rate = self.env["fr.dunning.legal.rate"]
        recorded = Rate.search([("date_start", "in", self.mapped("date_start"))], limit=1)
        if recorded or len(set(self.mapped("date_start"))) < len(self):
            raise UserError(
                self.env._(
                    "The rates of %(semester)s are already recorded: cancel this proposal.",
                    semester=(recorded or self[1:])[:1].name,
                )
            )
        self.sudo().write(
            {"state": "confirmed", "confirmed_by_id": self.env.uid, "confirmed_on": fields.Datetime.now()}
        )
        rates = Rate.create(
            [
                {
                    "date_start": proposal.date_start,
                    "ecb_rate": proposal.ecb_rate,
                    "legal_rate_individual": proposal.legal_rate_individual,
                    "legal_rate_other": proposal.legal_rate_other,
                    "ecb_observation_date": proposal.ecb_observation_date,
                    "ecb_source_url": proposal.ecb_source_url,
                    "legal_source_url": proposal.legal_source_url,
                }
                for proposal in self
            ]
        )
        for proposal, rate in zip(self, rates, strict=True):
            proposal.sudo().rate_id = rate
            note = proposal._fr_dunning_confirmed_note()
            proposal.activity_ids.sudo().action_feedback(feedback=note)
            proposal._message_log(body=Markup("<p>%s</p>") % note)
            rate._message_log(body=Markup("<p>%s</p>") % note)
        return True

    @guarded(GROUP_MANAGER, "write")
    def action_cancel(self):
        """Set the proposal aside: nothing is recorded."""
        if any(proposal.state != "proposed" for proposal in self):
            raise UserError(self.env._("Only a proposal waiting to be confirmed can be cancelled."))
        self._fr_dunning_cancel(
            self.env._("Cancelled by %(user)s: nothing recorded.", user=self.env.user.name)
        )
        return True

    def _fr_dunning_cancel(self, note):
        self.sudo().write({"state": "cancelled"})
        self.activity_ids.sudo().unlink()
        self._message_log_batch(bodies=dict.fromkeys(self.ids, Markup("<p>%s</p>") % note))

    def _fr_dunning_confirmed_note(self):
        self.ensure_one()
        return self.env._(
            "Rates of %(semester)s confirmed by %(user)s: ECB rate %(ecb)s %% (ECB observation of "
            "%(observed)s, %(url)s); taux de l'intérêt légal %(other)s %% (other cases) and "
            "%(individual)s %% (creditor an individual), arrêté: %(arrete)s.",
            semester=self.name,
            user=self.env.user.name,
            ecb=formatLang(self.env, self.ecb_rate, digits=2),
            observed=format_date(self.env, self.ecb_observation_date),
            url=self.ecb_source_url,
            other=formatLang(self.env, self.legal_rate_other, digits=2),
            individual=formatLang(self.env, self.legal_rate_individual, digits=2),
            arrete=self.legal_source_url or "",
        )

    @api.model
    def _fr_dunning_close_recorded(self, starts):
        """The rates of these semesters are recorded: their proposals still
        waiting have nothing left to confirm."""
        waiting = self.sudo().search([("date_start", "in", list(starts)), ("state", "=", "proposed")])
        if waiting:
            waiting._fr_dunning_cancel(
                self.env._("The rates of this semester were recorded meanwhile: nothing left to confirm.")
            )

    # ------------------------------------------------------------------
    # Reading the ECB
    # ------------------------------------------------------------------

    @api.model
    def _fr_dunning_read_ecb(self, day):
        """(address asked, observation date, rate) of the ECB's rate that
        applies to the semester of ``day``.

        :raises RatesUnavailable: no network, no answer in time, an error,
            an answer that cannot be read or holds no rate for the day
        """
        base = self.env["ir.config_parameter"].sudo().get_param(ECB_URL_PARAM) or ecb.ECB_DATA_API
        url = ecb.query_url(day, base)
        reference = law.ecb_rate_reference_day(day)
        no_rate = self.env._(
            "the ECB's answer holds no rate in force on %(date)s", date=format_date(self.env, reference)
        )
        try:
            response = requests.get(url, timeout=TIMEOUT_SECONDS, headers={"Accept": "application/json"})
        except requests.Timeout:
            raise RatesUnavailable(
                self.env._("the ECB did not answer within %(seconds)s seconds", seconds=TIMEOUT_SECONDS)
            ) from None
        except requests.RequestException:
            raise RatesUnavailable(
                self.env._("the ECB cannot be reached (no network connection, or its service is down)")
            ) from None
        if response.status_code == 404:
            # The ECB's data service answers 404 when no observation matches.
            raise RatesUnavailable(no_rate)
        if not response.ok:
            raise RatesUnavailable(
                self.env._("the ECB answered with the error %(status)s", status=response.status_code)
            )
        try:
            observed, rate = ecb.semester_rate(response.text, day)
        except ecb.EcbNoData:
            raise RatesUnavailable(no_rate) from None
        except ecb.EcbDataError as error:
            _logger.info("Unreadable answer of the ECB at %s: %s", url, error)
            raise RatesUnavailable(self.env._("the ECB's answer cannot be read")) from None
        return url, observed, rate

    @api.model
    def _fr_dunning_by_hand_message(self, start, reason):
        """What to enter by hand, and where to find it, when the ECB's rate of
        the semester starting on ``start`` could not be read."""
        Rate = self.env["fr.dunning.legal.rate"]
        by_hand = self.env._(
            "The ECB's rate of %(semester)s could not be read: %(reason)s. Enter the rates of "
            "%(semester)s by hand in %(menu)s.",
            semester=law.semester_label(start),
            reason=reason,
            menu=Rate._menu_path(),
        )
        return f"{by_hand} {Rate._where_to_find(start)}"

    @api.model
    def _fr_dunning_propose(self, companies, day, again_after_cancel):
        """Propose the rates of the semester of ``day`` to ``companies``,
        reading the ECB once.

        Nothing is proposed when the semester's rates are recorded, nor to a
        company that has a proposal waiting (or any proposal of the semester,
        unless ``again_after_cancel``).

        :returns: the proposals made
        :raises RatesUnavailable: when the ECB's rate could not be read
        """
        start = law.semester_start(day)
        if self.env["fr.dunning.legal.rate"].sudo().search_count([("date_start", "=", start)]):
            return self.browse()
        domain = [("company_id", "in", companies.ids), ("date_start", "=", start)]
        if again_after_cancel:
            domain.append(("state", "=", "proposed"))
        companies -= self.sudo().search(domain).company_id
        if not companies:
            return self.browse()
        url, observed, rate = self._fr_dunning_read_ecb(day)
        now = fields.Datetime.now()
        return (
            self.sudo()
            .create(
                [
                    {
                        "company_id": company.id,
                        "date_start": start,
                        "ecb_rate": rate,
                        "ecb_observation_date": observed,
                        "ecb_source_url": url,
                        "ecb_fetched_on": now,
                    }
                    for company in companies
                ]
            )
            .sudo(False)
        )

    @api.model
    def _fr_dunning_fetch(self):
        """The manager's *Fetch the ECB rate*: the proposal of the current
        semester for the user's company, made now or waiting already."""
        today = fields.Date.context_today(self)
        start = law.semester_start(today)
        company = self.env.company
        Rate = self.env["fr.dunning.legal.rate"]
        recorded = Rate.search([("date_start", "=", start)], limit=1)
        if recorded:
            raise UserError(
                self.env._(
                    "The rates of %(semester)s are already recorded (ECB rate %(ecb)s %%). The ECB's rate of "
                    "the next semester is the one in force on %(date)s: fetch it from that day.",
                    semester=recorded.name,
                    ecb=formatLang(self.env, recorded.ecb_rate, digits=2),
                    date=format_date(self.env, law.next_semester_start(today)),
                )
            )
        try:
            self._fr_dunning_propose(company, today, again_after_cancel=True)
        except RatesUnavailable as unavailable:
            raise UserError(self._fr_dunning_by_hand_message(start, unavailable.reason)) from None
        proposal = self.search(
            [("company_id", "=", company.id), ("date_start", "=", start), ("state", "=", "proposed")], limit=1
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": proposal.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _cron_fr_dunning_propose_rates(self):
        """On 2 January and 2 July: propose the semester's ECB rate to each
        company whose Dunning managers work in it, and give them a to-do to
        enter the taux de l'intérêt légal and confirm. A second run proposes
        nothing more (a cancelled proposal is the managers' decision)."""
        today = fields.Date.context_today(self)
        start = law.semester_start(today)
        managers = self.env.ref("fr_dunning_addon.group_fr_dunning_manager").users.filtered(
            lambda user: not user.share and user.active
        )
        try:
            proposals = self._fr_dunning_propose(managers.company_id, today, again_after_cancel=False)
        except RatesUnavailable as unavailable:
            _logger.warning(
                "Legal rates of %s not proposed: %s", law.semester_label(start), unavailable.reason
            )
            return
        for proposal in proposals:
            for user in managers.filtered(
                lambda user, company=proposal.company_id: (
                    user.company_id == company and not user._is_superuser()
                )
            ):
                # Each manager reads it in their language (the cron has none).
                env = reader_env(self.env, user, proposal.company_id)
                note = env._(
                    "The ECB's main refinancing rate in force on %(date)s was read: %(ecb)s %%. "
                    "Enter the two taux de l'intérêt légal of the semester's arrêté and confirm: until then, "
                    "no penalty is computed for %(semester)s.",
                    date=format_date(env, law.ecb_rate_reference_day(start)),
                    ecb=formatLang(env, proposal.ecb_rate, digits=2),
                    semester=proposal.name,
                )
                proposal.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=today,
                    summary=env._("Confirm the legal rates of %(semester)s", semester=proposal.name),
                    note=note,
                    user_id=user.id,
                )
        _logger.info("Legal rates of %s proposed to %s companies", law.semester_label(start), len(proposals))
