# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""E-invoicing lifecycle statuses (statuts du cycle de vie) of the invoices.

Since 1 September 2026 the approved platforms (plateformes agréées) return a
status on each electronic invoice. This model keeps them, whatever feeds
them: the CSV import, the platform connectors through ``record_statuses``,
or the invoice's own lifecycle field when the installed Odoo has one
(fr_dunning_lifecycle_feed.py). Each status is an event in the history, and
the chasing obeys it (fr_dunning_lifecycle_reaction.py).

The codes and their labels are those of the DGFiP/AIFE external
specifications (Dossier de spécifications externes de la facturation
électronique, v3.1, 31/10/2025) and of the AFNOR XP Z12-012 standard, as
the platforms' documentation publishes them (the CDAR ProcessConditionCode,
VRBL:FR:200 to VRBL:FR:225). The four mandatory ones are 200, 210, 212 and
213. The codes marked "not verified" were not found in a published list.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from . import fr_dunning_law as law
from .fr_dunning_access import GROUP_USER, guarded

# (code, French label of the specifications, English label)
LIFECYCLE_CODES = [
    ("200", "Déposée", "Submitted"),
    ("201", "Émise par la plateforme", "Issued by the platform"),
    ("202", "Reçue par la plateforme", "Received by the platform"),
    ("203", "Mise à disposition", "Made available"),
    ("204", "Prise en charge", "In hand"),
    ("205", "Approuvée", "Approved"),
    ("206", "Approuvée partiellement", "Partially approved"),
    ("207", "En litige", "In dispute"),
    ("208", "Suspendue", "Suspended"),
    ("209", "Complétée", "Completed"),
    ("210", "Refusée", "Refused"),
    ("211", "Paiement transmis", "Payment sent"),
    ("212", "Encaissée", "Payment received"),
    ("213", "Rejetée", "Rejected"),
    ("214", "Visée", "Reviewed"),
    ("220", "Annulée", "Cancelled"),
    ("221", "Erreur de routage", "Routing error"),
    ("224", "Demande de paiement direct", "Direct payment request"),
    ("225", "Affacturée", "Factored"),
    ("226", "Affacturée confidentiel (not verified)", "Factored, confidential (not verified)"),
    ("227", "Changement de compte à payer (not verified)", "Change of payee account (not verified)"),
    ("228", "Non affacturée (not verified)", "Not factored (not verified)"),
]
LIFECYCLE_SELECTION = [(code, f"{code} {french}") for code, french, _english in LIFECYCLE_CODES]
CODES = frozenset(code for code, _french, _english in LIFECYCLE_CODES)
FACTORING_CODES = frozenset({"225", "226"})


class FrDunningLifecycleStatus(models.Model):
    _name = "fr.dunning.lifecycle.status"
    _description = "E-invoicing lifecycle status"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "code"

    company_id = fields.Many2one(
        comodel_name="res.company",
        related="move_id.company_id",
        store=True,
        index=True,
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        related="move_id.commercial_partner_id",
        store=True,
        index=True,
    )
    code = fields.Selection(
        selection=LIFECYCLE_SELECTION,
        string="Status",
        required=True,
        readonly=True,
        index=True,
    )
    date = fields.Date(
        required=True,
        readonly=True,
        help="The date of the status, as the platform gives it.",
    )
    reason_code = fields.Char(
        readonly=True,
        help="The reason code of the specifications (a refusal or a rejection has one).",
    )
    reason = fields.Char(
        readonly=True,
        help="The buyer's or the platform's words.",
    )
    source = fields.Selection(
        selection=[
            ("import", "File import"),
            ("connector", "Platform connector"),
            ("invoice", "Invoice's e-invoicing status"),
        ],
        required=True,
        readonly=True,
        default="connector",
    )
    purchase_order_missing = fields.Boolean(
        readonly=True,
        help="Refused for a missing purchase-order number: the refusal does not move the due date.",
    )
    duplicate = fields.Boolean(
        readonly=True,
        help="Rejected as a duplicate: the rejection concerns the duplicate transmission only.",
    )
    reaction = fields.Char(
        readonly=True,
        help="What the dunning did on this status.",
    )
    event_id = fields.Many2one(
        comodel_name="fr.dunning.event",
        string="History",
        readonly=True,
        ondelete="restrict",
    )
    dispute_id = fields.Many2one(
        comodel_name="fr.dunning.dispute",
        readonly=True,
        ondelete="restrict",
    )
    hold_id = fields.Many2one(
        comodel_name="fr.dunning.lifecycle.hold",
        string="Pause",
        readonly=True,
        ondelete="restrict",
    )

    _sql_constraints = [
        ("status_unique", "UNIQUE(move_id, code, date)", "An invoice has a status once a day."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': statuses come from the platforms' feeds only.
        if not self.env.su:
            raise AccessError(self.env._("E-invoicing statuses come from the platforms: import them."))
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS 'base': a status received is evidence.
        if not self.env.su:
            raise AccessError(self.env._("An e-invoicing status is kept as the platform gave it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("An e-invoicing status is evidence and cannot be deleted."))

    @api.model
    @guarded(GROUP_USER, "read")
    def record_statuses(self, statuses, source="connector"):
        """Record e-invoicing statuses, for the platform connectors (over RPC
        too) and the import: ``statuses`` is a list of dicts with ``invoice``
        (an id, or the invoice's number), ``code`` ("210"), ``date`` (a date
        or "YYYY-MM-DD"), and optionally ``reason_code`` and ``reason``.
        A status already recorded (same invoice, code and date) is skipped.
        Returns the new statuses, reacted to."""
        if source not in dict(self._fields["source"].selection):
            raise ValidationError(self.env._("Unknown source %(source)s.", source=source))
        moves = self._fr_dunning_invoices([status.get("invoice") for status in statuses or []])
        vals_list, keys = [], set()
        for status in statuses or []:
            move = moves[status.get("invoice")]
            code = str(status.get("code") or "").strip().removeprefix("VRBL:FR:")
            if code not in CODES:
                raise ValidationError(
                    self.env._(
                        "Unknown e-invoicing status “%(code)s” for %(invoice)s.", code=code, invoice=move.name
                    )
                )
            day = fields.Date.to_date(status.get("date"))
            if not day:
                raise ValidationError(self.env._("The status of %(invoice)s has no date.", invoice=move.name))
            reason_code = (status.get("reason_code") or "").strip()
            reason = (status.get("reason") or "").strip()
            keys.add((move.id, code, day))
            vals_list.append(
                {
                    "move_id": move.id,
                    "code": code,
                    "date": day,
                    "reason_code": reason_code,
                    "reason": reason,
                    "source": source,
                    "purchase_order_missing": law.lifecycle_purchase_order_missing(code, reason_code, reason),
                    "duplicate": law.lifecycle_duplicate(code, reason_code, reason),
                }
            )
        existing = {
            (status.move_id.id, status.code, status.date)
            for status in self.sudo().search([("move_id", "in", [key[0] for key in keys])])
        }
        new, seen = [], set()
        for vals in vals_list:
            key = (vals["move_id"], vals["code"], vals["date"])
            if key in existing or key in seen:
                continue
            seen.add(key)
            new.append(vals)
        created = self.sudo().create(new)
        created.sorted(lambda s: (s.date, s.code, s.id))._fr_dunning_react()
        return created.sudo(self.env.su)

    @api.model
    def _fr_dunning_invoices(self, references):
        """{reference: invoice} for invoice ids or numbers, among the posted
        customer invoices the user may read (another company's are refused)."""
        ids = [ref for ref in references if isinstance(ref, int)]
        names = [ref for ref in references if isinstance(ref, str)]
        Move = self.env["account.move"]
        domain = [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
        by_id = Move.browse(ids).exists().filtered_domain(domain)
        by_id.check_access("read")
        by_name = Move.search(domain + [("name", "in", names)]) if names else Move
        found = {move.id: move for move in by_id}
        found.update({move.name: move for move in by_name})
        missing = [str(ref) for ref in references if ref not in found]
        if missing:
            raise UserError(
                self.env._(
                    "No posted customer invoice of yours is %(invoices)s.",
                    invoices=", ".join(sorted(set(missing))),
                )
            )
        return found
