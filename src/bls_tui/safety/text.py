"""User text made safe for a terminal, a TOML file and a Markdown export.

Notes, preset descriptions, target labels and client codes are typed (or pasted, or put in a
file) by people; none of them may write an escape sequence or a bidi override to the
terminal: one could clear the screen, set the window title or reorder the rest of a line.
Each such character is shown as a visible ``\\x1b`` / ``\\u202e`` escape instead.
"""

from __future__ import annotations

import re

__all__ = ["md_text", "safe_inline", "safe_text", "toml_string"]

# C0 controls, DEL, C1 controls; bidi embeddings, overrides and isolates; other invisible
# format characters that change how the following text is shown.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
_UNSAFE_INLINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\u2028\u2029\ufeff"
    "\ufff9-\ufffb]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` with every control and bidi/format character escaped; newlines and tabs kept."""
    return _UNSAFE.sub(_escape, text)


def safe_inline(text: str) -> str:
    """Like :func:`safe_text`, for one line: newlines and tabs are escaped too."""
    return _UNSAFE_INLINE.sub(_escape, text)


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_TOML_NEEDS = re.compile(
    '["\\\\\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]'
)


def toml_string(text: str) -> str:
    """A TOML basic string (with quotes) that reads back as ``text`` and shows no controls."""

    def esc(match: re.Match[str]) -> str:
        char = match.group()
        return _TOML_ESCAPES.get(char, f"\\u{ord(char):04x}")

    return '"' + _TOML_NEEDS.sub(esc, text) + '"'


_MD_SPECIAL = re.compile(r"([\\`*_\[\]!~])")  # "|" is escaped by the table writer
_MD_LINE_START = re.compile(r"(?m)^(\s*)([#+=-]|\d+[.)])")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{1,20}):(?=//|[A-Za-z0-9%])")


def md_text(text: str) -> str:
    """``text`` for a Markdown document: shown as typed, never as HTML, a link or an image.

    HTML is entity-escaped, Markdown punctuation backslash-escaped (so ``![x](https://...)``
    is not an image a viewer would fetch, nor ``[x](javascript:...)`` a link), and the colon
    after a URL scheme is written as an entity so no viewer turns the text into a link.
    Controls and bidi overrides are escaped as in :func:`safe_text`.
    """
    body = safe_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = _MD_SPECIAL.sub(r"\\\1", body)
    body = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), body)
    return _SCHEME.sub(r"\1&#58;", body)


def counted(amount: float, word: str, plural: str | None = None) -> str:
    """``1 cycle``, ``2 cycles``, ``1.5 cycles`` (the plural unless exactly one)."""
    many = plural or word + "s"
    return f"{amount:g} {word if amount == 1 else many}"
