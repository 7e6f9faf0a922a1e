# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Paying a link's overdue invoices through Odoo's payment form, with a
provider in test mode (the test provider of Odoo's own payment tests): the
transaction is made for exactly the link's invoices and what they owe,
whatever the browser sends. Without an enabled provider, the page shows the
bank details only."""

import json
from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, JsonRpcException

from odoo.addons.fr_dunning_addon.controllers.fr_dunning_portal_payment import payment_installed

from .common import FrDunningCase


class TestPortalPayment(FrDunningCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not payment_installed(cls.env):
            raise cls.skipException("Odoo's payment modules are not installed")
        cls.today = date.today()
        days = timedelta(days=1)
        cls.late_1 = cls._invoice(cls.business, cls.today - 70 * days, cls.today - 40 * days, 1200.0)
        cls.late_2 = cls._invoice(cls.business, cls.today - 50 * days, cls.today - 20 * days, 300.5)
        cls.not_due = cls._invoice(cls.business, cls.today - 5 * days, cls.today + 25 * days, 999.0)
        cls.other = cls._invoice(cls.consumer, cls.today - 70 * days, cls.today - 40 * days, 777.0)
        cls.bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": cls.company.partner_id.id,
                "allow_out_payment": True,
            }
        )
        event = cls._event(cls.business, cls.late_1, "reminder", fields.Datetime.now(), "Relance")
        cls.access = cls.env["fr.dunning.portal.access"]._fr_dunning_grant(event)
        cls.path = cls.access._fr_dunning_path()

    def _enable_provider(self, company=None):
        """A provider in test mode, as Odoo's payment tests make it."""
        form = self.env["ir.ui.view"].create(
            {
                "name": "Test redirect form",
                "type": "qweb",
                "arch": '<form t-att-action="api_url" method="post">'
                '<input name="reference" t-att-value="reference"/></form>',
            }
        )
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": (company or self.company).id,
                "payment_method_ids": [Command.set(method.ids)],
                "redirect_form_view_id": form.id,
            }
        )
        method.active = True
        return provider

    def test_without_provider_the_page_shows_the_bank_details(self):
        page = self.url_open(self.path).text
        self.assertNotIn("o_payment_form", page)
        self.assertIn(self.bank.acc_number, page.replace("\xa0", " "))
        self.assertIn(self.late_1.name, page)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(f"{self.path}/transaction", {"flow": "redirect"})
        self.assertFalse(self.env["payment.transaction"].search([("partner_id", "=", self.business.id)]))

    def test_pay_the_links_invoices_whatever_the_browser_sends(self):
        provider = self._enable_provider()
        page = self.url_open(self.path).text
        self.assertIn("o_payment_form", page)
        self.assertIn(f'data-transaction-route="{self.path}/transaction"', page)
        result = self.make_jsonrpc_request(
            f"{self.path}/transaction",
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids.id,
                "flow": "redirect",
                # What an attacker changes: ignored, the link's figures are used.
                "amount": 1.0,
                "invoice_ids": [self.other.id],
                "partner_id": self.consumer.id,
                "landing_route": "https://evil.example/",
                "tokenization_requested": True,
            },
        )
        tx = self.env["payment.transaction"].search([("reference", "=", result["reference"])])
        # 1 200.00 + 300.50 = 1 500.50: the two overdue invoices, not the one not yet due.
        self.assertRecordValues(
            tx,
            [
                {
                    "amount": 1500.5,
                    "currency_id": self.company.currency_id.id,
                    "partner_id": self.business.id,
                    "provider_id": provider.id,
                    "tokenize": False,
                    "landing_route": f"{self.path}?done=paid",
                }
            ],
        )
        self.assertEqual(tx.invoice_ids, self.late_1 | self.late_2)

    def test_refused_payment_requests(self):
        provider = self._enable_provider()
        other_company = self.setup_other_company(name="Autre Société SAS")["company"]
        foreign = self._enable_provider(other_company)
        cases = {
            "another company's provider": {
                "provider_id": foreign.id,
                "payment_method_id": foreign.payment_method_ids.id,
                "flow": "redirect",
            },
            "a saved card": {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids.id,
                "flow": "token",
                "token_id": 1,
            },
            "no provider": {"flow": "redirect"},
        }
        for case, params in cases.items():
            with self.subTest(case=case), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(f"{self.path}/transaction", params)
        # A wrong or revoked token: 404, nothing made.
        valid = {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids.id,
            "flow": "redirect",
        }
        response = self.url_open(
            "/dunning/" + "a" * 48 + "/transaction",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": valid}).encode(),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("404", response.text)
        self.access.with_user(self.dunning_manager).action_revoke()
        response = self.url_open(
            f"{self.path}/transaction",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": valid}).encode(),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("404", response.text)
        self.assertFalse(self.env["payment.transaction"].search([("partner_id", "=", self.business.id)]))
