"""Shared helpers for the benchmarks: CPU readings, a private tmux server, small statistics.

Nothing here touches the real home: :func:`bench_env` points ``BLS_CONFIG_DIR`` and
``BLS_DATA_DIR`` at a temporary directory, and every tmux call uses a private socket.
"""

from __future__ import annotations

import itertools
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")

Row = tuple[str, str, str, str]
"""``(name, value, target, result)``; result is PASS, FAIL or info."""


def bench_env(tmp: Path) -> dict[str, str]:
    """The environment for every benchmarked process: config and data in ``tmp``."""
    env = dict(os.environ)
    env["BLS_CONFIG_DIR"] = str(tmp / "config")
    env["BLS_DATA_DIR"] = str(tmp / "data")
    env.pop("TMUX", None)
    # Compiled bytecode as on a normal install, kept out of the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    # this checkout's code, whatever copy of bls-tui is installed
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p)
    return env


def bls_script() -> str:
    """The installed ``bls`` console script (next to this interpreter, else on PATH)."""
    beside = Path(sys.executable).parent / "bls"
    if beside.exists():
        return str(beside)
    found = shutil.which("bls")
    if found is None:
        raise RuntimeError("the `bls` console script is not installed (pip install -e .)")
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all threads), from /proc (10 ms ticks)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def cpu_share(pid: int, seconds: float) -> float:
    """CPU seconds per wall second used by ``pid`` over the next ``seconds``."""
    c0, w0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    c1, w1 = cpu_seconds(pid), time.monotonic()
    return (c1 - c0) / (w1 - w0)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation."""
    if not values:
        return math.nan
    data = sorted(values)
    pos = (len(data) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


class Tmux:
    """A private tmux server (own socket, no user config) with one session of a fixed size."""

    def __init__(self, name: str, env: Mapping[str, str], width: int = 120, height: int = 40):
        self.socket = f"blsbench-{os.getpid()}-{name}"
        self.env = dict(env)
        self.width, self.height = width, height
        self.session = "bench"
        self.started = False
        self.socket_path = ""

    def _tmux(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout

    def start(self) -> None:
        """Start the server with an idle placeholder pane of the chosen size."""
        self._tmux(
            "new-session", "-d", "-s", self.session,
            "-x", str(self.width), "-y", str(self.height), "sleep 3600",
        )  # fmt: skip
        self._tmux("set-option", "-g", "remain-on-exit", "off")
        self.socket_path = self._tmux("display-message", "-p", "#{socket_path}").strip()
        self.started = True

    def spawn(self, argv: Sequence[str]) -> float:
        """Replace the pane's process by ``argv``; returns ``time.monotonic()`` just before.

        ``exec env ...`` keeps the pane's pid the benchmarked process's pid.
        """
        keys = ("BLS_CONFIG_DIR", "BLS_DATA_DIR", "PYTHONPYCACHEPREFIX", "PYTHONPATH")
        assigns = [f"{k}={self.env[k]}" for k in keys if k in self.env]
        words = ["exec", "env", "-u", "PYTHONDONTWRITEBYTECODE", *assigns, *argv]
        command = " ".join(shlex.quote(w) for w in words)
        t0 = time.monotonic()
        self._tmux("respawn-pane", "-k", "-t", self.session, command)
        return t0

    def pane_pid(self) -> int:
        """Pid of the process in the pane."""
        return int(self._tmux("display-message", "-p", "-t", self.session, "#{pane_pid}"))

    def server_pid(self) -> int:
        """Pid of the tmux server (it does the terminal emulation)."""
        return int(self._tmux("display-message", "-p", "-t", self.session, "#{pid}"))

    def send(self, *keys: str) -> None:
        """Send keys to the pane."""
        self._tmux("send-keys", "-t", self.session, *keys)

    def capture(self) -> str:
        """The pane's visible text."""
        return self._tmux("capture-pane", "-p", "-t", self.session)

    def wait_exit(self, pid: int, timeout: float = 5.0) -> bool:
        """Wait until ``pid`` is gone; True if it exited in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not Path(f"/proc/{pid}").exists():
                return True
            try:
                state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
            except OSError:
                return True
            if state == "Z":
                return True
            time.sleep(0.02)
        return False

    def stop(self) -> None:
        """Kill this private server (only ours: it is addressed by its own socket)."""
        if self.started:
            subprocess.run(
                ["tmux", "-L", self.socket, "kill-server"],
                env=self.env,
                capture_output=True,
                check=False,
            )
            self.started = False
            Path(self.socket_path).unlink(missing_ok=True)


def wait_visible(tmux: Tmux, timeout: float = 5.0) -> float:
    """Poll the pane until the status line and the dot are on screen; monotonic time then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = tmux.capture()
        if "sweeps 0/" in screen and "█" in screen:
            return time.monotonic()
        time.sleep(0.005)
    return math.nan


def measure(pid: int, server: int, seconds: float) -> tuple[float, float]:
    """CPU seconds per wall second of ``pid`` and of the tmux server over ``seconds``."""
    c0, s0, w0 = cpu_seconds(pid), cpu_seconds(server), time.monotonic()
    time.sleep(seconds)
    c1, s1, w1 = cpu_seconds(pid), cpu_seconds(server), time.monotonic()
    return (c1 - c0) / (w1 - w0), (s1 - s0) / (w1 - w0)


def print_table(title: str, rows: Sequence[Row]) -> None:
    """Print rows as an aligned table."""
    headers = ("figure", "value", "target", "result")
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(f"\n== {title} ==")
    print(line.format(*headers))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))


# --------------------------------------------------------------------------- trace analysis
def set_window(events: Sequence[Mapping[str, object]]) -> tuple[float, float]:
    """``(start, end)`` clock times of the first set's running stretch (start to pause/end)."""
    start = next(float(e["t"]) for e in events if e["event"] == "set_start")  # type: ignore[arg-type]
    ends = [
        float(e["t"])  # type: ignore[arg-type]
        for e in events
        if e["event"] in ("pause", "stop", "set_end") and float(e["t"]) >= start  # type: ignore[arg-type]
    ]
    return start, min(ends) if ends else math.inf


def running_frames(events: Sequence[Mapping[str, object]]) -> list[tuple[float, float]]:
    """``(t, x)`` of every frame of set 1 from its start up to (excluding) the pause."""
    start, end = set_window(events)
    return [
        (float(e["t"]), float(e["x"]))  # type: ignore[arg-type]
        for e in events
        if e["event"] == "frame" and e.get("set") == 1 and start <= float(e["t"]) < end  # type: ignore[arg-type]
    ]


def frame_intervals_ms(frames: Sequence[tuple[float, float]]) -> list[float]:
    """Gaps between successive frames, in ms."""
    return [(b[0] - a[0]) * 1e3 for a, b in itertools.pairwise(frames)]


def ideal_x(t_rel: float, hz: float) -> float:
    """Horizontal sine profile, computed here independently of the engine."""
    return (1.0 - math.cos(2.0 * math.pi * hz * t_rel)) / 2.0


def period_from_minima(frames: Sequence[tuple[float, float]], t0: float) -> list[float]:
    """Times of the left-edge minima of the drawn x, each the vertex of a parabola fitted to
    the frames within 60 ms of the lowest frame (needs two frames on each side)."""
    import numpy as np

    t = np.array([f[0] - t0 for f in frames])
    x = np.array([f[1] for f in frames])
    vertices: list[float] = []
    last = -1
    for i in range(1, len(x) - 1):
        if x[i] <= x[i - 1] and x[i] <= x[i + 1] and x[i] < 0.05 and i > last + 2:
            near = np.abs(t - t[i]) <= 0.06
            if (near[:i].sum() < 2) or (near[i + 1 :].sum() < 2):
                continue
            a, b, _ = np.polyfit(t[near] - t[i], x[near], 2)
            vertices.append(float(t[i] - b / (2 * a)) + t0)
            last = i
    return vertices


def fit_frequency(frames: Sequence[tuple[float, float]], t0: float, hz: float) -> float:
    """Least-squares fit of ``x = (1 - cos 2pi(f t + c)) / 2`` to the frames (Gauss-Newton)."""
    import numpy as np

    t = np.array([f[0] - t0 for f in frames])
    x = np.array([f[1] for f in frames])
    f, c = hz, 0.0
    for _ in range(20):
        theta = 2 * np.pi * (f * t + c)
        r = x - (1 - np.cos(theta)) / 2
        jac = np.stack([np.pi * t * np.sin(theta), np.pi * np.sin(theta)], axis=1)
        step, *_ = np.linalg.lstsq(jac, r, rcond=None)
        f, c = f + float(step[0]), c + float(step[1])
        if abs(step[0]) < 1e-13:
            break
    return f


def cycle_numbers(times: Sequence[float]) -> list[int]:
    """Cycle number of each minimum, counted from the first: gaps are rounded to whole
    multiples of the median gap, so a missed minimum does not shift the count."""
    gaps = [b - a for a, b in itertools.pairwise(times)]
    typical = statistics.median(gaps)
    numbers = [0]
    for gap in gaps:
        numbers.append(numbers[-1] + max(1, round(gap / typical)))
    return numbers


def slope(times: Sequence[float], numbers: Sequence[int] | None = None) -> float:
    """Least-squares slope of ``times`` against their cycle numbers (the mean period)."""
    import numpy as np

    xs = np.arange(len(times)) if numbers is None else np.array(numbers)
    return float(np.polyfit(xs, np.array(times), 1)[0])


def load_average() -> str:
    """The 1-minute load average (other work on the machine skews every figure)."""
    return Path("/proc/loadavg").read_text().split()[0]


LEFT_EIGHTHS = " ▏▎▍▌▋▊▉█"


def dot_x_on_screen(screen: str, width: int, dot_w: int = 4) -> float | None:
    """Normalised x of a horizontal dot read back from a captured pane, or None.

    The dot's first cell is either a full block or a partial left-eighths block drawn in the
    background colour over the dot's colour (index e = e/8 of the cell is background); see
    ``bls_tui.stimulus.raster``.  Resolution 1/8 of a cell.
    """
    for line in screen.splitlines():
        for col, ch in enumerate(line):
            if ch in LEFT_EIGHTHS[1:]:
                start = col + (0 if ch == "█" else LEFT_EIGHTHS.index(ch)) / 8
                return start / (width - dot_w)
    return None


def sample_screen(tmux: Tmux, seconds: float) -> list[tuple[float, float]]:
    """``(t, x)`` of the dot as tmux shows it, sampled as fast as capture-pane allows; t is the
    midpoint of the capture call on this process's monotonic clock."""
    out: list[tuple[float, float]] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t_a = time.monotonic()
        screen = tmux.capture()
        t_b = time.monotonic()
        x = dot_x_on_screen(screen, tmux.width)
        if x is not None:
            out.append(((t_a + t_b) / 2, x))
    return out


def best_lag(samples: Sequence[tuple[float, float]], t0: float, hz: float) -> float:
    """Delay (0-100 ms, 0.5 ms grid) of the ideal curve that best fits ``samples``."""
    import numpy as np

    t = np.array([s[0] - t0 for s in samples])[None, :]
    x = np.array([s[1] for s in samples])[None, :]
    lags = np.arange(0.0, 0.1, 0.0005)[:, None]
    sq = ((x - (1 - np.cos(2 * np.pi * hz * (t - lags))) / 2) ** 2).sum(axis=1)
    return float(lags[int(np.argmin(sq)), 0])


def lags_per_second(samples: Sequence[tuple[float, float]], t0: float, hz: float) -> list[float]:
    """:func:`best_lag` of each whole second of ``samples``."""
    out: list[float] = []
    start = samples[0][0]
    while True:
        chunk = [s for s in samples if start <= s[0] < start + 1.0]
        if len(chunk) < 20:
            return out
        out.append(best_lag(chunk, t0, hz))
        start += 1.0
