# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SEPA credit-transfer QR code (EPC QR) of the letters' payment box.

The payloads expected here are written element by element from EPC069-12
(version 002), not from the code: service tag, version, character set,
identification, BIC, name, IBAN, amount, purpose, structured reference,
unstructured reference, one per line (LF), the last filled one not followed
by a line feed.
"""

import base64
import io
import re
import subprocess
import tempfile
from datetime import date

from freezegun import freeze_time
from PIL import Image
from reportlab.graphics.barcode.qr import QrCodeWidget

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from odoo.addons.fr_dunning_addon.models.fr_dunning_epc_qr import epc_qr_payload, payment_qr_payload

from .common import TODAY, FrDunningCase

LETTER_REPORT = "fr_dunning_addon.action_report_dunning_letter"
CAPTION = "Scan with your banking app to pay by transfer"
# An IBAN of the French banks' published example, check digits 76.
IBAN = "FR7630006000011234567890189"
BIC = "BNPAFRPPXXX"
HOLDER = "Atelier Lumière SAS"


def expected_modules(payload, level):
    """The modules reportlab's encoder gives ``payload`` at error-correction ``level``."""
    widget = QrCodeWidget(payload, barLevel=level)
    widget.qr.make()
    return [[bool(module) for module in row] for row in widget.qr.modules]


def image_modules(png, count, border=4):
    """The dark modules of a QR code image of ``count`` x ``count`` modules
    and ``border`` modules of quiet zone, read at their centres (another
    size of code, at another level, reads as another pattern)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    box = image.size[0] / (count + 2 * border)
    return [
        [
            image.getpixel((int((border + c + 0.5) * box), int((border + r + 0.5) * box))) < 128
            for c in range(count)
        ]
        for r in range(count)
    ]


def qr_image(html):
    """The QR code image in ``html`` (bytes), after its name="epc_qr" block."""
    found = re.search(r'name="epc_qr".*?<img[^>]* src="data:image/png;base64,([^"]+)"', html, re.DOTALL)
    return base64.b64decode(found.group(1))


@freeze_time(TODAY)
class TestEpcQr(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 2026 S2 is not in the shipped table yet: a test semester with the
        # 2026 S1 figures (ECB 2.15 %, so 12.15 % between businesses).
        cls.env["fr.dunning.legal.rate"].create(
            {
                "date_start": date(2026, 7, 1),
                "ecb_rate": 2.15,
                "legal_rate_individual": 6.67,
                "legal_rate_other": 2.62,
            }
        )
        cls.business.write({"email": "compta@dupont.example", "lang": "en_US"})
        policy = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        cls.levels = {lvl.tier: lvl for lvl in policy.level_ids}
        cls.eur = cls.company.currency_id
        cls.bnp = cls.env["res.bank"].create({"name": "BNP Paribas", "bic": BIC})

    def _bank(self, acc_number=IBAN, holder=HOLDER, bank=None):
        return self.env["res.partner.bank"].create(
            {
                "acc_number": acc_number,
                "acc_holder_name": holder,
                "partner_id": self.company.partner_id.id,
                "bank_id": (self.bnp if bank is None else bank).id,
            }
        )

    def _send(self, partner, tier):
        self.env["fr.dunning.escalation"]._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=partner, level=self.levels[tier]
        )
        return self.env["fr.dunning.event"].search(
            [
                ("partner_id", "=", partner.id),
                ("level_id.tier", "=", tier),
                ("channel", "in", ("letter", "registered_letter")),
            ]
        )

    def _html(self, letter):
        return self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, letter.ids)[0].decode()

    # ------------------------------------------------------------------
    # A worked letter, byte for byte
    # ------------------------------------------------------------------

    def test_formal_notice_of_two_invoices(self):
        self._bank()
        first = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        second = self._invoice(self.business, "2026-09-01", "2026-10-01", 500.0)
        letter = self._send(self.business, "formal_notice")
        self.assertEqual(letter.letter_tier, "2")
        # What the letter claims on 23/11/2026 (tier 2: penalties claimed):
        # interest 1000 x 12.15 % x 61/365 = 20.31 and 500 x 12.15 % x 53/365 = 8.82,
        # so 29.13; indemnities 2 x 40 = 80; total 1000 + 500 + 29.13 + 80 = 1609.13.
        # The reference asked for is the two invoices' payment references.
        reference = f"{first.payment_reference}, {second.payment_reference}"
        self.assertTrue(first.payment_reference and second.payment_reference)
        expected = (
            "BCD\n"  # service tag
            "002\n"  # version
            "1\n"  # UTF-8
            "SCT\n"  # SEPA credit transfer
            "BNPAFRPPXXX\n"  # BIC
            "Atelier Lumière SAS\n"  # the account's holder
            "FR7630006000011234567890189\n"  # IBAN, without spaces
            "EUR1609.13\n"  # amount, a dot, two decimals
            "\n"  # purpose: none
            "\n"  # structured reference: none (not an RF reference)
            f"{reference}"  # unstructured reference, the last element
        )
        values = letter._fr_dunning_letter_values()[letter.id]
        self.assertEqual(values["grand_total"], 1609.13)
        self.assertEqual(values["epc_qr_payload"].encode(), expected.encode())
        # Byte count: 4 + 4 + 2 + 4 + 12 + 21 ("è" is 2 bytes) + 28 + 11 + 1 + 1
        # + the reference: well under the 331 bytes of a version 13 QR code.
        self.assertEqual(len(expected.encode()), 88 + len(reference))
        # The letter asks for the same reference and names the same account.
        html = self._html(letter)
        self.assertIn(f"Payment reference to state: <strong>{reference}</strong>", html)
        self.assertIn(IBAN, re.sub(r"\s", "", values["bank_html"].striptags()))
        # The image is the QR code of that payload, at error-correction level M:
        # its modules, read at their centres, are those reportlab's encoder
        # gives for the payload written above (45 x 45 at level M, version 7).
        modules = expected_modules(expected, "M")
        self.assertEqual(len(modules), 45)
        self.assertEqual(image_modules(qr_image(html), 45), modules)
        self.assertIn(CAPTION, html)

    def test_printed_about_three_centimetres(self):
        self._bank()
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter = self._send(self.business, "formal_notice")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(letter.letter_id.raw)
            handle.flush()
            listing = subprocess.run(
                ["pdfimages", "-list", handle.name], capture_output=True, check=True
            ).stdout.decode()
        # page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
        rows = [line.split() for line in listing.splitlines()[2:]]
        # The code: its modules and 2 x 4 of quiet zone, a whole number of
        # pixels each, 300 pixels at least.
        payload = letter._fr_dunning_letter_values()[letter.id]["epc_qr_payload"]
        side = len(expected_modules(payload, "M")) + 8
        pixels = str(side * -(-300 // side))
        qr = [row for row in rows if row[3:5] == [pixels, pixels]]
        self.assertEqual(len(qr), 1, listing)
        width_mm = int(pixels) / float(qr[0][12]) * 25.4
        self.assertAlmostEqual(width_mm, 30, delta=4)
        self.assertEqual(qr[0][0], "1", "on the letter's first page")

    def test_amount_without_penalties_when_the_letter_claims_none(self):
        self._bank()
        self.levels["formal"].penalties = "none"
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter = self._send(self.business, "formal")
        values = letter._fr_dunning_letter_values()[letter.id]
        # Tier 1 with penalties not mentioned: the letter asks for 1000.00 only.
        self.assertFalse(values["show_penalties"])
        self.assertEqual(values["grand_total"], 1000.0)
        self.assertEqual(
            values["epc_qr_payload"],
            f"BCD\n002\n1\nSCT\nBNPAFRPPXXX\n{HOLDER}\n{IBAN}\nEUR1000.00\n\n\n{invoice.payment_reference}",
        )

    # ------------------------------------------------------------------
    # No QR code, and nothing breaks
    # ------------------------------------------------------------------

    def test_no_qr_without_a_bank_account(self):
        self.assertFalse(self.company.partner_id.bank_ids)
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter = self._send(self.business, "formal_notice")
        self.assertTrue(letter.letter_id, "the letter is made all the same")
        self.assertIsNone(letter._fr_dunning_letter_values()[letter.id]["epc_qr_payload"])
        html = self._html(letter)
        self.assertNotIn('name="epc_qr"', html)
        self.assertNotIn(CAPTION, html)
        self.assertIn("Payment reference to state", html)

    def test_no_qr_for_an_account_that_is_not_an_iban(self):
        self._bank(acc_number="00012345678")
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter = self._send(self.business, "formal_notice")
        self.assertNotIn(CAPTION, self._html(letter))

    def test_no_qr_in_dollars(self):
        self._bank()
        usd = self.setup_other_currency("USD")
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0, currency=usd)
        letter = self._send(self.business, "formal_notice")
        self.assertEqual(letter.currency_id, usd)
        self.assertIsNone(letter._fr_dunning_letter_values()[letter.id]["epc_qr_payload"])
        self.assertNotIn(CAPTION, self._html(letter))

    def test_no_qr_for_a_zero_or_negative_amount(self):
        bank = self._bank()
        for amount in (0.0, 0.004, -12.5):
            self.assertIsNone(payment_qr_payload(self.env, bank, amount, self.eur, "FAC/2026/00001"), amount)
        # 0.005 rounds to the cent (half up): the smallest transfer, EUR0.01.
        self.assertIn("\nEUR0.01\n", payment_qr_payload(self.env, bank, 0.005, self.eur, "FAC/2026/00001"))
        # 999 999 999.99 is the largest amount the standard allows.
        self.assertIn("\nEUR999999999.99\n", epc_qr_payload(HOLDER, IBAN, 999999999.99, "x"))
        self.assertIsNone(epc_qr_payload(HOLDER, IBAN, 1000000000.0, "x"))

    def test_no_qr_for_an_account_in_another_currency(self):
        bank = self._bank()
        bank.currency_id = self.setup_other_currency("USD")
        self.assertIsNone(payment_qr_payload(self.env, bank, 100.0, self.eur, "FAC/2026/00001"))

    def test_no_qr_outside_sepa_nor_with_a_wrong_check_digit(self):
        # Turkey's IBAN (valid, TR33...) is not in SEPA.
        self.assertIsNone(
            payment_qr_payload(self.env, self._bank("TR330006100519786457841326"), 100.0, self.eur, "x")
        )
        # The French example with its last digit changed: mod 97 fails.
        self.assertIsNone(epc_qr_payload(HOLDER, "FR7630006000011234567890188", 100.0, "x", bic=BIC))

    def test_bic_left_out_in_the_eea_only(self):
        no_bic = self.env["res.bank"]
        # France (EEA): version 002 leaves the BIC out, its line stays empty.
        self.assertEqual(
            payment_qr_payload(self.env, self._bank(bank=no_bic), 12.3, self.eur, "x"),
            f"BCD\n002\n1\nSCT\n\n{HOLDER}\n{IBAN}\nEUR12.30\n\n\nx",
        )
        # Switzerland is in SEPA, not in the EEA: the BIC is mandatory.
        swiss = "CH9300762011623852957"
        self.assertIsNone(payment_qr_payload(self.env, self._bank(swiss, bank=no_bic), 12.3, self.eur, "x"))
        ubs = self.env["res.bank"].create({"name": "UBS", "bic": "UBSWCHZH80A"})
        self.assertEqual(
            payment_qr_payload(self.env, self._bank(swiss, bank=ubs), 12.3, self.eur, "x"),
            f"BCD\n002\n1\nSCT\nUBSWCHZH80A\n{HOLDER}\n{swiss}\nEUR12.30\n\n\nx",
        )

    # ------------------------------------------------------------------
    # The standard's limits
    # ------------------------------------------------------------------

    def test_name_cut_at_70_characters(self):
        long_name = "Société Coopérative Ouvrière de Production des Luminaires et Appliques du Grand Est"
        self.assertEqual(len(long_name), 83)
        payload = payment_qr_payload(self.env, self._bank(holder=long_name), 100.0, self.eur, "x")
        self.assertEqual(
            payload.split("\n")[5], "Société Coopérative Ouvrière de Production des Luminaires et Appliques"
        )
        self.assertEqual(len(payload.split("\n")[5]), 70)

    def test_holder_falls_back_on_the_company_name(self):
        payload = payment_qr_payload(self.env, self._bank(holder=False), 100.0, self.eur, "x")
        self.assertEqual(payload.split("\n")[5], self.company.partner_id.name)

    def test_payload_at_most_331_bytes(self):
        # The longest payload in ASCII: BIC 11, name 70, Malta's IBAN (31, the
        # longest in SEPA), the largest amount and 140 characters of text:
        # 4 + 4 + 2 + 4 + 12 + 71 + 32 + 16 + 1 + 1 + 140 = 287 bytes.
        malta = "MT84MALT011000012345MTLCAST001S"
        payload = epc_qr_payload("N" * 80, malta, 999999999.99, "R" * 200, bic="MALTMTMTXXX")
        self.assertEqual(len(payload.encode()), 287)
        self.assertEqual(payload.split("\n")[-1], "R" * 140)
        # In UTF-8 an "é" takes 2 bytes: 70 + 140 of them make 420 bytes, more
        # than a version 13 QR code holds; no QR rather than a code no app reads.
        self.assertIsNone(epc_qr_payload("é" * 70, malta, 10.0, "é" * 140, bic="MALTMTMTXXX"))

    def test_rf_creditor_reference_goes_in_the_structured_element(self):
        # ISO 11649: RF + 2 check digits + the reference 539007547034. Check
        # digits: 539007547034 + "RF00" with R = 27, F = 15 gives
        # 539007547034271500; mod 97 by pieces: 539007547 mod 97 = 81
        # (97 x 5 556 778 = 539 007 466), then 81034271500 mod 97 = 80;
        # 98 - 80 = 18, so RF18 5390 0754 7034.
        payload = epc_qr_payload(HOLDER, IBAN, 250.0, "RF18 5390 0754 7034", bic=BIC)
        self.assertEqual(payload, f"BCD\n002\n1\nSCT\n{BIC}\n{HOLDER}\n{IBAN}\nEUR250.00\n\nRF18539007547034")
        # Wrong check digits (RF17): not a creditor reference, sent as text.
        self.assertEqual(payload.count("\n"), 9)
        wrong = epc_qr_payload(HOLDER, IBAN, 250.0, "RF17 5390 0754 7034", bic=BIC)
        self.assertEqual(wrong.split("\n")[9:], ["", "RF17 5390 0754 7034"])
        # A Belgian structured reference (+++...+++) is not ISO 11649: text too.
        belgian = epc_qr_payload(HOLDER, IBAN, 250.0, "+++020/3430/57642+++", bic=BIC)
        self.assertEqual(belgian.split("\n")[9:], ["", "+++020/3430/57642+++"])

    def test_single_invoice_with_an_rf_reference(self):
        self._bank()
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        invoice.payment_reference = "RF18 5390 0754 7034"
        letter = self._send(self.business, "formal_notice")
        payload = letter._fr_dunning_letter_values()[letter.id]["epc_qr_payload"]
        # 1000 + 1000 x 12.15 % x 61/365 = 20.31 + 40 = 1060.31
        self.assertEqual(payload.split("\n")[7:], ["EUR1060.31", "", "RF18539007547034"])
        self.assertIn("Payment reference to state: <strong>RF18 5390 0754 7034</strong>", self._html(letter))

    def test_many_invoices_quote_the_letter_reference(self):
        self._bank()
        invoices = self.env["account.move"]
        for day in range(1, 11):
            invoices |= self._invoice(self.business, f"2026-08-{day:02d}", f"2026-09-{day:02d}", 100.0)
        letter = self._send(self.business, "formal_notice")
        joined = ", ".join(invoices.mapped("payment_reference"))
        self.assertGreater(len(joined), 140)
        values = letter._fr_dunning_letter_values()[letter.id]
        reference = f"REL-{letter.id:06d}"
        self.assertEqual(values["quote_reference"], reference)
        self.assertEqual(values["epc_qr_payload"].split("\n")[-1], reference)
        self.assertIn(f"Payment reference to state: <strong>{reference}</strong>", self._html(letter))

    # ------------------------------------------------------------------
    # Attacks
    # ------------------------------------------------------------------

    def test_line_feed_in_a_reference_cannot_add_elements(self):
        """A billing user types line feeds in an invoice's payment reference, to
        move the text into other elements of the code: they become spaces."""
        self._bank()
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        invoice.payment_reference = "FAC 1\nDE89370400440532013000\r\nEUR1.00"
        letter = self._send(self.business, "formal_notice")
        payload = letter._fr_dunning_letter_values()[letter.id]["epc_qr_payload"]
        elements = payload.split("\n")
        self.assertEqual(len(elements), 11)
        self.assertEqual(elements[6], IBAN)
        self.assertEqual(elements[7], "EUR1060.31")
        self.assertEqual(elements[10], "FAC 1 DE89370400440532013000 EUR1.00")

    def test_line_feed_in_the_holder_name(self):
        payload = epc_qr_payload("Atelier\nDE89370400440532013000", IBAN, 10.0, "x", bic=BIC)
        self.assertEqual(payload.split("\n")[5:7], ["Atelier DE89370400440532013000", IBAN])

    def test_the_qr_pays_the_account_the_letter_prints(self):
        """Another account added to the company's partner after the first does
        not take the QR code over: the code names the account printed."""
        self._bank()
        self._bank("DE89370400440532013000", holder="Someone Else")
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter = self._send(self.business, "formal_notice")
        values = letter._fr_dunning_letter_values()[letter.id]
        self.assertEqual(values["bank"].sanitized_acc_number, IBAN)
        printed = re.sub(r"\s", "", values["bank_html"].striptags())
        self.assertIn(values["epc_qr_payload"].split("\n")[6], printed)


@freeze_time(TODAY)
class TestPaymentPlanQr(FrDunningCase):
    """The printed payment plan: how to pay its next instalment."""

    REPORT = "fr_dunning_addon.action_report_payment_plan"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bnp = cls.env["res.bank"].create({"name": "BNP Paribas", "bic": BIC})

    def _plan(self, invoices):
        plan = (
            self.env["fr.dunning.payment.plan"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(invoices.ids)],
                    "instalment_count": 3,
                    "first_date": date(2026, 12, 15),
                }
            )
        )
        plan.action_compute_lines()
        return plan.sudo(False)

    def _html(self, plan):
        return self.env["ir.actions.report"]._render_qweb_html(self.REPORT, plan.ids)[0].decode()

    def test_next_instalment_before_and_after_a_payment(self):
        self.env["res.partner.bank"].create(
            {
                "acc_number": IBAN,
                "acc_holder_name": HOLDER,
                "partner_id": self.company.partner_id.id,
                "bank_id": self.bnp.id,
            }
        )
        first = self._invoice(self.business, "2026-09-01", "2026-10-01", 600.0)
        second = self._invoice(self.business, "2026-09-15", "2026-10-15", 400.01)
        plan = self._plan(first | second)
        # 1 000.01 in three: 333.34, 333.34, 333.33.
        self.assertEqual(plan.line_ids.mapped("amount"), [333.34, 333.34, 333.33])
        reference = f"{first.payment_reference}, {second.payment_reference}"
        head = f"BCD\n002\n1\nSCT\n{BIC}\n{HOLDER}\n{IBAN}\n"
        # Draft, printed to be signed: the first instalment.
        draft = plan._fr_dunning_next_instalments()[plan.id]
        self.assertEqual((draft["date"], draft["amount"]), (date(2026, 12, 15), 333.34))
        self.assertEqual(draft["qr_payload"], f"{head}EUR333.34\n\n\n{reference}")
        plan.action_confirm()
        # 400.00 paid on the first invoice: the first instalment (333.34) is
        # covered and 400.00 - 333.34 = 66.66 of the second; what is left of
        # it, 333.34 - 66.66 = 266.68, is due on 15/01/2027.
        self._pay(first, 400.0, "2026-12-10")
        running = plan._fr_dunning_next_instalments()[plan.id]
        self.assertEqual((running["date"], running["amount"]), (date(2027, 1, 15), 266.68))
        self.assertEqual(running["qr_payload"], f"{head}EUR266.68\n\n\n{reference}")
        html = self._html(plan)
        self.assertIn('name="next_instalment"', html)
        self.assertIn("266.68", html)
        self.assertIn(f"<strong>{reference}</strong>", html)
        modules = expected_modules(running["qr_payload"], "M")
        self.assertEqual(image_modules(qr_image(html), len(modules)), modules)
        self.assertIn(CAPTION, html)
        # All paid: the plan is done, nothing left to pay.
        self._pay(first, 200.0, "2026-12-20")
        self._pay(second, 400.01, "2027-01-10")
        with freeze_time("2027-01-11"):
            self.env["fr.dunning.payment.plan"]._cron_fr_dunning_payment_plans()
        self.assertEqual(plan.state, "done")
        self.assertIsNone(plan._fr_dunning_next_instalments()[plan.id])
        self.assertNotIn('name="next_instalment"', self._html(plan))

    def test_no_qr_without_an_iban_nor_for_a_cancelled_plan(self):
        plan = self._plan(self._invoice(self.business, "2026-09-01", "2026-10-01", 900.0))
        html = self._html(plan)
        # The next instalment is stated, with no bank account to name nor code.
        self.assertIn('name="next_instalment"', html)
        self.assertIn("300.00", html)
        self.assertNotIn(CAPTION, html)
        plan.with_user(self.dunning_user).action_cancel()
        self.assertEqual(plan.state, "cancelled")
        self.assertIsNone(plan._fr_dunning_next_instalments()[plan.id])


@freeze_time(TODAY)
class TestStatementQr(FrDunningCase):
    """The statement of account: the transfer of what is past due."""

    REPORT = "fr_dunning_addon.action_report_fr_dunning_statement"

    def _html(self):
        return (
            self.env["ir.actions.report"]
            .with_user(self.dunning_user)
            ._render_qweb_html(self.REPORT, self.business.ids)[0]
            .decode()
        )

    def test_past_due_amount_and_its_invoices(self):
        bnp = self.env["res.bank"].create({"name": "BNP Paribas", "bic": BIC})
        self.env["res.partner.bank"].create(
            {
                "acc_number": IBAN,
                "acc_holder_name": HOLDER,
                "partner_id": self.company.partner_id.id,
                "bank_id": bnp.id,
            }
        )
        late = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        self._invoice(self.business, "2026-11-20", "2026-12-20", 500.0)
        self._refund(self.business, "2026-11-02", 200.0)
        # On 23/11/2026: 1 000.00 late, 500.00 not yet due, a credit note of
        # 200.00 not matched: 1 000.00 - 200.00 = 800.00 past due.
        statement = self.business.with_user(self.dunning_user)._fr_dunning_account_statement()
        self.assertEqual((statement["overdue"], statement["balance"]), (800.0, 1300.0))
        self.assertEqual(
            statement["epc_qr_payload"],
            f"BCD\n002\n1\nSCT\n{BIC}\n{HOLDER}\n{IBAN}\nEUR800.00\n\n\n{late.payment_reference}",
        )
        html = self._html()
        self.assertIn(f"<strong>{late.payment_reference}</strong>", html)
        self.assertIn(CAPTION, html)
        modules = expected_modules(statement["epc_qr_payload"], "M")
        self.assertEqual(image_modules(qr_image(html), len(modules)), modules)

    def test_nothing_past_due_no_qr(self):
        bnp = self.env["res.bank"].create({"name": "BNP Paribas", "bic": BIC})
        self.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": self.company.partner_id.id, "bank_id": bnp.id}
        )
        self._invoice(self.business, "2026-11-20", "2026-12-20", 500.0)
        statement = self.business.with_user(self.dunning_user)._fr_dunning_account_statement()
        self.assertEqual(statement["overdue"], 0.0)
        self.assertIsNone(statement["epc_qr_payload"])
        html = self._html()
        self.assertNotIn(CAPTION, html)
        self.assertNotIn("Payment reference to state", html)
        self.assertIn("Bank details", html)

    def test_no_qr_when_a_past_due_invoice_is_in_a_payment_plan(self):
        """The plan's instalments are what the customer pays: the statement
        does not ask for the whole past-due amount by a QR code."""
        bnp = self.env["res.bank"].create({"name": "BNP Paribas", "bic": BIC})
        self.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": self.company.partner_id.id, "bank_id": bnp.id}
        )
        late = self._invoice(self.business, "2026-08-24", "2026-09-23", 900.0)
        other = self._invoice(self.business, "2026-08-24", "2026-09-30", 100.0)
        statement = self.business.with_user(self.dunning_user)._fr_dunning_account_statement()
        self.assertEqual(statement["overdue"], 1000.0)
        self.assertIn("\nEUR1000.00\n", statement["epc_qr_payload"])
        plan = (
            self.env["fr.dunning.payment.plan"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(late.ids)],
                    "instalment_count": 3,
                    "first_date": date(2026, 12, 15),
                }
            )
        )
        plan.action_compute_lines()
        plan.action_confirm()
        self.assertEqual(late.fr_dunning_blocked, "payment_plan")
        self.assertFalse(other.fr_dunning_blocked)
        statement = self.business.with_user(self.dunning_user)._fr_dunning_account_statement()
        self.assertIsNone(statement["epc_qr_payload"])
        self.assertNotIn(CAPTION, self._html())


@freeze_time(TODAY)
class TestEpcQrAccess(FrDunningCase):
    """The QR codes name the company's account and what a customer owes: they
    are printed for the users who may read these documents, in their company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
        cls.c2_user = new_test_user(
            cls.env,
            login="epc_c2_manager",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=cls.company_2.id,
            company_ids=[cls.company_2.id],
        )
        cls.billing_user = new_test_user(
            cls.env,
            login="epc_billing",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        bnp = cls.env["res.bank"].create({"name": "BNP Paribas", "bic": BIC})
        cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": cls.company.partner_id.id, "bank_id": bnp.id}
        )
        cls.invoice = cls._invoice(cls.business, "2026-08-24", "2026-09-23", 900.0)

    def _render(self, user, report, ids):
        return self.env["ir.actions.report"].with_user(user)._render_qweb_html(report, ids)[0].decode()

    def test_payment_plan_refused_to_another_company_and_a_billing_user(self):
        plan = (
            self.env["fr.dunning.payment.plan"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "instalment_count": 3,
                    "first_date": date(2026, 12, 15),
                }
            )
        )
        plan.action_compute_lines()
        report = "fr_dunning_addon.action_report_payment_plan"
        # A dunning user (not a manager) prints it, with its code.
        self.assertIn(CAPTION, self._render(self.dunning_user, report, plan.ids))
        for user in (self.c2_user, self.billing_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._render(user, report, plan.ids)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                plan.with_user(user)._fr_dunning_next_instalments()

    def test_letter_refused_to_another_company_and_a_billing_user(self):
        self.env["fr.dunning.escalation"]._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=self.business
        )
        letter = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("channel", "in", ("letter", "registered_letter"))],
            limit=1,
        )
        self.assertTrue(letter, "the default policy sends a letter 61 days after the due date")
        report = "fr_dunning_addon.action_report_dunning_letter"
        self.assertIn(CAPTION, self._render(self.dunning_user, report, letter.ids))
        for user in (self.c2_user, self.billing_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._render(user, report, letter.ids)

    def test_statement_in_another_company_shows_its_own_account_only(self):
        """Another company's user printing the statement of a customer both
        companies share gets that company's items and account: no amount nor
        IBAN of the first company, no code."""
        report = "fr_dunning_addon.action_report_fr_dunning_statement"
        mine = self._render(self.dunning_user, report, self.business.ids)
        self.assertIn(CAPTION, mine)
        theirs = self._render(self.c2_user, report, self.business.ids)
        self.assertNotIn(CAPTION, theirs)
        self.assertNotIn("FR76", theirs)
        self.assertNotIn(self.invoice.name, theirs)
