"""The start screen (`bls` alone) and the new-session form.

For returning to work: a quick run, a new session, and the recent sessions (newest first) to
continue (interrupted ones), open, export, or discard (interrupted ones with no set).
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bls_tui.protocol.model import (
    MAX_PLANNED_MIN,
    validate_client_code,
    validate_target_label,
)
from bls_tui.records.types import SessionSummary
from bls_tui.records.words import date_in_words
from bls_tui.safety.text import safe_inline
from bls_tui.ui.keys import KeySpec
from bls_tui.ui.keys_screens import START_KEYS
from bls_tui.ui.screens.form import Field, FormResult, FormScreen
from bls_tui.ui.widgets.keyfooter import KeyFooter

RECENT = 8
"""Sessions listed on the start screen."""


def parse_planned(text: str) -> int:
    """Planned length: 60, 90 or any whole number of minutes."""
    text = text.strip().lower().removesuffix("min").strip() or "60"
    if not text.isdigit() or not 1 <= int(text) <= MAX_PLANNED_MIN:
        raise ValueError(f"planned length must be whole minutes, 1 to {MAX_PLANNED_MIN}")
    return int(text)


def parse_code(text: str) -> str:
    """A pseudonym client code."""
    return validate_client_code(text.strip())


def parse_dose_link(text: str) -> int | None:
    """An earlier medicine session's ID (``#12`` or ``12``), or empty."""
    text = text.strip().lstrip("#")
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 2**31:
        raise ValueError("the medicine session's ID (a whole number), or empty")
    return int(text)


def new_session_form(
    client: str = "", *, target: str = "", kind: str = "standard", after_dose: int | None = None
) -> FormScreen:
    """Client pseudonym, kind, planned length, target label, and the dose it follows."""
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
                "Session kind (integration: the sessions in the days after a dose)",
                choices=[
                    ("standard", "Standard EMDR"),
                    ("ketamine", "Ketamine-assisted"),
                    ("integration", "Integration"),
                ],
                default=kind,
                inline=True,
            ),
            Field(
                "planned",
                "Planned length in minutes (60, 90 or custom)",
                parse_planned,
                default="60",
                restrict=r"[0-9]{0,3}",
            ),
            Field(
                "target",
                "Target label (optional, short; no identifying details)",
                validate_target_label,
                default=target,
            ),
            Field(
                "after_dose",
                "After the dose of medicine session # (integration needs it)",
                parse_dose_link,
                default="" if after_dose is None else str(after_dose),
                restrict=r"#?[0-9]{0,9}",
            ),
        ],
        form_id="new-session",
        skip_label="back",
    )


def session_line(s: SessionSummary, now: datetime | None = None) -> str:
    """``#12  C-017  Tue 2 Dec, 09:54  interrupted, 3 sets  target``."""
    sets = f"{s.set_count} set" + ("" if s.set_count == 1 else "s")
    target = f"  {safe_inline(s.target_label)}" if s.target_label else ""  # no controls
    kind = f" ({s.kind})" if s.kind != "standard" else ""
    when = date_in_words(s.started_at, now=now)
    return f"#{s.id}  {s.client_code}{kind}  {when}  {s.status}, {sets}{target}"


class StartScreen(Screen[None]):
    """Quick BLS run, a new session, or one of the recent sessions."""

    BINDINGS = [
        Binding("r", "quick_run", "Quick BLS run", id="start_run"),
        Binding("n", "new_session", "New session", id="start_new"),
        Binding("c", "resume", "Continue", id="start_resume"),
        Binding("o", "open_session", "Open", id="start_open"),
        Binding("x", "export_session", "Export", id="start_export"),
        Binding("v", "open_case", "Client case", id="start_case"),
        Binding("delete", "discard", "Discard empty", id="start_discard"),
        Binding("question_mark", "help", "Help", id="start_help"),
        Binding("q,escape", "app.quit", "Quit", id="start_quit"),
    ]

    def __init__(self, sessions: list[SessionSummary], *, settings: str = "") -> None:
        super().__init__(id="start")
        self.sessions = sessions
        self.settings = settings
        """Where the quick run's settings come from (said next to `r`)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="start-box"):
            yield Static("[b]bls-tui[/b]: bilateral stimulation and EMDR session timer")
            run = "quick BLS run (the same as `bls run`)"
            if self.settings:
                run += f", {self.settings}"
            yield Static(f"[b]r[/b]  {run}", classes="start-line")
            yield Static(
                "[b]n[/b]  new recorded session (phases, SUD/VOC prompts, summary)",
                classes="start-line",
            )
            yield Static(
                "[b]v[/b]  a client's case: target plan, sessions, measures, doses",
                classes="start-line",
            )
            if self.sessions:
                yield Static(
                    "Recent sessions (↑↓ chooses): c continues an interrupted one, "
                    "o opens, x exports, del discards an empty one",
                    id="start-recent-title",
                )
                yield OptionList(
                    *[Option(session_line(s), id=str(s.id)) for s in self.sessions[:RECENT]],
                    id="start-sessions",
                )
            else:
                yield Static("No recorded sessions yet.", id="start-recent-title")
            yield Static(
                "s / esc is the client's stop signal on every stimulation screen.", id="start-hint"
            )
        yield KeyFooter(START_KEYS, available=self.key_available, id="start-footer")

    def help_keys(self) -> tuple[KeySpec, ...]:
        """The start screen's keys."""
        return START_KEYS

    @property
    def chosen(self) -> SessionSummary | None:
        """The highlighted session (None without any)."""
        lists = self.query("#start-sessions").results(OptionList)
        for option_list in lists:
            index = option_list.highlighted
            if index is not None and index < len(self.sessions):
                return self.sessions[index]
        return None

    def key_available(self, spec: KeySpec) -> bool:
        """Keys shown only when they do something for the chosen session."""
        chosen = self.chosen
        if spec.id in ("start_open", "start_export"):
            return chosen is not None
        if spec.id == "start_resume":
            return chosen is not None and chosen.status == "interrupted"
        if spec.id == "start_discard":
            return chosen is not None and chosen.status == "interrupted" and not chosen.set_count
        return True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(KeyFooter).refresh_keys()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a session: continue it if interrupted, else open it."""
        chosen = self.chosen
        if chosen is not None and chosen.status == "interrupted":
            self.action_resume()
        else:
            self.action_open_session()

    def action_help(self) -> None:
        """The start screen's keys."""
        from bls_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(START_KEYS))

    def action_quick_run(self) -> None:
        """Open the stimulation screen."""
        self.app.open_quick_run()  # type: ignore[attr-defined]

    def action_new_session(self) -> None:
        """Ask for the session details."""

        def done(result: FormResult | None) -> None:
            if result is not None:
                self.app.open_new_session(result)  # type: ignore[attr-defined]

        self.app.push_screen(new_session_form(), done)

    def action_open_case(self) -> None:
        """Ask for a client code (the chosen session's, prefilled), then open the case."""
        chosen = self.chosen
        form = FormScreen(
            "Client case",
            ["Sessions, target plan, outcome measures and doses of one client."],
            [
                Field(
                    "client",
                    "Client code (pseudonym)",
                    parse_code,
                    default=chosen.client_code if chosen else "",
                )
            ],
            form_id="case-client",
            skip_label="back",
        )

        def done(result: FormResult | None) -> None:
            if result is not None:
                self.app.open_case(result["client"])  # type: ignore[attr-defined]

        self.app.push_screen(form, done)

    def action_resume(self) -> None:
        """Continue the chosen interrupted session."""
        chosen = self.chosen
        if chosen is None or chosen.status != "interrupted":
            self.notify("choose an interrupted session in the list (↑↓), then c", timeout=6)
            return
        self.app.open_resume(chosen.id)  # type: ignore[attr-defined]

    def action_open_session(self) -> None:
        """The chosen session's summary."""
        chosen = self.chosen
        if chosen is not None:
            self.app.open_summary(chosen.id)  # type: ignore[attr-defined]

    def action_export_session(self) -> None:
        """Export the chosen session as Markdown; say where it went."""
        chosen = self.chosen
        if chosen is not None:
            self.app.export_session(chosen.id)  # type: ignore[attr-defined]

    def action_discard(self) -> None:
        """Discard the chosen interrupted session if it has no set (asks first)."""
        chosen = self.chosen
        if chosen is None or chosen.status != "interrupted" or chosen.set_count:
            self.notify("only an interrupted session with no sets can be discarded", timeout=6)
            return
        from bls_tui.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.app.discard_session(chosen.id):  # type: ignore[attr-defined]
                self.sessions = [s for s in self.sessions if s.id != chosen.id]
                self.refresh(recompose=True)

        self.app.push_screen(
            ConfirmScreen(
                f"Discard session #{chosen.id} ({chosen.client_code}, "
                f"{date_in_words(chosen.started_at)})? It has no sets; this cannot be undone."
            ),
            answered,
        )
