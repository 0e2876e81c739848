"""The Textual application and its factory (used by the CLI and by the tests)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.binding import Binding

from bls_tui.config.appconfig import AppConfig
from bls_tui.display.server import DisplayServer
from bls_tui.protocol.model import utc_now
from bls_tui.services.runtime import OpenedSound, RunOptions, Runtime
from bls_tui.stimulus.clock import Clock
from bls_tui.ui.case_actions import CaseActions
from bls_tui.ui.measure_mode import MeasureMode, MeasureStart
from bls_tui.ui.overlay_guard import OverlayGuard
from bls_tui.ui.paste_guard import PasteGuard
from bls_tui.ui.screens.stim import StimScreen
from bls_tui.ui.widgets.display_indicator import start_display_link

if TYPE_CHECKING:  # sessions and their records load when a session opens, not for `bls run`
    from bls_tui.records.store import Store
    from bls_tui.records.types import SessionSummary
    from bls_tui.services.session import SessionController, SessionStart

Mode = Literal["run", "start", "new-session", "session", "case", "measure"]
RECENT_SESSIONS = 8
"""Sessions listed on the start screen."""
NARROW_BELOW = 100
"""Terminal width (columns) below which screens use the narrow layout."""


class BlsApp(CaseActions, MeasureMode, OverlayGuard, PasteGuard):
    """bls-tui.  The first screen depends on ``mode``: run, start, session, case or measure."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "bls-tui"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "narrow"), (NARROW_BELOW, "wide")]
    """Screens get the CSS class ``narrow`` below 100 columns (the layout is in app.tcss)."""
    BINDINGS = [Binding("question_mark,f1", "help", "Help", show=False, id="app_help")]

    def __init__(
        self,
        runtime: Runtime,
        *,
        mode: Mode = "run",
        session: SessionStart | None = None,
        store_opener: Callable[[], Store] | None = None,
        wall: Callable[[], datetime] = utc_now,
        config: AppConfig | None = None,
        measure: MeasureStart | None = None,
    ) -> None:
        super().__init__()
        self.config = config or AppConfig()
        self.measure = measure
        self.runtime = runtime
        self.mode = mode
        self.session_start = session
        self.store_opener = store_opener or open_store
        self.wall = wall
        self.store: Store | None = None
        self.controller: SessionController | None = None
        self.quick_run_used = False
        """True once the start screen opened a quick BLS run (its settings are remembered)."""
        self.exit_signal: str | None = None
        """Name of the signal that closed the app (SIGTERM, SIGHUP...), if any."""
        self.display_link: DisplayServer | None = None
        """The client-display link (`bls display` windows attach to it)."""
        self.exit_note: str | None = None
        """Said after the app has left the screen: records that are only in the emergency copy."""
        self.crash_message: str | None = None
        """The one line to print after an unexpected error (the details are in a 0600 log)."""

    def on_mount(self) -> None:
        if self.mode == "measure":  # no sound, no client-display link: only the form
            self.open_measure_form()
            return
        self.display_link = start_display_link(self.runtime)
        if self.mode == "run":
            self.push_screen(StimScreen(self.runtime, client_view=self.runtime.options.client_view))
        elif self.mode in ("start", "new-session"):
            from bls_tui.ui.screens.start import StartScreen

            start = StartScreen(self.recent_sessions(), settings=self.runtime.options.settings_note)
            self.push_screen(start)
            if self.mode == "new-session":
                self.call_later(start.action_new_session)
        elif self.mode == "case" and self.session_start is not None:
            self.open_case(self.session_start.client_code)
        elif self.session_start is not None:
            self.open_session(self.session_start)

    def open_sound(self) -> None:
        """Open the audio device on a thread (once; the stimulation screen asks after its first
        paint, so numpy and the backend load beside the dot, not before it)."""
        if not self.runtime.sound.claim_open():
            return
        import threading

        threading.Thread(target=self._open_sound, name="bls-open-sound", daemon=True).start()

    def _open_sound(self) -> None:
        opened = self.runtime.open_sound()
        try:
            self.call_from_thread(self._sound_opened, opened)
        except Exception:  # the app ended meanwhile (not running, or its loop
            # cancelled the hand-over on a signal): nothing will use the device, and nothing
            # may print a traceback on the terminal after the app has left it
            with contextlib.suppress(Exception):
                self.runtime.attach_sound(opened)  # closes it (the runtime is closed)

    def _sound_opened(self, opened: OpenedSound) -> None:
        self.runtime.attach_sound(opened)
        if opened.warning:
            self.notify(opened.warning, severity="warning", timeout=10)
        refresh = getattr(self.screen, "refresh_status", None)
        if callable(refresh):
            refresh()

    async def wait_for_sound(self, timeout: float = 10.0) -> bool:
        """Wait until the sound device has been opened (or found missing); True if it was."""
        import asyncio

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.runtime.sound.opening and loop.time() < deadline:
            await asyncio.sleep(0.005)
        return not self.runtime.sound.opening

    def action_help(self) -> None:
        """`?` (or F1) on any screen: the keys of that screen (its own help if it has one)."""
        from bls_tui.ui.screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        own = getattr(screen, "action_help", None)
        if callable(own):
            own()
            return
        keys = getattr(screen, "help_keys", None)
        self.push_screen(HelpScreen(keys() if callable(keys) else ()))

    def bell(self) -> None:
        """No bell, ever: a visual or audible bell is a startle in a session."""

    def on_unmount(self) -> None:
        self.runtime.close()
        if self.display_link is not None:
            self.display_link.publish()  # the displays see the set end before the link closes
            self.display_link.close()
        self.keep_records(self.exit_signal or "app closed")
        if self.controller is not None:
            # waits (bounded) for the last records; the dot is gone
            if not self.controller.close():
                where = self.controller.emergency_file
                problem = self.controller.save_problem or (
                    f"emergency copy in {where}" if where else "no emergency copy could be made"
                )
                self.exit_note = (
                    f"not every record reached the session database: {problem}; "
                    "`bls sessions recover` writes it back"
                )
        if self.store is not None:
            self.store.close()

    def keep_records(self, reason: str) -> None:
        """Keep a half-typed note and mark the session interrupted (idempotent)."""
        controller = self.controller
        if controller is None:
            return
        draft, controller.draft_note = controller.draft_note.strip(), ""
        if draft:
            controller.keep_unsaved(draft, reason)
        if not controller.finished and not controller.interrupted:
            controller.interrupt(reason)

    def _handle_exception(self, error: Exception) -> None:
        """The one crash handler: log privately, keep the records, one line, exit status 1.

        Textual's own handler paints a traceback with local variables (which may hold notes)
        on the screen; this one never shows more than the error's type.
        """
        from bls_tui.services.crash import crash_line, write_crash_log

        log = write_crash_log(error)
        kept = "nothing was being recorded"
        try:
            if self.controller is not None:
                if self.runtime.engine.in_set:
                    self.runtime.engine.stop_signal(reason="crash")
                self.keep_records("crash")
                kept = "the session is kept as interrupted (resume with `bls session --resume`)"
        except Exception:  # the handler itself must never crash
            kept = "records so far are saved or in the emergency copy"
        self.crash_message = crash_line(error, log, kept)
        self._return_code = 1
        if self._exception is None:  # Pilot re-raises it for the tests
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    # ------------------------------------------------------------------ sessions
    def get_store(self) -> Store:
        """The record store, opened on first use."""
        if self.store is None:
            self.store = self.store_opener()
        return self.store

    def recent_sessions(self) -> list[SessionSummary]:
        """Recent sessions for the start screen, newest first (empty if the store cannot open)."""
        try:
            return self.get_store().list_sessions()[:RECENT_SESSIONS]
        except Exception:  # the start screen must open whatever the store says
            return []

    def open_summary(self, session_id: int) -> None:
        """A recorded session's summary (from the start screen; esc returns)."""
        from bls_tui.ui.screens.summary import SummaryScreen

        self.push_screen(SummaryScreen(self.get_store(), session_id, back_to_start=True))

    def export_session(self, session_id: int, fmt: str = "md") -> Path | None:
        """Export a session into the exports folder (``md`` or a note template's name, e.g.
        ``soap``); says where (or why not)."""
        from bls_tui.protocol.model import parse_iso
        from bls_tui.records.base import StoreError
        from bls_tui.records.export import ExportError, write_export
        from bls_tui.records.notes import NoteTemplateError, export_text
        from bls_tui.safety.paths import data_dir, ensure_private_dir

        try:
            store = self.get_store()
            started = store.load_session(session_id).session.started_at
            zone = parse_iso(started).astimezone().tzinfo or parse_iso(started).tzinfo
            text, name = export_text(store, session_id, fmt, zone)  # type: ignore[arg-type]
            path = write_export(text, ensure_private_dir(data_dir() / "exports") / name)
        except (StoreError, ExportError, NoteTemplateError, OSError) as exc:
            self.notify(f"session {session_id} not exported: {exc}", severity="error", timeout=10)
            return None
        what = "Markdown" if fmt == "md" else f"{fmt} note"
        self.notify(f"session {session_id} exported ({what}) to {path}", timeout=12)
        return path

    def discard_session(self, session_id: int) -> bool:
        """Delete an interrupted session that has no sets (refused otherwise)."""
        from bls_tui.records.base import StoreError

        try:
            store = self.get_store()
            data = store.load_session(session_id)
            if data.session.status != "interrupted" or data.sets:
                self.notify("only an interrupted session with no sets can be discarded")
                return False
            store.delete_session(session_id)
        except (StoreError, OSError) as exc:
            self.notify(f"session {session_id} not discarded: {exc}", severity="error")
            return False
        self.notify(f"session {session_id} discarded (it had no sets)", timeout=8)
        return True

    def open_quick_run(self) -> None:
        """From the start screen: the plain stimulation screen."""
        self.quick_run_used = True
        self.switch_screen(StimScreen(self.runtime))

    def open_resume(self, session_id: int | None) -> None:
        """Continue an interrupted session (the latest if ``session_id`` is None)."""
        from bls_tui.services.session import SessionStart

        self.open_session(SessionStart(client_code="", resume_id=session_id or 0))

    def open_session(self, start: SessionStart) -> None:
        """Create (or resume) the session record and show the session screen."""
        from bls_tui.records.base import StoreError

        try:
            self._open_session(start)
        except (StoreError, OSError, ValueError) as exc:
            self.notify(f"cannot start the session: {exc}", severity="error", timeout=15)
            if len(self.screen_stack) <= 1:  # nothing to return to: offer the start screen
                from bls_tui.ui.screens.start import StartScreen

                self.push_screen(StartScreen(self.recent_sessions()))

    def _open_session(self, start: SessionStart) -> None:
        from bls_tui.protocol.model import SessionModel
        from bls_tui.services.session import SessionController, apply_preset, settings_of_last_set
        from bls_tui.ui.screens.session import SessionScreen

        store = self.get_store()
        now = self.runtime.clock.now()
        restored = None
        last_ratings: dict[str, int] = {}
        if start.preset is None:
            # a session starts from the presets, never from `bls run`'s remembered settings
            from bls_tui.config.presets import resolve
            from bls_tui.safety.paths import presets_dir

            apply_preset(self.runtime, resolve("standard", presets_dir()))
        if start.resume_id is not None:
            session_id = start.resume_id or latest_interrupted(store)
            data = store.resume_session(session_id)
            model = SessionModel.resume(data.resume_point(), now, wall=self.wall)
            if start.preset is None:  # the session's own settings, not today's defaults
                restored = settings_of_last_set(self.runtime.preset, data)
                if restored is not None:
                    apply_preset(self.runtime, restored)
            for kind in ("sud", "voc"):
                value = data.last_rating(kind)
                if value is not None:
                    last_ratings[kind] = value
        else:
            label = start.target_label
            if start.target_id is not None:
                label = store.target(start.target_id).label
            model = SessionModel(
                start.client_code,
                start.kind,  # type: ignore[arg-type]
                start.planned_min,
                now,
                target_label=label,
                phase="reevaluation" if store.client_history(start.client_code) else "history",
                wall=self.wall,
            )
            session_id = store.create_session(
                model.client_code,
                model.kind,
                model.planned_min,
                target_label=model.target_label,
                started_at=model.started_wall,
                target_id=start.target_id,
                linked_dose_session_id=start.linked_dose_session_id,
            )
        store.record_phase(session_id, model.current_visit())
        self.runtime.engine.set_number = model.last_set_number  # a resumed session counts on
        self.controller = SessionController(
            store,
            session_id,
            model,
            self.runtime,
            fixed_preset=start.preset is not None,
            wall=self.wall,
        )
        self.controller.keep_settings_once = restored is not None
        self.controller.last_ratings.update(last_ratings)
        screen = SessionScreen(
            self.controller, closure_margin_s=self.config.closure_margin_min * 60.0
        )
        if len(self.screen_stack) > 1 and self.screen.id != "case":
            self.switch_screen(screen)
        else:  # over the case view, which comes back (read again) after the summary
            self.push_screen(screen)


def open_store() -> Store:
    """The record store at its usual place (imported on first use: `bls run` needs none)."""
    from bls_tui.records.store import Store

    return Store.open()


def latest_interrupted(store: Store) -> int:
    """ID of the most recent interrupted session."""
    sessions = store.interrupted_sessions()
    if not sessions:
        from bls_tui.records.base import SessionStateError

        raise SessionStateError("there is no interrupted session to resume")
    return max(sessions, key=lambda s: s.started_at).id


def make_app(
    options: RunOptions,
    clock: Clock | None = None,
    *,
    mode: Mode = "run",
    session: SessionStart | None = None,
    store_opener: Callable[[], Store] | None = None,
    wall: Callable[[], datetime] = utc_now,
    config: AppConfig | None = None,
    measure: MeasureStart | None = None,
) -> BlsApp:
    """Build the app (the CLI and the tests both call this); ``measure`` for mode="measure"."""
    return BlsApp(
        Runtime(options, clock),
        mode=mode,
        session=session,
        store_opener=store_opener,
        wall=wall,
        config=config,
        measure=measure,
    )
