"""The status line under the stage."""

from __future__ import annotations

import textwrap

from textual.widgets import Static

from bls_tui.safety.text import counted
from bls_tui.services.runtime import Runtime
from bls_tui.stimulus.clock import fmt_clock
from bls_tui.stimulus.engine import SetState
from bls_tui.stimulus.motion import PATTERN_LABELS
from bls_tui.ui.widgets.steady import SteadyLines

STATE_LABELS = {
    SetState.IDLE: "ready",
    SetState.RUNNING: "RUNNING",
    SetState.PAUSED: "PAUSED",
    SetState.GLIDING: "ending",
    SetState.ENDED: "set ended",
}


def status_text(runtime: Runtime, now: float, sound: str) -> str:
    """The status line: speed, length, progress, time, pattern and sound state."""
    engine = runtime.engine
    plan = engine.plan
    hz = plan.speed_hz
    if plan.cycles is not None:
        length = f"{counted(plan.cycles, 'cycle')} ({counted(plan.cycles * 2, 'sweep')})"
    else:
        length = f"{plan.seconds:g} s"
    planned = (
        engine.sweeps_planned()
        if engine.in_set
        else (plan.cycles * 2 if plan.cycles is not None else None)
    )
    done = engine.sweeps_done(now) if engine.set_number else 0
    if engine.state is SetState.ENDED and engine.last_summary is not None:
        done = engine.last_summary.sweeps_delivered
    total = f"/{planned}" if planned is not None else ""
    progress = f"sweeps {done}{total} · cycles {done // 2}"
    if planned is not None:
        progress += f"/{planned // 2}"
    set_no = engine.set_number if engine.set_number else "-"
    return (
        f"{STATE_LABELS[engine.state]} │ set {set_no} │ {progress} │ "
        f"{fmt_clock(engine.elapsed(now))} │ {hz:.1f} Hz = {hz * 120:.0f} sweeps/min │ "
        f"{PATTERN_LABELS.get(plan.pattern, plan.pattern)}, {plan.profile}\n"
        f"length {length} │ {sound}"
    )


class StatusLine(SteadyLines, Static):
    """Shows :func:`status_text`; only repaints when the text changes.

    Its height is fixed by the stylesheet (two lines), so a change repaints the line without a
    layout pass: ``Static.update`` would otherwise lay out and repaint the whole screen, several
    times a second while a set runs (a sixth of the app's CPU then, measured with py-spy).
    """

    def show(self, text: str) -> None:
        """Update the line if it changed (a layout pass only when it needs more or fewer rows:
        e.g. the sound state's longer text on a narrow terminal would otherwise be cut)."""
        if text == getattr(self, "_last_text", None):
            return
        self._last_text = text
        rows = wrapped_rows(text, self.content_size.width)
        relayout = rows != getattr(self, "_last_rows", None)
        self._last_rows = rows
        try:
            self.update(text, layout=relayout)
        except TypeError:  # pragma: no cover - Textual before the `layout` argument
            self.update(text)


def wrapped_rows(text: str, width: int) -> int:
    """Rows ``text`` takes when each of its lines is word-wrapped at ``width`` cells."""
    if width <= 0:
        return len(text.splitlines())
    return sum(max(1, len(textwrap.wrap(line, width))) for line in text.splitlines())
