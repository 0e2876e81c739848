"""The Textual application and its factory (used by the CLI and by the tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from textual.app import App

from bls_tui.core.clock import Clock
from bls_tui.core.config import AppConfig
from bls_tui.core.protocol import SessionModel, utc_now
from bls_tui.core.records import Store
from bls_tui.runtime import OpenedSound, RunOptions, Runtime
from bls_tui.session import SessionController, SessionStart
from bls_tui.ui.screens.form import FormResult
from bls_tui.ui.screens.stim import StimScreen

Mode = Literal["run", "start", "new-session", "session"]


class BlsApp(App[None]):
    """bls-tui.  The first screen depends on ``mode``: run, start or session."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "bls-tui"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        runtime: Runtime,
        *,
        mode: Mode = "run",
        session: SessionStart | None = None,
        store_opener: Callable[[], Store] = Store.open,
        wall: Callable[[], datetime] = utc_now,
        config: AppConfig | None = None,
    ) -> None:
        super().__init__()
        self.config = config or AppConfig()
        self.runtime = runtime
        self.mode = mode
        self.session_start = session
        self.store_opener = store_opener
        self.wall = wall
        self.store: Store | None = None
        self.controller: SessionController | None = None
        self.exit_signal: str | None = None
        """Name of the signal that closed the app (SIGTERM, SIGHUP...), if any."""

    def on_mount(self) -> None:
        # the sound device opens once the first frame is on screen, off the event loop
        self.call_after_refresh(self.open_sound)
        if self.mode == "run":
            self.push_screen(StimScreen(self.runtime, client_view=self.runtime.options.client_view))
        elif self.mode in ("start", "new-session"):
            from bls_tui.ui.screens.start import StartScreen

            start = StartScreen(self.interrupted_lines())
            self.push_screen(start)
            if self.mode == "new-session":
                self.call_later(start.action_new_session)
        elif self.session_start is not None:
            self.open_session(self.session_start)

    def open_sound(self) -> None:
        """Open the audio device on a thread; the screens pick it up when it is there."""
        if not self.runtime.sound.opening:
            return
        import threading

        threading.Thread(target=self._open_sound, name="bls-open-sound", daemon=True).start()

    def _open_sound(self) -> None:
        opened = self.runtime.open_sound()
        try:
            self.call_from_thread(self._sound_opened, opened)
        except RuntimeError:  # the app has already ended: nothing will use the device
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

    def bell(self) -> None:
        """No bell, ever: a visual or audible bell is a startle in a session."""

    def on_unmount(self) -> None:
        self.runtime.close()
        if self.controller is not None and not self.controller.finished:
            self.controller.interrupt(self.exit_signal or "app closed")
        if self.store is not None:
            self.store.close()

    # ------------------------------------------------------------------ sessions
    def get_store(self) -> Store:
        """The record store, opened on first use."""
        if self.store is None:
            self.store = self.store_opener()
        return self.store

    def interrupted_lines(self) -> list[str]:
        """Interrupted sessions for the start screen (empty if the store cannot open)."""
        try:
            sessions = self.get_store().interrupted_sessions()
        except Exception:  # the start screen must open whatever the store says
            return []
        return [f"#{s.id} {s.client_code} {s.started_at[:16]} {s.target_label}" for s in sessions]

    def open_quick_run(self) -> None:
        """From the start screen: the plain stimulation screen."""
        self.switch_screen(StimScreen(self.runtime))

    def open_new_session(self, result: FormResult) -> None:
        """From the new-session form."""
        self.open_session(
            SessionStart(
                client_code=result["client"],
                kind=result.get("kind") or "standard",
                planned_min=result.get("planned") or 60,
                target_label=result.get("target") or "",
            )
        )

    def open_resume(self, session_id: int | None) -> None:
        """Continue an interrupted session (the latest if ``session_id`` is None)."""
        self.open_session(SessionStart(client_code="", resume_id=session_id or 0))

    def open_session(self, start: SessionStart) -> None:
        """Create (or resume) the session record and show the session screen."""
        from bls_tui.core.records_base import StoreError

        try:
            self._open_session(start)
        except (StoreError, OSError, ValueError) as exc:
            self.notify(f"cannot start the session: {exc}", severity="error", timeout=15)
            if len(self.screen_stack) <= 1:  # nothing to return to: offer the start screen
                from bls_tui.ui.screens.start import StartScreen

                self.push_screen(StartScreen(self.interrupted_lines()))

    def _open_session(self, start: SessionStart) -> None:
        from bls_tui.ui.screens.session import SessionScreen

        store = self.get_store()
        now = self.runtime.clock.now()
        if start.resume_id is not None:
            session_id = start.resume_id or latest_interrupted(store)
            data = store.resume_session(session_id)
            model = SessionModel.resume(data.resume_point(), now, wall=self.wall)
        else:
            model = SessionModel(
                start.client_code,
                start.kind,  # type: ignore[arg-type]
                start.planned_min,
                now,
                target_label=start.target_label,
                phase="reevaluation" if store.client_history(start.client_code) else "history",
                wall=self.wall,
            )
            session_id = store.create_session(
                model.client_code,
                model.kind,
                model.planned_min,
                target_label=model.target_label,
                started_at=model.started_wall,
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
        screen = SessionScreen(
            self.controller, closure_margin_s=self.config.closure_margin_min * 60.0
        )
        if self.screen_stack and len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)


def latest_interrupted(store: Store) -> int:
    """ID of the most recent interrupted session."""
    sessions = store.interrupted_sessions()
    if not sessions:
        from bls_tui.core.records_base import SessionStateError

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
) -> BlsApp:
    """Build the app (the CLI and the tests both call this)."""
    return BlsApp(
        Runtime(options, clock),
        mode=mode,
        session=session,
        store_opener=store_opener or Store.open,
        wall=wall,
        config=config,
    )
