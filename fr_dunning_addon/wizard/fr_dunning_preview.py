# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..models.fr_dunning_access import GROUP_USER, guarded

# The preview lists the customers with the largest amounts first, up to this
# many; "Send all" sends the others too. On a large ledger's first morning
# (17 000 customers in the benchmark) a longer list would only slow the screen.
PREVIEW_LIMIT = 1000


class FrDunningPreview(models.TransientModel):
    """ "To chase today": what the escalation would send, customer by customer.

    The accountant unticks what should not go, then sends the rest; the
    escalation re-reads the residuals when sending."""

    _name = "fr.dunning.preview"
    _description = "Dunning preview"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
    )
    force = fields.Boolean(
        string="Next level now",
        help="Send each customer's next level now, without waiting for its day or the minimum "
        "interval (from a customer's form).",
    )
    level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        string="Chosen level",
        readonly=True,
        help="The level the accountant chose to send, whatever the invoices' current level.",
    )
    line_ids = fields.One2many(
        comodel_name="fr.dunning.preview.line",
        inverse_name="preview_id",
        string="Communications",
    )
    skipped_note = fields.Char(
        readonly=True,
    )
    plan_count = fields.Integer(
        string="Customers to chase",
        readonly=True,
    )
    unlisted_count = fields.Integer(
        string="Not listed",
        readonly=True,
        help="Customers to chase today beyond the list, with smaller amounts: 'Send all' sends them too.",
    )
    bank_warning = fields.Char(
        readonly=True,
    )

    @api.depends("date")
    def _compute_display_name(self):
        for preview in self:
            preview.display_name = self.env._(
                "To chase on %(date)s", date=format_date(self.env, preview.date)
            )

    @api.model
    def _open(self, partners=None, force=False, level=None):
        """Create the preview of today's communications and open it."""
        company = self.env.company
        today = fields.Date.context_today(self)
        escalation = self.env["fr.dunning.escalation"].with_company(company)
        plans, skipped = escalation._plan(company, today, partners=partners, force=force, level=level)
        plan_count = len(plans)
        # Largest amounts at risk first, foreign currencies at today's rate.
        rates = {
            currency: currency._convert(1.0, company.currency_id, company, today)
            for currency in {plan.currency for plan in plans}
        }
        plans = sorted(plans, key=lambda plan: -plan.total * rates[plan.currency])[:PREVIEW_LIMIT]
        warnings = escalation._warnings(company, [plan.partner for plan in plans])
        stale = company._fr_dunning_stale_bank_journals(today)
        preview = self.create(
            {
                "company_id": company.id,
                "date": today,
                "force": force,
                "level_id": level.id if level else False,
                "plan_count": plan_count,
                "unlisted_count": plan_count - len(plans),
                "bank_warning": self.env._(
                    "The last bank statement of %(journals)s is more than %(days)s days old: "
                    "recent payments may not be in the books yet.",
                    journals=", ".join(stale.mapped("name")),
                    days=company.fr_dunning_bank_stale_days,
                )
                if stale
                else False,
                "skipped_note": self.env._(
                    "Left alone: %(interval)s chased too recently, %(amount)s under the minimum amount.",
                    interval=skipped.get("interval", 0),
                    amount=skipped.get("amount", 0),
                )
                if skipped
                else False,
            }
        )
        reachable = escalation._email_reachable({plan.partner.id for plan in plans})
        lines = []
        labels = escalation._channel_selection()
        for plan in plans:
            lines.append(
                {
                    "partner_id": plan.partner.id,
                    "currency_id": plan.currency.id,
                    "level_id": plan.level.id,
                    "channels": ", ".join(
                        escalation._channel_labels(
                            escalation._channels(plan.level, plan.partner, plan.partner.id in reachable),
                            labels,
                        )
                    ),
                    "move_ids": plan.moves.ids,
                    "amount": plan.total,
                    "warning": warnings.get(plan.partner.id) or None,
                }
            )
        preview._insert_lines(lines)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("To chase today"),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "current",
        }

    def _insert_lines(self, lines):
        """Insert the preview lines in SQL, two statements whatever their number
        (arrays unnested): on a large ledger the first morning has tens of
        thousands of customers to chase, and creating transient records through
        the ORM would make the accountant wait. Plain values only: the line
        model has no computed stored field and no constraint."""
        self.ensure_one()
        Line = self.env["fr.dunning.preview.line"]
        moves_field = Line._fields["move_ids"]
        if not lines:
            return
        line_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """INSERT INTO fr_dunning_preview_line
                           (preview_id, sequence, include, partner_id, currency_id, level_id, channels,
                            amount, warning, create_uid, create_date, write_uid, write_date)
                       SELECT %s, data.position, TRUE, data.partner_id, data.currency_id, data.level_id,
                              data.channels,
                              data.amount, data.warning, %s, now() AT TIME ZONE 'UTC', %s,
                              now() AT TIME ZONE 'UTC'
                         FROM unnest(%s::int[], %s::int[], %s::int[], %s::varchar[], %s::numeric[],
                                     %s::varchar[])
                              WITH ORDINALITY
                              AS data(partner_id, currency_id, level_id, channels, amount, warning, position)
                     ORDER BY data.position
                    RETURNING id""",
                    self.id,
                    self.env.uid,
                    self.env.uid,
                    [line["partner_id"] for line in lines],
                    [line["currency_id"] for line in lines],
                    [line["level_id"] for line in lines],
                    [line["channels"] for line in lines],
                    [line["amount"] for line in lines],
                    [line["warning"] for line in lines],
                )
            )
        ]
        # RETURNING follows the insertion order, which follows ORDER BY position.
        pairs = [
            (line_id, move_id)
            for line_id, line in zip(sorted(line_ids), lines, strict=True)
            for move_id in line["move_ids"]
        ]
        self.env.execute_query(
            SQL(
                "INSERT INTO %s (%s, %s) SELECT unnest(%s::int[]), unnest(%s::int[])",
                SQL.identifier(moves_field.relation),
                SQL.identifier(moves_field.column1),
                SQL.identifier(moves_field.column2),
                [pair[0] for pair in pairs],
                [pair[1] for pair in pairs],
            )
        )
        self.invalidate_recordset(["line_ids"])

    @guarded(GROUP_USER, "write")
    def action_send_all(self):
        """Send every communication due today, listed or not, except the lines
        the accountant unticked."""
        self.ensure_one()
        unticked = self.line_ids.filtered(lambda line: not line.include)
        return self._send(exclude={(line.partner_id.id, line.currency_id.id) for line in unticked})

    @guarded(GROUP_USER, "write")
    def action_send(self):
        self.ensure_one()
        lines = self.line_ids.filtered("include")
        if not lines:
            raise UserError(self.env._("Tick at least one communication to send."))
        return self._send(
            partners=lines.partner_id,
            only={(line.partner_id.id, line.currency_id.id) for line in lines},
        )

    def _send(self, partners=None, only=None, exclude=None):
        summary = (
            self.env["fr.dunning.escalation"]
            .with_company(self.company_id)
            ._run(
                self.company_id,
                today=self.date,
                automatic=False,
                partners=partners,
                only=only,
                exclude=exclude,
                force=self.force,
                level=self.level_id or None,
            )
        )
        if not summary.get("run"):
            raise UserError(self.env._("Nothing left to send: the invoices were paid or chased meanwhile."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "fr.dunning.run",
            "res_id": summary["run"].id,
            "view_mode": "form",
            "target": "current",
        }


class FrDunningPreviewLine(models.TransientModel):
    _name = "fr.dunning.preview.line"
    _description = "Dunning preview line"
    # Who to chase first: the largest amounts at risk.
    _order = "sequence, id"

    preview_id = fields.Many2one(
        comodel_name="fr.dunning.preview",
        required=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(
        help="Rank by amount at risk in the company's currency.",
    )
    include = fields.Boolean(
        string="Send",
        default=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
    )
    level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        readonly=True,
    )
    tier = fields.Selection(
        related="level_id.tier",
    )
    channels = fields.Char(
        readonly=True,
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        readonly=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        readonly=True,
    )
    amount = fields.Monetary(
        string="Amount due",
        currency_field="currency_id",
        readonly=True,
    )
    warning = fields.Char(
        readonly=True,
        help="Check before sending: unreconciled payments or open credit notes may mean the "
        "customer has already paid.",
    )

    @guarded(GROUP_USER, "read")
    def action_open_follow_up(self):
        self.ensure_one()
        return self.partner_id.with_company(self.preview_id.company_id).action_fr_dunning_follow_up()


class FrDunningLevelChoice(models.TransientModel):
    """Choose the level to send a customer now."""

    _name = "fr.dunning.level.choice"
    _description = "Send a chosen dunning level"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        required=True,
    )
    level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        string="Level to send",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    never_reminded = fields.Char(
        string="Never reminded",
        compute="_compute_never_reminded",
        help="The customers who got no reminder, letter or call before: a firm level would be "
        "their first communication.",
    )
    confirm_first = fields.Boolean(
        string="Send it as their first communication",
    )

    @api.depends("partner_ids", "level_id", "company_id")
    def _compute_never_reminded(self):
        for choice in self:
            partners = choice.partner_ids.commercial_partner_id
            if not choice.level_id or choice.level_id.tier in ("preventive", "courteous") or not partners:
                choice.never_reminded = False
                continue
            reminded = {
                partner.id
                for [partner] in self.env["fr.dunning.event"]._read_group(
                    [
                        ("company_id", "=", choice.company_id.id),
                        ("partner_id", "in", partners.ids),
                        ("event_type", "in", ("reminder", "letter", "registered_letter", "call")),
                    ],
                    ["partner_id"],
                )
            }
            choice.never_reminded = ", ".join(
                partners.filtered(lambda p, done=reminded: p.id not in done).mapped("name")
            )

    @guarded(GROUP_USER, "write")
    def action_preview(self):
        self.ensure_one()
        if self.never_reminded and not self.confirm_first:
            raise UserError(
                self.env._(
                    "%(customers)s never got a reminder: %(level)s would be their first communication "
                    '("despite our previous reminders" would not hold). Tick the box to confirm.',
                    customers=self.never_reminded,
                    level=self.level_id.name,
                )
            )
        return self.env["fr.dunning.preview"]._open(
            partners=self.partner_ids.commercial_partner_id, level=self.level_id
        )
