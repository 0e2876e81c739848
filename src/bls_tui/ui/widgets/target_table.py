"""The target plan as a table: prong, label, status, sessions, latest SUD/VOC/body scan."""

from __future__ import annotations

from textual.widgets import DataTable

from bls_tui.protocol.targets import PRONG_WORDS, STATUS_WORDS
from bls_tui.records.targets_store import Target
from bls_tui.records.words import day_in_words
from bls_tui.safety.text import safe_inline

COLUMNS = ("#", "Prong", "Target", "Status", "Sess", "SUD", "VOC", "Body", "Last")
COMPACT = ("#", "Prong", "Target", "Status", "SUD", "VOC", "Body")
"""Columns when the full table would not fit (an 80-column dialog): sessions and last date go."""
SHORT_PRONGS = {"past": "past", "present": "trigger", "future": "future"}
MIN_LABEL = 12


def _cell(value: int | None) -> str:
    return "-" if value is None else str(value)


class TargetTable(DataTable[str]):
    """One row per target; the highlighted row is :attr:`chosen`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.plan: list[Target] = []
        self.compact = False
        """True when the plan is shown in :data:`COMPACT` columns to fit the width."""

    def on_mount(self) -> None:
        if not self.columns:
            self.add_columns(*COLUMNS)

    def _full_row(self, t: Target) -> list[str]:
        status = STATUS_WORDS.get(t.status, t.status)
        if t.archived_at:
            status += " (archived)"
        return [
            str(t.id),
            PRONG_WORDS.get(t.prong or "", "prong ?"),
            safe_inline(t.label)[:40],
            status,
            str(t.sessions),
            _cell(t.progress.sud),
            _cell(t.progress.voc),
            (t.progress.body_scan or "-").replace("_", " "),
            day_in_words(t.last_session_at) if t.last_session_at else "-",
        ]

    def _room(self) -> int:
        """Columns the table can use without scrolling sideways."""
        width = self.size.width or self.app.size.width - 4
        return max(0, width - (self.scrollbar_size_vertical or 0))

    @staticmethod
    def _width(header: tuple[str, ...], rows: list[list[str]]) -> int:
        cells = [header, *rows]
        return sum(max(len(r[i]) for r in cells) + 2 for i in range(len(header)))

    def _compact_rows(self, targets: list[Target], room: int) -> list[list[str]]:
        keep = [COLUMNS.index(c) for c in COMPACT]
        rows = []
        for t in targets:
            full = self._full_row(t)
            full[1] = SHORT_PRONGS.get(t.prong or "", "?")
            rows.append([full[i] for i in keep])
        label = COMPACT.index("Target")
        others = self._width(COMPACT, rows) - max(len(r[label]) for r in [list(COMPACT), *rows])
        fit = max(MIN_LABEL, room - others)
        for r in rows:
            if len(r[label]) > fit:
                r[label] = r[label][: fit - 1] + "…"
        return rows

    def show(self, targets: list[Target]) -> None:
        """Fill the table (keeps the cursor on the same row number).

        When the full table is wider than the room it has (the phase-8 plan in an 80-column
        terminal), the number of sessions and the last date are left out, prongs are said in
        one word and long labels are shortened with "…" (the case view's plan tab has them).
        """
        row = self.cursor_row
        self.plan = list(targets)
        rows = [self._full_row(t) for t in self.plan]
        room = self._room()
        compact = self._width(COLUMNS, rows) > room
        if compact:
            rows = self._compact_rows(self.plan, room)
        self.clear(columns=True)
        self.compact = compact
        self.add_columns(*(COMPACT if compact else COLUMNS))
        for t, cells in zip(self.plan, rows, strict=True):
            self.add_row(*cells, key=str(t.id))
        if self.plan:
            self.move_cursor(row=min(row, len(self.plan) - 1))

    @property
    def chosen(self) -> Target | None:
        """The highlighted target (None when the plan is empty)."""
        if not self.plan or self.cursor_row < 0 or self.cursor_row >= len(self.plan):
            return None
        return self.plan[self.cursor_row]
