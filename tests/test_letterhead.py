# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a letter says of its sender: the company's mentions (Code de commerce
R123-237 and R123-238), who signs, French typography; and the reminder email
that carries the invoice's PDF as Odoo stored it when the invoice was sent."""

import re
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError

from odoo.addons.fr_dunning_addon.models import fr_dunning_law as law
from odoo.addons.fr_dunning_addon.models.fr_dunning_formats import (
    SIRET_GROUPS,
    LangFormats,
    french_spacing,
    french_spacing_html,
    group_digits,
)

from .common import TODAY, FrDunningCase
from .test_letters import pdf_text

NBSP = "\N{NO-BREAK SPACE}"


class TestCompanyMentionsLaw(FrDunningCase):
    def test_name_with_legal_form(self):
        # R123-238: the name immediately preceded or followed by the legal form.
        self.assertEqual(law.name_with_legal_form("Atelier Lumière SAS", "SAS"), "Atelier Lumière SAS")
        self.assertEqual(law.name_with_legal_form("SARL Dupont", "sarl"), "SARL Dupont")
        self.assertEqual(law.name_with_legal_form("Atelier Lumière", "SAS"), "Atelier Lumière SAS")
        # "SA" is not the end of "Atelier Lumière SAS": the words are compared.
        self.assertEqual(law.name_with_legal_form("Transports SASSO", "SA"), "Transports SASSO SA")
        self.assertEqual(law.name_with_legal_form("Atelier Lumière", False), "Atelier Lumière")

    def test_share_capital_rounded_down_to_the_unit(self):
        # R123-238 4° b): the amount may be rounded down to the unit.
        self.assertEqual(law.share_capital_stated(50000.99), 50000.0)
        self.assertEqual(law.share_capital_stated(0.0), 0.0)
        self.assertEqual(law.share_capital_stated(False), 0.0)

    def test_digits_grouped_as_insee_prints_them(self):
        self.assertEqual(group_digits("73282932000017", SIRET_GROUPS), f"732{NBSP}829{NBSP}320{NBSP}00017")
        # Not a SIRET's length: as typed.
        self.assertEqual(group_digits(" 7328293200001 ", SIRET_GROUPS), "7328293200001")

    def test_french_spacing(self):
        self.assertEqual(
            french_spacing("Objet : relance ; 40 € et 12 %, « oui » ! Sir: 40 EUR"),
            f"Objet{NBSP}: relance{NBSP}; 40{NBSP}€ et 12{NBSP}%, «{NBSP}oui{NBSP}»{NBSP}! Sir: 40{NBSP}EUR",
        )
        html = french_spacing_html(
            b"<!DOCTYPE html><html><head><style>a :hover { color: red }</style>"
            b"<script>if (a !== b) {}</script></head>"
            b'<body><p title="a : b">Objet : <b>x</b> : y</p></body></html>'
        ).decode()
        self.assertIn(f"Objet{NBSP}: <b>x</b>{NBSP}: y", html)
        # Never in style sheets, scripts or attributes.
        self.assertIn("a :hover", html)
        self.assertIn("a !== b", html)
        self.assertIn('title="a : b"', html)

    def test_long_date_first_of_the_month(self):
        env = self.env(context=dict(self.env.context, lang="fr_FR"))
        self.env["res.lang"]._activate_lang("fr_FR")
        formats = LangFormats(env)
        # The day is never parted from its month: a no-break space.
        self.assertEqual(formats.long_date(date(2026, 12, 1)), f"1er{NBSP}décembre 2026")
        self.assertEqual(formats.long_date(date(2026, 12, 15)), f"15{NBSP}décembre 2026")
        self.assertEqual(LangFormats(self.env).long_date(date(2026, 12, 1)), "December 1, 2026")


@freeze_time(TODAY)
class TestLetterhead(FrDunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"], overwrite=True)
        cls.company.write(
            {
                "name": "Atelier Test",
                "street": "12 rue des Artisans",
                "zip": "75011",
                "city": "Paris",
                "vat": "FR44732829320",
                "company_registry": "RCS Paris 732 829 320",
                "fr_dunning_legal_form": "SAS",
                "fr_dunning_share_capital": 50000.75,
            }
        )
        if "siret" in cls.company._fields:
            cls.company.siret = "73282932000017"
        cls.business.write({"email": "compta@dupont.example", "lang": "fr_FR"})
        cls.dunning_user.partner_id.write(
            {"function": "Chargée de recouvrement", "email": "recouvrement@atelier-test.example"}
        )
        cls.business.fr_dunning_responsible_id = cls.dunning_user
        policy = cls.env["fr.dunning.policy"].search(
            [("company_id", "=", cls.company.id), ("assignment", "=", "default")]
        )
        cls.levels = {level.tier: level for level in policy.level_ids}

    def _send(self, tier):
        self.env["fr.dunning.escalation"].with_user(self.dunning_user)._run(
            self.company,
            today=date(2026, 11, 23),
            automatic=False,
            partners=self.business,
            level=self.levels[tier],
        )
        return self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("level_id.tier", "=", tier)]
        )

    def _letter(self, events):
        letter = events.filtered(lambda e: e.channel in ("letter", "registered_letter"))
        self.assertEqual(len(letter), 1)
        return letter, pdf_text(letter.letter_id.raw)

    def test_company_mentions_on_the_letter(self):
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        _letter, text = self._letter(self._send("formal"))
        # The name followed at once by the legal form and the capital, rounded
        # down (50 000.75 -> 50 000), then the registered office.
        self.assertIn("Atelier Test SAS Capital social 50 000 € 12 rue des Artisans 75011 Paris", text)
        self.assertIn("RCS Paris 732 829 320", text)
        if "siret" in self.company._fields:
            self.assertIn("SIRET 732 829 320 00017", text)
        self.assertIn("FR44732829320", text)

    def test_invoice_states_legal_form_and_capital(self):
        # R123-238 applies to invoices too: the identification line Odoo's
        # invoice gets when the company's report header is empty.
        self.company.company_details = False
        invoice = self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        block = re.search(r'name="fr_dunning_seller_identification".*?</div>', html, re.DOTALL).group(0)
        self.assertIn("Atelier Test SAS", block)
        self.assertIn(f"50{NBSP}000{NBSP}€", block)

    def test_statement_of_account_has_the_letterhead(self):
        # The statement shares the letters' letterhead, without a letter.
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("fr_dunning_addon.action_report_fr_dunning_statement", self.business.ids)[0]
            .decode()
        )
        # In the statement's language (the customer's), through the widget.
        html = re.sub(r"<[^>]+>", "", html)
        self.assertIn("Atelier Test SAS", html)
        self.assertIn(f"50{NBSP}000{NBSP}€", html)
        self.assertIn(f"732{NBSP}829{NBSP}320{NBSP}00017", html)

    def test_statement_of_account_has_french_spacing(self):
        self.business.ref = "CLI-042"
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("fr_dunning_addon.action_report_fr_dunning_statement", self.business.ids)[0]
            .decode()
        )
        text = re.sub(r"<[^>]+>", "", html)
        self.assertIn(f"Date du relevé{NBSP}:", text)
        self.assertIn(f"Votre compte client{NBSP}:", text)
        self.assertNotIn("relevé :", text)

    def test_claim_declaration_has_the_letters_letterhead_and_signatory(self):
        self.company.write(
            {
                "fr_dunning_signatory_name": "Hélène Marchand",
                "fr_dunning_signatory_title": "Directrice financière",
            }
        )
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        self._invoice(self.business, "2026-10-01", "2026-12-31", 500.0)
        self.business.write(
            {"fr_dunning_proceedings_date": date(2026, 10, 20), "fr_dunning_proceedings_type": "receivership"}
        )
        # A French company: its history, hence its declarations, in French.
        self.company.partner_id.lang = "fr_FR"
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="fr_FR")
            ._render_qweb_html("fr_dunning_addon.action_report_claim_declaration", self.business.ids)[0]
            .decode()
        )
        text = re.sub(r"<[^>]+>", "", html)
        # The letterhead: name with legal form, share capital, SIRET grouped as INSEE prints it.
        self.assertIn("Atelier Test SAS", text)
        self.assertIn(f"50{NBSP}000{NBSP}€", text)
        if "siret" in self.company._fields:
            self.assertIn(f"732{NBSP}829{NBSP}320{NBSP}00017", text)
            self.assertNotIn("73282932000017", text)
        # Signed as the letters are.
        self.assertRegex(text, r"Hélène Marchand\s*Directrice financière")
        self.assertNotIn(self.dunning_user.name, text)
        # French typography, in the template's and in the computed sentences.
        self.assertIn(f"Sûreté{NBSP}: aucune{NBSP};", text)
        self.assertIn(f"déclarées avec leurs échéances{NBSP}:", text)
        self.assertIn(f"Mandataire judiciaire{NBSP}:", text)
        self.assertIn(f"(L622-28){NBSP};", text)

    def test_siren_typed_alone_is_named(self):
        self.company.company_registry = "732829320"
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter = self._send("formal").filtered(lambda e: e.channel == "letter")
        mentions = letter._fr_dunning_letter_values()[letter.id]["company_mentions"]
        self.assertEqual(mentions["siren"], f"732{NBSP}829{NBSP}320")
        self.assertFalse(mentions["registry"])

    def test_signatory_from_the_settings_signs_letter_and_email(self):
        self.company.write(
            {
                "fr_dunning_signatory_name": "Hélène Marchand",
                "fr_dunning_signatory_title": "Directrice financière",
            }
        )
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        events = self._send("formal")
        _letter, text = self._letter(events)
        self.assertIn("distinguées. Hélène Marchand Directrice financière", text)
        # The customer's contact stays the responsible, with how to reach them.
        self.assertIn(f"Votre interlocuteur : {self.dunning_user.name}", text)
        self.assertIn("recouvrement@atelier-test.example", text)
        email = events.filtered(lambda e: e.channel == "email")
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", email.message_id.id)])
        self.assertRegex(mail.body_html, r"Hélène Marchand<br/?>\s*Directrice financière<br/?>")
        self.assertNotIn("Chargée de recouvrement", mail.body_html)

    def test_signatory_falls_back_to_the_responsible(self):
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        _letter, text = self._letter(self._send("formal"))
        self.assertIn(f"distinguées. {self.dunning_user.name} Chargée de recouvrement", text)
        # A title set alone goes with the responsible's name.
        self.company.fr_dunning_signatory_title = "Service recouvrement"
        Event = self.env["fr.dunning.event"]
        self.assertEqual(
            Event._fr_dunning_signatory(self.company, self.dunning_user),
            (self.dunning_user.name, "Service recouvrement"),
        )

    def test_never_an_email_address_as_a_title(self):
        self.dunning_user.partner_id.function = "recouvrement@atelier-test.example"
        Event = self.env["fr.dunning.event"]
        self.assertEqual(
            Event._fr_dunning_signatory(self.company, self.dunning_user), (self.dunning_user.name, "")
        )
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        _letter, text = self._letter(self._send("formal"))
        signature = text.split("distinguées.")[-1]
        self.assertNotIn("@", signature)

    def test_french_spacing_in_the_letter(self):
        self._invoice(self.business, "2026-08-24", "2026-09-23", 1000.0)
        letter, _text = self._letter(self._send("formal"))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("fr_dunning_addon.action_report_dunning_letter", letter.ids)[0]
            .decode()
        )
        self.assertIn(f"Objet{NBSP}:", html)
        self.assertNotIn("Objet :", html)
        # The deadline, 8 days after 23/11/2026, is the first of the month.
        self.assertIn(f"1er{NBSP}décembre 2026", html)

    def test_only_settings_administrators_change_who_signs(self):
        for user in (self.dunning_user, self.dunning_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.company.with_user(user).write({"fr_dunning_signatory_name": "Quelqu'un d'autre"})
        self.assertFalse(self.company.fr_dunning_signatory_name)


@freeze_time(TODAY)
class TestReminderCarriesInvoicePdf(FrDunningCase):
    def test_stored_invoice_pdf_attached_to_the_reminder_mail(self):
        """The invoice's PDF made by Odoo's own sending flow (downloaded, as the
        demo does) goes with the reminder email, in the mail queue."""
        self.business.email = "compta@dupont.example"
        invoice = self._invoice(self.business, "2026-10-04", "2026-11-03", 1000.0)
        other = self._invoice(self.business, "2026-10-10", "2026-11-09", 250.0)
        self.env["account.move.send"]._generate_and_send_invoices(invoice, sending_methods={"manual"})
        pdf = invoice.invoice_pdf_report_id
        self.assertTrue(pdf)
        self.assertFalse(other.invoice_pdf_report_id)
        self.env["fr.dunning.escalation"].with_user(self.dunning_user)._run(
            self.company, today=date(2026, 11, 23), automatic=False, partners=self.business
        )
        event = self.env["fr.dunning.event"].search(
            [("partner_id", "=", self.business.id), ("channel", "=", "email")]
        )
        self.assertEqual(event.move_ids, invoice | other)
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", event.message_id.id)])
        self.assertEqual(len(mail), 1)
        # The stored PDF itself, not a copy; the invoice without one sends nothing.
        self.assertEqual(mail.attachment_ids, pdf)
        self.assertEqual(event.email_attachment_ids, pdf)
