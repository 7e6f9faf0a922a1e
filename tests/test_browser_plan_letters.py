# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A payment plan set up and letters printed in a real browser (headless
Chromium driven by Playwright): the instalments are seen and adjusted before
the plan starts; once the letters' PDF is downloaded, the list shows them
printed. Screenshots go to .local/screenshots/browser/ (or
$FR_DUNNING_SCREENSHOTS)."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user

from .common import FrDunningCase
from .test_browser import CHROMIUM, browser_page, shot

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the README's requirements install it
    sync_playwright = None


class TestBrowserPlanAndLetters(FrDunningCase, HttpCase):
    # The browser runs on the machine's clock: no frozen time here.

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (sync_playwright and CHROMIUM):
            raise cls.skipException("the browser test needs playwright and Debian's chromium")
        cls.today = date.today()
        cls.accountant = new_test_user(
            cls.env,
            login="fr_dunning_printer",
            password="fr_dunning_printer",
            name="Camille Comptable",
            groups="account.group_account_invoice,fr_dunning_addon.group_fr_dunning_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        due = cls.today - timedelta(days=35)
        cls.invoice = cls._invoice(cls.business, due - timedelta(days=30), due, 750.0)
        cls._invoice(cls.consumer, due - timedelta(days=30), due, 300.0)
        # Two letters sent today, to print.
        policy = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        level = policy.level_ids.filtered(lambda lvl: lvl.tier == "formal")
        cls.env["fr.dunning.escalation"]._run(
            cls.company, today=cls.today, automatic=False, partners=cls.business | cls.consumer, level=level
        )
        cls.letters = cls.env["fr.dunning.event"].search(
            [("partner_id", "in", (cls.business | cls.consumer).ids), ("channel", "=", "letter")]
        )

    def _shot(self, page, name):
        shot(page, name)

    def _browse(self, steps, user=None):
        with browser_page(self, user or self.accountant, locale=None) as page:
            steps(page)

    def test_plan_instalments_seen_before_it_starts(self):
        def steps(page):
            # The customer's follow-up, then Payment plan: a dialog.
            page.goto(f"{self.base_url()}/odoo/res.partner/{self.business.id}")
            page.locator("button[name=action_fr_dunning_follow_up]").click()
            page.locator("button[name=action_fr_dunning_payment_plan]").click()
            dialog = page.locator(".modal-dialog")
            lines = dialog.locator(".o_field_one2many[name=line_ids] .o_data_row")
            # The instalments show before anything is started, and nothing
            # that would close the dialog is offered beside Start.
            expect(lines).to_have_count(3)
            expect(dialog.locator("button[name=action_compute_lines]")).to_have_count(0)
            expect(dialog.locator("button[name=action_cancel]")).to_have_count(0)
            count = dialog.locator(".o_field_widget[name=instalment_count] input")
            count.fill("2")
            count.press("Tab")
            expect(lines).to_have_count(2)
            # Adjusted: 300 first, then the rest (750 in all).
            for row, amount in ((0, "300"), (1, "600")):
                lines.nth(row).locator("td[name=amount]").click()
                cell = lines.nth(row).locator(".o_field_widget[name=amount] input")
                cell.fill(amount)
                cell.press("Enter")
            dialog.locator(".modal-title").click()
            expect(dialog.locator(".alert-warning")).to_be_visible()
            lines.nth(1).locator("td[name=amount]").click()
            cell = lines.nth(1).locator(".o_field_widget[name=amount] input")
            cell.fill("450")
            cell.press("Enter")
            dialog.locator(".modal-title").click()
            expect(dialog.locator(".alert-warning")).to_have_count(0)
            self._shot(page, "plan-dialog")
            dialog.locator("button[name=action_confirm]").click()
            expect(page.locator(".modal-dialog")).to_have_count(0)

        self._browse(steps)
        plan = self.env["fr.dunning.payment.plan"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(plan, [{"state": "open", "total": 750.0}])
        self.assertEqual(plan.line_ids.mapped("amount"), [300.0, 450.0])
        self.assertEqual(self.invoice.fr_dunning_blocked, "payment_plan")

    def test_letters_printed_from_the_list_show_printed(self):
        self.assertEqual(len(self.letters), 2)

        def steps(page):
            page.goto(f"{self.base_url()}/odoo/action-fr_dunning_addon.fr_dunning_letter_action")
            rows = page.locator(".o_list_view .o_data_row")
            expect(rows).to_have_count(2)
            page.locator(".o_list_view thead .o_list_record_selector input").check()
            page.locator(".o_cp_action_menus button").first.click()
            with page.expect_download() as download:
                page.locator(".o-dropdown--menu .dropdown-item", has_text="Print the letters").click()
            self.assertTrue(download.value.suggested_filename.endswith(".pdf"))
            # Once downloaded, the list reloads: nothing left under Letters to print...
            expect(rows).to_have_count(0)
            # ...and, without the filter, both letters printed by the accountant.
            page.locator(".o_searchview_facet .o_facet_remove").first.click()
            expect(rows).to_have_count(2)
            for row in range(2):
                expect(rows.nth(row).locator("td[name=printed_by_id]")).to_have_text("Camille Comptable")
            self._shot(page, "letters-printed")

        self._browse(steps)
        self.assertRecordValues(self.letters, [{"printed_by_id": self.accountant.id}] * 2)

    def test_letters_printed_through_the_menus_in_french(self):
        """A French accountant's morning menu: Facturation > Clients > Relances
        opens on the three screens of the morning, then the cases and the
        analysis; Lettres à imprimer, Actions > Imprimer les lettres records
        the printing and the list shows it."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        accountant = new_test_user(
            self.env,
            login="fr_dunning_comptable",
            password="fr_dunning_comptable",
            name="Claire Comptable",
            lang="fr_FR",
            groups="account.group_account_invoice,fr_dunning_addon.group_fr_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        menu = "fr_dunning_addon.menu_fr_dunning_"
        expected = [
            f"{menu}{name}"
            for name in (
                # The morning...
                "preview",
                "customers",
                "letters",
                # ...the cases...
                "calls",
                "replies",
                "dispute",
                "promise",
                "payment_plan",
                "litigation",
                "proceedings",
                "prescription",
                "insurance_cover",
                "lifecycle",
                "lifecycle_hold",
                "lifecycle_import",
                "portal_access",
                # ...and the analysis; no configuration for an accountant.
                "dashboard",
                "overdue_invoices",
                "reminder_stats",
                "recovery",
                "event",
                "run",
            )
        ]
        headers = [french.ref(f"{menu}{name}").name for name in ("root", "cases", "analysis")]
        app = self.env.ref("account.menu_finance")

        def steps(page):
            # The accounting app (Facturation on Community), as its icon opens it.
            page.goto(f"{self.base_url()}/odoo?menu_id={app.id}")
            page.locator(
                ".o_menu_sections button[data-menu-xmlid='account.menu_finance_receivables']"
            ).click()
            dropdown = page.locator(".o-dropdown--menu")
            entries = dropdown.locator(f"[data-menu-xmlid^='{menu}']")
            expect(entries.first).to_be_visible()
            self.assertEqual(
                entries.evaluate_all("items => items.map(item => item.dataset.menuXmlid)"), expected
            )
            names = [text.strip() for text in dropdown.locator(".dropdown-header").all_inner_texts()]
            self.assertEqual(names[names.index(headers[0]) :], headers)
            self.assertEqual(
                [text.strip() for text in entries.all_inner_texts()[:3]],
                ["À relancer aujourd'hui", "Clients en retard", "Lettres à imprimer"],
            )
            self._shot(page, "letters-menu-fr")
            dropdown.locator(f"[data-menu-xmlid='{menu}letters']").click()
            rows = page.locator(".o_list_view .o_data_row")
            expect(rows).to_have_count(2)
            page.locator(".o_list_view thead .o_list_record_selector input").check()
            page.locator(".o_cp_action_menus button").first.click()
            with page.expect_download() as download:
                page.locator(".o-dropdown--menu .dropdown-item", has_text="Imprimer les lettres").click()
            self.assertTrue(download.value.suggested_filename.endswith(".pdf"))
            # The list reloads: nothing left to print...
            expect(rows).to_have_count(0)
            # ...and, without the filter, both letters printed by Claire.
            page.locator(".o_searchview_facet .o_facet_remove").first.click()
            expect(rows).to_have_count(2)
            for row in range(2):
                expect(rows.nth(row).locator("td[name=printed_by_id]")).to_have_text("Claire Comptable")
            self._shot(page, "letters-printed-fr")

        before = fields.Datetime.now().replace(microsecond=0)
        self._browse(steps, accountant)
        self.assertRecordValues(self.letters, [{"printed_by_id": accountant.id}] * 2)
        self.assertTrue(all(printed >= before for printed in self.letters.mapped("printed_date")))
