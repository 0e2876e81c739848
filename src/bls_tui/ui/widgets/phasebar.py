"""The phase bar: the eight phases, the current one highlighted, and the session clocks."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from bls_tui.protocol.model import PHASES, SessionModel
from bls_tui.safety.text import safe_inline
from bls_tui.stimulus.clock import fmt_clock
from bls_tui.ui.widgets.steady import SteadyLines

SHORT_NAMES = {
    "history": "History",
    "preparation": "Prep",
    "assessment": "Assess",
    "desensitisation": "Desens",
    "installation": "Install",
    "body_scan": "Body scan",
    "closure": "Closure",
    "reevaluation": "Reeval",
}
"""Short labels so the bar fits 80 columns; the current phase shows its full name."""


def phase_row_cells(model: SessionModel, short: bool) -> list[tuple[str, bool]]:
    """The phase row as (label, current) cells; ``short``: other phases by number only."""
    cells = []
    for phase in PHASES:
        if phase.id == model.phase.id:
            cells.append((f" {phase.number} {phase.name.split(' and ')[0]} ", True))
        elif short:
            cells.append((f" {phase.number} ", False))
        else:
            cells.append((f" {phase.number} {SHORT_NAMES.get(phase.id, phase.name)} ", False))
    return cells


def phase_bar_text(model: SessionModel, now: float, extra: str = "", width: int = 200) -> Text:
    """The phases on one row (others by number only when ``width`` is too small), the clocks,
    and the phase's reminder + suggested preset (those two wrap between words).  With a
    medicine clock (``extra``) the last line is the medicine clock instead."""
    bar = Text()
    cells = phase_row_cells(model, short=False)
    if sum(len(label) + 1 for label, _ in cells) > width - 2:
        cells = phase_row_cells(model, short=True)
    for label, current in cells:
        bar.append(label, style="bold #1c1c1c on #c8e6c9" if current else "#bdbdbd")
        bar.append("│", style="#616161")
    left = model.time_left(now)
    left_text = f"{fmt_clock(left)} left" if left >= 0 else f"{fmt_clock(-left)} over"
    clocks = (
        f"\nphase {fmt_clock(model.time_in_phase(now))} · session "
        f"{fmt_clock(model.elapsed(now))} · {left_text} of {model.planned_min} min · "
        f"client {model.client_code}"
    )
    if model.target_label:
        clocks += f" · target: {safe_inline(model.target_label)}"
    bar.append(clocks, style="#e0e0e0")
    if extra:  # the medicine clock keeps its own line (safety text is never pushed off)
        bar.append(f"\n{extra}", style="bold #ffe082")
        return bar
    suggestion = model.suggested_preset
    hint = f"  (suggested preset: {suggestion})" if suggestion else "  (no BLS in this phase)"
    bar.append(f"\n{model.phase.name}: {model.phase.purpose}{hint}", style="italic #bdbdbd")
    return bar


class PhaseBar(SteadyLines, Static):
    """Shows :func:`phase_bar_text`; repainted about once a second."""

    def show(self, text: Text) -> None:
        """Update if changed."""
        plain = text.plain
        if plain != getattr(self, "_last_plain", None):
            self._last_plain = plain
            self.update(text)
