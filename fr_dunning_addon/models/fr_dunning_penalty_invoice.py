# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Penalty invoices: the interest and indemnities the engine computes, billed
as draft invoices outside the scope of VAT, each line recorded as charged
(fr.dunning.penalty) so that nothing is billed twice."""

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from .fr_dunning_evidence import history_writers


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------
    # Business: penalty invoices
    # ------------------------------------------------------------------

    def _fr_dunning_create_penalty_invoices(
        self, at_date=None, with_interest=True, with_indemnity=True, complementary=None
    ):
        """Create one draft penalty invoice per customer, company and currency.

        A penalty invoice is dated the day it is issued (CGI art. 242 nonies A):
        ``at_date`` is the day the interest is computed to, which each interest
        line states with its period; it never backdates the invoice. The
        invoices of a company and currency are created in one batch.

        :param at_date: the day to compute the penalties to (default: today); not
            after today, since interest is owed for days already late only.
        :param complementary: {invoice id: (amount, justification)}: a complementary
            indemnity, when recovery costs above 40 EUR are justified (L441-10 II).
        :returns: the penalty invoices (account.move).
        """
        issue_date = fields.Date.context_today(self)
        at_date = at_date or issue_date
        if at_date > issue_date:
            raise UserError(
                self.env._(
                    "Penalties are computed to today at the latest (%(today)s): interest is owed for "
                    "the days an invoice is already late, not for days to come.",
                    today=format_date(self.env, issue_date),
                )
            )
        results = self._fr_dunning_penalties(at_date=at_date, uncharged_only=True)
        documents = self._fr_dunning_penalty_documents(
            results, with_interest, with_indemnity, complementary or {}
        )
        if not documents:
            raise UserError(
                self.env._(
                    "Nothing to charge on %(date)s: these invoices are not late, already charged, "
                    "or bear no penalty (consumer without formal notice, collective proceedings).",
                    date=format_date(self.env, at_date),
                )
            )
        penalty_moves = self._fr_dunning_create_penalty_moves(documents, issue_date)
        self._fr_dunning_log_penalty_invoices(penalty_moves)
        return penalty_moves

    def _fr_dunning_penalty_documents(self, results, with_interest, with_indemnity, complementary):
        """What each penalty invoice bills, from the engine's ``results``: a list
        of {"company", "partner", "currency", "moves", "lines": [(line vals,
        penalty vals)]}, one per customer, company and currency, in the late
        invoices' order (due date, then id). Plain Python: no query per invoice."""
        groups = defaultdict(list)
        for move in self.sorted(lambda m: (m.invoice_date_due, m.id)):
            groups[(move.company_id, move.commercial_partner_id, move.currency_id)].append(move)
        active_langs = {code for code, _name in self.env["res.lang"].get_installed()}
        accounts, lang_envs, documents = {}, {}, []
        for (company, partner, currency), moves in groups.items():
            if company not in accounts:
                accounts[company] = company._fr_dunning_penalty_accounts()
            interest_account, indemnity_account = accounts[company]
            lang = partner.lang if partner.lang in active_langs else self.env.lang
            if (lang, company) not in lang_envs:
                lang_envs[lang, company] = self.with_context(lang=lang).with_company(company).env
            lang_env = lang_envs[lang, company]
            lines = []
            for move in moves:
                result = results[move.id]
                if with_interest and result["lines"]:
                    self._fr_dunning_require_account(interest_account, company)
                    for line in result["lines"]:
                        lines.append(
                            (
                                move._fr_dunning_interest_line_vals(lang_env, line, interest_account),
                                {"kind": "interest", "invoice_id": move.id, **line},
                            )
                        )
                if with_indemnity and result["indemnity"]:
                    self._fr_dunning_require_account(indemnity_account, company)
                    lines.append(
                        (
                            move._fr_dunning_indemnity_line_vals(
                                lang_env, result["indemnity"], indemnity_account, complementary=False
                            ),
                            {"kind": "indemnity", "invoice_id": move.id, "amount": result["indemnity"]},
                        )
                    )
                extra = complementary.get(move.id)
                if extra and extra[0] > 0:
                    self._fr_dunning_require_account(indemnity_account, company)
                    lines.append(
                        (
                            move._fr_dunning_indemnity_line_vals(
                                lang_env, extra[0], indemnity_account, complementary=extra[1]
                            ),
                            {"kind": "complementary", "invoice_id": move.id, "amount": extra[0]},
                        )
                    )
            if lines:
                documents.append(
                    {
                        "company": company,
                        "partner": partner,
                        "currency": currency,
                        "moves": moves,
                        "lang_env": lang_env,
                        "lines": lines,
                    }
                )
        return documents

    def _fr_dunning_create_penalty_moves(self, documents, issue_date):
        """Create the penalty invoices of ``documents`` (see
        _fr_dunning_penalty_documents), one ``create(vals_list)`` per company
        and currency, and record what each line charged (fr.dunning.penalty).

        Odoo's invoice creation is left to do its work in batch: the journal
        (Odoo's own default, found once per company and currency) and, when
        the companies have no analytic distribution model, the empty analytic
        distribution are given rather than searched once per line; the "Invoice
        created" note is logged on all of them at once instead of one
        message_post each (which notifies the invoice's followers: on a new
        invoice, only its author)."""
        Move = self.env["account.move"]
        companies = self.env["res.company"].union(*(document["company"] for document in documents))
        Distribution = self.env["account.analytic.distribution.model"].sudo()
        no_analytic = not Distribution.search_count(Distribution._check_company_domain(companies), limit=1)
        by_company_currency = defaultdict(list)
        for document in documents:
            by_company_currency[document["company"], document["currency"]].append(document)
        created = []
        for (company, currency), batch in by_company_currency.items():
            # As superuser: the penalty flag is set by this flow only (see
            # write), after its entry point checked the user; the invoices
            # are the user's all the same (author, salesperson, followers).
            creator = Move.with_company(company).with_context(mail_create_nolog=True).sudo()
            journal = creator.new(
                {"move_type": "out_invoice", "company_id": company.id, "currency_id": currency.id}
            )._search_default_journal()
            rate = self.env["res.currency"]._get_conversion_rate(
                company.currency_id, currency, company, issue_date
            )
            vals_list = []
            for document in batch:
                line_vals = []
                for sequence, (vals, _penalty) in enumerate(document["lines"], start=1):
                    # An income line of an invoice is a credit. Its amounts are
                    # given as Odoo's synchronisation would compute them, so that
                    # it need not write each line again (it still does where
                    # they differ).
                    amount = currency.round(-vals["price_unit"])
                    vals = dict(
                        vals,
                        sequence=sequence,
                        amount_currency=amount,
                        balance=company.currency_id.round(amount / rate),
                    )
                    if no_analytic:
                        vals["analytic_distribution"] = False
                    line_vals.append(Command.create(vals))
                vals_list.append(
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "partner_id": document["partner"].id,
                        "currency_id": currency.id,
                        "invoice_date": issue_date,
                        "fr_dunning_is_penalty_invoice": True,
                        "invoice_origin": ", ".join(move.name for move in document["moves"])[:256],
                        "narration": document["lang_env"]._(
                            "Late-payment penalties and recovery indemnities are outside the scope of VAT."
                        ),
                        "invoice_line_ids": line_vals,
                    }
                )
            moves = creator.create(vals_list).sudo(self.env.su)
            created.extend(zip(moves, batch, strict=True))
        penalty_moves = Move.union(*(move for move, _document in created))
        penalty_moves._message_log_batch(
            bodies={
                move.id: Markup('<div summary="o_mail_notification"><p>%s</p></div>')
                % move._creation_message()
                for move in penalty_moves
            }
        )
        penalty_vals = []
        for move, document in created:
            product_lines = move.invoice_line_ids.sorted("sequence")
            for line, (_vals, penalty) in zip(product_lines, document["lines"], strict=True):
                penalty_vals.append(
                    {
                        **penalty,
                        "company_id": document["company"].id,
                        "currency_id": document["currency"].id,
                        "penalty_line_id": line.id,
                    }
                )
        # What was charged is recorded by this flow only: users cannot create it.
        self.env["fr.dunning.penalty"].sudo().create(penalty_vals)
        return penalty_moves

    def _fr_dunning_interest_line_vals(self, lang_env, line, account):
        self.ensure_one()
        label = lang_env._(
            "Late-payment penalties — invoice %(invoice)s — from %(date_from)s to %(date_to)s — "
            "%(days)s days at %(rate)s %%",
            invoice=self.name,
            date_from=format_date(lang_env, line["date_from"]),
            date_to=format_date(lang_env, line["date_to"]),
            days=line["days"],
            rate=formatLang(lang_env, line["annual_rate"], digits=2),
        )
        return {
            "name": label,
            "quantity": 1,
            "price_unit": line["amount"],
            "account_id": account.id,
            "tax_ids": [Command.clear()],
        }

    def _fr_dunning_indemnity_line_vals(self, lang_env, amount, account, complementary=False):
        self.ensure_one()
        if complementary:
            label = lang_env._(
                "Complementary recovery indemnity — invoice %(invoice)s — art. L441-10 of the Code "
                "de commerce — justification: %(reason)s",
                invoice=self.name,
                reason=complementary,
            )
        else:
            label = lang_env._(
                "Fixed indemnity for recovery costs — invoice %(invoice)s — art. L441-10 and D441-5 "
                "of the Code de commerce",
                invoice=self.name,
            )
        return {
            "name": label,
            "quantity": 1,
            "price_unit": amount,
            "account_id": account.id,
            "tax_ids": [Command.clear()],
        }

    @api.model
    def _fr_dunning_require_account(self, account, company):
        if not account:
            raise UserError(
                self.env._(
                    "Set the income accounts of late-payment penalties for %(company)s in "
                    "Accounting > Configuration > Settings > Customer dunning.",
                    company=company.name,
                )
            )

    def _fr_dunning_log_penalty_invoices(self, penalty_moves):
        """A dunning event and a chatter message per penalty invoice."""
        penalties = self.env["fr.dunning.penalty"].search([("penalty_move_id", "in", penalty_moves.ids)])
        by_penalty_move = penalties.grouped("penalty_move_id")
        event_vals, bodies = [], {}
        writer = history_writers(self.env)  # the history is written in the company's language
        for penalty_move in penalty_moves:
            late_moves = by_penalty_move[penalty_move].invoice_id
            lang_env = writer(penalty_move.company_id)[0]
            event_vals.append(
                {
                    "name": lang_env._(
                        "Penalty invoice for %(invoices)s", invoices=", ".join(late_moves.mapped("name"))
                    ),
                    "company_id": penalty_move.company_id.id,
                    "partner_id": penalty_move.commercial_partner_id.id,
                    "move_ids": [Command.set(late_moves.ids)],
                    "event_type": "penalty",
                    "channel": "manual",
                    "user_id": self.env.uid,
                    "currency_id": penalty_move.currency_id.id,
                    "amount_residual": penalty_move.amount_total,
                }
            )
            body = Markup(lang_env._("Late-payment penalties billed on %(link)s.")) % {
                "link": penalty_move._get_html_link()
            }
            bodies.update(dict.fromkeys(late_moves.ids, body))
        self.env["account.move"].browse(list(bodies))._message_log_batch(bodies=bodies)
        self.env["fr.dunning.event"]._fr_dunning_record(event_vals)
