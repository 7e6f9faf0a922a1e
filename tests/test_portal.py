# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's page of overdue invoices, reached by the link of its
reminders without a login, attacked over HTTP as whoever holds a link: a
wrong, expired or revoked token, ids of another customer's invoices, files
that are not what they say, forms without CSRF token, too many forms.

The server is the one pytest-odoo starts with ``--odoo-http``; the machine's
clock runs (the page and the test read the same today)."""

import re
from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user

from odoo.addons.fr_dunning_addon.models.fr_dunning_portal_access import FORMS_PER_DAY

from .common import FrDunningCase

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The smallest valid PNG header is enough for the content sniffing.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


class TestPortal(FrDunningCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = date.today()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company_2 = cls.setup_other_company(name="Seconde Société SAS")["company"]
        cls.business.write({"lang": "fr_FR", "email": "compta@dupont.example"})
        cls.business.with_company(cls.company).fr_dunning_responsible_id = cls.dunning_user
        days = timedelta(days=1)
        cls.late_1 = cls._invoice(cls.business, cls.today - 70 * days, cls.today - 40 * days, 1200.0)
        cls.late_2 = cls._invoice(cls.business, cls.today - 50 * days, cls.today - 20 * days, 300.5)
        cls.not_due = cls._invoice(cls.business, cls.today - 5 * days, cls.today + 25 * days, 999.0)
        # Another customer's overdue invoice, and the same customer's in another company.
        cls.other = cls._invoice(cls.consumer, cls.today - 70 * days, cls.today - 40 * days, 777.0)
        cls.other_company = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "company_id": cls.company_2.id,
                "partner_id": cls.business.id,
                "invoice_date": cls.today - 70 * days,
                "invoice_date_due": cls.today - 40 * days,
                "invoice_line_ids": [Command.create({"name": "Autre", "quantity": 1, "price_unit": 555.0})],
            }
        )
        cls.other_company.action_post()
        Access = cls.env["fr.dunning.portal.access"]
        event = cls._event(cls.business, cls.late_1 | cls.late_2, "reminder", cls.now(), "Relance")
        cls.access = Access._fr_dunning_grant(event)
        other_event = cls._event(cls.consumer, cls.other, "reminder", cls.now(), "Relance")
        cls.other_access = Access._fr_dunning_grant(other_event)

    @classmethod
    def now(cls):
        return fields.Datetime.now()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _url(self, access=None, suffix=""):
        return f"{(access or self.access).sudo()._fr_dunning_path()}{suffix}"

    def _page(self, access=None):
        response = self.url_open(self._url(access))
        self.assertEqual(response.status_code, 200)
        return response.text.replace("\xa0", " ").replace("\u202f", " ")

    def _csrf(self, access=None):
        match = re.search(r'name="csrf_token" value="([^"]+)"', self._page(access))
        self.assertTrue(match, "the page's forms carry Odoo's CSRF token")
        return match[1]

    def _post(self, what, data, files=None, access=None, csrf=True):
        if csrf:
            data = {"csrf_token": self._csrf(access), **data}
        return self.url_open(self._url(access, f"/{what}"), data=data, files=files, allow_redirects=False)

    def _promises(self):
        return self.env["fr.dunning.promise"].search([("partner_id", "=", self.business.id)])

    def _disputes(self):
        return self.env["fr.dunning.dispute"].search([("partner_id", "=", self.business.id)])

    # ------------------------------------------------------------------
    # What a link shows
    # ------------------------------------------------------------------

    def test_page_shows_the_customer_overdue_invoices_only(self):
        page = self._page()
        self.assertIn(self.late_1.name, page)
        self.assertIn(self.late_2.name, page)
        # Not yet due, another customer's, the same customer's in another company.
        self.assertNotIn(self.not_due.name, page)
        self.assertNotIn(self.other.name, page)
        # (Its number may be the same as one of company 1: its amount, 555.00, is not there.)
        self.assertNotIn("555,00", page)
        self.assertNotIn(self.consumer.name, page)
        # In the customer's language, French typography: 1 200.00 + 300.50 = 1 500.50.
        self.assertIn(self.late_1.invoice_date_due.strftime("%d/%m/%Y"), page)
        self.assertIn("1 200,00 €", page)
        self.assertIn("300,50 €", page)
        self.assertIn("1 500,50 €", page)
        self.assertIn(self.late_1.payment_reference or self.late_1.name, page)
        self.access.invalidate_recordset()
        self.assertTrue(self.access.last_used)

    def test_refused_tokens_are_404_without_a_word(self):
        unknown = self.url_open("/dunning/" + "a" * 48)
        self.assertEqual(unknown.status_code, 404)
        for token in ("", "x", self.access.sudo().token[:-1], self.access.sudo().token + "a", "' OR 1=1 --"):
            with self.subTest(token=token):
                response = self.url_open(f"/dunning/{token}")
                self.assertIn(response.status_code, (404, 405))
                self.assertNotIn(self.business.name, response.text)
        # Expired: valid until yesterday.
        self.access.sudo().expiry_date = self.today - timedelta(days=1)
        expired = self.url_open(self._url())
        self.assertEqual(expired.status_code, 404)
        self.assertNotIn(self.business.name, expired.text)
        self.assertNotIn(self.late_1.name, expired.text)
        # Revoked by a manager; a dunning user who is not manager cannot revoke.
        self.access.sudo().expiry_date = self.today + timedelta(days=30)
        self.assertEqual(self.url_open(self._url()).status_code, 200)
        with self.assertRaises(AccessError):
            self.access.with_user(self.dunning_user).action_revoke()
        self.access.with_user(self.dunning_manager).action_revoke()
        self.assertEqual(self.url_open(self._url()).status_code, 404)
        # Its forms too (with a CSRF token of the session, from another page).
        csrf = self._csrf(self.other_access)
        response = self._post("promise", {"csrf_token": csrf, "move_ids": [self.late_1.id]}, csrf=False)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._promises())

    def test_the_next_reminder_after_a_revocation_carries_a_new_link(self):
        self.access.with_user(self.dunning_manager).action_revoke()
        event = self._event(self.business, self.late_1, "reminder", self.now(), "Relance 2")
        new = self.env["fr.dunning.portal.access"]._fr_dunning_grant(event)
        self.assertNotEqual(new, self.access)
        self.assertNotEqual(new.token, self.access.sudo().token)
        self.assertEqual(len(new.token), 48)
        self.assertEqual(new.expiry_date, self.today + timedelta(days=90))

    def test_links_are_company_records(self):
        """A manager of another company does not see the link, nor revokes it."""
        c2_manager = new_test_user(
            self.env,
            login="fr_dunning_portal_c2",
            groups="fr_dunning_addon.group_fr_dunning_manager",
            company_id=self.company_2.id,
            company_ids=[self.company_2.id],
        )
        Access = self.env["fr.dunning.portal.access"].with_user(c2_manager)
        self.assertFalse(Access.search([("partner_id", "=", self.business.id)]))
        with self.assertRaises(AccessError):
            self.access.with_user(c2_manager).action_revoke()
        with self.assertRaises(AccessError):
            self.env["fr.dunning.portal.access"].with_user(self.dunning_manager).create(
                {"partner_id": self.business.id, "company_id": self.company.id, "token": "x" * 48}
            )
        with self.assertRaises(AccessError):
            self.access.with_user(self.dunning_manager).write(
                {"expiry_date": self.today + timedelta(days=900)}
            )

    # ------------------------------------------------------------------
    # Promise
    # ------------------------------------------------------------------

    def test_promise_online(self):
        promised = self.today + timedelta(days=20)
        response = self._post(
            "promise",
            {
                "move_ids": [self.late_1.id, self.late_2.id],
                "promise_date": promised.isoformat(),
                "note": "Virement",
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(self._url(suffix="?done=promise")))
        promise = self._promises()
        # 1 200.00 + 300.50 = 1 500.50 promised, what the two invoices owe.
        self.assertRecordValues(
            promise,
            [
                {
                    "origin": "portal",
                    "state": "open",
                    "promise_date": promised,
                    "amount": 1500.5,
                    "company_id": self.company.id,
                    "user_id": self.dunning_user.id,
                    "note": "Virement",
                }
            ],
        )
        self.assertEqual(promise.move_ids, self.late_1 | self.late_2)
        self.assertEqual(set((self.late_1 | self.late_2).mapped("fr_dunning_blocked")), {"promise"})
        event = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("event_type", "=", "promise")]
        )
        self.assertRecordValues(
            event, [{"channel": "portal", "outcome": "promise", "amount_residual": 1500.5}]
        )
        self.assertIn("online", event.name)
        # The customer's responsible gets a to-do, never OdooBot.
        activity = promise.activity_ids
        self.assertEqual(activity.user_id, self.dunning_user)
        self.assertEqual(activity.date_deadline, self.today)
        # Chasing paused: the page shows the invoices as promised, without a box to tick.
        page = self._page()
        self.assertNotIn(f'value="{self.late_1.id}"', page)

    def test_promise_past_the_policy_limit_is_refused(self):
        policy = self.env["fr.dunning.policy"].search(
            [("company_id", "=", self.company.id), ("assignment", "=", "default")]
        )
        policy.promise_max_days = 10
        response = self._post(
            "promise",
            {"move_ids": [self.late_1.id], "promise_date": (self.today + timedelta(days=11)).isoformat()},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("alert-danger", response.text)
        self.assertFalse(self._promises())
        self.assertFalse(self.late_1.fr_dunning_blocked)
        # The limit itself is accepted.
        response = self._post(
            "promise",
            {"move_ids": [self.late_1.id], "promise_date": (self.today + timedelta(days=10)).isoformat()},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._promises().promise_date, self.today + timedelta(days=10))

    def test_promise_in_the_past_or_without_date_is_refused(self):
        for value in ((self.today - timedelta(days=1)).isoformat(), "", "31/12/2026", "not a date"):
            with self.subTest(value=value):
                response = self._post("promise", {"move_ids": [self.late_1.id], "promise_date": value})
                self.assertEqual(response.status_code, 400)
        self.assertFalse(self._promises())

    # ------------------------------------------------------------------
    # Another customer's invoices, by changing ids
    # ------------------------------------------------------------------

    def test_changed_ids_are_refused(self):
        promised = (self.today + timedelta(days=5)).isoformat()
        for move_ids in (
            [self.other.id],
            [self.other_company.id],
            [self.not_due.id],
            [self.late_1.id, self.other.id],
            [],
            ["1 OR 1=1"],
        ):
            with self.subTest(move_ids=move_ids):
                promise = self._post("promise", {"move_ids": move_ids, "promise_date": promised})
                self.assertEqual(promise.status_code, 400)
                contest = self._post(
                    "contest", {"move_ids": move_ids, "reason": "price", "message": "Trop cher"}
                )
                self.assertEqual(contest.status_code, 400)
        self.assertFalse(self.env["fr.dunning.promise"].search([]).filtered(lambda p: p.origin == "portal"))
        self.assertFalse(self.env["fr.dunning.dispute"].search([]).filtered(lambda d: d.origin == "portal"))
        self.assertFalse(any((self.other | self.other_company | self.late_1).mapped("fr_dunning_blocked")))

    def test_another_customers_link_cannot_reach_these_invoices(self):
        response = self._post(
            "promise",
            {"move_ids": [self.late_1.id], "promise_date": (self.today + timedelta(days=5)).isoformat()},
            access=self.other_access,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._promises())
        page = self._page(self.other_access)
        self.assertIn(self.other.name, page)
        self.assertNotIn(self.late_1.name, page)

    # ------------------------------------------------------------------
    # Contest
    # ------------------------------------------------------------------

    def test_contest_online_with_documents(self):
        response = self._post(
            "contest",
            {"move_ids": [self.late_2.id], "reason": "quantity", "message": "Livré 8 au lieu de 10"},
            files=[
                ("attachments", ("../../etc/bon de livraison<script>.pdf", PDF, "application/pdf")),
                ("attachments", ("photo.png", PNG, "image/png")),
            ],
        )
        self.assertEqual(response.status_code, 303)
        dispute = self._disputes()
        self.assertRecordValues(
            dispute,
            [
                {
                    "origin": "portal",
                    "state": "open",
                    "category": "quantity",
                    "note": "Livré 8 au lieu de 10",
                    "user_id": self.dunning_user.id,
                    "review_date": self.today,
                }
            ],
        )
        self.assertEqual(dispute.move_ids, self.late_2)
        self.assertEqual(self.late_2.fr_dunning_blocked, "dispute")
        self.assertFalse(self.late_1.fr_dunning_blocked)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "fr.dunning.dispute"), ("res_id", "=", dispute.id)], order="id"
        )
        self.assertEqual(attachments.mapped("name"), ["bon de livraison_script.pdf", "photo.png"])
        self.assertEqual(attachments.mapped("mimetype"), ["application/pdf", "image/png"])
        self.assertEqual(attachments[0].raw, PDF)
        event = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("event_type", "=", "dispute")]
        )
        self.assertRecordValues(
            event, [{"channel": "portal", "outcome": "dispute", "amount_residual": 300.5}]
        )
        self.assertEqual(dispute.activity_ids.user_id, self.dunning_user)

    def test_uploads_are_checked_by_content_size_and_count(self):
        cases = {
            "html named pdf": [("attachments", ("facture.pdf", HTML, "application/pdf"))],
            "svg": [
                ("attachments", ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"))
            ],
            "six files": [("attachments", (f"p{i}.pdf", PDF, "application/pdf")) for i in range(6)],
        }
        for case, files in cases.items():
            with self.subTest(case=case):
                response = self._post(
                    "contest",
                    {"move_ids": [self.late_1.id], "reason": "quality", "message": "Abîmé"},
                    files=files,
                )
                self.assertEqual(response.status_code, 400)
        self.assertFalse(self._disputes())
        self.assertFalse(self.env["ir.attachment"].search([("res_model", "=", "fr.dunning.dispute")]))

    def test_uploads_over_10_mb_are_refused(self):
        """10 MB each: 10 x 1024 x 1024 = 10 485 760 bytes pass, one more is refused."""
        Access = self.access.sudo()
        vals = Access._fr_dunning_upload_values([("ok.pdf", PDF.ljust(10 * 1024 * 1024, b"0"))])
        self.assertEqual(len(vals[0]["raw"]), 10_485_760)
        with self.assertRaises(UserError):
            Access._fr_dunning_upload_values([("gros.pdf", PDF.ljust(10 * 1024 * 1024 + 1, b"0"))])
        # Over HTTP, the upload is refused (by the page, or earlier by the server's own limit).
        response = self._post(
            "contest",
            {"move_ids": [self.late_1.id], "reason": "quality", "message": "Abîmé"},
            files=[("attachments", ("gros.pdf", PDF.ljust(10 * 1024 * 1024 + 1, b"0"), "application/pdf"))],
        )
        self.assertGreaterEqual(response.status_code, 400)
        self.assertFalse(self._disputes())

    def test_contest_needs_a_listed_reason_and_a_message(self):
        for data in (
            {"reason": "billing_error", "message": "x"},
            {"reason": "nope", "message": "x"},
            {"reason": "price"},
        ):
            with self.subTest(data=data):
                response = self._post("contest", {"move_ids": [self.late_1.id], **data})
                self.assertEqual(response.status_code, 400)
        self.assertFalse(self._disputes())

    # ------------------------------------------------------------------
    # CSRF and the rate of forms
    # ------------------------------------------------------------------

    def test_forms_without_csrf_token_are_refused(self):
        promised = (self.today + timedelta(days=5)).isoformat()
        response = self._post("promise", {"move_ids": [self.late_1.id], "promise_date": promised}, csrf=False)
        self.assertEqual(response.status_code, 400)
        response = self._post(
            "promise",
            {"move_ids": [self.late_1.id], "promise_date": promised, "csrf_token": "forged"},
            csrf=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._promises())

    def test_forms_per_day_are_limited(self):
        self.access.sudo().write({"form_day": self.today, "form_count": FORMS_PER_DAY})
        response = self._post(
            "promise",
            {"move_ids": [self.late_1.id], "promise_date": (self.today + timedelta(days=5)).isoformat()},
        )
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self._promises())
        # The next day counts again.
        self.access.sudo().write({"form_day": self.today - timedelta(days=1)})
        response = self._post(
            "promise",
            {"move_ids": [self.late_1.id], "promise_date": (self.today + timedelta(days=5)).isoformat()},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.access.form_count, 1)
