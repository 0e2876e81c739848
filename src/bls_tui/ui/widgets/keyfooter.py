"""A footer drawn from the key table.

Textual's ``Footer`` recomposes on every screen push/pop, and in Textual 8.2.8 the old key
widgets stay referenced (about 0.8 MB per between-set prompt, measured by tests/test_soak.py).
This footer is one line of text from the same :class:`~bls_tui.ui.keys.KeySpec` table as the
bindings and the help screen, so it never changes after it is drawn.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from bls_tui.ui.keys import KeySpec


def footer_text(specs: tuple[KeySpec, ...]) -> Text:
    """``key label`` pairs for the keys marked ``show``."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for spec in specs:
        if not spec.show:
            continue
        text.append(f" {spec.display_keys.split(' / ')[0]} ", style="bold #ffb74d")
        text.append(f"{spec.label} ", style="#e0e0e0")
    return text


class KeyFooter(Static):
    """The main keys, always on the bottom line."""

    DEFAULT_CSS = """
    KeyFooter { dock: bottom; height: 1; background: #0d2b45; }
    """

    def __init__(self, specs: tuple[KeySpec, ...], *, id: str | None = None) -> None:
        super().__init__(footer_text(specs), id=id)
