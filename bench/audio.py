"""Benchmark sound output through the real stack (real backend, ALSA default routed to a file).

Run as a script (``python bench/audio.py``) or call :func:`run` (``bench/run.py`` does).

What is measured, and how:

* Frame intervals around set start with sound on: the headless app (Textual ``run_test``,
  miniaudio, 60 fps) plays one set; intervals between consecutive ``frame`` records of its
  ``--trace`` in the first second after ``set_start`` (p99 and max; target max <= 50 ms).
* Tone onset versus dot edge: onsets are found in the captured audio (first non-zero sample of
  each burst on its channel) and put on the clock with the trace's ``stream_start`` record
  (``t + frame / rate``); compared with the engine's ``edge`` times (target within 5 ms).
  This checks the schedule and the stream's frame-to-clock mapping; ALSA's null sink is not a
  loudspeaker, so converter/DAC delay is not in it (that is what ``--audio-latency-ms`` is for).
* Stop signal to silence: last non-zero captured frame after a stop inside a 300 ms burst.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

import alsa_capture as ac  # noqa: E402

RATE = 48000


def _onset_errors_ms(
    records: list[dict[str, Any]], edges: list[dict[str, Any]], cap: Any
) -> list[float]:
    import numpy as np

    starts = [r for r in records if r["event"] == "stream_start"]
    ss = starts[-1]
    tones = [r for r in records if r["event"] == "tone" and r["stream"] == ss["stream"]]
    errors = []
    for r, e in zip(tones, edges, strict=False):
        ch = 0 if r["side"] == "left" else 1
        lo = max(0, r["frame"] - RATE // 20)
        nz = np.flatnonzero(cap[lo : r["frame"] + RATE // 20, ch])
        if len(nz) == 0:
            continue
        heard = ss["t"] + (lo + nz[0]) / RATE
        errors.append((heard - e["t"]) * 1000.0)
    return errors


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def run() -> list[tuple[str, str]]:
    """All audio figures as ``(name, value)`` rows."""
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        reason = ac.probe(tmp / "probe", "miniaudio")
        if reason is not None:
            return [("audio benchmarks", f"skipped: miniaudio cannot play here ({reason})")]
        # 1-2: the app itself, sound on
        res = ac.run_script(tmp / "app", "app", "--backend", "miniaudio", "--speed", "1",
                            "--cycles", "4", "--volume", "60")  # fmt: skip
        trace = res["trace"]
        t0 = next(e["t"] for e in trace if e["event"] == "set_start")
        frames = [e["t"] for e in trace if e["event"] == "frame" and t0 <= e["t"] <= t0 + 1.0]
        gaps = [(b - a) * 1000.0 for a, b in itertools.pairwise(frames)]
        rows.append(("frame interval p99, 1st s of set, sound on (ms)", f"{_pct(gaps, 0.99):.1f}"))
        rows.append(("frame interval max, 1st s of set, sound on (ms; target <= 50)",
                     f"{max(gaps):.1f}"))  # fmt: skip
        cap = ac.read_capture(tmp / "app" / "out.raw")
        edges = [e for e in trace if e["event"] == "edge"]
        errs = _onset_errors_ms(trace, edges, cap)
        rows.append(("app (miniaudio): tone onset - dot edge, max |ms| (target <= 5)",
                     f"{max(abs(x) for x in errs):.3f} over {len(errs)} tones"))  # fmt: skip
        dot = []
        for e in edges:
            x_edge = 1.0 if e["side"] == "right" else 0.0
            hit = next((f["t"] for f in trace if f["event"] == "frame" and f["t"] >= e["t"]
                        and abs(f["x"] - x_edge) < 0.01), None)  # fmt: skip
            if hit is not None:
                dot.append((hit - e["t"]) * 1000.0)
        if dot:
            rows.append(("app: first drawn frame at the edge - edge time, median ms",
                         f"{statistics.median(dot):.1f}"))  # fmt: skip
        # 3: simpleaudio, same comparison from a scripted set
        if ac.probe(tmp / "probe_sa", "simpleaudio") is None:
            sa = ac.run_script(tmp / "sa", "set", "--backend", "simpleaudio", "--cycles", "3")
            cap_sa = ac.read_capture(tmp / "sa" / "out.raw")
            edges_sa = [e for e in sa["events"] if e["event"] == "edge"]
            errs_sa = _onset_errors_ms(sa["records"], edges_sa, cap_sa)
            worst = max(abs(x) for x in errs_sa)
            rows.append(("simpleaudio: tone onset - dot edge, max |ms| (target <= 5)",
                         f"{worst:.3f} over {len(errs_sa)} tones"))  # fmt: skip
        else:
            rows.append(("simpleaudio", "not available here"))
        # 4: stop signal to silence (miniaudio)
        st = ac.run_script(tmp / "stop", "set", "--backend", "miniaudio", "--speed", "1",
                           "--cycles", "4", "--burst-ms", "300", "--stop-at", "0.62")  # fmt: skip
        import numpy as np

        cap_st = ac.read_capture(tmp / "stop" / "out.raw")
        ss = [r for r in st["records"] if r["event"] == "stream_start"][-1]
        stop = next(e for e in st["events"] if e["event"] == "stop")
        last = np.flatnonzero(np.abs(cap_st).max(axis=1) > 0)[-1]
        rows.append(("miniaudio: stop signal -> silence (ms; target <= 50)",
                     f"{(ss['t'] + last / RATE - stop['t']) * 1000:.1f}"))  # fmt: skip
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:70} {value}")
