"""The client's case: sessions, the three-pronged target plan, measures and doses.

Reached from the start screen (`v`) and `bls client CODE`.  Quick actions: a session on the
chosen target, reevaluate it (status with reason), an integration session after a dose, a
measure, and the case export.  Open measure alerts sit at the top, apart from everything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from bls_tui.records.base import StoreError
from bls_tui.records.case import Case
from bls_tui.records.closure import closure_words
from bls_tui.records.measures_export import instrument_name, subscore_words, total_words
from bls_tui.records.targets_store import Target
from bls_tui.records.words import date_in_words, day_in_words
from bls_tui.safety.text import counted, safe_inline
from bls_tui.ui.keys import KeySpec, bindings
from bls_tui.ui.keys_screens import CASE_KEYS
from bls_tui.ui.screens.case_targets import CaseTargetActions
from bls_tui.ui.widgets.keyfooter import KeyFooter
from bls_tui.ui.widgets.target_table import TargetTable

if TYPE_CHECKING:
    from bls_tui.records.store import Store

TABS = ("tab-sessions", "tab-targets", "tab-measures", "tab-doses")
"""Tab ids in the order of the keys' arguments: 2 sessions, 1 targets, 3 measures, 4 doses."""
KIND_WORDS = {"standard": "EMDR", "ketamine": "ketamine", "integration": "integration"}


def _num(value: int | float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _status(status: str) -> str:
    return "" if status == "completed" else f" ({status})"


class CaseScreen(CaseTargetActions, Screen[None]):
    """One client's course of treatment."""

    BINDINGS = bindings(CASE_KEYS)  # type: ignore[assignment]

    def __init__(
        self,
        store: Store,
        client_code: str,
        wall: Callable[[], datetime],
        *,
        window_h: int | None = None,
    ) -> None:
        super().__init__(id="case")
        self.store = store
        self.wall = wall
        self.client_code = client_code
        self.window_h = window_h
        self.case: Case | None = None
        self.filled: set[str] = set()
        """Tabs whose table holds the case read last (the others fill when shown)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="case-box"):
            yield Static("", id="case-title")
            yield Static("", id="case-alerts")
            with TabbedContent(id="case-tabs", initial="tab-targets"):
                with TabPane("Targets", id="tab-targets"):
                    yield TargetTable(id="case-targets")
                with TabPane("Sessions", id="tab-sessions"):
                    yield DataTable(id="case-sessions", cursor_type="row", zebra_stripes=True)
                with TabPane("Measures", id="tab-measures"):
                    yield DataTable(id="case-measures", cursor_type="row", zebra_stripes=True)
                    yield PlotextPlot(id="case-measure-plot")
                with TabPane("Doses", id="tab-doses"):
                    yield DataTable(id="case-doses", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(CASE_KEYS, available=self.key_available, id="case-footer")

    def on_mount(self) -> None:
        # the tab panes are mounted after the screen: fill them once they are there
        self.call_after_refresh(self.fill)

    def fill(self) -> None:
        """Columns, then the data."""
        self.query_one("#case-sessions", DataTable).add_columns(
            "#", "Date", "Kind", "Target", "Phases", "Sets", "SUD", "VOC", "Closure"
        )
        self.query_one("#case-measures", DataTable).add_columns(
            "#", "Date", "Measure", "Total", "Subscores", "Session"
        )
        self.query_one("#case-doses", DataTable).add_columns(
            "#", "Dose time", "Route", "Dose", "Since", "Sessions after it"
        )
        self.reload()

    def on_screen_resume(self) -> None:
        """Back from a session, its summary or a form: read the case again."""
        if self.case is not None:
            self.reload()

    def help_keys(self) -> tuple[KeySpec, ...]:
        """The case view's keys."""
        keys: tuple[KeySpec, ...] = CASE_KEYS
        return keys

    def key_available(self, spec: KeySpec) -> bool:
        """Target keys only when a target is chosen; the dose key only with a dose."""
        if spec.id in ("case_status", "case_edit", "case_archive"):
            return self.chosen_target is not None
        if spec.id == "case_integration":
            return bool(self.case and self.case.doses)
        if spec.id == "case_ack":
            return bool(self.open_alerts)
        if spec.id == "case_open":
            return self.chosen_session is not None
        return True

    # ------------------------------------------------------------------ data
    @property
    def chosen_target(self) -> Target | None:
        """The highlighted target of the plan."""
        tables = self.query(TargetTable).results(TargetTable)
        return next((t.chosen for t in tables), None)

    @property
    def chosen_session(self) -> int | None:
        """The session highlighted in the Sessions tab, when that tab is shown."""
        if self.case is None or not self.case.sessions:
            return None
        tabs = self.query(TabbedContent).results(TabbedContent)
        if next((t.active for t in tabs), "") != "tab-sessions":
            return None
        row = self.query_one("#case-sessions", DataTable).cursor_row
        newest_first = list(reversed(self.case.sessions))
        return newest_first[row].id if 0 <= row < len(newest_first) else None

    @property
    def open_alerts(self) -> list[tuple[int, str]]:
        """(alert ID, words) for every alert not yet acknowledged."""
        if self.case is None:
            return []
        found = []
        for record in self.case.measures:
            for alert in record.alerts:
                if alert.acknowledged_at is None:
                    when = date_in_words(alert.raised_at)
                    found.append(
                        (
                            alert.id,
                            f"{instrument_name(record)} item {alert.item} answered "
                            f"{alert.value} ({when}), measure #{record.id}",
                        )
                    )
        return found

    def reload(self) -> None:
        """Read the case again and fill every table."""
        try:
            self.case = self.store.case(self.client_code, window_h=self.window_h)
        except StoreError as exc:
            self.notify(f"cannot read the case: {exc}", severity="error", timeout=10)
            return
        case = self.case
        plan = [t for t in case.targets if t.archived_at is None]
        archived = len(case.targets) - len(plan)
        self.query_one("#case-title", Static).update(
            f"[b]Client {safe_inline(self.client_code)}[/b] · "
            f"{counted(len(case.sessions), 'session')} · {counted(len(plan), 'target')}"
            + (f" (+{archived} archived)" if archived else "")
            + f" · {counted(len(case.measures), 'measure')} · {counted(len(case.doses), 'dose')}"
        )
        alerts = self.open_alerts
        box = self.query_one("#case-alerts", Static)
        box.display = bool(alerts)
        if alerts:
            box.update(
                "[b]NOT ACKNOWLEDGED:[/b] "
                + "; ".join(text for _, text in alerts)
                + ". Review it with the client now; ! records that you have seen it. "
                "This app tells no one."
            )
        self.filled = set()
        active = self.query_one(TabbedContent).active
        self.fill_tab(active)
        if self.app.screen is self:
            for table in self.query_one(f"#{active}", TabPane).query(DataTable):
                table.focus()
        self.query_one(KeyFooter).refresh_keys()

    def fill_tab(self, tab: str) -> None:
        """Fill one tab's table from the case read last (each tab when it is first shown)."""
        case = self.case
        if case is None or tab in self.filled:
            return
        self.filled.add(tab)
        if tab == "tab-targets":
            self.query_one(TargetTable).show(list(case.targets))
        elif tab == "tab-sessions":
            self._fill_sessions(case)
        elif tab == "tab-measures":
            self._fill_measures(case)
        elif tab == "tab-doses":
            self._fill_doses(case)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab shown for the first time since the last read is filled now; ↑↓ move in it."""
        if event.pane.id is not None:
            self.fill_tab(event.pane.id)
            for table in event.pane.query(DataTable):
                table.focus()
        self.query_one(KeyFooter).refresh_keys()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one(KeyFooter).refresh_keys()

    def _fill_sessions(self, case: Case) -> None:
        table = self.query_one("#case-sessions", DataTable)
        table.clear()
        now = self.wall()
        for s in reversed(case.sessions):
            sud = f"{_num(s.first_sud)}→{_num(s.last_sud)}"
            table.add_row(
                str(s.id),
                day_in_words(s.started_at, now=now),
                KIND_WORDS.get(s.kind, s.kind)
                + ("" if s.status == "completed" else f" ({s.status})"),
                safe_inline(s.target_label)[:30] or "-",
                "·".join(map(str, s.phases)) or "-",
                str(s.sets),
                sud,
                _num(s.last_voc),
                closure_words(s.closure_complete, s.sets),
            )

    def _fill_measures(self, case: Case) -> None:
        from bls_tui.services.measure_plots import draw_measures

        table = self.query_one("#case-measures", DataTable)
        table.styles.height = "auto"
        table.styles.max_height = 8
        plot = self.query_one("#case-measure-plot", PlotextPlot)
        plot.styles.height = "1fr"
        plot.styles.min_height = 8
        plot.plt.clear_data()
        plot.plt.clear_figure()
        draw_measures(plot.plt, case.measures)
        plot.refresh()
        table.clear()
        for m in reversed(case.measures):
            table.add_row(
                str(m.id),
                day_in_words(m.taken_at),
                instrument_name(m),
                total_words(m) + (f", {m.band}" if m.band else ""),
                subscore_words(m) or "-",
                "-" if m.session_id is None else f"#{m.session_id}",
            )

    def _fill_doses(self, case: Case) -> None:
        table = self.query_one("#case-doses", DataTable)
        table.clear()
        now = self.wall()
        for dose, (_, since) in zip(case.doses, case.days_since_dose(now), strict=True):
            members = ", ".join(  # "#5 day 2 (T+27 h)": short enough for 80 columns
                f"#{sid} {words.replace(' after dose', '')}" + ("" if linked else " unlinked")
                for sid, words, linked in dose.sessions
            )
            table.add_row(
                str(dose.session_id),
                date_in_words(dose.dosed_at),
                dose.route,
                dose.dose,
                since,
                members or "-",
            )

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        """Back to where the case was opened from (or quit when it was opened alone)."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_tab(self, index: int) -> None:
        """Show one of the four tabs."""
        self.query_one(TabbedContent).active = TABS[index]

    def action_start(self) -> None:
        """A new session for this client, on the chosen target."""
        target = self.chosen_target
        label = target.label if target is not None and target.archived_at is None else ""
        self.app.ask_new_session(self.client_code, target=label)

    def action_integration(self) -> None:
        """An integration session after the latest dose (or the highlighted one)."""
        if self.case is None or not self.case.doses:
            self.notify("no medicine session with a dose for this client", timeout=6)
            return
        dose = self.case.doses[0].session_id
        if self.query_one(TabbedContent).active == "tab-doses":
            row = self.query_one("#case-doses", DataTable).cursor_row
            if 0 <= row < len(self.case.doses):
                dose = self.case.doses[row].session_id
        self.app.ask_new_session(self.client_code, kind="integration", after_dose=dose)

    def action_measure(self) -> None:
        """Take a measure for this client."""
        self.app.ask_measure(self.client_code, then=self.reload)

    def action_acknowledge(self) -> None:
        """Record that the clinician has seen the oldest open alert (with the time)."""
        alerts = self.open_alerts
        if not alerts:
            return
        alert_id, text = alerts[0]
        self._write(
            lambda: self.store.acknowledge_alert(alert_id, at=self._now()),
            f"acknowledged: {text}",
        )

    def action_open_session(self) -> None:
        """The chosen session's summary (esc comes back here); n there writes a note."""
        session_id = self.chosen_session
        if session_id is None:
            self.notify("choose a session in the Sessions tab (2, then ↑↓)", timeout=6)
            return
        self.app.open_summary(session_id)

    def action_export(self) -> None:
        """The case as Markdown in the exports folder."""
        self.app.export_case(self.client_code)
