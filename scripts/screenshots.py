"""Screenshots of the main Relances screens for the README, from a running demo
server (`make demo`), logged in as admin in French.

usage: python3 scripts/screenshots.py [BASE_URL] [OUTPUT_DIR]
       (defaults: http://localhost:8069 docs/)
"""

import resource
import shutil
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8069"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "docs")
CUSTOMER = "BTP Rousseau SARL"  # a demo customer with a year of history


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="fr-FR")
        page.set_default_timeout(60_000)
        page.goto(f"{BASE}/web/login")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "admin")
        page.click("button[type=submit]")
        page.wait_for_selector(".o_main_navbar")

        # À relancer aujourd'hui, largest amounts first, through the menus.
        page.locator(".o_navbar_apps_menu button").click()
        page.locator(".o_app, .dropdown-item", has_text="Facturation").first.click()
        page.locator(".o_menu_sections button", has_text="Clients").click()
        page.locator(".dropdown-menu .dropdown-item", has_text="À relancer aujourd'hui").click()
        rows = page.locator(".o_field_one2many[name=shown_line_ids] .o_data_row")
        expect(rows.first).to_be_visible()
        page.screenshot(path=OUT / "to_chase_today.png")

        # The follow-up of a customer, and its timeline.
        rows.filter(has_text=CUSTOMER).locator("button[name=action_open_follow_up]").click()
        expect(page.locator(".o_form_view .oe_title")).to_contain_text(CUSTOMER)
        page.locator(".o_notebook .nav-link").nth(1).click()
        page.set_viewport_size({"width": 1440, "height": 1300})
        page.wait_for_timeout(1000)
        page.screenshot(path=OUT / "customer_follow_up.png")

        # The dashboard.
        page.set_viewport_size({"width": 1440, "height": 1100})
        page.locator(".o_menu_sections button", has_text="Clients").click()
        page.locator(".dropdown-menu .dropdown-item", has_text="Tableau de bord").click()
        expect(page.locator(".o_form_view .o_field_widget[name=dso_count_back]")).to_be_visible()
        page.screenshot(path=OUT / "dashboard.png")

        # Recovery rate per level.
        page.locator(".o_menu_sections button", has_text="Clients").click()
        page.locator(".dropdown-menu .dropdown-item", has_text="Recouvrement par niveau").click()
        page.wait_for_selector(".o_action_manager .o_view_controller")
        page.wait_for_timeout(1500)
        page.set_viewport_size({"width": 1440, "height": 600})
        page.screenshot(path=OUT / "recovery_by_level.png")
        browser.close()
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


if __name__ == "__main__":
    main()
