"""Shared by the display-link tests: a state provider, a listener that remembers, a wait."""

from __future__ import annotations

import asyncio
from typing import Any

from bls_tui.display.wire import LinkState


class Holder:
    """A provider whose state the test changes."""

    def __init__(self) -> None:
        self.state = LinkState()

    def __call__(self, now: float) -> LinkState:
        return self.state


class Heard:
    """A LinkListener that remembers what it heard."""

    def __init__(self) -> None:
        self.states: list[LinkState] = []
        self.problems: list[tuple[str, bool]] = []
        self.closed = 0

    def link_state(self, state: LinkState, received_t: float, sent_t: float | None) -> None:
        self.states.append(state)

    def link_problem(self, text: str, fatal: bool) -> None:
        self.problems.append((text, fatal))

    def link_closed(self) -> None:
        self.closed += 1


async def until(cond: Any, timeout: float = 3.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        if loop.time() > end:
            raise AssertionError("condition never became true")
        await asyncio.sleep(0.01)
