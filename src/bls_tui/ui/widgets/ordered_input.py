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
this field before an earlier key of its burst moved the focus is sent on to the focused field
(behind its Focus event).  So ``Tab 4 Enter`` typed at once lands in the right field too.
``tests/ui/test_glance.py`` feeds those bursts.

That redirect needs the focus to have moved already, and Enter did not move it in time (found
on the dosing form: answers typed with Enter about 0.1 s apart all landed in the first
screening field).  Enter *was* run in order, but ``Input.action_submit`` only posts
``Input.Submitted``: the form moved the focus when that message reached the screen, behind the
keys already queued for this field, and through ``Widget.focus()``, itself a ``call_later``.
So every later answer was typed into the field that still had the focus.  Hence ``on_enter``:
a form passes its Enter handler, which runs inside ``_on_key`` like the bindings above (no
``Input.Submitted`` is posted) and moves the focus with ``Screen.set_focus``, at once, as Tab
does.  The keys after it are sent on (they used to be handed to the focused field's handler
directly, which typed them before its Focus event selected its text: ``8:40`` typed ahead into
the time of dose, default ``now``, became ``now8:40``; sent on, it replaces the default as when
typed slowly).  ``tests/ui/test_form_typeahead.py`` feeds those bursts.

A form's choice fields (``OrderedRadioSet``, ``OrderedCheckbox``) do the same: Tab there was run
only when the key came back up to the App, behind the keys typed after it, which the choice
field ignored (``Tab car crash`` typed at once on the target form, which opens on its prong, lost
``car crash``).  Their own keys (arrows, Enter, and space: printable, but a binding there, not
text) run in order too.

A choice made there is recorded at once, too: ``RadioSet`` only switched ``pressed_button`` (and
the old button off) when the new button's ``Changed`` message came back to it, so a choice and a
save in one burst (``down space ctrl+s`` on the check-in's sedation) saved the previous choice.
``OrderedRadioSet.action_toggle_button`` switches both buttons and ``pressed_button`` now.  (A
``Checkbox`` sets its value at once already: a tick and a save in one burst save the tick.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.widget import Widget
from textual.widgets import Checkbox, RadioButton, RadioSet

from bls_tui.ui.widgets.paste_input import PasteInput


class OrderedInput(PasteInput):
    """``Input`` that runs its own key bindings synchronously, in the order keys arrive.

    ``swallow`` (optional) is asked about each printable character first: when it returns
    True the character is not typed (a form uses it for the key that would have opened it).
    ``on_enter`` (optional) is what Enter does, run as the key arrives, instead of posting
    ``Input.Submitted``.
    """

    def __init__(
        self,
        *args: Any,
        swallow: Callable[[str], bool] | None = None,
        on_enter: Callable[[OrderedInput], None] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.swallow = swallow
        self.on_enter = on_enter

    async def action_submit(self) -> None:
        """Enter: ``on_enter`` runs now, before the next key of the burst (see the module)."""
        if self.on_enter is None:
            await super().action_submit()
        else:
            self.on_enter(self)

    async def _on_key(self, event: events.Key) -> None:
        if sent_on(self, event):
            return
        if event.is_printable and self.swallow is not None and self.swallow(event.character or ""):
            event.stop()
            event.prevent_default()
            return
        if not event.is_printable and await bound_here(self, event):  # printable keys are text
            self._restart_blink()
            return
        await super()._on_key(event)


def sent_on(widget: Widget, event: events.Key) -> bool:
    """Send on a key routed to ``widget`` before an earlier key of the same burst (Tab, Enter)
    moved the focus: it belongs to the widget that has the focus now, after the Focus event
    that selects its text (typing replaces a default such as "now")."""
    focused = widget.screen.focused
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
    # as the App routes a key: marked forwarded, so if it bubbles back up to the App
    # unhandled, the App runs its bindings and does not route it a second time
    focused._forward_event(events.Key(event.key, event.character))
    return True


async def bound_here(widget: Widget, event: events.Key) -> bool:
    """Run the binding of a key now, in arrival order: the widget's own (space in a choice),
    its containers' or its screen's (Tab to the next field, ctrl+s to save)."""
    for node in widget.ancestors_with_self:
        bindings = node._bindings.key_to_bindings.get(event.key)
        if bindings and await widget.app.run_action(bindings[0].action, node):
            event.stop()
            event.prevent_default()
            return True
        if node is widget.screen:
            break
    return False


class OrderedRadioSet(RadioSet):
    """A form's ``RadioSet`` whose keys (arrows, space, Enter, Tab) run in the order typed."""

    def action_toggle_button(self) -> None:
        """Press the selected button now: ``pressed_button`` and every button's value change
        before the next key of the burst (a save) reads them, not when ``Changed`` comes back."""
        button = None if self._selected is None else self._nodes[self._selected]
        if not isinstance(button, RadioButton) or button is self._pressed_button:
            return  # pressing the pressed button again changes nothing, as in RadioSet
        with self.prevent(RadioButton.Changed):
            if self._pressed_button is not None:
                self._pressed_button.value = False
            button.value = True
        self._pressed_button = button
        self.post_message(self.Changed(self, button))

    async def _on_key(self, event: events.Key) -> None:
        if not sent_on(self, event) and not await bound_here(self, event):
            await super()._on_key(event)


class OrderedCheckbox(Checkbox):
    """A form's ``Checkbox`` whose keys (space, Enter, Tab) run in the order typed."""

    async def _on_key(self, event: events.Key) -> None:
        if not sent_on(self, event) and not await bound_here(self, event):
            await super()._on_key(event)
