"""A small typed form as a modal screen: prompts, fields, inline validation.

Every prompt between sets (SUD, VOC, notes, assessment, closure, grounding, check-ins) is a
:class:`FormScreen` built from :class:`Field` specs; it returns the parsed values, or ``None``
when skipped.  Nothing typed can crash it: each field's parser raises ``ValueError`` with a
one-line message that is shown under the field.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static

from bls_tui.ui.keys import KeySpec
from bls_tui.ui.keys_screens import FORM_KEYS
from bls_tui.ui.screens.closing import close_once, is_closing
from bls_tui.ui.widgets.keyfooter import KeyFooter
from bls_tui.ui.widgets.ordered_input import OrderedCheckbox, OrderedInput, OrderedRadioSet

Parser = Callable[[str], Any]


def text_field(value: str) -> str | None:
    """Free text (trimmed; empty = not given)."""
    value = value.strip()
    if len(value) > 2000:
        raise ValueError("too long (2000 characters at most)")
    return value or None


TYPED_AHEAD_KEYS = frozenset("nbe")
"""Phase keys (next, previous, phase form) that are not text when typed ahead into a form."""
TYPED_AHEAD_S = 0.5
"""How long after a form opened by itself such a key counts as typed ahead (seconds)."""


@dataclass(frozen=True)
class Field:
    """One input: ``parse`` turns the typed text into a value or raises ``ValueError``."""

    id: str
    label: str
    parse: Parser = text_field
    placeholder: str = ""
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)
    """For a choice field: (value, label) pairs shown as radio buttons."""
    default: str = ""
    checkbox: bool = False
    """A yes/no tick box (the value is a bool)."""
    restrict: str | None = None
    """Regular expression the whole typed text must match (keys that break it are refused)."""
    inline: bool = False
    """For a choice field: the choices on one row."""


FormResult = dict[str, Any]


class FormScreen(ModalScreen[FormResult | None]):
    """Prompt lines, then fields.  enter saves, esc skips, ctrl+n saves and starts the next set."""

    BINDINGS = [
        Binding("escape", "skip", "Skip", id="form_skip"),
        Binding("ctrl+s", "save", "Save", id="form_save"),
        Binding("ctrl+n", "save_next", "Save + next set", id="form_next", show=False),
        Binding("f1", "help", "Help", id="form_help", show=False),
    ]

    def __init__(
        self,
        title: str,
        lines: Sequence[str],
        fields: Sequence[Field],
        *,
        form_id: str,
        allow_next: bool = False,
        skip_label: str = "skip",
    ) -> None:
        super().__init__(id=form_id)
        self.title_text = title
        self.lines = tuple(lines)
        self.fields = tuple(fields)
        self.allow_next = allow_next
        self.skip_label = skip_label
        self.open_key: str | None = None
        """Set when the form opened by itself: the key that would have opened it (`e`) is
        swallowed if it is the first key pressed, instead of being typed into a field."""
        self._typed = False
        self._opened_at: float | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-box"):
            yield Static(f"[b]{self.title_text}[/b]", classes="form-title")
            for line in self.lines:
                yield Static(line, classes="form-line")
            for spec in self.fields:
                with Vertical(classes="form-field"):
                    if not spec.checkbox:
                        yield Label(spec.label, classes="form-label")
                    if spec.checkbox:
                        yield OrderedCheckbox(spec.label, spec.default == "yes", id=f"f-{spec.id}")
                    elif spec.choices:
                        classes = "inline" if spec.inline else ""
                        with OrderedRadioSet(id=f"f-{spec.id}", classes=classes):
                            for value, label in spec.choices:
                                yield RadioButton(label, value=value == spec.default, name=value)
                    else:
                        yield OrderedInput(
                            value=spec.default,
                            placeholder=spec.placeholder,
                            id=f"f-{spec.id}",
                            restrict=spec.restrict,
                            swallow=self.swallow_open_key,
                            on_enter=self.field_entered,
                        )
                    yield Label("", id=f"e-{spec.id}", classes="form-error")
            yield Static(self.keys_hint(), classes="form-keys")
        yield KeyFooter(self.help_keys(), id="form-footer")

    def keys_hint(self) -> str:
        """What enter, ctrl+s, esc (and ctrl+n) do in this form, in words."""
        several = sum(1 for f in self.fields if not f.checkbox and not f.choices) > 1
        enter = "enter = next field, saves from the last" if several else "enter = save"
        keys = f"{enter} · ctrl+s = save now · esc = {self.skip_label}"
        if self.allow_next:
            keys += " · ctrl+n = save and start the next set"
        return keys

    def help_keys(self) -> tuple[KeySpec, ...]:
        """This form's keys (for its footer and help)."""
        skip = replace(FORM_KEYS[3], label=self.skip_label.capitalize())
        keys = [k for k in FORM_KEYS if k.id != "form_skip"]
        keys.insert(2, skip)
        if not self.allow_next:
            keys = [k for k in keys if k.id != "form_next"]
        if sum(1 for f in self.fields if not f.checkbox and not f.choices) <= 1:
            keys = [replace(k, label="Save") if k.id == "form_enter" else k for k in keys]
            keys = [k for k in keys if k.id != "form_save"]
        return tuple(keys)

    def action_help(self) -> None:
        """The form's keys."""
        from bls_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.help_keys()))

    def on_mount(self) -> None:
        self._opened_at = time.monotonic()
        for error in self.query(".form-error"):
            error.display = False
        fields = self.query("Input, RadioSet, Checkbox")
        if fields:  # none when the app is closing under a form that was just pushed
            fields.first().focus()

    def values(self) -> FormResult | None:
        """Parse every field; show inline errors and return None if any is bad."""
        result: FormResult = {}
        ok = True
        for spec in self.fields:
            if spec.checkbox:
                result[spec.id] = self.query_one(f"#f-{spec.id}", Checkbox).value
                continue
            if spec.choices:
                radio = self.query_one(f"#f-{spec.id}", RadioSet)
                pressed = radio.pressed_button
                result[spec.id] = pressed.name if pressed is not None else None
                continue
            good, value = self.check_field(spec)
            ok = ok and good
            result[spec.id] = value
        return result if ok else None

    def check_field(self, spec: Field) -> tuple[bool, Any]:
        """Parse one text field; show its message beside it (or clear it)."""
        error = self.query_one(f"#e-{spec.id}", Label)
        raw = self.query_one(f"#f-{spec.id}", Input).value
        try:
            value = spec.parse(raw)
        except ValueError as exc:
            error.update(str(exc).splitlines()[0] if str(exc) else "not valid")
            error.display = True
            return False, None
        error.update("")
        error.display = False
        return True, value

    def _spec_of(self, widget: Input) -> Field | None:
        wid = (widget.id or "").removeprefix("f-")
        return next((f for f in self.fields if f.id == wid), None)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Something was typed: from now on every key is text."""
        self._typed = True

    def swallow_open_key(self, character: str) -> bool:
        """True (once) for the form's own key pressed before anything was typed: the therapist
        pressed `e` to open a form that had already opened by itself; it is not text.

        (A screen binding cannot do this: Textual drops bindings for keys a focused Input
        consumes from the binding chain, priority or not.)
        """
        if self.open_key is None or self._typed:
            return False
        if character == self.open_key:
            self.open_key = None
            return True
        # Phase keys typed ahead (`n n n` from phase 1 to get past phase 3) reach the form that
        # phase 3 opened by itself: not text, so not typed into its first field.
        opened = self._opened_at
        ahead = (
            character in TYPED_AHEAD_KEYS
            and opened is not None
            and time.monotonic() - opened < TYPED_AHEAD_S
        )
        if not ahead:  # text: from now on every key is text (at once: the Changed message
            self._typed = True  # comes later, and "the" typed in one burst lost its "e")
        return ahead

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """Leaving a field shows its message at once (not only at save)."""
        spec = self._spec_of(event.input)
        if spec is not None and self.is_attached and not is_closing(self):
            with suppress(NoMatches):  # the form is closing
                self.check_field(spec)

    def field_entered(self, field: Input) -> None:
        """Enter in a text field: check it, then move to the next field, or save from the last.

        It runs as the key arrives (``OrderedInput.on_enter``), so keys typed after Enter go to
        the field it moved to.  A field whose text is refused keeps the focus, its message in
        view, and the keys typed after that Enter go into it too: that is where the cursor
        visibly stays, and where the therapist looks to correct it.  Moving on would file each
        later answer one field away from the prompt it answers, unseen; dropping the keys would
        lose what was typed.  Nothing is saved while a field is refused.
        """
        if is_closing(self):
            return
        spec = self._spec_of(field)
        if spec is not None and not self.check_field(spec)[0]:
            self.show_field(spec.id)
            return
        inputs = list(self.query(Input))
        if field is not inputs[-1]:
            self.set_focus(inputs[inputs.index(field) + 1])  # now, not after a call_later
            return
        self.action_save()

    def show_field(self, field_id: str) -> None:
        """Focus a field and bring it, with its label and message, into view."""
        self.set_focus(self.query_one(f"#f-{field_id}"))
        box = self.query_one(f"#e-{field_id}").parent
        if isinstance(box, Vertical):  # after the layout that shows the message
            self.call_after_refresh(box.scroll_visible, animate=False)

    def refused(self) -> None:
        """A save was refused: go to the first field whose message is shown (it may be off
        the screen, e.g. a screening answer at 80x24)."""
        for spec in self.fields:
            if self.query_one(f"#e-{spec.id}").display:
                self.show_field(spec.id)
                return

    def refuse(self, field_id: str, message: str) -> None:
        """Show ``message`` under a field (a form's own check beyond the field's parser)."""
        error = self.query_one(f"#e-{field_id}", Label)
        error.update(message)
        error.display = True

    def action_save(self) -> None:
        """Save if every field is valid; else go to the first field refused."""
        if is_closing(self):  # keys that came in one burst with the one that closed it
            return
        result = self.values()
        if result is None:
            self.refused()
        else:
            close_once(self, result)

    def action_save_next(self) -> None:
        """Save and ask for the next set to start."""
        if is_closing(self):  # keys that came in one burst with the one that closed it
            return
        if not self.allow_next:
            self.action_save()
            return
        result = self.values()
        if result is None:
            self.refused()
        else:
            result["_next"] = True
            close_once(self, result)

    def action_skip(self) -> None:
        """Close without saving."""
        if is_closing(self):  # keys that came in one burst with the one that closed it
            return
        close_once(self, None)
