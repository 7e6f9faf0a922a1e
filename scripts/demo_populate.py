"""Load the French demo data into a database (used by `make demo`).

usage: python3 scripts/demo_populate.py DBNAME [odoo options...]
"""

import base64
import io
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta

from werkzeug.serving import make_server

import odoo
from odoo import SUPERUSER_ID, Command, api


def main():
    db_name, options = sys.argv[1], sys.argv[2:]
    odoo.tools.config.parse_config(["-d", db_name, *options])
    # The addons path is known once the configuration is parsed.
    from odoo.addons.fr_dunning_addon.demo.fr_dunning_demo import populate

    registry = odoo.modules.registry.Registry(db_name)
    report_assets(registry)
    with registry.cursor() as cr, report_server(cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        # Before the demo data: the letters of its history carry the letterhead.
        letterhead(env, company)
        result = populate(env, company)
        if result is None:
            print("fr_dunning_addon: demo data already present, kept as is.")
        else:
            print(
                f"fr_dunning_addon: demo data created: {len(result['customers'])} customers, "
                f"{len(result['invoices'])} invoices."
            )
            invoice_pdfs(env, result)
            _agency_handover(env, company, date.today())
            court_demo(env, company, result)
            merits_demo(env, company, result)
            _insurance(env, company)
        demo_replies_and_lifecycle(env, company)
        demo_portal(env, company)
        demo_payment_provider(env, company)
        # The demo login speaks French.
        env["res.lang"]._activate_lang("fr_FR")
        env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})


def _insurance(env, company):
    """The credit insurance policy and an insured customer near its overdue report deadline."""
    from odoo.addons.fr_dunning_addon.demo.fr_dunning_demo_insurance import populate_insurance

    made = populate_insurance(env, company, date.today())
    if made:
        print(f"fr_dunning_addon: credit insurance {made['policy'].name}, 2 insured customers.")


def court_demo(env, company, result, today=None):
    """An order for payment in progress: the 15 000 EUR consulting invoice,
    handed over 35 days ago, the order made 20 days ago and served 6 days
    ago, so that its opposition period runs; and the company's consumer
    mediator, named in the letters to consumers."""
    today = today or date.today()
    company.write(
        {
            "fr_dunning_consumer_mediator": "CM2C - Centre de la Médiation de la Consommation de "
            "Conciliateurs de Justice",
            "fr_dunning_consumer_mediator_url": "https://www.cm2c.net",
        }
    )
    invoice = result["invoices"].filtered(lambda move: move.amount_untaxed == 15000.0)[:1]
    if not invoice:
        return None
    admin = env.ref("base.user_admin")
    env = env(user=admin, context=dict(env.context, allowed_company_ids=[company.id]))
    commissaire = env["res.partner"].create(
        {
            "name": "SCP Vidal & Roux, commissaires de justice",
            "is_company": True,
            "street": "4 place Bellecour",
            "zip": "69002",
            "city": "Lyon",
        }
    )
    litigation = env["fr.dunning.litigation"].create(
        {
            "company_id": company.id,
            "partner_id": invoice.commercial_partner_id.id,
            "move_ids": [Command.set(invoice.ids)],
            "route": "injunction",
            "external_partner_id": commissaire.id,
            "date_start": today - timedelta(days=35),
            "note": "Aucune réponse à la mise en demeure ni au dernier avis.",
        }
    )
    court = "Tribunal de commerce de Paris"
    for kind, days_ago, vals in (
        ("ip_request", 33, {"court": court}),
        ("ip_order", 20, {"court": court, "reference": f"IP {today.year}/004218"}),
        ("ip_service", 6, {"court": commissaire.name, "to_person": True}),
    ):
        env["fr.dunning.litigation.step.wizard"].create(
            {"litigation_id": litigation.id, "kind": kind, "date": today - timedelta(days=days_ago), **vals}
        ).action_record()
    print(f"fr_dunning_addon: an order for payment in progress for {litigation.partner_id.name}.")
    return litigation


def merits_demo(env, company, result, today=None):
    """An action on the merits before the tribunal de commerce: the
    9 800 EUR website invoice, 100 days late, handed over 95 days ago; the
    summons served 88 days ago for a hearing 40 days ago, its copy lodged
    in time, the judgment given 19 days ago and served 7 days ago, so that
    the appeal period runs."""
    today = today or date.today()
    invoice = result["invoices"].filtered(lambda move: move.amount_untaxed == 9800.0)[:1]
    if not invoice:
        return None
    admin = env.ref("base.user_admin")
    env = env(user=admin, context=dict(env.context, allowed_company_ids=[company.id]))
    lawyer = env["res.partner"].create(
        {
            "name": "Maître Claire Fabre, avocate au barreau de Lyon",
            "street": "18 rue de la République",
            "zip": "69002",
            "city": "Lyon",
        }
    )
    litigation = env["fr.dunning.litigation"].create(
        {
            "company_id": company.id,
            "partner_id": invoice.commercial_partner_id.id,
            "move_ids": [Command.set(invoice.ids)],
            "route": "merits",
            "external_partner_id": lawyer.id,
            "date_start": today - timedelta(days=95),
            "note": "Mise en demeure restée sans réponse ; contestation de pure forme du délai de livraison.",
        }
    )
    court = "Tribunal de commerce de Lyon"
    docket = f"RG {today.year}F0{invoice.id:04d}"
    for kind, days_ago, vals in (
        ("mt_summons", 88, {"court": court, "next_date": today - timedelta(days=40)}),
        ("mt_lodged", 84, {"court": court, "reference": docket}),
        ("mt_hearing", 40, {"court": court, "reference": docket, "next_date": today - timedelta(days=19)}),
        ("mt_judgment", 19, {"court": court, "reference": docket, "amount": invoice.amount_residual}),
        ("mt_service", 7, {"court": "SCP Vidal & Roux, commissaires de justice"}),
    ):
        env["fr.dunning.litigation.step.wizard"].create(
            {"litigation_id": litigation.id, "kind": kind, "date": today - timedelta(days=days_ago), **vals}
        ).action_record()
    print(f"fr_dunning_addon: an action on the merits in progress for {litigation.partner_id.name}.")
    return litigation


def _agency_handover(env, company, today):
    """The most overdue invoice still chased (90 to 120 days), handed over a month ago to a
    collection agency (12 % + 50 € excl. VAT), which made contact and has
    collected half: a payment reconciled, a draft fee bill, the rest due."""
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    Move = env["account.move"]
    invoice = Move.search(
        [
            *Move._fr_dunning_chaseable_domain(company),
            ("currency_id", "=", company.currency_id.id),
            ("commercial_partner_id.fr_dunning_public_buyer", "=", False),
            # Among the invoices 90 to 120 days late (not the source articles' cases).
            ("invoice_date_due", "<", today - timedelta(days=90)),
            ("invoice_date_due", ">=", today - timedelta(days=120)),
        ],
        order="invoice_date_due, id",
        limit=1,
    )
    bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
    if not invoice or not bank:
        return None
    agency = env["res.partner"].create(
        {
            "name": "Atlantique Recouvrement SAS",
            "is_company": True,
            "street": "12 quai de la Fosse",
            "zip": "44000",
            "city": "Nantes",
            "country_id": env.ref("base.fr").id,
            "email": "dossiers@atlantique-recouvrement.example.com",
        }
    )
    litigation = env["fr.dunning.litigation"].create(
        {
            "company_id": company.id,
            "partner_id": invoice.commercial_partner_id.id,
            "move_ids": [(6, 0, invoice.ids)],
            "route": "agency",
            "external_partner_id": agency.id,
            "date_start": today - timedelta(days=30),
            "fee_percent": 12.0,
            "fee_fixed": 50.0,
            "note": "Client injoignable depuis trois mois ; dossier confié à l'agence.",
        }
    )
    Report = env["fr.dunning.agency.report.wizard"]
    Report.create(
        {
            "litigation_id": litigation.id,
            "report": "contact",
            "date": today - timedelta(days=24),
            "note": "Le gérant reconnaît la dette et propose de payer en deux fois.",
        }
    ).action_record()
    Report.create(
        {
            "litigation_id": litigation.id,
            "report": "payment",
            "date": today - timedelta(days=10),
            "amount": company.currency_id.round(invoice.amount_residual / 2),
            "journal_id": bank.id,
        }
    ).action_record()
    return litigation


DEMO_REPLIES = [
    ("Bonjour,\nLe virement a été effectué ce matin.\nCordialement", ""),
    ("Bonjour,\nNous réglerons le solde fin du mois prochain, comme convenu.\nCordialement", ""),
    ("Bonjour,\nNous contestons cette facture : erreur de prix sur la ligne 2.\nCordialement", ""),
    ("Je suis absente du bureau jusqu'au lundi suivant.", "Auto-Submitted: auto-replied\n"),
    ("Bonjour,\nPouvez-vous nous renvoyer le duplicata de la facture ?\nMerci", ""),
]
DEMO_STATUSES = [
    ("210", "REF_CMD", "Numéro de bon de commande absent"),
    ("211", "", ""),
    ("213", "SIREN_ERR", "SIREN du destinataire inconnu de l'annuaire"),
]


def demo_replies_and_lifecycle(env, company):
    """One customer reply of each class to a reminder email, through Odoo's mail
    gateway, and three invoices with the e-invoicing statuses 210, 211 and 213."""
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    Move = env["account.move"]
    open_domain = Move._fr_dunning_open_domain(company, chaseable=True) + [
        ("invoice_date_due", "<", datetime.now().date())
    ]
    reminders = env["fr.dunning.event"].search(
        [("company_id", "=", company.id), ("channel", "=", "email"), ("event_type", "=", "reminder")],
        order="date desc, id desc",
    )
    chosen = {}
    for event in reminders:
        if event.partner_id not in chosen and event.move_ids.filtered_domain(open_domain):
            chosen[event.partner_id] = event
    if len(chosen) < len(DEMO_REPLIES):
        # Today's reminder to a few customers who owe (the accountant's "send now").
        reachable = (
            Move.search(open_domain, order="invoice_date_due")
            .commercial_partner_id.filtered(lambda p: p.email and p not in chosen and p.lang == "fr_FR")
            .sorted("name")[: len(DEMO_REPLIES) - len(chosen)]
        )
        env["fr.dunning.escalation"]._run(
            company, today=datetime.now().date(), automatic=False, partners=reachable, force=True
        )
        for event in env["fr.dunning.event"].search(
            [("partner_id", "in", reachable.ids), ("channel", "=", "email"), ("event_type", "=", "reminder")],
            order="id desc",
        ):
            chosen.setdefault(event.partner_id, event)
    for (text, headers), event in zip(DEMO_REPLIES, chosen.values(), strict=False):
        if not event.message_id:
            env["fr.dunning.escalation"]._send_emails(event, env["fr.dunning.event"])
        original = event.message_id
        raw = (
            f"From: {event.partner_id.email_formatted}\nTo: {company.email or 'relances@example.com'}\n"
            f"Subject: Re: {original.subject}\nMessage-ID: <demo-reply-{event.id}@example.com>\n"
            f"In-Reply-To: {original.message_id}\nReferences: {original.message_id}\n"
            f"Date: {format_datetime(datetime.now(timezone.utc) - timedelta(hours=2))}\n"
            f"{headers}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n"
            f"{text}\n\nLe {original.date:%d/%m/%Y}, {company.name} a écrit :\n> {original.subject}\n"
        )
        env["mail.thread"].message_process(None, raw.encode())
    replied = set(chosen)
    if env["fr.dunning.lifecycle.status"].search_count([("company_id", "=", company.id)]):
        print(f"fr_dunning_addon: {len(chosen)} replies to reminders, e-invoicing statuses kept as they are.")
        return
    others = Move.search(open_domain, order="invoice_date_due").filtered(
        lambda m: m.commercial_partner_id not in replied and m.commercial_partner_id.is_company
    )
    statuses, partners = [], set()
    for invoice in others:
        if len(statuses) == len(DEMO_STATUSES):
            break
        if invoice.commercial_partner_id in partners:
            continue
        partners.add(invoice.commercial_partner_id)
        code, reason_code, reason = DEMO_STATUSES[len(statuses)]
        statuses.append(
            {
                "invoice": invoice.id,
                "code": code,
                "date": datetime.now().date() - timedelta(days=2),
                "reason_code": reason_code,
                "reason": reason,
            }
        )
    env["fr.dunning.lifecycle.status"].record_statuses(statuses)
    print(f"fr_dunning_addon: {len(chosen)} replies to reminders, {len(statuses)} e-invoicing statuses.")


# ----------------------------------------------------------------------
# The letterhead of the demo company: logo, share capital, signatory.
# ----------------------------------------------------------------------

# Atelier Lumière's colours: a deep blue and a lamp's amber.
INK = (28, 43, 74)
AMBER = (232, 163, 61)
LOGO_FONTS = ("DejaVuSerif.ttf", "DejaVuSans.ttf")


def demo_payment_provider(env, company):
    """Odoo's demo payment provider, in test mode, when `payment_demo` is
    installed (scripts/demo.sh installs it): the customer's page then offers
    to pay online. Never a real provider: nothing is charged."""
    provider = env.ref("payment.payment_provider_demo", raise_if_not_found=False)
    if not provider or provider.module_state != "installed":
        return
    if provider.state == "disabled":
        provider.write({"state": "test", "is_published": True, "company_id": company.id})
    print(f"fr_dunning_addon: payment provider {provider.name} in test mode: customers can pay online.")


def demo_portal(env, company):
    """One customer who promised online and one who contested online, through
    the customer's link as its page does it (the public visitor, the same
    methods as the controller)."""
    if env["fr.dunning.promise"].search_count([("company_id", "=", company.id), ("origin", "=", "portal")]):
        print("fr_dunning_addon: online promise and contest kept as they are.")
        return
    Access = env["fr.dunning.portal.access"]
    today = date.today()
    accesses = Access.search([("company_id", "=", company.id), *Access._fr_dunning_valid_domain(today)])
    if not accesses:
        reminders = env["fr.dunning.event"].search(
            [("company_id", "=", company.id), ("event_type", "=", "reminder")]
        )
        accesses = Access._fr_dunning_grant(reminders)
    visitor = env.ref("base.public_user")
    done = []
    for access in accesses.sorted(lambda a: a.partner_id.name):
        page = access.with_user(visitor).sudo()
        page = page.with_context(lang=page._fr_dunning_lang())
        actionable = page._fr_dunning_actionable(page._fr_dunning_invoices(today))
        if not actionable:
            continue
        if not done:
            page._fr_dunning_promise_online(
                actionable.ids, today + timedelta(days=12), "Virement programmé à réception de notre relevé."
            )
        else:
            page._fr_dunning_contest_online(
                actionable[:1].ids,
                "quantity",
                "Nous avons reçu 8 luminaires sur les 10 facturés : "
                "merci d'émettre un avoir pour la différence.",
            )
        done.append(access.partner_id.name)
        if len(done) == 2:
            break
    what = ("promised online", "contested online")
    said = "; ".join(f"{name} {did}" for name, did in zip(done, what, strict=False))
    print(f"fr_dunning_addon: {said}.")


def draw_logo(name="Atelier Lumière", tagline="LUMINAIRES SUR MESURE"):
    """The demo company's logo as PNG bytes: an amber lamp in a blue ring, the
    name beside it. Drawn four times larger, then reduced (smooth edges)."""
    from PIL import Image, ImageDraw, ImageFont

    scale, width, height = 4, 520, 140
    image = Image.new("RGBA", (width * scale, height * scale), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return [x0 * scale, y0 * scale, x1 * scale, y1 * scale]

    # The mark: a ring, a lamp shade and its light.
    draw.ellipse(box(10, 10, 130, 130), outline=INK, width=5 * scale)
    draw.polygon(
        [
            (48 * scale, 72 * scale),
            (92 * scale, 72 * scale),
            (80 * scale, 40 * scale),
            (60 * scale, 40 * scale),
        ],
        fill=INK,
    )
    draw.line(box(70, 22, 70, 40), fill=INK, width=3 * scale)
    draw.pieslice(box(52, 60, 88, 100), 0, 180, fill=AMBER)

    def font(size):
        for file_name in LOGO_FONTS:
            try:
                return ImageFont.truetype(file_name, size * scale)
            except OSError:
                continue
        return None

    title, subtitle = font(40), font(13)
    if title and subtitle:
        draw.text((150 * scale, 30 * scale), name, font=title, fill=INK)
        draw.line(box(152, 86, 505, 86), fill=AMBER, width=2 * scale)
        draw.text((152 * scale, 96 * scale), tagline, font=subtitle, fill=INK)
    else:
        # No TrueType font on this machine: the mark alone.
        image = image.crop((0, 0, 140 * scale, height * scale))
    image = image.resize((image.width // scale, image.height // scale), Image.LANCZOS)
    stream = io.BytesIO()
    image.save(stream, format="PNG", optimize=True)
    return stream.getvalue()


def letterhead(env, company):
    """What a French SME's letters carry: its logo, its legal form and share
    capital next to its name (Code de commerce R123-238), a signatory with a
    title; and the accountant who logs in (admin) named, as the customers'
    contact."""
    if company.logo and company.fr_dunning_signatory_name:
        return
    company.write(
        {
            "logo": base64.b64encode(draw_logo()),
            "fr_dunning_legal_form": "SAS",
            "fr_dunning_share_capital": 50000.0,
            "fr_dunning_signatory_name": "Hélène Marchand",
            "fr_dunning_signatory_title": "Directrice administrative et financière",
        }
    )
    env.ref("base.user_admin").partner_id.write(
        {
            "name": "Camille Roche",
            "function": "Comptable clients",
            "email": "c.roche@atelier-lumiere.example",
            "phone": "+33 1 42 00 00 12",
        }
    )


# ----------------------------------------------------------------------
# The customer invoices' PDFs, as Odoo stores them when an invoice is sent.
# ----------------------------------------------------------------------


# The style sheets of the PDF reports (web.report_layout's t-call-assets).
REPORT_ASSETS = ("web.report_assets_common", "web.report_assets_pdf")


def report_assets(registry):
    """The reports' style sheets generated and committed before the demo is
    built: otherwise the demo's transaction and the report server both
    generate them, and the server waits for that transaction to end."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for bundle in REPORT_ASSETS:
            assets = env["ir.qweb"]._get_asset_bundle(bundle)
            assets.css()
            assets.js()


@contextmanager
def report_server(cr):
    """Odoo's web application on a free local port, in this process, while the
    demo is built: wkhtmltopdf fetches the reports' style sheets from it
    (``report.url``). Without it, the PDFs come out without their styles."""
    # The addons' static folders, read here: Python's parser is not safe
    # against a thread compiling code at the same time.
    odoo.http.root.statics  # noqa: B018
    server = make_server("127.0.0.1", 0, odoo.http.root, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    before = params.get_param("report.url")
    params.set_param("report.url", f"http://127.0.0.1:{server.server_port}")
    try:
        yield server
    finally:
        params.set_param("report.url", before or False)
        server.shutdown()
        thread.join()


def invoice_pdfs(env, result):
    """The PDF of the demo's customer invoices and credit notes (the year of
    paid history left out), made by Odoo's own sending flow (downloaded, not
    emailed), as when an accountant sends an invoice: the reminders carry
    them. One invoice per wkhtmltopdf call (Debian's build takes one input
    document only); the print delay is Odoo's wait for a report's scripts,
    which invoices do not run."""
    moves = (
        env["account.move"]
        .search(
            [
                ("company_id", "=", result["company"].id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("id", "not in", result["history"].ids),
            ],
            order="invoice_date, id",
        )
        .filtered(lambda move: not move.invoice_pdf_report_id)
    )
    params = env["ir.config_parameter"]
    delay = params.get_param("report.print_delay")
    params.set_param("report.print_delay", "0")
    start = time.monotonic()
    try:
        for move in moves:
            env["account.move.send"]._generate_and_send_invoices(move, sending_methods={"manual"})
    finally:
        params.set_param("report.print_delay", delay or False)
    print(f"fr_dunning_addon: {len(moves)} invoice PDFs stored in {time.monotonic() - start:.1f} s.")


if __name__ == "__main__":
    main()
