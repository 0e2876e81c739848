"""What the session screen's helpers (closure flow, ketamine panel, extras, keys) may use of it.

The helpers type against this protocol instead of importing :class:`SessionScreen`, so the
screen imports its helpers and no helper imports the screen back (no import circle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App

    from bls_tui.services.runtime import Runtime
    from bls_tui.services.session import SessionController
    from bls_tui.ui.screens.form import FormResult


class SessionHost(Protocol):
    """The session screen as its helpers see it."""

    controller: SessionController
    runtime: Runtime
    client_view: bool
    """True while only the dot is shown (nothing clinical may open then)."""

    @property
    def app(self) -> App[Any]:
        """The running app (its config, and push_screen for forms)."""
        ...

    def say(self, text: str) -> None:
        """Show ``text`` on the message line."""

    def notice(self, text: str) -> None:
        """Show a reminder line (never over a running set)."""

    def screen_maybe_next(self, result: FormResult | None) -> None:
        """After a between-sets form: start the next set if it asked to."""

    def end_checked(self) -> None:
        """End the session once closure is settled."""

    def clock_tick(self) -> None:
        """Redraw the clocks now."""

    def refresh_status(self, footers: bool = True) -> None:
        """Redraw the status line (and the footer)."""

    def phase_clock(self) -> str:
        """The phase clock as shown, e.g. ``3:05``."""
        ...

    def go_to_phase(self, phase_id: str) -> None:
        """Move to the phase with this id."""
