"""The end-of-session summary: phases, the table of sets, and the SUD/VOC plot."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual_plotext import PlotextPlot

from bls_tui.core.export_safe import escaped_session
from bls_tui.core.records import Store
from bls_tui.core.records_types import SessionData
from bls_tui.core.review import format_duration, phase_durations, set_headers, set_rows


class SessionPlot(PlotextPlot):
    """A plot drawn by the same code as `bls sessions show` (ratings, timeline or vitals)."""

    def __init__(self, data: SessionData, kind: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.data = data
        self.kind = kind

    def on_mount(self) -> None:
        from bls_tui import plots

        draw = {
            "ratings": plots.draw_ratings,
            "timeline": plots.draw_timeline,
            "vitals": plots.draw_vitals,
        }[self.kind]
        draw(self.plt, self.data)


class SummaryScreen(Screen[None]):
    """Shown when a session ends (also reachable by `bls sessions show`)."""

    BINDINGS = [Binding("q,escape", "app.quit", "Quit", id="summary_quit")]

    def __init__(self, store: Store, session_id: int) -> None:
        super().__init__(id="summary")
        self.data = escaped_session(store.load_session(session_id))  # no controls or bidi

    def compose(self) -> ComposeResult:
        info = self.data.session
        closure = {True: "complete", False: "incomplete", None: "not recorded"}[
            info.closure_complete
        ]
        with VerticalScroll(id="summary-box"):
            yield Static(
                f"[b]Session {info.id}[/b] · client {info.client_code} · {info.kind} · "
                f"started {info.started_at[:16].replace('T', ' ')} UTC · "
                f"status {info.status} · closure {closure} · final SUD "
                f"{'-' if info.final_sud is None else info.final_sud} / VOC "
                f"{'-' if info.final_voc is None else info.final_voc}",
                id="summary-head",
            )
            phases = " · ".join(
                f"{p.number} {p.name} {format_duration(p.seconds)}"
                for p in phase_durations(self.data)
            )
            yield Static(f"Phases: {phases or 'none recorded'}", id="summary-phases")
            table: DataTable[str] = DataTable(id="summary-sets", zebra_stripes=False)
            yield table
            yield SessionPlot(self.data, "ratings", id="summary-plot", classes="plot")
            if self.data.medicine is not None:
                yield SessionPlot(self.data, "timeline", id="summary-timeline", classes="plot")
                yield SessionPlot(self.data, "vitals", id="summary-vitals", classes="plot")
            yield Static(
                f"Export: bls sessions export {info.id} --format md|csv|json -o FILE · q quits",
                id="summary-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*set_headers())
        for row in set_rows(self.data):
            table.add_row(*row.cells())
