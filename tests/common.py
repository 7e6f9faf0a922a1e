# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared fixtures of the fr_dunning_addon tests."""

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# The day the tests live on, unless a test says otherwise.
TODAY = "2026-11-23"


@tagged("post_install", "-at_install", "fr_dunning_addon")
class FrDunningCase(AccountTestInvoicingCommon):
    """A French company (PCG chart), its accountant and dunning users."""

    # Tests in the repository's tests/ folder are not under odoo.addons: name the
    # module so that Odoo's tag selector and pytest-odoo both know it.
    test_module = "fr_dunning_addon"

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        with freeze_time(TODAY):
            super().setUpClass()
            cls.company = cls.company_data["company"]
            cls.dunning_user = new_test_user(
                cls.env,
                login="fr_dunning_user",
                groups="fr_dunning_addon.group_fr_dunning_user",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
            cls.dunning_manager = new_test_user(
                cls.env,
                login="fr_dunning_manager",
                groups="fr_dunning_addon.group_fr_dunning_manager",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
