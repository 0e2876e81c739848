"""The CPU figures of ``bench/run.py``: bls against ``minimal_dot.py``, in one or more rounds.

Each round measures, one after the other, headless bls, headless minimal_dot, bls in tmux and
minimal_dot in tmux, so the two apps of a pair run under nearly the same load.  With
``--repeat N`` (``python bench/run.py --only start --repeat 3``) the rounds' ratios are all
printed, each with the 1-minute load average at its start, and the verdict is on their median:
on a shared 2-core machine one pair's ratio moves by about ±0.07 with the load.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from common import Row, verdict

CPU_RATIO_MAX = 0.6

Round = tuple[dict[str, float], dict[str, float], dict[str, float], dict[str, float], str]
"""(headless bls, headless minimal, tmux bls, tmux minimal, load average at the round's start)."""


def pct(share: float) -> str:
    return f"{share * 100:.2f} % of a core"


def ratio(bls: dict[str, float], dot: dict[str, float]) -> float:
    """bls's CPU share while a set runs over minimal_dot's."""
    return bls["running"] / dot["running"] if dot["running"] > 0 else math.inf


def _pair(r: Round, tmux: bool) -> tuple[dict[str, float], dict[str, float]]:
    return (r[2], r[3]) if tmux else (r[0], r[1])


def cpu_rows(rounds: Sequence[Round]) -> list[Row]:
    """Rows for one round (as before) or several (each ratio, then the median's verdict)."""
    rows: list[Row] = []
    for where, tmux in (("headless", False), ("tmux 120x40", True)):
        ratios = [ratio(*_pair(r, tmux)) for r in rounds]
        if len(rounds) == 1:
            b, d = _pair(rounds[0], tmux)
            rows += [
                (f"{where}: CPU, set running, bls", pct(b["running"]), "", "info"),
                (f"{where}: CPU, minimal_dot.py", pct(d["running"]), "", "info"),
            ]
        else:
            for n, (r, value) in enumerate(zip(rounds, ratios, strict=True), 1):
                b, d = _pair(r, tmux)
                rows.append((f"{where}: round {n} (load {r[4]}): bls / minimal",
                             f"{pct(b['running'])} / {pct(d['running'])} = {value:.2f}",
                             "", "info"))  # fmt: skip
        median = statistics.median(ratios)
        label = "CPU ratio bls / minimal"
        if len(rounds) > 1:
            label += f" (median of {len(rounds)} rounds)"
        rows.append((f"{where}: {label}", f"{median:.2f}", f"<= {CPU_RATIO_MAX}",
                     verdict(median <= CPU_RATIO_MAX)))  # fmt: skip
        b = _pair(rounds[-1], tmux)[0]
        rows += [
            (f"{where}: CPU, paused", pct(b["paused"]), "<= 1 %", verdict(b["paused"] <= 0.01)),
            (f"{where}: CPU, idle before any set", pct(b["idle"]), "<= 1 %",
             verdict(b["idle"] <= 0.01)),
        ]  # fmt: skip
    tb, td = _pair(rounds[-1], True)
    rows += [
        ("tmux server CPU while bls runs", pct(tb["server"]), "", "info"),
        ("tmux server CPU while minimal_dot runs", pct(td["server"]), "", "info"),
    ]
    return rows


def package_versions() -> str:
    """Versions of the libraries in the launch path, as installed for this interpreter."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("textual", "typer", "pydantic"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"no {name}")
    return ", ".join(found)
