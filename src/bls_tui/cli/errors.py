"""Errors the CLI turns into one line on stderr and a non-zero exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn


class CliError(Exception):
    """A user error: printed as ``bls: <message>``, exit code ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear line and exit with ``code`` (control characters shown escaped)."""
    from bls_tui.safety.text import safe_inline

    print(f"bls: error: {safe_inline(message)}", file=sys.stderr)
    raise SystemExit(code)


def prepare_trace(trace: Path | None) -> None:
    """Create the ``--trace`` file 0600 (a timing trace is ours alone), or fail naming the flag."""
    if trace is None:
        return
    from bls_tui.safety.files import UnsafeFileError, check_regular_target

    try:
        check_regular_target(trace)
        trace.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(trace, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(fd)
        os.chmod(trace, 0o600)
    except UnsafeFileError as exc:
        fail(f"--trace: {exc}")
    except OSError as exc:
        fail(f"--trace {trace}: cannot write ({exc.strerror or exc})")
