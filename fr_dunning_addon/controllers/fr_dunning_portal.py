# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's page of overdue invoices, reached by the link of its
reminders (``/dunning/<token>``) without a login: see, promise, contest.

The token is checked first, and a wrong, expired or revoked one gets the
same 404 as any unknown address. Then every read and write is the link's
(``fr.dunning.portal.access``), for its customer in its company only. The
forms are POSTs with Odoo's CSRF check; a link sends at most FORMS_PER_DAY
forms a day. Paying is in ``fr_dunning_portal_payment``.
"""

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.fr_dunning_portal_page import MAX_FILE_BYTES, MAX_FILES
from .fr_dunning_portal_payment import payment_form_values

PAGE = "fr_dunning_addon.portal_dunning_page"
# The largest form a link takes: its documents and 1 MB for its fields
# (Odoo's default is 128 MB); a larger one is refused before it is read (413).
MAX_FORM_BYTES = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024
# The page's address is its secret: browsers send it to no other site (the
# payment provider, a link followed), keep it in no shared cache, and search
# engines do not index it.
PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def access_of(token):
    """The valid access of ``token`` in the customer's language, or 404."""
    access = request.env["fr.dunning.portal.access"]._fr_dunning_from_token(token)
    if not access:
        raise NotFound()
    lang = access._fr_dunning_lang()
    request.update_context(lang=lang)
    return access.with_context(lang=lang)


class FrDunningPortal(http.Controller):
    @http.route(
        "/dunning/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        multilang=False,
        sitemap=False,
    )
    def fr_dunning_page(self, token, done=None, **kwargs):
        access = access_of(token)
        access.sudo().last_used = fields.Datetime.now()
        return self._fr_dunning_render(access, done=done)

    @http.route(
        "/dunning/<string:token>/promise",
        type="http",
        auth="public",
        methods=["POST"],
        max_content_length=MAX_FORM_BYTES,
        website=True,
        multilang=False,
        sitemap=False,
    )
    def fr_dunning_promise(self, token, promise_date=None, note=None, **kwargs):
        access = access_of(token)
        move_ids = request.httprequest.form.getlist("move_ids")
        return self._fr_dunning_act(
            access, "promise", lambda: access._fr_dunning_promise_online(move_ids, promise_date, note)
        )

    @http.route(
        "/dunning/<string:token>/contest",
        type="http",
        auth="public",
        methods=["POST"],
        max_content_length=MAX_FORM_BYTES,
        website=True,
        multilang=False,
        sitemap=False,
    )
    def fr_dunning_contest(self, token, reason=None, message=None, **kwargs):
        access = access_of(token)
        form = request.httprequest
        move_ids = form.form.getlist("move_ids")
        uploads = form.files.getlist("attachments")

        def contest():
            files = [(upload.filename, self._fr_dunning_read(upload)) for upload in uploads]
            return access._fr_dunning_contest_online(move_ids, reason, message, files)

        return self._fr_dunning_act(access, "contest", contest)

    @staticmethod
    def _fr_dunning_read(upload):
        """The bytes of an upload, read no further than the size limit + 1
        (a larger file is refused without being read whole)."""
        return upload.stream.read(MAX_FILE_BYTES + 1)

    def _fr_dunning_act(self, access, what, action):
        """Run ``action`` (a promise, a contest) for the link, within its
        daily count of forms; a refusal is shown on the page (400)."""
        if not access._fr_dunning_count_form():
            return self._fr_dunning_render(access, error=access._fr_dunning_forms_limit_error(), status=429)
        try:
            with request.env.cr.savepoint():
                action()
        except (UserError, ValidationError) as error:
            request.env.invalidate_all()
            return self._fr_dunning_render(access, error=error.args[0], status=400)
        response = request.redirect(f"{access._fr_dunning_path()}?done={what}")
        response.headers.update(PRIVATE_HEADERS)
        return response

    def _fr_dunning_render(self, access, done=None, error=None, status=200):
        today = fields.Date.context_today(access)
        values = access._fr_dunning_page_values(today)
        values.update(
            {
                "page_name": "fr_dunning",
                "no_breadcrumbs": True,
                "res_company": access.company_id,
                "action_url": access._fr_dunning_path(),
                "done": done if done in ("promise", "contest", "paid") else None,
                "error": error,
                **payment_form_values(access),
            }
        )
        return request.render(PAGE, values, status=status, headers=PRIVATE_HEADERS)
