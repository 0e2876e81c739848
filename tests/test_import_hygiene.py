"""The pure core never imports Textual; `bls --help` imports neither Textual nor NumPy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import bls_tui.core

CORE_MODULES = sorted(f"bls_tui.core.{m.name}" for m in pkgutil.iter_modules(bls_tui.core.__path__))


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", f"{module} pulls in textual"


def test_core_list_is_not_empty() -> None:
    assert "bls_tui.core.engine" in CORE_MODULES and "bls_tui.core.motion" in CORE_MODULES


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
