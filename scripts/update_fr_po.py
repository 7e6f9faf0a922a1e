"""Merge i18n/fr_dunning_addon.pot into i18n/fr.po and report what is untranslated.

    python3 scripts/update_fr_po.py          merge (keeps every existing translation)
    python3 scripts/update_fr_po.py --check  fail when a message has no French text

Regenerate the .pot first from a database with the addon installed:
    python3 -m odoo -d DB --i18n-export=fr_dunning_addon/i18n/fr_dunning_addon.pot \
        --modules=fr_dunning_addon
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib

I18N = Path(__file__).resolve().parents[1] / "fr_dunning_addon" / "i18n"
# Words spelled the same in French: the OCA po formatter empties their msgstr.
SAME_IN_FRENCH = {
    "'Relance - %s - %s' % (object.partner_id.name, object.date.strftime('%Y-%m-%d'))",
    "'Releve de compte - %s' % object.name",
    '<span invisible="not phone or not email"> · </span>',
    "Logo",
    "QR",
    ",\n                                <span>BIC</span>",
    ",\n                                <span>IBAN</span>",
    "Arrêté",
    "Confirmation",
    "Taux de l'intérêt légal (arrêté)",
    "Communications",
    "Configuration",
    "Contact",
    "Date",
    "Description",
    "Documents",
    "ID",
    "Message",
    "Messages",
    "Note",
    "SMS",
    "Total",
    "Type",
    "<span>SIRET</span>",
    "tribunal de commerce",
    "tribunal judiciaire",
    "tribunal administratif",
    "Tribunal de commerce",
    "Allianz Trade",
    "Atradius",
    "Coface",
    "SIREN",
    "SAS",
    "<span>SIREN</span>",
    "Tribunal judiciaire",
    "Tribunal administratif",
    "'Declaration de creance - %s' % object.name",
    "Principal",
    "Source",
}
# The e-invoicing lifecycle statuses are named in French by the specifications
# ("210 Refusée"): their labels are the same in French.
LIFECYCLE_LABEL = re.compile(r"^2\d\d [A-ZÉ]")


def main():
    pot = polib.pofile(str(I18N / "fr_dunning_addon.pot"))
    po_path = I18N / "fr.po"
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    if "--check" not in sys.argv:
        po.merge(pot)
        po.metadata.update(
            {
                "Project-Id-Version": "Odoo Server 18.0",
                "Language": "fr",
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "",
                "Plural-Forms": "nplurals=2; plural=(n > 1);",
            }
        )
        for entry in po.obsolete_entries():
            po.remove(entry)
        # The OCA layout: sorted by msgid, no msgstr equal to its msgid.
        for entry in po:
            if entry.msgstr == entry.msgid:
                entry.msgstr = ""
        po.sort(key=lambda entry: entry.msgid)
        po.save(str(po_path))
        if shutil.which("oca-checks-po"):  # the layout the OCA checks expect
            subprocess.run(["oca-checks-po", "--fix", "--no-exit", str(po_path)], check=False)
    pot_ids = {(e.msgctxt, e.msgid) for e in pot}

    def same_in_french(msgid):
        return msgid in SAME_IN_FRENCH or LIFECYCLE_LABEL.match(msgid)

    missing = [
        e.msgid
        for e in po
        if (e.msgctxt, e.msgid) in pot_ids and ((not e.msgstr and not same_in_french(e.msgid)) or e.fuzzy)
    ]
    missing += [msgid for ctxt, msgid in pot_ids if (ctxt, msgid) not in {(e.msgctxt, e.msgid) for e in po}]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    if missing and "--check" in sys.argv:
        sys.exit(f"fr.po: {len(missing)} message(s) without French translation")


if __name__ == "__main__":
    main()
