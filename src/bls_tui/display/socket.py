"""Where the client-display socket lives, and the checks that keep it private.

The socket is ``display.sock`` in a folder only this user can enter (0700), the socket itself
0600: another user on the machine can neither attach a display nor replace the socket.
Folder choice: ``BLS_RUNTIME_DIR`` if set; else ``<data dir>/run`` when ``BLS_DATA_DIR`` is set
(tests, portable installs); else the platform's runtime folder (``$XDG_RUNTIME_DIR/bls-tui``
on Linux, which the system clears at logout); else ``<data dir>/run``.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import sys
from pathlib import Path

from bls_tui.safety.paths import APP_NAME, data_dir, ensure_private_dir

SOCKET_NAME = "display.sock"
MAX_SOCKET_PATH = 100
"""``sun_path`` holds 104-108 bytes depending on the system; stay safely below."""


class LinkError(Exception):
    """The display link cannot be used; ``str(exc)`` is one line naming the problem."""


def runtime_dir() -> Path:
    """The private folder of the display socket (see the module docstring)."""
    override = os.environ.get("BLS_RUNTIME_DIR")
    if override:
        return Path(override)
    if os.environ.get("BLS_DATA_DIR"):
        return data_dir() / "run"
    if sys.platform == "darwin":
        from platformdirs import user_runtime_path

        return user_runtime_path(APP_NAME, appauthor=False)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and sys.platform.startswith("linux"):
        return Path(xdg) / APP_NAME
    return data_dir() / "run"


def socket_path() -> Path:
    """Full path of the display socket."""
    return runtime_dir() / SOCKET_NAME


def check_private_dir(folder: Path) -> None:
    """Refuse a folder that is a symlink, not ours, or open to others (one-line LinkError)."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        raise LinkError(f"{folder}: the display folder does not exist") from None
    except OSError as exc:
        raise LinkError(f"{folder}: cannot read the display folder ({exc.strerror})") from None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise LinkError(f"{folder}: the display folder is not a plain folder; refusing it")
    if st.st_uid != os.getuid():
        raise LinkError(
            f"{folder}: the display folder belongs to another user (uid {st.st_uid}); refusing it"
        )
    if stat.S_IMODE(st.st_mode) & 0o077:
        raise LinkError(
            f"{folder}: the display folder is open to others "
            f"({oct(stat.S_IMODE(st.st_mode))}, must be 0700); refusing it"
        )


def prepare_dir(folder: Path) -> Path:
    """Create the folder 0700 if missing, then check it; returns the socket path."""
    if not folder.exists() and not folder.is_symlink():
        try:
            ensure_private_dir(folder)
        except OSError as exc:
            raise LinkError(
                f"{folder}: cannot create the display folder ({exc.strerror})"
            ) from None
    check_private_dir(folder)
    path = folder / SOCKET_NAME
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise LinkError(
            f"{path}: path too long for a socket; set BLS_RUNTIME_DIR to a short folder"
        )
    return path


def check_socket_file(path: Path) -> None:
    """Refuse a socket path that is not a socket of ours (one-line LinkError)."""
    st = os.lstat(path)
    if not stat.S_ISSOCK(st.st_mode):
        raise LinkError(f"{path}: exists and is not a socket; refusing to replace it")
    if st.st_uid != os.getuid():
        raise LinkError(
            f"{path}: the socket belongs to another user (uid {st.st_uid}); refusing it"
        )


def clear_stale(path: Path) -> bool:
    """Remove a socket left by a bls that died; True if one was removed.

    Raises:
        LinkError: The path is not our socket, or a running bls already listens on it.
    """
    try:
        check_socket_file(path)
    except FileNotFoundError:
        return False
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(0.5)
    try:
        probe.connect(str(path))
    except OSError as exc:
        if exc.errno not in (errno.ECONNREFUSED, errno.ENOENT):
            raise LinkError(f"{path}: cannot check the old socket ({exc.strerror})") from None
    else:
        raise LinkError("another bls on this machine already serves the client display")
    finally:
        probe.close()
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise LinkError(f"{path}: cannot remove the stale socket ({exc.strerror})") from None
    return True


NOT_RUNNING = "no bls is running on this machine (start `bls run` or `bls session`)"


def socket_problem(path: Path) -> str | None:
    """``None`` if ``path`` is a private socket of ours, else one line saying why not to use it."""
    try:
        check_private_dir(path.parent)
        check_socket_file(path)
    except FileNotFoundError:
        return NOT_RUNNING
    except LinkError as exc:
        return NOT_RUNNING if "does not exist" in str(exc) else str(exc)
    return None


def probe(path: Path) -> str | None:
    """``None`` if a bls listens at ``path``, else one line saying why a display cannot attach."""
    problem = socket_problem(path)
    if problem is not None:
        return problem
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(1.0)
    try:
        sock.connect(str(path))
    except OSError as exc:
        if exc.errno in (errno.ECONNREFUSED, errno.ENOENT):
            return NOT_RUNNING
        return f"{path}: cannot attach ({exc.strerror or exc})"
    finally:
        sock.close()
    return None
