"""Choose the progress-note template for an export: SOAP, DAP, BIRP, the clinician's own."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bls_tui.records.notes import available
from bls_tui.safety.text import safe_inline
from bls_tui.ui.screens.closing import close_once

NOTE_WORDS = {"soap": "SOAP", "dap": "DAP", "birp": "BIRP"}


class NotePick(ModalScreen[str | None]):
    """A list of note templates (and the Markdown draft); enter exports, esc goes back."""

    BINDINGS = [Binding("escape,q", "back", "Back", id="pick_back")]

    def __init__(self) -> None:
        super().__init__(id="note-pick")
        templates, self.problems = available()
        self.choices = [("md", "Draft (Markdown, every detail)")] + [
            (t.name, f"{NOTE_WORDS.get(t.name, safe_inline(t.name))} · {t.origin}")
            for t in templates
        ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static("[b]Export a note[/b] to the exports folder · enter takes it, esc back")
            yield OptionList(
                *[Option(label, id=name) for name, label in self.choices], id="note-list"
            )
            for problem in self.problems[:2]:
                yield Static(f"not offered: {safe_inline(problem)}", classes="form-error")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        close_once(self, self.choices[event.option_index][0])

    def action_back(self) -> None:
        """Close without exporting."""
        close_once(self, None)
