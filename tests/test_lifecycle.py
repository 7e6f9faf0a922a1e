# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""E-invoicing lifecycle statuses drive the chasing: each status and each
reaction is an event; refusals open disputes, suspensions and payments sent
pause, rejections are not chased, factoring stops own dunning; the same
status twice is recorded once; the feeds refuse who may not feed them."""

import base64
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law
from odoo.addons.fr_dunning_addon.models.fr_dunning_lifecycle_feed import bridge_field, status_code

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestLifecycle(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.business.email = "compta@dupont.example"
            cls.invoice = cls._invoice(cls.business, "2026-10-04", "2026-11-03", 1000.0)

    def _record(self, *statuses, user=None):
        Status = self.env["fr.dunning.lifecycle.status"].with_user(user or self.dunning_user)
        return Status.record_statuses([{"invoice": self.invoice.id, **status} for status in statuses])

    def _events(self):
        return self.env["fr.dunning.event"].search(
            [("move_ids", "in", self.invoice.ids), ("event_type", "=", "lifecycle")], order="id"
        )

    def test_refused_opens_a_dispute_with_the_buyers_reason(self):
        status = self._record(
            {"code": "210", "date": "2026-11-20", "reason": "Erreur de prix sur la ligne 2"}
        )
        self.assertRecordValues(
            status,
            [{"code": "210", "purchase_order_missing": False, "company_id": self.company.id}],
        )
        self.assertRecordValues(status.dispute_id, [{"category": "price", "state": "open"}])
        self.assertIn("Erreur de prix sur la ligne 2", status.dispute_id.note)
        self.assertEqual(self.invoice.fr_dunning_blocked, "dispute")
        # The status is an event; the dispute logs its own.
        self.assertEqual(status.event_id, self._events())
        self.assertIn("210", status.event_id.name)
        self.assertTrue(
            self.env["fr.dunning.event"].search_count(
                [("move_ids", "in", self.invoice.ids), ("event_type", "=", "dispute")]
            )
        )
        # In dispute (207) the next day: the dispute is already open, none more.
        later = self._record({"code": "207", "date": "2026-11-21", "reason": "Litige"})
        self.assertFalse(later.dispute_id)
        self.assertEqual(
            self.env["fr.dunning.dispute"].search_count([("move_ids", "in", self.invoice.ids)]), 1
        )

    def test_refused_for_a_missing_purchase_order_is_flagged(self):
        status = self._record(
            {
                "code": "210",
                "date": "2026-11-20",
                "reason_code": "REF_CMD",
                "reason": "Numéro de bon de commande absent",
            }
        )
        self.assertTrue(status.purchase_order_missing)
        self.assertIn("does not move the due date", status.dispute_id.note)
        # The due date stands: the penalties still run from 03/11/2026.
        self.assertEqual(self.invoice.fr_dunning_due_date, date(2026, 11, 3))
        self.assertTrue(law.lifecycle_purchase_order_missing("210", "", "purchase order number missing"))
        self.assertFalse(law.lifecycle_purchase_order_missing("207", "", "bon de commande"))

    def test_suspended_pauses_until_completed(self):
        suspended = self._record({"code": "208", "date": "2026-11-20", "reason_code": "JUSTIF_ABS"})
        hold = suspended.hold_id
        self.assertRecordValues(hold, [{"kind": "suspended", "state": "open"}])
        self.assertEqual(self.invoice.fr_dunning_blocked, "einvoicing")
        todo = self.invoice.activity_ids.filtered(lambda a: "missing document" in (a.summary or ""))
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.date_deadline, date(2026, 11, 20))
        self._record({"code": "209", "date": "2026-11-22"})
        self.assertRecordValues(hold, [{"state": "closed"}])
        self.assertFalse(self.invoice.fr_dunning_blocked)

    def test_payment_sent_holds_the_reminders_for_the_companys_days(self):
        self.company.fr_dunning_payment_sent_days = 10
        status = self._record({"code": "211", "date": "2026-11-20"})
        # 20/11/2026 + 10 days = 30/11/2026.
        self.assertRecordValues(status.hold_id, [{"kind": "payment_sent", "until": date(2026, 11, 30)}])
        self.assertEqual(self.invoice.fr_dunning_blocked, "einvoicing")
        Hold = self.env["fr.dunning.lifecycle.hold"]
        with freeze_time("2026-11-30"):
            self.assertFalse(Hold._cron_fr_dunning_lifecycle_holds())
        self.assertEqual(self.invoice.fr_dunning_blocked, "einvoicing")
        with freeze_time("2026-12-01"):
            self.assertEqual(Hold._cron_fr_dunning_lifecycle_holds(), status.hold_id)
        self.assertFalse(self.invoice.fr_dunning_blocked)

    def test_reaction_messages_are_extractable(self):
        # Odoo's export reads the file with Babel: every message must be seen,
        # those after an f-string too.
        from babel.messages import extract

        from odoo.tools.misc import file_path

        path = file_path("fr_dunning_addon/models/fr_dunning_lifecycle_reaction.py")
        with open(path, "rb") as source:
            found = {
                message for _line, message, *_rest in extract.extract("python", source, keywords={"_": None})
            }
        self.assertIn("Payment sent by the buyer (211): reminders held until %(date)s", found)
        self.assertIn("Reminders held until %(date)s.", found)
        self.assertIn("E-invoicing status %(status)s on %(date)s%(reason)s", found)

    def test_rejected_is_not_chased_until_filed_again(self):
        status = self._record({"code": "213", "date": "2026-11-20", "reason_code": "SIREN_ERR"})
        self.assertRecordValues(status, [{"duplicate": False}])
        self.assertRecordValues(status.hold_id, [{"kind": "rejected", "state": "open"}])
        self.env["fr.dunning.escalation"].with_user(self.dunning_user)._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=self.business
        )
        self.assertFalse(
            self.env["fr.dunning.event"].search(
                [("move_ids", "in", self.invoice.ids), ("event_type", "=", "reminder")]
            )
        )
        self._record({"code": "200", "date": "2026-11-22"})
        self.assertRecordValues(status.hold_id, [{"state": "closed"}])
        self.assertFalse(self.invoice.fr_dunning_blocked)

    def test_rejected_as_a_duplicate_concerns_the_duplicate_only(self):
        status = self._record(
            {"code": "213", "date": "2026-11-20", "reason_code": "DOUBLON", "reason": "Doublon"}
        )
        self.assertRecordValues(status, [{"duplicate": True, "hold_id": False}])
        self.assertIn("duplicate", status.reaction)
        self.assertFalse(self.invoice.fr_dunning_blocked)

    def test_approved_is_evidence_that_the_debt_is_not_disputed(self):
        status = self._record({"code": "205", "date": "2026-11-20"})
        self.assertIn("not disputed", status.reaction)
        self.assertEqual(status.event_id.event_type, "lifecycle")
        self.assertFalse(self.invoice.fr_dunning_blocked)

    def test_factoring_stops_own_dunning(self):
        status = self._record({"code": "225", "date": "2026-11-20"})
        self.assertRecordValues(status.hold_id, [{"kind": "factored", "state": "open", "until": False}])
        self.assertEqual(self.invoice.fr_dunning_blocked, "einvoicing")
        status.hold_id.with_user(self.dunning_user).action_close()
        self.assertFalse(self.invoice.fr_dunning_blocked)

    def test_the_same_status_twice_is_recorded_once(self):
        first = self._record({"code": "205", "date": "2026-11-20"})
        again = self._record({"code": "205", "date": "2026-11-20"}, {"code": "205", "date": "2026-11-20"})
        self.assertFalse(again)
        self.assertEqual(
            self.env["fr.dunning.lifecycle.status"].search([("move_id", "=", self.invoice.id)]), first
        )
        self.assertEqual(len(self._events()), 1)

    def test_csv_import(self):
        data = (
            "Facture;Statut;Date;Motif\n"
            f"{self.invoice.name};210;20/11/2026;Marchandise non reçue\n"
            f"{self.invoice.name};VRBL:FR:205;21/11/2026;\n"
        ).encode()
        wizard = (
            self.env["fr.dunning.lifecycle.import"]
            .with_user(self.dunning_user)
            .create({"file": base64.b64encode(data), "filename": "statuts.csv"})
        )
        action = wizard.action_import()
        statuses = self.env["fr.dunning.lifecycle.status"].search(action["domain"], order="code")
        self.assertRecordValues(
            statuses,
            [
                {"code": "205", "date": date(2026, 11, 21), "source": "import"},
                {"code": "210", "date": date(2026, 11, 20), "source": "import"},
            ],
        )
        self.assertEqual(statuses[1].dispute_id.category, "not_received")
        # The same file again: nothing new.
        self.assertFalse(self.env["fr.dunning.lifecycle.status"].search(wizard.action_import()["domain"]))

    def test_who_may_feed_statuses(self):
        billing = new_test_user(
            self.env,
            login="fr_dunning_lifecycle_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        company_2 = self.setup_other_company(name="Seconde Société SAS")["company"]
        c2_manager = new_test_user(
            self.env,
            login="fr_dunning_lifecycle_c2",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=company_2.id,
            company_ids=[company_2.id],
        )
        for user in (billing, c2_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._record({"code": "213", "date": "2026-11-20"}, user=user)
        # By number, another company's invoice is not found at all.
        with self.assertRaises(UserError):
            self.env["fr.dunning.lifecycle.status"].with_user(c2_manager).record_statuses(
                [{"invoice": self.invoice.name, "code": "213", "date": "2026-11-20"}]
            )
        self.assertFalse(self.env["fr.dunning.lifecycle.status"].search([]))
        self.assertFalse(self.invoice.fr_dunning_blocked)
        status = self._record({"code": "205", "date": "2026-11-20"})
        Status = self.env["fr.dunning.lifecycle.status"].with_user(self.dunning_manager)
        with self.assertRaises(AccessError):
            Status.create({"move_id": self.invoice.id, "code": "212", "date": "2026-11-20"})
        with self.assertRaises(AccessError):
            status.with_user(self.dunning_manager).write({"code": "210"})
        with self.assertRaises(AccessError):
            status.with_user(self.dunning_manager).unlink()
        with self.assertRaises(AccessError):
            self.env["fr.dunning.lifecycle.hold"].with_user(self.dunning_manager).create(
                {"partner_id": self.business.id, "move_ids": [(6, 0, self.invoice.ids)], "kind": "factored"}
            )
        # Nobody clears the pause reason of a status by writing on the invoice.
        self._record({"code": "225", "date": "2026-11-21"})
        with self.assertRaises(UserError):
            self.invoice.with_user(self.dunning_manager).write({"fr_dunning_blocked": False})

    def test_bridge_to_the_invoices_lifecycle_field(self):
        self.assertEqual(status_code("VRBL:FR:210"), "210")
        self.assertEqual(status_code("211_payment_sent"), "211")
        self.assertIsNone(status_code("refused"))
        name = bridge_field(self.env["account.move"])
        if not name:
            self.skipTest(
                "This Odoo has no e-invoicing lifecycle-status field on account.move "
                "(no l10n_fr e-invoicing module with one): the bridge stays idle."
            )
        self.invoice.write({name: "210"})
        self.assertEqual(self.invoice.fr_dunning_lifecycle_ids.code, "210")
