"""Routing ALSA's default device to a file, for capture tests and benchmarks.

ALSA caches its configuration per process, so every capture runs in a *subprocess* whose
``ALSA_CONFIG_PATH``, ``HOME`` and ``XDG_CONFIG_HOME`` point at a temporary folder.  See
docs/audio-testing.md.  Run as a script, this module is that subprocess::

    python tests/alsa_capture.py set --backend miniaudio --out result.json [--speed ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SYSTEM_ALSA_CONF = "/usr/share/alsa/alsa.conf"

FILE_CONF = """pcm.!default {
    type file
    slave.pcm "null"
    file { @func getenv vars [ BLS_ALSA_OUT ] default "/tmp/bls_alsa_out.raw" }
    format "raw"
}
"""

FAILING_CONF = """pcm.!default {
    type hw
    card 97
}
"""


ENABLE_HINT = (
    "to run it: apt-get install libasound2 libasound2-data (and, for the simpleaudio backend, "
    "gcc libasound2-dev python3-dev && pip install -e '.[test,simpleaudio]')"
)
"""What to install for the ALSA tests (BLS_REQUIRE_AUDIO_TESTS=1 makes such a skip fail)."""


def capture_env(folder: Path, *, failing: bool = False) -> dict[str, str]:
    """Environment for a subprocess whose ALSA ``default`` writes raw frames to
    ``folder / "out.raw"`` (or, with ``failing``, cannot be opened at all)."""
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "asound.conf"
    conf.write_text(FAILING_CONF if failing else FILE_CONF, encoding="utf-8")
    (folder / ".asoundrc").write_text(conf.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "alsa").mkdir(exist_ok=True)
    (folder / "alsa" / "asoundrc").write_text(conf.read_text(encoding="utf-8"), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        ALSA_CONFIG_PATH=f"{SYSTEM_ALSA_CONF}:{conf}",
        HOME=str(folder),
        XDG_CONFIG_HOME=str(folder),
        BLS_ALSA_OUT=str(folder / "out.raw"),
        PULSE_SERVER="unix:/nonexistent",  # never reach a real sound server from a test
        PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[1] / "src"),
                                    env.get("PYTHONPATH", "")]),
    )  # fmt: skip
    return env


def read_capture(path: Path) -> Any:
    """Captured raw frames as an int16 ``(n, 2)`` array."""
    import numpy as np

    return np.fromfile(path, dtype="<i2").reshape(-1, 2)


def run_script(
    folder: Path, *args: str, failing: bool = False, timeout: float = 60
) -> dict[str, Any]:
    """Run this module as a subprocess in ``folder``; return its JSON result."""
    out = folder / "result.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), *args, "--out", str(out)]
    proc = subprocess.run(
        cmd, env=capture_env(folder, failing=failing), capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"capture script failed ({proc.returncode}): {proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["stderr"] = proc.stderr
    return result


def probe(folder: Path, backend: str) -> str | None:
    """``None`` if ``backend`` opens the file-routed default device, else the reason."""
    try:
        res = run_script(folder, "probe", "--backend", backend, timeout=30)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    reason: str | None = res.get("reason")
    return reason


# ---------------------------------------------------------------------- subprocess side
def _probe(args: argparse.Namespace) -> dict[str, Any]:
    from bls_tui.sound.backends.select import open_backend

    opened = open_backend(args.backend)
    if opened.backend is not None:
        opened.backend.close()
    return {"reason": opened.reason}


def _play_set(args: argparse.Namespace) -> dict[str, Any]:
    """Play one set through a real backend, driving the engine like the UI does (60 fps)."""
    from bls_tui.sound.backends.select import open_backend
    from bls_tui.sound.controller import SoundController
    from bls_tui.sound.tones import ToneParams
    from bls_tui.stimulus.clock import MonotonicClock
    from bls_tui.stimulus.engine import Engine, MotionPlan

    clock = MonotonicClock()
    engine = Engine(MotionPlan(speed_hz=args.speed, cycles=args.cycles), clock)
    opened = open_backend(args.backend)
    if opened.backend is None:
        return {"reason": opened.reason}
    params = ToneParams(tone=args.tone, burst_ms=args.burst_ms, volume_pct=args.volume,
                        follow=args.follow)  # fmt: skip
    ctl = SoundController(engine, clock, params, backend=opened.backend)
    events: list[dict[str, Any]] = []
    engine.listeners.append(ctl.on_event)
    engine.listeners.append(lambda e: events.append({"event": e.kind, "t": e.t, **e.data}))
    records: list[dict[str, Any]] = []
    frame_gaps: list[float] = []
    t_begin = clock.now()
    engine.start_set(t_begin)
    last = time.perf_counter()
    stopped = False
    speed_changed = False
    while engine.in_set:
        time.sleep(1 / 60)
        now = clock.now()
        gap = time.perf_counter() - last
        last = time.perf_counter()
        frame_gaps.append(gap)
        engine.poll(now)
        ctl.sync(now)
        records.extend(ctl.take_records())
        if args.speed_to and not speed_changed and now - t_begin >= args.speed_at:
            engine.set_speed(args.speed_to, now)
            speed_changed = True
        if args.stop_at and not stopped and now - t_begin >= args.stop_at:
            engine.stop_signal(now)
            stopped = True
    time.sleep(args.tail)
    ctl.wait_idle()
    records.extend(ctl.take_records())
    ctl.close()
    records.extend(ctl.take_records())
    return {
        "reason": None,
        "backend": opened.backend.name,
        "events": events,
        "records": records,
        "frame_gaps": frame_gaps,
        "lost": ctl.lost_reason,
        "params": {"tone": params.tone, "freq_hz": params.freq_hz, "burst_ms": params.burst_ms,
                   "volume_pct": params.volume_pct, "follow": params.follow},
    }  # fmt: skip


def _app(args: argparse.Namespace) -> dict[str, Any]:
    """Run the real app headless for one short set with sound; return its trace and notices."""
    import asyncio

    from bls_tui.config.presets import Preset
    from bls_tui.services.runtime import RunOptions
    from bls_tui.stimulus.trace import read_trace
    from bls_tui.ui.app import make_app

    trace = Path(args.out).with_name("trace.jsonl")
    preset = Preset(speed_hz=args.speed, cycles=args.cycles, volume_pct=args.volume)
    app = make_app(RunOptions(preset=preset, trace=trace, audio=args.backend))
    result: dict[str, Any] = {}

    async def drive() -> None:
        async with app.run_test(headless=True, size=(100, 30)) as pilot:
            await pilot.pause(0.2)
            await app.wait_for_sound()
            await pilot.press("space")
            deadline = time.monotonic() + 30
            while app.runtime.engine.in_set and time.monotonic() < deadline:
                await pilot.pause(0.05)
            await pilot.pause(args.tail)
            result["label"] = app.runtime.sound.label()
            result["screen"] = _screen_text(app)
            result["lost"] = app.runtime.sound.lost_reason
            await pilot.press("q")

    asyncio.run(drive())
    result["trace"] = read_trace(trace)
    return result


def _screen_text(app: Any) -> str:
    """All text currently shown by Static-like widgets of the active screen."""
    parts = []
    for widget in app.screen.query("*"):
        render = getattr(widget, "render", None)
        try:
            content = render() if callable(render) else None
        except Exception:
            continue
        plain = getattr(content, "plain", None)
        if isinstance(plain, str):
            parts.append(plain)
        elif isinstance(content, str):
            parts.append(content)
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Subprocess entry point."""
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("probe", "set", "app"))
    ap.add_argument("--backend", default="miniaudio")
    ap.add_argument("--out", required=True)
    ap.add_argument("--speed", type=float, default=2.0)
    ap.add_argument("--cycles", type=int, default=2)
    ap.add_argument("--tone", default="sine")
    ap.add_argument("--burst-ms", type=float, default=80.0)
    ap.add_argument("--volume", type=int, default=100)
    ap.add_argument("--follow", action="store_true")
    ap.add_argument("--stop-at", type=float, default=0.0)
    ap.add_argument("--speed-at", type=float, default=0.0)
    ap.add_argument("--speed-to", type=float, default=0.0)
    ap.add_argument("--tail", type=float, default=0.3)
    args = ap.parse_args(argv)
    fn = {"probe": _probe, "set": _play_set, "app": _app}[args.what]
    result = fn(args)
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
