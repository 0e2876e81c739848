"""Entering an outcome measure item by item: the wording, the scale, a digit answers and moves on.

The total, part scores and band (where one is published) appear only once every item is
answered; until then the screen says how many are answered.  "Screening, not diagnosis" is
always on screen.  A PHQ-9 item 9 answer above 0 opens :class:`ItemAlertDialog` at once: it
closes only with its own key (esc does not acknowledge), and the alert stays on the form, apart
from the total, after it is acknowledged.  Nothing on it says that anyone else is told.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.markup import escape
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from bls_tui.measures.entry import Entry
from bls_tui.measures.model import SCREENING_NOTE, RaisedAlert, unanswered
from bls_tui.safety.text import safe_inline
from bls_tui.ui.keys import KeySpec
from bls_tui.ui.screens.closing import close_once, is_closing
from bls_tui.ui.widgets.keyfooter import KeyFooter

MEASURE_KEYS: tuple[KeySpec, ...] = (
    KeySpec("measure_answer", "0-9", "", "Answer", "Type the answer's number: it is recorded "
            "and the next item shows (a scale of 10 or more: the digits, then enter if the "
            "number could still grow, e.g. 10 on a 0-100 scale)", group="Measure"),
    KeySpec("measure_enter", "enter", "enter", "Record / next", "Record the digits typed; on "
            "an answered item go to the next; after the last item save", group="Measure",
            show=False),
    KeySpec("measure_back", "left,backspace", "back", "Back", "The previous item (its answer "
            "stays until you type another)", group="Measure"),
    KeySpec("measure_next", "right", "next", "Next", "The next item (it stays unanswered "
            "if you give no answer)", group="Measure"),
    KeySpec("measure_clear", "delete", "clear", "Clear", "Remove the answer of this item",
            group="Measure", show=False),
    KeySpec("measure_save", "ctrl+s", "save", "Save", "Save now: finished if every item is "
            "answered, otherwise as unfinished (never scored until finished)", group="Measure"),
    KeySpec("measure_leave", "escape", "leave", "Leave", "Leave (asks first if answers would be "
            "lost)", group="Measure"),
    KeySpec("help", "f1", "help", "Help", "This help screen", group="Measure"),
)  # fmt: skip

ALERT_KEYS: tuple[KeySpec, ...] = (
    KeySpec("alert_ack", "a", "acknowledge", "Acknowledge", "Record that you have seen this "
            "answer (with the time)", group="Alert"),
)  # fmt: skip

ACK_DELAY_S = 0.6
"""The acknowledgement key counts only after the dialog has been on screen this long, so keys
typed in a burst (the next answers) cannot close it unseen."""


@dataclass(frozen=True)
class MeasureDone:
    """What the form hands back: the entry to save (finished or not)."""

    entry: Entry


class ItemAlertDialog(ModalScreen[str]):
    """An answer that needs the clinician's acknowledgement.  Only `a` closes it."""

    BINDINGS = [
        Binding("a", "acknowledge", "Acknowledge", id="alert_ack"),
        Binding("escape", "refuse", show=False, id="alert_esc"),
    ]

    def __init__(self, alert: RaisedAlert, answer: str, now: Callable[[], str]) -> None:
        super().__init__(id="measure-alert")
        self.alert = alert
        self.answer = answer
        self.now = now
        self.opened_at = time.monotonic()
        self.delay_s = ACK_DELAY_S

    def compose(self) -> ComposeResult:
        with Vertical(id="measure-alert-box"):
            yield Static(
                f"ITEM {self.alert.item} ANSWERED {self.answer}",
                id="measure-alert-title",
                markup=False,
            )
            yield Static(self.alert.message, id="measure-alert-text", markup=False)
            yield Static(
                "Press a to acknowledge that you have seen it (the time is recorded). "
                "Esc does not close this.",
                id="measure-alert-keys",
            )

    def on_key(self, event: events.Key) -> None:
        """Every other key is swallowed: nothing typed ahead reaches the form beneath."""
        if event.key not in ("a", "escape", "f1"):
            event.stop()
            event.prevent_default()

    def action_acknowledge(self) -> None:
        """Close, returning when it was acknowledged (ignored while just opened)."""
        if time.monotonic() - self.opened_at < self.delay_s:
            return
        close_once(self, self.now())

    def action_refuse(self) -> None:
        """Esc: say how to close it; it stays."""
        self.query_one("#measure-alert-keys", Static).update(
            "Esc does not acknowledge. Press a to acknowledge that you have seen this answer."
        )


class MeasureForm(Screen[MeasureDone | None]):
    """One instrument, item by item."""

    CSS_PATH = "../styles/measures.tcss"
    BINDINGS = [
        Binding("left,backspace", "back", "Back", id="measure_back"),
        Binding("right", "next", "Next", id="measure_next"),
        Binding("enter", "enter", "Next", id="measure_enter", show=False),
        Binding("delete", "clear", "Clear", id="measure_clear", show=False),
        Binding("ctrl+s", "save", "Save", id="measure_save"),
        Binding("escape", "leave", "Leave", id="measure_leave"),
        Binding("f1", "help", "Help", id="measure_help", show=False),
    ]

    def __init__(
        self,
        entry: Entry,
        client_code: str,
        now: Callable[[], str],
        *,
        measure_id: int | None = None,
    ) -> None:
        super().__init__(id="measure-form")
        self.entry = entry
        self.client_code = client_code
        self.now = now
        self.measure_id = measure_id
        self.problem = ""

    def compose(self) -> ComposeResult:
        ins = self.entry.instrument
        resumed = f" · continuing #{self.measure_id}" if self.measure_id else ""
        yield Static(
            f"[b]{escape(safe_inline(ins.name))}[/b] · client {escape(self.client_code)} · "
            f"{escape(safe_inline(ins.timeframe))}{resumed} · [b]{SCREENING_NOTE}[/b]",
            id="mf-title",
            markup=True,
        )
        with VerticalScroll(id="mf-body"):
            yield Static(ins.instructions, id="mf-instructions", markup=False)
            yield Static("", id="mf-item", markup=False)
            yield Static("", id="mf-scale", markup=False)
            yield Static("", id="mf-answer", markup=False)
            yield Static("", id="mf-alert", markup=False)
            yield Static("", id="mf-summary", markup=False)
            if ins.attribution:
                yield Static(ins.attribution, id="mf-attribution", markup=False)
        yield KeyFooter(MEASURE_KEYS, id="mf-footer")

    def on_mount(self) -> None:
        self.show()

    # ---------------------------------------------------------------- drawing
    def show(self) -> None:
        """Redraw from the entry."""
        entry, ins = self.entry, self.entry.instrument
        done = entry.answered_count()
        if entry.on_summary:
            item = f"All items shown ({done} of {ins.length} answered)."
            missing = unanswered(entry.answers)
            if missing:
                shown = ", ".join(str(n) for n in missing[:12]) + (
                    " ..." if len(missing) > 12 else ""
                )
                item += f"\nNot answered: item {shown}. Saving keeps it unfinished (not scored)."
            scale = ""
            answer = "enter / ctrl+s = save · ← = back to the last item"
        else:
            number = entry.position + 1
            wording = ins.items[entry.position]
            if not ins.item_text:
                wording = f"{wording} of the form you hold (the text is not shipped)"
            item = f"Item {number} of {ins.length}  ({done} answered)\n{wording}"
            scale = (
                "\n".join(
                    f"  {v:>3}  {label}"
                    for v, label in zip(ins.scale.values(), ins.scale.labels, strict=True)
                )
                if ins.scale.labels
                else f"  {ins.scale.describe()}"
            )
            given = entry.answers[entry.position]
            if entry.typed:
                answer = f"Answer: {entry.typed}_  (enter to record)"
            elif given is None:
                answer = "Answer: not answered yet"
            else:
                label = ins.scale.label(given)
                kept = " (recorded earlier, kept)" if entry.position in entry.kept else ""
                answer = f"Answer: {given}{f' ({label})' if label else ''}{kept}"
        if self.problem:
            answer += f"\n{self.problem}"
        self.query_one("#mf-item", Static).update(item)
        self.query_one("#mf-scale", Static).update(scale)
        self.query_one("#mf-answer", Static).update(answer)
        self._show_alerts()
        self._show_summary()

    def _show_alerts(self) -> None:
        lines = []
        for alert in self.entry.alerts():
            label = self.entry.instrument.scale.label(alert.value)
            seen = self.entry.acknowledged.get(alert.item)
            state = (
                f"acknowledged {seen[1][11:16]} UTC"
                if seen is not None and seen[0] == alert.value
                else "NOT ACKNOWLEDGED"
            )
            lines.append(f"! Item {alert.item} answered {alert.value} ({label}): {state}")
        widget = self.query_one("#mf-alert", Static)
        widget.update("\n".join(lines))
        widget.display = bool(lines)

    def _show_summary(self) -> None:
        widget = self.query_one("#mf-summary", Static)
        result = self.entry.result()
        ins = self.entry.instrument
        if result is None:
            widget.update(f"Total: shown when all {ins.length} items are answered")
            return
        low, high = ins.total_range()
        parts = [f"Total {ins.show_total(result.total)} (of {low:g}-{high:g})"]
        if result.band is not None:
            parts.append(f"band: {result.band}")
        lines = [" · ".join(parts)]
        if result.subscores:
            lines.append(
                "Part scores: "
                + " · ".join(f"{k} {ins.show_total(v)}" for k, v in result.subscores.items())
            )
        if ins.cutoff is not None:
            lines.append("; ".join(result.flags) if result.flags else ins.cutoff.text)
        widget.update("\n".join(lines))

    # ---------------------------------------------------------------- keys
    def on_key(self, event: events.Key) -> None:
        """Digits (and a minus for a scale below 0) answer the item shown."""
        char = event.character or ""
        if not char or not (char.isdigit() or char == "-") or is_closing(self):
            return
        event.stop()
        event.prevent_default()
        self._after(self.entry.key(char))

    def _after(self, outcome: RaisedAlert | str | None) -> None:
        self.problem = outcome if isinstance(outcome, str) else ""
        self.show()
        if isinstance(outcome, RaisedAlert):
            self.open_alert(outcome)

    def open_alert(self, alert: RaisedAlert) -> None:
        """Show the alert dialog; its acknowledgement is recorded when it closes."""
        label = self.entry.instrument.scale.label(alert.value)
        answer = f"{alert.value} ({label})" if label else str(alert.value)

        def seen(stamp: str | None) -> None:
            if stamp is not None:
                self.entry.acknowledge(alert, lambda: stamp)
            self.show()

        self.app.push_screen(ItemAlertDialog(alert, answer, self.now), seen)

    def action_back(self) -> None:
        """The previous item (or, while digits are typed, the last digit)."""
        if self.entry.typed:
            self.entry.typed = self.entry.typed[:-1]
        else:
            self.entry.back()
        self.problem = ""
        self.show()

    def action_next(self) -> None:
        """The next item (unanswered stays unanswered)."""
        self.entry.forward()
        self.problem = ""
        self.show()

    def action_enter(self) -> None:
        """Enter: record typed digits, move on, or save from the summary."""
        if self.entry.on_summary and not self.entry.typed:
            self.action_save()
            return
        self._after(self.entry.enter())

    def action_clear(self) -> None:
        """Remove this item's answer."""
        self.problem = self.entry.clear() or ""
        self.show()

    def action_save(self) -> None:
        """Save (unfinished if items are left); never while an alert waits for acknowledgement."""
        if is_closing(self):
            return
        if self.entry.answered_count() == 0:
            self.problem = "nothing answered yet; nothing to save (esc leaves)"
            self.show()
            return
        waiting = self.entry.unseen_alerts()
        if waiting:
            self.open_alert(waiting[0])
            return
        close_once(self, MeasureDone(self.entry))

    def action_leave(self) -> None:
        """Leave; asks first when answers would be lost."""
        if is_closing(self):
            return
        new = self.entry.answered_count() - len(self.entry.kept)
        if new <= 0:
            close_once(self, None)
            return
        from bls_tui.ui.screens.confirm import ConfirmScreen

        def answer(leave: bool | None) -> None:
            if leave:
                close_once(self, None)

        question = f"Leave without saving? {new} answer(s) typed here would be lost (ctrl+s saves)."
        self.app.push_screen(ConfirmScreen(question), answer)

    def action_help(self) -> None:
        """The form's keys."""
        from bls_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(MEASURE_KEYS + ALERT_KEYS))

    def help_keys(self) -> tuple[KeySpec, ...]:
        """Keys for the app-level help."""
        return MEASURE_KEYS + ALERT_KEYS
