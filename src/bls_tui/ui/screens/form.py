"""A small typed form as a modal screen: prompts, fields, inline validation.

Every prompt between sets (SUD, VOC, notes, assessment, closure, grounding, check-ins) is a
:class:`FormScreen` built from :class:`Field` specs; it returns the parsed values, or ``None``
when skipped.  Nothing typed can crash it: each field's parser raises ``ValueError`` with a
one-line message that is shown under the field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static

Parser = Callable[[str], Any]


def text_field(value: str) -> str | None:
    """Free text (trimmed; empty = not given)."""
    value = value.strip()
    if len(value) > 2000:
        raise ValueError("too long (2000 characters at most)")
    return value or None


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


FormResult = dict[str, Any]


class FormScreen(ModalScreen[FormResult | None]):
    """Prompt lines, then fields.  enter saves, esc skips, ctrl+n saves and starts the next set."""

    BINDINGS = [
        Binding("escape", "skip", "Skip", id="form_skip"),
        Binding("ctrl+s", "save", "Save", id="form_save"),
        Binding("ctrl+n", "save_next", "Save + next set", id="form_next", show=False),
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
                        yield Checkbox(spec.label, spec.default == "yes", id=f"f-{spec.id}")
                    elif spec.choices:
                        with RadioSet(id=f"f-{spec.id}"):
                            for value, label in spec.choices:
                                yield RadioButton(label, value=value == spec.default, name=value)
                    else:
                        yield Input(
                            value=spec.default, placeholder=spec.placeholder, id=f"f-{spec.id}"
                        )
                    yield Label("", id=f"e-{spec.id}", classes="form-error")
            keys = f"enter / ctrl+s = save · esc = {self.skip_label}"
            if self.allow_next:
                keys += " · ctrl+n = save and start the next set"
            yield Static(keys, classes="form-keys")

    def on_mount(self) -> None:
        first = self.query("Input, RadioSet, Checkbox").first()
        first.focus()

    def values(self) -> FormResult | None:
        """Parse every field; show inline errors and return None if any is bad."""
        result: FormResult = {}
        ok = True
        for spec in self.fields:
            error = self.query_one(f"#e-{spec.id}", Label)
            if spec.checkbox:
                result[spec.id] = self.query_one(f"#f-{spec.id}", Checkbox).value
                continue
            if spec.choices:
                radio = self.query_one(f"#f-{spec.id}", RadioSet)
                pressed = radio.pressed_button
                result[spec.id] = pressed.name if pressed is not None else None
                error.update("")
                continue
            raw = self.query_one(f"#f-{spec.id}", Input).value
            try:
                result[spec.id] = spec.parse(raw)
                error.update("")
            except ValueError as exc:
                ok = False
                error.update(str(exc).splitlines()[0] if str(exc) else "not valid")
        return result if ok else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field: move to the next field, or save from the last one."""
        event.stop()
        inputs = list(self.query(Input))
        if event.input is not inputs[-1]:
            inputs[inputs.index(event.input) + 1].focus()
            return
        self.action_save()

    def action_save(self) -> None:
        """Save if every field is valid."""
        result = self.values()
        if result is not None:
            self.dismiss(result)

    def action_save_next(self) -> None:
        """Save and ask for the next set to start."""
        if not self.allow_next:
            self.action_save()
            return
        result = self.values()
        if result is not None:
            result["_next"] = True
            self.dismiss(result)

    def action_skip(self) -> None:
        """Close without saving."""
        self.dismiss(None)
