# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Paying the overdue invoices of a customer's link online.

Odoo's ``payment`` and ``account_payment`` are used when installed, never
required (the addon does not depend on them): the page then shows Odoo's
payment form, as ``/my/invoices/overdue`` does for a logged-in customer, and
its transaction route is the link's own. The route pays what the link shows
and nothing else: the invoices, the amount, the currency and the partner are
the server's (the link's overdue invoices), whatever the browser sends.
Saved cards are never offered nor saved: whoever holds a forwarded link must
not pay with the customer's card. A transaction made counts among the link's
forms of the day (FORMS_PER_DAY), as a promise or a contest does.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request


def payment_installed(env):
    """Whether Odoo's online payment of invoices is installed."""
    return "payment.transaction" in env and "invoice_ids" in env["payment.transaction"]._fields


def payment_form_values(access):
    """The values of Odoo's payment form (``payment.form``) for the link's
    overdue invoices, or {"pay_online": False} (no payment module, no
    enabled provider, several currencies, nothing to pay)."""
    env = access.env
    invoices, currency, amount = access._fr_dunning_payment()
    if not payment_installed(env) or not invoices or currency.is_zero(amount):
        return {"pay_online": False}
    partner = access.partner_id
    company = access.company_id
    report = {}
    providers_sudo = (
        env["payment.provider"]
        .sudo()
        ._get_compatible_providers(company.id, partner.id, amount, currency_id=currency.id, report=report)
    )
    methods_sudo = (
        env["payment.method"]
        .sudo()
        ._get_compatible_payment_methods(
            providers_sudo.ids, partner.id, currency_id=currency.id, report=report
        )
    )
    if not methods_sudo:
        return {"pay_online": False}
    path = access._fr_dunning_path()
    return {
        "pay_online": True,
        # Called by name: the template exists only with the payment module.
        "payment_form_template": "payment.form",
        "amount": amount,
        "currency": currency,
        "partner_id": partner.id,
        "providers_sudo": providers_sudo,
        "payment_methods_sudo": methods_sudo,
        "tokens_sudo": env["payment.token"].sudo().browse(),
        "availability_report": report,
        "show_tokenize_input_mapping": dict.fromkeys(providers_sudo.ids, False),
        "transaction_route": f"{path}/transaction",
        "landing_route": f"{path}?done=paid",
        "access_token": None,
        "reference_prefix": None,
        "payment_reference": False,
    }


class FrDunningPortalPayment(http.Controller):
    @http.route("/dunning/<string:token>/transaction", type="json", auth="public")
    def fr_dunning_transaction(self, token, **kwargs):
        """Create the draft transaction of the link's overdue invoices and
        return its processing values (Odoo's payment form calls it)."""
        access = request.env["fr.dunning.portal.access"]._fr_dunning_from_token(token)
        if not access or not payment_installed(request.env):
            raise NotFound()
        from odoo.addons.account_payment.controllers.payment import PaymentPortal

        form = payment_form_values(access)
        if not form["pay_online"]:
            raise ValidationError(access.env._("Nothing is left to pay online on this page."))
        # What the browser may choose: one of the page's providers and
        # methods, and its flow (never a saved card, never saving one). The
        # invoices, the amount and the partner are the link's.
        provider_id = PaymentPortal._cast_as_int(kwargs.get("provider_id"))
        method_id = PaymentPortal._cast_as_int(kwargs.get("payment_method_id"))
        flow = kwargs.get("flow")
        if (
            provider_id not in form["providers_sudo"].ids
            or method_id not in form["payment_methods_sudo"].ids
            or flow not in ("redirect", "direct")
        ):
            raise ValidationError(access.env._("Choose one of the payment methods of the page."))
        # A transaction is a form of the day: a script is cut short here too.
        if not access._fr_dunning_count_form():
            raise ValidationError(access._fr_dunning_forms_limit_error())
        invoices, currency, amount = access._fr_dunning_payment()
        return PaymentPortal()._process_transaction(
            access.partner_id.id,
            currency.id,
            invoices.ids,
            None,
            provider_id=provider_id,
            payment_method_id=method_id,
            flow=flow,
            amount=amount,
            token_id=None,
            tokenization_requested=False,
            landing_route=form["landing_route"],
            is_validation=False,
        )
