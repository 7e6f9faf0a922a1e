# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Several workers, one night: two real Odoo servers on one database, each with
a cron thread, and an accountant sending by hand at the same time. Every
customer due must be chased once: no duplicate event, email or letter.

On DB, a database where l10n_fr_account and the addon are installed (with the
dataset of ``dataset.py``, generated here as of today when DB has none):

1. Automatic dunning is turned on for the dataset's companies, the nightly
   escalation cron made active and due now, an accountant created (bookkeeper
   and dunning user, in both companies) with a password; committed. Who is
   due tonight is planned then (rolled back), and the invoices' dunning
   counters are read.
2. Two Odoo server processes start (``--workers=0 --max-cron-threads=1``, logs
   in ``.local/bench_workers/``, outgoing mail to a closed port); their cron
   threads are woken with ``NOTIFY cron_trigger``, sent on the ``postgres``
   database where they listen.
3. Meanwhile the accountant, logged in over HTTP on the first server as a
   browser is, opens "To chase today" of each company (the menu's server
   action) and clicks "Send all" (``action_send_all``), in the reverse order of
   the cron's (which goes by company id), so that each side meets the other.
   A click refused because another run holds the company's lock is clicked
   again half a second later. ``--delay=S``: the accountant starts S seconds
   after the cron threads, to meet the night at another moment.
4. Once each company's nightly run of today is complete and the accountant is
   done, the servers are stopped (SIGTERM) and the night is counted in SQL:
   duplicate events, emails, letters and calls to make, customers chased by
   more than one run, invoices counted twice, customers due left unchased, and
   the errors in the two servers' logs.

The cron runner itself keeps the two servers apart (the job's row is taken
``FOR NO KEY UPDATE SKIP LOCKED`` for as long as the job runs, up to ten calls):
the conflicts that matter are the accountant's run against the nightly batch.
When the nightly batch meets the accountant, it asks to be called again in two
minutes; the bench brings that retry forward to now and wakes the cron threads
whenever the job is ready, instead of their one-minute poll (``--real-time``:
neither, as in production, where a night the accountant met takes minutes more).

It COMMITS what it sends: give it a copy, never a database in use, e.g.
``--from fr_dunning_bench_10000`` (the copy DB is made from it, database and
filestore; ``--drop`` drops it at the end). A copy made with ``CREATE DATABASE
... TEMPLATE`` alone lacks the filestore: Odoo then logs a traceback for each
file it misses (menu icons), which the bench counts apart. A database already
chased today is refused.

usage: python3 bench/bench_workers.py DB [--from=SRC [--drop]] [--update] [--invoices=N --customers=M]
           [--check] [--timeout=S] [--real-time] [--delay=S]
           [odoo options: --db_host=127.0.0.1 --db_port=54329 --db_user=odoo --addons-path=.]

``--check``: exit 1 when a customer was chased twice or not at all, or a
server logged an error (a write conflict that the addon or Odoo handled by
trying again is counted, not an error).
"""

import argparse
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import psycopg2
import requests
from psycopg2 import sql

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import connection_info_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CRON_XMLID = "fr_dunning_addon.ir_cron_fr_dunning_escalate"
ACTION_XMLID = "fr_dunning_addon.action_server_fr_dunning_preview"
LOGIN = "bench.workers.accountant"
# The refusal and the end of the accountant's work, as the server words them (in English).
REFUSED = "being sent by another run"
NOTHING_LEFT = "Nothing left to send"
# Seconds between two clicks of a refused "Send all", and between two looks at the night.
RETRY_PAUSE = 0.5
WATCH_PAUSE = 1.0


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        allow_abbrev=False,
        usage="%(prog)s DB [options] [odoo options]",
    )
    parser.add_argument("db")
    parser.add_argument("--from", dest="source", help="make DB a copy of this database first")
    parser.add_argument("--drop", action="store_true", help="drop the copy made with --from at the end")
    parser.add_argument(
        "--update", action="store_true", help="update the addon on DB first (a bench database made before)"
    )
    parser.add_argument("--invoices", type=int, default=600, help="when DB has no dataset (default 600)")
    parser.add_argument("--customers", type=int, default=150, help="when DB has no dataset (default 150)")
    parser.add_argument("--check", action="store_true", help="exit 1 on a duplicate or a server error")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the night (900)")
    parser.add_argument(
        "--delay",
        type=float,
        default=0,
        help="seconds after the cron's wake-up before the accountant logs in",
    )
    parser.add_argument(
        "--real-time",
        action="store_true",
        help="the cron's retries in two minutes, its threads' poll each minute",
    )
    args, odoo_args = parser.parse_known_args()
    if args.drop and not args.source:
        parser.error("--drop drops the copy made with --from only")
    return args, odoo_args


def pg_connect(dbname):
    """A connection of our own (not from Odoo's pool), in autocommit."""
    connection = psycopg2.connect(**connection_info_for(dbname)[1])
    connection.autocommit = True
    return connection


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------
# 1. The database, as the night finds it
# ---------------------------------------------------------------------------


def copy_database(source, db):
    """DB as a copy of ``source``: the database (PostgreSQL refuses while
    anyone is connected to the source; nobody is disconnected) and its
    filestore."""
    connection = pg_connect("postgres")
    try:
        connection.cursor().execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(db), sql.Identifier(source))
        )
    except psycopg2.errors.DuplicateDatabase:
        sys.exit(f"{db} exists already: --from makes a new copy.")
    except psycopg2.errors.ObjectInUse:
        sys.exit(f"{source} is in use: PostgreSQL copies a database nobody is connected to.")
    finally:
        connection.close()
    source_files = Path(odoo.tools.config.filestore(source))
    if source_files.exists():
        shutil.copytree(source_files, odoo.tools.config.filestore(db))


def drop_database(db):
    odoo.sql_db.close_db(db)
    connection = pg_connect("postgres")
    try:
        connection.cursor().execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(db)))
    finally:
        connection.close()
    shutil.rmtree(odoo.tools.config.filestore(db), ignore_errors=True)


def update_addon(db, odoo_args):
    """``-u fr_dunning_addon`` on DB, as bench/run.sh does on a database it reuses."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            *odoo_args,
            "-u",
            "fr_dunning_addon",
            "--stop-after-init",
            f"--http-port={free_port()}",
            "--log-level=warn",
        ],
        check=True,
        cwd=ROOT,
    )


def prepare(db, invoices, customers):
    """Dataset, settings, accountant and cron, committed; who is due tonight.
    Returns what the night's actors and the count need."""
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cron = env.ref(CRON_XMLID)
        # The night's day is the cron's: its user's time zone.
        today = fields.Date.context_today(cron.with_user(cron.user_id))
        generated = None
        cr.execute("SELECT 1 FROM account_move WHERE name LIKE 'BENCH/%%' LIMIT 1")
        if not cr.fetchone():
            sys.path.insert(0, str(HERE))
            from dataset import generate

            # Due dates from 200 days before today to 30 days after: most
            # customers owe an overdue invoice tonight, a few a preventive reminder.
            generated = generate(env, invoices=invoices, customers=customers, as_of=today)
            cr.commit()
        cr.execute(
            "SELECT (SELECT count(*) FROM fr_dunning_run WHERE date >= %(today)s)"
            " + (SELECT count(*) FROM fr_dunning_event WHERE date >= %(today)s)",
            {"today": today},
        )
        if cr.fetchone()[0]:
            sys.exit(f"{db} was chased on {today} already: give the bench a fresh copy (--from).")
        # Bench databases made before the dataset gave its customers a postal
        # address: their letters would be held (nightly) or refused (by hand).
        cr.execute(
            "UPDATE res_partner SET street = substring(ref from 7) || ' rue des Clients', zip = '75011', "
            "city = 'Paris' WHERE ref LIKE 'BENCH-%%' AND street IS NULL"
        )
        addressed = cr.rowcount
        cr.execute("SELECT count(*), max(date)::date FROM fr_dunning_event")
        earlier_events, last_event = cr.fetchone()
        cr.execute(
            "SELECT DISTINCT company_id FROM account_move "
            "WHERE name LIKE 'BENCH/%%' AND move_type = 'out_invoice'"
        )
        companies = env["res.company"].browse(sorted(row[0] for row in cr.fetchall()))
        env["fr.dunning.policy"]._create_default_policies(companies)
        companies.fr_dunning_auto = True
        cron.write({"active": True, "nextcall": fields.Datetime.now()})
        password = secrets.token_urlsafe(16)
        accountant = _accountant(env, companies, cron.user_id.tz, password)
        cr.commit()
        # Who is due tonight, and the invoices' dunning counters: what the
        # night must change once, no more, no less.
        due = set()
        due_customers = {}
        for company in companies:
            plans, _skipped = env["fr.dunning.escalation"].with_company(company)._plan(company, today)
            due |= {(company.id, plan.partner.id, plan.currency.id) for plan in plans}
            due_customers[company.id] = len({plan.partner.id for plan in plans})
        cr.execute(
            "SELECT id, COALESCE(fr_dunning_count, 0) FROM account_move WHERE move_type = 'out_invoice'"
        )
        counters = dict(cr.fetchall())
        cr.execute(
            "SELECT count(*) FROM account_move WHERE name LIKE 'BENCH/%%' AND move_type = 'out_invoice'"
        )
        bench_invoices = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM res_partner WHERE ref LIKE 'BENCH-%%'")
        bench_customers = cr.fetchone()[0]
        info = {
            "today": today,
            "generated": generated,
            "addressed": addressed,
            "companies": [(company.id, company.name) for company in companies],
            "cron_id": cron.id,
            "action_id": env.ref(ACTION_XMLID).id,
            "call_type_id": env.ref("mail.mail_activity_data_call").id,
            "login": accountant.login,
            "password": password,
            "tz": accountant.tz,
            "due": due,
            "due_customers": due_customers,
            "counters": counters,
            "earlier_events": earlier_events,
            "last_event": last_event,
            "invoices": bench_invoices,
            "customers": bench_customers,
        }
        cr.rollback()
        # Whatever the night writes is created after this.
        cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        info["since"] = cr.fetchone()[0]
    return info


def _accountant(env, companies, tz, password):
    """The accountant who sends by hand: a bookkeeper, dunning user, of both companies."""
    groups = (
        env.ref("base.group_user")
        | env.ref("account.group_account_user")
        | env.ref("fr_dunning_addon.group_fr_dunning_user")
    )
    Users = env["res.users"].with_context(no_reset_password=True, active_test=False)
    user = Users.search([("login", "=", LOGIN)], limit=1)
    values = {
        "name": "Bench accountant",
        "login": LOGIN,
        "password": password,
        "active": True,
        "company_id": companies[0].id,
        "company_ids": [fields.Command.set(companies.ids)],
        "groups_id": [fields.Command.link(group.id) for group in groups],
        # The cron's day is the accountant's; the refusals are read in English.
        "tz": tz or "UTC",
        "lang": "en_US",
    }
    if user:
        user.write(values)
    else:
        user = Users.create(values)
    return user


# ---------------------------------------------------------------------------
# 2. Two servers
# ---------------------------------------------------------------------------


class Server:
    """One Odoo server process: HTTP on its own port, one cron thread."""

    def __init__(self, number, db, odoo_args, log_dir):
        self.number = number
        self.port = free_port()
        self.log_path = log_dir / f"{db}-server{number}.log"
        command = [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            *odoo_args,
            "--workers=0",
            "--max-cron-threads=1",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--db-filter=^{re.escape(db)}$",
            # Nothing leaves the machine: nobody listens on this port.
            "--smtp=127.0.0.1",
            f"--smtp-port={free_port()}",
            "--log-level=info",
        ]
        self.log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.forced = False

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def ready(self):
        """The registry is loaded (the cron thread starts then) and HTTP answers."""
        if "Registry loaded in" not in self.log_path.read_text(encoding="utf-8", errors="replace"):
            return False
        try:
            requests.post(f"{self.url}/web/webclient/version_info", json={"params": {}}, timeout=2)
        except requests.RequestException:
            return False
        return True

    def stop(self):
        """SIGTERM, as a service manager stops Odoo; SIGKILL after a minute."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.forced = True
                self.process.kill()
                self.process.wait()
        self.log.close()


def wake(db):
    """NOTIFY the cron threads, as Odoo does: they LISTEN on the postgres database."""
    connection = pg_connect("postgres")
    try:
        connection.cursor().execute("SELECT pg_notify('cron_trigger', %s)", [db])
    finally:
        connection.close()


# ---------------------------------------------------------------------------
# 3. The accountant, from a browser
# ---------------------------------------------------------------------------


class RpcError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message or ""


class Accountant(threading.Thread):
    """Logs in, then for each company opens "To chase today" and clicks "Send
    all" until it goes through, or the night has left nothing to send."""

    def __init__(self, server, db, info, started, deadline, delay=0):
        super().__init__(name="accountant", daemon=True)
        self.server, self.db, self.info = server, db, info
        self.started, self.deadline, self.delay = started, deadline, delay
        self.session = requests.Session()
        self.calls = 0
        self.attempts = []  # (company, seconds since the wake-up, outcome, seconds taken)
        self.outcomes = {}  # company: outcome of its last click
        self.error = None

    def rpc(self, path, params):
        self.calls += 1
        response = self.session.post(
            self.server.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": self.calls, "params": params},
            timeout=max(self.deadline - time.time(), 30),
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data") or {}
            raise RpcError(data.get("name"), data.get("message") or body["error"].get("message"))
        return body["result"]

    def run(self):
        time.sleep(self.delay)
        try:
            self.rpc(
                "/web/session/authenticate",
                {"db": self.db, "login": self.info["login"], "password": self.info["password"]},
            )
            for company_id, name in reversed(self.info["companies"]):
                self.send_all(company_id, name)
        except (requests.RequestException, RpcError, KeyError, ValueError) as error:  # reported at the end
            self.error = f"{error.__class__.__name__}: {error}"

    def send_all(self, company_id, name):
        context = {"allowed_company_ids": [company_id], "lang": "en_US", "tz": self.info["tz"]}
        t0 = time.time()
        action = self.rpc("/web/action/run", {"action_id": self.info["action_id"], "context": context})
        preview_id = action["res_id"]
        [preview] = self.rpc(
            "/web/dataset/call_kw/fr.dunning.preview/read",
            {
                "model": "fr.dunning.preview",
                "method": "read",
                "args": [[preview_id], ["plan_count"]],
                "kwargs": {"context": context},
            },
        )
        self.attempts.append(
            (name, t0 - self.started, f"opens To chase today: {preview['plan_count']}", time.time() - t0)
        )
        while True:
            t0 = time.time()
            try:
                result = self.rpc(
                    "/web/dataset/call_button/fr.dunning.preview/action_send_all",
                    {
                        "model": "fr.dunning.preview",
                        "method": "action_send_all",
                        "args": [[preview_id]],
                        "kwargs": {"context": context},
                    },
                )
                outcome = f"Send all: sent, manual run {result['res_id']}"
            except RpcError as error:
                if REFUSED in error.message:
                    outcome = "refused"
                elif NOTHING_LEFT in error.message:
                    outcome = "Send all: nothing left to send"
                else:
                    outcome = f"Send all: error {error}"
            self.attempts.append((name, t0 - self.started, outcome, time.time() - t0))
            self.outcomes[name] = outcome
            if outcome != "refused" or time.time() > self.deadline:
                return
            time.sleep(RETRY_PAUSE)

    @property
    def refused(self):
        return sum(1 for attempt in self.attempts if attempt[2] == "refused")


# ---------------------------------------------------------------------------
# 4. The night, watched
# ---------------------------------------------------------------------------


def watch(db, info, servers, accountant, deadline, real_time):
    """Until every company's nightly run is complete and the accountant is
    done: bring the cron's retries forward and wake the cron threads when the
    job is ready (unless ``real_time``). Returns ({company id: seconds to
    complete}, retries brought forward)."""
    connection = pg_connect(db)
    cursor = connection.cursor()
    completed, hurried = {}, 0
    try:
        while time.time() < deadline:
            if any(server.process.poll() is not None for server in servers):
                break
            if not real_time:
                hurried += hurry(db, cursor, info["cron_id"])
            cursor.execute(
                "SELECT company_id FROM fr_dunning_run WHERE date = %s AND is_automatic AND night_complete",
                [info["today"]],
            )
            for [company_id] in cursor.fetchall():
                completed.setdefault(company_id, time.time() - accountant.started)
            if len(completed) == len(info["companies"]) and not accountant.is_alive():
                break
            time.sleep(WATCH_PAUSE)
    finally:
        connection.close()
    return completed, hurried


def hurry(db, cursor, cron_id):
    """The cron's retries brought forward to now, and its threads woken when
    the job is ready (else they would see it at their next poll, within a
    minute). Returns the number of retries brought forward."""
    cursor.execute(
        "UPDATE ir_cron_trigger SET call_at = now() AT TIME ZONE 'UTC' "
        "WHERE cron_id = %s AND call_at > now() AT TIME ZONE 'UTC'",
        [cron_id],
    )
    hurried = cursor.rowcount
    cursor.execute(
        """SELECT 1 FROM ir_cron
            WHERE id = %(cron)s AND active
              AND (nextcall <= now() AT TIME ZONE 'UTC'
                   OR EXISTS(SELECT 1 FROM ir_cron_trigger
                              WHERE cron_id = %(cron)s AND call_at <= now() AT TIME ZONE 'UTC'))""",
        {"cron": cron_id},
    )
    if cursor.fetchone():
        wake(db)
    return hurried


# ---------------------------------------------------------------------------
# 5. The count
# ---------------------------------------------------------------------------

# What must be 0; %(since)s: the night's start.
DUPLICATES = {
    # One communication is one event per channel: same customer, company, currency and level.
    "duplicate events": """
        SELECT count(*) FROM (
            SELECT 1 FROM fr_dunning_event WHERE create_date >= %(since)s
             GROUP BY company_id, partner_id, currency_id, level_id, event_type, channel
            HAVING count(*) > 1) dup""",
    "customers chased by more than one run": """
        SELECT count(*) FROM (
            SELECT 1 FROM fr_dunning_event WHERE create_date >= %(since)s
             GROUP BY company_id, partner_id HAVING count(DISTINCT run_id) > 1) dup""",
    "invoices in more than one communication": """
        SELECT count(*) FROM (
            SELECT rel.move_id FROM fr_dunning_event_account_move_rel rel
              JOIN fr_dunning_event event ON event.id = rel.event_id
             WHERE event.create_date >= %(since)s
             GROUP BY rel.move_id
            HAVING count(DISTINCT (event.run_id, event.partner_id, event.currency_id, event.level_id)) > 1
        ) dup""",
    "events with more than one email": """
        SELECT count(*) FROM (
            SELECT 1 FROM fr_dunning_event event
              JOIN mail_mail mail ON mail.mail_message_id = event.message_id
             WHERE event.create_date >= %(since)s GROUP BY event.id HAVING count(*) > 1) dup""",
    "dunning emails of no event": """
        SELECT count(*) FROM mail_message message
         WHERE message.create_date >= %(since)s AND message.fr_dunning_company_id IS NOT NULL
           AND NOT EXISTS(SELECT 1 FROM fr_dunning_event event WHERE event.message_id = message.id)""",
    "events with more than one letter": """
        SELECT count(*) FROM (
            SELECT 1 FROM ir_attachment attachment
              JOIN fr_dunning_event event
                ON attachment.res_model = 'fr.dunning.event' AND attachment.res_id = event.id
             WHERE event.create_date >= %(since)s AND attachment.mimetype = 'application/pdf'
             GROUP BY event.id HAVING count(*) > 1) dup""",
}

COUNTS = {
    "customers chased (company, customer)": """
        SELECT count(DISTINCT (company_id, partner_id)) FROM fr_dunning_event
         WHERE create_date >= %(since)s""",
    "events": "SELECT count(*) FROM fr_dunning_event WHERE create_date >= %(since)s",
    "events of the nightly run": """
        SELECT count(*) FROM fr_dunning_event WHERE create_date >= %(since)s AND is_automatic""",
    "email events": """
        SELECT count(*) FROM fr_dunning_event WHERE create_date >= %(since)s AND channel = 'email'""",
    "emails queued": """
        SELECT count(mail.id) FROM fr_dunning_event event
          JOIN mail_mail mail ON mail.mail_message_id = event.message_id
         WHERE event.create_date >= %(since)s""",
    "letter events": """
        SELECT count(*) FROM fr_dunning_event
         WHERE create_date >= %(since)s AND channel IN ('letter', 'registered_letter')""",
    "letters (PDF)": """
        SELECT count(*) FROM fr_dunning_event WHERE create_date >= %(since)s AND letter_id IS NOT NULL""",
    "call events": """
        SELECT count(*) FROM fr_dunning_event
         WHERE create_date >= %(since)s AND event_type = 'call_planned'""",
    "calls to make (to-dos)": """
        SELECT count(*) FROM mail_activity
         WHERE create_date >= %(since)s AND res_model = 'res.partner' AND activity_type_id = %(call_type)s""",
}


def count(db, info):
    """(duplicates, counts, due customers not chased, chased customers not due, runs of today)."""
    connection = pg_connect(db)
    cursor = connection.cursor()
    params = {"since": info["since"], "call_type": info["call_type_id"]}
    try:
        duplicates, counts = {}, {}
        for name, query in DUPLICATES.items():
            cursor.execute(query, params)
            duplicates[name] = cursor.fetchone()[0]
        for name, query in COUNTS.items():
            cursor.execute(query, params)
            counts[name] = cursor.fetchone()[0]
        # One to-do per call event: the to-dos are not linked to their events.
        duplicates["calls to make beyond one per call event"] = max(
            counts["calls to make (to-dos)"] - counts["call events"], 0
        )
        # The invoices' dunning counters: one step a night at most.
        cursor.execute(
            "SELECT id, COALESCE(fr_dunning_count, 0) FROM account_move WHERE move_type = 'out_invoice'"
        )
        steps = Counter(value - info["counters"].get(move_id, 0) for move_id, value in cursor.fetchall())
        duplicates["invoices counted twice tonight"] = sum(n for step, n in steps.items() if step > 1)
        counts["invoices counted once tonight"] = steps[1]
        cursor.execute(
            "SELECT DISTINCT company_id, partner_id, currency_id FROM fr_dunning_event "
            "WHERE create_date >= %(since)s",
            params,
        )
        chased = set(cursor.fetchall())
        cursor.execute(
            """SELECT run.id, company.name, run.is_automatic, run.night_complete,
                      COALESCE(run.customer_count, 0), COALESCE(run.communication_count, 0),
                      COALESCE(run.email_count, 0),
                      COALESCE(run.letter_count, 0) + COALESCE(run.registered_count, 0),
                      COALESCE(run.phone_count, 0), COALESCE(run.error_count, 0), COALESCE(run.duration, 0)
                 FROM fr_dunning_run run JOIN res_company company ON company.id = run.company_id
                WHERE run.date = %s ORDER BY run.company_id, run.id""",
            [info["today"]],
        )
        runs = cursor.fetchall()
    finally:
        connection.close()
    return duplicates, counts, info["due"] - chased, chased - info["due"], runs


# ---------------------------------------------------------------------------
# 6. The servers' logs
# ---------------------------------------------------------------------------

RECORD = re.compile(r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) \d+ (?P<level>[A-Z]+) ")
CALL = re.compile(
    r"Job '[^']*' \((?P<cron>\d+)\) (?P<what>starting|processed (?P<done>\d+) records, (?P<left>\d+))"
)


def log_records(path):
    """[(epoch, level, text)]: one record per log line, with the lines that follow it
    (a traceback, a query)."""
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = RECORD.match(line)
        if match:
            at = datetime.strptime(match["at"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            records.append([at, match["level"], line])
        elif records:
            records[-1][2] += "\n" + line
    return records


def read_log(server, cron_id, started):
    """What a server's log says of the night: its escalation calls, the
    conflicts handled, and its errors and warnings."""
    stats, calls = Counter(), []
    kinds = {"error": [], "conflict": [], "filestore": [], "shutdown": [], "warning": []}
    call_start, redone, stopping = None, False, False
    for at, level, text in log_records(server.log_path):
        # SIGTERM: Odoo closes its connections under the cron thread, which
        # may die with a traceback on its closed LISTEN connection.
        stopping = stopping or "send a second signal to force the shutdown" in text
        call = CALL.search(text)
        if call and int(call["cron"]) == cron_id:
            if call["what"] == "starting":
                call_start, redone = at, False
                stats["calls"] += 1
            else:
                done, left = int(call["done"]), int(call["left"])
                stopped = "a write conflict, batch to be redone" if redone else "the accountant's lock"
                calls.append(
                    (
                        (call_start or at) - started,
                        f"server {server.number} cron: {done} customers done, {left} left"
                        + (f": stopped by {stopped}" if left and not done else ""),
                        at - (call_start or at),
                    )
                )
        if "batch to be redone" in text:
            redone = True
            stats["redone"] += 1
        if "tries left, try again in" in text:
            stats["retried"] += 1
        if "virtual real time limit" in text:
            stats["limits"] += 1
        if "bad query" in text and "could not serialize access" in text:
            # Logged as an ERROR by odoo.sql_db, then handled: the batch or request is redone.
            kinds["conflict"].append(text)
        elif "_read_file reading" in text and "FileNotFoundError" in text:
            kinds["filestore"].append(text)
        elif stopping and "Traceback" in text:
            kinds["shutdown"].append(text)
        elif level in ("ERROR", "CRITICAL") or "Traceback" in text:
            kinds["error"].append(text)
        elif level == "WARNING":
            kinds["warning"].append(text)
    return stats, calls, kinds


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


def short(text, lines=12, width=240):
    """A log record cut down to its first line and the end of its traceback."""
    rows = [row[:width] for row in text.splitlines()]
    return "\n".join(rows if len(rows) <= lines else [rows[0], "    [...]", *rows[-(lines - 2) :]])


def timeline(accountant, logs, runs):
    """The night as it went: the cron calls of both servers and the accountant's
    clicks (refusals in a row counted as one line)."""
    entries = [entry for _stats, calls, _kinds in logs.values() for entry in calls]
    refusals = None
    for name, at, outcome, seconds in accountant.attempts:
        if outcome == "refused":
            refusals = refusals or [name, at, 0]
            refusals[2] += 1
            continue
        if refusals:
            entries.append(
                (refusals[1], f"accountant, {refusals[0]}: Send all refused {refusals[2]} times", 0)
            )
            refusals = None
        run = re.search(r"manual run (\d+)$", outcome)
        if run:
            outcome += f", {runs[int(run[1])]} customers"
        entries.append((at, f"accountant, {name}: {outcome}", seconds))
    if refusals:
        entries.append((refusals[1], f"accountant, {refusals[0]}: Send all refused {refusals[2]} times", 0))
    for at, what, seconds in sorted(entries):
        print(f"  +{at:6.1f} s  {what}" + (f" ({seconds:.1f} s)" if seconds >= 0.05 else ""))


def report(db, info, servers, accountant, night, result, logs):
    completed, hurried, elapsed = night
    duplicates, counts, missing, unexpected, runs = result
    names = dict(info["companies"])
    print(f"\n## Several workers, one night: {db}, {info['today']}\n")
    print(
        f"{info['invoices']} invoices, {info['customers']} customers, {len(names)} companies"
        + (" (dataset generated now)" if info["generated"] else "")
        + (f" (postal address completed on {info['addressed']} customers)" if info["addressed"] else "")
        + (
            f"; {info['earlier_events']} events of earlier nights (the last on {info['last_event']}),"
            " only tonight's counted"
            if info["earlier_events"]
            else "; never chased before"
        )
    )
    print(
        "Due tonight: " + ", ".join(f"{names[cid]} {n} customers" for cid, n in info["due_customers"].items())
    )
    print(
        f"Night: {elapsed:.1f} s from the wake-up of the cron threads until every nightly run was complete "
        f"and the accountant done; cron retries brought forward: {hurried}"
    )
    for company_id, seconds in sorted(completed.items()):
        print(f"  {names[company_id]}: nightly run complete at +{seconds:.1f} s")
    print("\nTimeline:")
    timeline(accountant, logs, {run[0]: run[4] for run in runs})
    print(f"\nAccountant (HTTP on server 1): {accountant.refused} clicks on Send all refused by the lock")
    if accountant.error:
        print(f"  stopped by {accountant.error}")
    print(
        "\n| server | escalation calls | batches redone (conflict) | requests retried (conflict) "
        "| time limits | errors | conflicts logged as ERROR | tracebacks once stopped | missing files "
        "| warnings | stopped by |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for server in servers:
        stats, _calls, kinds = logs[server.number]
        figures = [
            stats["calls"],
            stats["redone"],
            stats["retried"],
            stats["limits"],
            *(len(kinds[kind]) for kind in ("error", "conflict", "shutdown", "filestore", "warning")),
            "SIGKILL" if server.forced else "SIGTERM",
        ]
        print(f"| {server.number} (:{server.port}) | " + " | ".join(str(figure) for figure in figures) + " |")
    print(
        "\n| run | company | customers | communications | emails | letters | calls | errors | time "
        "| complete |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for run_id, company, automatic, complete, *figures, duration in runs:
        print(
            f"| {'nightly' if automatic else 'manual'} {run_id} | {company} | "
            + " | ".join(str(figure) for figure in figures)
            + f" | {duration:.1f} s | {'yes' if complete else ''} |"
        )
    print()
    for name, value in counts.items():
        print(f"{name}: {value}")
    print()
    for name, value in duplicates.items():
        print(f"{name}: {value}")
    print(f"customers due tonight left unchased: {len(missing)}")
    print(f"customers chased that were not due at the start: {len(unexpected)}")
    for server in servers:
        _stats, _calls, kinds = logs[server.number]
        for kind, title in (
            ("error", "errors"),
            ("conflict", "write conflicts logged as ERROR by odoo.sql_db, handled"),
            ("shutdown", "tracebacks once stopped (SIGTERM)"),
        ):
            if kinds[kind]:
                print(f"\nServer {server.number}, {title} ({len(kinds[kind])}, the first 5):")
                print("\n".join(short(text) for text in kinds[kind][:5]))
        if kinds["warning"]:
            print(f"\nServer {server.number}, warnings ({len(kinds['warning'])}):")
            # The message without its date and process: the same warning counted once.
            same = Counter(RECORD.sub("", text.splitlines()[0])[:200] for text in kinds["warning"])
            for message, times in same.most_common(5):
                print(f"  {times} x {message}")
        if kinds["filestore"]:
            print(f"\nServer {server.number}: {len(kinds['filestore'])} files missing from the filestore")
    print(f"\nLogs: {', '.join(str(server.log_path) for server in servers)}")


def run_night(db, args, odoo_args):
    """The whole bench on DB; returns what failed."""
    info = prepare(db, args.invoices, args.customers)
    log_dir = ROOT / ".local" / "bench_workers"
    log_dir.mkdir(parents=True, exist_ok=True)
    servers = [Server(number, db, odoo_args, log_dir) for number in (1, 2)]
    try:
        limit = time.time() + 180
        while not all(server.ready() for server in servers):
            if time.time() > limit or any(server.process.poll() is not None for server in servers):
                sys.exit(f"The servers did not start: see {', '.join(str(s.log_path) for s in servers)}")
            time.sleep(0.5)
        started = time.time()
        deadline = started + args.timeout
        wake(db)
        accountant = Accountant(servers[0], db, info, started, deadline, args.delay)
        accountant.start()
        completed, hurried = watch(db, info, servers, accountant, deadline, args.real_time)
        accountant.join(max(deadline - time.time(), 1))
        elapsed = time.time() - started
    finally:
        for server in servers:
            server.stop()
    logs = {server.number: read_log(server, info["cron_id"], started) for server in servers}
    result = count(db, info)
    report(db, info, servers, accountant, (completed, hurried, elapsed), result, logs)
    duplicates, _counts, missing, _unexpected, _runs = result
    return [
        *(name for name, value in duplicates.items() if value),
        *(["customers due left unchased"] if missing else []),
        *(["server errors"] if any(kinds["error"] for _stats, _calls, kinds in logs.values()) else []),
        *(["nightly runs not complete"] if len(completed) < len(info["companies"]) else []),
        *(["the accountant's requests failed"] if accountant.error else []),
        *(
            ["a Send all failed"]
            if any("error" in outcome for outcome in accountant.outcomes.values())
            else []
        ),
    ]


def main():
    args, odoo_args = parse_args()
    db = args.db
    odoo.tools.config.parse_config(["-d", db, *odoo_args])
    if args.source:
        copy_database(args.source, db)
    try:
        if args.update:
            update_addon(db, odoo_args)
        failed = run_night(db, args, odoo_args)
    finally:
        if args.drop:
            drop_database(db)
            print(f"{db} dropped")
    print("\nRESULT: " + (f"FAILED: {', '.join(failed)}" if failed else "OK, every customer due chased once"))
    if args.check and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
