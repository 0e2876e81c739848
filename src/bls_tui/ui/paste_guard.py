"""Pasted text arrives whole and in order, and an ESC inside it is never a key (defect B04).

A terminal with bracketed paste sends ``ESC [200~ text ESC [201~``.  Textual 8.2.8's input
parser (``XTermParser.parse`` in ``textual/_xterm_parser.py``) treats an ESC *inside* the text
as the start of a key sequence: the characters after it, up to the next ESC, come out as key
presses (the ESC itself as ``^``) *before* the ``Paste`` event, which carries only the text
before the first ESC.  Pasting ``abc<ESC>def`` into the note bar typed ``^defabc``; a paste
that ends with an ESC sent a real ``escape`` key, which is the stop signal during a set and
"close without saving" on a form; a line break after an ESC came as Enter.  Our widgets
cannot repair this: those keys look exactly like typed ones and arrive before the paste.

So the text is mended before the parser sees it.  :class:`PasteEscapes` watches the input
stream and, between the paste start and end markers, replaces each ESC with the visible
``\\x1b`` that :func:`~bls_tui.safety.text.safe_inline` shows for it; everything outside a
paste (a real Esc key, arrows, mouse reports) passes unchanged and at once.
:class:`PasteGuardParser` is Textual's parser with that filter in front of ``feed`` (its one
entry point; nothing of the parser's private state is touched), and :class:`PasteGuard` has
the terminal driver build it.  Textual's drivers create their parser by the module-level name
``XTermParser``; that name is the one thing this relies on: should a Textual upgrade stop
using it while the bug remains, ``tests/ui/test_paste_escape.py`` fails (its last test pastes
through the real driver in tmux).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from textual._xterm_parser import XTermParser
from textual.app import App
from textual.driver import Driver
from textual.message import Message

from bls_tui.safety.text import safe_inline

__all__ = ["PasteEscapes", "PasteGuard", "PasteGuardParser", "guard_driver_parsers", "pasted_line"]

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
SHOWN_ESC = safe_inline(ESC)
"""What an ESC inside a paste becomes: the four characters ``\\x1b``."""

# Where Textual 8 builds a terminal driver's input parser (``XTermParser(...)`` by that name).
_PARSER_MODULES = (
    "textual.drivers.linux_driver",
    "textual.drivers.linux_inline_driver",
    "textual.drivers.win32",
)


class PasteEscapes:
    """Input-stream filter: every ESC inside a bracketed paste becomes a visible ``\\x1b``.

    Stateful across reads, since a terminal read can end anywhere.  Outside a paste nothing
    is held back or changed.  Inside one, an ESC that may still begin the end marker is held
    until the next characters tell (at most five characters, and the end marker always
    follows in a paste).
    """

    def __init__(self) -> None:
        self.in_paste = False
        self._start = 0  # characters of PASTE_START seen so far (outside a paste)
        self._held = ""  # inside a paste: a beginning of PASTE_END not yet passed on

    def feed(self, data: str) -> str:
        out: list[str] = []
        for char in data:
            if not self.in_paste:
                out.append(char)
                if char == PASTE_START[self._start]:
                    self._start += 1
                else:  # PASTE_START has no other ESC, so a mismatch restarts at an ESC only
                    self._start = 1 if char == ESC else 0
                if self._start == len(PASTE_START):
                    self.in_paste, self._start = True, 0
                continue
            if self._held and char == PASTE_END[len(self._held)]:
                self._held += char
                if self._held == PASTE_END:
                    out.append(PASTE_END)
                    self.in_paste, self._held = False, ""
                continue
            if self._held:  # not the end marker after all: the ESC was part of the text
                out.append(SHOWN_ESC + self._held[1:])
                self._held = ""
            if char == ESC:
                self._held = ESC
            else:
                out.append(char)
        return "".join(out)


class PasteGuardParser(XTermParser):
    """Textual's terminal input parser, fed through :class:`PasteEscapes`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.paste_escapes = PasteEscapes()
        super().__init__(*args, **kwargs)

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input
            return super().feed(data)
        mended = self.paste_escapes.feed(data)
        if not mended:  # all held back: an empty feed would mean end of input to the parser
            return ()
        return super().feed(mended)


def guard_driver_parsers() -> list[str]:
    """Have the terminal drivers imported so far build :class:`PasteGuardParser`.

    Returns the modules now using it.  Only a module whose ``XTermParser`` is Textual's own
    class is changed, so this is idempotent and leaves anything unknown alone.
    """
    guarded = []
    for name in _PARSER_MODULES:
        module = sys.modules.get(name)
        current = getattr(module, "XTermParser", None)
        if current is XTermParser:
            module.XTermParser = PasteGuardParser  # type: ignore[union-attr]
        if getattr(module, "XTermParser", None) is PasteGuardParser:
            guarded.append(name)
    return guarded


class PasteGuard(App[None]):
    """App mixin: the terminal driver of this app parses pastes with :class:`PasteGuardParser`."""

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()  # imports the driver's module (and its parser's)
        guard_driver_parsers()
        return driver


def pasted_line(text: str) -> str:
    """Pasted text for a one-line field: lines joined by a space, tabs as spaces, and every
    other control, bidi or invisible format character shown as a visible escape."""
    lines = (line.replace("\t", " ") for line in text.splitlines())
    return safe_inline(" ".join(line for line in lines if line.strip()))
