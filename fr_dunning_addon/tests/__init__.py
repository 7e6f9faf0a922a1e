"""Odoo's own test runner (``--test-tags /fr_dunning_addon``) looks for tests here.

The test suite lives in the repository's top-level ``tests/`` folder, where
pytest-odoo runs it. When that folder stands next to this addon (a git
checkout), its modules are loaded here as submodules of this package, so that
both runners run the same tests without a copy. An addon installed from a wheel
ships no tests.
"""

import importlib.util
import sys
from pathlib import Path

_SUITE = Path(__file__).resolve().parents[2] / "tests"


def _load_suite():
    if not (_SUITE / "common.py").is_file():
        return
    for path in sorted(_SUITE.glob("*.py")):
        if path.name == "__init__.py":
            continue
        name = f"{__name__}.{path.stem}"
        if name in sys.modules:
            globals()[path.stem] = sys.modules[name]
            continue
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        globals()[path.stem] = module


_load_suite()
