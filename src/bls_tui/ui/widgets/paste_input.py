"""An ``Input`` that takes a paste whole and shows no control characters from it.

Textual's ``Input`` keeps only the first line of a paste and inserts control characters as
they come.  A note, a belief or a target label is one line of text that a therapist may paste
from a letter or a report: here its lines are joined by spaces (nothing pasted is dropped
unseen), and an ESC, a bidi override or another control is shown as a visible escape
(:func:`bls_tui.ui.paste_guard.pasted_line`), as everywhere else in the app.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from bls_tui.ui.paste_guard import pasted_line


class PasteInput(Input):
    """``Input`` whose paste is one safe line, inserted at the cursor (or over the selection)."""

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own handler would insert the raw first line again
        line = pasted_line(event.text)
        if not line:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(line)
        else:
            self.replace(line, *selection)
