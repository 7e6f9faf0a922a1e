# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The three letter tiers, their stored copies, batch printing and the emails.

Letters are checked on the PDF itself, through ``pdftotext``.
"""

import io
import re
import subprocess
from datetime import date, datetime

from freezegun import freeze_time
from markupsafe import Markup

from odoo.exceptions import UserError
from odoo.tools.pdf import PdfFileReader

from .common import TODAY, FrDunningCase


def pdf_text(pdf, layout=False):
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    text = subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()
    # One space for any run of blanks: amounts and sentences wrap freely.
    text = text.replace("\u202f", " ").replace("\xa0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", text)


@freeze_time(TODAY)
class TestLetters(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 2026 S2 is not in the shipped table yet: a test semester, with the
        # 2026 S1 figures (ECB 2.15 %, so 12.15 % between businesses).
        cls.env["fr.dunning.legal.rate"].create(
            {
                "date_start": date(2026, 7, 1),
                "ecb_rate": 2.15,
                "legal_rate_individual": 6.67,
                "legal_rate_other": 2.62,
            }
        )
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        cls.company.write({"city": "Paris", "street": "12 rue des Artisans", "zip": "75011"})
        cls.business.write(
            {
                "email": "compta@dupont.example",
                "street": "3 rue du Bois",
                "zip": "69002",
                "city": "Lyon",
                "lang": "fr_FR",
            }
        )
        cls.consumer.write(
            {"email": "jeanne@example.com", "street": "8 allée des Tilleuls", "zip": "59000", "city": "Lille"}
        )
        policy = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        cls.levels = {lvl.tier: lvl for lvl in policy.level_ids}
        cls.Escalation = cls.env["fr.dunning.escalation"]

    def _send(self, partner, tier, today=date(2026, 11, 23)):
        """Send ``partner`` the level of ``tier`` now; returns its events."""
        self.Escalation._run(
            self.company, today=today, automatic=False, partners=partner, level=self.levels[tier]
        )
        return self.env["fr.dunning.event"].search(
            [("partner_id", "=", partner.id), ("level_id.tier", "=", tier)]
        )

    def _letter(self, events):
        letter = events.filtered(lambda e: e.channel in ("letter", "registered_letter"))
        self.assertEqual(len(letter), 1)
        self.assertTrue(letter.letter_id, "the letter is stored when it is sent")
        return letter, pdf_text(letter.letter_id.raw)

    def test_tier_1_business_french(self):
        # 1 000.00 EUR due on 23/09/2026: 61 days late on 23/11/2026, at 12.15 %:
        # 1000 x 12.15 % x 61 / 365 = 20.3055 -> 20.31 EUR, plus 40 EUR.
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter, text = self._letter(self._send(self.business, "formal"))
        self.assertEqual(letter.letter_tier, "1")
        self.assertIn("Paris, le 23 novembre 2026", text)
        self.assertIn("Objet : relance", text)
        self.assertIn("Menuiserie Dupont SARL", text)
        self.assertIn("61", text)
        self.assertIn("1 000,00 €", text)
        self.assertIn("20,31 €", text)
        self.assertIn("40,00 €", text)
        self.assertIn("1 060,31 €", text)
        # The level gives 8 days.
        self.assertIn("1er décembre 2026", text)
        self.assertIn("L441-10", text)
        self.assertNotIn("Mise en demeure", text)
        self.assertNotIn("Dear", text, "the whole letter is in French")

    def test_window_envelope_position(self):
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter, _text = self._letter(self._send(self.business, "formal"))
        boxes = subprocess.run(
            ["pdftotext", "-bbox", "-", "-"], input=letter.letter_id.raw, capture_output=True, check=True
        ).stdout.decode()
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>Menuiserie<', boxes)
        x_mm, y_mm = (float(value) / 72 * 25.4 for value in match.groups())
        # DL/C5 window: the address starts 110 mm from the left, 50 mm from the top.
        self.assertAlmostEqual(x_mm, 110, delta=3)
        self.assertAlmostEqual(y_mm, 50, delta=3)

    def test_tier_2_business_english(self):
        self.business.lang = "en_US"
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        self._invoice(self.business, "2026-09-01", "2026-10-01", 500.0)
        letter, text = self._letter(self._send(self.business, "formal_notice"))
        self.assertEqual((letter.channel, letter.letter_tier), ("registered_letter", "2"))
        self.assertIn("mise en demeure", text.lower())
        self.assertIn("REGISTERED LETTER WITH ACKNOWLEDGEMENT OF RECEIPT", text.upper())
        self.assertIn("article 1344 of the Code civil", text)
        self.assertIn("L441-10", text)
        self.assertIn("D441-5", text)
        # 1000 x 12.15 % x 61/365 = 20.31; 500 x 12.15 % x 53/365 (02/10 to 23/11) = 8.82
        interest = round(1000 * 0.1215 * 61 / 365, 2) + round(500 * 0.1215 * 53 / 365, 2)
        self.assertAlmostEqual(interest, 29.13, places=2)
        self.assertIn("29.13", text)
        self.assertIn("2 x 40 EUR", text)
        self.assertIn("80.00", text)
        self.assertIn("1,609.13", text)
        # 15 days to pay.
        self.assertIn("December 8, 2026", text)
        self.assertIn("order for payment (injonction de payer)", text)
        self.assertNotIn("Madame", text, "the whole letter is in English")
        # The registered-mail number, once entered, is printed on a new rendering.
        letter.registered_number = "1A 234 567 8901 2"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("fr_dunning_addon.action_report_dunning_letter", letter.ids)[0]
            .decode()
        )
        self.assertIn("1A 234 567 8901 2", html)

    def test_penalties_billed_claimed_once(self):
        self.business.lang = "en_US"
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        # Billed on 31/10: 1 000 x 12.15 % x 38/365 (24/09 to 31/10) = 12.65, and the 40 EUR.
        penalty = invoice._fr_dunning_create_penalty_invoices(at_date=date(2026, 10, 31))
        penalty.action_post()
        billed_interest = round(1000 * 0.1215 * 38 / 365, 2)
        self.assertEqual(penalty.amount_total, billed_interest + 40)
        # Not billed yet: 01/11 to 23/11, 1 000 x 12.15 % x 23/365 = 7.66.
        unbilled = round(1000 * 0.1215 * 23 / 365, 2)
        letter, text = self._letter(self._send(self.business, "formal_notice"))
        values = letter._fr_dunning_letter_values()[letter.id]
        # The penalty invoice is unpaid: claimed with the rest, once.
        self.assertAlmostEqual(values["interest"], billed_interest + unbilled, places=2)
        self.assertEqual(values["indemnity"], 40.0)
        self.assertIn("1,060.31", text)  # 1 000.00 + 12.65 + 7.66 + 40.00
        # Once the penalty invoice is paid, only what was never billed is claimed.
        self._pay(penalty, penalty.amount_total, "2026-11-20")
        values = letter._fr_dunning_letter_values()[letter.id]
        self.assertAlmostEqual(values["interest"], unbilled, places=2)
        self.assertEqual(values["indemnity"], 0.0)

    def test_never_signed_by_odoobot(self):
        # A run started as the superuser (a script, a server action) records its
        # events under OdooBot: the letter names the customer's responsible.
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        self.business.with_company(self.company).fr_dunning_responsible_id = self.dunning_user
        letter, _text = self._letter(self._send(self.business, "formal_notice"))
        letter.sudo().user_id = self.env.ref("base.user_root")
        values = letter._fr_dunning_letter_values()[letter.id]
        self.assertEqual(values["responsible"], self.dunning_user)

    def test_tier_2_consumer_french(self):
        self.consumer.lang = "fr_FR"
        self._invoice(self.consumer, "2026-08-24", "2026-09-23", 300.0)
        letter, text = self._letter(self._send(self.consumer, "formal_notice"))
        self.assertIn("Mise en demeure", text)
        self.assertIn("lettre recommandée avec accusé de réception", text.lower())
        self.assertIn("1344-1", text)
        # A consumer owes no recovery indemnity, and interest only from the notice
        # (the references and the link, whose port and token may hold a "40", aside).
        self.assertNotIn("40", re.sub(r"REL-\d+|https?://\S+", "", text))
        self.assertNotIn("D441-5", text)
        self.assertNotIn("indemnit", text)
        self.assertIn("300,00 €", text)
        self.assertIn("8 décembre 2026", text)
        # The formal notice date is recorded on the invoice: interest runs from it.
        self.assertEqual(letter.move_ids.fr_dunning_formal_notice_date, date(2026, 11, 23))

    def test_tier_3_business_and_consumer(self):
        self.consumer.lang = "fr_FR"
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        self._invoice(self.consumer, "2026-08-24", "2026-09-23", 300.0)
        _letter, business_text = self._letter(self._send(self.business, "pre_litigation"))
        _letter, consumer_text = self._letter(self._send(self.consumer, "pre_litigation"))
        for text in (business_text, consumer_text):
            self.assertIn("Dernier avis avant poursuites", text)
            self.assertIn("1er décembre 2026", text)
            self.assertIn("injonction de payer", text)
        self.assertIn("tribunal de commerce", business_text)
        self.assertIn("1 060,31 €", business_text)
        self.assertIn("tribunal judiciaire", consumer_text)
        self.assertNotIn("indemnit", consumer_text)

    def test_public_buyer_formal_notice_and_final_notice(self):
        """A public buyer is reminded that moratory interest and the 40 EUR are
        owed by law (Code de la commande publique), is not threatened with an
        order for payment, and the final notice announces a référé-provision
        before the administrative court (CJA R541-1)."""
        town = self.env["res.partner"].create(
            {
                "name": "Commune de Saint-Amand",
                "is_company": True,
                "lang": "en_US",
                "fr_dunning_public_buyer": "state",
                "street": "Place de la Mairie",
                "zip": "59230",
                "city": "Saint-Amand-les-Eaux",
            }
        )
        self._invoice(town, "2026-08-24", "2026-09-23", 1000.0)
        _letter, notice = self._letter(self._send(town, "formal_notice"))
        self.assertIn("R2192-31", notice)
        self.assertIn("8 points", notice)
        self.assertIn("R541-1", notice)
        self.assertNotIn("order for payment", notice)
        self.assertNotIn("L441-10", notice)
        _letter, final = self._letter(self._send(town, "pre_litigation"))
        self.assertIn("tribunal administratif", final)
        self.assertNotIn("order for payment", final)
        self.assertNotIn("tribunal de commerce", final)

    def test_letter_text_override(self):
        level = self.levels["formal"]
        level.with_context(lang="fr_FR").letter_text = "<p>Texte propre à notre entreprise.</p>"
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        _letter, text = self._letter(self._send(self.business, "formal"))
        self.assertIn("Texte propre à notre entreprise.", text)
        self.assertNotIn("oubli", text)
        self.assertIn("1 060,31 €", text, "the table and the amounts stay")

    def test_stored_copy_survives_payment(self):
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter, _text = self._letter(self._send(self.business, "formal"))
        sent = letter.letter_id.raw
        self._pay(invoice, 400.0, "2026-11-23")
        # (Odoo renders reports as HTML in tests unless told otherwise.)
        printed, _format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("fr_dunning_addon.action_report_dunning_letter", letter.ids)
        )
        self.assertEqual(printed, sent, "printing a sent letter gives back the copy sent")
        self.assertIn("1 000,00 €", pdf_text(printed))
        self.assertEqual(letter.attachment_ids, letter.letter_id)

    def test_batch_print_merged(self):
        customers = self.business | self.consumer
        for index in range(3):
            customers |= self.env["res.partner"].create(
                {
                    "name": f"Client {index}",
                    "is_company": True,
                    "lang": "fr_FR",
                    "street": f"{index + 1} quai de la Fosse",
                    "zip": "44000",
                    "city": "Nantes",
                }
            )
        for partner in customers:
            self._invoice(partner, "2026-08-24", "2026-09-23", 1000.0)
        self.Escalation._run(
            self.company,
            today=date(2026, 11, 23),
            automatic=False,
            partners=customers,
            level=self.levels["formal_notice"],
        )
        letters = self.env["fr.dunning.event"].search(
            [("partner_id", "in", customers.ids), ("channel", "=", "registered_letter")], order="id desc"
        )
        self.assertEqual(len(letters), 5)
        self.assertEqual(len(letters.letter_id), 5, "five letters rendered in one batch, each stored")
        for letter in letters:
            # Cut apart at the right page, and the marker's link removed.
            reader = PdfFileReader(io.BytesIO(letter.letter_id.raw))
            text = pdf_text(letter.letter_id.raw)
            self.assertIn(letter.partner_id.name, text)
            for other in letters - letter:
                self.assertNotIn(other.partner_id.name, text)
            links = [
                annotation.get_object().get("/A", {}).get("/URI")
                for page in reader.pages
                for annotation in page.get("/Annots") or []
            ]
            self.assertFalse([uri for uri in links if str(uri).startswith("fr-dunning-letter:")])
        pages = PdfFileReader(io.BytesIO(self._print(letters))).pages
        self.assertEqual(
            len(pages), sum(len(PdfFileReader(io.BytesIO(e.letter_id.raw)).pages) for e in letters)
        )
        # In the order of the list.
        first_page = re.sub(r"\s+", " ", pages[0].extract_text())
        self.assertIn(letters[0].partner_id.name, first_page)
        self.assertRecordValues(
            letters, [{"printed_by_id": self.dunning_user.id, "printed_date": datetime(2026, 11, 23)}] * 5
        )
        with self.assertRaises(UserError):
            self.env["fr.dunning.event"].browse().action_fr_dunning_print_letters()

    def _print(self, events, user=None):
        """Actions > Print the letters on ``events``, as ``user`` (the dunning
        user): the PDF the web client downloads."""
        user = user or self.dunning_user
        action = events.with_user(user).action_fr_dunning_print_letters()
        # A report action: the web client downloads it, then reloads the list
        # it was started from, which shows the letters printed.
        self.assertEqual(
            (action["type"], action["report_name"], action["report_type"]),
            ("ir.actions.report", "fr_dunning_addon.report_dunning_letter", "qweb-pdf"),
        )
        # What /report/pdf gives the user: the stored letters, merged in that order.
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(action["report_name"], action["context"]["active_ids"])
        )
        return pdf

    def _letter_event(self, partner, tier="1", **vals):
        """A letter recorded as the escalation records one, its PDF not made yet."""
        moves = self.env["account.move"].search(
            [("partner_id", "=", partner.id), ("move_type", "=", "out_invoice")]
        )
        return (
            self.env["fr.dunning.event"]
            .sudo()
            .create(
                {
                    "name": "Relance formelle",
                    "partner_id": partner.id,
                    "move_ids": [(6, 0, moves.ids)],
                    "level_id": self.levels["formal"].id,
                    "event_type": "reminder",
                    "channel": "letter",
                    "letter_tier": tier,
                    "currency_id": self.company.currency_id.id,
                    "deadline_date": date(2026, 12, 1),
                    **vals,
                }
            )
            .sudo(False)
        )

    def test_letter_report_not_in_the_print_menu(self):
        """One way to print letters, the one that records it: no "Dunning
        letter" under Print, "Print the letters" under Actions."""
        report = self.env.ref("fr_dunning_addon.action_report_dunning_letter")
        self.assertFalse(report.binding_model_id)
        bindings = (
            self.env["ir.actions.actions"].with_user(self.dunning_user).get_bindings("fr.dunning.event")
        )
        self.assertNotIn(report.id, [action["id"] for action in bindings.get("report", [])])
        self.assertIn(
            self.env.ref("fr_dunning_addon.action_server_fr_dunning_print_letters").id,
            [action["id"] for action in bindings["action"]],
        )

    def test_letter_without_pdf_rendered_when_printed(self):
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        event = self._letter_event(self.business)
        self.assertFalse(event.letter_id)
        text = pdf_text(self._print(event))
        self.assertTrue(event.letter_id, "rendered, and stored as the letter sent")
        self.assertEqual(pdf_text(event.letter_id.raw), text)
        self.assertIn("Menuiserie Dupont SARL", text)
        self.assertIn("1 060,31 €", text)
        self.assertRecordValues(
            event, [{"printed_by_id": self.dunning_user.id, "printed_date": datetime(2026, 11, 23)}]
        )
        # Printed again: the same copy, and the first printing is kept.
        with freeze_time("2026-11-24"):
            self.assertEqual(pdf_text(self._print(event, self.dunning_manager)), text)
        self.assertRecordValues(event, [{"printed_by_id": self.dunning_user.id}])

    def test_letter_line_without_letter_says_why(self):
        """A letter line recorded without any letter (an import, history from
        before the addon) has nothing to print: printing it says so, rather
        than leaving it in Letters to print for ever."""
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        self._invoice(self.consumer, "2026-08-24", "2026-09-23", 300.0)
        blank = self._letter_event(self.business, tier=False, date=datetime(2026, 10, 5, 8))
        letter = self._letter_event(self.consumer)
        with self.assertRaisesRegex(
            UserError, r"No letter was recorded with Menuiserie Dupont SARL \(10/05/2026\)"
        ):
            (blank | letter).with_user(self.dunning_user).action_fr_dunning_print_letters()
        self.assertFalse((blank | letter).filtered("printed_date"))
        # Emails selected with the letters in the history are not printed as letters.
        email = self._letter_event(self.consumer, channel="email")
        self._print(letter | email)
        self.assertTrue(letter.printed_date)
        self.assertFalse(email.letter_id or email.printed_date)

    def test_one_run_letters_and_emails_together(self):
        """Letters render in the background while the emails without a letter
        are written: each email still carries its own letter, a customer
        without email gets the letter alone, and every invoice moves up."""
        no_email = self.env["res.partner"].create(
            {
                "name": "Menuiserie Sans Courriel",
                "is_company": True,
                "lang": "fr_FR",
                "street": "5 rue Colbert",
                "zip": "37000",
                "city": "Tours",
            }
        )
        customers = self.business | self.consumer | no_email
        invoices = self.env["account.move"]
        for partner in customers:
            invoices |= self._invoice(partner, "2026-08-24", "2026-09-23", 1000.0)
        level = self.levels["formal"]
        self.Escalation._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=customers, level=level
        )
        events = self.env["fr.dunning.event"].search([("partner_id", "in", customers.ids)])
        letters = events.filtered(lambda e: e.channel == "letter")
        self.assertEqual(letters.partner_id, customers)
        for letter in letters:
            self.assertIn(letter.partner_id.name, pdf_text(letter.letter_id.raw))
            mail = self.env["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "=", letter.partner_id.id)]
            )
            if letter.partner_id == no_email:
                self.assertFalse(mail)
            else:
                self.assertEqual(len(mail), 1)
                self.assertEqual(mail.attachment_ids & letters.letter_id, letter.letter_id)
        self.assertEqual(set(invoices.mapped("fr_dunning_level_id")), {level})
        for invoice in invoices:
            # The invoice's dunning history is its events, not a note in its chatter.
            self.assertEqual(
                set(invoice.fr_dunning_event_ids.mapped("channel")) & {"email", "letter"},
                {"letter"} if invoice.commercial_partner_id == no_email else {"email", "letter"},
            )

    def test_chatter_copy_of_the_email_sanitized_as_the_orm_does(self):
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        email = self._send(self.business, "courteous").filtered(lambda e: e.channel == "email")
        mail = self.env["mail.mail"].search([("mail_message_id", "=", email.message_id.id)])
        reference = self.env["mail.message"].create(
            {"model": "res.partner", "res_id": self.business.id, "body": mail.body_html}
        )
        self.assertNotEqual(mail.body_html, reference.body, "the sanitizer changes the email's HTML")
        self.assertEqual(email.message_id.body, reference.body)
        self.assertIn(invoice.name, email.message_id.body)
        self.assertIn(email.message_id, self.business.message_ids)
        # No note on the invoice: its history tab lists the event.
        self.assertEqual(invoice.fr_dunning_event_ids, email)

    def test_inline_image_in_a_template_becomes_an_attachment(self):
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        level = self.levels["courteous"]
        # The customer reads French: the French text of the template.
        template = self.env.ref("fr_dunning_addon.mail_template_courteous").copy().with_context(lang="fr_FR")
        pixel = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )
        template.body_html = Markup('<p>Logo <img src="data:image/png;base64,%s"></p>') % pixel + Markup(
            template.body_html
        )
        level.mail_template_id = template
        email = self._send(self.business, "courteous").filtered(lambda e: e.channel == "email")
        self.assertIn("/web/image/", email.message_id.body)
        self.assertNotIn("base64", email.message_id.body)
        self.assertTrue(email.message_id.attachment_ids.filtered(lambda a: a.mimetype == "image/png"))

    def test_emails_per_level(self):
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        expected = {
            # French typography: "1er" for the first of a month, a no-break
            # space between the day and its month.
            "courteous": ("Rappel de paiement", "1er\xa0décembre 2026"),
            "firm": ("Deuxième relance", "1er\xa0décembre 2026"),
            "formal": ("Relance formelle", "1er\xa0décembre 2026"),
            "formal_notice": ("Mise en demeure", "8\xa0décembre 2026"),
            "pre_litigation": ("Dernier avis avant poursuites", "1er\xa0décembre 2026"),
        }
        for tier, (subject, deadline) in expected.items():
            events = self._send(self.business, tier)
            email = events.filtered(lambda e: e.channel == "email")
            mail = self.env["mail.mail"].search([("mail_message_id", "=", email.message_id.id)])
            self.assertEqual(len(mail), 1, tier)
            self.assertIn(subject, mail.subject)
            self.assertIn(invoice.name, mail.subject)
            self.assertIn(deadline, mail.subject)
            body = mail.body_html.replace("\xa0", " ")
            self.assertIn("Madame, Monsieur", body)
            self.assertIn(invoice.name, body)
            self.assertIn("1 000,00 €", body)
            # The invoice's portal page, where the customer sees it (and pays it online
            # when a payment provider is enabled).
            self.assertIn(f"/my/invoices/{invoice.id}?access_token={invoice.access_token}", body)
            # And the customer's one link to its overdue invoices (pay, promise, contest).
            access = self.env["fr.dunning.portal.access"].search([("partner_id", "=", self.business.id)])
            self.assertEqual(len(access), 1, "one link per customer and company, refreshed by each reminder")
            self.assertIn(f'href="{access.url}"', body)
            self.assertEqual(mail.recipient_ids, self.business)
            letter = events.filtered(lambda e: e.channel in ("letter", "registered_letter"))
            self.assertEqual(mail.attachment_ids, letter.letter_id, f"{tier}: the letter goes with the email")

    def test_letter_carries_the_customer_link(self):
        """The letter's payment block gives the customer's link (no login),
        not the portal's /my/invoices; a later reminder carries the same link,
        valid 90 days from it."""
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        _letter, text = self._letter(self._send(self.business, "formal"))
        access = self.env["fr.dunning.portal.access"].search([("partner_id", "=", self.business.id)])
        self.assertRecordValues(access, [{"company_id": self.company.id, "expiry_date": date(2027, 2, 21)}])
        # 23/11/2026 + 90 days = 21/02/2027 (7 + 31 + 31 + 21).
        self.assertIn(access.url.replace("https://", "").replace("http://", ""), text.replace(" ", ""))
        self.assertNotIn("/my/invoices", text)
        with freeze_time("2026-12-10"):
            self._send(self.business, "formal_notice", today=date(2026, 12, 10))
        self.assertEqual(
            self.env["fr.dunning.portal.access"].search([("partner_id", "=", self.business.id)]), access
        )
        # 10/12/2026 + 90 days = 10/03/2027 (21 + 31 + 28 + 10).
        self.assertEqual(access.expiry_date, date(2027, 3, 10))

    def test_preventive_email_english(self):
        self.consumer.lang = "en_US"
        invoice = self._invoice(self.consumer, "2026-10-26", "2026-11-25", 250.0)
        self.Escalation._run(self.company, today=date(2026, 11, 23), partners=self.consumer)
        mail = self.env["mail.mail"].search(
            [("res_id", "=", self.consumer.id), ("model", "=", "res.partner")]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(invoice.name, mail.subject)
        self.assertIn("due on November 25, 2026", mail.subject)
        self.assertIn("Dear Sir or Madam", mail.body_html)
        self.assertNotIn("40 EUR", mail.body_html)
        # Ahead of the due date, the whole invoice is what will be owed.
        self.assertIn("The amount due is <strong>250.00€</strong>", mail.body_html.replace("\xa0", ""))
        self.assertNotIn(">0.00€", mail.body_html.replace("\xa0", ""))

    def test_template_renders_alone(self):
        # Previewing a template from its form renders without the escalation's values.
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        events = self._send(self.business, "formal")
        template = self.env.ref("fr_dunning_addon.mail_template_formal")
        body = template._render_field("body_html", events[:1].ids, compute_lang=True)[events[0].id]
        self.assertIn("Total dû", body)
        self.assertIn("1 060,31 €", body.replace("\xa0", " "))

    def test_emails_as_odoo_renders_them(self):
        # The escalation renders a template's emails in one loop per language,
        # with its own date and amount formats: subjects and bodies are those
        # Odoo's own rendering gives, in French and in English, with a credit
        # note's negative amount among them.
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1234567.89)
        self._invoice(self.business, "2026-10-01", "2026-10-31", 0.5)
        self._refund(self.business, "2026-10-05", 150.25)
        self._invoice(self.consumer, "2026-08-24", "2026-09-23", 300.0)
        self.consumer.lang = "en_US"
        for tier in ("courteous", "formal"):
            for partner in self.business | self.consumer:
                events = self._send(partner, tier).filtered(lambda e: e.channel == "email")
                template = self.env.ref(f"fr_dunning_addon.mail_template_{tier}")
                mail = events.message_id.mail_ids
                with self.subTest(tier=tier, lang=partner.lang):
                    self.assertEqual(len(mail), 1)
                    subject = template._render_field("subject", events.ids, compute_lang=True)[events.id]
                    body = template._render_field("body_html", events.ids, compute_lang=True)[events.id]
                    self.assertEqual(mail.subject, subject)
                    self.assertEqual(str(mail.body_html), str(body))
                    self.assertIn(
                        "1\xa0234\xa0567,89\xa0€" if partner == self.business else "300.00\xa0€", body
                    )

    def test_every_tier_for_both_customers_in_both_languages(self):
        # The three letters, for a business and a consumer, in French and in
        # English: the whole letter in one language, the deadline as a date,
        # and no recovery indemnity for the consumer.
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        self._invoice(self.consumer, "2026-08-24", "2026-09-23", 300.0)
        markers = {
            "fr_FR": ("Madame, Monsieur,", "Dear Sir or Madam", "décembre 2026"),
            "en_US": ("Dear Sir or Madam,", "Madame, Monsieur", "December"),
        }
        subjects = {
            ("1", "fr_FR"): "Objet : relance",
            ("2", "fr_FR"): "Objet : Mise en demeure de payer",
            ("3", "fr_FR"): "Objet : Dernier avis avant poursuites",
            ("1", "en_US"): "Subject: payment reminder",
            ("2", "en_US"): "Subject: formal notice to pay (mise en demeure)",
            ("3", "en_US"): "Subject: final notice before legal proceedings",
        }
        Event = self.env["fr.dunning.event"].sudo()  # as the escalation records them
        for lang, (greeting, other_greeting, month) in markers.items():
            for partner in self.business | self.consumer:
                partner.lang = lang
                for tier, level in (("1", "formal"), ("2", "formal_notice"), ("3", "pre_litigation")):
                    with self.subTest(lang=lang, customer=partner.name, tier=tier):
                        moves = self.env["account.move"].search(
                            [("partner_id", "=", partner.id), ("move_type", "=", "out_invoice")]
                        )
                        event = Event.create(
                            {
                                "name": "Test",
                                "partner_id": partner.id,
                                "move_ids": [(6, 0, moves.ids)],
                                "level_id": self.levels[level].id,
                                "channel": "letter",
                                "letter_tier": tier,
                                "currency_id": self.company.currency_id.id,
                                "deadline_date": date(2026, 12, 8),
                            }
                        )
                        event._fr_dunning_render_letters()
                        text = pdf_text(event.letter_id.raw)
                        self.assertIn(subjects[tier, lang], text)
                        self.assertIn(greeting, text)
                        self.assertNotIn(other_greeting, text)
                        self.assertIn(month, text)
                        if partner == self.consumer:
                            self.assertNotIn("40", re.sub(r"REL-\d+|https?://\S+", "", text))
                        else:
                            self.assertIn("40", text)

    def test_credit_note_deducted(self):
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.business.id,
                "invoice_date": date(2026, 10, 5),
                "invoice_line_ids": [
                    (0, 0, {"name": "Geste commercial", "quantity": 1, "price_unit": 150.0, "tax_ids": []})
                ],
            }
        )
        refund.action_post()
        letter, text = self._letter(self._send(self.business, "formal"))
        self.assertIn(refund, letter.move_ids)
        self.assertIn(f"Avoir {refund.name}", text)
        self.assertIn("-150,00 €", text)
        # 1 000.00 - 150.00 left to pay, plus 20.31 interest and 40 indemnity.
        self.assertIn("850,00 €", text)
        self.assertIn("910,31 €", text)

    def test_preventive_letter_for_a_customer_without_email(self):
        self.business.email = False
        invoice = self._invoice(self.business, "2026-10-26", "2026-11-25", 250.0)
        self.Escalation._run(self.company, today=date(2026, 11, 23), partners=self.business)
        letter = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("channel", "=", "letter")]
        )
        text = pdf_text(letter.letter_id.raw)
        self.assertIn(invoice.name, text)
        self.assertIn("arrivent bientôt à échéance", text)
        self.assertNotIn("oubli", text)
        self.assertIn("25 novembre 2026", text)
