"""Domain packages and services never import Textual or Typer; `bls --help` imports no NumPy.

The import-linter contracts in pyproject.toml check the layers from the source; this checks what
really lands in ``sys.modules`` when the modules are imported.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys

import bls_tui

DOMAIN = [
    "stimulus",
    "sound",
    "protocol",
    "records",
    "ketamine",
    "measures",
    "config",
    "safety",
    "display",
    "services",
]
CORE_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(bls_tui.__path__, prefix="bls_tui.")
    if m.name.split(".")[1] in DOMAIN
)


def _ui_modules_pulled_in(modules: list[str]) -> list[str]:
    code = (
        f"import sys; import {', '.join(modules)}\n"
        "print(sorted(m for m in ('textual', 'typer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(ast.literal_eval(out.stdout.strip().splitlines()[-1]))


def test_domain_modules_import_no_textual_or_typer() -> None:
    if _ui_modules_pulled_in(CORE_MODULES):  # one process for all; name the culprit if any
        culprits = [m for m in CORE_MODULES if _ui_modules_pulled_in([m])]
        raise AssertionError(f"these pull in Textual or Typer: {culprits}")


def test_core_list_is_not_empty() -> None:
    assert "bls_tui.stimulus.engine" in CORE_MODULES and "bls_tui.stimulus.motion" in CORE_MODULES


def test_help_imports_no_textual_or_numpy() -> None:
    code = (
        "import sys\n"
        "from bls_tui.cli import app\n"
        "try:\n"
        "    app(['--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('textual', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
