# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An accountant's morning in a real browser (headless Chromium driven by
Playwright), on the demo data: Relances > À relancer aujourd'hui, open a
customer, send the next reminder, log a call with a promise, and find both in
the customer's timeline; then the preview's ticking in bulk: untick all, tick
the lines a filter shows, send them. Screenshots of each step go to
.local/screenshots/browser/ (or $FR_DUNNING_SCREENSHOTS).

The browser talks to the server pytest-odoo starts with ``--odoo-http``: it
listens on a free port (``odoo.tools.config['http_port']`` is set to one
before the server starts) and ``base_url()`` reads the port it listens on, so
the tests run next to a demo serving on 8069."""

import os
import resource
import shutil
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import HOST, TEST_CURSOR_COOKIE_NAME

from odoo.addons.fr_dunning_addon.demo.fr_dunning_demo import populate

from .common import FrDunningCase

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the README's requirements install it
    sync_playwright = None

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(
    os.environ.get("FR_DUNNING_SCREENSHOTS")
    or Path(__file__).resolve().parent.parent / ".local/screenshots/browser"
)
TIMEOUT = 60_000  # ms; the first page compiles the web client's assets


@contextmanager
def _no_address_space_limit():
    """Odoo's server caps its address space (limit_memory_hard); Chromium
    reserves far more and dies under that cap. Odoo's own test browser lifts it
    for Chrome the same way."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@contextmanager
def browser_page(case, user=None, height=1000, locale="fr-FR", failure="failure"):
    """A page of headless Chromium on the cursor of ``case`` (an HttpCase),
    logged in as ``user`` (password: its login), or with no login when
    ``user`` is None; a screenshot named ``failure`` when a step fails, and
    the test fails on JavaScript errors."""
    cookies = [{"name": TEST_CURSOR_COOKIE_NAME, "value": case.http_request_key, "domain": HOST, "path": "/"}]
    if user:
        session = case.authenticate(user.login, user.login)
        cookies.append({"name": "session_id", "value": session.sid, "domain": HOST, "path": "/"})
    errors = []
    with _no_address_space_limit(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        options = {"viewport": {"width": 1440, "height": height}, "accept_downloads": True}
        if locale:
            options["locale"] = locale
        context = browser.new_context(**options)
        context.add_cookies(cookies)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield page
        except Exception:
            shot(page, failure)
            raise
        finally:
            browser.close()
    case.assertFalse(errors, "the page raised JavaScript errors")
    case.env.invalidate_all()


class TestBrowser(FrDunningCase, HttpCase):
    # The browser runs on the machine's clock: no frozen time here.

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (sync_playwright and CHROMIUM):
            raise cls.skipException("the browser test needs playwright and Debian's chromium")
        cls.today = date.today()
        cls.demo = populate(cls.env, cls.company, cls.today)
        cls.accountant = new_test_user(
            cls.env,
            login="fr_dunning_accountant",
            password="fr_dunning_accountant",
            name="Camille Comptable",
            groups="account.group_account_invoice,fr_dunning_addon.group_fr_dunning_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _browser_page(self, user):
        return browser_page(self, user, height=1300)

    def _shot(self, page, name):
        shot(page, name)

    def test_morning_round(self):
        customer = self.demo["customers"].filtered(lambda p: p.name == "Agence Horizon Digital SAS")
        self.assertTrue(customer.fr_dunning_total_overdue, "the demo customer has overdue invoices")
        with self._browser_page(self.accountant) as page:
            self._round(page, customer)

        # What the browser did is in the database.
        self.env.invalidate_all()
        events = self.env["fr.dunning.event"].search([("partner_id", "=", customer.id)])
        self.assertIn("reminder", events.mapped("event_type"))
        call = events.filtered(lambda e: e.event_type == "call" and e.outcome)
        self.assertRecordValues(call, [{"outcome": "promise", "user_id": self.accountant.id}])
        promise = self.env["fr.dunning.promise"].search([("partner_id", "=", customer.id)])
        self.assertEqual(promise.promise_date, self.today + timedelta(days=10))

    def _round(self, page, customer):
        base = self.base_url()
        # 1. Relances > To chase today: every customer due today, largest first.
        page.goto(f"{base}/odoo/action-fr_dunning_addon.action_server_fr_dunning_preview")
        rows = page.locator(".o_field_one2many[name=shown_line_ids] .o_data_row")
        expect(rows.first).to_be_visible()
        self.assertGreater(rows.count(), 5)
        self._shot(page, "1-to-chase-today")

        # 2. One click on the customer's row opens its follow-up.
        row = rows.filter(has_text=customer.name)
        row.locator("button[name=action_open_follow_up]").click()
        form = page.locator(".o_form_view")
        expect(form.locator(".oe_title")).to_contain_text(customer.name)
        expect(form.locator("button[name=action_fr_dunning_send_now]")).to_be_visible()
        self._shot(page, "2-follow-up")

        # 3. Send the next reminder now: the preview for this customer, then send.
        form.locator("button[name=action_fr_dunning_send_now]").click()
        rows = page.locator(".o_field_one2many[name=shown_line_ids] .o_data_row")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(customer.name)
        page.locator("button[name=action_send]").click()
        expect(page.locator(".o_form_view .o_field_widget[name=communication_count]")).to_contain_text("1")
        self._shot(page, "3-reminder-sent")

        # 4. Back to the follow-up (breadcrumb) and log a call: a promise to pay.
        page.locator(".o_breadcrumb a", has_text=customer.name).click()
        expect(page.locator(".o_form_view .oe_title")).to_contain_text(customer.name)
        page.locator("button[name=action_fr_dunning_log_call]").click()
        dialog = page.locator(".modal-dialog")
        dialog.locator(".o_field_widget[name=outcome]").get_by_text("Promise to pay").click()
        promise_date = self.today + timedelta(days=10)
        date_input = dialog.locator(".o_field_widget[name=promise_date] input")
        date_input.fill(promise_date.strftime("%m/%d/%Y"))
        date_input.press("Enter")
        dialog.locator(".o_field_widget[name=promise_amount] input").fill("500")
        dialog.locator(".o_field_widget[name=note] textarea").fill("Virement promis par la comptable")
        self._shot(page, "4-log-call")
        dialog.locator("button[name=action_log]").click()
        expect(page.locator(".modal-dialog")).to_have_count(0)

        # 5. The timeline shows the reminder and the call.
        page.locator(".o_notebook .nav-link", has_text="Timeline").click()
        timeline = page.locator(".o_field_widget[name=fr_dunning_timeline_ids]")
        # The demo company is French: its history is written in French.
        expect(timeline).to_contain_text("Appel : Promesse de paiement")
        self.assertGreaterEqual(timeline.locator(".o_data_row").count(), 2)
        self._shot(page, "5-timeline")

    def test_preview_bulk_selection(self):
        """Untick all, filter on the amount, tick the lines shown, untick one
        of them by hand, clear the filter, send the ticked: exactly those get
        a reminder."""
        with self._browser_page(self.accountant) as page:
            sent_count = self._bulk_round(page)
        self.env.invalidate_all()
        # The accountant's screen: its owner rule hides it from the test's user.
        preview = self.env["fr.dunning.preview"].with_user(self.accountant).search([])
        self.assertEqual(len(preview), 1)
        large = preview.line_ids.filtered(lambda line: line.amount_company >= 5000)
        kept = large[1:]  # the largest was unticked by hand
        self.assertEqual(preview.line_ids.filtered("include"), kept)
        self.assertEqual(len(kept), sent_count)
        self.assertGreater(len(preview.line_ids), len(large), "the filter left lines out")
        run = self.env["fr.dunning.run"].search([("user_id", "=", self.accountant.id)])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.event_ids.partner_id, kept.partner_id)
        self.assertFalse(
            self.env["fr.dunning.event"].search(
                [("partner_id", "in", (preview.line_ids - kept).partner_id.ids), ("run_id", "=", run.id)]
            )
        )

    def _bulk_round(self, page):
        base = self.base_url()
        page.goto(f"{base}/odoo/action-fr_dunning_addon.action_server_fr_dunning_preview")
        rows = page.locator(".o_field_one2many[name=shown_line_ids] .o_data_row")
        expect(rows.first).to_be_visible()
        total = rows.count()
        ticked = rows.locator(".o_field_widget[name=include] input:checked")
        note = page.locator(".o_field_widget[name=send_ticked_note]")
        expect(ticked).to_have_count(total)

        # 1. Untick all: one click.
        page.locator("button[name=action_untick_shown]").click()
        expect(ticked).to_have_count(0)
        expect(note).to_have_text("nothing is ticked.")

        # 2. The amounts of 5 000 EUR or more, ticked in one click.
        # (No database read here: the browser's requests share the test's cursor.)
        page.locator(".o_field_widget[name=filter_amount_min] input").fill("5000")
        page.locator("button[name=action_filter]").click()
        expect(page.locator("button[name=action_clear_filters]")).to_be_visible()
        shown = int(page.locator(".o_field_widget[name=shown_count]").inner_text())
        self.assertTrue(0 < shown < total, f"{shown} of {total} lines of 5 000 EUR or more")
        expect(rows).to_have_count(shown)
        page.locator("button[name=action_tick_shown]").click()
        expect(ticked).to_have_count(shown)
        self._shot(page, "6-preview-filtered-ticked")

        # 3. One of them unticked by hand: the screen says so before saving.
        rows.first.locator(".o_field_widget[name=include] input").click()
        expect(ticked).to_have_count(shown - 1)
        expect(note).to_contain_text(f"the {shown - 1} ticked reminders")

        # 4. Every line shown again: only those stay ticked; send them.
        page.locator("button[name=action_clear_filters]").click()
        expect(rows).to_have_count(total)
        expect(ticked).to_have_count(shown - 1)
        expect(note).to_contain_text(f"the {shown - 1} ticked reminders")
        self._shot(page, "7-preview-before-sending")
        page.locator("button[name=action_send]").click()
        expect(page.locator(".o_form_view .o_field_widget[name=communication_count]")).to_have_text(
            str(shown - 1)
        )
        self._shot(page, "8-ticked-sent")
        return shown - 1

    def test_preview_tick_all_then_leave_out_the_small_amounts(self):
        """Untick all, tick all again, filter on the small amounts and untick
        them, clear the filter, send: every customer but the small ones gets
        its reminder, and nothing else is sent."""
        with self._browser_page(self.accountant) as page:
            sent_count, small_count = self._tick_all_round(page)
        self.env.invalidate_all()
        preview = self.env["fr.dunning.preview"].with_user(self.accountant).search([])
        self.assertEqual(len(preview), 1)
        small = preview.line_ids.filtered(lambda line: line.amount_company <= 2000)
        kept = preview.line_ids - small
        self.assertEqual(len(small), small_count)
        self.assertEqual(preview.line_ids.filtered("include"), kept)
        self.assertEqual(len(kept), sent_count)
        # What was sent: one run of the accountant's, the kept customers' events
        # only, and one queued email per reminder sent by email.
        run = self.env["fr.dunning.run"].search([("user_id", "=", self.accountant.id)])
        self.assertEqual(len(run), 1)
        self.assertEqual(run.event_ids.partner_id, kept.partner_id)
        self.assertFalse(
            self.env["fr.dunning.event"].search(
                [("partner_id", "in", small.partner_id.ids), ("run_id", "=", run.id)]
            )
        )
        emails = run.event_ids.filtered(lambda event: event.channel == "email")
        self.assertTrue(emails)
        self.assertEqual(
            self.env["mail.mail"].sudo().search_count([("mail_message_id", "in", emails.message_id.ids)]),
            len(emails),
        )

    def _tick_all_round(self, page):
        page.goto(f"{self.base_url()}/odoo/action-fr_dunning_addon.action_server_fr_dunning_preview")
        rows = page.locator(".o_field_one2many[name=shown_line_ids] .o_data_row")
        expect(rows.first).to_be_visible()
        total = rows.count()
        ticked = rows.locator(".o_field_widget[name=include] input:checked")
        note = page.locator(".o_field_widget[name=send_ticked_note]")

        # 1. None, then all again.
        page.locator("button[name=action_untick_shown]").click()
        expect(ticked).to_have_count(0)
        expect(note).to_have_text("nothing is ticked.")
        page.locator("button[name=action_tick_shown]").click()
        expect(ticked).to_have_count(total)
        expect(note).to_contain_text(f"the {total} ticked reminders")

        # 2. The amounts of 2 000 EUR at most, unticked in one click.
        page.locator(".o_field_widget[name=filter_amount_max] input").fill("2000")
        page.locator("button[name=action_filter]").click()
        expect(page.locator("button[name=action_clear_filters]")).to_be_visible()
        small = int(page.locator(".o_field_widget[name=shown_count]").inner_text())
        self.assertTrue(0 < small < total, f"{small} of {total} lines of 2 000 EUR at most")
        expect(rows).to_have_count(small)
        page.locator("button[name=action_untick_shown]").click()
        expect(ticked).to_have_count(0)
        # The others stay ticked, hidden by the filter, and are said to be.
        expect(note).to_contain_text(f"the {total - small} ticked reminders")
        expect(note).to_contain_text(f"{total - small} of them hidden by the filters")
        self._shot(page, "9-preview-small-amounts-unticked")

        # 3. Every line shown again, then send the ticked.
        page.locator("button[name=action_clear_filters]").click()
        expect(rows).to_have_count(total)
        expect(ticked).to_have_count(total - small)
        page.locator("button[name=action_send]").click()
        expect(page.locator(".o_form_view .o_field_widget[name=communication_count]")).to_have_text(
            str(total - small)
        )
        self._shot(page, "10-all-but-small-sent")
        return total - small, small
