"""Load the French demo data into a database (used by `make demo`).

usage: python3 scripts/demo_populate.py DBNAME [odoo options...]
"""

import base64
import io
import sys
import threading
import time
from contextlib import contextmanager

from werkzeug.serving import make_server

import odoo
from odoo import SUPERUSER_ID, api


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
        # The demo login speaks French.
        env["res.lang"]._activate_lang("fr_FR")
        env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})


# ----------------------------------------------------------------------
# The letterhead of the demo company: logo, share capital, signatory.
# ----------------------------------------------------------------------

# Atelier Lumière's colours: a deep blue and a lamp's amber.
INK = (28, 43, 74)
AMBER = (232, 163, 61)
LOGO_FONTS = ("DejaVuSerif.ttf", "DejaVuSans.ttf")


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
