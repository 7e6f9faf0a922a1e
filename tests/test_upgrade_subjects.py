# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Updating a database installed with 18.0.1.0.0: the email templates are
``noupdate``, so the 18.0.1.1.0 migration gives them the new subjects (the
deadline written as the letters write it), where the subject is still the one
the addon shipped, in English and in French; a subject the company wrote
stays."""

import importlib.util
import logging
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tools.misc import file_path

from .common import TODAY, FrDunningCase

SCRIPT = "fr_dunning_addon/migrations/18.0.1.1.0/post-migrate.py"
LOGGER = "odoo.addons.fr_dunning_addon.migrations.18.0.1.1.0"

# The courteous reminder's subject as 18.0.1.0.0 shipped it (the data file and
# i18n/fr.po before the change), and as it is now.
OLD_EN = (
    "Payment reminder: invoice {{ object.invoice_names }}, "
    "to pay by {{ format_date(object.deadline_date, 'long') }}"
)
OLD_FR = (
    "Rappel de paiement : facture {{ object.invoice_names }}, "
    "à régler avant le {{ format_date(object.deadline_date, 'long') }}"
)
NEW_EN = "Payment reminder: invoice {{ object.invoice_names }}, to pay by {{ object.deadline_text }}"
NEW_FR = (
    "Rappel de paiement : facture {{ object.invoice_names }}, à régler avant le {{ object.deadline_text }}"
)


def _load_script():
    spec = importlib.util.spec_from_file_location("fr_dunning_post_migrate_18_0_1_1_0", file_path(SCRIPT))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@freeze_time(TODAY)
class TestUpgradeSubjects(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        cls.script = _load_script()
        cls.templates = {xmlid: cls.env.ref(f"fr_dunning_addon.{xmlid}") for xmlid in cls.script.OLD_SUBJECTS}
        cls.courteous = cls.templates["mail_template_courteous"]

    def _stored(self, template):
        """The subject's translations as stored: {lang: subject}."""
        return template._fields["subject"]._get_stored_translations(template)

    def _as_installed_before(self, template, en, fr):
        template.update_field_translations("subject", {"en_US": en, "fr_FR": fr})

    def _migrate(self):
        self.env.flush_all()
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            self.script.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        return "\n".join(logs.output)

    def test_old_subjects_renewed_in_english_and_french(self):
        # What a new install stores: the subjects of today's data file and fr.po.
        installed = {xmlid: self._stored(template) for xmlid, template in self.templates.items()}
        self.assertEqual(installed["mail_template_courteous"], {"en_US": NEW_EN, "fr_FR": NEW_FR})
        self._as_installed_before(self.courteous, OLD_EN, OLD_FR)
        self.assertEqual(self.courteous.with_context(lang="fr_FR").subject, OLD_FR)
        for xmlid, (old_en, old_fr) in self.script.OLD_SUBJECTS.items():
            self._as_installed_before(self.templates[xmlid], old_en, old_fr)
        log = self._migrate()
        self.assertEqual(self._stored(self.courteous), {"en_US": NEW_EN, "fr_FR": NEW_FR})
        self.assertEqual(self.courteous.with_context(lang="fr_FR").subject, NEW_FR)
        self.assertEqual(self.courteous.with_context(lang="en_US").subject, NEW_EN)
        # Every template is as a new install has it, and says so in the log.
        for xmlid, template in self.templates.items():
            self.assertEqual(self._stored(template), installed[xmlid], xmlid)
            self.assertIn(f"Email template {xmlid} ({template.name}): subject updated in en_US, fr_FR.", log)
        self.assertNotIn("left as it is", log)

        # The subject a French customer now receives: the 1st of December as
        # the letters write it, where the old subject said "1 décembre 2026".
        partner = self.business
        partner.lang = "fr_FR"
        invoice = self._invoice(partner, "2026-10-01", "2026-10-31", 1000.0)
        event = (
            self.env["fr.dunning.event"]
            .sudo()
            .create(
                {
                    "name": "Relance amiable",
                    "company_id": self.company.id,
                    "partner_id": partner.id,
                    "event_type": "reminder",
                    "channel": "email",
                    "move_ids": [Command.set(invoice.ids)],
                    "deadline_date": date(2026, 12, 1),
                }
            )
        )
        subject = self.courteous._render_field("subject", event.ids, compute_lang=True)[event.id]
        self.assertEqual(
            subject, f"Rappel de paiement : facture {invoice.name}, à régler avant le 1er\xa0décembre 2026"
        )

        # Run again (an update interrupted and started over): nothing to do.
        self.env.flush_all()
        with self.assertNoLogs(LOGGER, logging.INFO):
            self.script.migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(self._stored(self.courteous), {"en_US": NEW_EN, "fr_FR": NEW_FR})

    def test_subject_written_by_the_company_stays(self):
        firm = self.templates["mail_template_firm"]
        old_firm_en, old_firm_fr = self.script.OLD_SUBJECTS["mail_template_firm"]
        # The company rewrote the French subject of the courteous reminder only,
        # and both subjects of the firm one.
        own_fr = "Petit rappel : facture {{ object.invoice_names }} à régler sous huitaine"
        self._as_installed_before(self.courteous, OLD_EN, own_fr)
        own_firm_en = old_firm_en.replace("Second reminder", "Second and last friendly reminder")
        own_firm_fr = old_firm_fr.replace("Deuxième relance", "Seconde relance")
        self._as_installed_before(firm, own_firm_en, own_firm_fr)
        log = self._migrate()
        self.assertEqual(self._stored(self.courteous), {"en_US": NEW_EN, "fr_FR": own_fr})
        self.assertEqual(self._stored(firm), {"en_US": own_firm_en, "fr_FR": own_firm_fr})
        self.assertIn(
            "Email template mail_template_courteous (Dunning: courteous reminder): subject updated in en_US.",
            log,
        )
        self.assertIn(
            "Email template mail_template_courteous (Dunning: courteous reminder): subject left as it is "
            "in fr_FR: it is not the subject the addon shipped, the company wrote its own.",
            log,
        )
        self.assertIn(
            "Email template mail_template_firm (Dunning: firm reminder): subject left as it is "
            "in en_US, fr_FR: it is not the subject the addon shipped, the company wrote its own.",
            log,
        )
        self.assertNotIn("mail_template_firm (Dunning: firm reminder): subject updated", log)

    def test_deleted_template_and_inactive_language(self):
        """A template the company deleted is reported; a translation kept for
        a language no longer active is left (Odoo refuses to write it)."""
        self.env["res.lang"]._activate_lang("fr_BE")
        self._as_installed_before(self.courteous, OLD_EN, OLD_FR)
        self.courteous.update_field_translations("subject", {"fr_BE": OLD_FR})
        self.env["res.lang"].search([("code", "=", "fr_BE")]).active = False
        self.templates["mail_template_preventive"].unlink()
        log = self._migrate()
        self.assertEqual(self._stored(self.courteous), {"en_US": NEW_EN, "fr_FR": NEW_FR, "fr_BE": OLD_FR})
        self.assertIn("Email template mail_template_preventive: not found (deleted), nothing to update.", log)
        self.assertIn(
            "Email template mail_template_courteous (Dunning: courteous reminder): subject left as it is "
            "in fr_BE: the language is not active.",
            log,
        )

    def test_new_install_runs_nothing(self):
        """Odoo runs no migration on a new install (no version installed
        before); called so all the same, the script changes nothing."""
        self._as_installed_before(self.courteous, OLD_EN, OLD_FR)
        self.env.flush_all()
        with self.assertNoLogs(LOGGER, logging.INFO):
            self.script.migrate(self.env.cr, "")
        self.assertEqual(self._stored(self.courteous), {"en_US": OLD_EN, "fr_FR": OLD_FR})
