"""Keeping library chatter off the screen.

Textual draws on ``sys.__stderr__``.  C libraries (ALSA above all) print diagnostics straight
to file descriptor 2, which would draw over the TUI.  :func:`quiet_stderr` gives Textual a
private duplicate of the terminal and points descriptor 2 at a log file for the duration.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from bls_tui.safety.paths import ensure_private_dir


@contextlib.contextmanager
def quiet_stderr(log_path: Path | None) -> Iterator[None]:
    """Route fd 2 to ``log_path`` (or /dev/null) while Textual keeps the real terminal."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    terminal = os.fdopen(saved, "w", buffering=1, encoding="utf-8", errors="replace")
    target = os.devnull
    if log_path is not None:
        try:
            ensure_private_dir(log_path.parent)
            fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.close(fd)
            target = str(log_path)
        except OSError:
            target = os.devnull
    sink = os.open(target, os.O_WRONLY | os.O_APPEND)
    original_dunder = sys.__stderr__
    original = sys.stderr
    sys.stderr.flush()
    os.dup2(sink, 2)
    os.close(sink)
    sys.__stderr__ = terminal  # type: ignore[misc]
    sys.stderr = terminal
    try:
        yield
    finally:
        terminal.flush()
        os.dup2(saved, 2)
        sys.__stderr__ = original_dunder  # type: ignore[misc]
        sys.stderr = original
        terminal.close()


def real_terminal_size() -> tuple[int, int] | None:
    """The terminal's size as the kernel has it now (None if no terminal is attached)."""
    for stream in (sys.__stderr__, sys.__stdout__):
        try:
            if stream is not None and stream.isatty():
                size = os.get_terminal_size(stream.fileno())
                return size.columns, size.lines
        except (OSError, ValueError):
            continue
    return None
