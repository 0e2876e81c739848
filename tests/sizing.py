"""Test lengths: long fault and soak runs are shortened in a default run.

``BLS_FULL_LENGTH=1`` (set by ``.ci/run``) runs them at full length.  Tests that use this carry
the ``sized`` marker, so ``pytest -m sized`` lists them.
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

FULL_LENGTH = os.environ.get("BLS_FULL_LENGTH") == "1"


def sized(full: T, quick: T) -> T:
    """``full`` under ``BLS_FULL_LENGTH=1``, else ``quick``."""
    return full if FULL_LENGTH else quick
