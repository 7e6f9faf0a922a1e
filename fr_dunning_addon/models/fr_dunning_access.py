# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may call what: the one guard of every public method of the addon.

Any model method whose name does not start with an underscore can be called
over JSON-RPC, whatever the views show or hide. So each public method of the
addon is decorated with ``guarded(group, operation)``, which, before anything
else, checks that the user has the group and that the records ``self`` holds
pass the model's access rights and record rules (``check_access``): a hidden
button is no protection, a guarded method is. ``tests/test_security.py``
lists every public method of the addon's models and fails on one that is not
guarded, then calls each one as a user who may not.
"""

import functools

from odoo.exceptions import AccessError

GROUP_USER = "fr_dunning_addon.group_fr_dunning_user"
GROUP_MANAGER = "fr_dunning_addon.group_fr_dunning_manager"
# Reading the figures (dashboard, customers in arrears): dunning users and the
# accounting auditors, who may read the books but change nothing.
GROUP_READERS = (GROUP_USER, "account.group_account_readonly")


def known_record(env, xmlid):
    """The record of ``xmlid``, or None when the id is unknown.

    Unlike ``env.ref``, no query: the id comes from ir.model.data's cache, and
    ``env.ref`` runs an existence query at each call, which the nightly loops
    paid once per customer (4 000 queries a night on 10 000 invoices)."""
    model, res_id = env["ir.model.data"]._xmlid_to_res_model_res_id(xmlid, raise_if_not_found=False)
    return env[model].browse(res_id) if model and res_id else None


def check(records, group, operation="read"):
    """Refuse unless the user has ``group`` (or one of a tuple of groups) and
    may ``operation`` ``records``.

    The superuser (sudo, the cron) passes: the addon's own flows run as such
    only after a guarded entry point let them in."""
    env = records.env
    groups = (group,) if isinstance(group, str) else group
    if not env.su and not any(env.user.has_group(name) for name in groups):
        raise AccessError(
            env._(
                "You are not allowed to do this: it needs the group “%(group)s”.",
                group=env.ref(groups[0]).sudo().full_name,
            )
        )
    records.check_access(operation)


def guarded(group, operation="read"):
    """Decorate a public method: ``check(self, group, operation)`` runs first."""

    def decorate(method):
        @functools.wraps(method)
        def guard(self, *args, **kwargs):
            check(self, group, operation)
            return method(self, *args, **kwargs)

        guard.fr_dunning_guard = (group, operation)
        return guard

    return decorate
