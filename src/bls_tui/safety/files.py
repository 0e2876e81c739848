"""Reading our own input files, and choosing export targets, without surprises.

Config, preset and WAV files are read only from regular files and only up to a size limit: a
symlink to ``/dev/zero`` must not read until memory runs out, a FIFO must not hang the
program, and a device is never opened for writing.  The file is opened non-blocking (a FIFO
opens at once) and checked with ``fstat`` on the open descriptor, so it cannot be swapped
between the check and the read.
"""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

import os
import stat
from pathlib import Path

MAX_TEXT_FILE = 256 * 1024
"""Config and preset files: far more than any real one (a few hundred bytes)."""
MAX_WAV_FILE = 64 * 1024 * 1024
"""A WAV tone: the longest accepted sound at the highest rate and width fits easily."""


class UnsafeFileError(OSError):
    """The path is not a regular file, or is larger than allowed (one line, ready to show)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Raises:
        FileNotFoundError: it does not exist.
        UnsafeFileError: a folder, device, FIFO or socket (also behind a symlink), or too big.
        OSError: it cannot be read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFileError(f"{path} is {_kind(st.st_mode)}, not a regular file; not read")
        if st.st_size > limit:
            raise UnsafeFileError(f"{path} is {st.st_size:,} bytes; the limit is {limit:,}")
        os.set_blocking(fd, True)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:  # grew while we read it
                raise UnsafeFileError(f"{path} is larger than the limit of {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_regular_text(path: Path, limit: int = MAX_TEXT_FILE) -> str:
    """:func:`read_regular` decoded as UTF-8 (``UnicodeDecodeError`` if it is not)."""
    return read_regular(path, limit).decode("utf-8")


def check_regular_target(path: Path) -> None:
    """Refuse to write over anything that exists and is not a plain regular file.

    A symlink (to a device, or anywhere), a FIFO, a device or a socket at ``path`` raises
    :class:`UnsafeFileError`: an export must never replace ``/dev/null`` or follow a link.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeFileError(f"{path} is a symbolic link; not replaced (choose another name)")
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(f"{path} is {_kind(st.st_mode)}; not replaced (choose a file name)")


class TooDeepError(tomllib.TOMLDecodeError):  # type: ignore[misc]  # tomli (3.10) is untyped here
    """Arrays or tables nested deeper than the parser can follow (a bad TOML file like any other).

    Built as a plain ``ValueError`` with one message: ``TOMLDecodeError``'s own constructor
    wants (msg, doc, pos) from Python 3.14 and tomli 2.1 and warns about a message alone.
    """

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)


def parse_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads``, with nesting too deep for the parser reported like any other bad TOML.

    Raises:
        tomllib.TOMLDecodeError: not valid TOML, or arrays/tables nested too deeply.
    """
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except RecursionError:
        raise TooDeepError("arrays or tables nested too deeply") from None
    return data
