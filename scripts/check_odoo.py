"""Stop with one clear line when Odoo 18.0 is not importable.

The project never installs Odoo itself: it is an addon for an existing Odoo.
"""

import sys

DOC = "https://www.odoo.com/documentation/18.0/administration/on_premise/source.html"

try:
    from odoo import release
except ImportError as exc:
    sys.stderr.write(
        f"fr_dunning_addon: Odoo is not importable from {sys.executable} ({exc}). "
        f"Install Odoo 18.0 in this Python environment first, see {DOC}\n"
    )
    sys.exit(3)

if tuple(release.version_info[:2]) != (18, 0):
    sys.stderr.write(
        f"fr_dunning_addon: Odoo {release.version} is installed, but this addon needs "
        f"Odoo 18.0. Install Odoo 18.0 in this Python environment, see {DOC}\n"
    )
    sys.exit(3)
