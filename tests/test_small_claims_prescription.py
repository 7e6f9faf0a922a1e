# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The simplified recovery of small claims suspends the prescription (Code
civil 2238, CPCE L125-1): from the debtor's agreement to take part, recorded
by the commissaire de justice, to its refusal recorded by the commissaire,
the enforceable title or the litigation's closing. Dates worked by hand from the
articles; days are counted, not calendar months (2230: the time already run
is kept)."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law

from .test_court_deadlines import CourtCase


class TestSmallClaimsSuspendsPrescription(CourtCase):
    def _prescription(self, invoice, day, suspended=False):
        invoice.invalidate_recordset(["fr_dunning_prescription_date", "fr_dunning_prescription_suspended"])
        self.assertRecordValues(
            invoice,
            [{"fr_dunning_prescription_date": day, "fr_dunning_prescription_suspended": suspended}],
        )

    def test_the_law_lists_each_suspension_with_its_ends(self):
        invitation, agreement, refusal = date(2028, 1, 20), date(2028, 2, 1), date(2028, 5, 1)
        six = law.PRESCRIPTION_AFTER_SUSPENSION_MIN_MONTHS
        self.assertEqual(six, 6)
        suspensions = law.prescription_suspensions
        self.assertEqual(
            suspensions(
                [("sc_invitation", invitation), ("sc_agreement", agreement), ("sc_refusal", refusal)]
            ),
            [law.Suspension(agreement, refusal, six)],
        )
        # The title ends the procedure without the six months' minimum.
        self.assertEqual(
            suspensions([("sc_agreement", agreement), ("sc_title", refusal)]),
            [law.Suspension(agreement, refusal, 0)],
        )
        # The month passed without agreement is no end: an agreement in force
        # contradicts it.
        self.assertEqual(
            suspensions([("sc_agreement", agreement), ("sc_failed", refusal)]),
            [law.Suspension(agreement, None, six)],
        )
        # No agreement to take part: no suspension, whatever followed.
        self.assertEqual(suspensions([("sc_invitation", invitation), ("sc_failed", agreement)]), [])
        self.assertEqual(suspensions([("sc_invitation", invitation), ("sc_refusal", agreement)]), [])
        # A refusal before the agreement does not end it; the closing does.
        self.assertEqual(
            suspensions([("sc_refusal", invitation), ("sc_agreement", agreement)], refusal),
            [law.Suspension(agreement, refusal, six)],
        )
        self.assertEqual(suspensions([("sc_agreement", agreement)]), [law.Suspension(agreement, None, six)])
        # A mediation, listed the same way.
        self.assertEqual(
            suspensions([("md_meeting", invitation), ("md_agreement", refusal)]),
            [law.Suspension(invitation, refusal, six)],
        )

    def test_the_days_left_run_again_from_the_refusal(self):
        # Between traders, due 15/03/2024: prescribed on 15/03/2029 (C. com. L110-4).
        # Agreement to take part on 01/02/2028: left 366 days to 01/02/2029
        # (29/02/2028 included), then 28 + 14 to 15/03/2029: 408 days.
        # Refusal on 01/05/2028: 01/05/2028 + 365 = 01/05/2029 (no 29 February
        # in between), + 31 = 01/06/2029, + 12 = 13/06/2029 (408 days), later
        # than six months after the refusal (01/11/2028).
        with freeze_time("2028-01-20"):
            litigation = self._litigation(self.business, 1000.0, route="small_claims", due="2024-03-15")
            invoice = litigation.move_ids
            self._step(litigation, "sc_invitation", date(2028, 1, 20), amount=1200.0)
            self._prescription(invoice, date(2029, 3, 15))
        with freeze_time("2028-02-01"):
            self._step(litigation, "sc_agreement", date(2028, 2, 1))
            self._prescription(invoice, False, suspended=True)
        with freeze_time("2028-05-01"):
            self._step(litigation, "sc_refusal", date(2028, 5, 1))
            self._prescription(invoice, date(2029, 6, 13))
            # No prescription warning while suspended, nor now (more than six months ahead).
            self.assertFalse(self.env["account.move"]._cron_fr_dunning_prescription())

    def test_at_least_six_months_after_the_refusal(self):
        # A consumer, due 01/01/2026: prescribed on 01/01/2028 (C. consom. L218-2).
        # Agreement to take part on 01/11/2027: 30 + 31 = 61 days were left.
        # Refusal on 20/11/2027: 20/11/2027 + 61 days = 20/01/2028 (30 + 31);
        # six months after the refusal, 20/05/2028, is later: it prevails.
        with freeze_time("2027-11-20"):
            litigation = self._litigation(self.consumer, 900.0, route="small_claims", due="2026-01-01")
            invoice = litigation.move_ids
            self._prescription(invoice, date(2028, 1, 1))
            self._step(litigation, "sc_invitation", date(2027, 10, 25))
            self._step(litigation, "sc_agreement", date(2027, 11, 1))
            self._prescription(invoice, False, suspended=True)
            self._step(litigation, "sc_refusal", date(2027, 11, 20))
            self._prescription(invoice, date(2028, 5, 20))

    def test_suspended_until_the_title(self):
        # A consumer, due 01/01/2026: prescribed on 01/01/2028.
        # Agreement to take part on 01/10/2027: 31 + 30 + 31 = 92 days were left.
        # Title on 15/10/2027: the procedure ended with what both parties
        # agreed, not in a failure: the 92 days run again from the title,
        # 15/10/2027 + 92 days = 15/01/2028 (31 + 30 + 31), without the six
        # months 2238 grants on failure (which would give 15/04/2028).
        with freeze_time("2027-10-15"):
            litigation = self._litigation(self.consumer, 900.0, route="small_claims", due="2026-01-01")
            invoice = litigation.move_ids
            self._step(litigation, "sc_invitation", date(2027, 9, 20))
            self._step(litigation, "sc_agreement", date(2027, 10, 1))
            self._prescription(invoice, False, suspended=True)
            self._step(litigation, "sc_title", date(2027, 10, 15), amount=900.0, reference="Titre 2027-88")
            self._prescription(invoice, date(2028, 1, 15))
        # Closing the litigation afterwards changes nothing: the title ended it.
        with freeze_time("2027-12-01"):
            litigation.outcome = "partially_paid"
            litigation.action_close()
            self.assertEqual(litigation.date_end, date(2027, 12, 1))
            self._prescription(invoice, date(2028, 1, 15))

    def test_closing_the_litigation_ends_it(self):
        # A consumer, due 01/01/2026: prescribed on 01/01/2028. Agreement to
        # take part on 01/10/2027 (92 days left), neither refusal nor title;
        # the litigation closed on 15/12/2027: 15/12/2027 + 92 days =
        # 16/03/2028 (16 + 31 + 29 + 16); six months, 15/06/2028, prevail.
        with freeze_time("2027-10-01"):
            litigation = self._litigation(self.consumer, 900.0, route="small_claims", due="2026-01-01")
            invoice = litigation.move_ids
            self._step(litigation, "sc_invitation", date(2027, 9, 20))
            self._step(litigation, "sc_agreement", date(2027, 10, 1))
        with freeze_time("2027-12-15"):
            self._cron()
            self._prescription(invoice, False, suspended=True)
            litigation.outcome = "partially_paid"
            litigation.action_close()
            self._prescription(invoice, date(2028, 6, 15))

    def test_failure_recorded_before_the_agreement_was_entered(self):
        # The commissaire's letter of 20/09/2027 and the debtor's agreement of
        # 01/10/2027, within the month, are entered on 15/12/2027 only: the
        # invitation's month ended on 20/10/2027, so the failure is recorded
        # at once, before the agreement is entered. The agreement in force
        # contradicts it: the prescription stays suspended.
        with freeze_time("2027-12-15"):
            litigation = self._litigation(self.consumer, 900.0, route="small_claims", due="2026-01-01")
            invoice = litigation.move_ids
            self._step(litigation, "sc_invitation", date(2027, 9, 20))
            self.assertEqual(self._steps(litigation, "sc_failed").date, date(2027, 12, 15))
            self._step(litigation, "sc_agreement", date(2027, 10, 1))
            self._prescription(invoice, False, suspended=True)
            self.assertFalse(litigation.court_warning, "the agreement answered the invitation in time")

    def test_no_suspension_without_agreement(self):
        # Between traders, due 15/03/2024: prescribed on 15/03/2029.
        with freeze_time("2027-10-25"):
            silent = self._litigation(self.business, 1000.0, route="small_claims", due="2024-03-15")
            refusing = self._litigation(self.business, 1500.0, route="small_claims", due="2024-03-15")
            self._step(silent, "sc_invitation", date(2027, 10, 25))
            self._step(refusing, "sc_invitation", date(2027, 10, 25))
            # The invitation alone suspends nothing.
            self._prescription(silent.move_ids, date(2029, 3, 15))
        with freeze_time("2027-11-10"):
            # The debtor refuses to take part: nothing was suspended.
            self._step(refusing, "sc_refusal", date(2027, 11, 10))
            self._prescription(refusing.move_ids, date(2029, 3, 15))
        # The month from 25/10/2027 ends on 25/11/2027 (a Thursday): the
        # nightly check of 26/11/2027 records the failure; nothing was agreed,
        # nothing was suspended.
        with freeze_time("2027-11-26"):
            self._cron()
            self.assertTrue(self._steps(silent, "sc_failed").automatic)
            self._prescription(silent.move_ids, date(2029, 3, 15))

    def test_agreement_recorded_in_error_then_corrected(self):
        # Between traders, due 15/03/2024: prescribed on 15/03/2029. The
        # commissaire's invitation was recorded as the debtor's agreement;
        # once corrected the agreement no longer counts, nor its suspension.
        with freeze_time("2028-02-01"):
            litigation = self._litigation(self.business, 1000.0, route="small_claims", due="2024-03-15")
            invoice = litigation.move_ids
            self._step(litigation, "sc_agreement", date(2028, 1, 20))
            self._prescription(invoice, False, suspended=True)
            wrong = self._steps(litigation, "sc_agreement")
            self._step(
                litigation,
                "correction",
                date(2028, 2, 1),
                corrected_step_id=wrong.id,
                note="It was the commissaire's invitation, not the debtor's agreement.",
            )
            self.assertFalse(wrong.in_force)
            self._prescription(invoice, date(2029, 3, 15))
            # The wrong step stays, as evidence.
            self.assertEqual(len(litigation.step_ids), 2)

    def test_agreement_on_the_due_date(self):
        # Between traders, due 15/03/2024: prescribed on 15/03/2029. Agreement
        # to take part on the due date itself: the whole period is left,
        # 15/03/2024 to 15/03/2029 = 5 x 365 + 1 (29/02/2028) = 1 826 days.
        # Refusal on 15/04/2024: + 1 826 days = 15/04/2029 (29/02/2028 again
        # the only 29 February in between); six months (15/10/2024) are less.
        with freeze_time("2024-04-15"):
            litigation = self._litigation(self.business, 1000.0, route="small_claims", due="2024-03-15")
            invoice = litigation.move_ids
            self._step(litigation, "sc_invitation", date(2024, 3, 15))
            self._step(litigation, "sc_agreement", date(2024, 3, 15))
            self._prescription(invoice, False, suspended=True)
            self._step(litigation, "sc_refusal", date(2024, 4, 15))
            self._prescription(invoice, date(2029, 4, 15))

    def test_agreement_on_the_last_day_or_after(self):
        six = law.PRESCRIPTION_AFTER_SUSPENSION_MIN_MONTHS
        # Due 15/03/2024 between traders: the last day is 15/03/2029.
        # Agreed on that day: 0 days were left; refused on 01/04/2029, the
        # six months give 01/10/2029.
        self.assertEqual(
            law.prescription_date(
                date(2024, 3, 15),
                False,
                suspensions=[law.Suspension(date(2029, 3, 15), date(2029, 4, 1), six)],
            ),
            date(2029, 10, 1),
        )
        # Agreed the day after: the claim had prescribed; nothing revives it.
        self.assertEqual(
            law.prescription_date(
                date(2024, 3, 15),
                False,
                suspensions=[law.Suspension(date(2029, 3, 16), date(2029, 4, 1), six)],
            ),
            date(2029, 3, 15),
        )


class TestSmallClaimsSuspensionTrust(CourtCase):
    """Who could try to suspend a prescription they may not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_intruders("presc")

    @freeze_time("2028-02-01")
    def test_only_a_manager_of_the_company_records_the_agreement(self):
        litigation = self._litigation(self.business, 1000.0, route="small_claims", due="2024-03-15")
        invoice = litigation.move_ids
        for user in (self.dunning_user, self.c2_manager, self.billing_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._step(litigation, "sc_agreement", date(2028, 2, 1), user=user)
        self.assertFalse(litigation.step_ids)
        self.assertRecordValues(
            invoice,
            [{"fr_dunning_prescription_date": date(2029, 3, 15), "fr_dunning_prescription_suspended": False}],
        )

    @freeze_time("2028-02-01")
    def test_the_flag_and_the_litigations_are_not_written_by_hand(self):
        litigation = self._litigation(self.business, 1000.0, route="small_claims", due="2024-03-15")
        self._step(litigation, "sc_agreement", date(2028, 2, 1))
        other = self._invoice(self.business, date(2024, 2, 14), date(2024, 3, 15), 500.0)
        # A billing user marks an invoice suspended, which hides its date.
        with self.assertRaises(AccessError):
            other.with_user(self.billing_user).write({"fr_dunning_prescription_suspended": True})
        # A dunning user ties an invoice to the procedure the debtor agreed to.
        with self.assertRaises(AccessError):
            other.with_user(self.dunning_user).write({"fr_dunning_litigation_ids": [(4, litigation.id)]})
        # A manager of another company does the same.
        with self.assertRaises(AccessError):
            other.with_user(self.c2_manager).write({"fr_dunning_litigation_ids": [(4, litigation.id)]})
        self.assertRecordValues(
            other,
            [{"fr_dunning_prescription_date": date(2029, 3, 15), "fr_dunning_prescription_suspended": False}],
        )
        self.assertFalse(other.fr_dunning_litigation_ids)

    @freeze_time("2028-02-01")
    def test_no_invoice_added_to_a_procedure_under_way(self):
        litigation = self._litigation(self.business, 1000.0, route="small_claims", due="2024-03-15")
        other = self._invoice(self.business, date(2024, 2, 14), date(2024, 3, 15), 500.0)
        self._step(litigation, "sc_agreement", date(2028, 2, 1))
        # Once the debtor agreed for the first invoice, a manager cannot add
        # another one to the agreement's suspension.
        with self.assertRaises(UserError):
            litigation.with_user(self.dunning_manager).write({"move_ids": [Command.link(other.id)]})
        self.assertRecordValues(
            other,
            [{"fr_dunning_prescription_date": date(2029, 3, 15), "fr_dunning_prescription_suspended": False}],
        )
        self.assertTrue(litigation.move_ids.fr_dunning_prescription_suspended)
