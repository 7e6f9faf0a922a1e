# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestPolicies(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["fr.dunning.policy"]
        cls.policies = Policy.search([("company_id", "=", cls.company.id)])
        cls.standard = cls.policies.filtered(lambda p: p.assignment == "default")
        cls.large = cls.policies.filtered(lambda p: p.assignment == "large_amount")
        cls.loyal = cls.policies.filtered(lambda p: p.name == "Loyal customer")

    def test_default_policies_of_a_new_company(self):
        self.assertEqual(len(self.policies), 3)
        self.assertEqual(
            [(lvl.offset_days, lvl.tier) for lvl in self.standard.level_ids.sorted("offset_days")],
            [
                (-3, "preventive"),
                (1, "courteous"),
                (15, "firm"),
                (30, "formal"),
                (45, "formal_notice"),
                (60, "pre_litigation"),
                (75, "litigation"),
            ],
        )
        notice = self.standard.level_ids.filtered(lambda lvl: lvl.tier == "formal_notice")
        self.assertRecordValues(
            notice,
            [{"channel_registered": True, "letter_tier": "2", "deadline_days": 15, "penalties": "show"}],
        )
        firm = self.standard.level_ids.filtered(lambda lvl: lvl.tier == "firm")
        self.assertTrue(firm.channel_email and firm.channel_phone)
        self.assertEqual(self.loyal.level_ids.sorted("offset_days")[0].offset_days, 7)
        self.assertRecordValues(
            self.large.level_ids.filtered(lambda lvl: lvl.offset_days == 3),
            [{"tier": "firm", "channel_email": True, "channel_phone": True}],
        )
        # Another company gets its own, and sees only its own.
        other = self.setup_other_company()["company"]
        other_policies = self.env["fr.dunning.policy"].search([("company_id", "=", other.id)])
        self.assertEqual(len(other_policies), 3)
        self.assertFalse(other_policies & self.policies)

    def test_level_validation(self):
        with self.assertRaisesRegex(ValidationError, "formal notice"):
            self.standard.level_ids.filtered(lambda lvl: lvl.tier == "formal_notice").write(
                {"channel_registered": False, "channel_letter": False}
            )
        with self.assertRaisesRegex(ValidationError, "at least one channel"):
            self.standard.level_ids.filtered(lambda lvl: lvl.tier == "courteous").write(
                {"channel_email": False}
            )
        with self.assertRaisesRegex(ValidationError, "softer tier"):
            self.env["fr.dunning.level"].create(
                {"name": "Trop doux", "policy_id": self.standard.id, "offset_days": 50, "tier": "courteous"}
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["fr.dunning.level"].create(
                {"name": "Doublon", "policy_id": self.standard.id, "offset_days": 15, "tier": "firm"}
            )

    def test_one_default_policy(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.loyal.assignment = "default"
            self.loyal.flush_recordset()
        with self.assertRaisesRegex(ValidationError, "default dunning policy"):
            self.standard.action_archive()

    def test_policy_resolution(self):
        partners = self.business | self.consumer
        totals = {self.business.id: 12000.0, self.consumer.id: 500.0}
        self.assertEqual(partners._fr_dunning_policies(self.company, totals)[self.business.id], self.large)
        self.assertEqual(partners._fr_dunning_policies(self.company, totals)[self.consumer.id], self.standard)
        self.business.with_company(self.company).fr_dunning_policy_id = self.loyal
        self.assertEqual(partners._fr_dunning_policies(self.company, totals)[self.business.id], self.loyal)

    def test_access(self):
        with self.assertRaises(AccessError):
            self.standard.with_user(self.dunning_user).write({"name": "Autre"})
        self.standard.with_user(self.dunning_manager).write({"name": "Politique standard"})
        self.assertEqual(self.standard.name, "Politique standard")


@freeze_time(TODAY)
class TestDueLevels(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standard = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        cls.levels = {lvl.offset_days: lvl for lvl in cls.standard.level_ids}

    def _due_level(self, invoice, day):
        return invoice._fr_dunning_due_levels(today=day).get(invoice.id)

    def test_each_level_on_its_day_and_not_before(self):
        due = date(2026, 9, 1)
        invoice = self._invoice(self.business, "2026-08-01", due, 1000.0)
        for offset, level in sorted(self.levels.items()):
            day = due + timedelta(days=offset)
            if offset > 1:
                self.assertFalse(self._due_level(invoice, day - timedelta(days=1)), f"J{offset:+d} - 1")
            self.assertEqual(self._due_level(invoice, day), level, f"J{offset:+d}")
            invoice.sudo().fr_dunning_level_id = level
        self.assertFalse(self._due_level(invoice, due + timedelta(days=400)), "after the last level")

    def test_one_level_per_run(self):
        invoice = self._invoice(self.business, "2026-06-01", "2026-07-01", 1000.0)
        # 100 days overdue and never chased: the first overdue level, not the last.
        self.assertEqual(self._due_level(invoice, date(2026, 10, 9)), self.levels[1])
        invoice.sudo().fr_dunning_level_id = self.levels[1]
        self.assertEqual(self._due_level(invoice, date(2026, 10, 9)), self.levels[15])

    def test_preventive_only_before_due_date(self):
        invoice = self._invoice(self.business, "2026-11-01", "2026-11-26", 1000.0)
        self.assertFalse(self._due_level(invoice, date(2026, 11, 22)))
        self.assertEqual(self._due_level(invoice, date(2026, 11, 23)), self.levels[-3])
        self.assertEqual(self._due_level(invoice, date(2026, 11, 27)), self.levels[1])

    def test_not_chased(self):
        day = date(2026, 11, 23)
        blocked = self._invoice(self.business, "2026-09-01", "2026-10-01", 100.0)
        blocked.sudo().fr_dunning_blocked = "dispute"
        paid = self._invoice(self.business, "2026-09-01", "2026-10-01", 100.0)
        self._pay(paid, 100.0, "2026-10-05")
        draft = self._invoice(self.business, "2026-09-01", "2026-10-01", 100.0, post=False)
        refund = self._invoice(self.business, "2026-09-01", "2026-10-01", 100.0, post=False)
        refund.move_type = "out_refund"
        refund.action_post()
        excluded_partner = self.env["res.partner"].create({"name": "Exclu SA", "is_company": True})
        excluded_partner.with_company(self.company).fr_dunning_excluded = True
        excluded = self._invoice(excluded_partner, "2026-09-01", "2026-10-01", 100.0)
        in_proceedings = self.env["res.partner"].create(
            {"name": "En redressement SAS", "is_company": True, "fr_dunning_proceedings_date": "2026-10-15"}
        )
        proceedings = self._invoice(in_proceedings, "2026-09-01", "2026-10-01", 100.0)
        partial = self._invoice(self.business, "2026-09-01", "2026-10-01", 100.0)
        self._pay(partial, 30.0, "2026-10-05")
        moves = blocked | paid | draft | refund | excluded | proceedings | partial
        self.assertEqual(set(moves._fr_dunning_due_levels(today=day)), {partial.id})

    def test_default_policy_names_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        company = self.env["res.company"].create(
            {"name": "Société française", "country_id": self.env.ref("base.fr").id}
        )
        policy = self.env["fr.dunning.policy"].search(
            [("company_id", "=", company.id), ("assignment", "=", "default")]
        )
        self.assertEqual(policy.with_context(lang="fr_FR").name, "Politique standard")
        self.assertEqual(policy.with_context(lang="en_US").name, "French standard policy")
        notice = policy.level_ids.filtered(lambda lvl: lvl.tier == "formal_notice")
        self.assertEqual(notice.with_context(lang="fr_FR").name, "Mise en demeure (LRAR)")
