# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The run: one escalation of a company at a time (an advisory lock), a
customer whose data fails set aside, and the nightly cron in batches that
resume where the last call stopped."""

import json
import logging
import time
from collections import Counter
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, split_every

from .fr_dunning_escalation import ESCALATION_LOCK, RETRY_MINUTES

_logger = logging.getLogger(__name__)


class FrDunningEscalation(models.AbstractModel):
    _inherit = "fr.dunning.escalation"

    @api.model
    def _run(
        self,
        company,
        today=None,
        automatic=True,
        partners=None,
        only=None,
        force=False,
        level=None,
        exclude=None,
    ):
        """Plan and send today's communications of ``company``; returns a summary."""
        if not self.env.su and not self.env.user.has_group("fr_dunning_addon.group_fr_dunning_user"):
            raise AccessError(self.env._("Only dunning users can send reminders."))
        today = today or fields.Date.context_today(self)
        started = time.time()
        stale = company._fr_dunning_stale_bank_journals(today)
        if stale:
            _logger.warning(
                "fr_dunning escalation %s: bank statements of %s are older than %s days%s",
                company.name,
                ", ".join(stale.mapped("name")),
                company.fr_dunning_bank_stale_days,
                ": nightly run held" if automatic and company.fr_dunning_hold_if_stale else "",
            )
            if automatic and company.fr_dunning_hold_if_stale:
                return dict(self._empty_summary(company, held=1), held=stale)
        if not self._lock(company):
            # Another escalation of this company is sending: never both at once.
            _logger.info("fr_dunning escalation %s: another run is in progress, skipped", company.name)
            if not automatic:
                raise UserError(
                    self.env._(
                        "Reminders of %(company)s are being sent by another run. Try again in a minute.",
                        company=company.name,
                    )
                )
            return self._empty_summary(company, locked=1)
        plans, skipped = self._plan(
            company, today, partners=partners, force=force, only=only, level=level, exclude=exclude
        )
        # The responsibles' day of calls: some calls wait for tomorrow.
        plans, postponed = self._hold_calls(company, plans, today)
        run = self.env["fr.dunning.run"].browse()
        if plans or skipped or postponed:
            run = self.env["fr.dunning.run"]._get_run(company, today, automatic)
        sent = self._execute(plans, today, automatic, run=run)
        # The run's time counts its writes still in the ORM's buffers.
        self.env.flush_all()
        summary = {
            "company": company.name,
            "customers": len({plan.partner.id for plan in plans}),
            "communications": len(plans),
            "sent": dict(sent),
            "skipped": dict(skipped),
            "calls_postponed": postponed,
            "seconds": round(time.time() - started, 2),
        }
        if run:
            run._add_summary(summary)
            summary["run"] = run
        _logger.info("fr_dunning escalation %s: %s", today, summary)
        return summary

    @api.model
    def _run_isolating(self, company, today, partners):
        """The nightly ``_run`` of ``partners``, each attempt in a savepoint:
        when it fails, its halves are run, down to single customers. Returns
        (summary, errors): the merged summary of what was sent, and {partner:
        error message} of the customers that could not be chased.

        One customer whose data makes the run fail (a mail template edited
        with an expression that breaks for them, say) must not stop the night
        for everybody after them: Odoo's cron runner would call again the next
        day only, and turn the job off after a week of failures. A database
        error of the moment (a serialization failure, a lost connection) is
        not the customer's: it is raised, and the batch is redone."""
        try:
            with self.env.cr.savepoint():
                return self._run(company, today, partners=partners), {}
        except psycopg2.OperationalError:
            raise
        except Exception as error:  # isolated below, logged, and recorded on the run
            if len(partners) == 1:
                _logger.exception(
                    "fr_dunning escalation %s: chasing %s (%s) failed; nothing sent to them tonight",
                    company.name,
                    partners.display_name,
                    partners.id,
                )
                return self._empty_summary(company), {partners: self._error_text(error)}
        half = len(partners) // 2
        summary, errors = self._run_isolating(company, today, partners[:half])
        if summary["skipped"].get("locked"):
            return summary, errors
        other, other_errors = self._run_isolating(company, today, partners[half:])
        errors.update(other_errors)
        if other["skipped"].get("locked"):
            return other, errors
        for key in ("customers", "communications", "calls_postponed", "seconds"):
            summary[key] += other[key]
        for key in ("sent", "skipped"):
            summary[key] = dict(Counter(summary[key]) + Counter(other[key]))
        summary.pop("run", None)
        return summary, errors

    @api.model
    def _error_text(self, error):
        """What an accountant reads of ``error`` on the run: the message of a
        user error, else the error's kind and first lines (the log has the
        traceback)."""
        if isinstance(error, UserError):
            return error.args[0]
        lines = [line.strip() for line in f"{error.__class__.__name__}: {error}".splitlines()]
        text = " — ".join(line for line in lines if line)
        return text if len(text) <= 500 else text[:499] + "…"

    @api.model
    def _empty_summary(self, company, **skipped):
        return {
            "company": company.name,
            "customers": 0,
            "communications": 0,
            "sent": {},
            "skipped": skipped,
            "calls_postponed": 0,
            "seconds": 0,
        }

    @api.model
    def _lock(self, company):
        """Take the company's escalation lock until the end of the transaction;
        False when another transaction holds it (the nightly batch and an
        accountant's run never plan on the same state).

        The lock is taken after the transaction's first query, and Odoo's
        transactions see the database as of that query (REPEATABLE READ): a
        run that committed in between, while this one waited for the lock,
        would not be seen, and its customers would be planned again. So,
        holding the lock, the run writes the company's stamp, which every run
        writes: PostgreSQL refuses that write at once when another run
        committed since this transaction began (a serialization failure,
        before anything is rendered). The nightly batch is then redone in a
        new transaction; Odoo retries an accountant's request by itself."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", ESCALATION_LOCK, company.id))
        if not cr.fetchone()[0]:
            return False
        # The addon's own technical column: no ORM field of another module written.
        cr.execute(
            SQL(
                "UPDATE res_company SET fr_dunning_run_stamp = COALESCE(fr_dunning_run_stamp, 0) + 1 "
                "WHERE id = %s",
                company.id,
            ),
            log_exceptions=False,
        )
        company.invalidate_recordset(["fr_dunning_run_stamp"])
        return True

    @api.model
    def _call_again_soon(self, done, remaining):
        """End this cron call without finishing the night, and have the cron
        called again in a few minutes. Odoo's runner calls again at once only
        when the call reports some work done; otherwise it would wait for the
        next day."""
        cron = self.env.ref("fr_dunning_addon.ir_cron_fr_dunning_escalate", raise_if_not_found=False)
        if cron:
            cron._trigger(fields.Datetime.now() + timedelta(minutes=RETRY_MINUTES))
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _cron_fr_dunning_escalate(self, batch_size=500):
        """Nightly run, for the companies that turned Automatic dunning on.

        Customers in batches, in a stable order, and one batch that sends
        something per call. The company's nightly run record keeps the last
        customer done, written in the same transaction as the batch: Odoo's
        cron runner commits after each call and calls again while work
        remains, and a crash loses the current batch only, which the next call
        redoes (nothing was sent: mails leave the queue after the commit).

        The progress lives on the run record rather than in a system
        parameter: writing a parameter clears the registry caches of every
        Odoo worker, compiled templates included, at each batch.
        """
        today = fields.Date.context_today(self)
        # The night's progress is the cron's (users may only read runs).
        Run = self.env["fr.dunning.run"].sudo()
        companies = self.env["res.company"].search([("fr_dunning_auto", "=", True)], order="id")
        runs = {
            run.company_id.id: run
            for run in Run.search(
                [("company_id", "in", companies.ids), ("date", "=", today), ("is_automatic", "=", True)]
            )
        }
        for company in companies:
            run = runs.get(company.id, Run)
            if run.night_complete:
                continue
            # The night's candidates are searched once (0.15 to 0.3 s on 45 000
            # open invoices, at each of the 70 calls of a first night before),
            # then read from the run record; searched again past the last
            # customer done when that list runs out, for those who became due
            # meanwhile.
            queued = json.loads(run.night_queue or "[]")
            partner_ids = [partner_id for partner_id in queued if partner_id > run.night_cursor]
            if not partner_ids:
                queued = []
                partner_ids = self._candidate_partners(company, today, run.night_cursor)
            escalation = self.with_company(company)
            done = 0
            for batch in split_every(batch_size, partner_ids):
                try:
                    summary, errors = escalation._run_isolating(
                        company, today, self.env["res.partner"].browse(batch)
                    )
                except (psycopg2.errors.TransactionRollbackError, psycopg2.errors.LockNotAvailable) as error:
                    # Another transaction wrote the same rows meanwhile (bank
                    # reconciliation at night, say). The batch was rolled back;
                    # a new transaction, a new snapshot: this batch again soon.
                    _logger.info("fr_dunning escalation %s: %s; batch to be redone", company.name, error)
                    return self._call_again_soon(done, len(partner_ids) - done)
                if summary["skipped"].get("locked"):
                    # An accountant's run of this company is sending: this
                    # batch again at the next call, never skipped.
                    return self._call_again_soon(done, len(partner_ids) - done)
                if summary["skipped"].get("held"):
                    # Held for stale bank statements: the whole company, tonight.
                    run = run or Run._get_run(company, today, automatic=True)
                    run.held_reason = self.env._(
                        "Nothing sent: the last bank statements of %(journals)s are more than %(days)s days "
                        "old, and the company holds automatic reminders until they are imported.",
                        journals=", ".join(summary["held"].mapped("name")),
                        days=company.fr_dunning_bank_stale_days,
                    )
                    break
                done += len(batch)
                run = run or Run._get_run(company, today, automatic=True)
                run.night_cursor = batch[-1]
                run._add_errors(errors)
                if summary["communications"] or errors:
                    # Committed by the cron runner before the next call. A batch
                    # that sent nothing needs no commit: the next one follows in
                    # this call, without searching the candidates again.
                    if not queued and len(partner_ids) > done:
                        run.night_queue = json.dumps(partner_ids[done:])
                    self.env["ir.cron"]._notify_progress(done=done, remaining=len(partner_ids) - done or 1)
                    return
            run = run or Run._get_run(company, today, automatic=True)
            if queued:
                # The list ran out: anyone due meanwhile past the last one done?
                run.night_queue = False
                self.env["ir.cron"]._notify_progress(done=done, remaining=1)
                return
            run.write({"night_complete": True, "night_queue": False})
        self.env["ir.cron"]._notify_progress(done=0, remaining=0)
