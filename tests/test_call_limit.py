# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily limit of calls per responsible, and the calls to make today."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user

from .common import TODAY, FrDunningCase

DAY_1, DAY_2, DAY_3 = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)


@freeze_time(TODAY)
class TestCallLimit(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Escalation = cls.env["fr.dunning.escalation"]
        cls.levels = {
            level.offset_days: level
            for level in cls.env["fr.dunning.level"].search(
                [("company_id", "=", cls.company.id), ("policy_id.assignment", "=", "default")]
            )
        }
        # The first reminder after the due date chases by email and phone.
        cls.first = cls.levels[1]
        cls.first.channel_phone = True
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        # Five customers of the same responsible, 20 days late, in id order.
        cls.amounts = [100.0, 500.0, 300.0, 800.0, 200.0]
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Client {amount:.0f}",
                    "is_company": True,
                    "email": f"client{n}@example.com",
                    "street": f"{n} rue des Clients",
                    "zip": "75011",
                    "city": "Paris",
                }
                for n, amount in enumerate(cls.amounts)
            ]
        )
        cls.by_amount = dict(zip(cls.amounts, cls.customers, strict=True))
        cls.customers.with_company(cls.company).fr_dunning_responsible_id = cls.dunning_user
        cls.invoices = {
            amount: cls._invoice(customer, "2026-10-04", "2026-11-03", amount)
            for amount, customer in cls.by_amount.items()
        }

    def _customers(self, *amounts):
        return self.env["res.partner"].union(*(self.by_amount[amount] for amount in amounts))

    def _called(self):
        """The customers given a call to make, and to whom."""
        calls = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("activity_type_id", "=", self.call_type.id),
                ("fr_dunning_company_id", "=", self.company.id),
            ]
        )
        return self.env["res.partner"].browse(calls.mapped("res_id")), calls.user_id

    def _events(self, partners, channel):
        return self.env["fr.dunning.event"].search(
            [("partner_id", "in", partners.ids), ("channel", "=", channel)]
        )

    def _state(self, *amounts):
        return [
            {
                "fr_dunning_level_id": self.invoices[amount].fr_dunning_level_id.id,
                "fr_dunning_count": self.invoices[amount].fr_dunning_count,
                "fr_dunning_last_date": self.invoices[amount].fr_dunning_last_date,
            }
            for amount in amounts
        ]

    def _reached(self, day):
        return {"fr_dunning_level_id": self.first.id, "fr_dunning_count": 1, "fr_dunning_last_date": day}

    untouched = {"fr_dunning_level_id": False, "fr_dunning_count": 0, "fr_dunning_last_date": False}

    def test_the_night_batches_share_the_limit_largest_first(self):
        """Two calls a day: the night's first batch (100, 500, 300) gives
        the two largest of its calls; the second (800, 200) finds the
        responsible's day full. Every customer gets the email; the invoices
        whose call waits stay due. Another responsible has their own day."""
        self.company.write({"fr_dunning_call_limit": 2, "fr_dunning_auto": True})
        other = self.env["res.partner"].create(
            {"name": "Client du responsable", "is_company": True, "email": "autre@example.com"}
        )
        other.with_company(self.company).fr_dunning_responsible_id = self.dunning_manager
        self._invoice(other, "2026-10-04", "2026-11-03", 50.0)
        for _call in range(3):
            self.Escalation._cron_fr_dunning_escalate(batch_size=3)
        called, users = self._called()
        self.assertEqual(called, self._customers(500.0, 300.0) | other)
        self.assertEqual(users, self.dunning_user | self.dunning_manager)
        self.assertEqual(self._events(self.customers | other, "email").partner_id, self.customers | other)
        self.assertEqual(self._events(self.customers | other, "phone").partner_id, called)
        self.assertRecordValues(
            self.env["account.move"].union(*(self.invoices[amount] for amount in self.amounts)),
            [
                self.untouched,  # 100: call postponed
                self._reached(DAY_1),
                self._reached(DAY_1),
                self.untouched,  # 800: the second batch found the day full
                self.untouched,  # 200
            ],
        )
        run = self.env["fr.dunning.run"].search([("company_id", "=", self.company.id)])
        self.assertRecordValues(
            run,
            [
                {
                    "is_automatic": True,
                    "night_complete": True,
                    "customer_count": 6,
                    "communication_count": 6,
                    "email_count": 6,
                    "phone_count": 3,
                    "calls_postponed": 3,
                }
            ],
        )

    def test_postponed_calls_are_made_the_next_days(self):
        self.company.fr_dunning_call_limit = 2
        first_batch, second_batch = self._customers(100.0, 500.0, 300.0), self._customers(800.0, 200.0)
        summary = self.Escalation._run(self.company, today=DAY_1, partners=first_batch)
        self.assertEqual((summary["sent"], summary["calls_postponed"]), ({"email": 3, "phone": 2}, 1))
        summary = self.Escalation._run(self.company, today=DAY_1, partners=second_batch)
        self.assertEqual((summary["sent"], summary["calls_postponed"]), ({"email": 2}, 2))
        self.assertEqual(summary["communications"], 2, "their emails went")
        self.assertEqual(self._called()[0], self._customers(500.0, 300.0))
        # Another run the same day (an accountant's "Send all", say) leaves
        # them for tomorrow, even with room in the day: one run a day chases
        # a customer.
        self.company.fr_dunning_call_limit = 10
        summary = self.Escalation._run(self.company, today=DAY_1)
        self.assertEqual((summary["sent"], summary["communications"], summary["calls_postponed"]), ({}, 0, 0))
        self.assertEqual(self._called()[0], self._customers(500.0, 300.0))
        self.company.fr_dunning_call_limit = 2
        # The next day: yesterday's calls (not made yet) are yesterday's; the
        # largest of the postponed calls are given, their emails not sent again.
        with freeze_time("2026-11-24"):
            summary = self.Escalation._run(self.company, today=DAY_2)
        self.assertEqual(summary["sent"], {"phone": 2})
        self.assertEqual(summary["calls_postponed"], 1)
        self.assertEqual(self._called()[0], self._customers(500.0, 300.0, 800.0, 200.0))
        self.assertEqual(len(self._events(self.customers, "email")), 5)
        self.assertRecordValues(
            self.invoices[800.0] | self.invoices[200.0] | self.invoices[100.0],
            [self._reached(DAY_2), self._reached(DAY_2), self.untouched],
        )
        # The call completes the level: the next one comes on its own day.
        self.assertEqual(self.invoices[800.0].fr_dunning_next_date, date(2026, 12, 1))
        with freeze_time("2026-11-25"):
            summary = self.Escalation._run(self.company, today=DAY_3)
        self.assertEqual((summary["sent"], summary["calls_postponed"]), ({"phone": 1}, 0))
        self.assertEqual(self._called()[0], self.customers)
        self.assertRecordValues(self.invoices[100.0], [self._reached(DAY_3)])
        self.assertEqual(len(self._events(self.customers, "email")), 5)
        self.assertEqual(len(self._events(self.customers, "phone")), 5)

    def test_a_call_only_level_waits_whole(self):
        """A level that only calls sends nothing when its call waits: no
        event, no run count but the postponed call, the invoices untouched."""
        self.first.write({"channel_email": False, "channel_phone": True})
        self.company.fr_dunning_call_limit = 1
        customers = self._customers(500.0, 800.0)
        next_date = self.invoices[500.0].fr_dunning_next_date
        summary = self.Escalation._run(self.company, today=DAY_1, partners=customers)
        self.assertEqual(summary["sent"], {"phone": 1})
        self.assertEqual((summary["customers"], summary["communications"]), (1, 1))
        self.assertEqual(summary["calls_postponed"], 1)
        self.assertEqual(summary["run"].calls_postponed, 1)
        self.assertEqual(self._called()[0], self.by_amount[800.0])
        waiting = self.by_amount[500.0]
        self.assertFalse(self.env["fr.dunning.event"].search([("partner_id", "=", waiting.id)]))
        self.assertRecordValues(self.invoices[500.0], [self.untouched])
        self.assertEqual(self.invoices[500.0].fr_dunning_next_date, next_date)
        with freeze_time("2026-11-24"):
            summary = self.Escalation._run(self.company, today=DAY_2, partners=customers)
        self.assertEqual((summary["sent"], summary["calls_postponed"]), ({"phone": 1}, 0))
        self.assertRecordValues(self.invoices[500.0], [self._reached(DAY_2)])

    def test_only_a_communications_first_part_bills_penalties(self):
        """A level that bills penalties and calls: the penalty invoice goes
        with its email, not again with the call the next day."""
        self.first.penalties = "charge"
        self.company.fr_dunning_call_limit = 1
        # 2026 S2 is not in the shipped table: a test semester with the S1 figures.
        self.env["fr.dunning.legal.rate"].create(
            {
                "date_start": date(2026, 7, 1),
                "ecb_rate": 2.15,
                "legal_rate_individual": 6.67,
                "legal_rate_other": 2.62,
            }
        )
        customers = self._customers(500.0, 800.0)
        Move = self.env["account.move"]
        penalties = [("fr_dunning_is_penalty_invoice", "=", True), ("partner_id", "in", customers.ids)]
        self.Escalation._run(self.company, today=DAY_1, partners=customers)
        billed = Move.search(penalties)
        self.assertEqual(billed.partner_id, customers, "both emails went, with their penalties")
        with freeze_time("2026-11-24"):
            summary = self.Escalation._run(self.company, today=DAY_2, partners=customers)
        self.assertEqual(summary["sent"], {"phone": 1})
        self.assertEqual(Move.search(penalties), billed)

    def test_a_formal_notice_sent_while_its_call_waits(self):
        """The registered letter of a formal notice goes while its call
        waits: the debtor is put on notice (Code civil 1344), the level is
        not reached yet."""
        notice = self.levels[45]
        notice.channel_phone = True
        self.company.fr_dunning_call_limit = 1
        self.Escalation._run(self.company, today=DAY_1, partners=self._customers(800.0))
        self.assertEqual(self._called()[0], self.by_amount[800.0])
        customer = self.by_amount[500.0]
        summary = self.Escalation._run(self.company, today=DAY_1, partners=customer, level=notice)
        self.assertEqual(summary["sent"], {"email": 1, "registered": 1})
        self.assertEqual(summary["calls_postponed"], 1)
        self.assertRecordValues(
            self.invoices[500.0],
            [{**self.untouched, "fr_dunning_formal_notice_date": DAY_1}],
        )

    def test_calls_given_or_logged_today_count(self):
        """The day's calls of a responsible: the call to-dos open and due
        today or given today, and the calls logged today, whatever the run."""
        Activity = self.env["mail.activity"].sudo()
        partner_model = self.env["ir.model"]._get_id("res.partner")

        other_company = self.env["res.company"].create({"name": "Autre Société SAS"})

        def todo(deadline, company=self.company):
            return {
                "res_model_id": partner_model,
                "res_id": self.business.id,
                "activity_type_id": self.call_type.id,
                "user_id": self.dunning_user.id,
                "date_deadline": deadline,
                "fr_dunning_company_id": company.id,
            }

        # Due today; due three days ago and not made; not the dunning's;
        # another company's (its own limit, its own count).
        for vals in (
            todo(DAY_1),
            todo(date(2026, 11, 20)),
            todo(DAY_1, company=self.env["res.company"]),
            todo(DAY_1, company=other_company),
        ):
            Activity.create(vals)
        user = self.dunning_user.id
        for company in (self.company, other_company):
            self.assertEqual(self.Escalation._calls_of_the_day(company, {user}, DAY_1), {user: 1})
        # A call logged today, whatever its to-do.
        wizard = (
            self.env["fr.dunning.call.wizard"]
            .with_user(self.dunning_user)
            .create({"partner_id": self.consumer.id, "outcome": "no_answer"})
        )
        wizard.action_log()
        self.company.fr_dunning_call_limit = 2
        self.assertEqual(
            self.Escalation._calls_of_the_day(
                self.company, {self.dunning_user.id, self.dunning_manager.id}, DAY_1
            ),
            {self.dunning_user.id: 2},
        )
        # An accountant's run shares the day: the responsible's is full.
        summary = self.Escalation.with_user(self.dunning_user)._run(
            self.company, today=DAY_1, automatic=False, partners=self._customers(800.0)
        )
        self.assertEqual((summary["sent"], summary["calls_postponed"]), ({"email": 1}, 1))
        self.assertRecordValues(summary["run"], [{"is_automatic": False, "calls_postponed": 1}])

    def test_no_limit(self):
        self.company.fr_dunning_call_limit = 0
        summary = self.Escalation._run(self.company, today=DAY_1, partners=self.customers)
        self.assertEqual(summary["sent"], {"email": 5, "phone": 5})
        self.assertEqual(summary["calls_postponed"], 0)
        self.assertFalse(summary["run"].calls_postponed)

    def test_the_calls_are_the_escalations(self):
        """Users schedule calls; the dunning's mark is the escalation's."""
        accountant = new_test_user(
            self.env,
            login="fr_dunning_caller",
            groups="base.group_partner_manager,fr_dunning_addon.group_fr_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        activity = self.env["mail.activity"].with_user(accountant)
        vals = {
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.business.id,
            "activity_type_id": self.call_type.id,
            "user_id": accountant.id,
        }
        with self.assertRaises(AccessError):
            activity.create({**vals, "fr_dunning_company_id": self.company.id})
        call = activity.create(vals)
        with self.assertRaises(AccessError):
            call.write({"fr_dunning_company_id": self.company.id})


@freeze_time(TODAY)
class TestCallsToMake(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        level = cls.env["fr.dunning.level"].search(
            [
                ("company_id", "=", cls.company.id),
                ("policy_id.assignment", "=", "default"),
                ("offset_days", "=", 1),
            ]
        )
        level.channel_phone = True
        cls.level = level
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Client {amount}", "is_company": True, "email": f"c{amount}@example.com"}
                for amount in (300, 1200, 700)
            ]
        )
        cls.customers.with_company(cls.company).fr_dunning_responsible_id = cls.dunning_user
        for customer, amount in zip(cls.customers, (300.0, 1200.0, 700.0), strict=True):
            cls._invoice(customer, "2026-10-04", "2026-11-03", amount)
        cls.not_due = cls._invoice(cls.customers[0], "2026-11-20", "2026-12-20", 5000.0)
        cls.company_2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
        cls.c2_user = new_test_user(
            cls.env,
            login="fr_dunning_c2_caller",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=cls.company_2.id,
            company_ids=[cls.company_2.id],
        )
        cls.billing_user = new_test_user(
            cls.env,
            login="fr_dunning_billing_caller",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def test_calls_to_make_today_by_amount(self):
        self.env["fr.dunning.escalation"]._run(self.company, today=DAY_1, partners=self.customers)
        calls = self.env["fr.dunning.call"].with_user(self.dunning_user).search([])
        self.assertRecordValues(
            calls,
            [
                {
                    "partner_id": self.customers[1].id,
                    "amount_due": 1200.0,
                    "invoice_count": 1,
                    "level_id": self.level.id,
                    "user_id": self.dunning_user.id,
                    "date_deadline": DAY_1,
                    "company_id": self.company.id,
                },
                {
                    "partner_id": self.customers[2].id,
                    "amount_due": 700.0,
                    "invoice_count": 1,
                    "level_id": self.level.id,
                    "user_id": self.dunning_user.id,
                    "date_deadline": DAY_1,
                    "company_id": self.company.id,
                },
                {
                    # What is past due only: the invoice not due is not counted.
                    "partner_id": self.customers[0].id,
                    "amount_due": 300.0,
                    "invoice_count": 1,
                    "level_id": self.level.id,
                    "user_id": self.dunning_user.id,
                    "date_deadline": DAY_1,
                    "company_id": self.company.id,
                },
            ],
        )
        # The list's action opens it with the calls to make by today.
        action = self.env.ref("fr_dunning_addon.fr_dunning_call_action")
        self.assertEqual(action.res_model, "fr.dunning.call")
        # One click: the customer's follow-up, or the call wizard.
        follow_up = calls[0].action_open_follow_up()
        self.assertEqual((follow_up["res_model"], follow_up["res_id"]), ("res.partner", self.customers[1].id))
        opened = calls[0].action_log_call()
        self.assertEqual(opened["res_model"], "fr.dunning.call.wizard")
        with Form(
            self.env["fr.dunning.call.wizard"].with_user(self.dunning_user).with_context(opened["context"])
        ) as form:
            form.outcome = "promise"
            form.promise_date = date(2026, 12, 4)
            wizard = form.save()
        self.assertEqual(wizard.promise_amount, 1200.0)
        wizard.action_log()
        # Logged: the call is done, its line gone.
        self.assertEqual(
            self.env["fr.dunning.call"].with_user(self.dunning_user).search([]).partner_id,
            self.customers[2] | self.customers[0],
        )

    def test_refused_to_a_billing_user_and_another_company(self):
        self.env["fr.dunning.escalation"]._run(self.company, today=DAY_1, partners=self.customers)
        call = self.env["fr.dunning.call"].search([], limit=1)
        self.assertTrue(call)
        for method in ("action_open_follow_up", "action_log_call"):
            for user in (self.billing_user, self.c2_user):
                with self.subTest(method=method, user=user.login), self.assertRaises(AccessError):
                    getattr(call.with_user(user), method)()
        self.assertFalse(self.env["fr.dunning.call"].with_user(self.c2_user).search([]))
        with self.assertRaises(AccessError):
            self.env["fr.dunning.call"].with_user(self.billing_user).search([])
