"""Running the Textual app from the command line: signals, a quiet fd 2, and the exit status."""

from __future__ import annotations

import sys
from typing import Any, Protocol

from bls_tui.cli.errors import fail


class RunnableApp(Protocol):
    """What :func:`run_app` needs of an app (``BlsApp``)."""

    exit_signal: str | None
    exit_note: str | None
    crash_message: str | None

    def run(self) -> Any: ...

    def exit(self) -> None: ...


def run_app(bls_app: RunnableApp) -> None:
    """Run a Textual app with library chatter on fd 2 kept off the screen."""
    import asyncio
    import signal

    from bls_tui.safety.paths import data_dir
    from bls_tui.ui.terminal import quiet_stderr

    def on_signal(signum: int, _frame: object) -> None:
        # SIGTERM, SIGHUP (terminal or SSH closed), SIGINT: leave cleanly so the terminal is
        # restored and the session is kept as interrupted (every finished set is on disk).
        bls_app.exit_signal = signal.Signals(signum).name
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not running yet (or any more): leave at once
            raise SystemExit(128 + signum) from None
        # call_soon_threadsafe wakes the event loop, which may be asleep in select()
        loop.call_soon_threadsafe(bls_app.exit)

    if not sys.stdout.isatty():
        fail("the screen needs a terminal, and stdout is not one (a pipe or a file?)", 2)
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)
    with quiet_stderr(data_dir() / "logs" / "stderr.log"):
        bls_app.run()
    if bls_app.crash_message is not None:
        fail(bls_app.crash_message, 1)
    if bls_app.exit_note is not None and bls_app.exit_signal is None:
        fail(bls_app.exit_note, 1)
    if bls_app.exit_note is not None:
        print(f"bls: warning: {bls_app.exit_note}", file=sys.stderr)
    if bls_app.exit_signal is not None:  # conventional status for "ended by a signal"
        raise SystemExit(128 + signal.Signals[bls_app.exit_signal].value)
