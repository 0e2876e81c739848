"""Phase 8: the client's earlier targets with their last SUD/VOC and date."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from bls_tui.safety.text import safe_inline
from bls_tui.services.session import SessionController
from bls_tui.ui.screens.closing import close_once


def history_table(controller: SessionController) -> Table | str:
    """Earlier targets of this client, or a line saying there are none."""
    history = controller.store.client_history(
        controller.model.client_code, exclude_session=controller.session_id
    )
    if not history:
        return f"No earlier sessions for client {controller.model.client_code}."
    table = Table(expand=True, box=None, header_style="bold")
    for column in ("Target", "Sessions", "Last date", "Baseline SUD", "Last SUD", "Last VOC"):
        table.add_column(column)
    for item in history:
        table.add_row(
            safe_inline(item.target_label) or "(no label)",
            str(item.sessions),
            item.last_date[:10],
            "-" if item.baseline_sud is None else str(item.baseline_sud),
            "-" if item.last_sud is None else str(item.last_sud),
            "-" if item.last_voc is None else str(item.last_voc),
        )
    return table


class ReevaluationScreen(ModalScreen[None]):
    """Earlier targets to recheck (phase 8)."""

    BINDINGS = [Binding("escape,e,q", "close", "Close", id="reeval_close")]

    def __init__(self, controller: SessionController) -> None:
        super().__init__(id="reevaluation")
        self.controller = controller

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("[b]Reevaluation: earlier targets[/b]   (esc closes)")
            yield Static(
                "Recheck each earlier target: bring it up, take a SUD (and VOC if installed); "
                "add them as notes or ratings with ; and r."
            )
            yield Static(history_table(self.controller), id="history")

    def action_close(self) -> None:
        """Close."""
        close_once(self, None)
