# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The history is written in the company's language: an English-speaking user
of a French company leaves French events and notes, with French dates and
amounts (the terms are read from i18n/fr.po)."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tools import html2plaintext

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestHistoryLanguage(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        cls.company.partner_id.lang = "fr_FR"
        cls.business.email = "compta@dupont.example"

    def setUp(self):
        super().setUp()
        self.assertEqual(self.dunning_user.lang, "en_US")
        self.assertEqual(self.dunning_manager.lang, "en_US")

    @staticmethod
    def _as(records, user):
        """``records`` as ``user`` works on them: in the user's language."""
        return records.with_user(user).with_context(lang=user.lang)

    def _events(self, event_type):
        return self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("event_type", "=", event_type)], order="id"
        )

    @staticmethod
    def _text(html):
        return (
            html2plaintext(html or "")
            .replace("\N{NO-BREAK SPACE}", " ")
            .replace("\N{NARROW NO-BREAK SPACE}", " ")
        )

    def _chatter(self, record):
        return [self._text(message.body) for message in record.message_ids]

    def test_dispute(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        dispute = self._as(self.env["fr.dunning.dispute"], self.dunning_user).create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice.ids)],
                "category": "quality",
                "note": "Parquet rayé",
                "review_date": date(2026, 12, 15),
            }
        )
        opened = self._events("dispute")
        self.assertEqual(opened.name, "Litige ouvert")
        self.assertEqual(
            self._text(opened.note), "Litige ouvert (Qualité) : Parquet rayé — à revoir le 15/12/2026"
        )
        self.assertIn(
            "Litige ouvert (Qualité) : Parquet rayé — à revoir le 15/12/2026", self._chatter(invoice)
        )
        dispute.resolution = "Avoir accordé"
        self._as(dispute, self.dunning_user).action_resolve()
        resolved = self._events("dispute")[1:]
        self.assertEqual(resolved.name, "Litige résolu")
        self.assertEqual(self._text(resolved.note), "Litige résolu : Avoir accordé")

    def test_promise(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        promise = self._as(self.env["fr.dunning.promise"], self.dunning_user).create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice.ids)],
                "promise_date": date(2026, 12, 4),
                "amount": 600.0,
            }
        )
        made = self._events("promise")
        self.assertEqual(made.name, "Promesse de paiement")
        self.assertEqual(self._text(made.note), "Promesse de payer 600,00 € au plus tard le 04/12/2026")
        self.assertIn("Promesse de payer 600,00 € au plus tard le 04/12/2026", self._chatter(promise))
        self._as(promise, self.dunning_user).action_cancel()
        cancelled = self._events("promise")[1:]
        self.assertEqual(
            (cancelled.name, self._text(cancelled.note)), ("Promesse annulée", "Promesse annulée.")
        )

    def test_payment_plan(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 750.0)
        plan = self._as(self.env["fr.dunning.payment.plan"], self.dunning_user).create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice.ids)],
                "instalment_count": 3,
                "first_date": date(2026, 12, 15),
            }
        )
        plan.action_compute_lines()
        plan.action_confirm()
        confirmed = self._events("note")
        self.assertEqual(confirmed.name, "Échéancier")
        self.assertEqual(
            self._text(confirmed.note), "Échéancier : 750,00 € en 3 échéances, du 15/12/2026 au 15/02/2027"
        )
        # The late instalment: the email in the customer's language (English),
        # the history in the company's.
        with freeze_time("2026-12-19"):
            self.env["fr.dunning.payment.plan"].with_context(lang="en_US")._cron_fr_dunning_payment_plans()
        late = self._events("reminder")
        self.assertEqual(late.name, "Échéance en retard")
        self.assertIn("L'échéance de 250,00 € prévue le 15/12/2026", self._text(late.note))
        email = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.business.id),
                ("message_type", "=", "comment"),
            ]
        )
        self.assertEqual(email.subject, f"Late instalment: {self.company.name}")
        self.assertIn("The instalment of", self._text(email.body))

    def test_litigation(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        litigation = self._as(self.env["fr.dunning.litigation"], self.dunning_manager).create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice.ids)],
                "route": "injunction",
            }
        )
        opened = self._events("legal_action")
        self.assertEqual(opened.name, "Contentieux")
        self.assertEqual(self._text(opened.note), "Transmis au contentieux : Injonction de payer")
        litigation.outcome = "judgment"
        self._as(litigation, self.dunning_manager).action_close()
        closed = self._events("note")
        self.assertEqual(
            (closed.name, self._text(closed.note)),
            ("Contentieux clôturé", "Contentieux clôturé : Jugement obtenu"),
        )

    def test_exclusion_note(self):
        self._as(self.business, self.dunning_user).action_fr_dunning_toggle_excluded()
        self.assertIn(
            f"Exclu des relances automatiques dans {self.company.name}.", self._chatter(self.business)
        )
