"""Write fr_dunning_addon/README.rst from the readme/ fragments.

The OCA generator (oca-gen-addon-readme) is not on PyPI; this is its small
equivalent for this addon. `--check` fails when README.rst is out of date.
"""

import ast
import sys
from pathlib import Path

ADDON = Path(__file__).resolve().parents[1] / "fr_dunning_addon"
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def render():
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
    title = manifest["name"]
    out = ["=" * len(title), title, "=" * len(title), ""]
    out += [
        f"|license| **{manifest['license']}** — version {manifest['version']}",
        "",
        ".. |license| image:: https://img.shields.io/badge/license-AGPL--3-blue.png",
        "",
    ]
    for filename, heading in SECTIONS:
        text = (ADDON / "readme" / filename).read_text().strip()
        if heading:
            out += [heading, "=" * len(heading), ""]
        out += [text, ""]
    return "\n".join(out)


def main():
    target = ADDON / "README.rst"
    text = render()
    if "--check" in sys.argv:
        if not target.is_file() or target.read_text() != text:
            sys.exit("fr_dunning_addon/README.rst is out of date: run python3 scripts/gen_addon_readme.py")
        return
    target.write_text(text)


if __name__ == "__main__":
    main()
