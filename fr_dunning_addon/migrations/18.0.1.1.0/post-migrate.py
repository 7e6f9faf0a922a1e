# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: the reminder emails' subjects write their deadline as the
letters do (*1er décembre 2026*, through the event's ``deadline_text``).

The email templates are ``noupdate``: an update of the addon leaves a
database installed before that change with the old subjects. This script
gives each template the new subject, in each language stored, where the
stored subject is still the one the addon shipped; a subject the company
wrote itself is left as it is, and the log says so. The bodies did not change
(they call the shared blocks, which are updated as views), nor did any other
field of the templates.

The old subjects below are the addon's sources before the change (the data
file's English, i18n/fr.po's French): they are a picture of what was shipped
and must not follow later edits of the data file.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

# Named for the log: Odoo loads the script under its file name.
_logger = logging.getLogger("odoo.addons.fr_dunning_addon.migrations.18.0.1.1.0")

# The one change of every subject: the deadline's expression.
OLD_DEADLINE = "{{ format_date(object.deadline_date, 'long') }}"
NEW_DEADLINE = "{{ object.deadline_text }}"

# The subjects shipped up to 18.0.1.0.0, per template: (English, French).
OLD_SUBJECTS = {
    "mail_template_preventive": (
        "{{ object.company_id.name }}: invoice {{ object.invoice_names }} due on " + OLD_DEADLINE,
        "{{ object.company_id.name }} : facture {{ object.invoice_names }} à échéance le " + OLD_DEADLINE,
    ),
    "mail_template_courteous": (
        "Payment reminder: invoice {{ object.invoice_names }}, to pay by " + OLD_DEADLINE,
        "Rappel de paiement : facture {{ object.invoice_names }}, à régler avant le " + OLD_DEADLINE,
    ),
    "mail_template_firm": (
        "Second reminder: invoice {{ object.invoice_names }} overdue, to pay by " + OLD_DEADLINE,
        "Deuxième relance : facture {{ object.invoice_names }} échue, à régler avant le " + OLD_DEADLINE,
    ),
    "mail_template_formal": (
        "Formal reminder: invoice {{ object.invoice_names }}, to pay by " + OLD_DEADLINE,
        "Relance formelle : facture {{ object.invoice_names }}, à régler avant le " + OLD_DEADLINE,
    ),
    "mail_template_formal_notice": (
        "Formal notice (mise en demeure): invoice {{ object.invoice_names }}, to pay by " + OLD_DEADLINE,
        "Mise en demeure : facture {{ object.invoice_names }}, à régler avant le " + OLD_DEADLINE,
    ),
    "mail_template_pre_litigation": (
        "Final notice before legal proceedings: invoice {{ object.invoice_names }}, to pay by "
        + OLD_DEADLINE,
        "Dernier avis avant poursuites : facture {{ object.invoice_names }}, à régler avant le "
        + OLD_DEADLINE,
    ),
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    update_subjects(env)
    recompute_prescriptions(env)


def recompute_prescriptions(env):
    """18.0.1.1.0 also changed how a litigation and the interruptions move the
    prescription (Code civil 2229 to 2243): a mediation suspends from its
    first meeting, no longer from the creditor's referral; the small-claims
    procedure the debtor agreed to suspends; a lapsed summons, a claim
    dismissed or a corrected legal action no longer interrupts; an
    interruption after the last day revives nothing. The stored dates only
    follow a change of their invoices' steps or events: those of the invoices
    that have a litigation or an interruption are computed again here."""
    Move = env["account.move"]
    moves = Move.search(
        [
            ("move_type", "=", "out_invoice"),
            "|",
            ("fr_dunning_litigation_ids", "!=", False),
            ("fr_dunning_event_ids.event_type", "in", law.PRESCRIPTION_INTERRUPTING_EVENTS),
        ]
    )
    if not moves:
        return
    for name in ("fr_dunning_prescription_date", "fr_dunning_prescription_suspended"):
        env.add_to_compute(Move._fields[name], moves)
    moves.flush_recordset(["fr_dunning_prescription_date", "fr_dunning_prescription_suspended"])
    _logger.info("Prescription dates computed again for %s invoices.", len(moves))


def update_subjects(env):
    """Renew the subjects still as shipped, language by language; log the
    templates, or the languages of a template, left as they are and why."""
    templates = {
        xmlid: env.ref(f"fr_dunning_addon.{xmlid}", raise_if_not_found=False) for xmlid in OLD_SUBJECTS
    }
    for xmlid, template in templates.items():
        if not template:
            _logger.info("Email template %s: not found (deleted), nothing to update.", xmlid)
    found = [template for template in templates.values() if template]
    if not found:
        return
    # The translations as stored (one jsonb per template): the ORM reads one
    # language at a time and falls back to English where one is missing.
    stored = dict(
        env.execute_query(
            SQL("SELECT id, subject FROM mail_template WHERE id = ANY(%s)", [t.id for t in found])
        )
    )
    active = {code for code, _name in env["res.lang"].get_installed()} | {"en_US"}
    for xmlid, template in templates.items():
        if not template:
            continue
        renewed = {old: old.replace(OLD_DEADLINE, NEW_DEADLINE) for old in OLD_SUBJECTS[xmlid]}
        updates, edited, inactive = {}, [], []
        for lang, subject in sorted((stored.get(template.id) or {}).items()):
            if subject in renewed.values():
                continue  # already the new subject
            if subject not in renewed:
                edited.append(lang)
            elif lang in active:
                updates[lang] = renewed[subject]
            else:
                inactive.append(lang)
        if updates:
            template.update_field_translations("subject", updates)
            _logger.info(
                "Email template %s (%s): subject updated in %s.", xmlid, template.name, ", ".join(updates)
            )
        if edited:
            _logger.info(
                "Email template %s (%s): subject left as it is in %s: it is not the subject the addon "
                "shipped, the company wrote its own.",
                xmlid,
                template.name,
                ", ".join(edited),
            )
        if inactive:
            _logger.info(
                "Email template %s (%s): subject left as it is in %s: the language is not active.",
                xmlid,
                template.name,
                ", ".join(inactive),
            )
