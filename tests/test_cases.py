# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Disputes, promises to pay and prescription."""

import csv
import io
import re
import zipfile
from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user
from odoo.tools.safe_eval import safe_eval

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestDisputesAndPromises(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business.email = "compta@dupont.example"
        cls.Escalation = cls.env["fr.dunning.escalation"]
        cls.standard = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        cls.levels = {lvl.offset_days: lvl for lvl in cls.standard.level_ids}

    def _events(self, event_type):
        return self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("event_type", "=", event_type)]
        )

    def test_dispute_pauses_then_resumes_at_the_same_level(self):
        disputed = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        other = self._invoice(self.business, "2026-10-05", "2026-11-04", 200.0)
        self.Escalation._run(self.company, today=date(2026, 11, 23), partners=self.business)
        self.assertEqual(disputed.fr_dunning_level_id, self.levels[1])
        dispute = (
            self.env["fr.dunning.dispute"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(disputed.ids)],
                    "category": "quality",
                    "note": "Parquet rayé à la livraison",
                    "review_date": date(2026, 12, 7),
                }
            )
        )
        self.assertEqual(disputed.fr_dunning_blocked, "dispute")
        self.assertFalse(other.fr_dunning_blocked)
        self.assertEqual(len(self._events("dispute")), 1)
        self.assertEqual(self.business.fr_dunning_disputed_amount, 1000.0)
        # The owner is reminded on the review date.
        self.assertRecordValues(
            dispute.activity_ids, [{"date_deadline": date(2026, 12, 7), "user_id": self.dunning_user.id}]
        )
        # Days later, only the undisputed invoice is chased.
        self.Escalation._run(self.company, today=date(2026, 12, 8), partners=self.business)
        self.assertEqual(disputed.fr_dunning_level_id, self.levels[1])
        self.assertEqual(other.fr_dunning_level_id, self.levels[15])
        dispute.resolution = "Avoir partiel refusé, livraison conforme"
        dispute.action_resolve()
        self.assertEqual(dispute.state, "resolved")
        self.assertFalse(disputed.fr_dunning_blocked)
        self.assertFalse(dispute.activity_ids)
        self.assertEqual(len(self._events("dispute")), 2)
        # Chasing resumes one level up from where the invoice was.
        self.Escalation._run(self.company, today=date(2026, 12, 16), partners=self.business)
        self.assertEqual(disputed.fr_dunning_level_id, self.levels[15])

    def test_dispute_keeps_another_reason(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        invoice.sudo().fr_dunning_blocked = "litigation"
        dispute = self.env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)], "note": "Prix"}
        )
        self.assertEqual(invoice.fr_dunning_blocked, "litigation")
        dispute.action_resolve()
        self.assertEqual(invoice.fr_dunning_blocked, "litigation", "resolving a dispute leaves other reasons")

    def test_dispute_needs_invoices_of_the_customer(self):
        invoice = self._invoice(self.consumer, "2026-10-04", "2026-11-03", 100.0)
        with self.assertRaises(ValidationError):
            self.env["fr.dunning.dispute"].create(
                {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)]}
            )

    def test_promise_kept_closes_itself(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        promise = self.env["fr.dunning.promise"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice.ids)],
                "promise_date": date(2026, 11, 30),
                "amount": 600.0,
            }
        )
        self.assertEqual(invoice.fr_dunning_blocked, "promise")
        self.assertEqual(promise.deadline, date(2026, 12, 3), "three grace days by default")
        self._pay(invoice, 600.0, "2026-11-28")
        with freeze_time("2026-11-29"):
            kept, broken = self.env["fr.dunning.promise"]._cron_fr_dunning_promises()
        self.assertEqual((kept, broken), (promise, self.env["fr.dunning.promise"]))
        self.assertEqual(promise.state, "kept")
        self.assertFalse(invoice.fr_dunning_blocked)

    def test_promise_broken_resumes_chasing_at_once(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        self.Escalation._run(self.company, today=date(2026, 11, 23), partners=self.business)
        promise = self.env["fr.dunning.promise"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice.ids)],
                "promise_date": date(2026, 11, 30),
                "amount": 1000.0,
            }
        )
        self._pay(invoice, 300.0, "2026-12-01")
        # Within the grace days: still pending, nothing sent.
        with freeze_time("2026-12-03"):
            self.env["fr.dunning.promise"]._cron_fr_dunning_promises()
        self.assertEqual(promise.state, "open")
        self.assertEqual(invoice.fr_dunning_level_id, self.levels[1])
        with freeze_time("2026-12-04"):
            self.env["fr.dunning.promise"]._cron_fr_dunning_promises()
        self.assertEqual(promise.state, "broken")
        self.assertEqual(promise.paid_since, 300.0)
        self.assertFalse(invoice.fr_dunning_blocked)
        # The next level went out the same night, and the responsible has a to-do.
        self.assertEqual(invoice.fr_dunning_level_id, self.levels[15])
        self.assertEqual(invoice.fr_dunning_last_date, date(2026, 12, 4))
        self.assertTrue(
            self.business.activity_ids.filtered(lambda a: "Promise to pay broken" in (a.summary or ""))
        )
        self.assertEqual(len(self._events("promise")), 2)

    def test_promise_from_a_call(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        wizard = (
            self.env["fr.dunning.call.wizard"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "outcome": "promise",
                    "promise_date": date(2026, 12, 1),
                    "promise_amount": 400.0,
                }
            )
        )
        wizard.action_log()
        promise = self.env["fr.dunning.promise"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(
            promise, [{"amount": 400.0, "promise_date": date(2026, 12, 1), "residual_at_promise": 1000.0}]
        )
        self.assertEqual(invoice.fr_dunning_blocked, "promise")

    def test_promise_above_the_debt_refused(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 100.0)
        with self.assertRaises(ValidationError):
            self.env["fr.dunning.promise"].create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "promise_date": date(2026, 12, 1),
                    "amount": 150.0,
                }
            )

    def test_user_without_dunning_group_cannot_open_a_dispute(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 100.0)
        clerk = new_test_user(self.env, login="fr_dunning_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["fr.dunning.dispute"].with_user(clerk).create(
                {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)]}
            )


@freeze_time(TODAY)
class TestPrescription(FrDunningCase):
    def test_law(self):
        # Code de commerce L110-4: 5 years; Code de la consommation L218-2: 2 years.
        self.assertEqual(law.prescription_date(date(2021, 12, 15), False), date(2026, 12, 15))
        self.assertEqual(law.prescription_date(date(2024, 12, 15), True), date(2026, 12, 15))
        self.assertEqual(law.prescription_date(date(2024, 2, 29), True), date(2026, 2, 28))
        # Code civil 2240: an acknowledgement starts a new period.
        self.assertEqual(law.prescription_date(date(2021, 12, 15), False, date(2023, 3, 1)), date(2028, 3, 1))

    def test_invoice_dates_and_interruption(self):
        business = self._invoice(self.business, "2021-05-15", "2021-06-14", 500.0)
        consumer = self._invoice(self.consumer, "2025-04-01", "2025-05-01", 80.0)
        self.assertEqual(business.fr_dunning_prescription_date, date(2026, 6, 14))
        self.assertEqual(consumer.fr_dunning_prescription_date, date(2027, 5, 1))
        # A formal notice does not interrupt; a written acknowledgement does.
        self._event(self.business, business, "registered_letter", "2026-01-10 10:00:00", "Mise en demeure")
        self.assertEqual(business.fr_dunning_prescription_date, date(2026, 6, 14))
        self._event(
            self.business,
            business,
            "acknowledgement",
            "2026-02-03 10:00:00",
            "Reconnaissance de dette signée",
        )
        self.assertEqual(business.fr_dunning_prescription_date, date(2031, 2, 3))

    def test_warnings_six_months_then_one_month_before(self):
        # Due 01/03/2022: prescribes 01/03/2027, within 6 months of 23/11/2026.
        soon = self._invoice(self.business, "2022-02-01", "2022-03-01", 500.0)
        later = self._invoice(self.business, "2022-08-01", "2022-09-01", 500.0)
        self.assertEqual(soon.fr_dunning_prescription_date, date(2027, 3, 1))
        Move = self.env["account.move"]

        def warnings(move):
            return move.activity_ids.filtered(lambda a: "prescribes" in (a.summary or ""))

        self.assertEqual(Move._cron_fr_dunning_prescription(), 1)
        self.assertEqual(len(warnings(soon)), 1)
        self.assertFalse(warnings(later))
        self.assertEqual(Move._cron_fr_dunning_prescription(), 0, "each warning once")
        with freeze_time("2027-02-01"):
            self.assertEqual(Move._cron_fr_dunning_prescription(), 1)
        self.assertEqual(len(warnings(soon)), 2)
        self.assertEqual(soon.fr_dunning_prescription_warned, 2)


@freeze_time(TODAY)
class TestCollectiveProceedings(FrDunningCase):
    def test_claims_deadline_law(self):
        # Code de commerce R622-24: two months from the BODACC publication.
        self.assertEqual(law.claims_deadline(date(2026, 11, 20)), date(2027, 1, 20))
        self.assertEqual(law.claims_deadline(date(2026, 12, 31)), date(2027, 2, 28))

    def test_proceedings_stop_chasing_and_track_the_claims(self):
        self.business.email = "compta@dupont.example"
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 1000.0)
        mandataire = self.env["res.partner"].create({"name": "Maître Durand, mandataire judiciaire"})
        self.business.write(
            {
                "fr_dunning_proceedings_date": date(2026, 11, 10),
                "fr_dunning_proceedings_type": "receivership",
                "fr_dunning_proceedings_court": "Tribunal de commerce de Lyon",
                "fr_dunning_proceedings_mandatary_id": mandataire.id,
                "fr_dunning_bodacc_date": date(2026, 11, 20),
            }
        )
        self.assertEqual(self.business.fr_dunning_claims_deadline, date(2027, 1, 20))
        self.assertEqual(invoice.fr_dunning_blocked, "proceedings")
        activity = self.business.activity_ids.filtered(lambda a: "Declare the claims" in (a.summary or ""))
        self.assertEqual(activity.date_deadline, date(2027, 1, 20))
        summary = self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23))
        self.assertEqual(summary["communications"], 0)
        # L622-28: what accrued before the judgment stays owed, to be declared,
        # never billed; the 2026 S2 rates are missing, so its interest waits.
        penalties = invoice.compute_fr_late_penalties(at_date=date(2026, 11, 23), strict=False)[invoice.id]
        self.assertEqual((penalties["interest"], penalties["indemnity"]), (0.0, 40.0))
        self.assertTrue(penalties["declared"])
        self.assertEqual(penalties["rates_missing_from"], date(2026, 7, 1))
        action = self.env.ref("fr_dunning_addon.fr_dunning_proceedings_action")
        self.assertIn(self.business, self.env["res.partner"].search(safe_eval(action.domain)))


@freeze_time(TODAY)
class TestCaseActions(FrDunningCase):
    def test_actions_from_invoices(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        action = invoice.with_user(self.dunning_user).action_fr_dunning_promise()
        self.assertEqual(action["res_model"], "fr.dunning.promise")
        promise = (
            self.env["fr.dunning.promise"]
            .with_user(self.dunning_user)
            .with_context(**action["context"])
            .create({"promise_date": date(2026, 12, 1)})
        )
        self.assertRecordValues(promise, [{"partner_id": self.business.id, "amount": 1000.0}])
        other = self._invoice(self.consumer, "2026-10-04", "2026-11-03", 100.0)
        with self.assertRaises(UserError):
            (invoice | other).action_fr_dunning_dispute()


@freeze_time(TODAY)
class TestLitigationAndWriteOff(FrDunningCase):
    def test_litigation_by_a_manager_only(self):
        invoice = self._invoice(self.business, "2026-06-01", "2026-07-01", 1000.0)
        invoice.sudo().fr_dunning_blocked = "promise"
        vals = {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)], "route": "injunction"}
        with self.assertRaises(AccessError):
            self.env["fr.dunning.litigation"].with_user(self.dunning_user).create(vals)
        with self.assertRaises(AccessError):
            invoice.with_user(self.dunning_user).action_fr_dunning_write_off()
        lawyer = self.env["res.partner"].create({"name": "Maître Roux, avocat"})
        litigation = (
            self.env["fr.dunning.litigation"]
            .with_user(self.dunning_manager)
            .create({**vals, "external_partner_id": lawyer.id, "costs": 150.0})
        )
        self.assertEqual(invoice.fr_dunning_blocked, "litigation", "litigation prevails")
        # An injonction de payer is a legal action: it restarts the prescription.
        self.assertEqual(invoice.fr_dunning_prescription_date, date(2031, 11, 23))
        summary = self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23))
        self.assertEqual(summary["communications"], 0)
        with self.assertRaises(UserError):
            litigation.action_close()
        litigation.outcome = "judgment"
        litigation.action_close()
        self.assertEqual((litigation.state, litigation.date_end), ("closed", date(2026, 11, 23)))
        self.assertFalse(invoice.fr_dunning_blocked)

    def test_write_off_to_the_loss_account(self):
        invoice = self._invoice(self.business, "2025-06-01", "2025-07-01", 1000.0)
        self._pay(invoice, 250.0, "2025-09-01")
        action = invoice.with_user(self.dunning_manager).action_fr_dunning_write_off()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.dunning_manager)
            .with_context(action["context"])
            .create({})
        )
        action = wizard.action_confirm()
        refund = self.env["account.move"].browse(action["domain"][0][2])
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(refund.amount_total, 750.0)
        # An invoice of an earlier year: PCG 654400.
        self.assertEqual(refund.invoice_line_ids.account_id.code, "654400")
        event = self.env["fr.dunning.event"].search(
            [("move_ids", "in", invoice.ids), ("name", "=", "Write-off")]
        )
        self.assertEqual(event.amount_residual, 750.0)
        with self.assertRaises(UserError):
            invoice.with_user(self.dunning_manager).action_fr_dunning_write_off()


@freeze_time(TODAY)
class TestLitigationFile(FrDunningCase):
    def test_zip_content(self):
        self.env["fr.dunning.legal.rate"].create(
            {
                "date_start": date(2026, 7, 1),
                "ecb_rate": 2.15,
                "legal_rate_individual": 6.67,
                "legal_rate_other": 2.62,
            }
        )
        self.business.email = "compta@dupont.example"
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        policy = self.env["fr.dunning.policy"].search(
            [("company_id", "=", self.company.id), ("assignment", "=", "default")]
        )
        notice = policy.level_ids.filtered(lambda lvl: lvl.tier == "formal_notice")
        self.env["fr.dunning.escalation"]._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=self.business, level=notice
        )
        letter = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("channel", "=", "registered_letter")]
        )
        with freeze_time("2026-11-27"):
            letter.write(
                {"registered_number": "1A 000 111 2222 3", "acknowledgement_date": date(2026, 11, 26)}
            )
        action = self.business.with_user(self.dunning_manager).action_fr_dunning_litigation_file()
        attachment = self.env["ir.attachment"].browse(
            int(re.search(r"/web/content/(\d+)", action["url"]).group(1))
        )
        # Attached to the company's dunning event, not to the shared customer.
        self.assertEqual(attachment.res_model, "fr.dunning.event")
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as archive:
            names = archive.namelist()
            history = archive.read("04 Dunning history.csv").decode("utf-8-sig")
            emails = archive.read("05 Emails sent.txt").decode()
            statement = archive.read("01 Summary and statement of account.pdf")
        self.assertEqual(len(names), 5, names)
        self.assertIn(f"02 Invoices/{invoice.name.replace('/', '-')}.pdf", names)
        self.assertTrue(any(name.startswith("03 Letters/") for name in names))
        # One row per event, for a spreadsheet in the reader's language: the
        # registered letter's number, its acknowledgement date, the amount as
        # a number and its currency apart.
        rows = list(csv.reader(io.StringIO(history), delimiter=";"))
        self.assertEqual(rows[0][5:8], ["Amount due", "Currency", "Registered-mail number"])
        registered = next(row for row in rows if row[7] == "1A 000 111 2222 3")
        self.assertEqual(registered[5:9], ["1000.00", "EUR", "1A 000 111 2222 3", "11/26/2026"])
        self.env["res.lang"]._activate_lang("fr_FR")
        events = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        french = self.env["fr.dunning.litigation.file"].with_context(lang="fr_FR")._history_csv(events)
        rows = list(csv.reader(io.StringIO(french.decode("utf-8-sig")), delimiter=";"))
        registered = next(row for row in rows if row[7] == "1A 000 111 2222 3")
        self.assertEqual(registered[5:9], ["1000,00", "EUR", "1A 000 111 2222 3", "26/11/2026"])
        # Sent on 23/11/2026 (frozen at noon UTC), written in the reader's time zone.
        self.assertRegex(registered[0], r"^(11/23/2026|23/11/2026) \d\d:\d\d$")
        # The customer reads English: the email's subject, and whom it went to.
        self.assertIn("Formal notice (mise en demeure)", emails)
        self.assertIn("compta@dupont.example", emails)
        # (Odoo renders reports as HTML in tests: the statement is checked as such.)
        text = statement.decode()
        self.assertIn("Menuiserie Dupont SARL", text)
        # 1 000.00 + 20.31 interest (61 days at 12.15 %) + 40.00 indemnity.
        self.assertIn("1,060.31", text)
        event = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("attachment_ids", "in", attachment.ids)]
        )
        self.assertEqual(len(event), 1)


@freeze_time(TODAY)
class TestPaymentPlan(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business.email = "compta@dupont.example"

    def _plan(self, invoices, **vals):
        plan = (
            self.env["fr.dunning.payment.plan"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "instalment_count": 3,
                    "first_date": date(2026, 12, 15),
                    **vals,
                }
            )
        )
        plan.action_compute_lines()
        return plan

    def test_equal_instalments_and_completion(self):
        first = self._invoice(self.business, "2026-09-01", "2026-10-01", 600.0)
        second = self._invoice(self.business, "2026-09-15", "2026-10-15", 400.01)
        plan = self._plan(first | second)
        # 1 000.01 in three: 333.34, 333.34 and 333.33 for the last.
        self.assertEqual(plan.line_ids.mapped("amount"), [333.34, 333.34, 333.33])
        self.assertEqual(
            plan.line_ids.mapped("date"), [date(2026, 12, 15), date(2027, 1, 15), date(2027, 2, 15)]
        )
        plan.action_confirm()
        self.assertEqual((plan.state, plan.total), ("open", 1000.01))
        self.assertEqual(set((first | second).mapped("fr_dunning_blocked")), {"payment_plan"})
        summary = self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23))
        self.assertEqual(summary["communications"], 0, "no chasing on the original due dates")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("fr_dunning_addon.action_report_payment_plan", plan.ids)[0]
            .decode()
        )
        self.assertIn("333.33", html)
        self._pay(first, 600.0, "2026-12-10")
        self._pay(second, 400.01, "2027-01-10")
        with freeze_time("2027-01-11"):
            done, _broken = self.env["fr.dunning.payment.plan"]._cron_fr_dunning_payment_plans()
        self.assertEqual(done, plan)
        self.assertEqual(plan.state, "done")

    def test_instalments_must_add_up(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0)
        plan = self._plan(invoice)
        plan.line_ids[0].amount = 100.0
        with self.assertRaises(ValidationError):
            plan.action_confirm()

    def test_late_instalment_reminded_then_broken_after_two(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0)
        plan = self._plan(invoice)
        plan.action_confirm()
        Plan = self.env["fr.dunning.payment.plan"]
        # First instalment (15/12) unpaid after the grace days: a reminder email.
        with freeze_time("2026-12-19"):
            Plan._cron_fr_dunning_payment_plans()
        self.assertEqual((plan.state, plan.missed_count), ("open", 1))
        reminder = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.business.id),
                ("subject", "like", "Late instalment"),
            ]
        )
        self.assertEqual(len(reminder), 1)
        self.assertIn("300.00", reminder.body)
        with freeze_time("2026-12-20"):
            Plan._cron_fr_dunning_payment_plans()
        self.assertEqual(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.business.id),
                    ("subject", "like", "Late"),
                ]
            ),
            1,
            "one reminder per late instalment",
        )
        # The second one is missed too: the plan is broken, chasing resumes at once.
        with freeze_time("2027-01-19"):
            _done, broken = Plan._cron_fr_dunning_payment_plans()
        self.assertEqual(broken, plan)
        self.assertEqual(plan.state, "broken")
        self.assertFalse(invoice.fr_dunning_blocked)
        self.assertEqual(invoice.fr_dunning_last_date, date(2027, 1, 19))

    def _dialog(self):
        """The plan form as the customer's follow-up opens it (a dialog), with
        its defaults and onchanges, as the dunning user."""
        action = self.business.with_user(self.dunning_user).action_fr_dunning_payment_plan()
        self.assertEqual(action["target"], "new")
        model = self.env[action["res_model"]].with_user(self.dunning_user)
        return Form(model.with_context(**action["context"]))

    def test_instalments_shown_and_adjusted_before_the_plan_starts(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0)
        form = self._dialog()
        # Shown at once from the defaults: three monthly instalments from a month on.
        self.assertEqual(form.state, "draft")
        self.assertEqual(
            self._lines(form),
            [(date(2026, 12, 23), 300.0), (date(2027, 1, 23), 300.0), (date(2027, 2, 23), 300.0)],
        )
        # New terms, new instalments; then the accountant adjusts them.
        form.instalment_count = 2
        form.first_date = date(2026, 12, 15)
        self.assertEqual(self._lines(form), [(date(2026, 12, 15), 450.0), (date(2027, 1, 15), 450.0)])
        self.assertFalse(form.instalments_unbalanced)
        with form.line_ids.edit(0) as line:
            line.amount = 200.0
        # The form says so while they do not add up to what is owed.
        self.assertEqual((form.instalment_total, form.instalments_unbalanced), (650.0, True))
        with form.line_ids.edit(1) as line:
            line.amount = 700.0
            line.date = date(2027, 2, 15)
        self.assertEqual((form.instalment_total, form.instalments_unbalanced), (900.0, False))
        plan = form.save()
        # Saved as a draft: not started, the invoice is still chased, nothing recorded.
        self.assertEqual(plan.state, "draft")
        self.assertFalse(invoice.fr_dunning_blocked)
        self.assertFalse(self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)]))
        plan.action_confirm()
        self.assertRecordValues(plan, [{"state": "open", "total": 900.0}])
        self.assertRecordValues(
            plan.line_ids,
            [{"date": date(2026, 12, 15), "amount": 200.0}, {"date": date(2027, 2, 15), "amount": 700.0}],
        )
        self.assertEqual(invoice.fr_dunning_blocked, "payment_plan")
        event = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(event, [{"event_type": "note", "user_id": self.dunning_user.id}])
        self.assertIn("from 12/15/2026 to 02/15/2027", event.note)

    def _lines(self, form):
        return [(line["date"], line["amount"]) for line in form.line_ids._records]

    def test_plan_never_starts_on_instalments_not_shown(self):
        """Starting a plan no longer computes instalments nobody saw: a draft
        without instalments is refused, and stays a draft."""
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0)
        plan = (
            self.env["fr.dunning.payment.plan"]
            .with_user(self.dunning_user)
            .create({"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)]})
        )
        self.assertFalse(plan.line_ids, "the ORM runs no onchange: no instalment yet")
        with self.assertRaisesRegex(UserError, "no instalments"):
            plan.action_confirm()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(invoice.fr_dunning_blocked)
        # The button gives equal instalments again in a saved draft.
        plan.action_compute_lines()
        self.assertEqual(plan.line_ids.mapped("amount"), [300.0, 300.0, 300.0])

    def test_set_up_dialog_buttons(self):
        """In the dialog, no button that closes it before the instalments are
        seen, and no "Cancel" beside Discard; cancelling a running plan asks
        first."""
        arch = etree.fromstring(
            self.env["fr.dunning.payment.plan"]
            .with_user(self.dunning_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )

        def visible(name, **record):
            values = {"id": False, "state": "draft", "line_ids": [], **record}
            return [
                button
                for button in arch.iterfind(f".//header/button[@name='{name}']")
                if not safe_eval(button.get("invisible", "False"), values)
            ]

        new_plan = {"line_ids": [1, 2, 3]}
        self.assertEqual(len(visible("action_confirm", **new_plan)), 1)
        self.assertFalse(visible("action_confirm"), "no start without instalments")
        # A button of a dialog closes it: nothing to click there but Start.
        for name in ("action_compute_lines", "action_print", "action_cancel"):
            self.assertFalse(visible(name, **new_plan), f"{name} in the set-up dialog")
        [cancel_draft] = visible("action_cancel", id=7, **new_plan)
        [cancel_running] = visible("action_cancel", id=7, state="open", **new_plan)
        for button in (cancel_draft, cancel_running):
            self.assertEqual(button.get("string"), "Cancel the plan")
        self.assertFalse(cancel_draft.get("confirm"), "a draft is cancelled without a question")
        self.assertIn("Cancel this running payment plan", cancel_running.get("confirm"))
        self.assertFalse(visible("action_cancel", id=7, state="cancelled"))

    def test_cancel_running_plan_resumes_chasing_and_is_recorded(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0)
        plan = self._plan(invoice)
        plan.action_confirm()
        self.assertEqual(invoice.fr_dunning_blocked, "payment_plan")
        plan.action_cancel()
        self.assertEqual(plan.state, "cancelled")
        self.assertFalse(invoice.fr_dunning_blocked)
        cancelled = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("name", "=", "Payment plan cancelled")]
        )
        self.assertRecordValues(cancelled, [{"user_id": self.dunning_user.id}])
        # Its state is the buttons' only.
        with self.assertRaises(AccessError):
            plan.with_user(self.dunning_user).write({"state": "open"})
