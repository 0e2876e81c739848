"""Choose the instrument for a measure: the built-in ones and the clinician's own files."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bls_tui.measures.builtin import BUILTINS
from bls_tui.measures.custom import load_all
from bls_tui.measures.model import SCREENING_NOTE, Instrument
from bls_tui.safety.text import safe_inline
from bls_tui.ui.screens.closing import close_once


class MeasurePick(ModalScreen[Instrument | None]):
    """A list of instruments; enter takes the highlighted one, esc goes back."""

    BINDINGS = [Binding("escape,q", "back", "Back", id="pick_back")]

    def __init__(self) -> None:
        super().__init__(id="measure-pick")
        custom, self.problems = load_all()
        self.choices: list[Instrument] = [*BUILTINS.values(), *custom]

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(f"[b]Outcome measure[/b] ({SCREENING_NOTE}) · enter takes it, esc back")
            yield OptionList(
                *[
                    Option(f"{safe_inline(i.name)} · {safe_inline(i.timeframe)}", id=i.id)
                    for i in self.choices
                ],
                id="pick-list",
            )
            for problem in self.problems[:3]:
                yield Static(f"not offered: {safe_inline(problem)}", classes="form-error")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        close_once(self, self.choices[event.option_index])

    def action_back(self) -> None:
        """Close without choosing."""
        close_once(self, None)
