"""Benchmarks for the engine issue (and the synth / audio benches if present).

Usage: ``python bench/run.py [--only engine|synth|audio]`` (default: all).  Takes about two
minutes for the engine part; see ``bench/README.md`` for what each figure means.  Every process
runs with ``BLS_CONFIG_DIR`` / ``BLS_DATA_DIR`` in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # this checkout
from common import (
    BENCH,
    Row,
    Tmux,
    bench_env,
    best_lag,
    bls_script,
    cpu_seconds,
    cycle_numbers,
    fit_frequency,
    frame_intervals_ms,
    ideal_x,
    lags_per_second,
    load_average,
    measure,
    percentile,
    period_from_minima,
    print_table,
    running_frames,
    sample_screen,
    set_window,
    slope,
    verdict,
    wait_visible,
)
from cpu_rows import Round, cpu_rows, package_versions

HZ = 1.0
CYCLES = 60
RUN_S = 30.5  # headless set length before the pause
SIZE = (120, 40)
TOL_X = 1 / 200


# --------------------------------------------------------------------------- workers
def worker_bls(trace: Path, out: Path) -> None:
    """Headless `bls run` (the real app, real clock): idle, a 30 s set, then paused."""
    from bls_tui.config.presets import Preset, apply
    from bls_tui.services.runtime import RunOptions
    from bls_tui.ui.app import make_app

    preset = apply(Preset(), {"speed_hz": HZ, "cycles": CYCLES})
    app = make_app(RunOptions(preset=preset, trace=trace, audio="none"))
    result: dict[str, float] = {}

    async def window(seconds: float) -> float:
        c0, w0 = time.process_time(), time.monotonic()
        await asyncio.sleep(seconds)
        return (time.process_time() - c0) / (time.monotonic() - w0)

    async def auto(pilot: Any) -> None:
        await asyncio.sleep(1.0)
        result["idle"] = await window(5.0)
        await pilot.press("space")
        t_set = time.monotonic()
        await asyncio.sleep(1.0)
        result["running"] = await window(RUN_S - 2.0)
        await asyncio.sleep(max(0.0, t_set + RUN_S - time.monotonic()))
        await pilot.press("space")
        await asyncio.sleep(0.5)
        result["paused"] = await window(5.0)
        out.write_text(json.dumps(result))
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=auto)


def worker_dot(out: Path) -> None:
    """Headless minimal dot app: CPU over 10 s."""
    from minimal_dot import MinimalDot

    app = MinimalDot()

    async def auto(pilot: Any) -> None:
        await asyncio.sleep(2.0)
        c0, w0 = time.process_time(), time.monotonic()
        await asyncio.sleep(10.0)
        share = (time.process_time() - c0) / (time.monotonic() - w0)
        out.write_text(json.dumps({"running": share}))
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=auto)


def spawn_worker(kind: str, tmp: Path, *paths: Path) -> dict[str, float]:
    """Run a worker in a fresh interpreter and return what it measured."""
    out = tmp / f"{kind}.json"
    argv = [sys.executable, __file__, "--worker", kind, str(out), *map(str, paths)]
    subprocess.run(argv, env=bench_env(tmp), check=True, timeout=300, capture_output=True)
    result: dict[str, float] = json.loads(out.read_text())
    return result


# --------------------------------------------------------------------------- tmux scenarios
def tmux_launch(tmp: Path, n: int, *extra: str) -> tuple[float, float, float]:
    """Launch `bls run` in a 120x40 pane; medians in ms from spawn to the first frame event and
    to the first full screen seen by tmux, and the app's CPU ms by then (less load-dependent
    than wall time).  One throw-away run first, then ``n`` runs."""
    first, shown, cpu = [], [], []
    for i in range(n + 1):
        trace = tmp / f"launch{i}.jsonl"
        tmux = Tmux(f"launch{i}", bench_env(tmp), *SIZE)
        try:
            tmux.start()
            t0 = tmux.spawn([bls_script(), "run", "--fresh", *extra, "--trace", str(trace)])
            pid = tmux.pane_pid()
            visible = wait_visible(tmux)
            cpu_ms = cpu_seconds(pid) * 1e3
            time.sleep(0.3)
            tmux.send("q")
            tmux.wait_exit(pid)
        finally:
            tmux.stop()
        from bls_tui.stimulus.trace import read_trace

        t_frame = next(float(e["t"]) for e in read_trace(trace) if e["event"] == "frame")
        if i:
            first.append((t_frame - t0) * 1e3)
            shown.append((visible - t0) * 1e3)
            cpu.append(cpu_ms)
    return statistics.median(first), statistics.median(shown), statistics.median(cpu)


def tmux_bls(tmp: Path) -> tuple[dict[str, float], Path, list[tuple[float, float]]]:
    """`bls run` in a 120x40 tmux pane: CPU idle, running (10 s) and paused; then the dot as
    tmux shows it, sampled for 8 s (after the CPU window: sampling costs CPU)."""
    trace = tmp / "tmux.jsonl"
    tmux = Tmux("bls", bench_env(tmp), *SIZE)
    res: dict[str, float] = {}
    try:
        tmux.start()
        tmux.spawn(
            [bls_script(), "run", "--fresh", "--audio", "none", "--speed", str(HZ),
             "--cycles", str(CYCLES), "--trace", str(trace)]
        )  # fmt: skip
        pid, server = tmux.pane_pid(), tmux.server_pid()
        wait_visible(tmux)
        time.sleep(1.0)
        res["idle"] = measure(pid, server, 5.0)[0]
        tmux.send("space")
        time.sleep(1.0)
        res["running"], res["server"] = measure(pid, server, 10.0)
        samples = sample_screen(tmux, 8.0)
        tmux.send("space")
        time.sleep(0.5)
        res["paused"] = measure(pid, server, 5.0)[0]
        tmux.send("s")
        time.sleep(0.2)
        tmux.send("q")
        tmux.wait_exit(pid)
    finally:
        tmux.stop()
    return res, trace, samples


def tmux_dot(tmp: Path) -> dict[str, float]:
    """The minimal dot app in a 120x40 tmux pane: CPU over 10 s."""
    tmux = Tmux("dot", bench_env(tmp), *SIZE)
    try:
        tmux.start()
        tmux.spawn([sys.executable, str(BENCH / "minimal_dot.py")])
        pid, server = tmux.pane_pid(), tmux.server_pid()
        time.sleep(2.0)
        running, srv = measure(pid, server, 10.0)
        tmux.send("q")
        tmux.wait_exit(pid)
    finally:
        tmux.stop()
    return {"running": running, "server": srv}


def help_ms(tmp: Path, script: str, runs: int = 10) -> float:
    """Median wall ms of ``script --help`` (after one warm-up run)."""
    times = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        subprocess.run([script, "--help"], env=bench_env(tmp), check=True, capture_output=True)
        if i:
            times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


# --------------------------------------------------------------------------- figures
def motion_rows(events: list[dict[str, Any]], label: str, full: bool) -> list[Row]:
    """Timing figures from a trace: period (frames and engine edges), x error, frame gaps."""
    rows: list[Row] = []
    start, _ = set_window(events)
    frames = running_frames(events)
    gaps = frame_intervals_ms(frames)
    span = frames[-1][0] - frames[0][0]
    nominal = 1.0 / HZ
    if full:
        minima = period_from_minima(frames, start)
        numbers = cycle_numbers(minima)
        p_frames = slope(minima, numbers)
        err = (p_frames - nominal) / nominal * 100
        rows.append(
            (f"{label}: period from drawn frames ({len(minima)} left-edge minima, {span:.1f} s)",
             f"{p_frames * 1e3:.4f} ms ({err:+.4f} %)", "|err| <= 0.1 %", verdict(abs(err) <= 0.1))
        )  # fmt: skip
        worst = max(
            abs(b - a - nominal)
            for (a, b), (na, nb) in zip(
                itertools.pairwise(minima), itertools.pairwise(numbers), strict=True
            )
            if nb - na == 1
        )
        rows.append((f"{label}: worst single cycle from frames", f"{worst * 1e3:.3f} ms off",
                     "", "info"))  # fmt: skip
        f_fit = fit_frequency(frames, start, HZ)
        ferr = (1 / f_fit - nominal) / nominal * 100
        rows.append((f"{label}: period from least-squares phase fit", f"{1e3 / f_fit:.4f} ms "
                     f"({ferr:+.4f} %)", "|err| <= 0.1 %", verdict(abs(ferr) <= 0.1)))  # fmt: skip
        lefts = [float(e["t"]) for e in events if e["event"] == "edge" and e["k"] % 2 == 0]
        p_edges = slope(lefts)
        eerr = (p_edges - nominal) / nominal * 100
        rows.append((f"{label}: period from engine's scheduled edges ({len(lefts)} left)",
                     f"{p_edges * 1e3:.4f} ms ({eerr:+.6f} %)", "|err| <= 0.1 %",
                     verdict(abs(eerr) <= 0.1)))  # fmt: skip
    errs = [abs(x - ideal_x(t - start, HZ)) for t, x in frames]
    bad = sum(e > TOL_X for e in errs)
    rows.append((f"{label}: max |x - ideal| over {len(frames)} frames", f"{max(errs):.2e} "
                 f"({bad} over)", "<= 1/200 = 5.0e-03", verdict(bad == 0)))  # fmt: skip
    p99 = percentile(gaps, 99)
    gap_text = f"{percentile(gaps, 50):.1f} / {p99:.1f} / {max(gaps):.1f} ms"
    rows.append((f"{label}: frame interval p50 / p99 / max", gap_text, "p99 <= 25 ms",
                 verdict(p99 <= 25)))  # fmt: skip
    rows.append((f"{label}: frames per second while running", f"{len(gaps) / span:.1f}", "",
                 "info"))  # fmt: skip
    return rows


def screen_rows(samples: list[tuple[float, float]], t0: float) -> list[Row]:
    """Figures from the dot as read back from the tmux pane (independent of the trace)."""
    if len(samples) < 100:
        return [("tmux screen samples", f"only {len(samples)}", ">= 100", "FAIL")]
    f_fit = fit_frequency(samples, t0, HZ)
    nominal = 1.0 / HZ
    err = (1 / f_fit - nominal) / nominal * 100
    span = samples[-1][0] - samples[0][0]
    # lag: the delay of the ideal curve (nominal speed from set_start) that best fits
    lag = best_lag(samples, t0, HZ)
    per_s = lags_per_second(samples, t0, HZ)
    worst = max(abs(x - ideal_x(t - t0 - lag, HZ)) for t, x in samples)
    return [
        (f"tmux screen: period from phase fit ({len(samples)} captures, {span:.1f} s)",
         f"{1e3 / f_fit:.3f} ms ({err:+.3f} %)", "", "info"),
        ("tmux screen: dot shown behind ideal (render + capture lag)",
         f"{lag * 1e3:.1f} ms (per second {min(per_s) * 1e3:.1f}-{max(per_s) * 1e3:.1f})",
         "", "info"),
        ("tmux screen: max |x - ideal(t - lag)| (60 fps steps)", f"{worst:.4f}", "", "info"),
    ]  # fmt: skip


def engine_rows() -> list[Row]:
    """All engine-issue figures (about two minutes)."""
    from bls_tui.stimulus.trace import read_trace

    rows: list[Row] = []
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="blsbench-") as name:
        tmp = Path(name)
        trace = tmp / "headless.jsonl"
        hb = spawn_worker("bls", tmp, trace)
        hd = spawn_worker("dot", tmp)
        rows += motion_rows(read_trace(trace), "headless", full=True)
        tb, ttrace, samples = tmux_bls(tmp)
        td = tmux_dot(tmp)
        tevents = read_trace(ttrace)
        rows += motion_rows(tevents, "tmux 120x40", full=False)
        rows += screen_rows(samples, set_window(tevents)[0])
        rows += cpu_rows([(hb, hd, tb, td, str(load_start))])
        script = bls_script()
        h = help_ms(tmp, script)
        rows.append((f"`bls --help` wall, median of 10 ({script})", f"{h:.0f} ms", "<= 250 ms",
                     verdict(h <= 250)))  # fmt: skip
        import shutil

        on_path = shutil.which("bls", path=None)
        if on_path and Path(on_path).resolve() != Path(script).resolve():
            rows.append((f"`bls --help` via PATH ({on_path})", f"{help_ms(tmp, on_path):.0f} ms",
                         "", "info"))  # fmt: skip
        rows += launch_rows(tmp)
        rows.append(("1-min load average at start / end of these runs",
                     f"{load_start} / {load_average()}", "", "info"))  # fmt: skip
    return rows


LAUNCH_MS_MAX = 350.0


def launch_rows(tmp: Path) -> list[Row]:
    """Launch to the first frame, with sound (the default, `auto`) and without."""
    rows: list[Row] = []
    for extra in ((), ("--audio", "none")):
        first, shown, cpu = tmux_launch(tmp, 5, *extra)
        cmd = " ".join(("bls run --fresh", *extra))
        rows.append((f"`{cmd}`: launch -> first frame event (median of 5)", f"{first:.0f} ms",
                     f"<= {LAUNCH_MS_MAX:.0f} ms", verdict(first <= LAUNCH_MS_MAX)))  # fmt: skip
        rows.append((f"`{cmd}`: launch -> full screen in tmux (median of 5)",
                     f"{shown:.0f} ms", "", "info"))  # fmt: skip
        rows.append((f"`{cmd}`: CPU time used by then (median of 5)", f"{cpu:.0f} ms", "",
                     "info"))  # fmt: skip
    return rows


def start_rows(repeat: int = 1) -> list[Row]:
    """Only the launch and CPU figures (about 2 minutes, plus 1.5 per extra round of CPU
    pairs): `--only start [--repeat N]`."""
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="blsbench-") as name:
        tmp = Path(name)
        rounds: list[Round] = []
        for _ in range(repeat):
            load = str(load_average())
            hb = spawn_worker("bls", tmp, tmp / "headless.jsonl")
            hd = spawn_worker("dot", tmp)
            tb, _, _ = tmux_bls(tmp)
            td = tmux_dot(tmp)
            rounds.append((hb, hd, tb, td, load))
        rows = cpu_rows(rounds) + launch_rows(tmp)
    rows.append(("1-min load average at start / end of these runs",
                 f"{load_start} / {load_average()}", "", "info"))  # fmt: skip
    return rows


def module_rows(name: str) -> list[Row] | None:
    """Rows from ``bench/<name>.py``'s ``run()``; None (and one line printed) if it fails."""
    path = BENCH / f"{name}.py"
    if not path.exists():
        print(f"\n== {name} == skipped: {path.name} not present")
        return None
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return [(str(n), str(v), "", "info") for n, v in module.run()]
    except Exception as exc:  # one line, then the other benches go on
        print(f"\n== {name} == failed: {type(exc).__name__}: {exc}".splitlines()[0])
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("engine", "start", "synth", "audio"), default=None)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of CPU pairs (start)")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, out, *rest = args.worker
        if kind == "bls":
            worker_bls(Path(rest[0]), Path(out))
        else:
            worker_dot(Path(out))
        return 0
    print(f"python {sys.version.split()[0]}, speed {HZ} Hz, terminal {SIZE[0]}x{SIZE[1]}")
    print(f"interpreter {sys.executable} ({bls_script()}): {package_versions()}")
    for section in ("engine", "start", "synth", "audio"):
        if args.only != section and (args.only is not None or section == "start"):
            continue  # `start` is part of `engine`; alone only with --only start
        started = time.monotonic()
        if section in ("engine", "start"):
            try:
                rows: list[Row] | None = (
                    engine_rows() if section == "engine" else start_rows(args.repeat)
                )
            except Exception as exc:
                traceback.print_exc()
                print(f"\n== {section} == failed: {type(exc).__name__}: {exc}".splitlines()[0])
                rows = None
        else:
            rows = module_rows(section)
        if rows is not None:
            print_table(f"{section} ({time.monotonic() - started:.0f} s)", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
