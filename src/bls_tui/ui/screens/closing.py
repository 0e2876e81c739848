"""Closing a dialog once: keys that arrive while it closes must not close what is beneath it.

Keys typed in a burst (three Escs in one read) reach a form or dialog that is already closing;
each used to dismiss again, and the later ones popped the session screen itself, leaving a
blank screen where no key worked, not even the stop key.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

_CLOSING = "_bls_closing"


def close_once(screen: Screen[Any], result: Any = None) -> bool:
    """Dismiss ``screen`` with ``result`` unless it is already closing; True if it closed now."""
    if is_closing(screen):
        return False
    setattr(screen, _CLOSING, True)
    screen.dismiss(result)
    return True


def is_closing(screen: Screen[Any]) -> bool:
    """True once :func:`close_once` has dismissed ``screen``."""
    return bool(getattr(screen, _CLOSING, False))
