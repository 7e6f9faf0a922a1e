# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Logging a call: what the form shows and what it proposes."""

from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import Form

from .common import TODAY, FrDunningCase


@freeze_time(TODAY)
class TestCallWizard(FrDunningCase):
    def test_labels_and_promised_amount_defaults_to_the_amount_due(self):
        old = self._invoice(self.business, "2026-09-04", "2026-10-04", 1000.0, taxes=self.tax_20)
        recent = self._invoice(self.business, "2026-10-20", "2026-11-19", 300.0)
        self._pay(old, 200.0, "2026-11-10")
        self._invoice(self.business, "2026-11-20", "2026-12-20", 900.0)  # not due
        action = self.env["fr.dunning.call.wizard"].with_user(self.dunning_user)._open(self.business)
        self.assertEqual(action["context"]["default_company_id"], self.company.id)
        wizard = self.env["fr.dunning.call.wizard"].with_user(self.dunning_user)
        with Form(wizard.with_context(action["context"])) as form:
            self.assertEqual(form.promise_amount, 1300.0, "1 200 - 200 paid + 300")
            self.assertEqual(form.currency_id, self.company.currency_id)
            form.move_ids.remove(id=recent.id)
            self.assertEqual(form.promise_amount, 1000.0)
            form.outcome = "promise"
            form.promise_date = date(2026, 12, 15)
            form.promise_amount = 400.0
            wizard = form.save()
        wizard.action_log()
        promise = self.env["fr.dunning.promise"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(promise, [{"amount": 400.0, "move_ids": old.ids}])
        # Invoices and note are labelled in the form.
        arch = etree.fromstring(self.env.ref("fr_dunning_addon.fr_dunning_call_wizard_view_form").arch)
        for name in ("move_ids", "note"):
            self.assertEqual(len(arch.xpath(f"//group/field[@name='{name}']")), 1, name)

    def test_promise_in_the_invoices_currency(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.10)])
        self._invoice(self.business, "2026-10-04", "2026-11-03", 800.0, currency=usd)
        wizard = (
            self.env["fr.dunning.call.wizard"]
            .with_user(self.dunning_user)
            .create(
                {
                    "partner_id": self.business.id,
                    "move_ids": [Command.set(self.business._fr_dunning_overdue_invoices().ids)],
                }
            )
        )
        self.assertRecordValues(wizard, [{"currency_id": usd.id, "promise_amount": 800.0}])
