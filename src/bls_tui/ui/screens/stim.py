"""The stimulation screen: the dot, the status line and the keys."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from bls_tui.records.words import delivered_in_words
from bls_tui.safety import limits
from bls_tui.safety.text import counted
from bls_tui.services.runtime import Runtime
from bls_tui.stimulus.clock import fmt_clock
from bls_tui.stimulus.engine import Event, SetState
from bls_tui.stimulus.motion import PATTERN_LABELS, PATTERNS
from bls_tui.ui.keys import STIM_KEYS, KeySpec, bindings
from bls_tui.ui.screens.confirm import ConfirmScreen
from bls_tui.ui.screens.help import HelpScreen
from bls_tui.ui.terminal import real_terminal_size
from bls_tui.ui.textual_caches import release_closed_screen_caches
from bls_tui.ui.widgets.display_indicator import DisplayIndicator, toggle_blank
from bls_tui.ui.widgets.keyfooter import KeyFooter
from bls_tui.ui.widgets.stage import Stage
from bls_tui.ui.widgets.status import StatusLine, status_text
from bls_tui.ui.widgets.steady import SteadyLines, SteadyStatic

FPS = 60
MIN_SIZE = (40, 12)
"""Smallest terminal (columns, rows) the layout is drawn in; below it a message is shown."""
SIZE_CHECK_S = 0.5
"""How often the terminal size is re-read (a lost SIGWINCH heals within this)."""


class StimScreen(SteadyLines, Screen[None]):
    """Runs sets.  Subclasses (the session screen) add phases and prompts."""

    KEYS: tuple[KeySpec, ...] = STIM_KEYS
    BINDINGS = bindings(STIM_KEYS)  # type: ignore[assignment]

    def __init__(self, runtime: Runtime, *, client_view: bool = False) -> None:
        super().__init__(id="stim")
        self.runtime = runtime
        self.client_view = client_view
        """True while only the dot is shown (for sharing a window with a client)."""
        self.pending_pattern: str | None = None
        self.frames = 0
        """Frames drawn while a set was running (tests and benchmarks read it)."""
        self._timer: Timer | None = None
        self._sound_loss_shown = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")
        yield Stage(self.runtime, id="stage")
        yield SteadyStatic("", id="message")
        yield StatusLine("", id="status")
        yield KeyFooter(self.footer_keys(), available=self.key_available, id="footer")

    def footer_keys(self) -> tuple[KeySpec, ...]:
        """The keys the footer may offer, in priority order."""
        return self.help_keys()

    def help_keys(self) -> tuple[KeySpec, ...]:
        """The keys of this screen (the help screen lists exactly these)."""
        return self.KEYS

    def key_available(self, spec: KeySpec) -> bool:
        """True if the key does something now (the footer shows only those)."""
        return True

    def on_mount(self) -> None:
        # Textual calls on_mount of every class in the MRO: subclasses extend setup() instead
        self.setup()

    def setup(self) -> None:
        """Start listening to the engine, create the (paused) frame timer, first paint."""
        self.runtime.listeners.append(self.on_engine_event)
        self._timer = self.set_interval(1 / FPS, self.tick, pause=True)
        if not self.app.is_headless:
            self.set_interval(SIZE_CHECK_S, self.check_terminal_size)
        self.mount(DisplayIndicator(id="display-link"), before="#status")
        self.apply_client_view()
        self.refresh_status()
        # the sound device opens once this screen is painted, off the event loop (opening it
        # from the app's mount put the numpy and backend imports before the first frame)
        open_sound = getattr(self.app, "open_sound", None)
        if callable(open_sound):
            self.call_after_refresh(open_sound)
        preset = self.runtime.preset
        if self.runtime.sound_warning:
            self.app.notify(self.runtime.sound_warning, severity="warning", timeout=10)
        source = self.runtime.options.settings_note or f"preset {preset.name}"
        self.say(
            f"{source}: {preset.length_label()} at {preset.speed_hz:.1f} Hz · "
            "space starts a set · s / esc = stop signal · ? help"
        )

    def on_unmount(self) -> None:
        if self.on_engine_event in self.runtime.listeners:
            self.runtime.listeners.remove(self.on_engine_event)

    @property
    def stage(self) -> Stage:
        """The dot's widget (looked up once: a DOM query every frame costs CPU)."""
        stage = getattr(self, "_stage", None)
        if stage is None or not stage.is_attached:
            stage = self._stage = self.query_one(Stage)
        return stage

    def sound_label(self) -> str:
        """Sound state for the status line."""
        return self.runtime.sound.label()

    def refresh_status(self, footers: bool = True) -> None:
        """Repaint the status line from the engine (and the footer's keys, unless told not to)."""
        now = self.runtime.clock.now()
        status = getattr(self, "_status", None)
        known: list[KeyFooter] = getattr(self, "_footers", [])
        if status is None or not status.is_attached or not all(f.is_attached for f in known):
            status = self._status = self.query_one(StatusLine)
            self._footers = list(self.query(KeyFooter))
        status.show(status_text(self.runtime, now, self.sound_label()))
        if footers:
            for footer in self._footers:
                footer.refresh_keys()

    def say(self, text: str) -> None:
        """Show a calm one-line message above the status line."""
        self.query_one("#message", Static).update(text)

    def apply_client_view(self) -> None:
        """Show or hide everything but the dot."""
        for selector in ("#message", "#status", "#footer", "#display-link"):
            for widget in self.query(selector):
                widget.display = not self.client_view
        self.fit_to_terminal()

    def on_screen_resume(self) -> None:
        """Back on the stage after a form or overlay: let go of what the closed screen held."""
        release_closed_screen_caches()

    def check_terminal_size(self) -> None:
        """Catch a resize whose signal was lost (seen under load: two quick resizes, one
        SIGWINCH handled): compare with the kernel's size and resize the app if they differ."""
        real = real_terminal_size()
        if real is None or not self.is_current:
            return
        size = Size(*real)
        if size != self.app.size:
            self.app.post_message(events.Resize(size, size))
        elif size != self.size:  # the app knows, this screen was not told
            self.post_message(events.Resize(size, size))

    def on_resize(self) -> None:
        """Re-check the layout on every resize (the dot re-fits by itself)."""
        self.fit_to_terminal()

    def fit_to_terminal(self) -> None:
        """Below :data:`MIN_SIZE` show a clear message instead of a broken layout.

        Timing is untouched: a running set keeps its tempo and ends on time.
        """
        width, height = self.app.size
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        notice = self.query_one("#too-small", Static)
        notice.display = small
        if small:
            state = (
                "a set is running; s / esc still stops it"
                if self.runtime.engine.in_set
                else "No set can start until it is larger."
            )
            notice.update(
                f"Terminal too small ({width}x{height}): bls needs at least "
                f"{MIN_SIZE[0]}x{MIN_SIZE[1]}. Enlarge the window. {state}"
            )
        for child in self.children:
            if child is notice:
                continue
            if small:
                child.display = False
            elif child.id == "stage":
                child.display = True
            elif child.id in ("message", "status", "footer", "phasebar", "display-link"):
                child.display = not self.client_view

    # ------------------------------------------------------------------ frames
    def tick(self) -> None:
        """One frame: advance the engine to now and draw the dot there."""
        now = self.runtime.clock.now()
        self.runtime.frame(now)
        self.stage.show_frame(now)
        self.frames += 1
        sound = self.runtime.sound
        if sound.lost_reason is not None and not self._sound_loss_shown:
            self._sound_loss_shown = True
            self.say(f"{sound.label()} · the dot goes on")
        # The status line shows the sweep count and whole seconds: it is rebuilt when those (or
        # the state, or the sound device) change; keys and engine events refresh it themselves.
        # The keys on offer change with the engine's state, not from frame to frame.
        engine = self.runtime.engine
        state = (engine.state, engine.set_number)
        shown = (
            state,
            engine.sweeps_done(now) if engine.set_number else 0,
            int(engine.elapsed(now)),
            sound.lost_reason,
        )
        if shown != getattr(self, "_status_shown", None):
            self._status_shown = shown
            self.refresh_status(footers=state != getattr(self, "_footer_state", None))
            self._footer_state = state
        if not self.runtime.engine.active:
            self._run_timer(False)

    def _run_timer(self, on: bool) -> None:
        if self._timer is None:
            return
        if on:
            self._timer.resume()
        else:
            self._timer.pause()

    def on_engine_event(self, event: Event) -> None:
        """React to the engine: messages, and stopping the frame timer after a set."""
        if event.kind == "set_end":
            self.on_set_end(event)
        elif event.kind == "set_start":
            self.say(f"set {event.data['set']} running")

    def on_set_end(self, event: Event) -> None:
        """A set ended by itself or by the stop signal."""
        summary = self.runtime.engine.last_summary
        if summary is None:
            return
        if summary.stopped_early:
            self.say(
                f"STOP signal at {fmt_clock(summary.active_s)}: set {summary.number} ended after "
                f"{counted(summary.sweeps_delivered, 'sweep')} "
                f"({counted(summary.cycles_delivered, 'cycle')})"
            )
        else:
            fault = delivered_in_words(summary.delivered_hz, summary.end_speed_hz, False)
            self.say(
                f"set {summary.number} done: {counted(summary.sweeps_delivered, 'sweep')} "
                f"({counted(summary.cycles_delivered, 'cycle')}) in {summary.active_s:.1f} s"
                + (f" · {fault}" if fault else "")
                + " · space = next set"
            )
        if self.pending_pattern is not None:
            self.runtime.engine.plan.pattern = self.pending_pattern  # type: ignore[assignment]
            self.pending_pattern = None
        self.refresh_status()

    # ------------------------------------------------------------------ actions
    def action_start_pause(self) -> None:
        """Space: start a set, or pause / resume."""
        engine = self.runtime.engine
        now = self.runtime.clock.now()
        width, height = self.app.size
        if not engine.in_set and (width < MIN_SIZE[0] or height < MIN_SIZE[1]):
            return  # no set starts that no one can see; the too-small notice says so
        engine.toggle(now)
        self._run_timer(engine.active)
        self.stage.show_frame(now)
        if engine.state is SetState.PAUSED:
            self.say("paused · space resumes · s / esc stops the set")
        elif engine.state is SetState.RUNNING:
            self.say(f"set {engine.set_number} running")  # clears "paused"
        self.refresh_status()

    def action_stop_signal(self) -> None:
        """The stop signal: motion stops at once, the set ends and the stop is recorded."""
        now = self.runtime.clock.now()
        self.runtime.engine.stop_signal(now)
        self._run_timer(False)
        self.stage.show_frame(now)
        if self.runtime.engine.set_number == 0:
            self.say("stopped")
        self.refresh_status()

    def action_speed(self, direction: int) -> None:
        """Speed up / down by 0.1 Hz, never above the 2 Hz cap."""
        engine = self.runtime.engine
        old = engine.speed_hz
        new = engine.set_speed(old + direction * limits.SPEED_STEP_HZ, self.runtime.clock.now())
        if new == old:
            bound = "maximum (safety cap)" if direction > 0 else "minimum"
            self.say(f"speed is at its {bound}: {new:.1f} Hz")
        self.refresh_status()

    def action_length(self, direction: int) -> None:
        """Set length +- 2 cycles (or +- 5 s in seconds mode)."""
        engine = self.runtime.engine
        now = self.runtime.clock.now()
        if engine.plan.cycles is not None:
            engine.set_cycles(engine.plan.cycles + direction * limits.CYCLES_STEP, now)
        else:
            engine.set_seconds((engine.plan.seconds or 30.0) + direction * 5.0)
        self.refresh_status()

    def action_next_pattern(self) -> None:
        """Next pattern: now between sets, at the next set while one is running."""
        engine = self.runtime.engine
        current = self.pending_pattern or engine.plan.pattern
        nxt = PATTERNS[(PATTERNS.index(current) + 1) % len(PATTERNS)]
        if engine.in_set:
            self.pending_pattern = nxt
            self.say(f"pattern {PATTERN_LABELS[nxt]} from the next set")
        else:
            engine.plan.pattern = nxt
            self.stage.show_frame(self.runtime.clock.now())
            self.say(f"pattern {PATTERN_LABELS[nxt]}")
        self.refresh_status()

    def action_mute(self) -> None:
        """Mute / unmute."""
        muted = self.runtime.sound.toggle_mute()
        self.runtime.preset.mute = muted
        self.refresh_status()

    def action_volume(self, steps: int) -> None:
        """Volume up / down in 5 % steps (the peak ceiling always holds)."""
        self.runtime.preset.volume_pct = self.runtime.sound.change_volume(steps)
        self.refresh_status()

    def action_next_tone(self) -> None:
        """Next tone type."""
        self.runtime.preset.tone = self.runtime.sound.next_tone()
        self.refresh_status()

    def action_client_view(self) -> None:
        """Toggle the client view (only the dot); leaving it shows what waited meanwhile."""
        self.client_view = not self.client_view
        self.apply_client_view()
        release = getattr(self.app, "release_held", None)
        if not self.client_view and release is not None:
            release()

    def on_screen_suspend(self) -> None:
        """An overlay opened over the stage: a running set pauses (nothing runs under it)."""
        engine = self.runtime.engine
        if engine.state is SetState.RUNNING:
            now = self.runtime.clock.now()
            engine.pause(now)
            self._run_timer(False)
            self.stage.show_frame(now)
            self.say("set paused while a window is open · s / esc stops it · space resumes")
            self.refresh_status()

    def action_blank_display(self) -> None:
        """Blank / unblank the client display (`bls display`) between sets."""
        self.say(toggle_blank(self.app, self.runtime.engine.in_set))

    def action_calibrate(self) -> None:
        """Latency calibration (between sets): clicks, taps, saved per device."""
        sound = self.runtime.sound
        name = sound.backend_name if sound.player is not None else None
        from bls_tui.ui.screens.calibrate import calibrate_between_sets

        self.say(calibrate_between_sets(self.app, self.runtime.engine.in_set, name))

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(self.help_keys()))

    def action_quit_app(self) -> None:
        """Quit; asks first while a set is running."""
        if not self.runtime.engine.in_set:
            self.app.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit()

        self.app.push_screen(ConfirmScreen("A set is running. Quit anyway?"), answered)
