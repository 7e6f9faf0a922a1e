# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Updating a database installed with 18.0.1.0.0: the prescription rules
changed (a mediation suspends from its first meeting, no longer from the
creditor's referral), and the stored dates of the invoices in a litigation are
computed again by the 18.0.1.1.0 migration."""

from datetime import date

from freezegun import freeze_time

from .test_court_deadlines import CourtCase
from .test_upgrade_subjects import _load_script


class TestUpgradePrescription(CourtCase):
    @freeze_time("2026-03-30")
    def test_a_referral_alone_no_longer_leaves_the_invoice_suspended(self):
        # Between traders, due 31/01/2026: prescribed on 31/01/2031 (C. com. L110-4).
        litigation = self._litigation(self.business, 3000.0, route="mediation", due="2026-01-31")
        invoice = litigation.move_ids
        self._step(litigation, "md_referral", date(2026, 3, 2), court="Médiateur des entreprises")
        # As 18.0.1.0.0 stored it: suspended from the referral, no date. The
        # addon's own columns, put back as an old database has them.
        invoice.flush_recordset()
        self.env.cr.execute(
            "UPDATE account_move SET fr_dunning_prescription_date = NULL, "
            "fr_dunning_prescription_suspended = TRUE WHERE id = %s",
            [invoice.id],
        )
        invoice.invalidate_recordset(["fr_dunning_prescription_date", "fr_dunning_prescription_suspended"])
        self.assertTrue(invoice.fr_dunning_prescription_suspended)
        untouched = self._litigation(self.business, 1000.0, route="injunction", due="2026-01-15").move_ids
        _load_script().recompute_prescriptions(self.env)
        invoice.invalidate_recordset(["fr_dunning_prescription_date", "fr_dunning_prescription_suspended"])
        self.assertRecordValues(
            invoice,
            [{"fr_dunning_prescription_date": date(2031, 1, 31), "fr_dunning_prescription_suspended": False}],
        )
        # Handed over today for an order for payment, a legal action (Code
        # civil 2241): 30/03/2031, computed again the same.
        self.assertEqual(untouched.fr_dunning_prescription_date, date(2031, 3, 30))
