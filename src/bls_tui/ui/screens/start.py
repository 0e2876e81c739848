"""The start screen (`bls` alone) and the new-session form."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from bls_tui.core.protocol import (
    MAX_PLANNED_MIN,
    validate_client_code,
    validate_target_label,
)
from bls_tui.ui.screens.form import Field, FormResult, FormScreen


def parse_planned(text: str) -> int:
    """Planned length: 60, 90 or any whole number of minutes."""
    text = text.strip().lower().removesuffix("min").strip() or "60"
    if not text.isdigit() or not 1 <= int(text) <= MAX_PLANNED_MIN:
        raise ValueError(f"planned length must be whole minutes, 1 to {MAX_PLANNED_MIN}")
    return int(text)


def parse_code(text: str) -> str:
    """A pseudonym client code."""
    return validate_client_code(text.strip())


def new_session_form(client: str = "") -> FormScreen:
    """Client pseudonym, kind, planned length, optional target label."""
    return FormScreen(
        "New session",
        [
            "Client: a pseudonym code only (e.g. C-017), never a real name.",
            "Records stay on this computer, readable only by you.",
        ],
        [
            Field("client", "Client code (pseudonym)", parse_code, default=client),
            Field(
                "kind",
                "Session kind",
                choices=[("standard", "Standard EMDR"), ("ketamine", "Ketamine-assisted EMDR")],
                default="standard",
            ),
            Field(
                "planned",
                "Planned length in minutes (60, 90 or custom)",
                parse_planned,
                default="60",
            ),
            Field(
                "target",
                "Target label (optional, short; no identifying details)",
                validate_target_label,
            ),
        ],
        form_id="new-session",
        skip_label="back",
    )


class StartScreen(Screen[None]):
    """Quick BLS run, a new session, or continuing an interrupted one."""

    BINDINGS = [
        Binding("r", "quick_run", "Quick BLS run", id="start_run"),
        Binding("n", "new_session", "New session", id="start_new"),
        Binding("c", "resume", "Continue interrupted", id="start_resume"),
        Binding("q,escape", "app.quit", "Quit", id="start_quit"),
    ]

    def __init__(self, interrupted: list[str]) -> None:
        super().__init__(id="start")
        self.interrupted = interrupted

    def compose(self) -> ComposeResult:
        with Vertical(id="start-box"):
            yield Static("[b]bls-tui[/b]: bilateral stimulation and EMDR session timer")
            yield Static("")
            yield Static("  r   quick BLS run (the same as `bls run`)")
            yield Static("  n   new recorded session (phases, SUD/VOC prompts, summary)")
            if self.interrupted:
                yield Static("  c   continue an interrupted session:")
                for line in self.interrupted[:5]:
                    yield Static(f"        {line}")
            yield Static("  q   quit")
            yield Static("")
            yield Static(
                "s / esc is the client's stop signal on every stimulation screen.", id="start-hint"
            )
        yield Footer()

    def action_quick_run(self) -> None:
        """Open the stimulation screen."""
        self.app.open_quick_run()  # type: ignore[attr-defined]

    def action_new_session(self) -> None:
        """Ask for the session details."""

        def done(result: FormResult | None) -> None:
            if result is not None:
                self.app.open_new_session(result)  # type: ignore[attr-defined]

        self.app.push_screen(new_session_form(), done)

    def action_resume(self) -> None:
        """Continue the latest interrupted session."""
        if self.interrupted:
            self.app.open_resume(None)  # type: ignore[attr-defined]
