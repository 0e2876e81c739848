"""The Textual application and its factory (used by the CLI and by the tests)."""

from __future__ import annotations

from textual.app import App

from bls_tui.core.clock import Clock
from bls_tui.runtime import RunOptions, Runtime
from bls_tui.ui.screens.stim import StimScreen


class BlsApp(App[None]):
    """bls-tui.  The first screen is chosen by :func:`make_app`."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "bls-tui"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime

    def on_mount(self) -> None:
        self.push_screen(StimScreen(self.runtime, client_view=self.runtime.options.client_view))

    def bell(self) -> None:
        """No bell, ever: a visual or audible bell is a startle in a session."""

    def on_unmount(self) -> None:
        self.runtime.close()


def make_app(options: RunOptions, clock: Clock | None = None) -> BlsApp:
    """Build the app for `bls run` (the CLI and the tests both call this)."""
    return BlsApp(Runtime(options, clock))
