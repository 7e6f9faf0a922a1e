# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The net claim of the litigation file, and a give-back whose penalty
invoice was cancelled since.

Worked numbers, at 12.15 % in 2026 S1 (ECB 2.15 + 10 points, Code de
commerce L441-10 II), simple interest over 365 days; the 2026 S2 rates are
not shipped, so interest stops on 30/06/2026. 10 000.00 EUR due 31/03/2026:
- billed to 31/05 (invoice P): 61 days x 10 000 x 12.15 % / 365 = 203.05,
  and the 40 EUR of D441-5: 243.05;
- 5 000.00 paid, dated 01/05, registered afterwards: from 02/05 only 5 000
  was due, so 30 days x 5 000 x 12.15 % / 365 = 49.93 were charged on sums
  paid, given back by a credit note (CN);
- on 23/11/2026 the interest not billed runs from 01/06 to 30/06 on 5 000:
  30 days, 49.93.
"""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestNetClaim(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.invoice = cls._invoice(cls.business, "2026-03-01", "2026-03-31", 10000.0)
            cls.billed = cls.invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 5, 31))
            cls.billed.action_post()
            cls._pay(cls.invoice, 5000.0, "2026-05-01")
            cls.credit_note = cls.invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 5, 31))
            cls.credit_note.action_post()

    def _claim(self):
        values = (
            self.env["fr.dunning.litigation.file"]
            .with_user(self.dunning_manager)
            ._statement_values(self.business)
        )
        lines = {
            line["invoice"]: (
                line["principal"],
                line["billed"],
                line["interest"],
                line["indemnity"],
                line["total"],
            )
            for line in values["lines"]
        }
        return lines, values["totals"][self.company.currency_id]["total"]

    def test_credit_note_of_interest_given_back_is_deducted(self):
        self.assertRecordValues(
            self.billed | self.credit_note,
            [
                {"move_type": "out_invoice", "amount_total": 243.05, "state": "posted"},
                {"move_type": "out_refund", "amount_total": 49.93, "state": "posted"},
            ],
        )
        lines, total = self._claim()
        self.assertEqual(
            lines,
            {
                self.invoice: (5000.0, 0.0, 49.93, 0.0, 5049.93),
                self.billed: (0.0, 243.05, 0.0, 0.0, 243.05),
                self.credit_note: (0.0, -49.93, 0.0, 0.0, -49.93),
            },
        )
        # 5 000 + 243.05 - 49.93 + 49.93 = 5 243.05 (not 5 292.98).
        self.assertEqual(total, 5243.05)

    def test_cancelled_penalty_invoice_voids_its_give_back(self):
        """P cancelled: its interest is no longer billed, so the 49.93 the
        credit note gave back of it were given back twice.

        - the claim no longer deducts the credit note, and counts the
          interest not billed again with today's payments: 01/04 to 01/05 on
          10 000, 31 days: 103.19; 02/05 to 30/06 on 5 000, 60 days: 99.86;
          and the 40 EUR: 5 000 + 203.05 + 40 = 5 243.05, as before;
        - the next billing charges these and takes the 49.93 back, once:
          103.19 + 99.86 + 40 + 49.93 = 292.98; with the credit note, the
          customer is billed 292.98 - 49.93 = 243.05 = 203.05 + 40.
        """
        self.billed.button_draft()
        self.billed.button_cancel()
        give_back = self.invoice.fr_dunning_penalty_ids.filtered(lambda p: p.kind == "interest_refund")
        self.assertEqual(give_back.give_back_status, "void")
        self.invoice.invalidate_recordset(["fr_dunning_give_back_void", "fr_dunning_interest_overcharged"])
        self.assertEqual(
            (self.invoice.fr_dunning_give_back_void, self.invoice.fr_dunning_interest_overcharged),
            (49.93, 0.0),
        )
        lines, total = self._claim()
        self.assertEqual(
            lines,
            {
                self.invoice: (5000.0, 0.0, 203.05, 40.0, 5243.05),
                self.credit_note: (0.0, 0.0, 0.0, 0.0, 0.0),
            },
        )
        self.assertEqual(total, 5243.05)

        rebilled = self.invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 6, 30))
        self.assertRecordValues(rebilled, [{"move_type": "out_invoice", "amount_total": 292.98}])
        self.assertEqual(
            [line.price_unit for line in rebilled.invoice_line_ids.sorted("sequence")],
            [103.19, 99.86, 40.0, 49.93],
        )
        self.assertIn(
            f"Interest given back on {self.credit_note.name} taken back",
            rebilled.invoice_line_ids.sorted("sequence")[-1].name,
        )
        reversal = self.invoice.fr_dunning_penalty_ids.filtered(lambda p: p.kind == "give_back_reversal")
        self.assertRecordValues(reversal, [{"refunded_penalty_id": give_back.id, "amount": 49.93}])
        give_back.invalidate_recordset(["give_back_status"])
        self.assertEqual(give_back.give_back_status, "taken_back")
        self.invoice.invalidate_recordset(["fr_dunning_give_back_void"])
        self.assertEqual(self.invoice.fr_dunning_give_back_void, 0.0)
        rebilled.action_post()
        lines, total = self._claim()
        self.assertEqual(
            lines,
            {
                self.invoice: (5000.0, 0.0, 0.0, 0.0, 5000.0),
                rebilled: (0.0, 292.98, 0.0, 0.0, 292.98),
                self.credit_note: (0.0, -49.93, 0.0, 0.0, -49.93),
            },
        )
        self.assertEqual(total, 5243.05)
        # Taken back once: nothing left to bill.
        with self.assertRaises(UserError):
            self.invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 6, 30))

    def test_give_back_void_read_by_a_user_of_another_company(self):
        self.billed.button_draft()
        self.billed.button_cancel()
        other = self.setup_other_company(name="Autre Société SAS")["company"]
        stranger = new_test_user(
            self.env,
            login="fr_dunning_stranger",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=other.id,
            company_ids=[other.id],
        )
        with self.assertRaises(AccessError):
            self.invoice.with_user(stranger).read(["fr_dunning_give_back_void"])
        with self.assertRaises(AccessError):
            self.invoice.fr_dunning_penalty_ids.with_user(stranger).read(["give_back_status"])
