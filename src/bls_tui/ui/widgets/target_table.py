"""The target plan as a table: prong, label, status, sessions, latest SUD/VOC/body scan."""

from __future__ import annotations

from textual.widgets import DataTable

from bls_tui.protocol.targets import PRONG_WORDS, STATUS_WORDS
from bls_tui.records.targets_store import Target
from bls_tui.records.words import day_in_words
from bls_tui.safety.text import safe_inline

COLUMNS = ("#", "Prong", "Target", "Status", "Sess", "SUD", "VOC", "Body", "Last")


def _cell(value: int | None) -> str:
    return "-" if value is None else str(value)


class TargetTable(DataTable[str]):
    """One row per target; the highlighted row is :attr:`chosen`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.plan: list[Target] = []

    def on_mount(self) -> None:
        self.add_columns(*COLUMNS)

    def show(self, targets: list[Target]) -> None:
        """Fill the table (keeps the cursor on the same row number)."""
        row = self.cursor_row
        self.plan = list(targets)
        self.clear()
        for t in self.plan:
            status = STATUS_WORDS.get(t.status, t.status)
            if t.archived_at:
                status += " (archived)"
            self.add_row(
                str(t.id),
                PRONG_WORDS.get(t.prong or "", "prong ?"),
                safe_inline(t.label)[:40],
                status,
                str(t.sessions),
                _cell(t.progress.sud),
                _cell(t.progress.voc),
                (t.progress.body_scan or "-").replace("_", " "),
                day_in_words(t.last_session_at) if t.last_session_at else "-",
                key=str(t.id),
            )
        if self.plan:
            self.move_cursor(row=min(row, len(self.plan) - 1))

    @property
    def chosen(self) -> Target | None:
        """The highlighted target (None when the plan is empty)."""
        if not self.plan or self.cursor_row < 0 or self.cursor_row >= len(self.plan):
            return None
        return self.plan[self.cursor_row]
