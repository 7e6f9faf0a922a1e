# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Chatter messages written in bulk.

A first night writes, per company, some 17 000 emails' chatter copies and
45 000 invoice notes. Through ``mail.message``'s ``create`` each one costs a
``default_get``, two sanitizations of its body, the inverse caches of its
document and a second row version when its body is written afterwards: a
fifth of the night. ``insert_messages`` writes the same rows with one INSERT
per thousand messages. What ``Message.create`` would compute is computed here
the same way (``message_id``, ``record_name``, defaults, the body sanitized by
the field's own rule); the tests compare, column by column, a message written
here with the one the ORM writes from the same values.
"""

import json
import logging
import subprocess
import sys
import threading
from collections import defaultdict

from markupsafe import Markup

from odoo import Command
from odoo.tools import SQL, split_every
from odoo.tools.mail import generate_tracking_message_id

from odoo.addons.mail.models.mail_message import _image_dataurl

# Rows per INSERT statement.
INSERT_BATCH = 1000
MAGIC_COLUMNS = ("id", "create_uid", "create_date", "write_uid", "write_date")
# Distinct bodies from which half are sanitized in a helper process.
PARALLEL_MIN = 2000
SANITIZER_TIMEOUT = 600  # seconds

_logger = logging.getLogger(__name__)


def thread_message_id(model, res_id):
    """The Message-Id ``Message.create`` gives a message on a document."""
    return generate_tracking_message_id(f"{res_id}-{model}")


def insert_messages(env, values_list, sanitized=None):
    """Create ``mail.message`` records from ``values_list`` (dicts of stored
    fields, ``attachment_ids`` as a list of ids); returns their ids, in order.

    The caller gives what ``Message.create`` would otherwise compute
    (``email_from``, ``reply_to``, ``message_id``, ``record_name``); the other
    stored fields get their defaults, read once. Bodies holding images as data
    URLs go through the ORM, which turns them into attachments.

    :param sanitized: a dict {body: sanitized body} shared between calls, so
        that a body is sanitized once (the invoices' notes repeat a few texts).
    """
    if not values_list:
        return []
    Message = env["mail.message"].sudo()
    ids = _create_with_images(Message, values_list)
    todo = [index for index, message_id in enumerate(ids) if message_id is None]
    if not todo:
        return ids
    todo_values = [values_list[index] for index in todo]
    sanitized = {} if sanitized is None else sanitized
    sanitize_bodies(Message, [vals.get("body") for vals in todo_values], sanitized)
    attachment_ids = {id_ for vals in todo_values for id_ in vals.get("attachment_ids") or []}
    # As Message.create: the user (not the superuser) may read the attachments.
    env["ir.attachment"].sudo(False).browse(attachment_ids).check("read")
    new_ids = _insert_rows(Message, todo_values, sanitized)
    for index, message_id in zip(todo, new_ids, strict=True):
        ids[index] = message_id
    _link_attachments(env, todo_values, new_ids)
    _invalidate_documents(env, todo_values)
    return ids


def sanitize_bodies(Message, bodies, sanitized):
    """Fill ``sanitized`` ({body: sanitized body}) for ``bodies``, by the
    message body field's own rule, once per distinct body.

    Sanitizing is pure computation, a quarter of a first night: from
    ``PARALLEL_MIN`` bodies on, a helper process sanitizes half of them on the
    machine's other core, with the same function and options as the field;
    should it fail, this process does its share.
    """
    body_field = Message._fields["body"]
    todo = list(dict.fromkeys(body for body in bodies if body and body not in sanitized))
    helper = None
    if len(todo) >= PARALLEL_MIN and body_field.sanitize and not body_field.sanitize_overridable:
        half = len(todo) // 2
        helper = SanitizerProcess(sanitize_options(body_field), todo[half:])
        todo = todo[:half]
    for body in todo:
        sanitized[body] = body_field.convert_to_column(body, Message)
    if helper:
        results = helper.results()
        if results is None:
            results = [body_field.convert_to_column(body, Message) for body in helper.bodies]
        sanitized.update(zip(helper.bodies, results, strict=True))


def sanitize_options(field):
    """The options ``fields.Html`` gives ``html_sanitize`` for ``field``."""
    return {
        "silent": True,
        "sanitize_tags": field.sanitize_tags,
        "sanitize_attributes": field.sanitize_attributes,
        "sanitize_style": field.sanitize_style,
        "sanitize_form": field.sanitize_form,
        "sanitize_conditional_comments": field.sanitize_conditional_comments,
        "output_method": field.sanitize_output_method,
        "strip_style": field.strip_style,
        "strip_classes": field.strip_classes,
    }


SANITIZER_SCRIPT = """
import json, sys
from odoo.tools.mail import html_sanitize
options, bodies = json.load(sys.stdin)
json.dump([html_sanitize(body, **options) for body in bodies], sys.stdout)
"""


class SanitizerProcess:
    """``html_sanitize`` over ``bodies`` in a child Python process, started
    at once; ``results()`` waits for it and returns the sanitized bodies, or
    None when the process failed (logged)."""

    def __init__(self, options, bodies, executable=None):
        self.bodies = bodies
        self._output = None
        try:
            self._process = subprocess.Popen(
                [executable or sys.executable, "-c", SANITIZER_SCRIPT],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError:
            _logger.warning("Could not start the sanitizer process; sanitizing in this one.", exc_info=True)
            self._process = None
            return
        payload = json.dumps([options, bodies]).encode()
        # Fed and read from a thread while this process does its own share.
        self._thread = threading.Thread(target=self._communicate, args=(payload,), daemon=True)
        self._thread.start()

    def _communicate(self, payload):
        try:
            self._output = self._process.communicate(payload, timeout=SANITIZER_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._output = None

    def results(self):
        if self._process is None:
            return None
        self._thread.join()
        if self._output is None or self._process.returncode != 0:
            stderr = self._output[1].decode(errors="replace")[-2000:] if self._output else "timeout"
            _logger.warning("The sanitizer process failed (%s); sanitizing in this one.", stderr)
            return None
        results = json.loads(self._output[0])
        if len(results) != len(self.bodies):
            _logger.warning(
                "The sanitizer process returned %s bodies for %s.", len(results), len(self.bodies)
            )
            return None
        return [Markup(body) for body in results]


def _create_with_images(Message, values_list):
    """Create through the ORM the messages whose body holds images as data
    URLs; returns the list of ids, None for the others."""
    ids = [None] * len(values_list)
    with_images = [
        index for index, vals in enumerate(values_list) if _image_dataurl.search(vals.get("body") or "")
    ]
    if with_images:
        created = Message.create(
            [
                {
                    **{key: value for key, value in values_list[index].items() if key != "attachment_ids"},
                    "attachment_ids": [Command.set(values_list[index].get("attachment_ids") or [])],
                }
                for index in with_images
            ]
        )
        for index, message in zip(with_images, created, strict=True):
            ids[index] = message.id
    return ids


def _insert_rows(Message, values_list, sanitized):
    """INSERT the rows of ``values_list`` (bodies already in ``sanitized``),
    the missing stored fields at their defaults; returns the new ids."""
    env = Message.env
    given = set().union(*(vals.keys() for vals in values_list)) - {"attachment_ids"}
    stored = {
        name: field
        for name, field in Message._fields.items()
        if field.store and field.column_type and name not in MAGIC_COLUMNS
    }
    now = env.cr.now()
    defaults = {"date": now, **Message.default_get([name for name in stored if name not in given])}
    columns = sorted((given | set(defaults)) & set(stored))
    rows = []
    for values in values_list:
        vals = {**defaults, **values}
        row = [env.uid, now, env.uid, now]
        for name in columns:
            if name == "body":
                row.append(sanitized.get(vals["body"]) or None)
            else:
                row.append(stored[name].convert_to_column_insert(vals.get(name), Message, vals))
        rows.append(row)
    column_sql = SQL(", ").join(SQL.identifier(name) for name in [*MAGIC_COLUMNS[1:], *columns])
    new_ids = []
    for chunk in split_every(INSERT_BATCH, rows):
        env.cr.execute(
            SQL(
                "INSERT INTO mail_message (%s) VALUES %s RETURNING id",
                column_sql,
                SQL(", ").join(SQL("(%s)", SQL(", ").join(row)) for row in chunk),
            )
        )
        new_ids += [row[0] for row in env.cr.fetchall()]
    return new_ids


def _link_attachments(env, values_list, message_ids):
    links = [
        (message_id, attachment_id)
        for vals, message_id in zip(values_list, message_ids, strict=True)
        for attachment_id in vals.get("attachment_ids") or []
    ]
    if links:
        env.cr.execute(
            SQL(
                "INSERT INTO message_attachment_rel (message_id, attachment_id) "
                "SELECT * FROM unnest(%s::int[], %s::int[])",
                [link[0] for link in links],
                [link[1] for link in links],
            )
        )


def _invalidate_documents(env, values_list):
    """The documents' message lists are stale, as after Message.create."""
    by_model = defaultdict(set)
    for vals in values_list:
        if vals.get("model") and vals.get("res_id"):
            by_model[vals["model"]].add(vals["res_id"])
    for model, res_ids in by_model.items():
        if model in env and "message_ids" in env[model]._fields:
            env[model].browse(res_ids).invalidate_recordset(
                ["message_ids", "message_needaction", "message_needaction_counter"]
            )
