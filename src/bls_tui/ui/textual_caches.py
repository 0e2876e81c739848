"""Release what Textual's own caches hold of screens that have closed.

Textual 8 memoises ``StylesCache.get_inner_outer`` with ``functools.lru_cache`` on an instance
method, so its key holds the widget's ``StylesCache`` and, through it, every line that widget
last rendered.  Up to 1024 such caches stay alive after their screens close: every between-sets
form of a long session leaves a dozen behind, and a 3-hour session grew by megabytes
(tests/faults/test_soak.py measured it; the objects were traced with ``gc.get_referrers``).
Clearing that memo when a form closes keeps memory flat; the cache refills on the next frame from
two colours, so nothing visible changes.
"""

from __future__ import annotations

from typing import Any


def release_closed_screen_caches() -> None:
    """Clear Textual's per-instance colour memo (a no-op if Textual no longer has it)."""
    try:
        from textual._styles_cache import StylesCache
    except ImportError:  # pragma: no cover - a Textual without the private module
        return
    memo: Any = getattr(StylesCache, "get_inner_outer", None)
    clear = getattr(memo, "cache_clear", None)
    if callable(clear):
        clear()
