# Copyright 2026 fr_dunning_addon contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""French demo data for fr_dunning_addon, relative to a given day.

`populate(env, company, today)` turns ``company`` into a French company (legal
identifiers, bank account) and creates 24 customers whose posted invoices
stand at every stage of dunning on ``today``: not yet due, due in 3 days, 1 to
100 days overdue, partially paid, with a credit note, in US dollars, plus the
cases of the source articles (invoice F4567 of 2 430 EUR excl. VAT due on
5 June 2025, a 15 000 EUR invoice 60 days overdue, a 1 500 EUR invoice of
15/01/2023 due on 15/02/2023).

It is used by ``make demo`` (see scripts/demo.py) and by the tests, which check
what it makes. It is not loaded when the addon is installed.
"""

from datetime import date, datetime, time, timedelta

from stdnum import luhn

from odoo import Command

from ..models.fr_dunning_evidence import history_env
from ..models.fr_dunning_level import TIER_LETTER

DEMO_MARKER = "fr_dunning_addon.demo_data_date"

# (name, is_company, city, zip, email, lang)
CUSTOMERS = [
    ("Boulangerie Martin SARL", True, "Lyon", "69002", "compta@boulangerie-martin.example", "fr_FR"),
    ("Transports Giraud SAS", True, "Marseille", "13002", "factures@giraud-transports.example", "fr_FR"),
    ("Menuiserie Lefèvre", True, "Nantes", "44000", "contact@menuiserie-lefevre.example", "fr_FR"),
    ("Cabinet Durand Conseil", True, "Paris", "75008", "administratif@durand-conseil.example", "fr_FR"),
    (
        "Imprimerie du Centre SA",
        True,
        "Clermont-Ferrand",
        "63000",
        "compta@imprimerie-centre.example",
        "fr_FR",
    ),
    ("Garage Moreau & Fils", True, "Tours", "37000", "garage.moreau@example.com", "fr_FR"),
    ("Hôtel Les Tilleuls SARL", True, "Annecy", "74000", "direction@hotel-tilleuls.example", "fr_FR"),
    ("Pharmacie Bernard", True, "Rennes", "35000", "pharmacie.bernard@example.com", "fr_FR"),
    ("Agence Horizon Digital SAS", True, "Bordeaux", "33000", "finance@horizon-digital.example", "fr_FR"),
    ("BTP Rousseau SARL", True, "Toulouse", "31000", "comptabilite@btp-rousseau.example", "fr_FR"),
    ("Fromagerie Petit", True, "Besançon", "25000", "fromagerie.petit@example.com", "fr_FR"),
    ("Studio Lambert Architecture", True, "Strasbourg", "67000", "studio@lambert-archi.example", "fr_FR"),
    ("Clinique Vétérinaire Fontaine", True, "Dijon", "21000", "accueil@veto-fontaine.example", "fr_FR"),
    ("Laboratoire Mercier SAS", True, "Montpellier", "34000", "ap@labo-mercier.example", "fr_FR"),
    ("Quincaillerie Blanc", True, "Grenoble", "38000", False, "fr_FR"),
    ("Caves Chevalier SARL", True, "Reims", "51100", "compta@caves-chevalier.example", "fr_FR"),
    ("Nordic Design Ltd", True, "London", "EC1A 1BB", "accounts@nordic-design.example", "en_US"),
    ("Atlantic Trade Inc.", True, "Boston", "02110", "payables@atlantic-trade.example", "en_US"),
    ("Claire Dubois", False, "Paris", "75011", "claire.dubois@example.com", "fr_FR"),
    ("Julien Roux", False, "Lille", "59000", "julien.roux@example.com", "fr_FR"),
    ("Sophie Garnier", False, "Nice", "06000", False, "fr_FR"),
    ("Thomas Faure", False, "Rouen", "76000", "thomas.faure@example.com", "fr_FR"),
    ("Consultant Marc Perrin EI", True, "Paris", "75015", "marc.perrin@perrin-conseil.example", "fr_FR"),
    ("SCI Les Glycines", True, "Versailles", "78000", "gestion@sci-glycines.example", "fr_FR"),
    # A public buyer (commande publique) and a customer in collective proceedings.
    (
        "Commune de Villeurbanne",
        True,
        "Villeurbanne",
        "69100",
        "factures@mairie-villeurbanne.example",
        "fr_FR",
    ),
    ("Ateliers Vasseur SAS", True, "Roubaix", "59100", "compta@ateliers-vasseur.example", "fr_FR"),
]
PUBLIC_BUYER = 24
IN_PROCEEDINGS = 25

# (customer index, label, untaxed amount, days between invoice and due date,
#  days overdue on `today` (negative: not due yet), extra)
# extra: "partial" (40 % paid), "credit_note" (a 20 % credit note reconciled),
# "usd" (invoiced in US dollars), "paid" (fully paid: out of dunning).
INVOICES = [
    (0, "Pains et viennoiseries - semaine 1", 480.00, 30, -20, None),
    (1, "Transport Lyon - Marseille", 1250.00, 30, -3, None),
    (2, "Escalier chêne massif", 3200.00, 30, 1, None),
    (3, "Mission d'audit interne", 5400.00, 45, 10, None),
    (4, "Catalogues printemps", 2100.00, 30, 20, None),
    (5, "Révision flotte utilitaires", 860.00, 30, 35, None),
    (6, "Séminaire direction - hébergement", 4300.00, 30, 50, None),
    (7, "Matériel officinal", 640.00, 30, 70, None),
    (8, "Refonte site e-commerce", 9800.00, 30, 100, None),
    (9, "Gros oeuvre - situation n°3", 7600.00, 60, 40, "partial"),
    (10, "Plateaux de fromages - réception", 920.00, 30, 25, "credit_note"),
    (17, "Consulting - Q3 (USD)", 4000.00, 30, 15, "usd"),
    (11, "Esquisse et avant-projet", 2750.00, 30, 5, None),
    (12, "Fournitures cliniques", 380.00, 30, 12, None),
    (13, "Analyses lot 42", 1480.00, 30, 33, None),
    (14, "Outillage atelier", 215.00, 30, 18, None),
    (15, "Vins - commande salon", 3350.00, 45, 62, None),
    (16, "Brand identity package", 2600.00, 30, 8, None),
    (18, "Cuisine équipée - acompte", 1900.00, 30, 22, None),
    (19, "Dépannage chaudière", 320.00, 15, 47, None),
    (20, "Installation électrique", 1150.00, 30, 95, None),
    (21, "Abonnement maintenance annuel", 540.00, 30, 3, None),
    (23, "Ravalement façade - solde", 6200.00, 30, 110, None),
    (0, "Pains et viennoiseries - semaine 0", 455.00, 30, 5, "paid"),
    (3, "Mission d'audit - phase 2", 3900.00, 45, -10, None),
]


def _siren(seed):
    """A SIREN (9 digits, Luhn key) built from an 8-digit seed."""
    base = f"{seed:08d}"
    return base + luhn.calc_check_digit(base)


def _siret(siren, establishment=1):
    base = f"{siren}{establishment:04d}"
    return base + luhn.calc_check_digit(base)


def _fr_vat(siren):
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def _receivable_lines(moves):
    return moves.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")


def setup_company(env, company):
    """Give ``company`` a French identity and a bank account."""
    france = env.ref("base.fr")
    siren = _siren(73282932)
    vals = {
        "name": "Atelier Lumière SAS",
        "street": "12 rue des Artisans",
        "zip": "75011",
        "city": "Paris",
        "country_id": france.id,
        "phone": "+33 1 42 00 00 00",
        "email": "comptabilite@atelier-lumiere.example",
        "website": "https://www.atelier-lumiere.example",
        "vat": _fr_vat(siren),
        "company_registry": f"RCS Paris {siren[:3]} {siren[3:6]} {siren[6:]}",
    }
    if "siret" in company._fields:
        vals["siret"] = _siret(siren)
    company.write(vals)
    # A French company: its dunning history is written in French.
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms(["fr_dunning_addon"], ["fr_FR"])
    company.partner_id.lang = "fr_FR"
    if company.chart_template != "fr":
        # A fresh database gets the generic chart: French companies use the PCG.
        env["account.chart.template"].try_loading("fr", company, install_demo=False)
    bank = env["res.bank"].search([("bic", "=", "AGRIFRPPXXX")], limit=1) or env["res.bank"].create(
        {"name": "Crédit Agricole Île-de-France", "bic": "AGRIFRPPXXX", "country": france.id}
    )
    acc_number = "FR76 3000 6000 0112 3456 7890 189"
    if not env["res.partner.bank"].search(
        [("partner_id", "=", company.partner_id.id), ("acc_number", "=", acc_number)], limit=1
    ):
        env["res.partner.bank"].create(
            {
                "partner_id": company.partner_id.id,
                "acc_number": acc_number,
                "bank_id": bank.id,
                "allow_out_payment": True,
            }
        )
    return company


def _usd(env, company, today):
    usd = env.ref("base.USD")
    usd.active = True
    rates = env["res.currency.rate"].search(
        [("currency_id", "=", usd.id), ("company_id", "=", company.id)], limit=1
    )
    if not rates:
        env["res.currency.rate"].create(
            {
                "currency_id": usd.id,
                "company_id": company.id,
                "name": date(today.year - 4, 1, 1),
                "rate": 1.08,
            }
        )
    return usd


def _customers(env, company):
    france = env.ref("base.fr")
    countries = {"London": env.ref("base.uk"), "Boston": env.ref("base.us")}
    vals_list = []
    for index, (name, is_company, city, zip_code, email, lang) in enumerate(CUSTOMERS):
        env["res.lang"]._activate_lang(lang)
        vals = {
            "name": name,
            "is_company": is_company,
            "city": city,
            "zip": zip_code,
            "street": f"{10 + index} avenue de la République"
            if city not in countries
            else f"{10 + index} Main Street",
            "country_id": countries.get(city, france).id,
            "email": email,
            "lang": lang,
            "ref": f"CL{index + 1:04d}",
            "phone": f"+33 6 12 34 {index:02d} {(index * 7) % 100:02d}",
        }
        if is_company and city not in countries:
            vals["vat"] = _fr_vat(_siren(40000000 + index * 1237))
        vals_list.append(vals)
    partners = env["res.partner"].create(vals_list)
    # The accounting contact of a few companies, as customers often have.
    env["res.partner"].create(
        [
            {
                "name": "Service comptabilité fournisseurs",
                "type": "invoice",
                "parent_id": partners[8].id,
                "email": "fournisseurs@horizon-digital.example",
            },
            {
                "name": "Nathalie Giraud",
                "type": "contact",
                "function": "Directrice administrative et financière",
                "parent_id": partners[1].id,
                "email": "n.giraud@giraud-transports.example",
            },
        ]
    )
    return partners


def _invoice_vals(company, journal, account, tax, partner, label, amount, invoice_date, due_date, currency):
    return {
        "move_type": "out_invoice",
        "company_id": company.id,
        "journal_id": journal.id,
        "partner_id": partner.id,
        "invoice_date": invoice_date,
        "date": invoice_date,
        "invoice_date_due": due_date,
        "invoice_payment_term_id": False,
        "currency_id": currency.id,
        "invoice_line_ids": [
            Command.create(
                {
                    "name": label,
                    "quantity": 1,
                    "price_unit": amount,
                    "account_id": account.id,
                    "tax_ids": [Command.set(tax.ids)],
                }
            )
        ],
    }


# A year of paid invoices, one a month per customer, for the dashboard's payment
# behaviour, DSO and recovery rates: (customer index, untaxed amount, days paid
# after the due date). Each gets the reminders the standard policy would have
# sent before it was paid: J+1 from 1 day late, J+15 from 15, J+30 from 30.
HISTORY = [
    (0, 450.00, 0),
    (1, 1200.00, 4),
    (3, 3000.00, 12),
    (4, 1800.00, 25),
    (9, 2500.00, 40),
]
# Invoiced 30 x k + 15 days before today, due 30 days later, for k in this range.
HISTORY_MONTHS = range(2, 14)


def populate(env, company=None, today=None):
    """Create the demo customers and invoices for ``company`` as of ``today``.

    Returns a dict with the customers and invoices it made, keyed for tests.
    Does nothing (returns None) when the demo data already exists.
    """
    company = company or env.company
    today = today or date.today()
    env = env(context=dict(env.context, allowed_company_ids=[company.id], tracking_disable=True))
    params = env["ir.config_parameter"].sudo()
    if params.get_param(DEMO_MARKER):
        return None
    setup_company(env, company)
    # What is stored in the history (level names, dispute, promise and plan
    # events) is written through the translated terms of the company's language.
    env = history_env(env, company)
    usd = _usd(env, company, today)
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    account = env["account.account"].search(
        [("account_type", "=", "income"), ("company_ids", "in", company.id)], order="code", limit=1
    )
    tax = company.account_sale_tax_id
    partners = _customers(env, company)

    specs = []
    for index, label, amount, term, overdue, extra in INVOICES:
        due = today - timedelta(days=overdue)
        specs.append((partners[index], label, amount, due - timedelta(days=term), due, extra))
    # The cases of the source articles.
    specs += [
        (
            partners[5],
            "Facture F4567 - entretien parc véhicules",
            2430.00,
            date(2025, 5, 6),
            date(2025, 6, 5),
            "F4567",
        ),
        (
            partners[22],
            "Mission de conseil en organisation",
            15000.00,
            today - timedelta(days=90),
            today - timedelta(days=60),
            None,
        ),
        (partners[2], "Agencement boutique", 1500.00, date(2023, 1, 15), date(2023, 2, 15), None),
        # The town pays within 30 days (R2192-10); this one is 45 days late.
        (
            partners[PUBLIC_BUYER],
            "Entretien des espaces verts - marché 2026-014",
            8400.00,
            today - timedelta(days=75),
            today - timedelta(days=45),
            None,
        ),
        (
            partners[PUBLIC_BUYER],
            "Entretien des espaces verts - avenant 1",
            2100.00,
            today - timedelta(days=10),
            today + timedelta(days=20),
            None,
        ),
        # Born before the judgment (40 days ago): one late then, one due after it.
        (
            partners[IN_PROCEEDINGS],
            "Pièces détachées - commande 778",
            6250.00,
            today - timedelta(days=130),
            today - timedelta(days=100),
            None,
        ),
        (
            partners[IN_PROCEEDINGS],
            "Pièces détachées - commande 812",
            3180.00,
            today - timedelta(days=60),
            today - timedelta(days=15),
            None,
        ),
    ]
    specs.sort(key=lambda spec: spec[3])
    vals_list = [
        _invoice_vals(
            company,
            journal,
            account,
            tax,
            partner,
            label,
            amount,
            invoice_date,
            due,
            usd if extra == "usd" else company.currency_id,
        )
        for partner, label, amount, invoice_date, due, extra in specs
    ]
    invoices = env["account.move"].create(vals_list)
    for invoice, spec in zip(invoices, specs, strict=True):
        if spec[5] == "F4567":
            invoice.ref = "F4567"
    invoices.action_post()

    by_extra = {}
    for invoice, spec in zip(invoices, specs, strict=True):
        by_extra.setdefault(spec[5], env["account.move"])
        by_extra[spec[5]] |= invoice

    for invoice in by_extra.get("partial", []):
        _pay(env, invoice, invoice.amount_total * 0.4, invoice.invoice_date_due + timedelta(days=10))
    for invoice in by_extra.get("paid", []):
        _pay(env, invoice, invoice.amount_total, invoice.invoice_date_due - timedelta(days=2))
    for invoice in by_extra.get("credit_note", []):
        refund = env["account.move"].create(
            {
                **_invoice_vals(
                    company,
                    journal,
                    account,
                    tax,
                    invoice.partner_id,
                    "Avoir - plateaux non conformes",
                    round(invoice.amount_untaxed * 0.2, 2),
                    invoice.invoice_date + timedelta(days=5),
                    invoice.invoice_date + timedelta(days=5),
                    invoice.currency_id,
                ),
                "move_type": "out_refund",
                "reversed_entry_id": invoice.id,
            }
        )
        refund.action_post()  # posting a reversal reconciles it with its invoice
        if not _receivable_lines(refund).reconciled:
            _receivable_lines(invoice | refund).reconcile()
    _public_and_proceedings(env, partners, today)
    cases = _cases(env, company, invoices, today)
    history = _history(env, company, journal, account, tax, partners, today)
    params.set_param(DEMO_MARKER, str(today))
    return {
        "company": company,
        "customers": partners,
        "invoices": invoices,
        "by_extra": by_extra,
        "history": history,
        **cases,
    }


def _history(env, company, journal, account, tax, partners, today):
    """The last year's paid invoices of HISTORY, with the reminders they got."""
    specs = [
        (partners[index], amount, delay, today - timedelta(days=30 * k + 15))
        for index, amount, delay in HISTORY
        for k in HISTORY_MONTHS
    ]
    invoices = env["account.move"].create(
        [
            _invoice_vals(
                company,
                journal,
                account,
                tax,
                partner,
                f"Prestations du {invoice_date.strftime('%d/%m/%Y')}",
                amount,
                invoice_date,
                invoice_date + timedelta(days=30),
                company.currency_id,
            )
            for partner, amount, _delay, invoice_date in specs
        ]
    )
    invoices.action_post()
    policy = env["fr.dunning.policy"].search(
        [("company_id", "=", company.id), ("assignment", "=", "default")], limit=1
    )
    levels = {level.offset_days: level for level in policy.level_ids}
    # The letters of the history were printed and posted by the accountant the
    # morning they were made.
    accountant = env.ref("base.user_admin")
    events = []
    payments = []
    for invoice, (partner, _amount, delay, _invoice_date) in zip(invoices, specs, strict=True):
        due = invoice.invoice_date_due
        sent = [offset for offset in (1, 15, 30) if delay >= offset and offset in levels]
        for offset in sent:
            level = levels[offset]
            letter = offset == 30
            day = due + timedelta(days=offset)
            events.append(
                {
                    "name": level.name,
                    "date": datetime.combine(day, time(8, 0)),
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "level_id": level.id,
                    "event_type": "letter" if letter else "reminder",
                    "channel": "letter" if letter else "email",
                    "is_automatic": True,
                    "currency_id": company.currency_id.id,
                    "amount_residual": invoice.amount_total,
                    **(
                        {
                            "letter_tier": level.letter_tier or TIER_LETTER[level.tier],
                            "deadline_date": day + timedelta(days=level.deadline_days),
                            "printed_date": datetime.combine(day, time(9, 0)),
                            "printed_by_id": accountant.id,
                        }
                        if letter
                        else {}
                    ),
                }
            )
        if sent:
            # The state the escalation would have left (it writes it as superuser).
            invoice.sudo().write(
                {
                    "fr_dunning_level_id": levels[sent[-1]].id,
                    "fr_dunning_count": len(sent),
                    "fr_dunning_last_date": due + timedelta(days=sent[-1]),
                }
            )
        payments.append((invoice, due + timedelta(days=delay)))
    events = env["fr.dunning.event"].sudo().create(events)
    # Each letter as it was sent: rendered before its invoice is paid, with the
    # figures of its day (a letter without its PDF would wait in Letters to
    # print for ever), and signed by the accountant who printed it (the letter
    # of an automatic run is signed by the customer's responsible, else the
    # current user).
    letters = events.filtered(lambda e: e.channel == "letter").with_user(accountant).sudo()
    letters._fr_dunning_ensure_tokens()
    letters._fr_dunning_render_letters()
    for invoice, pay_date in payments:
        _pay(env, invoice, invoice.amount_total, pay_date)
    return invoices


def _public_and_proceedings(env, partners, today):
    """The town is a public buyer; Ateliers Vasseur went into receivership 40
    days ago (its invoices are then paused, its claim to declare)."""
    partners[PUBLIC_BUYER].fr_dunning_public_buyer = "state"
    mandatary = env["res.partner"].create(
        {
            "name": "SELARL Mandatum, Maître Anne Leroy",
            "is_company": True,
            "street": "12 rue Nationale",
            "zip": "59000",
            "city": "Lille",
            "country_id": env.ref("base.fr").id,
        }
    )
    partners[IN_PROCEEDINGS].write(
        {
            "fr_dunning_proceedings_date": today - timedelta(days=40),
            "fr_dunning_proceedings_type": "receivership",
            "fr_dunning_proceedings_court": "Tribunal de commerce de Lille Métropole",
            "fr_dunning_proceedings_mandatary_id": mandatary.id,
            "fr_dunning_bodacc_date": today - timedelta(days=26),
        }
    )


def _cases(env, company, invoices, today):
    """A dispute, a promise to pay and a running payment plan, on three customers
    with overdue invoices (none of the special cases above)."""
    overdue = invoices.filtered(
        lambda m: (
            m.payment_state == "not_paid"
            and m.invoice_date_due < today - timedelta(days=10)
            and m.currency_id == company.currency_id
            and m.commercial_partner_id.email
            and not m.fr_dunning_blocked
            and not m.commercial_partner_id.fr_dunning_public_buyer
        )
    ).sorted("invoice_date_due", reverse=True)
    picked = []
    for invoice in overdue:
        if invoice.commercial_partner_id not in [p.commercial_partner_id for p in picked]:
            picked.append(invoice)
    if len(picked) < 3:
        return {}
    dispute = env["fr.dunning.dispute"].create(
        {
            "company_id": company.id,
            "partner_id": picked[0].commercial_partner_id.id,
            "move_ids": [Command.set(picked[0].ids)],
            "category": "delivery",
            "note": "Livraison incomplète : deux cartons manquants selon le client",
            "review_date": today + timedelta(days=11),
        }
    )
    promise = env["fr.dunning.promise"].create(
        {
            "company_id": company.id,
            "partner_id": picked[1].commercial_partner_id.id,
            "move_ids": [Command.set(picked[1].ids)],
            "promise_date": today + timedelta(days=7),
            "amount": picked[1].amount_residual,
            "note": "Virement promis par la comptable au téléphone",
        }
    )
    plan = env["fr.dunning.payment.plan"].create(
        {
            "company_id": company.id,
            "partner_id": picked[2].commercial_partner_id.id,
            "move_ids": [Command.set(picked[2].ids)],
            "instalment_count": 3,
            "first_date": today + timedelta(days=22),
        }
    )
    plan.action_compute_lines()
    plan.action_confirm()
    return {"dispute": dispute, "promise": promise, "payment_plan": plan}


def _pay(env, invoice, amount, pay_date):
    wizard = (
        env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"amount": round(amount, 2), "payment_date": pay_date})
    )
    wizard._create_payments()
