"""The phase bar: the eight phases, the current one highlighted, and the session clocks."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from bls_tui.core.clock import fmt_clock
from bls_tui.core.protocol import PHASES, SessionModel
from bls_tui.core.textsafe import safe_inline

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


def phase_bar_text(model: SessionModel, now: float, extra: str = "") -> Text:
    """Three lines: the phases, the clocks, and the phase's reminder + suggested preset."""
    bar = Text()
    for phase in PHASES:
        if phase.id == model.phase.id:
            label = f" {phase.number} {phase.name.split(' and ')[0]} "
            bar.append(label, style="bold #1c1c1c on #c8e6c9")
        else:
            bar.append(f" {phase.number} {SHORT_NAMES.get(phase.id, phase.name)} ", style="#bdbdbd")
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
    if extra:
        clocks += f" · {extra}"
    bar.append(clocks, style="#e0e0e0")
    suggestion = model.suggested_preset
    hint = f"  (suggested preset: {suggestion})" if suggestion else "  (no BLS in this phase)"
    bar.append(f"\n{model.phase.name}: {model.phase.purpose}{hint}", style="italic #bdbdbd")
    return bar


class PhaseBar(Static):
    """Shows :func:`phase_bar_text`; repainted about once a second."""

    def show(self, text: Text) -> None:
        """Update if changed."""
        plain = text.plain
        if plain != getattr(self, "_last_plain", None):
            self._last_plain = plain
            self.update(text)
