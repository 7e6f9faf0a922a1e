# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credit insurance: a policy with a 60-day maximum extension, an overdue
report 15 days and a claim 90 days after the original due date, reminders 5
days ahead, and a cover of 10 000 € on Menuiserie Dupont SARL granted on
01/01/2026. Every date below is worked by hand from those days.

Invoice A: dated 15/09/2026, due 15/10/2026, 2 000 € (no tax).
  report deadline 15/10 + 15 days = 30/10/2026 (16 days to 31/10, minus 1);
  claim deadline 15/10 + 90 days = 13/01/2027 (16 to 31/10, 30 to 30/11,
  31 to 31/12, 13 in January: 90);
  extension limit 15/10 + 60 days = 14/12/2026 (16 + 30 = 46 to 30/11, 14 more).
Invoice B: dated 26/10/2026, due 25/11/2026, 500 €:
  report deadline 10/12/2026 (5 days to 30/11, 10 in December), reminded from
  05/12/2026 (5 days before).
"""

import csv
import io
from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user
from odoo.tools import SQL, mute_logger

from odoo.addons.fr_dunning_addon.demo.fr_dunning_demo import populate
from odoo.addons.fr_dunning_addon.demo.fr_dunning_demo_insurance import populate_insurance
from odoo.addons.fr_dunning_addon.models.fr_dunning_insurance_policy import (
    insurance_deadline,
    latest_due_date,
)
from odoo.addons.fr_dunning_addon.models.fr_dunning_insurance_report import buyer_siren

from .common import TODAY, FrDunningCase


class TestInsuranceDeadlines(FrDunningCase):
    """The counting rule, without a database record."""

    def test_deadline_counts_calendar_days_from_the_original_due_date(self):
        self.assertEqual(insurance_deadline(date(2026, 10, 15), 15), date(2026, 10, 30))
        self.assertEqual(insurance_deadline(date(2026, 10, 15), 60), date(2026, 12, 14))
        self.assertEqual(insurance_deadline(date(2026, 10, 15), 90), date(2027, 1, 13))
        # 14/02/2028 + 15 days: 2028 is a leap year, 15 days later is 29/02.
        self.assertEqual(insurance_deadline(date(2028, 2, 14), 15), date(2028, 2, 29))
        self.assertEqual(insurance_deadline(date(2026, 10, 15), 0), date(2026, 10, 15))

    def test_search_bound_is_the_exact_inverse(self):
        day = date(2026, 11, 28)
        for days in (0, 15, 60, 90, 150):
            bound = latest_due_date(day, days)
            for offset in range(-200, 200):
                due = day + timedelta(days=offset)
                self.assertEqual(insurance_deadline(due, days) <= day, due <= bound, (due, days))

    def test_siren_of_the_buyer(self):
        partner = self.env["res.partner"].new({"name": "X", "company_registry": "RCS Lyon 732 829 320"})
        self.assertEqual(buyer_siren(partner), "732829320")
        partner = self.env["res.partner"].new({"name": "X", "vat": "FR44732829320"})
        self.assertEqual(buyer_siren(partner), "732829320")
        self.assertEqual(buyer_siren(self.env["res.partner"].new({"name": "Y"})), "")


@freeze_time(TODAY)
class TestInsurance(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.policy = cls.env["fr.dunning.insurance.policy"].create(
                {
                    "company_id": cls.company.id,
                    "insurer": "coface",
                    "policy_number": "COF-123456",
                    "max_extension_days": 60,
                    "report_days": 15,
                    "claim_days": 90,
                    "notice_days": 5,
                }
            )
            cls.cover = cls.env["fr.dunning.insurance.cover"].create(
                {
                    "policy_id": cls.policy.id,
                    "partner_id": cls.business.id,
                    "insurer_reference": "ACH-778899",
                    "amount": 10000.0,
                    "date_start": date(2026, 1, 1),
                }
            )
            cls.business.write(
                {"company_registry": "RCS Lyon 732 829 320", "country_id": cls.env.ref("base.fr").id}
            )
            cls.business.with_company(cls.company).fr_dunning_responsible_id = cls.dunning_user
            cls.invoice_a = cls._invoice(cls.business, "2026-09-15", "2026-10-15", 2000.0)
            cls.invoice_b = cls._invoice(cls.business, "2026-10-26", "2026-11-25", 500.0)
            cls.c2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
            cls.c2_manager = new_test_user(
                cls.env,
                login="fr_dunning_insurance_c2",
                groups="fr_dunning_addon.group_fr_dunning_manager",
                company_id=cls.c2.id,
                company_ids=[cls.c2.id],
            )

    def _remind(self, day, batch_size=500):
        return self.env["fr.dunning.escalation"]._fr_dunning_insurance_remind(day, batch_size)

    def _todos(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "fr.dunning.insurance.cover"), ("res_id", "in", self.policy.cover_ids.ids)],
            order="id",
        )

    # ------------------------------------------------------------------
    # Each invoice's dates
    # ------------------------------------------------------------------

    def test_invoice_dates_from_the_original_due_date(self):
        self.assertRecordValues(
            self.invoice_a | self.invoice_b,
            [
                {
                    "fr_dunning_insurance_cover_id": self.cover.id,
                    "fr_dunning_insurance_state": "insured",
                    "fr_dunning_insurance_report_date": date(2026, 10, 30),
                    "fr_dunning_insurance_claim_date": date(2027, 1, 13),
                },
                {
                    "fr_dunning_insurance_cover_id": self.cover.id,
                    "fr_dunning_insurance_state": "insured",
                    "fr_dunning_insurance_report_date": date(2026, 12, 10),
                    "fr_dunning_insurance_claim_date": date(2027, 2, 23),
                },
            ],
        )
        # Dated before the cover was granted: not insured.
        before = self._invoice(self.business, "2025-12-15", "2026-01-14", 100.0)
        self.assertFalse(before.fr_dunning_insurance_cover_id)
        self.assertFalse(before.fr_dunning_insurance_report_date)
        # A promise pauses the chasing; the original due date, and the deadlines, stay.
        self.env["fr.dunning.promise"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(self.invoice_a.ids)],
                "promise_date": date(2026, 12, 1),
                "amount": 2000.0,
            }
        )
        self.invoice_a.invalidate_recordset()
        self.assertRecordValues(
            self.invoice_a,
            [
                {
                    "fr_dunning_due_date": date(2026, 10, 15),
                    "fr_dunning_insurance_report_date": date(2026, 10, 30),
                }
            ],
        )

    def test_cover_sql_and_python_agree(self):
        self.cover.date_end = date(2026, 10, 1)
        after = self._invoice(self.business, "2026-10-02", "2026-11-01", 100.0)
        on_end = self._invoice(self.business, "2026-10-01", "2026-10-31", 100.0)
        moves = self.invoice_a | self.invoice_b | after | on_end
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT move.id, cover.id FROM account_move move "
                "JOIN fr_dunning_insurance_cover cover ON cover.company_id = move.company_id "
                "WHERE move.id = ANY(%s) AND %s",
                moves.ids,
                self.env["fr.dunning.insurance.cover"]._cover_sql("move", "cover"),
            )
        )
        python = {
            move_id: cover.id
            for move_id, cover in self.env["fr.dunning.insurance.cover"]._covers_of(moves).items()
        }
        self.assertEqual(dict(rows), python)
        self.assertEqual(set(python), {self.invoice_a.id, on_end.id})
        # The nightly search, when every date has come, finds those two and no other.
        rows = self.env["fr.dunning.escalation"]._fr_dunning_insurance_todo(
            self.policy, date(2027, 6, 1), 500
        )
        self.assertEqual({row[0]: row[1] for row in rows}, python)

    def test_policy_and_cover_checks(self):
        with self.assertRaises(ValidationError):
            self.policy.claim_days = 10
        with self.assertRaises(ValidationError):
            self.env["fr.dunning.insurance.cover"].create(
                {
                    "policy_id": self.policy.id,
                    "partner_id": self.business.id,
                    "amount": 1.0,
                    "date_start": date(2026, 6, 1),
                }
            )
        # One policy per company.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["fr.dunning.insurance.policy"].create(
                {"company_id": self.company.id, "policy_number": "2"}
            )

    # ------------------------------------------------------------------
    # The nightly reminders
    # ------------------------------------------------------------------

    def test_report_reminder_once_then_the_next_invoice_then_the_claim(self):
        # 23/11/2026: A's report date (30/10) has passed, B's (10/12) is 17 days away.
        self.assertEqual(self._remind(date(2026, 11, 23)), (1, False))
        todo = self._todos()
        self.assertRecordValues(
            todo,
            [
                {
                    "summary": "Report the overdue of Menuiserie Dupont SARL to Coface by 10/30/2026",
                    "date_deadline": date(2026, 10, 30),
                    "user_id": self.dunning_user.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                }
            ],
        )
        self.assertIn(self.invoice_a.name, todo.note)
        self.assertNotIn(self.invoice_b.name, todo.note)
        self.assertRecordValues(
            self.invoice_a | self.invoice_b,
            [
                {
                    "fr_dunning_insurance_report_warned": date(2026, 10, 15),
                    "fr_dunning_insurance_claim_warned": False,
                },
                {"fr_dunning_insurance_report_warned": False, "fr_dunning_insurance_claim_warned": False},
            ],
        )
        # A second night, the same day or the next: nothing new.
        self.assertEqual(self._remind(date(2026, 11, 23)), (0, False))
        self.assertEqual(self._remind(date(2026, 11, 24)), (0, False))
        # 04/12: B's report reminder comes on 05/12 (10/12 - 5 days), not before.
        self.assertEqual(self._remind(date(2026, 12, 4)), (0, False))
        self.assertEqual(self._remind(date(2026, 12, 5)), (1, False))
        todo_b = self._todos()[-1]
        self.assertEqual(todo_b.date_deadline, date(2026, 12, 10))
        self.assertIn(self.invoice_b.name, todo_b.note)
        # A's claim (13/01/2027) is reminded from 08/01/2027.
        self.assertEqual(self._remind(date(2027, 1, 7)), (0, False))
        self.assertEqual(self._remind(date(2027, 1, 8)), (1, False))
        claim = self._todos()[-1]
        self.assertRecordValues(
            claim,
            [
                {
                    "summary": "Claim on Menuiserie Dupont SARL to Coface by 01/13/2027",
                    "date_deadline": date(2027, 1, 13),
                }
            ],
        )
        self.assertEqual(self.invoice_a.fr_dunning_insurance_claim_warned, date(2026, 10, 15))
        self.assertEqual(self._remind(date(2027, 1, 9)), (0, False))
        self.assertEqual(len(self._todos()), 3)

    def test_claim_and_report_on_one_customer_make_one_todo(self):
        # C: due 01/07/2026, claim by 01/07 + 90 days = 29/09/2026 (30 days to 31/07,
        # 31 to 31/08, 29 in September), long passed; A's report is due too.
        invoice_c = self._invoice(self.business, "2026-06-01", "2026-07-01", 900.0)
        self.assertEqual(self._remind(date(2026, 11, 23)), (1, False))
        todo = self._todos()
        self.assertRecordValues(
            todo,
            [
                {
                    "summary": "Claim on Menuiserie Dupont SARL to Coface by 09/29/2026",
                    "date_deadline": date(2026, 9, 29),
                }
            ],
        )
        self.assertIn(invoice_c.name, todo.note)
        self.assertIn(self.invoice_a.name, todo.note)
        self.assertIn("déclaration de menace de sinistre", todo.note)
        self.assertRecordValues(
            invoice_c | self.invoice_a,
            [
                {"fr_dunning_insurance_claim_warned": date(2026, 7, 1)},
                {"fr_dunning_insurance_claim_warned": False},
            ],
        )
        self.assertEqual(self._remind(date(2026, 11, 23)), (0, False))

    def test_the_nightly_cron_gives_them_and_resumes(self):
        other = self.env["res.partner"].create({"name": "Boulangerie Roux", "is_company": True})
        self.env["fr.dunning.insurance.cover"].create(
            {
                "policy_id": self.policy.id,
                "partner_id": other.id,
                "amount": 3000.0,
                "date_start": date(2026, 1, 1),
            }
        )
        self._invoice(other, "2026-09-01", "2026-10-01", 800.0)
        # One cover per call: the first call stops after Menuiserie Dupont's, the next one goes on.
        self.assertEqual(self._remind(date(2026, 11, 23), batch_size=1), (1, True))
        self.assertEqual(self._remind(date(2026, 11, 23), batch_size=1), (1, True))
        self.assertEqual(self._remind(date(2026, 11, 23), batch_size=1), (0, False))
        self.assertEqual(len(self._todos()), 2)
        # As Odoo's runner calls the nightly cron: nothing given twice.
        cron = self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate")
        cron.method_direct_trigger()
        self.assertEqual(len(self._todos()), 2)

    def test_the_cron_gives_the_reminders(self):
        self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate").method_direct_trigger()
        self.assertEqual(len(self._todos()), 1)

    def test_archived_policy_and_disputed_invoice_give_no_reminder(self):
        self.env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(self.invoice_a.ids)], "note": "Prix"}
        )
        self.assertEqual(self.invoice_a.fr_dunning_insurance_state, "outside")
        self.assertEqual(self._remind(date(2026, 11, 23)), (0, False))
        self.policy.active = False
        self.assertEqual(self._remind(date(2026, 12, 5)), (0, False))
        self.assertFalse(self.invoice_b.fr_dunning_insurance_cover_id)

    # ------------------------------------------------------------------
    # Promises and plans beyond the maximum extension
    # ------------------------------------------------------------------

    def test_promise_within_the_extension_limit_says_nothing(self):
        # 14/12/2026 is A's last day (15/10 + 60 days).
        promise = self.env["fr.dunning.promise"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(self.invoice_a.ids)],
                "promise_date": date(2026, 12, 14),
                "amount": 2000.0,
            }
        )
        self.assertFalse(promise.insurance_warning)
        self.assertFalse(self.invoice_a.fr_dunning_event_ids.filtered(lambda e: "extension" in e.name))

    def test_promise_beyond_the_extension_limit_is_warned_and_recorded(self):
        with Form(self.env["fr.dunning.promise"].with_user(self.dunning_user)) as form:
            form.partner_id = self.business
            form.move_ids.add(self.invoice_a)
            form.promise_date = date(2026, 12, 15)
            form.amount = 2000.0
            # The form says so before the promise is saved.
            self.assertEqual(
                form.insurance_warning,
                "Credit insurance: 12/15/2026 goes beyond the maximum extension of 60 days from the "
                f"original due date of {self.invoice_a.name} (until 12/14/2026 at the latest). Report the "
                "extension to Coface, or the cover may be lost.",
            )
        promise = form.record
        self.assertEqual(promise.state, "open")  # never refused
        event = self.invoice_a.fr_dunning_event_ids.filtered(
            lambda e: e.name == "Beyond the credit insurance's extension"
        )
        self.assertEqual(len(event), 1)
        self.assertIn("until 12/14/2026 at the latest", event.note)
        self.assertRecordValues(event, [{"user_id": self.dunning_user.id, "partner_id": self.business.id}])
        self.assertTrue(promise.message_ids.filtered(lambda m: "12/14/2026" in (m.body or "")))

    def test_plan_beyond_the_extension_limit_is_recorded_when_started(self):
        plan = self.env["fr.dunning.payment.plan"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(self.invoice_a.ids)],
                "instalment_count": 2,
                "first_date": date(2026, 12, 1),
            }
        )
        plan.action_compute_lines()
        # Instalments on 01/12/2026 and 01/01/2027: the last one past 14/12/2026.
        self.assertEqual(plan.line_ids.mapped("date"), [date(2026, 12, 1), date(2027, 1, 1)])
        self.assertIn("01/01/2027 goes beyond the maximum extension of 60 days", plan.insurance_warning)
        name = "Beyond the credit insurance's extension"
        self.assertFalse(self.invoice_a.fr_dunning_event_ids.filtered(lambda e: e.name == name))
        plan.with_user(self.dunning_user).action_confirm()
        self.assertEqual(plan.state, "open")
        self.assertEqual(len(self.invoice_a.fr_dunning_event_ids.filtered(lambda e: e.name == name)), 1)

    def test_uninsured_invoice_gets_no_warning(self):
        invoice = self._invoice(self.consumer, "2026-09-15", "2026-10-15", 300.0)
        promise = self.env["fr.dunning.promise"].create(
            {
                "partner_id": self.consumer.id,
                "move_ids": [Command.set(invoice.ids)],
                "promise_date": date(2027, 6, 1),
                "amount": 300.0,
            }
        )
        self.assertFalse(promise.insurance_warning)

    # ------------------------------------------------------------------
    # Follow-up and worklist
    # ------------------------------------------------------------------

    def test_follow_up_shows_the_next_deadline_and_the_cover(self):
        partner = self.business.with_company(self.company)
        self.assertRecordValues(
            partner,
            [
                {
                    "fr_dunning_insurance_cover_id": self.cover.id,
                    "fr_dunning_insurance_amount": 10000.0,
                    "fr_dunning_insurance_reference": "ACH-778899",
                    # A's report date, passed and not reported: the most urgent.
                    "fr_dunning_insurance_next_date": date(2026, 10, 30),
                    "fr_dunning_insurance_next_kind": "report",
                    "fr_dunning_insurance_outside_amount": 0.0,
                    "fr_dunning_insurance_warning": False,
                }
            ],
        )
        line = self.env["fr.dunning.customer"].search(
            [("partner_id", "=", self.business.id), ("company_id", "=", self.company.id)]
        )
        self.assertRecordValues(
            line,
            [
                {
                    "insurance_next_date": date(2026, 10, 30),
                    "insurance_cover": 10000.0,
                    "insurance_over_cover": False,
                }
            ],
        )

    def test_overdue_beyond_the_cover_and_dispute_outside_it(self):
        self.cover.amount = 1500.0
        other = self._invoice(self.business, "2026-09-20", "2026-10-20", 700.0)
        self.env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(other.ids)], "note": "Quantité"}
        )
        partner = self.business.with_company(self.company)
        # Overdue: A 2 000 + the disputed 700 = 2 700 € against 1 500 €: 1 200 € not insured.
        self.assertEqual(
            partner.fr_dunning_insurance_warning,
            "The overdue total (2,700.00\xa0€) exceeds the cover granted (1,500.00\xa0€): "
            "1,200.00\xa0€ is not insured.",
        )
        self.assertEqual(partner.fr_dunning_insurance_outside_amount, 700.0)
        self.assertEqual(other.fr_dunning_insurance_state, "outside")
        Customer = self.env["fr.dunning.customer"].with_user(self.dunning_user)
        over = Customer.search([("insurance_over_cover", "=", True)])
        self.assertEqual(over.partner_id, self.business)
        self.assertRecordValues(over, [{"insurance_outside": 700.0, "insurance_over_cover": True}])
        self.assertNotIn(self.business, Customer.search([("insurance_over_cover", "=", False)]).partner_id)
        # Another company's user sees no such line.
        self.assertFalse(
            self.env["fr.dunning.customer"]
            .with_user(self.c2_manager)
            .search([("insurance_over_cover", "=", True)])
        )

    # ------------------------------------------------------------------
    # The overdue report
    # ------------------------------------------------------------------

    def test_overdue_report_csv_and_events(self):
        action = self.policy.with_user(self.dunning_manager).action_fr_dunning_overdue_report()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertEqual(attachment.name, "Overdue report Coface 2026-11-23.csv")
        rows = list(csv.reader(io.StringIO(attachment.raw.decode("utf-8-sig")), delimiter=";"))
        header, lines = rows[0], rows[1:]
        self.assertEqual(len(lines), 1)  # B is not due yet
        line = dict(zip(header, lines[0], strict=True))
        # 23/11/2026 - 15/10/2026 = 16 days of October + 23 = 39 days overdue.
        self.assertEqual(
            line,
            {
                "Policy number": "COF-123456",
                "Insurer's buyer reference": "ACH-778899",
                "SIREN": "732829320",
                "Buyer": "Menuiserie Dupont SARL",
                "Address": "3 rue du Bois",
                "Zip": "69002",
                "City": "Lyon",
                "Country": "FR",
                "Cover granted": "10000.00",
                "Invoice": self.invoice_a.name,
                "Invoice date": "2026-09-15",
                "Original due date": "2026-10-15",
                "Days overdue": "39",
                "Amount": "2000.00",
                "Amount due": "2000.00",
                "Currency": "EUR",
                "Buyer's overdue total": "2000.00 EUR",
                "Report deadline": "2026-10-30",
                "Action taken": "",
            },
        )
        event = self.env["fr.dunning.event"].search([("name", "=", "Overdue report to the credit insurer")])
        self.assertRecordValues(
            event,
            [
                {
                    "partner_id": self.business.id,
                    "company_id": self.company.id,
                    "user_id": self.dunning_manager.id,
                    "amount_residual": 2000.0,
                    "event_type": "note",
                }
            ],
        )
        self.assertEqual(event.move_ids, self.invoice_a)
        self.assertIn("Overdue report sent to Coface on 11/23/2026 (policy COF-123456)", event.note)
        self.assertEqual(event.attachment_ids, attachment)
        self.assertEqual(self.invoice_a.fr_dunning_insurance_reported, date(2026, 11, 23))
        self.assertEqual(self.policy.last_report_date, date(2026, 11, 23))
        # The report is evidence: nobody changes it.
        with self.assertRaises(AccessError):
            attachment.with_user(self.dunning_manager).write({"raw": b"forged"})
        # Reported: no report reminder for A any more; its claim comes next.
        self.assertEqual(self._remind(date(2026, 11, 23)), (0, False))
        self.assertRecordValues(
            self.business.with_company(self.company),
            [
                {
                    "fr_dunning_insurance_next_date": date(2026, 12, 10),
                    "fr_dunning_insurance_next_kind": "report",
                }
            ],
        )

    def test_overdue_report_names_the_action_taken(self):
        self._event(
            self.business,
            self.invoice_a,
            "reminder",
            fields.Datetime.to_datetime("2026-11-02 09:00:00"),
            "Mise en demeure",
        )
        self.env["fr.dunning.promise"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(self.invoice_a.ids)],
                "promise_date": date(2026, 12, 1),
                "amount": 2000.0,
            }
        )
        attachment = self.policy._fr_dunning_overdue_report(date(2026, 11, 23))
        rows = list(csv.DictReader(io.StringIO(attachment.raw.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(rows[0]["Action taken"], "Promise to pay — 2026-11-23 Promise to pay")

    def test_overdue_report_refused_when_nothing_to_report_and_to_others(self):
        for user in (self.dunning_user, self.billing_user(), self.c2_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.policy.with_user(user).action_fr_dunning_overdue_report()
        self.assertFalse(
            self.env["fr.dunning.event"].search([("name", "=", "Overdue report to the credit insurer")])
        )
        self.assertFalse(self.invoice_a.fr_dunning_insurance_reported)
        self._pay(self.invoice_a, 2000.0, "2026-11-20")
        with self.assertRaises(UserError):
            self.policy.with_user(self.dunning_manager).action_fr_dunning_overdue_report()

    def billing_user(self):
        return new_test_user(
            self.env,
            login="fr_dunning_insurance_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )

    # ------------------------------------------------------------------
    # Who may do what
    # ------------------------------------------------------------------

    def test_users_cannot_write_the_reminders_nor_the_covers(self):
        with self.assertRaises(AccessError):
            self.invoice_a.with_user(self.dunning_user).write(
                {"fr_dunning_insurance_reported": date(2026, 11, 1)}
            )
        with self.assertRaises(AccessError):
            self.invoice_a.with_user(self.dunning_manager).write(
                {"fr_dunning_insurance_report_warned": date(2026, 10, 15)}
            )
        with self.assertRaises(AccessError):
            self.cover.with_user(self.dunning_user).write({"amount": 50000.0})
        with self.assertRaises(AccessError):
            self.env["fr.dunning.insurance.cover"].with_user(self.dunning_user).create(
                {"policy_id": self.policy.id, "partner_id": self.consumer.id, "amount": 1.0}
            )
        with self.assertRaises(AccessError):
            self.policy.with_user(self.c2_manager).read(["policy_number"])
        with self.assertRaises(AccessError):
            self.cover.with_user(self.c2_manager).read(["amount"])
        # The manager of the company records covers.
        self.env["fr.dunning.insurance.cover"].with_user(self.dunning_manager).create(
            {"policy_id": self.policy.id, "partner_id": self.consumer.id, "amount": 1000.0}
        )


class TestInsuranceDemo(FrDunningCase):
    @freeze_time(TODAY)
    def test_demo_has_an_insured_customer_near_its_report_deadline(self):
        today = date(2026, 11, 23)
        populate(self.env, self.company, today)
        made = populate_insurance(self.env, self.company, today)
        near = made["near_cover"].partner_id.with_company(self.company)
        # Fromagerie Petit's invoice fell due 25 days ago: report 30 days after it, in 5 days.
        self.assertRecordValues(
            near,
            [
                {
                    "name": "Fromagerie Petit",
                    "fr_dunning_insurance_next_date": today + timedelta(days=5),
                    "fr_dunning_insurance_next_kind": "report",
                    "fr_dunning_insurance_warning": False,
                }
            ],
        )
        self.assertEqual(len(made["near_cover"].activity_ids), 1)
        self.assertIn("Fromagerie Petit", made["near_cover"].activity_ids.summary)
        # Agence Horizon Digital: 11 760 € overdue for 100 days against 8 000 €, reported today.
        over = made["over_cover"].partner_id.with_company(self.company)
        self.assertIn("11", over.fr_dunning_insurance_warning)
        self.assertRecordValues(
            over,
            [
                {
                    "fr_dunning_insurance_next_date": today + timedelta(days=50),
                    "fr_dunning_insurance_next_kind": "claim",
                }
            ],
        )
        self.assertEqual(
            self.env["fr.dunning.event"]
            .search([("partner_id", "=", over.id), ("attachment_ids", "in", made["report"].ids)])
            .move_ids.mapped("amount_total"),
            [11760.0],
        )
