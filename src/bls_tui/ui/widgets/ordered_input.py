"""An ``Input`` whose editing keys take effect in the order they were typed.

Found for issue 12 (Textual 8.2.8): typing ``11``, BackSpace, BackSpace, ``4`` in one terminal
read saved ``1``.  The input parser is not at fault: ``XTermParser.feed("11\\x7f\\x7f4")`` yields
the five keys in order.  The loss is in key dispatch.  ``Input._on_key`` inserts printable
characters at once, but BackSpace (like every non-printable editing key) is a *binding*: the
key event is not handled by the widget, bubbles to the ``App`` as a new message, and the App
runs the binding (``App._on_key`` -> ``_check_bindings``) only after the keys already queued
for the ``Input`` were processed.  So the ``4`` is inserted first (``114``) and both BackSpaces
run after it (``1``): the BackSpace and the character look "lost".

The workaround: run the bindings of a non-printable key inside ``_on_key``, in arrival order,
and stop the event there: the field's own (BackSpace, Delete, arrows, Enter) and those of its
containers and screen (Tab to the next field, ctrl+s to save); and a key that was routed to
this field before an earlier key of its burst moved the focus goes to the focused field.  So
``Tab 4 Enter`` typed at once lands in the right field too.  ``tests/ui/test_glance.py`` feeds
those bursts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events

from bls_tui.ui.widgets.paste_input import PasteInput


class OrderedInput(PasteInput):
    """``Input`` that runs its own key bindings synchronously, in the order keys arrive.

    ``swallow`` (optional) is asked about each printable character first: when it returns
    True the character is not typed (a form uses it for the key that would have opened it).
    """

    def __init__(self, *args: Any, swallow: Callable[[str], bool] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.swallow = swallow

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not self and isinstance(focused, OrderedInput):
            # the key was routed here before an earlier key of the same burst (Tab, Enter)
            # moved the focus on: it belongs to the field that has the focus now
            await focused._on_key(event)
            return
        if event.is_printable and self.swallow is not None and self.swallow(event.character or ""):
            event.stop()
            event.prevent_default()
            return
        if not event.is_printable:
            for node in self.ancestors_with_self:  # this field, its containers, its screen
                bindings = node._bindings.key_to_bindings.get(event.key)
                if bindings and await self.app.run_action(bindings[0].action, node):
                    event.stop()
                    event.prevent_default()
                    self._restart_blink()
                    return
                if node is self.screen:
                    break
        await super()._on_key(event)
