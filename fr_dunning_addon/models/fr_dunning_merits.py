# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The action on the merits (action au fond): what its deadlines say.

The steps are recorded like those of the other routes (the step wizard, the
nightly check for a lapsed summons or a void judgment by default); the
periods are ``fr_dunning_law.merits_deadlines``. Here: the deadlines' labels
and to-dos, what a manager is warned of when a deadline passes, and the
warning a dismissal gives about the prescription."""

from odoo import api, models
from odoo.tools import format_date

from . import fr_dunning_law as law

MERITS_DEADLINES = (
    "merits_hearing",
    "merits_lodging_judiciaire",
    "merits_lodging_commerce",
    "merits_appeal",
    "merits_company_appeal",
)


class FrDunningLitigation(models.Model):
    _inherit = "fr.dunning.litigation"

    @api.model
    def _fr_dunning_deadline_labels(self, env):
        # EXTENDS fr_dunning_addon: the action on the merits' deadlines.
        labels = super()._fr_dunning_deadline_labels(env)
        lodge = env._("Lodge the summons with the registry by")
        labels.update(
            {
                "merits_hearing": env._("Next hearing, or the judgment, on the merits"),
                "merits_lodging_judiciaire": lodge,
                "merits_lodging_commerce": lodge,
                "merits_appeal": env._("Appeal period of the judgment ends"),
                "merits_company_appeal": env._("The company's appeal period ends"),
            }
        )
        return labels

    @api.model
    def _fr_dunning_deadline_texts(self, env, code, when=None, article=""):
        # EXTENDS fr_dunning_addon: the to-dos of the action on the merits.
        if code not in MERITS_DEADLINES:
            return super()._fr_dunning_deadline_texts(env, code, when, article)
        day = when and format_date(env, when)
        if code == "merits_hearing":
            return (
                env._("Hearing or judgment on the merits on %(date)s", date=day),
                env._(
                    "The hearing the summons names, or the day the last hearing set: an adjournment, or the "
                    "judgment given (%(article)s).",
                    article=article,
                ),
            )
        if code == "merits_company_appeal":
            return (
                env._("The company's appeal period against the judgment ends on %(date)s", date=day),
                env._(
                    "The judgment dismissed all or part of the claim: appeal by then if the company "
                    "does, or the dismissal is final and the summons no longer interrupts the "
                    "prescription of what was dismissed (Code civil 2243). Source: %(article)s.",
                    article=article,
                ),
            )
        if code == "merits_appeal":
            return (
                env._("Appeal period of the judgment ends on %(date)s", date=day),
                env._(
                    "Without an appeal by then the judgment is final: instruct the commissaire de justice "
                    "to enforce it. A judgment of first instance can be enforced from its service, an "
                    "appeal notwithstanding, unless it says otherwise (CPC 514). Source: %(article)s.",
                    article=article,
                ),
            )
        return (
            env._("Lodge the copy of the summons with the court registry by %(date)s", date=day),
            env._(
                "The court is seised by the copy of the summons lodged with its registry. Lodged later, "
                "the summons lapses, and the interruption of the prescription it brought is void "
                "(%(article)s, Code civil 2243).",
                article=article,
            ),
        )

    @api.model
    def _fr_dunning_sanction_text(self, code, env):
        # EXTENDS fr_dunning_addon: a summons on the merits that lapsed.
        if code == "merits_lodging_judiciaire":
            return env._(
                "Summons lapsed: its copy was not lodged with the registry of the tribunal judiciaire in "
                "time (CPC 754). The prescription is no longer interrupted by it (Code civil 2243): serve a "
                "new summons before the invoices prescribe."
            )
        if code == "merits_lodging_commerce":
            return env._(
                "Summons lapsed: its copy was not lodged with the registry of the tribunal de commerce in "
                "time (CPC 857). The prescription is no longer interrupted by it (Code civil 2243): serve a "
                "new summons before the invoices prescribe."
            )
        return super()._fr_dunning_sanction_text(code, env)

    def _fr_dunning_court_warning(self, deadlines, env):
        # EXTENDS fr_dunning_addon: a claim dismissed, not appealed.
        warning = super()._fr_dunning_court_warning(deadlines, env)
        # The lapse has its own warning (the passed deadline's): here the
        # dismissal only.
        if not law.summons_interruption_void(self._fr_dunning_court_steps(), lodged_in_time=True):
            return warning
        text = env._(
            "Claim dismissed: unless the judgment is appealed, the summons no longer interrupts the "
            "prescription (Code civil 2243)."
        )
        return f"{warning} {text}" if warning else text
