"""The end-of-session summary: phases, the table of sets, and the SUD/VOC plot."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from bls_tui.records.closure import closure_words
from bls_tui.records.export_safe import escaped_session
from bls_tui.records.medicine_words import (
    checkin_words,
    kind_words,
    medicine_facts,
    stored_dose_link_words,
)
from bls_tui.records.review import format_duration, phase_durations, set_headers, set_rows
from bls_tui.records.store import Store
from bls_tui.records.types import SessionData, SessionInfo
from bls_tui.records.words import date_in_words, markers_in_words
from bls_tui.safety.text import safe_text
from bls_tui.ui.keys import KeySpec
from bls_tui.ui.keys_screens import SUMMARY_KEYS
from bls_tui.ui.screens.closing import close_once
from bls_tui.ui.widgets.keyfooter import KeyFooter


class SessionPlot(PlotextPlot):
    """A plot drawn by the same code as `bls sessions show` (ratings, timeline or vitals)."""

    def __init__(self, data: SessionData, kind: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.data = data
        self.kind = kind

    def on_mount(self) -> None:
        from bls_tui.services import plots

        draw = {
            "ratings": plots.draw_ratings,
            "timeline": plots.draw_timeline,
            "vitals": plots.draw_vitals,
        }[self.kind]
        draw(self.plt, self.data)


COLUMN_PRIORITY = (
    "#", "SUD", "VOC", "Stopped early", "Phase", "Sound lost", "Sweeps", "Speed Hz",
    "Duration", "Since dose (min)", "Cycles", "Delivered Hz",
)  # fmt: skip
"""Set-table columns, most important first: narrow terminals drop from the end."""

MEDICINE_COLUMN_PRIORITY = (
    "#", "SUD", "VOC", "Stopped early", "Phase", "Since dose (min)", "Sound lost", "Sweeps",
    "Speed Hz", "Duration", "Cycles", "Delivered Hz",
)  # fmt: skip
"""With a dosing record the time since the dose is the set's most telling column after the
ratings: at 80 columns it stays, and Sweeps and Speed Hz are left out (named under the table)."""


def fit_columns(
    headers: list[str],
    rows: list[list[str]],
    width: int,
    priority: tuple[str, ...] = COLUMN_PRIORITY,
) -> list[int]:
    """Indexes of the columns to show in ``width`` cells, dropping by ``priority``."""

    def cells(i: int) -> int:  # DataTable pads each cell by one on both sides
        return max([len(headers[i]), *(len(r[i]) for r in rows)]) + 2

    keep = list(range(len(headers)))
    rank = {name: n for n, name in enumerate(priority)}
    by_priority = sorted(keep, key=lambda i: rank.get(headers[i], len(rank)), reverse=True)
    for i in by_priority:
        if sum(cells(k) for k in keep) <= width or len(keep) <= 1:
            break
        keep.remove(i)
    return keep


class SummaryScreen(Screen[None]):
    """Shown when a session ends (also reachable from the start screen)."""

    BINDINGS = [
        Binding("x", "export_session", "Export", id="summary_export"),
        Binding("n", "export_note", "Note", id="summary_note"),
        Binding("q,escape", "close", "Close", id="summary_quit"),
    ]

    def __init__(self, store: Store, session_id: int, *, back_to_start: bool = False) -> None:
        super().__init__(id="summary")
        self.data = escaped_session(store.load_session(session_id))  # no controls or bidi
        self.measures, self.alerts = measure_lines(store, self.data.session)
        self.dose_link = dose_link_line(store, self.data.session)
        self.back_to_start = back_to_start
        """Opened from the start screen: q / esc return to it (else they quit)."""
        self._columns: list[int] | None = None

    def compose(self) -> ComposeResult:
        info = self.data.session
        closure = closure_words(info.closure_complete, len(self.data.sets), "not recorded")
        with VerticalScroll(id="summary-box"):
            yield Static(
                f"[b]Session {info.id}[/b] · client {info.client_code} · "
                f"{kind_words(info.kind)} · "
                f"started {date_in_words(info.started_at)} · "
                f"status {info.status} · closure {closure} · final SUD "
                f"{'-' if info.final_sud is None else info.final_sud} / VOC "
                f"{'-' if info.final_voc is None else info.final_voc}",
                id="summary-head",
            )
            if self.dose_link:
                yield Static(self.dose_link, id="summary-dose-link", markup=False)
            phases = " · ".join(
                f"{p.number} {p.name} {format_duration(p.seconds)}"
                for p in phase_durations(self.data)
            )
            yield Static(f"Phases: {phases or 'none recorded'}", id="summary-phases")
            markers = markers_in_words(self.data.events)
            if markers:
                yield Static("Markers: " + " · ".join(markers), id="summary-markers")
            if self.measures:
                yield Static(
                    "\n".join(["Measures that day (screening, not diagnosis):", *self.measures]),
                    id="summary-measures",
                    markup=False,
                )
            for alert in self.alerts:
                yield Static(alert, classes="summary-alert", markup=False)
            if self.data.medicine is not None:
                with Vertical(id="summary-medicine"):
                    yield Static("Medicine (ketamine), as recorded:")
                    for line in medicine_lines(self.data):
                        yield Static(line, classes="summary-medicine-line", markup=False)
            if self.data.sets:
                yield DataTable(id="summary-sets", zebra_stripes=False)
                yield Static("", id="summary-dropped")
            else:
                yield Static("No BLS sets in this session.", id="summary-no-sets")
            yield SessionPlot(self.data, "ratings", id="summary-plot", classes="plot")
            if self.data.medicine is not None:
                yield SessionPlot(self.data, "timeline", id="summary-timeline", classes="plot")
                yield SessionPlot(self.data, "vitals", id="summary-vitals", classes="plot")
            yield Static(
                f"x exports Markdown, n a progress note (SOAP, DAP, BIRP) · all formats: "
                f"bls sessions export {info.id} --format FORMAT -o FILE",
                id="summary-hint",
            )
        yield KeyFooter(SUMMARY_KEYS, id="summary-footer")

    def help_keys(self) -> tuple[KeySpec, ...]:
        """The summary's keys."""
        return SUMMARY_KEYS

    def on_mount(self) -> None:
        self.fill_table()

    def on_resize(self) -> None:
        self.fill_table()

    def fill_table(self) -> None:
        """The set table with the columns that fit; says which were left out."""
        if not self.data.sets:
            return  # "No BLS sets in this session." instead of an empty table
        since = self.data.medicine is not None
        headers = set_headers(since_dose=since)
        rows = [row.cells(since_dose=since) for row in set_rows(self.data)]
        priority = MEDICINE_COLUMN_PRIORITY if since else COLUMN_PRIORITY
        keep = fit_columns(headers, rows, self.app.size.width - 4, priority)
        if keep == self._columns:
            return
        self._columns = keep
        table: DataTable[str] = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*(headers[i] for i in keep))
        for row in rows:
            table.add_row(*(row[i] for i in keep))
        dropped = [h for i, h in enumerate(headers) if i not in keep]
        note = self.query_one("#summary-dropped", Static)
        note.display = bool(dropped)
        note.update(
            f"Too narrow for every column; left out: {', '.join(dropped)} "
            f"(a wider window or `bls sessions show {self.data.session.id}` shows them)."
        )

    def action_close(self) -> None:
        """Back to the start screen if opened from it, else quit."""
        if self.back_to_start:
            close_once(self, None)
        else:
            self.app.exit()

    def action_export_session(self) -> None:
        """Markdown export into the exports folder."""
        self.app.export_session(self.data.session.id)  # type: ignore[attr-defined]

    def action_export_note(self) -> None:
        """Ask which note (SOAP, DAP, BIRP, the clinician's own), then export it."""
        from bls_tui.ui.screens.note_pick import NotePick

        def picked(name: str | None) -> None:
            if name is not None:
                self.app.export_session(self.data.session.id, name)  # type: ignore[attr-defined]

        self.app.push_screen(NotePick(), picked)


def measure_lines(store: Store, info: SessionInfo) -> tuple[list[str], list[str]]:
    """The measures of the session's day (one line each) and their item alerts, apart."""
    from bls_tui.protocol.model import parse_iso
    from bls_tui.records.measures_export import alert_words, instrument_name, total_words
    from bls_tui.records.note_context import measures_of_day

    zone = parse_iso(info.started_at).astimezone().tzinfo or parse_iso(info.started_at).tzinfo
    assert zone is not None
    records = measures_of_day(
        store.session_measures(info.id),
        store.list_measures(info.client_code),
        info.started_at,
        zone,
    )
    lines = [
        f"  {instrument_name(r)} #{r.id} ({parse_iso(r.taken_at).astimezone(zone):%H:%M}): "
        f"{total_words(r)}" + (f", {r.band}" if r.band else "")
        for r in records
    ]
    alerts = [f"ITEM ALERT: {alert_words(a, r, zone)}" for r in records for a in r.alerts]
    if alerts:
        from bls_tui.records.note_context import NOBODY_TOLD

        alerts.append(NOBODY_TOLD)
    return [safe_text(x) for x in lines], [safe_text(x) for x in alerts]


def dose_link_line(store: Store, info: SessionInfo) -> str:
    """``After the dose of session #5 (Thu 5 Nov, 09:00): day 2 (T+27 h)`` ('' unlinked)."""
    return safe_text(stored_dose_link_words(store, info))


def medicine_lines(data: SessionData) -> list[str]:
    """The dosing record in the Markdown export's words, packed into lines of at most 76
    characters (a longer fact has a line of its own), then one line per check-in."""
    from bls_tui.protocol.model import parse_iso

    m = data.medicine
    assert m is not None

    def clock(stamp: str) -> str:
        return f"{parse_iso(stamp).astimezone():%H:%M}"

    facts = [
        f"{label}: {value}"
        for label, value in medicine_facts(m, clock, dose_clock=date_in_words, short_screening=True)
        if value != "–"  # no provider, no screening stored: left out here (the export says "–")
    ]
    lines: list[str] = []
    for fact in facts:
        if lines and len(lines[-1]) + 3 + len(fact) <= 76:
            lines[-1] += " · " + fact
        else:
            lines.append(fact)
    checkins = [f"Check-in {checkin_words(c, m, clock)}" for c in data.checkins]
    return lines + (checkins or ["Check-ins: none recorded"])
