"""The stop signal over every overlay, and a client view that shows nothing but the dot.

Mixed into the app (:class:`bls_tui.ui.app.BlsApp`) so that it holds for every overlay, present
and future, without each one having to remember it:

- **A set never runs under an overlay.**  When any screen is pushed over the stimulation screen
  while a set is running, the set pauses (motion and sound halt) — see
  :meth:`bls_tui.ui.screens.stim.StimScreen.on_screen_suspend`.
- **`s` / `esc` stop the set from any overlay.**  While a set is in progress (running or paused)
  and an overlay is on top, an app-level priority binding turns `s` and `esc` into the stop
  signal: overlays that hold no typed data (help, yes/no questions) close, forms stay open so
  nothing typed is lost, and the set ends at once.  With no set in progress the binding is
  inactive and the keys do what the overlay says (type an "s", close, skip).
- **Client view draws only the stimulus.**  While the stimulation screen is in client view, a
  modal screen or a toast that the app wants to show is held back and shown, in order, when the
  therapist leaves client view (`f`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from bls_tui.services.runtime import Runtime
    from bls_tui.ui.screens.stim import StimScreen

OVERLAY_STOP = Binding(
    "s,escape", "overlay_stop", "STOP", show=False, priority=True, id="overlay_stop"
)


class OverlayGuard(App[None]):
    """App mixin: stop signal over overlays, deferred overlays in client view."""

    BINDINGS = [OVERLAY_STOP]
    runtime: Runtime

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held_overlays: list[tuple[Screen[Any], Any]] = []
        """Overlays held back while the client view is on (shown when it is left)."""
        self.held_notices: list[tuple[str, dict[str, Any]]] = []

    # ------------------------------------------------------------------ stop over overlays
    def stim_screen(self) -> StimScreen | None:
        """The topmost stimulation (or session) screen in the stack, if any."""
        from bls_tui.ui.screens.stim import StimScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, StimScreen):
                return screen
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "overlay_stop":
            stim = self.stim_screen()
            return stim is not None and self.screen is not stim and self.runtime.engine.in_set
        return super().check_action(action, parameters)

    async def on_event(self, event: events.Event) -> None:
        """`s` over a form whose text field has focus: still the stop signal during a set.

        (A text field takes printable keys before any binding, so the binding alone would
        type an "s" there.)
        """
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key == "s"
            and self.check_action("overlay_stop", ())
        ):
            event.stop()
            self.action_overlay_stop()
            return
        await super().on_event(event)

    def action_overlay_stop(self) -> None:
        """`s` / `esc` over an overlay while a set is in progress: the stop signal."""
        from bls_tui.ui.screens.form import FormScreen

        stim = self.stim_screen()
        if stim is None:
            return
        while self.screen is not stim and not isinstance(self.screen, FormScreen):
            self.pop_screen()
        stim.action_stop_signal()

    # ------------------------------------------------------------------ client view
    def _client_view_on(self) -> bool:
        stim = self.stim_screen()
        return stim is not None and stim.client_view and self.screen is stim

    def push_screen(
        self,
        screen: Screen[Any] | str,
        callback: Any = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> Any:
        """Push ``screen``; in client view a modal screen waits until the view is left.

        A modal screen whose id is already open is not pushed a second time.
        """
        if isinstance(screen, ModalScreen) and screen.id is not None:
            if any(open_.id == screen.id for open_ in self.screen_stack):
                return None  # the same form is already open (e.g. grounding after a 2nd stop)
        if isinstance(screen, ModalScreen) and not wait_for_dismiss and self._client_view_on():
            self.held_overlays.append((screen, callback))
            return None
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)  # type: ignore[call-overload]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast; in client view it waits until the view is left."""
        kwargs: dict[str, Any] = {
            "title": title,
            "severity": severity,
            "timeout": timeout,
            "markup": markup,
        }
        if self._client_view_on():
            self.held_notices.append((message, kwargs))
            return
        super().notify(message, **kwargs)

    def release_held(self) -> None:
        """Show what waited during the client view (called when the therapist leaves it)."""
        notices, self.held_notices = self.held_notices, []
        for message, kwargs in notices:
            super().notify(message, **kwargs)
        overlays, self.held_overlays = self.held_overlays, []
        for screen, callback in reversed(overlays):  # the first one held ends up on top
            super().push_screen(screen, callback)
