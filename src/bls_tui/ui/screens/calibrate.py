"""The latency calibration screen: steady clicks, tap space with each click you hear.

Used by `bls calibrate` (its own small app) and from the stimulation screen (`l`, between
sets).  The estimate comes from :func:`bls_tui.sound.calibrate.estimate`; ``enter`` saves it
in ``audio.toml`` for this backend and device, ``esc`` leaves without saving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from bls_tui.sound.calibrate import CLICKS, INTERVAL_S, MIN_TAPS, Estimate, click_times, estimate
from bls_tui.stimulus.clock import Clock
from bls_tui.ui.screens.closing import close_once


class Player(Protocol):
    """What plays the clicks (:class:`bls_tui.sound.click_player.ClickPlayer` or a fake)."""

    @property
    def label(self) -> str:
        """Backend and device."""
        ...

    def start(self) -> float:
        """Start; the clock time of the first click."""
        ...

    def stop(self) -> None:
        """Stop playing and release the device."""
        ...


class CalibrateScreen(Screen[Estimate | None]):
    """Clicks, taps, the estimate; dismissed with the estimate (``None`` if cancelled)."""

    BINDINGS = [
        Binding("space", "tap", "Tap", priority=True),
        Binding("enter", "save", "Save"),
        Binding("escape", "leave", "Leave"),
    ]
    DEFAULT_CSS = """
    CalibrateScreen { align: center middle; }
    #cal-box { width: 76; height: auto; padding: 1 2; border: round #9e9e9e; }
    #cal-keys { color: #9e9e9e; margin-top: 1; }
    """

    def __init__(
        self, player: Player, clock: Clock, save: Callable[[float], str] | None = None
    ) -> None:
        super().__init__()
        self.player = player
        self.clock = clock
        self.save_fn = save
        self.clicks: list[float] = []
        self.taps: list[float] = []
        self.result: Estimate | None = None
        self.saved: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="cal-box"):
            yield Static(
                f"Latency calibration · {self.player.label}\n\n"
                f"{CLICKS} clicks, one every {INTERVAL_S:g} s. Tap space in time with each click "
                "as you HEAR it (on the client's own headphones if they use them). The first "
                "few taps only find the beat.",
                id="cal-text",
            )
            yield Static("", id="cal-progress")
            yield Static("space = tap · esc = leave without saving", id="cal-keys")

    def on_mount(self) -> None:
        start = self.player.start()
        self.clicks = click_times(start)
        self.set_interval(0.1, self.check)

    def check(self) -> None:
        """Progress, and the estimate once the last click has had time to be heard."""
        if self.result is not None:
            return
        now = self.clock.now()
        heard = sum(1 for c in self.clicks if c <= now)
        self.query_one("#cal-progress", Static).update(
            f"\nclick {heard} of {CLICKS} · taps {len(self.taps)} (at least {MIN_TAPS} needed)"
        )
        if self.clicks and now >= self.clicks[-1] + 1.0:
            self.finish()

    def finish(self) -> None:
        """Stop the clicks and show the estimate."""
        self.player.stop()
        self.result = estimate(self.clicks, self.taps)
        keys = "enter = save · esc = leave without saving"
        if self.result.latency_ms is None:
            keys = "esc = leave (run it again to retry)"
        self.query_one("#cal-progress", Static).update(f"\n{self.result.summary()}")
        self.query_one("#cal-keys", Static).update(keys)

    def action_tap(self) -> None:
        """A tap: its time on the clock."""
        if self.result is None:
            self.taps.append(self.clock.now())

    def action_save(self) -> None:
        """Save the estimate (per backend and device) and leave."""
        if self.result is None or self.result.latency_ms is None:
            return
        if self.save_fn is not None:
            self.saved = self.save_fn(self.result.latency_ms)
        close_once(self, self.result)

    def action_leave(self) -> None:
        """Leave; nothing is saved."""
        if self.result is None:
            self.player.stop()
        close_once(self, None)


class CalibrateApp(App[int]):
    """`bls calibrate`: the calibration screen on its own."""

    TITLE = "bls calibrate"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, player: Player, clock: Clock, save: Callable[[float], str]) -> None:
        super().__init__()
        self.screen_ = CalibrateScreen(player, clock, save)
        self.outcome: str = "left without saving"

    def on_mount(self) -> None:
        def done(result: Estimate | None) -> None:
            if result is not None and self.screen_.saved:
                self.outcome = self.screen_.saved
            self.exit(0)

        self.push_screen(self.screen_, done)


def calibrate_between_sets(app: App[object], in_set: bool, backend_name: str | None) -> str:
    """The stimulation screen's `l` key: open the calibration screen (between sets only).

    A second stream is opened on the same backend in a worker thread (device work never runs
    on the UI thread); returns the words to show at once.
    """
    if in_set:
        return "latency calibration runs between sets (s / esc stops the set)"
    if backend_name is None:
        return "latency calibration needs a sound device (sound is off; see bls doctor)"

    def work() -> None:
        from bls_tui.sound.backends.select import AudioChoiceError, open_backend
        from bls_tui.sound.click_player import ClickPlayer
        from bls_tui.sound.latency_store import save_latency
        from bls_tui.stimulus.clock import MonotonicClock

        opened = open_backend(backend_name)
        backend = opened.backend
        if backend is None:
            app.call_from_thread(app.notify, f"calibration: no device ({opened.reason})")
            return

        def save(ms: float) -> str:
            try:
                save_latency(backend.name, backend.device_name, ms)
            except AudioChoiceError as exc:
                return f"not saved: {exc}"
            return f"latency {ms:.0f} ms saved; used from the next start of bls"

        def shown(result: Estimate | None) -> None:
            if screen.saved:
                app.notify(screen.saved, timeout=8)

        screen = CalibrateScreen(ClickPlayer(backend, MonotonicClock()), MonotonicClock(), save)
        app.call_from_thread(app.push_screen, screen, shown)

    app.run_worker(work, thread=True, exclusive=True, group="calibrate")
    return "latency calibration: opening the sound device…"
