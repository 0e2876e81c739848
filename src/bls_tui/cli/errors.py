"""Errors the CLI turns into one line on stderr and a non-zero exit."""

from __future__ import annotations

import sys
from typing import NoReturn


class CliError(Exception):
    """A user error: printed as ``bls: <message>``, exit code ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear line and exit with ``code``."""
    print(f"bls: error: {message}", file=sys.stderr)
    raise SystemExit(code)
