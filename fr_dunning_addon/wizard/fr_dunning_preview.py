# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, formatLang

from ..models.fr_dunning_access import GROUP_USER, guarded
from ..models.fr_dunning_formats import LangFormats

# The preview lists the customers with the largest amounts first, up to this
# many; "Send all" sends the others too. On a large ledger's first morning
# (17 000 customers in the benchmark) a longer list would only slow the screen.
PREVIEW_LIMIT = 1000
# The escalation's channels under the names the dunning history gives them.
CHANNEL_CODES = {"registered": "registered_letter"}
FILTER_FIELDS = [
    "filter_level_id",
    "filter_channel",
    "filter_amount_min",
    "filter_amount_max",
    "filter_responsible_id",
]


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
    company_currency_id = fields.Many2one(
        related="company_id.currency_id",
    )
    # Filters: they change what the list shows and what the bulk buttons tick,
    # never what is sent (the ticked lines, shown or not).
    filter_level_id = fields.Many2one(
        comodel_name="fr.dunning.level",
        string="Level",
        check_company=True,
        domain="[('id', 'in', line_level_ids)]",
    )
    filter_channel = fields.Selection(
        selection="_selection_filter_channel",
        string="Channel",
    )
    filter_amount_min = fields.Monetary(
        string="Amount at least",
        currency_field="company_currency_id",
        help="In the company's currency (other currencies at today's rate); 0: no minimum.",
    )
    # A Monetary is never empty in the form (the ORM reads a NULL as 0.0 and
    # the web client parses an emptied input as 0): its label says what 0 means.
    filter_amount_max = fields.Monetary(
        string="Amount at most (0: no limit)",
        currency_field="company_currency_id",
        help="In the company's currency (other currencies at today's rate). 0 sets no maximum: "
        "every amount is shown.",
    )
    filter_responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        domain="[('id', 'in', line_responsible_ids)]",
    )
    line_level_ids = fields.Many2many(
        comodel_name="fr.dunning.level",
        string="Levels of the lines",
        compute="_compute_line_choices",
    )
    line_responsible_ids = fields.Many2many(
        comodel_name="res.users",
        string="Responsibles of the lines",
        compute="_compute_line_choices",
    )
    shown_line_ids = fields.One2many(
        comodel_name="fr.dunning.preview.line",
        inverse_name="preview_id",
        string="Communications shown",
        domain=[("shown", "=", True)],
    )
    shown_count = fields.Integer(
        string="Lines shown",
        compute="_compute_counts",
    )
    is_filtered = fields.Boolean(
        string="Filters in use",
        compute="_compute_counts",
    )
    send_ticked_note = fields.Char(
        string="What Send the ticked reminders sends",
        compute="_compute_counts",
    )
    send_all_note = fields.Char(
        string="What Send all sends",
        compute="_compute_counts",
    )

    @api.depends("date")
    def _compute_display_name(self):
        for preview in self:
            preview.display_name = self.env._(
                "To chase on %(date)s", date=format_date(self.env, preview.date)
            )

    @api.model
    def _selection_filter_channel(self):
        return [
            (code, label)
            for code, label in self.env["fr.dunning.event"]
            ._fields["channel"]
            ._description_selection(self.env)
            if code != "manual"
        ]

    def _compute_line_choices(self):
        """The levels and responsibles of the lines, for the filters' choices."""
        Line = self.env["fr.dunning.preview.line"]
        for preview in self:
            groups = Line._read_group(
                [("preview_id", "=", preview._origin.id)], ["level_id", "responsible_id"]
            )
            preview.line_level_ids = self.env["fr.dunning.level"].union(*(level for level, _user in groups))
            preview.line_responsible_ids = self.env["res.users"].union(*(user for _level, user in groups))

    @api.depends("shown_line_ids.include")
    def _compute_counts(self):
        """What the list shows and what each button sends: the saved lines and
        filters (two grouped queries), and in the form the lines ticked or
        unticked since (they are among the lines shown)."""
        Line = self.env["fr.dunning.preview.line"]
        formats = LangFormats(self.env)

        def number(value):
            return formatLang(self.env, value, digits=0)

        for preview in self:
            saved = preview._origin
            domain = [("preview_id", "=", saved.id)]
            totals = {
                include: (count, amount)
                for include, count, amount in Line._read_group(
                    domain, ["include"], ["__count", "amount_company:sum"]
                )
            }
            shown = dict(Line._read_group([*domain, ("shown", "=", True)], ["include"], ["__count"]))
            ticked, ticked_amount = totals.get(True, (0, 0.0))
            unticked = totals.get(False, (0, 0.0))[0]
            ticked_shown = shown.get(True, 0)
            if not preview.id:  # the form's onchange: count the toggles not saved yet
                for line in preview.shown_line_ids:
                    if line.include != line._origin.include:
                        step = 1 if line.include else -1
                        ticked += step
                        ticked_shown += step
                        unticked -= step
                        ticked_amount += step * line.amount_company
            ticked_hidden = ticked - ticked_shown
            preview.shown_count = sum(shown.values())
            preview.is_filtered = bool(
                saved.filter_level_id
                or saved.filter_channel
                or saved.filter_amount_min
                or saved.filter_amount_max
                or saved.filter_responsible_id
            )
            if not ticked:
                preview.send_ticked_note = self.env._("nothing is ticked.")
            elif ticked_hidden:
                preview.send_ticked_note = self.env._(
                    "the %(count)s ticked reminders (%(amount)s), %(hidden)s of them hidden by the filters.",
                    count=number(ticked),
                    amount=formats.lang_amount(ticked_amount, preview.company_currency_id),
                    hidden=number(ticked_hidden),
                )
            else:
                preview.send_ticked_note = self.env._(
                    "the %(count)s ticked reminders (%(amount)s).",
                    count=number(ticked),
                    amount=formats.lang_amount(ticked_amount, preview.company_currency_id),
                )
            preview.send_all_note = self.env._(
                "%(count)s reminders: every one due today, the %(unlisted)s not listed included, "
                "except the %(unticked)s unticked.",
                count=number(preview.plan_count - unticked),
                unlisted=number(preview.unlisted_count),
                unticked=number(unticked),
            )

    def write(self, vals):
        # EXTENDS 'base': saving the filters chooses the lines shown.
        result = super().write(vals)
        if any(name in FILTER_FIELDS for name in vals):
            self._fr_dunning_apply_filters()
        return result

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
            channels = escalation._channels(plan.level, plan.partner, plan.partner.id in reachable)
            lines.append(
                {
                    "partner_id": plan.partner.id,
                    "currency_id": plan.currency.id,
                    "level_id": plan.level.id,
                    "channels": ", ".join(escalation._channel_labels(channels, labels)),
                    # The event's channel codes, for the filter.
                    "channel_codes": ",".join(CHANNEL_CODES.get(channel, channel) for channel in channels),
                    "move_ids": plan.moves.ids,
                    "amount": plan.total,
                    "amount_company": company.currency_id.round(plan.total * rates[plan.currency]),
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
        self.env["res.partner"].flush_model(["fr_dunning_responsible_id", "user_id"])
        line_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """INSERT INTO fr_dunning_preview_line
                           (preview_id, sequence, include, shown, partner_id, currency_id, level_id, channels,
                            channel_codes, responsible_id, amount, amount_company, warning,
                            create_uid, create_date, write_uid, write_date)
                       SELECT %s, data.position, TRUE, TRUE, data.partner_id, data.currency_id, data.level_id,
                              data.channels, data.channel_codes,
                              -- the customer's dunning responsible in the company (company-dependent:
                              -- jsonb keyed by company id), else its salesperson, as "Clients en retard"
                              COALESCE((partner.fr_dunning_responsible_id ->> %s)::int, partner.user_id),
                              data.amount, data.amount_company, data.warning,
                              %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
                         FROM unnest(%s::int[], %s::int[], %s::int[], %s::varchar[], %s::varchar[],
                                     %s::numeric[], %s::numeric[], %s::varchar[])
                              WITH ORDINALITY
                              AS data(partner_id, currency_id, level_id, channels, channel_codes,
                                      amount, amount_company, warning, position)
                         JOIN res_partner partner ON partner.id = data.partner_id
                     ORDER BY data.position
                    RETURNING id""",
                    self.id,
                    str(self.company_id.id),
                    self.env.uid,
                    self.env.uid,
                    [line["partner_id"] for line in lines],
                    [line["currency_id"] for line in lines],
                    [line["level_id"] for line in lines],
                    [line["channels"] for line in lines],
                    [line["channel_codes"] for line in lines],
                    [line["amount"] for line in lines],
                    [line["amount_company"] for line in lines],
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
        self.invalidate_recordset()

    def _fr_dunning_apply_filters(self):
        """Mark the lines matching the saved filters as shown: one UPDATE of
        the previews' own lines, whatever their number."""
        if not self:
            return
        self.flush_recordset(FILTER_FIELDS)
        Line = self.env["fr.dunning.preview.line"]
        Line.flush_model(["preview_id", "level_id", "channel_codes", "amount_company", "responsible_id"])
        self.env.execute_query(
            SQL(
                """UPDATE fr_dunning_preview_line line
                      SET shown = (preview.filter_level_id IS NULL
                                   OR line.level_id = preview.filter_level_id)
                                  AND (preview.filter_channel IS NULL
                                       OR preview.filter_channel
                                          = ANY(string_to_array(line.channel_codes, ',')))
                                  AND (COALESCE(preview.filter_amount_min, 0) = 0
                                       OR line.amount_company >= preview.filter_amount_min)
                                  AND (COALESCE(preview.filter_amount_max, 0) = 0
                                       OR line.amount_company <= preview.filter_amount_max)
                                  AND (preview.filter_responsible_id IS NULL
                                       OR line.responsible_id = preview.filter_responsible_id)
                     FROM fr_dunning_preview preview
                    WHERE preview.id = line.preview_id AND preview.id = ANY(%s)""",
                self.ids,
            )
        )
        Line.invalidate_model(["shown"])
        self.invalidate_recordset(
            ["shown_line_ids", "shown_count", "is_filtered", "send_ticked_note", "send_all_note"]
        )

    @guarded(GROUP_USER, "write")
    def action_filter(self):
        """Show the lines matching the filters (saved with the form by the
        button's click)."""
        self.ensure_one()
        return True

    @guarded(GROUP_USER, "write")
    def action_clear_filters(self):
        self.write(
            {
                "filter_level_id": False,
                "filter_channel": False,
                "filter_amount_min": 0.0,
                "filter_amount_max": 0.0,
                "filter_responsible_id": False,
            }
        )
        return True

    @guarded(GROUP_USER, "write")
    def action_tick_shown(self):
        """Tick every line the filters show, on every page: one write."""
        self.ensure_one()
        self.shown_line_ids.write({"include": True})
        return True

    @guarded(GROUP_USER, "write")
    def action_untick_shown(self):
        """Untick every line the filters show, on every page: one write."""
        self.ensure_one()
        self.shown_line_ids.write({"include": False})
        return True

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
    channel_codes = fields.Char(
        readonly=True,
        help="The channels as the dunning history names them, comma-separated.",
    )
    responsible_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        help="The customer's dunning responsible in the company, else its salesperson.",
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
    company_currency_id = fields.Many2one(
        related="preview_id.company_currency_id",
        string="Company currency",
    )
    amount_company = fields.Monetary(
        string="Amount due in company currency",
        currency_field="company_currency_id",
        readonly=True,
        help="Other currencies at today's rate: the list's order and the amount filters use it.",
    )
    warning = fields.Char(
        readonly=True,
        help="Check before sending: unreconciled payments or open credit notes may mean the "
        "customer has already paid.",
    )
    shown = fields.Boolean(
        string="Shown by the filters",
        default=True,
        readonly=True,
        help="Whether the line matches its preview's filters (set when they are saved).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'base': a line added through the ORM follows its preview's
        # filters (the preview's own lines are inserted in SQL, all shown).
        lines = super().create(vals_list)
        lines.preview_id._fr_dunning_apply_filters()
        return lines

    @guarded(GROUP_USER, "read")
    def action_open_follow_up(self):
        self.ensure_one()
        return self.partner_id.with_company(self.preview_id.company_id).action_fr_dunning_follow_up()
