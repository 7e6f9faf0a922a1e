# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's page attacked as an outsider would: whoever holds one
customer's link (a forwarded email), whoever holds none, a portal user of
another customer, a plain billing user, a dunning user who is not manager
and a manager of another company, over HTTP, JSON and RPC.

Each test is one attack and what must hold: the hidden fields and the JSON
parameters a browser may change, the headers that keep the token in the
page, markup in every text the customer types, files that are not what they
say or that unpack into gigabytes, the daily count of forms through the
payment route, the tokens over RPC, and who reads what the customer sent."""

import io
import json
import re
import struct
import zipfile
import zlib
from datetime import date, timedelta
from urllib.parse import urlparse

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user

from odoo.addons.fr_dunning_addon.controllers.fr_dunning_portal_payment import payment_installed
from odoo.addons.fr_dunning_addon.models.fr_dunning_portal_access import FORMS_PER_DAY

from . import test_portal_payment
from .common import FrDunningCase

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# A GIF header followed by a page with a script: a polyglot a browser would
# run if it were served as HTML.
GIF_HTML = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<html><script>alert(document.domain)</script></html>"
SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def png(width, height):
    """A valid black-and-white PNG of ``width`` x ``height`` pixels: one bit a
    pixel, all zeros, so that 10 000 x 10 000 pixels weigh about 12 kB."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


def docx_bomb(size):
    """An office document (by its content) whose one part unpacks to
    ``size`` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * size)
    return buffer.getvalue()


class TestPortalAttacks(FrDunningCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = date.today()
        cls.company_2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
        cls.business.with_company(cls.company).fr_dunning_responsible_id = cls.dunning_user
        days = timedelta(days=1)
        cls.late_1 = cls._invoice(cls.business, cls.today - 70 * days, cls.today - 40 * days, 1200.0)
        cls.late_2 = cls._invoice(cls.business, cls.today - 50 * days, cls.today - 20 * days, 300.5)
        cls.other = cls._invoice(cls.consumer, cls.today - 70 * days, cls.today - 40 * days, 777.0)
        Access = cls.env["fr.dunning.portal.access"]
        event = cls._event(
            cls.business, cls.late_1 | cls.late_2, "reminder", fields.Datetime.now(), "Relance"
        )
        cls.access = Access._fr_dunning_grant(event)
        other_event = cls._event(cls.consumer, cls.other, "reminder", fields.Datetime.now(), "Relance")
        cls.other_access = Access._fr_dunning_grant(other_event)
        cls.billing_user = new_test_user(
            cls.env,
            login="fr_dunning_attack_billing",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.c2_manager = new_test_user(
            cls.env,
            login="fr_dunning_attack_c2",
            groups="fr_dunning_addon.group_fr_dunning_manager,base.group_allow_export",
            company_id=cls.company_2.id,
            company_ids=[cls.company_2.id],
        )
        cls.c2_user = new_test_user(
            cls.env,
            login="fr_dunning_attack_c2_user",
            groups="base.group_user",
            company_id=cls.company_2.id,
            company_ids=[cls.company_2.id],
        )
        cls.other_portal = new_test_user(
            cls.env,
            login="fr_dunning_attack_portal",
            groups="base.group_portal",
            partner_id=cls.consumer.id,
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _url(self, access=None, suffix=""):
        return f"{(access or self.access).sudo()._fr_dunning_path()}{suffix}"

    def _csrf(self, access=None):
        response = self.url_open(self._url(access))
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text)[1]

    def _post(self, what, data, files=None, access=None):
        data = {"csrf_token": self._csrf(access), **data}
        return self.url_open(self._url(access, f"/{what}"), data=data, files=files, allow_redirects=False)

    def _contest(self, files=None, message="Livré 8 au lieu de 10", **data):
        return self._post(
            "contest",
            {"move_ids": [self.late_2.id], "reason": "quantity", "message": message, **data},
            files=files,
        )

    def _disputes(self):
        return self.env["fr.dunning.dispute"].search([("partner_id", "=", self.business.id)])

    def _promises(self):
        return self.env["fr.dunning.promise"].search([("partner_id", "=", self.business.id)])

    def _attachments(self, dispute):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "fr.dunning.dispute"), ("res_id", "in", dispute.ids)], order="id"
        )

    def _enable_provider(self):
        return test_portal_payment.TestPortalPayment._enable_provider(self)

    def _pay_params(self, provider, **extra):
        return {
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids.id,
            "flow": "redirect",
            **extra,
        }

    def _transactions(self):
        return self.env["payment.transaction"].search(
            [("invoice_ids", "in", (self.late_1 | self.late_2).ids)]
        )

    # ------------------------------------------------------------------
    # Without the right link
    # ------------------------------------------------------------------

    def test_refused_tokens_all_get_the_same_answer(self):
        """Unknown, expired and revoked tokens, on the page and on its forms,
        get the same 404: nothing tells a guesser that a token once existed."""
        unknown = self.url_open("/dunning/" + "b" * 48)
        self.assertEqual(unknown.status_code, 404)
        token = self.access.sudo().token
        # Case matters: the upper-case token is another token.
        self.assertEqual(self.url_open(f"/dunning/{token.upper()}").status_code, 404)
        self.access.sudo().expiry_date = self.today - timedelta(days=1)
        expired = self.url_open(self._url())
        self.access.sudo().expiry_date = self.today + timedelta(days=1)
        self.access.with_user(self.dunning_manager).action_revoke()
        revoked = self.url_open(self._url())
        for response in (expired, revoked):
            self.assertEqual(response.status_code, 404)
            self.assertEqual(len(response.text), len(unknown.text))
            self.assertNotIn(self.business.name, response.text)
        # The forms of a revoked link, replayed with a CSRF token of the session.
        csrf = self._csrf(self.other_access)
        for what, data in (
            ("promise", {"move_ids": [self.late_1.id], "promise_date": self.today.isoformat()}),
            ("contest", {"move_ids": [self.late_1.id], "reason": "price", "message": "Trop cher"}),
        ):
            with self.subTest(what=what):
                response = self.url_open(
                    self._url(suffix=f"/{what}"), data={"csrf_token": csrf, **data}, allow_redirects=False
                )
                self.assertEqual(response.status_code, 404)
        self.assertFalse(self._promises())
        self.assertFalse(self._disputes())

    def test_forms_are_posts_only(self):
        """A GET on a form's address does nothing (a link in a mail, an image)."""
        url = self._url(suffix=f"/promise?move_ids={self.late_1.id}&promise_date={self.today.isoformat()}")
        self.assertEqual(self.url_open(url).status_code, 405)
        self.assertFalse(self._promises())

    def test_page_keeps_its_token_to_itself(self):
        """The page's address is its secret: browsers must neither send it to
        another site (the payment provider, an image, a link followed) nor
        keep it in a shared cache, and search engines must not index it."""
        for response in (
            self.url_open(self._url()),
            self._post("promise", {"move_ids": [self.other.id], "promise_date": self.today.isoformat()}),
        ):
            with self.subTest(status=response.status_code):
                self.assertEqual(response.headers.get("Referrer-Policy"), "no-referrer")
                self.assertIn("no-store", response.headers.get("Cache-Control", ""))
                self.assertIn("noindex", response.headers.get("X-Robots-Tag", ""))

    # ------------------------------------------------------------------
    # Hidden fields, ids, redirects
    # ------------------------------------------------------------------

    def test_extra_form_fields_are_ignored(self):
        """Fields a browser adds to the promise (another customer, another
        company, an amount, an owner, a state, a redirect) change nothing: the
        promise is the link's customer's, for what its invoices owe."""
        promised = self.today + timedelta(days=10)
        response = self._post(
            "promise",
            {
                "move_ids": [self.late_1.id],
                "promise_date": promised.isoformat(),
                "partner_id": self.consumer.id,
                "company_id": self.company_2.id,
                "amount": "1",
                "user_id": self.c2_manager.id,
                "state": "kept",
                "origin": "user",
                "redirect": "https://evil.example/",
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlparse(response.headers["Location"]).path, self._url())
        self.assertRecordValues(
            self._promises(),
            [
                {
                    "partner_id": self.business.id,
                    "company_id": self.company.id,
                    "amount": 1200.0,
                    "user_id": self.dunning_user.id,
                    "state": "open",
                    "origin": "portal",
                    "promise_date": promised,
                }
            ],
        )
        self.assertFalse(self.env["fr.dunning.promise"].search([("partner_id", "=", self.consumer.id)]))

    def test_malformed_ids_are_refused_without_error(self):
        """Ids that are not ids are a refusal (400), never a server error."""
        for move_ids in (["1e3"], ["-1"], ["9" * 5000], ["1 OR 1=1"], [f"{self.late_1.id}.0"], [""]):
            with self.subTest(move_ids=move_ids[0][:20]):
                response = self._post(
                    "promise", {"move_ids": move_ids, "promise_date": self.today.isoformat()}
                )
                self.assertEqual(response.status_code, 400)
        self.assertFalse(self._promises())

    def test_done_parameter_is_no_open_redirect_nor_markup(self):
        response = self.url_open(
            self._url(suffix="?done=https://evil.example/<script>"), allow_redirects=False
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("evil.example", response.text)

    # ------------------------------------------------------------------
    # Markup in what the customer types
    # ------------------------------------------------------------------

    def test_markup_in_message_and_file_name_is_text(self):
        # A right-to-left override turns "facture\u202efdp.exe" into "factureexe.pdf" on screen.
        response = self._contest(
            message=SCRIPT,
            files=[
                ("attachments", (f"{SCRIPT}.pdf", PDF, "application/pdf")),
                ("attachments", ("facture\u202efdp.exe", PDF, "application/pdf")),
            ],
        )
        self.assertEqual(response.status_code, 303)
        dispute = self._disputes()
        self.assertEqual(dispute.note, SCRIPT)
        names = self._attachments(dispute).mapped("name")
        self.assertNotRegex(names[0], "[<>'\"]")
        self.assertEqual(names[1], "facture_fdp.pdf")
        # The promise's message too (on the other invoice).
        response = self._post(
            "promise",
            {"move_ids": [self.late_1.id], "promise_date": self.today.isoformat(), "note": SCRIPT},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._promises().note, SCRIPT)
        # The chatter and the history hold them as text, never as markup.
        messages = self.env["mail.message"].search(
            [
                ("model", "in", ("fr.dunning.dispute", "fr.dunning.promise", "res.partner", "account.move")),
                ("body", "ilike", "alert"),
            ]
        )
        events = self.env["fr.dunning.event"].search([("partner_id", "=", self.business.id)])
        for body in [*messages.mapped("body"), *filter(None, events.mapped("note"))]:
            self.assertNotIn("<script", body)
            self.assertNotIn("<img", body)
        self.assertTrue(any("&lt;script&gt;" in (body or "") for body in events.mapped("note")))

    def test_markup_in_a_refused_file_name_is_not_reflected(self):
        name = "<script>alert(1)</script>.pdf"
        response = self._contest(
            files=[("attachments", (name, b"<html><script>x</script></html>", "text/html"))]
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("<script>alert(1)", response.text)
        self.assertFalse(self._disputes())

    # ------------------------------------------------------------------
    # Files
    # ------------------------------------------------------------------

    def test_polyglot_is_stored_and_served_as_what_its_content_is(self):
        """A GIF that is also an HTML page is kept as a GIF, and served as an
        image that browsers may not sniff: its script never runs."""
        response = self._contest(files=[("attachments", ("page.html", GIF_HTML, "text/html"))])
        self.assertEqual(response.status_code, 303)
        attachment = self._attachments(self._disputes())
        self.assertRecordValues(attachment, [{"name": "page.gif", "mimetype": "image/gif"}])
        self.authenticate(self.dunning_user.login, self.dunning_user.login)
        served = self.url_open(f"/web/content/{attachment.id}")
        self.assertEqual(served.status_code, 200)
        self.assertEqual(served.headers["Content-Type"], "image/gif")
        self.assertEqual(served.headers["X-Content-Type-Options"], "nosniff")

    def test_image_bomb_is_refused(self):
        """A PNG of 10 000 x 10 000 pixels weighs 12 kB and takes 100 MB or
        more once decoded (Odoo resizes the images it stores): refused above
        Odoo's own limit of 50 million pixels, before anything is decoded."""
        bomb = png(10000, 10000)
        self.assertLess(len(bomb), 100_000)
        response = self._contest(files=[("attachments", ("photo.png", bomb, "image/png"))])
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._disputes())
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "fr.dunning.dispute"), ("name", "=", "photo.png")]
            )
        )
        # A photo of a phone (4 000 x 3 000, 12 million pixels) is accepted.
        response = self._contest(files=[("attachments", ("photo.png", png(4000, 3000), "image/png"))])
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._attachments(self._disputes()).mimetype, "image/png")

    def test_a_truncated_image_is_no_server_error(self):
        """A PNG header claiming 3 000 x 3 000 pixels with no pixel data (Odoo
        resizes the images it stores above 1 920 pixels): no server error,
        the document is kept as a PNG."""
        header = png(3000, 3000)[:33]
        response = self._contest(files=[("attachments", ("photo.png", header, "image/png"))])
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._attachments(self._disputes()).mimetype, "image/png")

    def test_huge_forms_are_refused_before_being_read(self):
        """Odoo reads up to 128 MB a request: the forms of a link take their
        five documents of 10 MB and 1 MB of fields (51 MB); a larger request
        is refused (413) before its body is read, and counts for nothing."""
        big = b"%PDF-1.4\n" + b"0" * (52 * 1024 * 1024)
        response = self._contest(files=[("attachments", ("big.pdf", big, "application/pdf"))])
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self._disputes())
        self.access.invalidate_recordset()
        self.assertFalse(self.access.form_count)

    def test_zip_bomb_is_stored_as_sent_never_unpacked(self):
        """An office document unpacking to 200 MB is a 200 kB file: kept as
        sent (its names only are read to know its kind), never unpacked."""
        bomb = docx_bomb(200 * 1024 * 1024)
        self.assertLess(len(bomb), 1024 * 1024)
        response = self._contest(files=[("attachments", ("report.docx", bomb, "application/zip"))])
        self.assertEqual(response.status_code, 303)
        attachment = self._attachments(self._disputes())
        self.assertEqual(attachment.file_size, len(bomb))
        self.assertEqual(attachment.name, "report.docx")

    # ------------------------------------------------------------------
    # Who reads what the customer sent
    # ------------------------------------------------------------------

    def test_documents_are_read_by_the_company_dunning_users_only(self):
        self.assertEqual(
            self._contest(files=[("attachments", ("bl.pdf", PDF, "application/pdf"))]).status_code, 303
        )
        dispute = self._disputes()
        attachment = self._attachments(dispute)
        self.assertEqual(attachment.company_id, self.company)
        attachment.with_user(self.dunning_user).check("read")
        for user in (self.c2_manager, self.c2_user, self.other_portal, self.billing_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    attachment.with_user(user).check("read")
                with self.assertRaises(AccessError):
                    dispute.with_user(user).read(["note"])
        # Over HTTP: without a session, and as a portal user of another customer.
        for login in (None, self.other_portal.login):
            with self.subTest(login=login):
                if login:
                    self.authenticate(login, login)
                served = self.url_open(f"/web/content/{attachment.id}")
                self.assertIn(served.status_code, (403, 404))
                self.assertNotIn(PDF, served.content)

    def test_online_evidence_cannot_be_forged_over_rpc(self):
        """'By the customer, online' is the page's to say: a dunning user can
        neither create nor edit a dispute or a promise with that origin, nor
        record an event on the portal channel."""
        values = {
            "company_id": self.company.id,
            "partner_id": self.business.id,
            "move_ids": [Command.set(self.late_1.ids)],
            "origin": "portal",
        }
        for model, extra in (
            ("fr.dunning.dispute", {"category": "price"}),
            ("fr.dunning.promise", {"promise_date": self.today + timedelta(days=5), "amount": 1200.0}),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.dunning_user).create({**values, **extra})
        dispute = (
            self.env["fr.dunning.dispute"]
            .with_user(self.dunning_user)
            .create({k: v for k, v in values.items() if k != "origin"} | {"category": "price"})
        )
        with self.assertRaises(AccessError):
            dispute.write({"origin": "portal"})
        with self.assertRaises(AccessError):
            self.env["fr.dunning.event"].with_user(self.dunning_manager).create(
                {
                    "name": "Promesse, par le client en ligne",
                    "company_id": self.company.id,
                    "partner_id": self.business.id,
                    "event_type": "promise",
                    "channel": "portal",
                }
            )

    def test_a_logged_in_user_acts_as_the_customer_not_as_itself(self):
        """An employee of another company who opens a forwarded link while
        logged in: what it sends is the customer's, online, and the evidence
        names no employee of another company."""
        self.authenticate(self.c2_user.login, self.c2_user.login)
        response = self._post(
            "promise",
            {"move_ids": [self.late_1.id], "promise_date": (self.today + timedelta(days=3)).isoformat()},
        )
        self.assertEqual(response.status_code, 303)
        promise = self._promises()
        self.assertEqual(promise.origin, "portal")
        event = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("channel", "=", "portal")]
        )
        self.assertEqual(len(event), 1)
        self.assertNotEqual(event.user_id, self.c2_user)
        self.assertNotEqual(promise.create_uid, self.c2_user)
        messages = self.env["mail.message"].search(
            [("model", "=", "fr.dunning.promise"), ("res_id", "=", promise.id)]
        )
        self.assertNotIn(self.c2_user.partner_id, messages.author_id)

    def test_the_link_in_a_sent_reminder_stays_in_its_company(self):
        """The reminder's email carries the link: its copy in the customer's
        chatter (a customer shared by the companies) is read by the users of
        the company that sent it, never by another company's."""
        self.business.email = "compta@dupont.example"
        Escalation = self.env["fr.dunning.escalation"]
        summary = Escalation._run(self.company, today=self.today, partners=self.business)
        self.assertEqual(summary["sent"], {"email": 1})
        token = self.access.sudo().token
        Message = self.env["mail.message"]
        sent = Message.search([("model", "=", "res.partner"), ("body", "ilike", token)])
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.fr_dunning_company_id, self.company)
        self.assertEqual(Message.with_user(self.dunning_user).search([("id", "=", sent.id)]), sent)
        for user in (self.c2_user, self.c2_manager, self.other_portal):
            with self.subTest(user=user.login):
                self.assertFalse(Message.with_user(user).search([("body", "ilike", token)]))
                with self.assertRaises(AccessError):
                    sent.with_user(user).read(["body"])
                with self.assertRaises(AccessError):
                    Mail = self.env["mail.mail"].with_user(user)
                    Mail.search_read([("body_html", "ilike", token)], ["body_html"])

    # ------------------------------------------------------------------
    # The tokens over RPC
    # ------------------------------------------------------------------

    def test_tokens_cannot_be_read_searched_sorted_grouped_or_exported(self):
        """A dunning user who is not manager cannot read a token, nor guess
        one through a search, an order, a group or an export; a billing user
        cannot even list the links; a manager of another company sees none."""
        Access = self.env["fr.dunning.portal.access"]
        token = self.access.sudo().token
        # Allowed to export: the token's group must refuse it still.
        self.dunning_user.groups_id += self.env.ref("base.group_allow_export")
        as_user = Access.with_user(self.dunning_user)
        attempts = {
            "read": lambda: self.access.with_user(self.dunning_user).read(["token"]),
            "read the url": lambda: self.access.with_user(self.dunning_user).read(["url"]),
            "search_read": lambda: as_user.search_read([], ["token"]),
            "search by prefix": lambda: as_user.search([("token", "=like", token[:1] + "%")]),
            "search equal": lambda: as_user.search_count([("token", "=", token)]),
            "order": lambda: as_user.search([], order="token"),
            "group": lambda: as_user.read_group([], ["partner_id"], ["token"]),
            "aggregate": lambda: as_user.read_group([], ["token:array_agg"], ["partner_id"]),
            "count distinct": lambda: as_user.read_group([], ["token:count_distinct"], ["partner_id"]),
            "export": lambda: self.access.with_user(self.dunning_user).export_data(["token"]),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name), self.assertRaises(AccessError):
                attempt()
        with self.assertRaises(AccessError):
            Access.with_user(self.billing_user).search_read([], ["partner_id"])
        with self.assertRaises(AccessError):
            Access.with_user(self.other_portal).search_read([], ["partner_id"])
        # A manager of another company: no link of this company, by any way.
        as_c2 = Access.with_user(self.c2_manager)
        self.assertFalse(as_c2.search_read([("partner_id", "=", self.business.id)], ["token"]))
        self.assertFalse(as_c2.read_group([], ["partner_id"], ["token"]))
        self.assertFalse(as_c2.search([("token", "=", token)]))
        for attempt in (
            lambda: self.access.with_user(self.c2_manager).read(["token"]),
            lambda: self.access.with_user(self.c2_manager).export_data(["token"]),
            lambda: self.access.with_user(self.c2_manager).action_revoke(),
        ):
            with self.assertRaises(AccessError):
                attempt()
        # With the other company allowed in context only: the rule still holds.
        as_c2_forced = as_c2.with_context(allowed_company_ids=[self.company.id, self.company_2.id])
        with self.assertRaises(AccessError):
            as_c2_forced.search_read([], ["token"])

    def test_links_are_neither_made_nor_edited_nor_deleted_over_rpc(self):
        Access = self.env["fr.dunning.portal.access"]
        for user in (self.dunning_user, self.dunning_manager, self.billing_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Access.with_user(user).create(
                        {
                            "partner_id": self.business.id,
                            "company_id": self.company.id,
                            "token": "c" * 48,
                            "expiry_date": self.today,
                        }
                    )
                with self.assertRaises(AccessError):
                    self.access.with_user(user).write({"revoked": False, "form_count": 0})
                with self.assertRaises(AccessError):
                    self.access.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.access.with_user(self.dunning_manager).copy()
        # An import reports the refusal and makes nothing.
        result = Access.with_user(self.dunning_manager).load(
            ["partner_id/.id", "company_id/.id", "token", "expiry_date"],
            [[str(self.business.id), str(self.company.id), "d" * 48, self.today.isoformat()]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("not by hand", result["messages"][0]["message"])
        self.assertFalse(Access.sudo().search([("token", "=", "d" * 48)]))
        self.assertTrue(self.access.exists())
        # A revoked link is not revived by a manager's write.
        self.access.with_user(self.dunning_manager).action_revoke()
        with self.assertRaises(AccessError):
            self.access.with_user(self.dunning_manager).write({"revoked": False})
        self.assertTrue(self.access.revoked)

    # ------------------------------------------------------------------
    # Paying
    # ------------------------------------------------------------------

    def test_payment_route_counts_in_the_forms_of_the_day(self):
        """Each transaction made through the link is a form of the day: a
        script cannot make thousands of draft transactions through the
        payment route when the other forms are cut at FORMS_PER_DAY."""
        if not payment_installed(self.env):
            self.skipTest("Odoo's payment modules are not installed")
        provider = self._enable_provider()
        self.make_jsonrpc_request(self._url(suffix="/transaction"), self._pay_params(provider))
        self.access.invalidate_recordset()
        self.assertEqual(self.access.form_count, 1)
        self.access.sudo().write({"form_day": self.today, "form_count": FORMS_PER_DAY})
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(self._url(suffix="/transaction"), self._pay_params(provider))
        self.assertEqual(len(self._transactions()), 1)

    def test_payment_by_another_customers_portal_user_pays_the_link(self):
        """Logged in as a portal user of another customer, the transaction is
        still the link's customer's, for its invoices: never the user's own
        partner nor its invoices, never with a saved card."""
        if not payment_installed(self.env):
            self.skipTest("Odoo's payment modules are not installed")
        provider = self._enable_provider()
        self.authenticate(self.other_portal.login, self.other_portal.login)
        result = self.make_jsonrpc_request(
            self._url(suffix="/transaction"),
            self._pay_params(
                provider,
                partner_id=self.consumer.id,
                invoice_ids=[self.other.id],
                currency_id=self.env.ref("base.USD").id,
                amount=0.01,
                reference_prefix="FREE",
                custom_create_values={"invoice_ids": [[6, 0, [self.other.id]]]},
                is_validation=True,
            ),
        )
        tx = self.env["payment.transaction"].search([("reference", "=", result["reference"])])
        # 1 200.00 + 300.50 = 1 500.50
        self.assertRecordValues(
            tx,
            [
                {
                    "partner_id": self.business.id,
                    "amount": 1500.5,
                    "currency_id": self.company.currency_id.id,
                    "operation": "online_redirect",
                    "tokenize": False,
                    "token_id": False,
                }
            ],
        )
        self.assertEqual(tx.invoice_ids, self.late_1 | self.late_2)
        self.assertFalse(tx.reference.startswith("FREE"))

    def test_payment_route_needs_a_json_request(self):
        """The payment route answers JSON only: a form posted from another
        site (no CSRF token, no JSON) makes nothing."""
        if not payment_installed(self.env):
            self.skipTest("Odoo's payment modules are not installed")
        provider = self._enable_provider()
        response = self.url_open(
            self._url(suffix="/transaction"),
            data=json.dumps({"params": self._pay_params(provider)}),
            headers={"Content-Type": "text/plain"},
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(self._transactions())
