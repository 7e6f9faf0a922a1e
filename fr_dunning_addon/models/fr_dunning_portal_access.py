# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's link to its overdue invoices, without a login.

Every reminder email and letter carries one link, ``/dunning/<token>``: the
customer (a commercial entity, in one company) sees its overdue invoices on
Odoo's portal, pays them, promises a date or contests them
(``fr_dunning_portal_page.py``, ``controllers/``). The token is a random secret
of 240 bits (48 characters drawn by ``secrets`` from 32 letters and digits
that cannot be mistaken for one another, no hyphen: a link printed on a
letter wraps and is typed again), made by the sending only, one
per customer and company, valid ``ACCESS_DAYS`` days after the last
reminder that carried it; a manager revokes it, and the next reminder then
carries a new one. An expired link is never revived: the next reminder
carries a new token too.
"""

import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq

from .fr_dunning_access import GROUP_MANAGER, guarded, known_record

# How long a link stays valid after the last reminder that carried it: the
# letters' deadlines (8 to 15 days) and a customer's slow accounts payable.
ACCESS_DAYS = 90
# The forms (promise, contest) one link may send in a day: a customer sends
# one or two; a script trying ids is cut short.
FORMS_PER_DAY = 20
# 32 signs (no 0/o, 1/l, no hyphen): 5 bits each, 48 of them make 240 bits.
TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
TOKEN_LENGTH = 48


def new_token():
    """A random link token (``secrets``: the system's cryptographic source),
    its 240 bits read at once and written 5 bits a sign (one read of the
    source instead of one a sign: a first night makes thousands)."""
    number = int.from_bytes(secrets.token_bytes(TOKEN_LENGTH * 5 // 8), "big")
    return "".join(TOKEN_ALPHABET[(number >> (5 * index)) & 31] for index in range(TOKEN_LENGTH))


class FrDunningPortalAccess(models.Model):
    _name = "fr.dunning.portal.access"
    _description = "Customer's online access to its overdue invoices"
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        readonly=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        help="The commercial entity whose overdue invoices the link shows.",
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        index=True,
        groups=GROUP_MANAGER,
    )
    expiry_date = fields.Date(
        string="Valid until",
        required=True,
        readonly=True,
        help="The link works until this date: the last reminder that carried it plus 90 days.",
    )
    revoked = fields.Boolean(
        readonly=True,
        help="A revoked link shows nothing any more; the next reminder carries a new one.",
    )
    revoked_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Revoked by",
        readonly=True,
    )
    revoked_date = fields.Datetime(
        string="Revoked on",
        readonly=True,
    )
    last_used = fields.Datetime(
        string="Last opened",
        readonly=True,
    )
    # The forms sent today through the link (FORMS_PER_DAY).
    form_day = fields.Date(
        string="Forms counted on",
        readonly=True,
    )
    form_count = fields.Integer(
        string="Forms that day",
        readonly=True,
    )
    url = fields.Char(
        string="Link",
        compute="_compute_url",
        groups=GROUP_MANAGER,
    )

    _sql_constraints = [
        ("token_unique", "UNIQUE(token)", "A link's token is unique."),
    ]

    def _compute_url(self):
        base_url = self.get_base_url()
        for access in self:
            access.url = f"{base_url}{access._fr_dunning_path()}"

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': links are made by the sending of reminders only.
        if not self.env.su:
            raise AccessError(self.env._("A customer's link is made when a reminder is sent, not by hand."))
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'base': the sending refreshes, the Revoke button revokes.
        if not self.env.su:
            raise AccessError(self.env._("Use the Revoke button: a customer's link is not edited by hand."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A customer's link is revoked, not deleted: it says who could see what."))

    @guarded(GROUP_MANAGER, "write")
    def action_revoke(self):
        """The link shows nothing any more (a forwarded email, a lost letter)."""
        self.filtered(lambda a: not a.revoked).sudo().write(
            {"revoked": True, "revoked_by_id": self.env.uid, "revoked_date": fields.Datetime.now()}
        )

    # ------------------------------------------------------------------
    # The sending's flow
    # ------------------------------------------------------------------

    def _fr_dunning_path(self):
        self.ensure_one()
        return f"/dunning/{self.sudo().token}"

    @api.model
    def _fr_dunning_valid_domain(self, today):
        return [("revoked", "=", False), ("expiry_date", ">=", today)]

    @api.model
    def _fr_dunning_grant(self, events):
        """Give the customers of ``events`` (reminders being sent) a link valid
        ACCESS_DAYS days from the latest event's day: the valid ones are
        refreshed in one write, the missing ones made in one create. Run by
        the sending, as superuser; no query per customer."""
        if not events:
            return self.browse()
        today = fields.Date.context_today(self)
        expiry = today + timedelta(days=ACCESS_DAYS)
        pairs = {(event.partner_id.commercial_partner_id.id, event.company_id.id) for event in events}
        Access = self.sudo()
        valid = Access.search(
            [
                ("partner_id", "in", list({p for p, _c in pairs})),
                ("company_id", "in", list({c for _p, c in pairs})),
                *self._fr_dunning_valid_domain(today),
            ]
        )
        have = {(a.partner_id.id, a.company_id.id) for a in valid}
        valid.filtered(
            lambda a: (a.partner_id.id, a.company_id.id) in pairs and a.expiry_date < expiry
        ).write({"expiry_date": expiry})
        return valid | Access.create(
            [
                {
                    "partner_id": partner_id,
                    "company_id": company_id,
                    "token": new_token(),
                    "expiry_date": expiry,
                }
                for partner_id, company_id in sorted(pairs - have)
            ]
        )

    @api.model
    def _fr_dunning_links(self, events):
        """{(commercial partner id, company id): absolute URL} of the valid
        links of the customers of ``events``, in one query (rendering only
        reads: the links were given when sending)."""
        if not events:
            return {}
        today = fields.Date.context_today(self)
        accesses = self.sudo().search_fetch(
            [
                ("partner_id", "in", events.partner_id.commercial_partner_id.ids),
                ("company_id", "in", events.company_id.ids),
                *self._fr_dunning_valid_domain(today),
            ],
            ["partner_id", "company_id", "token"],
            order="expiry_date, id",
        )
        base_url = events[:1].get_base_url()
        # The latest wins (order ascending, later ones overwrite).
        return {(a.partner_id.id, a.company_id.id): base_url + a._fr_dunning_path() for a in accesses}

    @api.model
    def _fr_dunning_from_token(self, token):
        """The valid access of ``token``, or an empty recordset: unknown,
        malformed, expired and revoked alike.

        As superuser, and as the public user whoever is logged in: what the
        page records is the customer's, never the deed of an employee (of
        another company, perhaps) who opened a forwarded link."""
        public = known_record(self.env, "base.public_user")
        Access = (self.with_user(public) if public else self).sudo()
        if not token or not isinstance(token, str) or len(token) > 128:
            return Access.browse()
        today = fields.Date.context_today(Access)
        access = Access.search([("token", "=", token), *self._fr_dunning_valid_domain(today)], limit=1)
        if not access or not consteq(access.token, token):
            return Access.browse()
        if not access.partner_id.active or not access.company_id.active:
            return Access.browse()
        return access

    def _fr_dunning_count_form(self):
        """Count a form sent through the link (a promise, a contest, a
        payment started); False once FORMS_PER_DAY is reached today."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        count = self.form_count + 1 if self.form_day == today else 1
        if count > FORMS_PER_DAY:
            return False
        self.sudo().write({"form_day": today, "form_count": count})
        return True

    def _fr_dunning_forms_limit_error(self):
        """The refusal of a form past FORMS_PER_DAY, in the reader's language."""
        return self.env._(
            "This page has received %(count)s requests today: please try again tomorrow or contact us.",
            count=FORMS_PER_DAY,
        )
