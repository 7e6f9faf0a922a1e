"""Screenshots of the main Relances screens for the README, from a running demo
server (`make demo`), logged in as admin in French.

usage: python3 scripts/screenshots.py [BASE_URL] [OUTPUT_DIR] [PORTAL_URL]
       (defaults: http://localhost:8069 docs/, no portal page)
"""

import resource
import shutil
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8069"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "docs")
CUSTOMER = "BTP Rousseau SARL"  # a demo customer with a year of history
LITIGATION = "Consultant Marc Perrin EI"  # the demo's order for payment in progress
# The link of a demo customer's online page (printed by scripts/demo_populate.py).
PORTAL_URL = sys.argv[3] if len(sys.argv) > 3 else None


def open_menu(page, entry):
    """An entry of Facturation > Clients > Relances, by its French name."""
    page.locator(".o_menu_sections button", has_text="Clients").click()
    page.locator(".dropdown-menu .dropdown-item", has_text=entry).first.click()
    page.wait_for_selector(".o_action_manager .o_view_controller")
    # The mouse away from the list: no tooltip in the picture.
    page.mouse.move(1439, 0)


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="fr-FR")
        page.set_default_timeout(60_000)
        # The pointer of the web client's onboarding tours, drawn over the menus: hidden.
        page.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => document.head.insertAdjacentHTML("
            "'beforeend', '<style>.o_tour_pointer { display: none !important; }</style>'))"
        )
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

        # The follow-up of a customer, and its timeline, from Clients en retard
        # (the demo reminds it today, so it is not in the list above).
        open_menu(page, "Clients en retard")
        customers = page.locator(".o_list_view .o_data_row")
        customers.filter(has_text=CUSTOMER).locator("button[name=action_open_partner]").click()
        expect(page.locator(".o_form_view .oe_title")).to_contain_text(CUSTOMER)
        page.locator(".o_notebook .nav-link", has_text="Historique").click()
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

        # Dossiers > Contentieux: the order for payment in progress, its court steps.
        page.set_viewport_size({"width": 1440, "height": 1000})
        open_menu(page, "Contentieux")
        page.locator(".o_list_view .o_data_row", has_text=LITIGATION).first.click()
        expect(page.locator(".o_form_view .o_field_widget[name=step_ids] .o_data_row").first).to_be_visible()
        page.wait_for_timeout(1000)
        page.screenshot(path=OUT / "litigation_steps.png")

        # Dossiers > Clients assurés: the credit insurance covers (by its address: a
        # pointer of the web client's tours is drawn over the menu otherwise).
        page.set_viewport_size({"width": 1440, "height": 500})
        page.goto(f"{BASE}/odoo/action-fr_dunning_addon.fr_dunning_insurance_cover_action")
        expect(page.locator(".o_list_view .o_data_row").first).to_be_visible()
        page.wait_for_timeout(1000)
        page.screenshot(path=OUT / "insured_customers.png")

        # Dossiers > Réponses des clients: each reply with the class suggested
        # and the words that decided it.
        page.set_viewport_size({"width": 1440, "height": 600})
        page.goto(f"{BASE}/odoo/action-fr_dunning_addon.fr_dunning_reply_action")
        expect(page.locator(".o_list_view .o_data_row").first).to_be_visible()
        page.wait_for_timeout(1000)
        page.screenshot(path=OUT / "customer_replies.png")

        # The customer's side: the page its reminder's link opens, without a login.
        if PORTAL_URL:
            page.context.clear_cookies()
            page.set_viewport_size({"width": 1440, "height": 1100})
            page.goto(PORTAL_URL)
            page.wait_for_selector("main table")
            page.wait_for_timeout(1000)
            page.screenshot(path=OUT / "portal_page.png")
        browser.close()
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


if __name__ == "__main__":
    main()
