# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_MANAGER, guarded, known_record
from .fr_dunning_ecb_data import ECB_PAGE
from .fr_dunning_evidence import reader_env
from .fr_dunning_formats import LangFormats

# Légifrance's search of the Journal officiel for the arrêtés fixing the taux de
# l'intérêt légal, newest first (an arrêté's own address is known once published).
LEGIFRANCE_SEARCH_URL = (
    "https://www.legifrance.gouv.fr/search/jorf?tab_selection=jorf&searchField=ALL"
    "&query=%22fixation+du+taux+de+l%27int%C3%A9r%C3%AAt+l%C3%A9gal%22&sortValue=PUBLICATION_DATE_DESC"
)


class FrDunningLegalRate(models.Model):
    """The reference rates of one semester.

    - ECB main refinancing rate in force on 1 January / 1 July: the base of the
      default late-payment rate between businesses (Code de commerce L441-10 II).
    - Taux de l'intérêt légal (Code monétaire et financier L313-2), published
      every semester by arrêté, in two values: for creditors who are
      individuals not acting for business, and for all other cases.
    """

    _name = "fr.dunning.legal.rate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Legal rates of a semester"
    _order = "date_start desc"
    _rec_name = "name"

    name = fields.Char(
        string="Semester",
        compute="_compute_name",
        store=True,
    )
    date_start = fields.Date(
        string="First day",
        required=True,
        help="1 January or 1 July: the semester the rates apply to.",
    )
    ecb_rate = fields.Float(
        string="ECB rate (%)",
        digits=(6, 2),
        required=True,
        help="Main refinancing rate of the European Central Bank in force on the first day of the semester.",
    )
    legal_rate_individual = fields.Float(
        string="Legal rate, creditor an individual (%)",
        digits=(6, 2),
        required=True,
        help="Taux de l'intérêt légal for creditors who are individuals not acting for professional needs.",
    )
    legal_rate_other = fields.Float(
        string="Legal rate, other cases (%)",
        digits=(6, 2),
        required=True,
        help="Taux de l'intérêt légal in all other cases: the one a company applies to its "
        "consumer customers, and the base of the 3x floor of contractual rates.",
    )
    ecb_observation_date = fields.Date(
        string="ECB observation of",
        help="When the ECB rate was read from the ECB's data service: the day of the observation "
        "it was read from (the last one on or before the first day of the semester).",
    )
    ecb_source_url = fields.Char(
        string="ECB source",
        help="The address the ECB rate was read from.",
    )
    legal_source_url = fields.Char(
        string="Arrêté",
        help="The arrêté fixing the taux de l'intérêt légal of the semester, published in the Journal "
        "officiel (Code monétaire et financier L313-2), on Légifrance.",
    )
    b2b_default_rate = fields.Float(
        string="Default B2B penalty rate (%)",
        digits=(6, 2),
        compute="_compute_b2b_default_rate",
        help="ECB rate + 10 points (Code de commerce L441-10 II).",
    )
    contractual_floor_rate = fields.Float(
        string="Lowest contractual rate (%)",
        digits=(6, 2),
        compute="_compute_b2b_default_rate",
        help="3 x the legal rate (other cases): no contractual penalty rate may be lower.",
    )

    _sql_constraints = [
        ("date_start_unique", "UNIQUE(date_start)", "The rates of this semester are already recorded."),
        (
            "rates_positive",
            "CHECK(ecb_rate >= 0 AND legal_rate_individual >= 0 AND legal_rate_other >= 0)",
            "Rates cannot be negative.",
        ),
    ]

    @api.depends("date_start")
    def _compute_name(self):
        for rate in self:
            rate.name = rate.date_start and law.semester_label(rate.date_start)

    @api.depends("ecb_rate", "legal_rate_other")
    def _compute_b2b_default_rate(self):
        for rate in self:
            rate.b2b_default_rate = law.b2b_annual_rate(rate.ecb_rate, rate.legal_rate_other)
            rate.contractual_floor_rate = law.contractual_floor(rate.legal_rate_other)

    @api.constrains("date_start")
    def _check_date_start(self):
        for rate in self:
            if rate.date_start != law.semester_start(rate.date_start) or rate.date_start.day != 1:
                raise ValidationError(
                    self.env._(
                        "A semester starts on 1 January or 1 July, not on %(date)s.",
                        date=LangFormats(self.env).date(rate.date_start),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'mail': the rates of a semester recorded, its proposals still
        # waiting have nothing left to confirm.
        rates = super().create(vals_list)
        self.env["fr.dunning.legal.rate.proposal"]._fr_dunning_close_recorded(set(rates.mapped("date_start")))
        return rates

    @api.model
    @guarded(GROUP_MANAGER, "read")
    def action_fr_dunning_fetch_ecb(self):
        """Read the ECB's rate of the current semester and open it as a
        proposal to confirm (nothing is recorded before the confirmation)."""
        return self.env["fr.dunning.legal.rate.proposal"]._fr_dunning_fetch()

    def _rates_by_semester(self, date_from, date_to):
        """{semester start: rate record} for every semester of [date_from, date_to].

        Raises a UserError naming the first semester whose rates are missing:
        a penalty is never computed at a silent 0 %.
        """
        starts = {law.semester_start(start) for start, _end in law.split_by_semester(date_from, date_to)}
        rates = self.search([("date_start", "in", sorted(starts))])
        by_start = {rate.date_start: rate for rate in rates}
        missing = sorted(starts - set(by_start))
        if missing:
            raise UserError(self._missing_message(missing[0]))
        return by_start

    def _missing_message(self, start):
        return self.env._(
            "The legal rates of semester %(semester)s are missing: a Dunning manager must "
            "enter them in %(menu)s (ECB rate on %(date)s and taux de l'intérêt légal).",
            semester=law.semester_label(start),
            menu=self._menu_path(),
            date=LangFormats(self.env).date(start),
        )

    @api.model
    def _where_to_find(self, start):
        """Where a manager finds the rates of the semester starting on ``start``."""
        return self.env._(
            "The ECB main refinancing rate in force on %(date)s is on %(ecb_page)s; the two taux de "
            "l'intérêt légal (creditor an individual, other cases) are in the arrêté published in the "
            "Journal officiel for the semester (%(legifrance)s).",
            date=LangFormats(self.env).date(law.ecb_rate_reference_day(start)),
            ecb_page=ECB_PAGE,
            legifrance=LEGIFRANCE_SEARCH_URL,
        )

    @api.model
    def _menu_path(self):
        """Where the legal rates are, as this database's menus name it: the
        accounting app is "Invoicing" on Community and "Accounting" on
        Enterprise (Facturation, Comptabilité in French)."""
        menu = known_record(self.env, "fr_dunning_addon.menu_fr_dunning_legal_rate")
        if not menu:
            return self.env._("the dunning configuration")
        return menu.sudo().complete_name.replace("/", " > ")

    @api.model
    def _cron_check_missing_rates(self, days_ahead=31):
        """Warn the dunning managers when the rates of the current semester, or of
        the next one within ``days_ahead`` days, are missing.

        One to-do activity per missing semester and manager, on the latest
        recorded semester; a second run the same day creates nothing more.
        """
        today = fields.Date.context_today(self)
        needed = [law.semester_start(today)]
        upcoming = law.next_semester_start(today)
        if upcoming - today <= timedelta(days=days_ahead):
            needed.append(upcoming)
        recorded = set(self.search([("date_start", "in", needed)]).mapped("date_start"))
        missing = [start for start in needed if start not in recorded]
        anchor = self.search([], order="date_start desc", limit=1)
        managers = self.env.ref("fr_dunning_addon.group_fr_dunning_manager").users.filtered(
            lambda user: not user.share and user.active
        )
        if not missing or not anchor or not managers:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        existing = {
            (activity.summary, activity.user_id.id)
            for activity in anchor.activity_ids.filtered(lambda a: a.activity_type_id == todo)
        }
        for start in missing:
            for user in managers.filtered(lambda u: not u._is_superuser()):
                # Each manager reads it in their language (the cron has none).
                rates = self.with_env(reader_env(self.env, user, user.company_id))
                summary = rates.env._(
                    "Enter the legal rates of %(semester)s", semester=law.semester_label(start)
                )
                if (summary, user.id) in existing:
                    continue
                anchor.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=max(today, start - timedelta(days=1)),
                    summary=summary,
                    note=rates._missing_message(start) + " " + rates._where_to_find(start),
                    user_id=user.id,
                )
