# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What is late is the late instalments' residual, everywhere: an invoice of
2 000 EUR payable 50 % at 30 days and 50 % at 60 days whose first half is
late and second half not due owes 1 000 EUR now (Code de commerce L441-10 II:
each instalment's date is a payment date; Code civil 1305-2: what is owed at
a term cannot be claimed before it). An instalment due today is not late."""

from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tools import SQL

from .common import TODAY, FrDunningCase


class InstalmentCase(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.half_30_half_60 = cls._term([(50, 30), (50, 60)])

    @classmethod
    def _term(cls, parts):
        return cls.env["account.payment.term"].create(
            {
                "name": " / ".join(f"{value} % {days} j" for value, days in parts),
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": value, "nb_days": days})
                    for value, days in parts
                ],
            }
        )

    @classmethod
    def _invoice_with_term(cls, invoice_date, term, amount, partner=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or cls.business).id,
                "invoice_date": fields.Date.to_date(invoice_date),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Prestation",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": cls.company_data["default_account_revenue"].id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move


@freeze_time(TODAY)
class TestOverdueInstalments(InstalmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            # 2 000 EUR of 30/09/2026: 1 000 due 30/10 (24 days late on 23/11),
            # 1 000 due 29/11 (not due).
            cls.split = cls._invoice_with_term("2026-09-30", cls.half_30_half_60, 2000.0)

    def test_the_two_instalments(self):
        self.assertEqual(
            sorted(self.split._fr_dunning_unpaid_instalments()[self.split.id]),
            [(date(2026, 10, 30), 1000.0, 1000.0), (date(2026, 11, 29), 1000.0, 1000.0)],
        )
        owed = self.split._fr_dunning_overdue_split()[self.split.id]
        self.assertEqual(
            (owed.late, owed.not_due, owed.later), (1000.0, 1000.0, ((date(2026, 11, 29), 1000.0),))
        )
        self.assertEqual(self.split.fr_dunning_amount_overdue, 1000.0)

    def test_follow_up_counts_the_late_half(self):
        partner = self.business.with_user(self.dunning_user)
        self.assertRecordValues(
            partner,
            [
                {
                    "fr_dunning_total_due": 2000.0,
                    "fr_dunning_total_overdue": 1000.0,
                    "fr_dunning_not_due_amount": 1000.0,
                    "fr_dunning_oldest_days": 24,
                }
            ],
        )

    def test_late_customers_and_dashboard(self):
        """Clients en retard and Analyse: 1 000 in 1-30 days (30/10, 24 days
        late), 1 000 not due; the invoice at its level counts 1 000."""
        level = self.env["fr.dunning.level"].search([("company_id", "=", self.company.id)], limit=1)
        self.split.sudo().fr_dunning_level_id = level
        self.env.flush_all()
        customer = (
            self.env["fr.dunning.customer"]
            .with_user(self.dunning_user)
            .search([("partner_id", "=", self.business.id)])
        )
        figures = {
            "invoice_count": 1,
            "total_due": 2000.0,
            "total_overdue": 1000.0,
            "not_due": 1000.0,
            "aged_1_30": 1000.0,
            "aged_31_60": 0.0,
            "oldest_days": 24,
        }
        self.assertRecordValues(customer, [figures])
        Dashboard = self.env["fr.dunning.dashboard"].with_user(self.dunning_user)
        dashboard = Dashboard.browse(Dashboard._open()["res_id"])
        self.assertRecordValues(
            dashboard,
            [{key: value for key, value in figures.items() if key not in ("invoice_count", "oldest_days")}],
        )
        self.assertRecordValues(
            dashboard.level_line_ids, [{"level_id": level.id, "amount": 1000.0, "invoice_count": 1}]
        )
        self.assertEqual(dashboard.top_line_ids.mapped("amount"), [1000.0])

    def test_call_to_make_shows_the_late_half(self):
        self.env["mail.activity"].sudo().create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.business.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "user_id": self.dunning_user.id,
                "date_deadline": date(2026, 11, 23),
                "fr_dunning_company_id": self.company.id,
            }
        )
        self.env.flush_all()
        call = self.env["fr.dunning.call"].with_user(self.dunning_user).search([])
        self.assertRecordValues(call, [{"amount_due": 1000.0, "invoice_count": 1}])

    def test_statement_of_account(self):
        """Two receivable lines: 1 000 past due, 1 000 not yet due; a
        payment of 300 not matched comes off what is past due: 700, and
        1 000 not yet due, 1 700 in all."""
        statement = self.business.with_user(self.dunning_user)._fr_dunning_account_statement()
        self.assertEqual(
            (statement["overdue"], statement["not_due"], statement["balance"]), (1000.0, 1000.0, 2000.0)
        )
        self.assertEqual([row["days"] for row in statement["rows"]], [24, 0])
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.business.id,
                "amount": 300.0,
                "date": date(2026, 11, 20),
            }
        )
        payment.action_post()
        statement = self.business.with_user(self.dunning_user)._fr_dunning_account_statement()
        self.assertEqual(
            (statement["overdue"], statement["not_due"], statement["balance"]), (700.0, 1000.0, 1700.0)
        )

    def test_partial_payment_settles_the_first_instalment(self):
        """600 paid on 10/11: Odoo matches it with the earliest instalment,
        which owes 400 more, late; the second 1 000, not due."""
        self._pay(self.split, 600.0, "2026-11-10")
        owed = self.split._fr_dunning_overdue_split()[self.split.id]
        self.assertEqual((owed.late, owed.not_due), (400.0, 1000.0))
        self.assertEqual(self.business.with_user(self.dunning_user).fr_dunning_total_overdue, 400.0)

    def test_chasing_asks_for_the_late_half(self):
        """The communication planned today asks for 1 000, as its letter."""
        plans, _skipped = self.env["fr.dunning.escalation"]._plan(
            self.company, date(2026, 11, 23), partners=self.business
        )
        self.assertEqual([(plan.moves, plan.total) for plan in plans], [(self.split, 1000.0)])

    def test_sql_twin_agrees(self):
        """The grouped reports' SQL reads the instalments as the Python
        definition does, on a half-paid split invoice, a paid one, an invoice
        of one instalment partly paid and a credit note, at several days."""
        paid = self._invoice_with_term("2026-08-01", self.half_30_half_60, 500.0)
        self._pay(paid, 500.0, "2026-09-01")
        single = self._invoice(self.business, "2026-10-01", "2026-10-31", 800.0)
        self._pay(single, 300.0, "2026-11-02")
        self._pay(self.split, 250.0, "2026-11-02")
        refund = self._refund(self.business, "2026-11-03", 120.0)
        moves = self.split | paid | single | refund
        python = {move_id: sorted(rows) for move_id, rows in moves._fr_dunning_unpaid_instalments().items()}
        Move = self.env["account.move"]
        sql = {}
        for move_id, due, residual, residual_currency in self.env.execute_query(
            SQL(
                "SELECT * FROM %s inst WHERE inst.move_id = ANY(%s)",
                Move._fr_dunning_instalments_sql(),
                moves.ids,
            )
        ):
            sql.setdefault(move_id, []).append((due, residual, residual_currency))
        self.assertEqual(python, {move_id: sorted(rows) for move_id, rows in sql.items()})
        self.assertNotIn(paid.id, python)
        self.assertEqual([row[1:] for row in python[refund.id]], [(-120.0, -120.0)])
        for day in (date(2026, 10, 30), date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 30)):
            split = moves._fr_dunning_overdue_split(day)
            late = {
                move_id: (residual, residual_currency)
                for move_id, residual, residual_currency in self.env.execute_query(
                    SQL(
                        "SELECT * FROM %s late WHERE late.move_id = ANY(%s)",
                        Move._fr_dunning_late_sql(day),
                        moves.ids,
                    )
                )
            }
            # An invoice with nothing late has no row.
            late = {move.id: late.get(move.id, (0.0, 0.0)) for move in moves}
            self.assertEqual(
                late, {move.id: (split[move.id].late, split[move.id].late_currency) for move in moves}, day
            )
        # On 31/10: the split invoice's first half (750 left) and the single
        # invoice (500 left, due 31/10, not late yet).
        self.assertEqual(moves._fr_dunning_overdue_split(date(2026, 10, 31))[self.split.id].late, 750.0)
        self.assertEqual(moves._fr_dunning_overdue_split(date(2026, 10, 31))[single.id].late, 0.0)
        self.assertEqual(moves._fr_dunning_overdue_split(date(2026, 11, 1))[single.id].late, 500.0)


class TestBoundaries(InstalmentCase):
    @freeze_time(TODAY)
    def test_instalment_due_today_is_not_late(self):
        """2 000 EUR of 24/10/2026: 1 000 due today 23/11, 1 000 on 23/12.
        Nothing is late; all is not yet due."""
        invoice = self._invoice_with_term("2026-10-24", self.half_30_half_60, 2000.0)
        self.assertEqual(invoice.fr_dunning_due_date, date(2026, 11, 23))
        owed = invoice._fr_dunning_overdue_split()[invoice.id]
        self.assertEqual((owed.late, owed.not_due), (0.0, 2000.0))
        self.assertRecordValues(
            self.business.with_user(self.dunning_user),
            [{"fr_dunning_total_overdue": 0.0, "fr_dunning_not_due_amount": 2000.0}],
        )
        self.env.flush_all()
        customer = self.env["fr.dunning.customer"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(customer, [{"total_overdue": 0.0, "not_due": 2000.0, "oldest_days": 0}])
        statement = self.business.with_user(self.dunning_user)._fr_dunning_account_statement()
        self.assertEqual((statement["overdue"], statement["not_due"]), (0.0, 2000.0))

    @freeze_time("2026-01-31")
    def test_31_december_and_1_january_buckets(self):
        """2 000 EUR of 01/12/2025 in halves at 30 days (31/12/2025) and 31
        days (01/01/2026), unpaid on 31/01/2026: the first is 31 days late
        (31-60 days), the second 30 days (1-30 days)."""
        invoice = self._invoice_with_term("2025-12-01", self._term([(50, 30), (50, 31)]), 2000.0)
        self.assertEqual(invoice.fr_dunning_due_date, date(2025, 12, 31))
        self.env.flush_all()
        customer = self.env["fr.dunning.customer"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(
            customer,
            [
                {
                    "total_overdue": 2000.0,
                    "not_due": 0.0,
                    "aged_1_30": 1000.0,
                    "aged_31_60": 1000.0,
                    "oldest_days": 31,
                }
            ],
        )
