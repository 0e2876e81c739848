"""A footer drawn from the key table: the keys that do something now, fitted to the width.

Textual's ``Footer`` recomposes on every screen push/pop, and in Textual 8.2.8 the old key
widgets stay referenced (about 0.8 MB per between-set prompt, measured by
tests/faults/test_soak.py).
This footer is text from the same :class:`~bls_tui.ui.keys.KeySpec` table as the bindings and
the help screen; it repaints only when the keys on offer (or the width) change.

Layout rules (issue 12): the stop signal comes first, then the keys in the table's order; the
items fill at most :data:`MAX_ROWS` rows and are never cut mid-word; what does not fit is left
to the help screen, and ``? Help`` is always shown (with ``more`` when keys were left out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.text import Text
from textual.widgets import Static

from bls_tui.ui.keys import KeySpec
from bls_tui.ui.widgets.steady import SteadyLines

MAX_ROWS = 2
KEY_STYLE = "bold #ffb74d"
LABEL_STYLE = "#e0e0e0"
FIRST = ("stop",)
"""Shown before everything else (the client's stop signal)."""
LAST = ("help",)
"""Always shown, at the end: the way to every key that did not fit."""

PAIRS = {"faster": ("slower", "↑↓", "Speed"), "longer": ("shorter", "←→", "Length")}
"""Two keys shown as one footer item when both are on offer (help lists them apart)."""

Item = tuple[str, str, str]
"""(key id, key as read, label)."""


def footer_items(
    specs: Iterable[KeySpec], available: Callable[[KeySpec], bool] | None = None
) -> list[Item]:
    """``(id, key, label)`` of the keys marked ``show`` that do something now, by priority."""
    shown = [s for s in specs if s.show and (available is None or available(s))]
    first = [s for s in shown if s.id in FIRST]
    last = [s for s in shown if s.id in LAST]
    rest = [s for s in shown if s.id not in FIRST and s.id not in LAST]
    ids = {s.id for s in shown}
    items: list[Item] = []
    paired = {other for key, (other, _, _) in PAIRS.items() if key in ids and other in ids}
    for s in first + rest + last:
        if s.id in paired:
            continue
        if s.id in PAIRS and PAIRS[s.id][0] in ids:
            items.append((s.id, PAIRS[s.id][1], PAIRS[s.id][2]))
        else:
            items.append((s.id, s.display_keys.split(" / ")[0], s.label))
    return items


def _width(item: Item) -> int:
    return len(item[1]) + 1 + len(item[2])


def fit_rows(items: Sequence[Item], width: int, max_rows: int = MAX_ROWS) -> list[list[Item]]:
    """Whole items in at most ``max_rows`` rows of ``width`` cells (two spaces between items).

    Items are kept in order; when they do not all fit, the lowest-priority ones (before the
    ``help`` item, which is always last) are dropped and the help label says ``more``.
    """
    items = list(items)
    help_items = [i for i in items if i[0] in LAST]
    body = [i for i in items if i not in help_items]

    def layout(chosen: list[Item]) -> list[list[Item]] | None:
        rows: list[list[Item]] = [[]]
        used = 1  # one cell of left padding
        for item in chosen:
            if _width(item) + 1 > width:
                return None  # never cut an item: it does not fit at all
            need = _width(item) + (2 if rows[-1] else 0)
            if rows[-1] and used + need > width:
                if len(rows) == max_rows:
                    return None
                rows.append([])
                used = 1
                need = _width(item)
            rows[-1].append(item)
            used += need
        return rows

    help_tail = help_items[:1]
    for keep in range(len(body), -1, -1):
        tail = help_tail
        if keep < len(body) and help_tail:
            tail = [(help_tail[0][0], help_tail[0][1], f"{help_tail[0][2]}: more keys")]
        rows = layout(body[:keep] + tail)
        if rows is not None:
            return rows
    return [help_tail] if help_tail else [[]]


def footer_text(
    specs: Iterable[KeySpec],
    width: int = 200,
    available: Callable[[KeySpec], bool] | None = None,
) -> Text:
    """The footer as styled text: one or two rows of ``key label`` pairs."""
    text = Text(no_wrap=True, overflow="crop")
    for n, row in enumerate(fit_rows(footer_items(specs, available), width)):
        if n:
            text.append("\n")
        text.append(" ")
        for m, (_, key, label) in enumerate(row):
            if m:
                text.append("  ")
            text.append(key, style=KEY_STYLE)
            text.append(f" {label}", style=LABEL_STYLE)
    return text


class KeyFooter(SteadyLines, Static):
    """The keys on offer, always at the bottom (one or two rows)."""

    DEFAULT_CSS = """
    KeyFooter { dock: bottom; height: auto; max-height: 2; background: #0d2b45; }
    """

    def __init__(
        self,
        specs: tuple[KeySpec, ...],
        *,
        available: Callable[[KeySpec], bool] | None = None,
        id: str | None = None,
    ) -> None:
        self.specs = specs
        self.available = available
        self._shown: tuple[object, ...] | None = None
        super().__init__(footer_text(specs, 200, available), id=id)

    def on_mount(self) -> None:
        self.refresh_keys()

    def on_resize(self) -> None:
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Repaint if the keys on offer or the width changed."""
        width = self.app.size.width
        items = tuple(footer_items(self.specs, self.available))
        if (width, items) == self._shown:
            return
        self._shown = (width, items)
        self.update(footer_text(self.specs, width, self.available))

    def plain_rows(self) -> list[str]:
        """The rows as plain text (tests)."""
        width = self.app.size.width
        return footer_text(self.specs, width, self.available).plain.split("\n")
