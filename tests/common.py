# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared fixtures of the fr_dunning_addon tests."""

from freezegun import freeze_time

from odoo import Command, fields
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
            # Postal addresses: no letter goes to a customer without one.
            cls.business = cls.env["res.partner"].create(
                {
                    "name": "Menuiserie Dupont SARL",
                    "is_company": True,
                    "lang": "en_US",
                    "street": "3 rue du Bois",
                    "zip": "69002",
                    "city": "Lyon",
                }
            )
            cls.consumer = cls.env["res.partner"].create(
                {
                    "name": "Jeanne Martin",
                    "is_company": False,
                    "lang": "en_US",
                    "street": "8 allée des Tilleuls",
                    "zip": "59000",
                    "city": "Lille",
                }
            )
            cls.tax_20 = cls.company.account_sale_tax_id

    @classmethod
    def _invoice(cls, partner, invoice_date, due_date, amount, taxes=None, currency=None, post=True):
        """A customer invoice of one line of ``amount`` (excl. taxes), due on ``due_date``."""
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": fields.Date.to_date(invoice_date),
                "invoice_date_due": fields.Date.to_date(due_date),
                "invoice_payment_term_id": False,
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Prestation",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": cls.company_data["default_account_revenue"].id,
                            "tax_ids": [Command.set((taxes or cls.env["account.tax"]).ids)],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _refund(cls, partner, refund_date, amount):
        """A posted credit note of ``amount`` (no tax) dated ``refund_date``."""
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": fields.Date.to_date(refund_date),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Avoir",
                            "quantity": 1,
                            "price_unit": amount,
                            "account_id": cls.company_data["default_account_revenue"].id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    @classmethod
    def _pay(cls, invoice, amount, pay_date):
        """Register a payment of ``amount`` on ``invoice`` dated ``pay_date``."""
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": fields.Date.to_date(pay_date)})
            ._create_payments()
        )

    @classmethod
    def _event(cls, partner, moves, event_type, when, name):
        """A dunning event of ``event_type`` on ``moves``, recorded at ``when``."""
        # The fixture stands for one of the addon's flows, which record events as
        # superuser (users cannot create them).
        return (
            cls.env["fr.dunning.event"]
            .sudo()
            .create(
                {
                    "name": name,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(moves.ids)],
                    "event_type": event_type,
                    "date": when,
                }
            )
            .sudo(False)
        )
