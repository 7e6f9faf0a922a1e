# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A claim handed over to a collection agency: its terms, the agency's
reports, the sums it collects booked as payments, its fee as a vendor bill,
and the company's own dunning stopped."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestHandover(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.agency = cls.env["res.partner"].create(
                {"name": "Recouvrement Express SAS", "is_company": True}
            )
            cls.bank = cls.company_data["default_journal_bank"]
            cls.company_2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
            cls.c2_manager = new_test_user(
                cls.env,
                login="fr_dunning_c2_manager",
                groups="fr_dunning_addon.group_fr_dunning_manager",
                company_id=cls.company_2.id,
                company_ids=[cls.company_2.id],
            )

    def _hand_over(self, invoices, start, percent=12.0, fixed=50.0, route="agency", **values):
        return (
            self.env["fr.dunning.litigation"]
            .with_user(self.dunning_manager)
            .create(
                {
                    "partner_id": invoices.commercial_partner_id.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "route": route,
                    "external_partner_id": self.agency.id,
                    "date_start": start,
                    "fee_percent": percent,
                    "fee_fixed": fixed,
                    **values,
                }
            )
            .sudo(False)
        )

    def _report(self, litigation, report, day, user=None, **values):
        wizard = (
            self.env["fr.dunning.agency.report.wizard"]
            .with_user(user or self.dunning_manager)
            .create({"litigation_id": litigation.id, "report": report, "date": day, **values})
        )
        wizard.action_record()
        return litigation.report_event_ids.sorted("id")[-1:]

    def _collect(self, litigation, amount, day, user=None):
        return self._report(litigation, "payment", day, user=user, amount=amount, journal_id=self.bank.id)

    # ------------------------------------------------------------------
    # The agency collects half (the worked case)
    # ------------------------------------------------------------------

    def test_agency_collects_half(self):
        """10 000 € handed over on 01/03/2026 at 12 % + 50 € excl. VAT; the
        agency collects 5 000 € on 15/04/2026, then the other 5 000 € on
        30/05/2026.

        First collection: payment 5 000 €, reconciled, the invoice owes
        10 000 - 5 000 = 5 000 €; fee 12 % x 5 000 = 600 € + 50 € fixed =
        650 € excl. VAT, VAT 20 % on services 130 €, 780 € incl. VAT.
        Second: fee 12 % x 5 000 = 600 € (the fixed fees are billed once),
        720 € incl. VAT; the invoice is paid."""
        invoice = self._invoice(self.business, "2025-12-01", "2026-01-01", 10000.0)
        litigation = self._hand_over(invoice, date(2026, 3, 1))
        self.assertRecordValues(
            litigation,
            [{"handover_amount": 10000.0, "fee_percent": 12.0, "fee_fixed": 50.0, "is_handover": True}],
        )
        self.assertEqual(invoice.fr_dunning_blocked, "litigation")

        report = self._collect(litigation, 5000.0, date(2026, 4, 15))
        payment = report.payment_id
        self.assertRecordValues(
            payment,
            [
                {
                    "amount": 5000.0,
                    "date": date(2026, 4, 15),
                    "journal_id": self.bank.id,
                    "partner_id": self.business.id,
                    "payment_type": "inbound",
                }
            ],
        )
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertEqual(invoice._get_reconciled_payments(), payment)
        self.assertRecordValues(invoice, [{"amount_residual": 5000.0, "payment_state": "partial"}])
        self.assertRecordValues(
            report,
            [
                {
                    "event_type": "agency_report",
                    "agency_report": "payment",
                    "litigation_id": litigation.id,
                    "partner_id": self.business.id,
                    "user_id": self.dunning_manager.id,
                    "move_ids": invoice.ids,
                }
            ],
        )
        bill = report.fee_bill_id
        self.assertRecordValues(
            bill,
            [
                {
                    "move_type": "in_invoice",
                    "partner_id": self.agency.id,
                    "state": "draft",
                    "invoice_date": date(2026, 4, 15),
                    "amount_untaxed": 650.0,
                    "amount_tax": 130.0,
                    "amount_total": 780.0,
                }
            ],
        )
        lines = bill.invoice_line_ids.sorted("price_unit")
        self.assertEqual(lines.mapped("price_unit"), [50.0, 600.0])
        self.assertEqual(set(lines.account_id.mapped("code")), {"622600"})
        self.assertEqual(lines.tax_ids.mapped("amount"), [20.0])
        self.assertEqual(lines.tax_ids.tax_exigibility, "on_payment")
        self.assertRecordValues(litigation, [{"collected_amount": 5000.0, "fee_bill_ids": bill.ids}])

        report_2 = self._collect(litigation, 5000.0, date(2026, 5, 30))
        self.assertRecordValues(invoice, [{"amount_residual": 0.0, "payment_state": "paid"}])
        self.assertRecordValues(
            report_2.fee_bill_id, [{"amount_untaxed": 600.0, "amount_tax": 120.0, "amount_total": 720.0}]
        )
        self.assertEqual(litigation.collected_amount, 10000.0)

    def test_collection_pays_the_oldest_invoice_first(self):
        """Invoices of 3 000 € (due 15/01) and 2 000 € (due 05/01); 2 500 €
        collected: the one due on 05/01 is paid (2 000), the other gets the
        rest (500) and still owes 2 500. Fee 10 %, no fixed fees: 250 €."""
        later = self._invoice(self.business, "2025-12-15", "2026-01-15", 3000.0)
        older = self._invoice(self.business, "2025-12-05", "2026-01-05", 2000.0)
        litigation = self._hand_over(later | older, date(2026, 3, 1), percent=10.0, fixed=0.0)
        self.assertEqual(litigation.handover_amount, 5000.0)
        report = self._collect(litigation, 2500.0, date(2026, 4, 1))
        self.assertRecordValues(
            older | later,
            [
                {"amount_residual": 0.0, "payment_state": "paid"},
                {"amount_residual": 2500.0, "payment_state": "partial"},
            ],
        )
        self.assertEqual(len(report.payment_id), 1)
        self.assertRecordValues(report.fee_bill_id, [{"amount_untaxed": 250.0, "amount_total": 300.0}])

    def test_a_commissaire_de_justice_fee_goes_to_legal_fees(self):
        """Small claims by a commissaire de justice: 6227 Frais d'actes et de
        contentieux. 8 % of 1 000 = 80 € + 30 € = 110 € excl. VAT."""
        invoice = self._invoice(self.business, "2026-01-05", "2026-02-05", 1000.0)
        litigation = self._hand_over(invoice, date(2026, 3, 1), percent=8.0, fixed=30.0, route="small_claims")
        report = self._collect(litigation, 1000.0, date(2026, 3, 20))
        self.assertEqual(report.fee_bill_id.amount_untaxed, 110.0)
        self.assertEqual(set(report.fee_bill_id.invoice_line_ids.account_id.mapped("code")), {"622700"})

    def test_reports_without_money_and_the_file_closed(self):
        """A dunning user records the contact and the promise; closed without
        result bills the fixed fees only (50 €), once."""
        invoice = self._invoice(self.business, "2026-01-05", "2026-02-05", 1500.0)
        litigation = self._hand_over(invoice, date(2026, 3, 1))
        contact = self._report(litigation, "contact", date(2026, 3, 10), user=self.dunning_user)
        promise = self._report(
            litigation,
            "promise",
            date(2026, 3, 20),
            user=self.dunning_user,
            amount=1500.0,
            promise_date=date(2026, 4, 30),
        )
        self.assertRecordValues(
            contact | promise,
            [
                {"agency_report": "contact", "user_id": self.dunning_user.id, "fee_bill_id": False},
                {"agency_report": "promise", "user_id": self.dunning_user.id, "fee_bill_id": False},
            ],
        )
        self.assertIn("1,500.00", promise.note)
        self.assertIn("04/30/2026", promise.note)
        closed = self._report(litigation, "closed", date(2026, 6, 1), user=self.dunning_user)
        self.assertRecordValues(closed.fee_bill_id, [{"amount_untaxed": 50.0, "amount_total": 60.0}])
        self.assertRecordValues(invoice, [{"amount_residual": 1500.0}])
        self.assertEqual(litigation.state, "open", "the manager decides what comes next")

    def test_a_report_is_refused_out_of_its_file(self):
        invoice = self._invoice(self.business, "2026-01-05", "2026-02-05", 1500.0)
        litigation = self._hand_over(invoice, date(2026, 3, 1))
        with self.assertRaises(ValidationError):
            self._report(litigation, "contact", date(2026, 11, 24))  # tomorrow
        with self.assertRaises(ValidationError):
            self._report(litigation, "contact", date(2026, 2, 28))  # before the hand-over
        with self.assertRaises(UserError):
            self._collect(litigation, 1500.01, date(2026, 4, 1))  # more than owed
        injunction = self._hand_over(
            self._invoice(self.business, "2026-01-05", "2026-02-05", 700.0),
            date(2026, 3, 1),
            route="injunction",
        )
        with self.assertRaises(UserError):
            self._report(injunction, "contact", date(2026, 4, 1))
        litigation.outcome = "judgment"
        litigation.with_user(self.dunning_manager).action_close()
        with self.assertRaises(UserError):
            self._report(litigation, "contact", date(2026, 4, 1))
        self.assertFalse(litigation.report_event_ids)
        self.assertFalse(self.env["account.payment"].search([("partner_id", "=", self.business.id)]))

    # ------------------------------------------------------------------
    # Evidence and who may do what
    # ------------------------------------------------------------------

    def test_a_dunning_user_cannot_record_a_collection(self):
        invoice = self._invoice(self.business, "2026-01-05", "2026-02-05", 1500.0)
        litigation = self._hand_over(invoice, date(2026, 3, 1))
        with self.assertRaises(AccessError):
            self._collect(litigation, 500.0, date(2026, 4, 1), user=self.dunning_user)
        self.assertFalse(litigation.report_event_ids)
        self.assertFalse(self.env["account.payment"].search([("partner_id", "=", self.business.id)]))
        self.assertFalse(self.env["account.move"].search([("partner_id", "=", self.agency.id)]))
        self.assertRecordValues(invoice, [{"amount_residual": 1500.0}])
        # Nor hand a file over, nor change its terms.
        with self.assertRaises(AccessError):
            self.env["fr.dunning.litigation"].with_user(self.dunning_user).create(
                {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)], "route": "agency"}
            )
        with self.assertRaises(AccessError):
            litigation.with_user(self.dunning_user).write({"fee_percent": 1.0})

    def test_another_company_manager_is_refused(self):
        invoice = self._invoice(self.business, "2026-01-05", "2026-02-05", 1500.0)
        litigation = self._hand_over(invoice, date(2026, 3, 1))
        with self.assertRaises(AccessError):
            litigation.with_user(self.c2_manager).action_fr_dunning_agency_report()
        with self.assertRaises(AccessError):
            self._collect(litigation, 500.0, date(2026, 4, 1), user=self.c2_manager)
        # A report being recorded by a colleague is theirs.
        wizard = (
            self.env["fr.dunning.agency.report.wizard"]
            .with_user(self.dunning_manager)
            .create({"litigation_id": litigation.id, "report": "contact", "date": date(2026, 4, 1)})
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.c2_manager).action_record()
        with self.assertRaises(AccessError):
            wizard.with_user(self.dunning_user).action_record()
        self.assertFalse(litigation.report_event_ids)
        self.assertRecordValues(invoice, [{"amount_residual": 1500.0}])

    def test_a_report_is_never_edited_nor_deleted_and_a_correction_is_a_new_report(self):
        invoice = self._invoice(self.business, "2026-01-05", "2026-02-05", 1500.0)
        litigation = self._hand_over(invoice, date(2026, 3, 1))
        report = self._collect(litigation, 500.0, date(2026, 4, 1))
        for user in (self.dunning_user, self.dunning_manager):
            # (AccessError is a UserError.)
            for vals in (
                {"agency_report": "closed"},
                {"note": "<p>Rien reçu</p>"},
                {"payment_id": False},
                {"litigation_id": False},
                {"date": datetime(2026, 4, 2, 9)},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    report.with_user(user).write(vals)
            with self.assertRaises(UserError):
                report.with_user(user).unlink()
        # The file's terms are fixed once the agency reported.
        with self.assertRaises(UserError):
            litigation.with_user(self.dunning_manager).write({"fee_percent": 10.0})
        with self.assertRaises(UserError):
            litigation.with_user(self.dunning_manager).write({"handover_amount": 1000.0})
        # A collection's payment stands: its report is not corrected away.
        with self.assertRaises(UserError):
            self._report(litigation, "contact", date(2026, 4, 2), corrected_event_id=report.id)
        # Once the payment is cancelled in accounting, the correction is a new report.
        report.payment_id.action_draft()
        report.payment_id.action_cancel()
        self.assertEqual(litigation.collected_amount, 0.0)
        correction = self._report(
            litigation,
            "payment",
            date(2026, 4, 1),
            amount=400.0,
            journal_id=self.bank.id,
            corrected_event_id=report.id,
        )
        self.assertRecordValues(correction, [{"corrected_event_id": report.id, "agency_report": "payment"}])
        self.assertIn(report.reference, correction.note)
        self.assertEqual(litigation.collected_amount, 400.0)
        self.assertRecordValues(invoice, [{"amount_residual": 1100.0}])
        self.assertEqual(len(litigation.report_event_ids), 2)
        # 12 % x 400 = 48 €; the first bill (with the fixed fees) still stands.
        self.assertEqual(correction.fee_bill_id.amount_untaxed, 48.0)

    # ------------------------------------------------------------------
    # The company's own dunning stops
    # ------------------------------------------------------------------

    def test_own_dunning_stops_at_hand_over(self):
        """Invoice A under a promise, B under a running payment plan, C overdue,
        a call to make and a letter recorded but not printed. Handing A and B
        over ends the promise and the plan (the plan's late-instalment emails
        stop), names the letter, keeps the call (C is still chased); the
        escalation and the preview then plan C alone. Handing C over cancels
        the call."""
        invoice_a = self._invoice(self.business, "2026-08-01", "2026-09-01", 1000.0)
        invoice_b = self._invoice(self.business, "2026-08-01", "2026-09-02", 2000.0)
        invoice_c = self._invoice(self.business, "2026-08-01", "2026-09-03", 3000.0)
        promise = self.env["fr.dunning.promise"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice_a.ids)],
                "promise_date": date(2026, 12, 15),
                "amount": 1000.0,
            }
        )
        plan = self.env["fr.dunning.payment.plan"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice_b.ids)],
                "instalment_count": 2,
                "first_date": date(2026, 12, 1),
                "interval_months": 1,
            }
        )
        plan.action_compute_lines()
        plan.action_confirm()
        call = (
            self.env["mail.activity"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.business.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                    "user_id": self.dunning_user.id,
                    "fr_dunning_company_id": self.company.id,
                }
            )
        )
        letter = self._event(self.business, invoice_a, "letter", datetime(2026, 11, 20, 9), "Mise en demeure")
        letter.sudo().write({"channel": "registered_letter", "letter_tier": "2"})

        litigation = self._hand_over(invoice_a | invoice_b, date(2026, 11, 23))
        self.assertEqual((promise.state, plan.state), ("cancelled", "cancelled"))
        self.assertEqual((invoice_a | invoice_b).mapped("fr_dunning_blocked"), ["litigation", "litigation"])
        self.assertTrue(call.exists(), "C is still chased: its call stays")
        stopped = litigation.partner_id.env["fr.dunning.event"].search(
            [("name", "=", "Own dunning stopped"), ("move_ids", "in", invoice_a.ids)]
        )
        self.assertEqual(len(stopped), 1)
        self.assertIn(letter.reference, stopped.note)
        self.assertIn("Do not post them", stopped.note)
        self.assertIn("12.00", stopped.note)  # the terms, in the history
        # The night, the preview, "send now": C alone.
        plans, _skipped = self.env["fr.dunning.escalation"]._plan(
            self.company, date(2026, 11, 23), partners=self.business, force=True
        )
        self.assertEqual(sum((p.moves for p in plans), self.env["account.move"]), invoice_c)
        # The plan's nightly check no longer emails the customer.
        self.assertFalse(self.env["fr.dunning.payment.plan"].search([("state", "=", "open")]))

        self._hand_over(invoice_c, date(2026, 11, 23), route="injunction")
        self.assertFalse(call.exists(), "nothing left to chase: the call to make goes")
        plans, _skipped = self.env["fr.dunning.escalation"]._plan(
            self.company, date(2026, 11, 23), partners=self.business, force=True
        )
        self.assertFalse(plans)
        calls = self.env["fr.dunning.call"].search([("partner_id", "=", self.business.id)])
        self.assertFalse(calls)
