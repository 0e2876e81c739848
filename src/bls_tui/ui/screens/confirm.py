"""A yes/no question as a modal screen returning its answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from bls_tui.ui.screens.closing import close_once


class ConfirmScreen(ModalScreen[bool]):
    """Ask ``question``; `y` answers yes, `n` / `escape` no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(id="confirm")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(self.question, id="confirm-question")
            yield Label("y = yes   n / esc = no", id="confirm-keys")

    def action_answer(self, value: bool) -> None:
        """Close with ``value``."""
        close_once(self, value)
