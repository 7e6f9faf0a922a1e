# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's morning in a real browser (headless Chromium driven by
Playwright): the link of its reminder opened without a login, its overdue
invoices seen, two promised by a date, a third contested with a reason and
a delivery note; or all of them paid through Odoo's demo payment provider;
then the records in the database. Screenshots go to
.local/screenshots/browser/ (or $FR_DUNNING_SCREENSHOTS)."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import HttpCase

from .common import FrDunningCase
from .test_browser import CHROMIUM, browser_page, shot

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the README's requirements install it
    sync_playwright = None

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class TestBrowserPortal(FrDunningCase, HttpCase):
    # The browser runs on the machine's clock: no frozen time here.

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (sync_playwright and CHROMIUM):
            raise cls.skipException("the browser test needs playwright and Debian's chromium")
        cls.today = date.today()
        days = timedelta(days=1)
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.business.lang = "fr_FR"
        cls.business.with_company(cls.company).fr_dunning_responsible_id = cls.dunning_user
        cls.late_1 = cls._invoice(cls.business, cls.today - 70 * days, cls.today - 40 * days, 1200.0)
        cls.late_2 = cls._invoice(cls.business, cls.today - 50 * days, cls.today - 20 * days, 300.5)
        cls.late_3 = cls._invoice(cls.business, cls.today - 45 * days, cls.today - 15 * days, 80.0)
        event = cls._event(
            cls.business, cls.late_1 | cls.late_2 | cls.late_3, "reminder", fields.Datetime.now(), "Relance"
        )
        cls.access = cls.env["fr.dunning.portal.access"]._fr_dunning_grant(event)

    def _shot(self, page, name):
        shot(page, name)

    def _browse(self, steps):
        """Headless Chromium without any login, on this test's cursor."""
        with browser_page(self, failure="portal-failure") as page:
            steps(page)

    def test_customer_promises_and_contests_online(self):
        url = f"{self.base_url()}{self.access._fr_dunning_path()}"
        promised = self.today + timedelta(days=10)

        def steps(page):
            # 1. The link of the reminder, no login: the three overdue invoices.
            page.goto(url)
            rows = page.locator("table[name=invoices] tbody tr")
            expect(rows).to_have_count(3)
            for invoice in (self.late_1, self.late_2, self.late_3):
                expect(rows.filter(has_text=invoice.name)).to_have_count(1)
            # 1 200.00 + 300.50 + 80.00 = 1 580.50, in French typography.
            expect(page.locator("strong[name=total]")).to_have_text("1\u00a0580,50\u00a0€")
            self._shot(page, "portal-1-overdue-invoices")

            # 2. The first two promised in ten days.
            page.check(f"#fr_dunning_move_{self.late_1.id}")
            page.check(f"#fr_dunning_move_{self.late_2.id}")
            page.fill("#fr_dunning_promise_date", promised.isoformat())
            page.click("button[name=fr_dunning_promise]")
            expect(page.locator(".alert-success")).to_be_visible()
            # Promised: no box to tick any more, a badge instead.
            expect(page.locator(f"#fr_dunning_move_{self.late_1.id}")).to_have_count(0)
            self._shot(page, "portal-2-promised")

            # 3. The third contested: quantity, with a delivery note.
            page.check(f"#fr_dunning_move_{self.late_3.id}")
            page.select_option("#fr_dunning_reason", "quantity")
            page.fill("#fr_dunning_message", "Livré 8 au lieu de 10, voir le bon de livraison.")
            page.set_input_files(
                "#fr_dunning_attachments",
                files=[{"name": "bon-livraison.pdf", "mimeType": "application/pdf", "buffer": PDF}],
            )
            page.click("button[name=fr_dunning_contest]")
            expect(page.locator(".alert-success")).to_be_visible()
            expect(page.locator("table[name=invoices] tbody input[type=checkbox]")).to_have_count(0)
            self._shot(page, "portal-3-contested")

        self._browse(steps)

        promise = self.env["fr.dunning.promise"].search([("partner_id", "=", self.business.id)])
        # 1 200.00 + 300.50 = 1 500.50 promised.
        self.assertRecordValues(
            promise, [{"origin": "portal", "promise_date": promised, "amount": 1500.5, "state": "open"}]
        )
        self.assertEqual(promise.move_ids, self.late_1 | self.late_2)
        dispute = self.env["fr.dunning.dispute"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(dispute, [{"origin": "portal", "category": "quantity", "state": "open"}])
        self.assertEqual(dispute.move_ids, self.late_3)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "fr.dunning.dispute"), ("res_id", "=", dispute.id)]
        )
        self.assertRecordValues(attachment, [{"name": "bon-livraison.pdf", "mimetype": "application/pdf"}])
        events = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        self.assertEqual(
            sorted(events.filtered(lambda e: e.channel == "portal").mapped("event_type")),
            ["dispute", "promise"],
        )
        self.assertEqual((promise.activity_ids | dispute.activity_ids).user_id, self.dunning_user)

    def test_customer_pays_online(self):
        """The three invoices paid in one payment, through Odoo's demo provider
        (module payment_demo, installed in the test database by
        scripts/run_tests.sh; a test provider: nothing is charged)."""
        provider = self.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        provider = provider and provider.sudo()
        if not provider or provider.module_state != "installed":
            self.skipTest("Odoo's payment_demo module is not installed in this database")
        provider.write({"state": "test", "is_published": True, "company_id": self.company.id})
        url = f"{self.base_url()}{self.access._fr_dunning_path()}"

        def steps(page):
            page.goto(url)
            expect(page.locator("table[name=invoices] tbody tr")).to_have_count(3)
            page.locator("input[name=o_payment_radio]").first.check()
            page.click("button[name=o_payment_submit_button]")
            page.wait_for_url("**done=paid**")
            expect(page.locator(".alert-info, .alert-success").first).to_be_visible()
            self._shot(page, "portal-4-paid")

        self._browse(steps)

        transaction = self.env["payment.transaction"].sudo().search([("provider_id", "=", provider.id)])
        # 1 200.00 + 300.50 + 80.00 = 1 580.50, the three invoices, one payment.
        self.assertRecordValues(
            transaction, [{"amount": 1580.5, "state": "done", "partner_id": self.business.id}]
        )
        self.assertEqual(transaction.invoice_ids, self.late_1 | self.late_2 | self.late_3)
