"""Network guard for the test suite: any attempt to reach the network is an error.

An audit hook (PEP 578) sees ``socket.connect``, ``socket.bind``, ``socket.sendto``,
``socket.sendmsg`` and name look-ups (``socket.getaddrinfo``, ``socket.gethostbyname``...).
Local ``AF_UNIX`` sockets (asyncio's self-pipe is a ``socketpair``, which raises no event at
all) are allowed; everything else is recorded and refused with :class:`NetworkUseError`.
Audit hooks cannot be removed, so the hook only acts while :data:`state` says it is active.

Loaded in-process by ``tests/conftest.py`` and, through ``sitecustomize``, in every Python
child process the tests start (violations are appended to ``$BLS_NETGUARD_LOG``).
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

SOCKET_EVENTS = ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg")
LOOKUP_EVENTS = (
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
)


class NetworkUseError(RuntimeError):
    """A code path tried to use the network during the tests."""


class _State:
    active = False
    installed = False
    violations: list[str] = []


state = _State()


def describe(event: str, args: tuple[Any, ...]) -> str | None:
    """What is wrong with this audit event, or None if it is allowed."""
    if event in SOCKET_EVENTS:
        sock = args[0] if args else None
        family = getattr(sock, "family", None)
        if family == socket.AF_UNIX:
            return None
        address = args[1] if len(args) > 1 else "?"
        return f"{event} family={family!r} address={address!r}"
    if event in LOOKUP_EVENTS:
        return f"{event} {args[:2]!r}"
    return None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not state.active or not event.startswith("socket."):
        return
    problem = describe(event, args)
    if problem is None:
        return
    message = f"network use in pid {os.getpid()}: {problem}"
    state.violations.append(message)
    log = os.environ.get("BLS_NETGUARD_LOG")
    if log:
        try:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(message + "\n")
        except OSError:
            pass
    raise NetworkUseError(message)


def install(active: bool = True) -> None:
    """Install the hook once per process."""
    if not state.installed:
        sys.addaudithook(_hook)
        state.installed = True
    state.active = active
