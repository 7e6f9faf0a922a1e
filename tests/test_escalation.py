# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import date, timedelta
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.fr_dunning_addon.models.fr_dunning_escalation import ESCALATION_LOCK
from odoo.addons.fr_dunning_addon.wizard import fr_dunning_preview

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestEscalation(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standard = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        cls.levels = {lvl.offset_days: lvl for lvl in cls.standard.level_ids}
        cls.business.email = "compta@dupont.example"
        cls.Escalation = cls.env["fr.dunning.escalation"]

    def _run(self, day, partners=None):
        return self.Escalation._run(self.company, today=day, partners=partners)

    def _events(self, partner):
        return self.env["fr.dunning.event"].search([("partner_id", "=", partner.id)])

    def test_one_communication_per_customer(self):
        # Two overdue invoices: 20 and 2 days. Never chased: both reach J+1 (one
        # level per run), one email for the two, at the courteous level.
        old = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        recent = self._invoice(self.business, "2026-10-22", "2026-11-21", 500.0)
        not_due = self._invoice(self.business, "2026-11-20", "2026-12-20", 300.0)
        mails_before = self.env["mail.mail"].search_count([])
        summary = self._run(date(2026, 11, 23), partners=self.business)
        self.assertEqual(summary["communications"], 1)
        self.assertEqual(summary["sent"], {"email": 1})
        events = self._events(self.business)
        self.assertRecordValues(
            events,
            [
                {
                    "level_id": self.levels[1].id,
                    "channel": "email",
                    "event_type": "reminder",
                    "is_automatic": True,
                    "amount_residual": 1500.0,
                }
            ],
        )
        self.assertEqual(events.move_ids, old | recent)
        self.assertRecordValues(
            old | recent | not_due,
            [
                {
                    "fr_dunning_level_id": self.levels[1].id,
                    "fr_dunning_last_date": date(2026, 11, 23),
                    "fr_dunning_count": 1,
                },
                {
                    "fr_dunning_level_id": self.levels[1].id,
                    "fr_dunning_last_date": date(2026, 11, 23),
                    "fr_dunning_count": 1,
                },
                {"fr_dunning_level_id": False, "fr_dunning_last_date": False, "fr_dunning_count": 0},
            ],
        )
        # The email is queued, never sent inline, to the customer's address.
        mails = self.env["mail.mail"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 1)
        self.assertEqual(mails.state, "outgoing")
        self.assertIn(self.business, mails.recipient_ids)
        self.assertIn(old.name, mails.body_html)
        self.assertEqual(events.message_id, mails.mail_message_id)
        # The run is recorded, with its events.
        self.assertRecordValues(
            summary["run"],
            [{"is_automatic": True, "customer_count": 1, "communication_count": 1, "email_count": 1}],
        )
        self.assertEqual(summary["run"].event_ids, events)
        # A second run the same day changes nothing.
        summary = self._run(date(2026, 11, 23), partners=self.business)
        self.assertEqual(summary["communications"], 0)
        self.assertEqual(len(self._events(self.business)), 1)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 1)

    def test_reminders_leave_prescription_dates_alone(self):
        """Reminders and calls never interrupt prescription: the run does not
        compute the invoices' prescription dates again; an acknowledgement
        of the debt still does (Code civil, art. 2240)."""
        invoice = self._invoice(self.business, "2026-09-04", "2026-10-04", 1000.0)
        field = self.env["account.move"]._fields["fr_dunning_prescription_date"]
        self.assertEqual(invoice.fr_dunning_prescription_date, date(2031, 10, 4))
        plans, _skipped = self.Escalation._plan(self.company, date(2026, 11, 23), partners=self.business)
        self.Escalation._execute(plans, date(2026, 11, 23), True)
        self.assertTrue(self._events(self.business))
        self.assertFalse(self.env.records_to_compute(field))
        self.assertEqual(invoice.fr_dunning_prescription_date, date(2031, 10, 4))
        with freeze_time("2026-11-26"):
            self._event(
                self.business,
                invoice,
                "acknowledgement",
                "2026-11-25 10:00:00",
                "Reconnaissance de dette signée",
            )
        self.assertEqual(invoice.fr_dunning_prescription_date, date(2031, 11, 25))

    def test_minimum_interval_then_next_level(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        self._run(date(2026, 11, 23), partners=self.business)
        self.assertEqual(invoice.fr_dunning_level_id, self.levels[1])
        # J+15 is due (20 days overdue) but the level asks 7 days since the last email.
        summary = self._run(date(2026, 11, 27), partners=self.business)
        self.assertEqual(summary["skipped"], {"interval": 1})
        self.assertEqual(invoice.fr_dunning_level_id, self.levels[1])
        self.assertEqual(
            invoice.fr_dunning_next_date, date(2026, 11, 30), "J+15 is due, but 7 days after J+1"
        )
        summary = self._run(date(2026, 11, 30), partners=self.business)
        self.assertEqual(summary["sent"], {"email": 1, "phone": 1})
        self.assertEqual(invoice.fr_dunning_level_id, self.levels[15])
        # J+30 falls on 03/12, but the level wants 7 days since this reminder.
        self.assertEqual(invoice.fr_dunning_next_date, date(2026, 12, 7))
        self.assertEqual(invoice.fr_dunning_count, 2)
        call = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.business.id)]
        )
        self.assertEqual(call.activity_type_id, self.env.ref("mail.mail_activity_data_call"))

    def test_nightly_candidates_cover_what_the_plan_sends(self):
        # The cron plans only the customers its one-query search finds. Over
        # seven weeks of nights, with customers changing policy on the way
        # (an explicit policy set, a large debt partly paid), every customer
        # the plan would chase is among them, and customers held back by their
        # minimum interval are not.
        Policy = self.env["fr.dunning.policy"]
        loyal = Policy.search([("company_id", "=", self.company.id), ("name", "=", "Loyal customer")])
        partners = self.env["res.partner"].create(
            [{"name": f"Client {n}", "is_company": True, "email": f"c{n}@example.com"} for n in range(5)]
        )
        early, switching, large, upcoming, unpinned = partners
        # Pinned to the default policy, then left to the rules: its debt makes
        # it a large-amount customer, whose next level comes sooner.
        unpinned.with_company(self.company).fr_dunning_policy_id = self.standard
        self._invoice(unpinned, "2026-10-06", "2026-11-05", 12000.0)
        self._invoice(early, "2026-09-01", "2026-10-01", 1000.0)
        self._invoice(early, "2026-10-20", "2026-11-19", 400.0)
        self._invoice(switching, "2026-10-05", "2026-11-04", 700.0)
        big = self._invoice(large, "2026-10-01", "2026-10-31", 20000.0)
        self._invoice(upcoming, "2026-11-05", "2026-12-05", 900.0)
        day, nights, held_back = date(2026, 11, 1), 0, 0
        while day <= date(2026, 12, 20):
            if day == date(2026, 11, 20):
                switching.with_company(self.company).fr_dunning_policy_id = loyal
            if day == date(2026, 11, 8):
                unpinned.with_company(self.company).fr_dunning_policy_id = False
            if day == date(2026, 11, 25):
                self._pay(big, 15000.0, day)  # 5 000 EUR left: back to the default policy
            candidates = set(self.Escalation._candidate_partners(self.company, day))
            plans, _skipped = self.Escalation._plan(self.company, day, partners=partners)
            planned = {plan.partner.id for plan in plans}
            self.assertLessEqual(planned, candidates, f"night of {day}")
            # Chased within the last two days, with nothing left to remind
            # before its due date: every level after the preventive ones asks
            # three days at least, so such a customer is not searched.
            open_moves = self.env["account.move"].search(
                [
                    *self.env["account.move"]._fr_dunning_open_domain(self.company),
                    ("partner_id", "in", partners.ids),
                ]
            )
            recent_overdue = {
                partner.id
                for partner in partners
                if (moves := open_moves.filtered(lambda m, p=partner: m.partner_id == p))
                and all(move.invoice_date_due < day for move in moves)
                and max(moves.mapped(lambda m: m.fr_dunning_last_date or date.min)) >= day - timedelta(days=2)
            }
            held_back += len(recent_overdue)
            self.assertFalse(recent_overdue & candidates, f"night of {day}")
            if planned:
                nights += 1
                self.Escalation._run(self.company, today=day, partners=partners)
            day += timedelta(days=1)
        self.assertGreaterEqual(nights, 12)
        self.assertGreater(held_back, 0)
        self.assertEqual(switching.with_company(self.company).fr_dunning_policy_id, loyal)

    def test_walk_the_policy_by_its_next_dates(self):
        """Each run leaves on the invoice the day its next level is due; run on
        that day (never the day before), the invoice walks the whole policy."""
        invoice = self._invoice(self.business, "2026-07-01", "2026-08-31", 1000.0)
        due = invoice.invoice_date_due
        day, walked = due - timedelta(days=3), []
        while day:
            summary = self._run(day, partners=self.business)
            self.assertEqual(summary["communications"], 1, day)
            level = invoice.fr_dunning_level_id
            walked.append((level.offset_days, day))
            self.assertEqual((invoice.fr_dunning_last_date, invoice.fr_dunning_count), (day, len(walked)))
            following = self.standard.level_ids.filtered(
                lambda lvl, lv=level: lvl.offset_days > lv.offset_days
            )
            if following:
                following = following.sorted("offset_days")[0]
                self.assertEqual(
                    invoice.fr_dunning_next_date,
                    max(
                        due + timedelta(days=following.offset_days),
                        day + timedelta(days=following.min_interval_days),
                    ),
                )
                self.assertEqual(
                    self._run(invoice.fr_dunning_next_date - timedelta(days=1), partners=self.business)[
                        "communications"
                    ],
                    0,
                )
            day = invoice.fr_dunning_next_date
        # Every level once, in order, each on its day.
        self.assertEqual([offset for offset, _day in walked], sorted(self.levels))
        self.assertEqual(
            [day for _offset, day in walked],
            [due + timedelta(days=offset) for offset in sorted(self.levels)],
        )
        # The last level leaves no next action; the formal notice date is the first one's.
        self.assertFalse(invoice.fr_dunning_next_date)
        notice_day = due + timedelta(days=45)
        self.assertEqual(invoice.fr_dunning_formal_notice_date, notice_day)
        later = walked[-1][1] + timedelta(days=30)
        self.Escalation._run(self.company, today=later, partners=self.business, level=self.levels[45])
        self.assertEqual(invoice.fr_dunning_formal_notice_date, notice_day, "the first notice counts")
        self.assertEqual(
            (invoice.fr_dunning_level_id, invoice.fr_dunning_count), (self.levels[75], len(walked) + 1)
        )

    def test_per_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.10)])
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        self._invoice(self.business, "2026-10-04", "2026-11-03", 800.0, currency=usd)
        summary = self._run(date(2026, 11, 23), partners=self.business)
        self.assertEqual(summary["communications"], 2)
        self.assertEqual(sorted(self._events(self.business).mapped("currency_id.name")), ["EUR", "USD"])

    def test_customer_without_email(self):
        no_email = self.env["res.partner"].create(
            {
                "name": "Quincaillerie Blanc",
                "is_company": True,
                "street": "3 rue Haute",
                "zip": "38000",
                "city": "Grenoble",
            }
        )
        self._invoice(no_email, "2026-10-04", "2026-11-03", 1000.0)
        summary = self._run(date(2026, 11, 23), partners=no_email)
        self.assertEqual(summary["sent"], {"letter": 1, "phone": 1})
        self.assertEqual(sorted(self._events(no_email).mapped("channel")), ["letter", "phone"])

    def test_tolerance_and_blocked(self):
        self.company.fr_dunning_tolerance = 50.0
        small = self._invoice(self.business, "2026-10-04", "2026-11-03", 30.0)
        summary = self._run(date(2026, 11, 23), partners=self.business)
        self.assertEqual(summary["skipped"], {"amount": 1})
        self.assertFalse(small.fr_dunning_level_id)
        disputed = self._invoice(self.consumer, "2026-10-04", "2026-11-03", 1000.0)
        disputed.sudo().fr_dunning_blocked = "dispute"
        summary = self._run(date(2026, 11, 23), partners=self.consumer)
        self.assertEqual(summary["communications"], 0)
        self.assertFalse(self._events(self.consumer))

    def test_partially_paid_chased_for_its_residual(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        self._pay(invoice, 400.0, "2026-11-10")
        self._run(date(2026, 11, 23), partners=self.business)
        self.assertEqual(self._events(self.business).amount_residual, 600.0)

    def test_companies_never_mix(self):
        other = self.setup_other_company()["company"]
        theirs = self.init_invoice(
            "out_invoice", partner=self.business, invoice_date="2026-10-01", amounts=[1000.0], company=other
        )
        theirs.invoice_date_due = date(2026, 11, 1)
        theirs.action_post()
        mine = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        self._run(date(2026, 11, 23))
        self.assertEqual(self._events(self.business).move_ids, mine)
        self.assertEqual(self._events(self.business).company_id, self.company)
        self.assertFalse(theirs.fr_dunning_level_id)


@freeze_time(TODAY)
class TestNightlyRun(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Client {n}", "is_company": True, "email": f"client{n}@example.com"} for n in range(3)]
        )
        for customer in cls.customers:
            cls._invoice(customer, "2026-10-04", "2026-11-03", 1000.0)
        cls.Escalation = cls.env["fr.dunning.escalation"]

    def _chased(self):
        return self.env["fr.dunning.event"].search([("partner_id", "in", self.customers.ids)]).partner_id

    def test_off_by_default(self):
        self.assertFalse(self.company.fr_dunning_auto)
        self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate").method_direct_trigger()
        self.assertFalse(self._chased())

    def test_batches_resume_and_never_duplicate(self):
        self.company.fr_dunning_auto = True
        # The process dies before the first batch is committed: nothing happened.
        with self.assertRaises(RuntimeError), self.cr.savepoint():
            self.Escalation._cron_fr_dunning_escalate(batch_size=1)
            self.assertEqual(len(self._chased()), 1)
            raise RuntimeError("killed before commit")
        self.assertFalse(self._chased())
        # One customer per call, in a stable order, then nothing more. The
        # night's progress is kept on its run record, never in a system
        # parameter, whose writes clear every worker's caches (templates too).
        self.registry.cache_invalidated.clear()
        for expected in (1, 2, 3, 3, 3):
            self.Escalation._cron_fr_dunning_escalate(batch_size=1)
            self.assertEqual(len(self._chased()), expected)
        self.assertFalse(self.registry.cache_invalidated)
        events = self.env["fr.dunning.event"].search([("partner_id", "in", self.customers.ids)])
        self.assertEqual(len(events), 3)
        # One nightly run record for the day, whatever the number of batches.
        self.assertRecordValues(
            events.run_id,
            [
                {
                    "is_automatic": True,
                    "customer_count": 3,
                    "email_count": 3,
                    "night_cursor": max(self.customers.ids),
                    "night_complete": True,
                }
            ],
        )
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "res.partner"), ("res_id", "in", self.customers.ids)]
            ),
            3,
        )

    def test_night_candidates_searched_once_then_read_from_the_run(self):
        self.company.fr_dunning_auto = True
        Escalation = type(self.Escalation)
        with patch.object(
            Escalation, "_candidate_partners", autospec=True, side_effect=Escalation._candidate_partners
        ) as search:
            self.Escalation._cron_fr_dunning_escalate(batch_size=1)
            run = self.env["fr.dunning.run"].search([("company_id", "=", self.company.id)])
            self.assertEqual(run.night_queue, json.dumps(self.customers[1:].ids))
            # A customer becomes due in the middle of the night.
            late = self.env["res.partner"].create(
                {"name": "Client tard", "is_company": True, "email": "t@example.com"}
            )
            self._invoice(late, "2026-10-04", "2026-11-03", 1000.0)
            for expected in (2, 3):
                self.Escalation._cron_fr_dunning_escalate(batch_size=1)
                self.assertEqual(len(self._chased()), expected)
            self.assertEqual(search.call_count, 1)
            # The list has run out: searched again past the last one done.
            self.Escalation._cron_fr_dunning_escalate(batch_size=1)
            self.assertEqual(search.call_count, 2)
            self.assertTrue(self.env["fr.dunning.event"].search([("partner_id", "=", late.id)]))
            self.Escalation._cron_fr_dunning_escalate(batch_size=1)
            self.assertEqual(search.call_count, 3)
        self.assertRecordValues(run, [{"customer_count": 4, "night_complete": True, "night_queue": False}])

    def test_a_customer_in_error_does_not_stop_the_night(self):
        """A template edited with an expression that breaks for one customer:
        the others are chased, that one is named on the run, nothing is sent
        to them, and the night goes on."""
        self.company.fr_dunning_auto = True
        first, failing, last = self.customers
        (first | last).write({"ref": "C-1"})
        level = self.env["fr.dunning.level"].search(
            [
                ("company_id", "=", self.company.id),
                ("policy_id.assignment", "=", "default"),
                ("offset_days", "=", 1),
            ]
        )
        level.mail_template_id = self.env.ref("fr_dunning_addon.mail_template_courteous").copy(
            {"body_html": '<p>Your reference: <t t-out="object.partner_id.ref.upper()"/></p>'}
        )
        mails_before = self.env["mail.mail"].search_count([])
        with self.assertLogs("odoo.addons.fr_dunning_addon.models.fr_dunning_night", "ERROR") as logs:
            self.Escalation._cron_fr_dunning_escalate(batch_size=3)
        self.assertIn(f"chasing Client 1 ({failing.id}) failed", logs.output[0])
        self.assertEqual(self._chased(), first | last)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 2)
        run = self.env["fr.dunning.run"].search(
            [("company_id", "=", self.company.id), ("is_automatic", "=", True)]
        )
        self.assertRecordValues(run, [{"customer_count": 2, "email_count": 2, "error_count": 1}])
        self.assertTrue(run.error_log.startswith(f"Client 1 (#{failing.id}): QWebException: "), run.error_log)
        self.assertIn("'bool' object has no attribute 'upper'", run.error_log)
        self.assertFalse(failing.invoice_ids.fr_dunning_level_id)
        # The night is done; the next call sends nothing more.
        self.Escalation._cron_fr_dunning_escalate(batch_size=3)
        self.assertTrue(run.night_complete)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 2)
        # Mended, the customer is chased the next night.
        failing.ref = "C-2"
        with freeze_time("2026-11-24"):
            self.Escalation._cron_fr_dunning_escalate(batch_size=3)
        self.assertEqual(self._chased(), self.customers)
        event = self.env["fr.dunning.event"].search([("partner_id", "=", failing.id)])
        self.assertIn("Your reference: C-2", event.message_id.body)

    def test_batches_that_send_nothing_share_a_call(self):
        self.company.fr_dunning_auto = True
        # The first customer owes less than the company's tolerance: a candidate
        # the plan skips. Its batch sends nothing, so the next batch follows in
        # the same call, and the call ends after the batch that sent.
        for customer in self.customers[1:]:
            self._invoice(customer, "2026-10-04", "2026-11-03", 1000.0)
        self.company.fr_dunning_tolerance = 1500.0
        cron = self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate")
        job, progress = cron._add_progress()
        self.Escalation.with_context(job.env.context)._cron_fr_dunning_escalate(batch_size=1)
        self.assertEqual(self._chased(), self.customers[1])
        self.assertRecordValues(progress, [{"done": 2, "remaining": 1}])
        job, progress = cron._add_progress()
        self.Escalation.with_context(job.env.context)._cron_fr_dunning_escalate(batch_size=1)
        self.assertEqual(self._chased(), self.customers[1:])
        self.assertRecordValues(progress, [{"done": 1, "remaining": 1}])
        job, progress = cron._add_progress()
        self.Escalation.with_context(job.env.context)._cron_fr_dunning_escalate(batch_size=1)
        self.assertEqual(self._chased(), self.customers[1:])
        self.assertEqual(progress.remaining, 0)

    def test_cron_record(self):
        self.company.fr_dunning_auto = True
        cron = self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate")
        cron.method_direct_trigger()
        self.assertEqual(self._chased(), self.customers)
        cron.method_direct_trigger()
        self.assertEqual(
            len(self.env["fr.dunning.event"].search([("partner_id", "in", self.customers.ids)])), 3
        )

    def test_user_without_dunning_group_cannot_run(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Vendeur",
                "login": "fr_dunning_vendeur2",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.Escalation.with_user(salesman)._run(self.company, today=date(2026, 11, 23))

    def test_one_run_at_a_time_per_company(self):
        escalation = self.env["fr.dunning.escalation"]
        self.business.email = "compta@dupont.example"
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        day = date(2026, 11, 23)
        # Another transaction (the nightly batch, say) holds the company's lock.
        with self.registry.cursor() as other:
            other.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (ESCALATION_LOCK, self.company.id))
            self.assertTrue(other.fetchone()[0])
            summary = escalation._run(self.company, today=day, partners=self.business)
            self.assertEqual(summary["skipped"], {"locked": 1})
            with self.assertRaises(UserError):
                escalation._run(self.company, today=day, automatic=False, partners=self.business)
            self.assertFalse(self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)]))
            other.rollback()
        # Released with the other transaction: the run goes through.
        self.assertEqual(
            escalation._run(self.company, today=day, partners=self.business)["communications"], 1
        )

    def _assert_called_again_soon(self):
        cron = self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertEqual(triggers.mapped("call_at"), [fields.Datetime.now() + timedelta(minutes=2)])

    def test_nightly_batch_waits_for_a_run_in_progress(self):
        # While an accountant's run of the company holds its lock, the nightly
        # call sends nothing and keeps its place: the next call chases the
        # customer, who is never skipped for the night.
        self.company.fr_dunning_auto = True
        self.business.email = "compta@dupont.example"
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        Run = self.env["fr.dunning.run"]
        with self.registry.cursor() as other:
            other.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (ESCALATION_LOCK, self.company.id))
            self.Escalation._cron_fr_dunning_escalate()
            self.assertFalse(self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)]))
            self.assertFalse(Run.search([("company_id", "=", self.company.id), ("is_automatic", "=", True)]))
            other.rollback()
        # Odoo's runner would wait for the next day (the call did nothing): the
        # cron asks to be called again in a few minutes.
        self._assert_called_again_soon()
        self.Escalation._cron_fr_dunning_escalate()
        self.Escalation._cron_fr_dunning_escalate()
        self.assertEqual(len(self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])), 1)
        run = Run.search([("company_id", "=", self.company.id), ("is_automatic", "=", True)])
        self.assertRecordValues(
            run, [{"communication_count": 1 + len(self.customers), "night_complete": True}]
        )


@freeze_time(TODAY)
class TestPreview(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business.email = "compta@dupont.example"
        cls.other = cls.env["res.partner"].create(
            {"name": "Hôtel du Lac", "is_company": True, "email": "direction@hotel-du-lac.example"}
        )
        cls.inv_business = cls._invoice(cls.business, "2026-10-04", "2026-11-03", 1000.0)
        cls.inv_other = cls._invoice(cls.other, "2026-10-04", "2026-11-03", 700.0)

    def _preview(self, **kwargs):
        action = self.env["fr.dunning.preview"].with_user(self.dunning_user)._open(**kwargs)
        return self.env["fr.dunning.preview"].with_user(self.dunning_user).browse(action["res_id"])

    def test_preview_then_send_what_is_ticked(self):
        preview = self._preview(partners=self.business | self.other)
        self.assertRecordValues(
            preview.line_ids.sorted("amount"),
            [
                {"partner_id": self.other.id, "amount": 700.0, "channels": "Email"},
                {"partner_id": self.business.id, "amount": 1000.0, "channels": "Email"},
            ],
        )
        self.assertFalse(
            self.env["fr.dunning.event"].search([("partner_id", "in", (self.business | self.other).ids)])
        )
        preview.line_ids.filtered(lambda line: line.partner_id == self.other).include = False
        action = preview.action_send()
        run = self.env["fr.dunning.run"].browse(action["res_id"])
        self.assertRecordValues(
            run, [{"is_automatic": False, "user_id": self.dunning_user.id, "email_count": 1}]
        )
        self.assertEqual(run.event_ids.partner_id, self.business)
        self.assertEqual(self.inv_business.fr_dunning_count, 1)
        self.assertEqual(self.inv_other.fr_dunning_count, 0)

    def test_long_list_shows_the_largest_and_send_all_sends_the_rest(self):
        # A third customer, and a list limited to 2 lines: the smallest (500)
        # is not listed; "Send all" sends it with the listed ones left ticked.
        third = self.env["res.partner"].create(
            {"name": "Garage Petit", "is_company": True, "email": "garage@petit.example"}
        )
        inv_third = self._invoice(third, "2026-10-04", "2026-11-03", 500.0)
        with patch.object(fr_dunning_preview, "PREVIEW_LIMIT", 2):
            preview = self._preview(partners=self.business | self.other | third)
        self.assertRecordValues(preview, [{"plan_count": 3, "unlisted_count": 1}])
        self.assertEqual(preview.line_ids.mapped("amount"), [1000.0, 700.0])
        preview.line_ids.filtered(lambda line: line.partner_id == self.other).include = False
        run = self.env["fr.dunning.run"].browse(preview.action_send_all()["res_id"])
        self.assertEqual(run.event_ids.partner_id, self.business | third)
        invoices = self.inv_business | self.inv_other | inv_third
        self.assertEqual(invoices.mapped("fr_dunning_count"), [1, 0, 1])

    def test_warning_on_unreconciled_payment(self):
        payment = self.init_payment(300.0, post=True, date="2026-11-20", partner=self.business)
        self.assertTrue(payment)
        preview = self._preview(partners=self.business)
        self.assertIn("unreconciled payment", preview.line_ids.warning)

    def test_send_next_level_now(self):
        # Chased today at J+1: the next level (J+15) is not due, but the accountant
        # sends it now from the customer.
        self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23), partners=self.business)
        preview = self._preview(partners=self.business)
        self.assertFalse(preview.line_ids)
        preview = self._preview(partners=self.business, force=True)
        self.assertEqual(preview.line_ids.level_id.offset_days, 15)
        preview.action_send()
        self.assertEqual(self.inv_business.fr_dunning_level_id.offset_days, 15)
        self.assertEqual(self.inv_business.fr_dunning_count, 2)


@freeze_time("2026-06-20")
class TestLevelChargesPenalties(FrDunningCase):
    def test_pre_litigation_level_bills_penalties(self):
        self.business.email = "compta@dupont.example"
        standard = self.env["fr.dunning.policy"].search(
            [("company_id", "=", self.company.id), ("assignment", "=", "default")]
        )
        levels = {lvl.offset_days: lvl for lvl in standard.level_ids}
        self.assertEqual(levels[60].penalties, "charge")
        invoice = self._invoice(self.business, "2026-03-16", "2026-04-15", 1000.0)
        invoice.sudo().write({"fr_dunning_level_id": levels[45].id, "fr_dunning_last_date": date(2026, 6, 1)})
        summary = self.env["fr.dunning.escalation"]._run(
            self.company, today=date(2026, 6, 20), partners=self.business
        )
        self.assertEqual(invoice.fr_dunning_level_id, levels[60])
        self.assertEqual(summary["sent"].get("penalty_invoice"), 1)
        penalty = invoice.fr_dunning_penalty_ids.penalty_move_id
        # 16/04 to 20/06: 66 days at 12.15 % on 1 000 = 21.97; and the 40 EUR indemnity.
        self.assertRecordValues(
            penalty, [{"state": "draft", "amount_total": 61.97, "fr_dunning_is_penalty_invoice": True}]
        )


@freeze_time(TODAY)
class TestLogCall(FrDunningCase):
    def _wizard(self, partner, **vals):
        action = self.env["fr.dunning.call.wizard"].with_user(self.dunning_user)._open(partner)
        return (
            self.env["fr.dunning.call.wizard"]
            .with_user(self.dunning_user)
            .with_context(action["context"])
            .create(vals)
        )

    def test_promise_and_dispute(self):
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        not_due = self._invoice(self.business, "2026-11-20", "2026-12-20", 500.0)
        self.business.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.dunning_user.id, summary="Appeler"
        )
        wizard = self._wizard(self.business, outcome="promise", promise_amount=1000.0)
        self.assertEqual(wizard.move_ids, invoice, "the overdue invoices are proposed")
        with self.assertRaises(UserError):
            wizard.action_log()  # a promise needs its date
        wizard.promise_date = date(2026, 11, 30)
        wizard.action_log()
        event = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("event_type", "=", "call")]
        )
        self.assertRecordValues(
            event,
            [
                {
                    "event_type": "call",
                    "channel": "phone",
                    "outcome": "promise",
                    "user_id": self.dunning_user.id,
                }
            ],
        )
        self.assertIn("11/30/2026", event.note)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.business.id)]
            ),
            "the call to make is done",
        )
        # The promise pauses the invoice until its date; cancelled, it does not.
        promise = self.env["fr.dunning.promise"].search([("partner_id", "=", self.business.id)])
        self.assertEqual((promise.amount, invoice.fr_dunning_blocked), (1000.0, "promise"))
        promise.action_cancel()
        self.assertFalse(invoice.fr_dunning_blocked)
        # A dispute pauses the invoices discussed.
        wizard = self._wizard(self.business, outcome="dispute", note="Livraison incomplète")
        wizard.action_log()
        self.assertRecordValues(
            invoice | not_due,
            [
                {"fr_dunning_blocked": "dispute", "fr_dunning_blocked_note": "Livraison incomplète"},
                {"fr_dunning_blocked": False, "fr_dunning_blocked_note": False},
            ],
        )


@freeze_time(TODAY)
class TestCreditNotes(FrDunningCase):
    def test_credit_note_shown_as_deduction_never_chased(self):
        self.business.email = "compta@dupont.example"
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        refund = self._invoice(self.business, "2026-11-10", "2026-11-10", 150.0, post=False)
        refund.move_type = "out_refund"
        refund.action_post()
        summary = self.env["fr.dunning.escalation"]._run(
            self.company, today=date(2026, 11, 23), partners=self.business
        )
        event = summary["run"].event_ids
        self.assertEqual(event.amount_residual, 850.0)
        self.assertEqual(event.move_ids, invoice | refund)
        self.assertIn(refund.name, event.message_id.body)
        self.assertRecordValues(
            invoice | refund,
            [
                {"fr_dunning_count": 1, "fr_dunning_level_id": event.level_id.id},
                {"fr_dunning_count": 0, "fr_dunning_level_id": False},
            ],
        )

    def test_send_a_chosen_level(self):
        # A registered letter needs the address.
        self.business.write(
            {"email": "compta@dupont.example", "street": "3 rue du Bois", "zip": "69002", "city": "Lyon"}
        )
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        levels = {
            lvl.offset_days: lvl
            for lvl in self.env["fr.dunning.level"].search(
                [("company_id", "=", self.company.id), ("policy_id.assignment", "=", "default")]
            )
        }
        choice = (
            self.env["fr.dunning.level.choice"]
            .with_user(self.dunning_user)
            .create({"partner_ids": [(6, 0, self.business.ids)], "level_id": levels[45].id})
        )
        # Never reminded: a formal notice as the first communication is confirmed.
        self.assertEqual(choice.never_reminded, self.business.name)
        with self.assertRaises(UserError):
            choice.action_preview()
        choice.confirm_first = True
        preview = choice.env["fr.dunning.preview"].browse(choice.action_preview()["res_id"])
        self.assertRecordValues(preview.line_ids, [{"level_id": levels[45].id, "amount": 1000.0}])
        preview.action_send()
        self.assertEqual(invoice.fr_dunning_level_id, levels[45])
        events = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        self.assertEqual(sorted(events.mapped("channel")), ["email", "registered_letter"])
        # Sending a softer level again never moves the invoice back.
        choice.level_id = levels[1]
        choice.env["fr.dunning.preview"].browse(choice.action_preview()["res_id"]).action_send()
        self.assertEqual(invoice.fr_dunning_level_id, levels[45])
        self.assertEqual(invoice.fr_dunning_count, 2)


@freeze_time(TODAY)
class TestStaleBankStatements(FrDunningCase):
    def test_warn_and_hold(self):
        self.business.email = "compta@dupont.example"
        self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        bank = self.company_data["default_journal_bank"]
        self.env["account.bank.statement.line"].create(
            {"journal_id": bank.id, "date": "2026-11-01", "payment_ref": "VIR CLIENT", "amount": 100.0}
        )
        self.assertEqual(self.company._fr_dunning_stale_bank_journals(date(2026, 11, 23)), bank)
        self.assertFalse(self.company._fr_dunning_stale_bank_journals(date(2026, 11, 5)))
        action = self.env["fr.dunning.preview"]._open(partners=self.business)
        preview = self.env["fr.dunning.preview"].browse(action["res_id"])
        self.assertIn(bank.name, preview.bank_warning)
        # Held: the nightly run sends nothing; by hand, the accountant decides.
        self.company.fr_dunning_hold_if_stale = True
        Escalation = self.env["fr.dunning.escalation"]
        summary = Escalation._run(self.company, today=date(2026, 11, 23), partners=self.business)
        self.assertEqual((summary["communications"], summary["skipped"]), (0, {"held": 1}))
        # The nightly cron holds the whole company for the night and says why
        # on the night's run record.
        self.company.fr_dunning_auto = True
        Escalation._cron_fr_dunning_escalate()
        run = self.env["fr.dunning.run"].search(
            [("company_id", "=", self.company.id), ("is_automatic", "=", True)]
        )
        self.assertRecordValues(run, [{"communication_count": 0, "night_complete": True}])
        self.assertEqual(
            run.held_reason,
            f"Nothing sent: the last bank statements of {bank.name} are more than 7 days old, and the "
            "company holds automatic reminders until they are imported.",
        )
        self.assertFalse(self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)]))
        summary = Escalation._run(
            self.company, today=date(2026, 11, 23), partners=self.business, automatic=False
        )
        self.assertEqual(summary["communications"], 1)


@freeze_time(TODAY)
class TestLetters(FrDunningCase):
    def test_letter_for_customer_without_email(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Quincaillerie Blanc",
                "is_company": True,
                "street": "3 rue Haute",
                "zip": "38000",
                "city": "Grenoble",
            }
        )
        invoice = self._invoice(customer, "2026-10-04", "2026-11-03", 1000.0)
        self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23), partners=customer)
        letter = self.env["fr.dunning.event"].search(
            [("partner_id", "=", customer.id), ("channel", "=", "letter")]
        )
        self.assertEqual(len(letter), 1)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("fr_dunning_addon.report_dunning_letter", letter.ids)[0]
            .decode()
        )
        self.assertIn("Quincaillerie Blanc", html)
        self.assertIn("Grenoble", html)
        self.assertIn(invoice.name, html)
        self.assertIn("1,000.00", html)
        # Printing is recorded; the rest of the event is evidence.
        letter.with_user(self.dunning_user).action_mark_printed()
        self.assertEqual(letter.printed_by_id, self.dunning_user)
        with self.assertRaises(UserError):  # an ordinary letter has no registered-mail number
            letter.with_user(self.dunning_user).registered_number = "1A 123 456 7890 1"
        with self.assertRaises(UserError):
            letter.with_user(self.dunning_manager).amount_residual = 1.0


@freeze_time(TODAY)
class TestCustomerFollowUp(FrDunningCase):
    def test_aggregates(self):
        self.business.email = "compta@dupont.example"
        self._invoice(self.business, "2026-09-04", "2026-10-04", 1000.0)
        self._invoice(self.business, "2026-10-22", "2026-11-21", 500.0)
        self._invoice(self.business, "2026-11-20", "2026-12-20", 300.0)  # not due
        self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23), partners=self.business)
        self.business.invalidate_recordset()
        contact = self.env["res.partner"].create({"name": "Paul Dupont", "parent_id": self.business.id})
        for partner in (self.business, contact):
            self.assertRecordValues(
                partner,
                [
                    {
                        "fr_dunning_total_overdue": 1500.0,
                        "fr_dunning_oldest_days": 50,
                        "fr_dunning_next_date": date(2026, 11, 30),
                    }
                ],
            )
            self.assertEqual(partner.fr_dunning_level_id.offset_days, 1)


@freeze_time(TODAY)
class TestSms(FrDunningCase):
    """The SMS channel, when Odoo's SMS app is installed (make test installs it;
    the addon never depends on it)."""

    def test_sms_queued_for_customers_with_a_number(self):
        if "sms.sms" not in self.env:
            self.skipTest("Odoo's SMS app is not installed in this database")
        level = self.env["fr.dunning.level"].search(
            [
                ("company_id", "=", self.company.id),
                ("offset_days", "=", 1),
                ("policy_id.assignment", "=", "default"),
            ]
        )
        level.channel_sms = True
        self.business.write({"email": "compta@dupont.example", "mobile": "+33 6 12 34 56 78"})
        self.consumer.write({"email": "jeanne.martin@example.com", "mobile": False, "phone": False})
        invoice = self._invoice(self.business, "2026-10-21", "2026-11-20", 1000.0)
        self._invoice(self.consumer, "2026-10-21", "2026-11-20", 200.0)
        summary = self.env["fr.dunning.escalation"]._run(self.company, today=date(2026, 11, 23))
        self.assertEqual(summary["sent"].get("sms"), 1, "the consumer has no number: no SMS")
        sms = self.env["sms.sms"].search([("partner_id", "in", (self.business | self.consumer).ids)])
        self.assertRecordValues(
            sms, [{"partner_id": self.business.id, "number": "+33 6 12 34 56 78", "state": "outgoing"}]
        )
        self.assertIn(invoice.name, sms.body)
        self.assertIn("1,000.00", sms.body)
        self.assertIn("12/01/2026", sms.body)  # pay by: 23/11 + the level's 8 days
        event = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("channel", "=", "sms")]
        )
        self.assertEqual(event.level_id, level)
        self.assertEqual(summary["sent"].get("email"), 2)


@freeze_time(TODAY)
@tagged("post_install", "-at_install", "fr_dunning_addon")
class TestRealConflict(TransactionCase):
    """A nightly batch against a real concurrent update, on real separate
    connections: the invoice is committed (the main company of the test
    database, outside any test transaction), then a bank reconciliation's
    transaction writes it while the night's transaction is under way.
    PostgreSQL refuses the night's update of that invoice ("could not
    serialize access due to concurrent update"): the batch is rolled back
    and left for the next call, which chases the customer once."""

    test_module = "fr_dunning_addon"

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            partner = env["res.partner"].create(
                {
                    "name": "Conflit et Fils SARL",
                    "is_company": True,
                    "email": "compta@conflit.example",
                    "street": "3 rue des Lices",
                    "zip": "49100",
                    "city": "Angers",
                    "country_id": env.ref("base.fr").id,
                }
            )
            move = (
                env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": "2026-10-04",
                        "invoice_date_due": "2026-11-03",
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Conseil", "quantity": 1, "price_unit": 1000.0, "tax_ids": []}
                            )
                        ],
                    }
                )
            )
            move.action_post()
            self.partner_id, self.move_id = partner.id, move.id
        self.addCleanup(self._remove_committed)

    def _remove_committed(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'account.move' AND res_id = %s", [self.move_id]
            )
            cr.execute("DELETE FROM account_move WHERE id = %s", [self.move_id])
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = %s", [self.partner_id]
            )
            cr.execute("DELETE FROM res_partner WHERE id = %s", [self.partner_id])

    def _night(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        env.ref("base.main_company").fr_dunning_auto = True
        return env

    def _sent(self, env):
        events = env["fr.dunning.event"].search([("partner_id", "=", self.partner_id)])
        mails = env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "=", self.partner_id)])
        return events, mails

    def test_batch_redone_after_a_real_concurrent_update(self):
        cron = self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate")
        with self.registry.cursor() as night_cr, self.registry.cursor() as bank_cr:
            night = self._night(night_cr)
            # The night's transaction reads the invoice: its snapshot is taken.
            self.assertEqual(night["account.move"].browse(self.move_id).amount_residual, 1000.0)
            # Meanwhile, another transaction writes the invoice and commits.
            bank = api.Environment(bank_cr, SUPERUSER_ID, {})
            bank["account.move"].browse(self.move_id).narration = "Virement annoncé par le client"
            bank_cr.commit()
            # No exception: the batch is rolled back and left for the next call.
            night["fr.dunning.escalation"]._cron_fr_dunning_escalate(batch_size=1)
            self.assertEqual(self._sent(night), (night["fr.dunning.event"], night["mail.mail"]))
            triggers = night["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
            self.assertIn(fields.Datetime.now() + timedelta(minutes=2), triggers.mapped("call_at"))
            night_cr.rollback()
        # The next call, a new transaction, chases the customer once.
        with self.registry.cursor() as cr:
            env = self._night(cr)
            env["fr.dunning.escalation"]._cron_fr_dunning_escalate(batch_size=1)
            env["fr.dunning.escalation"]._cron_fr_dunning_escalate(batch_size=1)
            events, mails = self._sent(env)
            self.assertEqual(len(events), 1)
            self.assertEqual(len(mails), 1)
            self.assertEqual(mails.recipient_ids.email, "compta@conflit.example")
            self.assertEqual(env["account.move"].browse(self.move_id).fr_dunning_count, 1)
            cr.rollback()

    def test_run_that_committed_meanwhile_is_seen_at_the_lock(self):
        """An accountant's run commits while the night's transaction, begun
        before it, waits for the company's lock: holding the lock, the night
        would plan on what it saw before that run. PostgreSQL refuses the
        night's stamp at once, before anything is planned or rendered."""
        with self.registry.cursor() as night_cr, self.registry.cursor() as accountant_cr:
            night = self._night(night_cr)
            company = night.ref("base.main_company")
            # The night's transaction has begun: its snapshot is taken.
            self.assertTrue(night["account.move"].browse(self.move_id).amount_residual)
            accountant = api.Environment(accountant_cr, SUPERUSER_ID, {})
            self.assertTrue(accountant["fr.dunning.escalation"]._lock(accountant.ref("base.main_company")))
            accountant_cr.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                night["fr.dunning.escalation"]._lock(company)
            night_cr.rollback()
        # A new transaction takes the lock.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertTrue(env["fr.dunning.escalation"]._lock(env.ref("base.main_company")))
            cr.rollback()
