"""The help screen, generated from the key tables."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from bls_tui.ui.keys import KeySpec
from bls_tui.ui.screens.closing import close_once

UNITS = (
    "Units: speed in Hz = full cycles per second (left → right → left). "
    "A sweep is one traverse; one cycle = two sweeps. 1.0 Hz = 120 sweeps/min."
)


def key_table(specs: tuple[KeySpec, ...]) -> Table:
    """A table of keys, grouped as in the spec."""
    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column("Key", style="bold", no_wrap=True)
    table.add_column("Action")
    table.add_column("Group", style="dim")
    for spec in specs:
        table.add_row(spec.display_keys, spec.description, spec.group)
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, from the same data the bindings are built from."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help_close")]

    def __init__(self, specs: tuple[KeySpec, ...]) -> None:
        super().__init__(id="help")
        self.specs = specs

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("[b]bls-tui keys[/b]   (esc or ? closes)", id="help-title")
            yield Static(key_table(self.specs), id="help-table")
            yield Static(UNITS, id="help-units")

    def action_close(self) -> None:
        """Close the help."""
        close_once(self, None)
