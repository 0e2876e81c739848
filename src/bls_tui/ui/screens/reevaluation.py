"""Phase 8: the client's target plan, to reevaluate each target worked before.

The plan (prong, status, latest SUD/VOC/body scan) comes from the records; `r` records a
target's new status with its reason (completed asks why when SUD 0 / VOC 7 / a clear body
scan are not there).  Ratings taken now go in with `r` on the session screen, as before.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from bls_tui.protocol.model import iso_utc
from bls_tui.records.base import StoreError
from bls_tui.safety.text import safe_inline
from bls_tui.services.session import SessionController
from bls_tui.ui.screens.case_targets import ask_status
from bls_tui.ui.screens.closing import close_once
from bls_tui.ui.widgets.target_table import TargetTable


class ReevaluationScreen(ModalScreen[None]):
    """The target plan to recheck (phase 8)."""

    BINDINGS = [
        Binding("escape,e,q", "close", "Close", id="reeval_close"),
        Binding("r", "status", "Reevaluate target", id="reeval_status"),
    ]

    def __init__(self, controller: SessionController) -> None:
        super().__init__(id="reevaluation")
        self.controller = controller

    def compose(self) -> ComposeResult:
        code = safe_inline(self.controller.model.client_code)
        with Vertical(id="help-box"):
            yield Static(f"[b]Reevaluation: the target plan of {code}[/b]   (esc closes)")
            yield Static(
                "Bring up each target worked before: SUD (and VOC if installed) with r on the "
                "session screen; here, ↑↓ chooses a target and r records its status and why.",
                id="reeval-lines",
            )
            yield Static("", id="history")
            yield TargetTable(id="reeval-plan")

    def on_mount(self) -> None:
        self.call_after_refresh(self.reload)

    def reload(self) -> None:
        """Read the plan again."""
        c = self.controller
        try:
            plan = c.store.targets(c.model.client_code)
        except StoreError as exc:
            self.query_one("#history", Static).update(f"cannot read the plan: {exc}")
            return
        if not plan:
            self.query_one("#history", Static).update(
                f"No targets in the plan for client {safe_inline(c.model.client_code)} yet "
                "(`bls client CODE` adds them; a session's target label adds one)."
            )
        self.query_one(TargetTable).show(plan)
        self.query_one(TargetTable).focus()

    def action_status(self) -> None:
        """The chosen target's new status, with the reason (kept with this session)."""
        target = self.query_one(TargetTable).chosen
        if target is None:
            return
        c = self.controller
        ask_status(
            self,
            c.store,
            target,
            now=lambda: iso_utc(c.wall()),
            then=self.reload,
            session_id=c.session_id,
        )

    def action_close(self) -> None:
        """Close."""
        close_once(self, None)
