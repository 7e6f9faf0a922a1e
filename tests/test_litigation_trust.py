# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the litigation file states and the write-off posts can be believed.

The amounts are worked out by hand from the law: simple interest at the ECB
rate + 10 points (Code de commerce L441-10 II) over a 365-day year, the 40 EUR
indemnity (D441-5) once, and on a write-off the VAT of the unpaid part
recovered (CGI art. 272-1).
"""

import io
import re
import zipfile
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestLitigationFileTrust(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.business.email = "compta@dupont.example"
        cls.company.write({"vat": "FR44732829320", "company_registry": "732829320"})

    def _rate_2026_s2(self):
        # ECB 2.15 % on 1 July 2026: 12.15 % a year between businesses.
        self.env["fr.dunning.legal.rate"].create(
            {
                "date_start": date(2026, 7, 1),
                "ecb_rate": 2.15,
                "legal_rate_individual": 6.67,
                "legal_rate_other": 2.62,
            }
        )

    def _build(self, user=None):
        action = self.business.with_user(user or self.dunning_manager).action_fr_dunning_litigation_file()
        attachment = self.env["ir.attachment"].browse(
            int(re.search(r"/web/content/(\d+)", action["url"]).group(1))
        )
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        return attachment, files

    def _text(self, html):
        """The statement as text (Odoo renders reports as HTML in tests)."""
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))

    def test_penalties_billed_count_once(self):
        self._rate_2026_s2()
        # 10 000.00 excl. VAT + 2 000.00 VAT = 12 000.00, due on 30 June 2026.
        invoice = self._invoice(self.business, "2026-05-31", "2026-06-30", 10000.0, taxes=self.tax_20)
        self.assertEqual(invoice.amount_total, 12000.0)
        # Billed on 30 September: 92 days (1 July - 30 September) at 12.15 % on
        # 12 000.00 = 12 000 x 0.1215 x 92 / 365 = 367.4958... -> 367.50, plus 40.00.
        penalty = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 9, 30))
        penalty.action_post()
        self.assertEqual(penalty.amount_total, 407.50)
        _attachment, files = self._build()
        statement = self._text(files["01 Summary and statement of account.pdf"])
        # Not billed yet on 23 November: 54 days (1 October - 23 November):
        # 12 000 x 0.1215 x 54 / 365 = 215.7041... -> 215.70; the indemnity was billed.
        # 12 000.00 + 407.50 (penalty invoice, as billed) + 215.70 = 12 623.20.
        self.assertIn("12,623.20", statement)
        # Not 12 000.00 + 583.20 (146 days) + 40.00 + 407.50 = 13 030.70.
        self.assertNotIn("13,030.70", statement)
        values = self.env["fr.dunning.litigation.file"]._statement_values(self.business)
        totals = values["totals"][self.company.currency_id]
        self.assertEqual(
            totals,
            {
                "principal": 12000.0,
                "billed": 407.50,
                "interest": 215.70,
                "indemnity": 0.0,
                "total": 12623.20,
            },
        )
        line = next(line for line in values["lines"] if line["invoice"] == penalty)
        self.assertTrue(line["is_penalty_invoice"])
        self.assertEqual((line["billed"], line["interest"], line["indemnity"]), (407.50, 0.0, 0.0))
        self.assertIn("Penalty invoice", statement)

    def test_missing_rates_stated_as_a_fact_and_amounts_dated(self):
        # No rate for 2026 S2. 1 000.00 due on 31 May 2026: interest for June only,
        # 30 days at 12.15 % (2026 S1) = 1 000 x 0.1215 x 30 / 365 = 9.9863... -> 9.99.
        self._invoice(self.business, "2026-05-01", "2026-05-31", 1000.0)
        _attachment, files = self._build()
        statement = self._text(files["01 Summary and statement of account.pdf"])
        self.assertNotIn("Comptabilité >", statement)
        self.assertNotIn("Accounting >", statement)
        self.assertNotIn("must enter", statement)
        self.assertIn("Amounts computed to 23/11/2026", statement)
        self.assertIn("Late-payment interest is computed to 30/06/2026", statement)
        self.assertIn("from 01/07/2026 were not published, or not entered", statement)
        # 1 000.00 + 9.99 + 40.00.
        self.assertIn("1,049.99", statement)
        self.assertIn("9.99", statement)
        # The invoice's line says the day it is computed to.
        self.assertRegex(statement, r"9\.99 .{0,40}40\.00 .{0,20}30/06/2026")

    def test_summary_lists_only_what_the_zip_holds(self):
        self._rate_2026_s2()
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        _attachment, files = self._build()
        statement = self._text(files["01 Summary and statement of account.pdf"])
        # No letter was sent: no folder 03, and the summary does not announce one.
        self.assertFalse([name for name in files if name.startswith("03")])
        self.assertNotIn("03 Letters", statement)
        self.assertNotIn("folder 03", statement)
        self.assertIn("“02 Invoices”: the open invoices, penalty invoices included: 1.", statement)
        for name in re.findall(r"“(0\d [^”]+)”", statement):
            self.assertTrue(
                any(path == name or path.startswith(f"{name}/") for path in files), f"{name} not in the ZIP"
            )
        # No email either: the file says so.
        self.assertEqual(
            files["05 Emails sent.txt"].decode(), "No reminder email was sent to Menuiserie Dupont SARL."
        )
        # The invoice identifies the seller: Odoo's invoice report, with SIREN and VAT number.
        invoice_pdf = files[f"02 Invoices/{invoice.name.replace('/', '-')}.pdf"].decode()
        self.assertIn(self.company.name, invoice_pdf)
        self.assertIn("732829320", invoice_pdf)
        self.assertIn("FR44732829320", invoice_pdf)

    def test_emails_file_has_the_recipients(self):
        self._rate_2026_s2()
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        policy = self.env["fr.dunning.policy"].search(
            [("company_id", "=", self.company.id), ("assignment", "=", "default")]
        )
        notice = policy.level_ids.filtered(lambda lvl: lvl.tier == "formal_notice")
        self.env["fr.dunning.escalation"]._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=self.business, level=notice
        )
        _attachment, files = self._build()
        emails = files["05 Emails sent.txt"].decode()
        statement = self._text(files["01 Summary and statement of account.pdf"])
        self.assertRegex(emails, r"(?m)^To: .*compta@dupont\.example")
        self.assertNotRegex(emails, r"(?m)^To: *$")
        self.assertRegex(emails, r"(?m)^Subject: \S")
        self.assertRegex(emails, r"(?m)^Attachments: .*\.pdf")
        self.assertRegex(emails, r"(?m)^Delivery status: Outgoing")
        self.assertIn("“05 Emails sent.txt”: the emails sent: 1.", statement)
        letters = [name for name in files if name.startswith("03 Letters/")]
        self.assertEqual(len(letters), 1)
        self.assertIn("“03 Letters”: the letters, as sent: 1.", statement)

    def test_zip_readable_in_its_company_only(self):
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        attachment, _files = self._build()
        self.assertEqual(attachment.res_model, "fr.dunning.event")
        event = self.env["fr.dunning.event"].browse(attachment.res_id)
        self.assertEqual(event.company_id, self.company)
        other_company = self.env["res.company"].create({"name": "Autre Société SAS"})
        other_manager = new_test_user(
            self.env,
            login="fr_dunning_other_manager",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        # The customer is shared: the other company's user reads it...
        self.business.with_user(other_manager).check_access("read")
        # ...but not its litigation file.
        with self.assertRaises(AccessError):
            attachment.with_user(other_manager).check("read")
        with self.assertRaises(AccessError):
            attachment.with_user(other_manager).read(["raw"])
        self.assertFalse(
            self.env["ir.attachment"].with_user(other_manager).search([("id", "=", attachment.id)])
        )
        attachment.with_user(self.dunning_manager).check("read")
        self.assertTrue(attachment.with_user(self.dunning_manager).raw)


@freeze_time(TODAY)
class TestWriteOffTrust(FrDunningCase):
    def _confirmation(self, invoices, user=None):
        action = invoices.with_user(user or self.dunning_manager).action_fr_dunning_write_off()
        return (
            self.env[action["res_model"]]
            .with_user(user or self.dunning_manager)
            .with_context(action["context"])
            .create({})
        )

    def _balances(self, move):
        balances = {}
        for line in move.line_ids:
            balances[line.account_id.code] = round(balances.get(line.account_id.code, 0.0) + line.balance, 2)
        return balances

    def test_confirmation_states_amounts_and_accounts_before_posting(self):
        # 1 000.00 excl. VAT + 200.00 VAT = 1 200.00, of this financial year.
        invoice = self._invoice(self.business, "2026-03-02", "2026-04-01", 1000.0, taxes=self.tax_20)
        wizard = self._confirmation(invoice)
        self.assertEqual(invoice.payment_state, "not_paid", "nothing posted before the confirmation")
        self.assertFalse(self.env["account.move"].search([("reversed_entry_id", "=", invoice.id)]))
        self.assertRecordValues(
            wizard, [{"amount_total": 1200.0, "amount_untaxed": 1000.0, "amount_tax": 200.0}]
        )
        self.assertIn("654100", wizard.summary)
        self.assertIn("445710", wizard.summary)
        action = wizard.action_confirm()
        refund = self.env["account.move"].browse(action["domain"][0][2])
        self.assertEqual(refund.move_type, "out_refund")
        # 654100 debited with the amount excluding VAT, 445710 with the VAT
        # (CGI art. 272-1), the receivable credited with 1 200.00.
        balances = self._balances(refund)
        self.assertEqual(balances["654100"], 1000.0)
        self.assertEqual(balances["445710"], 200.0)
        self.assertEqual(sum(balances.values()), 0.0)
        self.assertEqual(
            sum(refund.line_ids.filtered(lambda line: line.display_type == "payment_term").mapped("balance")),
            -1200.0,
        )
        # Settled in full by the credit note alone: Odoo calls that "reversed".
        self.assertEqual((invoice.amount_residual, invoice.payment_state), (0.0, "reversed"))

    def test_partly_paid_invoice_recovers_the_vat_of_the_unpaid_part(self):
        # 1 200.00 incl. VAT, 300.00 paid: 900.00 written off, of which VAT
        # 900 x 200 / 1 200 = 150.00 and a loss of 750.00. Invoice of 2025: 654400.
        invoice = self._invoice(self.business, "2025-06-02", "2025-07-02", 1000.0, taxes=self.tax_20)
        self._pay(invoice, 300.0, "2025-09-01")
        wizard = self._confirmation(invoice)
        self.assertRecordValues(
            wizard, [{"amount_total": 900.0, "amount_untaxed": 750.0, "amount_tax": 150.0}]
        )
        refund = self.env["account.move"].browse(wizard.action_confirm()["domain"][0][2])
        balances = self._balances(refund)
        self.assertEqual((balances["654400"], balances["445710"]), (750.0, 150.0))
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(invoice.amount_residual, 0.0)

    def test_refused_under_an_open_payment_plan(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0)
        plan = self.env["fr.dunning.payment.plan"].create(
            {
                "partner_id": self.business.id,
                "move_ids": [Command.set(invoice.ids)],
                "instalment_count": 3,
                "first_date": date(2026, 12, 15),
            }
        )
        plan.action_compute_lines()
        plan.action_confirm()
        self.assertEqual(plan.state, "open")
        with self.assertRaisesRegex(UserError, "open payment plan"):
            self._confirmation(invoice)
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_refused_under_an_open_dispute(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0)
        dispute = self.env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)], "category": "quality"}
        )
        with self.assertRaisesRegex(UserError, "open dispute"):
            self._confirmation(invoice)
        # Not either by a confirmation opened before the dispute.
        dispute.action_cancel()
        wizard = self._confirmation(invoice)
        self.env["fr.dunning.dispute"].create(
            {"partner_id": self.business.id, "move_ids": [Command.set(invoice.ids)], "category": "price"}
        )
        with self.assertRaisesRegex(UserError, "open dispute"):
            wizard.action_confirm()
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_confirmation_is_its_users_own(self):
        invoice = self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0)
        wizard = self._confirmation(invoice)
        other = new_test_user(
            self.env,
            login="fr_dunning_manager_2",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(AccessError):
            wizard.with_user(other).action_confirm()
        with self.assertRaises(AccessError):
            self._confirmation(invoice, user=self.dunning_user)
        self.assertEqual(invoice.payment_state, "not_paid")
