# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dunning letters: what they say, in the company's or the customer's
language, with the figures of the day they are sent. Their PDF is made in
``fr_dunning_letter_pdf``."""

from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

from . import fr_dunning_law as law
from .fr_dunning_epc_qr import UNSTRUCTURED_MAX, payment_qr_payload, sepa_iban_countries
from .fr_dunning_formats import LangFormats


class FrDunningEvent(models.Model):
    _inherit = "fr.dunning.event"

    # ------------------------------------------------------------------
    # What a letter says
    # ------------------------------------------------------------------

    def _fr_dunning_letter_values(self):
        """{event id: the values of its letter and email}, computed set-wise.

        Amounts are in the event's currency; penalties are computed to the
        event's date by the penalty engine, for business customers and for
        consumers after a formal notice (the engine applies the law).
        """
        if not self:
            return {}
        LegalRate = self.env["fr.dunning.legal.rate"]
        moves = self.move_ids
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        by_day = defaultdict(list)
        for event in self:
            by_day[fields.Date.context_today(event, event.date)].append(event.id)
        penalties = {}
        splits = {}
        rates_missing = {}
        for day, event_ids in by_day.items():
            day_invoices = self.browse(event_ids).move_ids & invoices
            # What a penalty invoice already billed is claimed by that invoice
            # only for what is still unpaid of it (below), never twice.
            penalties[day] = day_invoices._fr_dunning_penalties(
                at_date=day, uncharged_only=True, strict=False
            )
            # What is late on the letter's day, and what is not yet due
            # (account_move_overdue).
            splits[day] = day_invoices._fr_dunning_overdue_split(day)
            rates_missing[day] = not LegalRate.search_count([("date_start", "=", law.semester_start(day))])
        # Portal links (the customer sees the invoice, and pays it online when a
        # payment provider is enabled): the tokens were given when sending
        # (_fr_dunning_ensure_tokens); rendering only reads.
        base_url = self[:1].get_base_url()
        # One question per company (not per letter): can its customers pay online?
        online = {company: self._fr_dunning_pay_online(company) for company in self.company_id}
        # The customer's one link to its overdue invoices (pay, promise, contest).
        links = self.env["fr.dunning.portal.access"]._fr_dunning_links(self)
        reminded = self._fr_dunning_reminded_before()
        billed = self._fr_dunning_billed_unpaid(invoices)
        bank_of = {}
        sepa_countries = sepa_iban_countries(self.env)
        formats_of = {}
        mentions_of = {}
        result = {}
        for event in self:
            day = fields.Date.context_today(event, event.date)
            partner = event.partner_id
            company = event.company_id
            lang = event.lang
            env = event.with_context(lang=lang).env
            formats = formats_of.get(lang) or formats_of.setdefault(lang, LangFormats(env))
            currency = event.currency_id
            tier = event.letter_tier or "1"
            lines = []
            interest = indemnity = 0.0
            indemnity_count = 0
            not_due = []
            for move in event.move_ids.sorted(lambda m: (m.move_type, m.fr_dunning_due_date or m.date, m.id)):
                refund = move.move_type == "out_refund"
                sign = -1 if refund else 1
                # Once an instalment is late, those not yet due (due on the
                # letter's day or later) are not claimed (L441-10 II: each one
                # has its own payment date). A reminder ahead of every due
                # date shows the whole invoice.
                overdue = (
                    not refund
                    and move.fr_dunning_due_date
                    and law.instalment_late(move.fr_dunning_due_date, day)
                )
                later = list(splits[day][move.id].later) if overdue else []
                not_due += later
                later_amount = sum(amount for _date, amount in later)
                lines.append(
                    {
                        "move": move,
                        "is_refund": refund,
                        "name": move.name,
                        "invoice_date": move.invoice_date,
                        # The earliest unpaid instalment (the due date when only one).
                        "due_date": move.fr_dunning_due_date,
                        "days": 0 if refund else max((day - move.fr_dunning_due_date).days, 0),
                        "amount": sign * move.amount_total,
                        "paid": sign * (move.amount_total - move.amount_residual),
                        "residual": sign * move.amount_residual - later_amount,
                        "url": False if refund or not move.access_token else base_url + move.get_portal_url(),
                    }
                )
                if not refund:
                    penalty = penalties[day].get(move.id)
                    if penalty:
                        interest += penalty["interest"]
                        indemnity += penalty["indemnity"]
                        indemnity_count += bool(penalty["indemnity"])
                    billed_interest, billed_indemnity, billed_count = billed.get(move.id, (0.0, 0.0, 0))
                    interest += billed_interest
                    indemnity += billed_indemnity
                    indemnity_count += billed_count
            residual = currency.round(sum(line["residual"] for line in lines))
            not_due_amount = currency.round(sum(amount for _date, amount in not_due))
            show_penalties = tier in ("2", "3") or (event.level_id.penalties in ("show", "charge"))
            interest = currency.round(interest) if show_penalties and not rates_missing[day] else 0.0
            indemnity = currency.round(indemnity) if show_penalties else 0.0
            notice_dates = [
                d for d in event.move_ids.mapped("fr_dunning_formal_notice_date") if d and d < day
            ]
            if company not in bank_of:
                bank_of[company] = company.partner_id.bank_ids[:1]
            # Never OdooBot: a letter names a person the customer can reach.
            escalation = event.env["fr.dunning.escalation"]
            responsible = (
                event.user_id
                if escalation._fr_dunning_can_follow(event.user_id)
                else escalation._responsible(partner, company)
            )
            if (company, lang) not in mentions_of:
                mentions_of[company, lang] = company._fr_dunning_mentions(formats)
            signatory_name, signatory_title = self._fr_dunning_signatory(company, responsible)
            public_buyer = bool(partner.commercial_partner_id.fr_dunning_public_buyer)
            grand_total = currency.round(residual + interest + indemnity)
            payment_reference = ", ".join(
                line["move"].payment_reference or line["name"] for line in lines if not line["is_refund"]
            )
            reference = f"REL-{event.id:06d}"
            # The reference the customer is asked to quote, and the QR code
            # carries: the invoices', or the letter's own when they are too many
            # for a transfer's 140 characters (EPC069-12, SEPA rulebook AT-05).
            quote_reference = payment_reference if len(payment_reference) <= UNSTRUCTURED_MAX else reference
            route = law.litigation_route_for(event.level_id.litigation_route or "injunction", public_buyer)
            result[event.id] = {
                "lang": lang,
                "day": day,
                "place_date": env._(
                    "%(city)s, %(date)s",
                    city=company.city or "",
                    date=formats.long_date(day),
                ).strip(", "),
                "deadline": event.deadline_date,
                "deadline_text": event.deadline_date and formats.long_date(event.deadline_date),
                "tier": tier,
                # Nothing overdue yet: a reminder ahead of the due date.
                "preventive": all(line["days"] == 0 for line in lines),
                "is_consumer": partner.fr_dunning_is_consumer,
                "lines": lines,
                "invoice_count": sum(1 for line in lines if not line["is_refund"]),
                "not_due": not_due_amount,
                "not_due_text": not_due
                and env._(
                    "Instalments due later (%(amount)s, from %(date)s) are not claimed in this letter.",
                    amount=formats.amount(not_due_amount, currency),
                    date=formats.date(min(date for date, _amount in not_due)),
                ),
                "residual": residual,
                "show_penalties": show_penalties,
                "rates_missing": show_penalties and rates_missing[day],
                "interest": interest,
                "indemnity": indemnity,
                "indemnity_count": indemnity_count,
                "grand_total": grand_total,
                "indemnity_unit": law.RECOVERY_INDEMNITY_EUR,
                "bank": bank_of[company],
                "payment_reference": payment_reference,
                "quote_reference": quote_reference,
                # The SEPA transfer QR code's text (fr_dunning_epc_qr): the total
                # the letter asks for, to the account it names, with the
                # reference it asks to quote; None when no QR is printed.
                "epc_qr_payload": payment_qr_payload(
                    env, bank_of[company], grand_total, currency, quote_reference, sepa_countries
                ),
                "responsible": responsible,
                "signatory_name": signatory_name,
                "signatory_title": signatory_title,
                # The company's identity, as every letter of it states it.
                "company_mentions": mentions_of[company, lang],
                # "Despite our previous reminders" only when there were some.
                "reminded": event.id in reminded,
                "notice_date": notice_dates and min(notice_dates),
                "notice_date_text": notice_dates and formats.long_date(min(notice_dates)),
                "route": route,
                "court": law.court_for(partner.fr_dunning_is_consumer, public_buyer),
                "public_buyer": public_buyer,
                "chorus_refs": self._fr_dunning_chorus_refs(event, env),
                "small_claims": route == "small_claims"
                and currency.compare_amounts(residual, law.SMALL_CLAIMS_MAX_EUR) <= 0,
                "pay_online": online[company],
                "portal_url": links.get((partner.commercial_partner_id.id, company.id), False),
                "reference": reference,
                # Dates and amounts in the letter's language, Odoo's text
                # without the per-call lookups of the QWeb widgets.
                "formats": formats,
            }
            result[event.id].update(self._fr_dunning_letter_sentences(env, result[event.id], event, formats))
        return result

    @api.model
    def _fr_dunning_signatory(self, company, responsible):
        """(name, title) of who signs the letters and emails of ``company``:
        the signatory set on the company, else the customer's responsible and
        their job position. A title is a title, never an email address."""
        if company.fr_dunning_signatory_name:
            name, title = company.fr_dunning_signatory_name, company.fr_dunning_signatory_title
        else:
            name = responsible.name
            title = company.fr_dunning_signatory_title or responsible.partner_id.function
        title = (title or "").strip()
        return name, "" if "@" in title else title

    @api.model
    def _fr_dunning_billed_unpaid(self, invoices):
        """{invoice id: (interest, indemnity, indemnities)} that penalty
        invoices billed for ``invoices`` and the customer has not paid yet (in
        proportion to what each penalty invoice still owes). A letter claims
        them with the penalties not billed yet: a penalty invoice is never
        chased itself, and what was paid of it is not claimed again. Interest
        given back on a penalty invoice lessens it; given back by a credit
        note, the letter lists the credit note as a deduction instead."""
        billed = defaultdict(lambda: [0.0, 0.0, 0])
        charges = (
            self.env["fr.dunning.penalty"]
            .sudo()
            .search(
                [
                    ("invoice_id", "in", invoices.ids),
                    ("penalty_move_id.state", "=", "posted"),
                    ("penalty_move_id.move_type", "=", "out_invoice"),
                ]
            )
        )
        for charge in charges:
            move = charge.penalty_move_id
            share = move.amount_residual / move.amount_total if move.amount_total else 0.0
            if not share:
                continue
            entry = billed[charge.invoice_id.id]
            if charge.kind == "indemnity":
                entry[1] += charge.amount * share
                entry[2] += 1
            else:
                entry[0] += charge.amount * share
        return {invoice_id: tuple(entry) for invoice_id, entry in billed.items()}

    def _fr_dunning_reminded_before(self):
        """The ids of the events of ``self`` whose invoices were chased before
        them by another communication (a reminder, a letter, a call made), in
        one query: a letter says "despite our previous reminders" only then."""
        invoices = self.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        if not invoices:
            return set()
        # One read of the history of these invoices (on a first night, 45 000
        # invoices: a search through the ORM's many2many subquery was planned
        # row by row on the events just written).
        rows = self.env.execute_query(
            SQL(
                """SELECT rel.move_id, event.id, event.date, event.run_id, event.level_id
                     FROM fr_dunning_event_account_move_rel rel
                     JOIN fr_dunning_event event ON event.id = rel.event_id
                    WHERE rel.move_id = ANY(%s)
                      AND event.event_type IN ('reminder', 'letter', 'registered_letter', 'call')
                      AND event.date <= %s""",
                invoices.ids,
                max(self.mapped("date")),
            )
        )
        by_move = defaultdict(list)
        for move_id, event_id, day, run_id, level_id in rows:
            by_move[move_id].append((day, event_id, run_id, level_id))

        def before(other, event):
            # The email, letter and call of one communication are not reminders of each other.
            day, other_id, run_id, level_id = other
            same = run_id and run_id == event.run_id.id and level_id == event.level_id.id
            return (day, other_id) < (event.date, event.id) and not same

        return {
            event.id
            for event in self
            if any(before(other, event) for move_id in event.move_ids.ids for other in by_move[move_id])
        }

    @api.model
    def _fr_dunning_chorus_refs(self, event, env):
        """[(label, values)]: the Chorus Pro references of the event's invoices
        (legal commitment, executing service), when Odoo's Chorus Pro module
        gives invoices these fields and they are filled in: a public buyer
        finds the invoice in Chorus Pro by them."""
        moves = event.move_ids
        refs = []
        for fname, label in (
            ("purchase_order_reference", env._("Legal commitment (Chorus Pro):")),
            ("buyer_reference", env._("Executing service (Chorus Pro):")),
        ):
            if fname in moves._fields:
                values = sorted({value for value in moves.mapped(fname) if value})
                if values:
                    refs.append((label, ", ".join(values)))
        return refs

    @api.model
    def _fr_dunning_pay_online(self, company):
        """Whether the customers of ``company`` can pay online (an enabled payment
        provider, with Odoo's payment modules installed)."""
        if "payment.provider" not in self.env:
            return False
        return bool(
            self.env["payment.provider"]
            .sudo()
            .search_count([("state", "in", ("enabled", "test")), ("company_id", "=", company.id)], limit=1)
        )

    @api.model
    def _fr_dunning_letter_sentences(self, env, values, event, formats=None):
        """The sentences that carry figures, whole for the translators, in the
        customer's language (``env``; ``formats``: its LangFormats, when
        already made); figures are escaped and set in bold."""
        formats = formats or LangFormats(env)

        def bold(value):
            return Markup("<strong>%s</strong>") % value

        def sentence(text, **figures):
            return Markup(escape(text)) % {key: bold(value) for key, value in figures.items()}

        currency = event.currency_id
        amount = formats.lang_amount(values["grand_total"], currency)
        deadline = values["deadline_text"] or ""
        bank = values["bank"]
        court = {
            "commerce": env._("tribunal de commerce"),
            "judiciaire": env._("tribunal judiciaire"),
            "administratif": env._("tribunal administratif"),
        }[values["court"]]
        routes = {
            "injunction": env._(
                "an application for an order for payment (injonction de payer) before the %(court)s."
            ),
            "small_claims": env._(
                "the simplified recovery procedure for small claims, conducted by a commissaire de justice."
            ),
            "summary": env._(
                "summary proceedings for a provision (référé-provision) before the president of the "
                "%(court)s."
            )
            if values["court"] != "administratif"
            else env._(
                "an application for a provision (référé-provision) to the judge of summary proceedings "
                "of the %(court)s (Code de justice administrative, article R541-1)."
            ),
            "merits": env._("an action on the merits before the %(court)s."),
            "agency": env._("recovery by a collection agency."),
        }
        names = values["payment_reference"]
        return {
            "subject_1": sentence(
                env._("Subject: payment reminder, invoice %(names)s")
                if values["invoice_count"] == 1
                else env._("Subject: payment reminder, invoices %(names)s"),
                names=names,
            ),
            "registered_html": sentence(
                env._("Registered letter with acknowledgement of receipt no. %(number)s"),
                number=event.registered_number,
            )
            if event.registered_number
            else escape(env._("Registered letter with acknowledgement of receipt")),
            "request_html": sentence(
                env._(
                    "Please settle the balance of %(amount)s by %(date)s. If you have paid in the meantime, "
                    "please disregard this letter. If something stands in the way of the payment (an invoice "
                    "you question, a delivery problem), tell us: we would rather sort it out with you."
                ),
                amount=amount,
                date=deadline,
            ),
            "notice_html": sentence(
                env._(
                    "Consequently, by this letter, which constitutes a formal notice (mise en demeure) "
                    "within the meaning of article 1344 of the Code civil, we require you to pay the sum "
                    "of %(amount)s by %(date)s at the latest."
                ),
                amount=amount,
                date=deadline,
            ),
            "previous_html": sentence(
                env._(
                    "Our formal notice of %(date)s has remained unanswered, and the sums below are still "
                    "unpaid."
                ),
                date=values["notice_date_text"],
            )
            if values["notice_date_text"]
            else escape(
                env._("Our reminders have remained unanswered, and the sums below are still unpaid.")
                if values["reminded"]
                else env._("The sums below are still unpaid although their due date has passed.")
            ),
            "ultimatum_html": sentence(
                env._(
                    "This is our final notice. Unless the sum of %(amount)s reaches us by %(date)s, the file "
                    "will be handed over, without further notice, for:"
                ),
                amount=amount,
                date=deadline,
            ),
            "route_html": bold(routes[values["route"]] % {"court": court}),
            "pay_html": sentence(
                env._("Please pay %(amount)s by %(date)s at the latest."), amount=amount, date=deadline
            ),
            "due_html": sentence(
                env._("The amount due is %(amount)s, payable by %(date)s."), amount=amount, date=deadline
            ),
            "interest_label": env._("Late-payment interest to %(date)s", date=formats.date(values["day"])),
            "indemnity_label": env._(
                "Fixed recovery indemnity (%(count)s x 40 EUR)", count=values["indemnity_count"]
            ),
            "bank_html": sentence(
                env._("Bank transfer to %(holder)s, IBAN %(iban)s, BIC %(bic)s")
                if bank.bank_bic
                else env._("Bank transfer to %(holder)s, IBAN %(iban)s"),
                # The holder the QR code names too (fr_dunning_epc_qr).
                holder=bank.acc_holder_name or bank.partner_id.name or event.company_id.name,
                iban=bank.acc_number,
                bic=bank.bank_bic or "",
            )
            if bank
            else Markup(),
            "reference_html": sentence(
                env._("Payment reference to state: %(reference)s"), reference=values["quote_reference"]
            ),
        }
