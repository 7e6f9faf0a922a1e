# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Penalty invoices: the interest and indemnities the engine computes, billed
as draft invoices outside the scope of VAT, each line recorded as charged
(fr.dunning.penalty) so that nothing is billed twice; the interest charged on
sums since paid given back (see fr_dunning_penalty_overcharge) by a negative
line, or by a credit note when a customer is given back more than charged."""

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
        """Create one draft penalty invoice per customer, company and currency,
        which also gives back the interest the customer was charged on sums
        since paid; a draft credit note instead when that exceeds what is
        charged (see _fr_dunning_penalty_documents).

        A penalty invoice is dated the day it is issued (CGI art. 242 nonies A):
        ``at_date`` is the day the interest is computed to, which each interest
        line states with its period; it never backdates the invoice. The
        invoices of a company and currency are created in one batch.

        :param at_date: the day to compute the penalties to (default: today); not
            after today, since interest is owed for days already late only.
        :param complementary: {invoice id: (amount, justification)}: a complementary
            indemnity, when recovery costs above 40 EUR are justified (L441-10 II).
        :returns: the penalty invoices and credit notes (account.move).
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
        # The customers' interest charged on sums since paid is given back
        # whatever is billed (L441-10 II: owed on the sums remaining due only).
        with_give_backs = self._fr_dunning_give_back_invoices()
        documents = with_give_backs._fr_dunning_penalty_documents(
            results,
            with_give_backs._fr_dunning_overcharges(),
            with_interest,
            with_indemnity,
            complementary or {},
            take_backs=with_give_backs._fr_dunning_take_backs(),
        )
        if not documents:
            raise UserError(
                self.env._(
                    "Nothing to charge on %(date)s: these invoices are not late, already charged, "
                    "or bear no penalty (consumer without formal notice, collective proceedings).",
                    date=format_date(self.env, at_date),
                )
            )
        created = self._fr_dunning_create_penalty_moves(documents, issue_date)
        self._fr_dunning_log_penalty_invoices(created)
        return self.env["account.move"].union(*(move for move, _document in created))

    def _fr_dunning_penalty_documents(
        self, results, overcharges, with_interest, with_indemnity, complementary, take_backs=None
    ):
        """What each penalty invoice or credit note bills, from the engine's
        ``results`` (the invoices billed) and ``overcharges`` (see
        _fr_dunning_overcharges): a list of {"move_type", "company",
        "partner", "currency", "moves", "lang_env", "lines": [(line vals,
        penalty vals)]}, one per customer, company and currency, in the late
        invoices' order (due date, then id). Plain Python: no query per invoice.

        Interest given back is a negative line of the customer's penalty
        invoice; when it is given back more than it is charged, an invoice
        cannot bear it: a credit note gives it back, and what is charged, if
        anything, is an invoice of its own. ``take_backs`` (see
        _fr_dunning_take_backs): the give-backs of cancelled penalty invoices,
        charged back."""
        take_backs = take_backs or {}
        groups = defaultdict(list)
        for move in self.sorted(lambda m: (m.invoice_date_due, m.id)):
            groups[(move.company_id, move.commercial_partner_id, move.currency_id)].append(move)
        active_langs = {code for code, _name in self.env["res.lang"].get_installed()}
        accounts, lang_envs, documents = {}, {}, []
        for (company, partner, currency), moves in groups.items():
            if company not in accounts:
                accounts[company] = company._fr_dunning_penalty_accounts()
            interest_account = accounts[company][0]
            lang = partner.lang if partner.lang in active_langs else self.env.lang
            if (lang, company) not in lang_envs:
                lang_envs[lang, company] = self.with_context(lang=lang).with_company(company).env
            lang_env = lang_envs[lang, company]
            charges, give_backs = [], []
            for move in moves:
                result = results.get(move.id)
                # Collective proceedings: declared, never billed (L622-7).
                if result and not result.get("declared"):
                    charges += move._fr_dunning_charge_lines(
                        lang_env, result, accounts[company], with_interest, with_indemnity, complementary
                    )
                for give_back in take_backs.get(move.id, ()):
                    self._fr_dunning_require_account(interest_account, company)
                    charges.append(move._fr_dunning_take_back_line(lang_env, give_back, interest_account))
                for give_back in overcharges.get(move.id, []):
                    self._fr_dunning_require_account(interest_account, company)
                    give_backs.append(move._fr_dunning_give_back_line(lang_env, give_back, interest_account))
            charged = sum(vals["price_unit"] for vals, _penalty in charges)
            given = sum(vals["price_unit"] for vals, _penalty in give_backs)
            if currency.compare_amounts(charged, given) > 0:
                parts = [
                    (
                        "out_invoice",
                        charges + [(dict(v, price_unit=-v["price_unit"]), p) for v, p in give_backs],
                    )
                ]
            else:
                parts = [("out_refund", give_backs), ("out_invoice", charges)]
            for move_type, lines in parts:
                if not lines:
                    continue
                late_moves = self.browse(
                    list(dict.fromkeys(penalty["invoice_id"] for _vals, penalty in lines))
                )
                documents.append(
                    {
                        "move_type": move_type,
                        "company": company,
                        "partner": partner,
                        "currency": currency,
                        "moves": late_moves,
                        "lang_env": lang_env,
                        "lines": lines,
                    }
                )
        return documents

    def _fr_dunning_charge_lines(
        self, lang_env, result, accounts, with_interest, with_indemnity, complementary
    ):
        """[(line vals, penalty vals)] that bill the engine's ``result`` for this invoice."""
        self.ensure_one()
        company = self.company_id
        interest_account, indemnity_account = accounts
        lines = []
        if with_interest and result["lines"]:
            self._fr_dunning_require_account(interest_account, company)
            for line in result["lines"]:
                lines.append(
                    (
                        self._fr_dunning_interest_line_vals(lang_env, line, interest_account),
                        {"kind": "interest", "invoice_id": self.id, **line},
                    )
                )
        if with_indemnity and result["indemnity"]:
            self._fr_dunning_require_account(indemnity_account, company)
            lines.append(
                (
                    self._fr_dunning_indemnity_line_vals(
                        lang_env, result["indemnity"], indemnity_account, complementary=False
                    ),
                    {"kind": "indemnity", "invoice_id": self.id, "amount": result["indemnity"]},
                )
            )
        extra = complementary.get(self.id)
        if extra and extra[0] > 0:
            self._fr_dunning_require_account(indemnity_account, company)
            lines.append(
                (
                    self._fr_dunning_indemnity_line_vals(
                        lang_env, extra[0], indemnity_account, complementary=extra[1]
                    ),
                    {"kind": "complementary", "invoice_id": self.id, "amount": extra[0]},
                )
            )
        return lines

    def _fr_dunning_give_back_line(self, lang_env, give_back, account):
        """(line vals, penalty vals) giving back ``give_back`` (see
        _fr_dunning_overcharges), as a credit note's line: a positive amount."""
        self.ensure_one()
        values = {
            "invoice": self.name,
            "date_from": format_date(lang_env, give_back["date_from"]),
            "date_to": format_date(lang_env, give_back["date_to"]),
            "days": give_back["days"],
            "rate": formatLang(lang_env, give_back["annual_rate"], digits=2),
            "base": formatLang(lang_env, give_back["base"], currency_obj=self.currency_id),
        }
        billed_on = give_back["penalty"].penalty_move_id.name
        if billed_on and billed_on != "/":
            label = lang_env._(
                "Interest given back — invoice %(invoice)s — from %(date_from)s to %(date_to)s — "
                "%(days)s days at %(rate)s %% on %(base)s paid within a period billed on %(penalty)s",
                penalty=billed_on,
                **values,
            )
        else:
            label = lang_env._(
                "Interest given back — invoice %(invoice)s — from %(date_from)s to %(date_to)s — "
                "%(days)s days at %(rate)s %% on %(base)s paid within a period already billed",
                **values,
            )
        return (
            {
                "name": label,
                "quantity": 1,
                "price_unit": give_back["amount"],
                "account_id": account.id,
                "tax_ids": [Command.clear()],
            },
            {
                "kind": "interest_refund",
                "invoice_id": self.id,
                "refunded_penalty_id": give_back["penalty"].id,
                "date_from": give_back["date_from"],
                "date_to": give_back["date_to"],
                "days": give_back["days"],
                "base": give_back["base"],
                "annual_rate": give_back["annual_rate"],
                "amount": -give_back["amount"],
            },
        )

    def _fr_dunning_take_back_line(self, lang_env, give_back, account):
        """(line vals, penalty vals) charging back ``give_back`` (a void
        fr.dunning.penalty of kind ``interest_refund``): the penalty invoice
        whose interest it gave back was cancelled, so that interest was given
        back in full already."""
        self.ensure_one()
        label = lang_env._(
            "Interest given back on %(given_on)s taken back — invoice %(invoice)s — from %(date_from)s to "
            "%(date_to)s: the penalty invoice %(cancelled)s it corrected was cancelled",
            given_on=give_back.penalty_move_id.name,
            invoice=self.name,
            date_from=format_date(lang_env, give_back.date_from),
            date_to=format_date(lang_env, give_back.date_to),
            cancelled=give_back.refunded_penalty_id.penalty_move_id.name,
        )
        return (
            {
                "name": label,
                "quantity": 1,
                "price_unit": -give_back.amount,
                "account_id": account.id,
                "tax_ids": [Command.clear()],
            },
            {
                "kind": "give_back_reversal",
                "invoice_id": self.id,
                "refunded_penalty_id": give_back.id,
                "date_from": give_back.date_from,
                "date_to": give_back.date_to,
                "days": give_back.days,
                "base": give_back.base,
                "annual_rate": give_back.annual_rate,
                "amount": -give_back.amount,
            },
        )

    def _fr_dunning_create_penalty_moves(self, documents, issue_date):
        """Create the penalty invoices of ``documents`` (see
        _fr_dunning_penalty_documents), one ``create(vals_list)`` per company
        and currency, and record what each line charged (fr.dunning.penalty).

        Each invoice is given whole: its income lines with their amounts, and
        its receivable lines as Odoo's synchronisation of the dynamic lines
        would compute them from the customer's payment term (see
        _fr_dunning_penalty_receivable_lines): they are created without that
        synchronisation (``skip_invoice_sync``), which would find them right
        and change nothing at about a third of the creation's cost, nor the
        lines' own (``skip_invoice_line_sync``: their balances are given); the
        balance of each invoice is still checked by Odoo's create, and a draft
        edited afterwards is synchronised as usual. The journal (Odoo's own
        default, found once per company and currency) and, when the companies
        have no analytic distribution model, the empty analytic distribution
        are given rather than searched once per line; the "Invoice created"
        note is logged on all of them at once instead of one message_post each
        (which notifies the invoice's followers: on a new invoice, only its
        author).

        :returns: [(penalty invoice or credit note, its document)]"""
        Move = self.env["account.move"]
        created = []
        for creator, vals_list, batch in self._fr_dunning_penalty_move_batches(documents, issue_date):
            # Back in the caller's environment: later changes are synchronised.
            moves = Move.browse(creator.create(vals_list).ids)
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
        return created

    def _fr_dunning_penalty_move_batches(self, documents, issue_date):
        """The create values of the penalty invoices of ``documents``, given
        whole (see _fr_dunning_create_penalty_moves): [(the environment that
        creates them, vals_list, their documents)], one per company and
        currency."""
        Move = self.env["account.move"]
        companies = self.env["res.company"].union(*(document["company"] for document in documents))
        Distribution = self.env["account.analytic.distribution.model"].sudo()
        no_analytic = not Distribution.search_count(Distribution._check_company_domain(companies), limit=1)
        by_company_currency = defaultdict(list)
        for document in documents:
            by_company_currency[document["company"], document["currency"]].append(document)
        batches = []
        for (company, currency), batch in by_company_currency.items():
            # As superuser: the penalty flag is set by this flow only (see
            # write), after its entry point checked the user; the invoices
            # are the user's all the same (author, salesperson, followers).
            creator = (
                Move.with_company(company)
                .with_context(mail_create_nolog=True, skip_invoice_sync=True, skip_invoice_line_sync=True)
                .sudo()
            )
            journal = creator.new(
                {"move_type": "out_invoice", "company_id": company.id, "currency_id": currency.id}
            )._search_default_journal()
            rate = self.env["res.currency"]._get_conversion_rate(
                company.currency_id, currency, company, issue_date
            )
            vals_list = []
            for document in batch:
                # An income line is a credit on an invoice, a debit on a credit note.
                sign = -1 if document["move_type"] == "out_invoice" else 1
                line_vals = []
                for sequence, (vals, _penalty) in enumerate(document["lines"], start=1):
                    # Its amounts are given as Odoo's synchronisation would
                    # compute them.
                    amount = currency.round(sign * vals["price_unit"])
                    vals = dict(
                        vals,
                        display_type="product",
                        sequence=sequence,
                        amount_currency=amount,
                        balance=company.currency_id.round(amount / rate),
                    )
                    if no_analytic:
                        vals["analytic_distribution"] = False
                    line_vals.append(vals)
                receivable_lines, due_date = self._fr_dunning_penalty_receivable_lines(
                    document["move_type"],
                    document["partner"],
                    company,
                    currency,
                    issue_date,
                    (
                        sum(vals["amount_currency"] for vals in line_vals),
                        sum(vals["balance"] for vals in line_vals),
                    ),
                )
                vals_list.append(
                    {
                        "move_type": document["move_type"],
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "partner_id": document["partner"].id,
                        "currency_id": currency.id,
                        "invoice_date": issue_date,
                        "fr_dunning_is_penalty_invoice": True,
                        "invoice_origin": ", ".join(move.name for move in document["moves"])[:256],
                        "narration": self._fr_dunning_penalty_narration(document),
                        "invoice_date_due": due_date,
                        "line_ids": [Command.create(vals) for vals in line_vals + receivable_lines],
                    }
                )
            batches.append((creator, vals_list, batch))
        return batches

    @api.model
    def _fr_dunning_penalty_narration(self, document):
        lang_env = document["lang_env"]
        narration = lang_env._(
            "Late-payment penalties and recovery indemnities are outside the scope of VAT."
        )
        if document["move_type"] == "out_refund":
            narration = (
                lang_env._(
                    "Late-payment interest charged on sums already paid, given back: interest is owed "
                    "on the sums remaining due only (Code de commerce L441-10)."
                )
                + " "
                + narration
            )
        return narration

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

    def _fr_dunning_log_penalty_invoices(self, created):
        """A dunning event per penalty invoice or credit note, and a chatter
        message on each late invoice it concerns. ``created``: [(penalty
        invoice, its document)] (see _fr_dunning_create_penalty_moves), whose
        lines say which late invoice each charge concerns."""
        event_vals, bodies = [], defaultdict(list)
        writer = history_writers(self.env)  # the history is written in the company's language
        for penalty_move, document in created:
            late_moves = document["moves"]
            lang_env = writer(penalty_move.company_id)[0]
            refund = penalty_move.move_type == "out_refund"
            invoices = ", ".join(late_moves.mapped("name"))
            event_vals.append(
                {
                    "name": lang_env._(
                        "Credit note of interest given back for %(invoices)s", invoices=invoices
                    )
                    if refund
                    else lang_env._("Penalty invoice for %(invoices)s", invoices=invoices),
                    "company_id": penalty_move.company_id.id,
                    "partner_id": penalty_move.commercial_partner_id.id,
                    "move_ids": [Command.set(late_moves.ids)],
                    "event_type": "penalty",
                    "channel": "manual",
                    "user_id": self.env.uid,
                    "currency_id": penalty_move.currency_id.id,
                    "amount_residual": -penalty_move.amount_total if refund else penalty_move.amount_total,
                }
            )
            link = {"link": penalty_move._get_html_link()}
            billed = Markup(lang_env._("Late-payment penalties billed on %(link)s.")) % link
            given = Markup(lang_env._("Interest charged on sums already paid given back on %(link)s.")) % link
            kinds = defaultdict(set)
            for _vals, penalty in document["lines"]:
                kinds[penalty["invoice_id"]].add(penalty["kind"])
            for late_move_id, late_kinds in kinds.items():
                if late_kinds - {"interest_refund"}:
                    bodies[late_move_id].append(billed)
                if "interest_refund" in late_kinds:
                    bodies[late_move_id].append(given)
        self.env["account.move"].browse(list(bodies))._message_log_batch(
            bodies={move_id: Markup("<br/>").join(parts) for move_id, parts in bodies.items()}
        )
        self.env["fr.dunning.event"]._fr_dunning_record(event_vals)
