"""Tone synthesis for auditory BLS: bursts at the edges, or a tone that pans with the dot.

Everything here is a pure function of clock times, so a chunk rendered now and the same chunk
rendered later are identical.  Tone lookup (built in, shipped and user WAVs) belongs to
:mod:`bls_tui.sound.sounds`, which imports this module and never the other way round.  numpy
is imported inside the functions that need it, so importing :class:`ToneParams` (config, CLI)
stays cheap.

Level law (documented once, used everywhere):

* ``volume_db(v) = -40 dB * (1 - v / 100)``: equal steps in dB, which is how loudness is heard.
  Each 5 % key step is 2 dB; 100 % = 0 dB (peaks at the -6 dBFS ceiling), 80 % (the default)
  = -8 dB (peaks at -14 dBFS), 50 % = -20 dB, 1 % = -39.6 dB, and 0 % is silence.
  ``volume_gain(v) = 10 ** (volume_db(v) / 20)``.
* The peak of anything synthesised is ``PEAK_CEILING * volume_gain * set_ramp`` at most, and
  the touched samples are clipped to ``PEAK_CEILING`` as a last guard.
* ``set_ramp`` rises as a raised cosine from :data:`SET_FADE_FLOOR` (-20 dB) at the set start
  to 1.0 after ``SET_FADE_IN_S``, so the first sound of every set is quiet.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bls_tui.safety import limits

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]
    XFunc = Callable[[npt.NDArray[np.float64]], npt.NDArray[np.floating]]

BUILTIN_TONES: tuple[str, ...] = ("sine", "soft-square", "click", "chime")
"""Synthesised tone types, in the order they are listed."""

FOLLOW_LEVEL = 0.5
"""Level of the continuous follow tone relative to a burst (-6 dB: it plays all the time)."""

SET_FADE_FLOOR = 0.1
"""Gain of the set fade-in ramp at the set start (-20 dB)."""

MIN_RATE = 8000
MAX_RATE = 384000
_CHANNEL = {"left": 0, "right": 1}


class ToneParamsError(ValueError):
    """A tone setting is out of range or unknown; the message is one line for the user."""


def _check_range(name: str, value: object, lo: float, hi: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ToneParamsError(f"{name} must be a number between {lo:g} and {hi:g} {unit}")
    v = float(value)
    if not (math.isfinite(v) and lo <= v <= hi):
        raise ToneParamsError(f"{name} must be between {lo:g} and {hi:g} {unit}, got {v:g}")
    return v


@dataclass(frozen=True)
class ToneParams:
    """What the bursts sound like.

    Attributes:
        tone: A built-in type (:data:`BUILTIN_TONES`) or the stem of a WAV in the shipped or
            user sound folder.  WAV sounds keep their own length and pitch; ``freq_hz`` and
            ``burst_ms`` then do not apply, ``fade_ms`` does.
        freq_hz: Pitch of synthesised tones, 200-1000 Hz.
        burst_ms: Length of one burst, 30-300 ms.
        fade_ms: Raised-cosine fade-in and fade-out of every burst, 5 ms to half the burst.
        volume_pct: 0-100 %, mapped to gain by :func:`volume_gain`.
        follow: Play a soft continuous tone that pans with the dot instead of bursts.
    """

    tone: str = "sine"
    freq_hz: float = limits.DEFAULT_FREQ_HZ
    burst_ms: float = limits.DEFAULT_BURST_MS
    fade_ms: float = 8.0
    volume_pct: int = limits.DEFAULT_VOLUME_PCT
    follow: bool = False

    def checked_numbers(self) -> ToneParams:
        """Check every numeric field (no file access); return self.

        Raises:
            ToneParamsError: A field is out of range; the message names it and the range.
        """
        _check_range("freq_hz", self.freq_hz, limits.MIN_FREQ_HZ, limits.MAX_FREQ_HZ, "Hz")
        burst = _check_range(
            "burst_ms", self.burst_ms, limits.MIN_BURST_MS, limits.MAX_BURST_MS, "ms"
        )
        max_fade = burst / 2
        if isinstance(self.fade_ms, bool) or not isinstance(self.fade_ms, (int, float)):
            raise ToneParamsError("fade_ms must be a number")
        fade = float(self.fade_ms)
        if not (math.isfinite(fade) and limits.MIN_FADE_MS <= fade <= max_fade):
            raise ToneParamsError(
                f"fade_ms must be between {limits.MIN_FADE_MS:g} and {max_fade:g} ms "
                f"(at most half of burst_ms), got {fade:g}"
            )
        _check_range("volume_pct", self.volume_pct, 0, 100, "%")
        if not isinstance(self.follow, bool):
            raise ToneParamsError("follow must be true or false")
        return self


VOLUME_RANGE_DB = 40.0
"""0-100 % spans this many dB (see the module docstring)."""


def volume_db(volume_pct: float) -> float:
    """Level in dB relative to the peak ceiling for a volume percentage (-inf at 0 %)."""
    v = min(100.0, max(0.0, float(volume_pct)))
    return -math.inf if v == 0.0 else -VOLUME_RANGE_DB * (1.0 - v / 100.0)


def volume_gain(volume_pct: float) -> float:
    """Linear gain for a volume percentage (dB steps, see the module docstring)."""
    db = volume_db(volume_pct)
    return 0.0 if db == -math.inf else 10.0 ** (db / 20.0)


def onset_frame(t: float, start: float, rate: int) -> int:
    """Frame index of clock time ``t`` in a buffer whose frame 0 is at ``start``."""
    return round((t - start) * rate)


def raised_cosine(n: int) -> npt.NDArray[np.float64]:
    """Rising raised-cosine ramp of ``n`` samples, sampled at half-sample centres.

    ``0.5 * (1 - cos(pi * (k + 0.5) / n))``: the first sample is tiny but non-zero, the ramp
    is symmetric with its reverse, and it never reaches 0 or 1 exactly.
    """
    import numpy as np

    k = np.arange(n, dtype=np.float64)
    return 0.5 * (1.0 - np.cos(np.pi * (k + 0.5) / max(n, 1)))


def fade_frames(fade_ms: float, rate: int) -> int:
    """Number of frames in a fade, never shorter than ``limits.MIN_FADE_MS``."""
    return max(round(fade_ms * rate / 1000.0), math.ceil(limits.MIN_FADE_MS * rate / 1000.0))


def apply_fades(x: npt.ArrayLike, n_fade: int) -> npt.NDArray[np.float64]:
    """Return ``x`` (1-D) with a raised-cosine fade-in and fade-out of ``n_fade`` samples."""
    out = _as_f64(x)
    n_fade = min(n_fade, len(out) // 2)
    if n_fade > 0:
        ramp = raised_cosine(n_fade)
        out[:n_fade] *= ramp
        out[len(out) - n_fade :] *= ramp[::-1]
    return out


def _as_f64(x: npt.ArrayLike) -> npt.NDArray[np.float64]:
    import numpy as np

    return np.array(x, dtype=np.float64, copy=True)


def _normalised(x: npt.NDArray[np.float64]) -> FloatArray:
    import numpy as np

    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    out = (x / peak) if peak > 0 else x
    tpl = np.ascontiguousarray(out, dtype=np.float32)
    tpl.flags.writeable = False
    return tpl


@functools.lru_cache(maxsize=64)
def builtin_template(
    tone: str, freq_hz: float, burst_ms: float, fade_ms: float, rate: int
) -> FloatArray:
    """Mono burst template (float32, peak 1.0, read-only) of a built-in tone type.

    Raises:
        ToneParamsError: ``tone`` is not a built-in type.
    """
    import numpy as np

    n = max(round(burst_ms * rate / 1000.0), 2)
    n_fade = fade_frames(fade_ms, rate)
    t = (np.arange(n, dtype=np.float64) + 0.5) / rate
    nyq = 0.45 * rate
    if tone == "sine":
        x = np.sin(2 * np.pi * freq_hz * t)
    elif tone == "soft-square":
        # odd harmonics of a square wave (1/n), rolled off further so it stays soft
        x = np.zeros(n)
        for h, soft in ((1, 1.0), (3, 0.6), (5, 0.35), (7, 0.2)):
            if h * freq_hz < min(nyq, 6000.0):
                x += soft / h * np.sin(2 * np.pi * h * freq_hz * t)
    elif tone == "click":
        # a short bright tick: two partials with a fast exponential decay after the attack
        attack = n_fade / rate
        decay = np.exp(-np.maximum(t - attack, 0.0) / 0.010)
        x = decay * (
            np.sin(2 * np.pi * 2.0 * freq_hz * t) + 0.5 * np.sin(2 * np.pi * 3.1 * freq_hz * t)
        )
    elif tone == "chime":
        # decaying partials; higher partials die away faster
        x = np.zeros(n)
        tau0 = burst_ms / 1000.0 / 2.5
        for i, (ratio, amp) in enumerate(((1.0, 1.0), (2.0, 0.5), (3.0, 0.3), (4.2, 0.18))):
            if ratio * freq_hz < nyq:
                x += amp * np.exp(-t / (tau0 / (1 + i))) * np.sin(2 * np.pi * ratio * freq_hz * t)
    else:
        raise ToneParamsError(f"unknown built-in tone {tone!r}")
    return _normalised(apply_fades(x, n_fade))


def set_ramp(times: npt.NDArray[np.float64], set_start: float) -> npt.NDArray[np.float64]:
    """Set fade-in gain at clock ``times``: raised cosine from the floor to 1 over the fade."""
    import numpy as np

    span = limits.SET_FADE_IN_S
    u = np.clip((times - set_start) / span, 0.0, 1.0)
    return SET_FADE_FLOOR + (1.0 - SET_FADE_FLOOR) * 0.5 * (1.0 - np.cos(np.pi * u))


def synthesize(
    edges: Sequence[tuple[float, str]],
    *,
    start: float,
    n_frames: int,
    rate: int,
    params: ToneParams,
    set_start: float | None = None,
    follow_x: XFunc | None = None,
    template: npt.ArrayLike | None = None,
) -> FloatArray:
    """Render ``n_frames`` of stereo audio whose frame ``i`` is at clock ``start + i / rate``.

    Args:
        edges: ``(t, side)`` events, side ``"left"`` or ``"right"``.  Each puts a burst on that
            channel only, onset frame ``round((t - start) * rate)``; bursts that began before
            frame 0 contribute their tail, bursts past the end are cut.
        start: Clock time of frame 0.
        n_frames: Number of frames to render.
        rate: Sample rate in Hz.
        params: Tone settings (numbers are checked here; the tone name when it is loaded).
        set_start: Clock time the set began (reference of the fade-in ramp); ``None``: no ramp.
        follow_x: With ``params.follow``: maps clock times to the dot's position 0..1 (0 = left);
            a soft continuous sine is panned there with equal power, and ``edges`` are ignored.
        template: Mono burst template (peak <= 1); ``None``: the built-in ``params.tone``
            (a WAV sound's template is loaded by :func:`bls_tui.sound.sounds.synthesize`).

    Returns:
        A C-contiguous float32 array of shape ``(n_frames, 2)``, ``|sample| <= PEAK_CEILING``.

    Raises:
        ToneParamsError: Bad parameters, an unknown side or tone, or a missing ``follow_x``.
    """
    import numpy as np

    params.checked_numbers()
    if isinstance(rate, bool) or not isinstance(rate, int) or not MIN_RATE <= rate <= MAX_RATE:
        raise ToneParamsError(f"rate must be an integer between {MIN_RATE} and {MAX_RATE} Hz")
    if n_frames < 0:
        raise ToneParamsError(f"n_frames must not be negative, got {n_frames}")
    buf = np.zeros((n_frames, 2), dtype=np.float32)
    amp = limits.PEAK_CEILING * volume_gain(params.volume_pct)
    if n_frames == 0 or amp == 0.0:
        return buf
    if params.follow:
        if follow_x is None:
            raise ToneParamsError("follow mode needs the dot position (follow_x)")
        _render_follow(buf, start, rate, params.freq_hz, amp * FOLLOW_LEVEL, follow_x)
        touched = [(0, n_frames)]
    else:
        touched = _render_bursts(buf, edges, start, rate, params, amp, template)
    if set_start is not None:
        end = min(n_frames, math.ceil((set_start + limits.SET_FADE_IN_S - start) * rate))
        for a, b in touched:  # silence needs no gain: ramp only the sounding frames
            if a < end:
                times = start + np.arange(a, min(b, end), dtype=np.float64) / rate
                buf[a : min(b, end)] *= set_ramp(times, set_start).astype(np.float32)[:, None]
    ceiling = limits.PEAK_CEILING
    for a, b in touched:  # last guard: overlapping bursts on one channel may add up
        np.clip(buf[a:b], -ceiling, ceiling, out=buf[a:b])
    return buf


def _render_bursts(
    buf: FloatArray,
    edges: Sequence[tuple[float, str]],
    start: float,
    rate: int,
    params: ToneParams,
    amp: float,
    template: npt.ArrayLike | None,
) -> list[tuple[int, int]]:
    """Add one scaled template per edge by slice; return the touched frame ranges."""
    import numpy as np

    if template is None:  # a WAV's template comes from its file: sounds.synthesize loads it
        if params.tone not in BUILTIN_TONES:
            raise ToneParamsError(f"tone {params.tone!r} is not built in: load its template first")
        tpl = builtin_template(
            params.tone, float(params.freq_hz), float(params.burst_ms), float(params.fade_ms), rate
        )
    else:
        tpl = np.asarray(template, dtype=np.float32)
        if tpl.ndim != 1:
            raise ToneParamsError("a burst template must be a mono (1-D) array")
    scaled = (tpl * np.float32(amp)).astype(np.float32)
    length = len(scaled)
    n_frames = len(buf)
    touched: list[tuple[int, int]] = []
    for t, side in edges:
        ch = _CHANNEL.get(side)
        if ch is None:
            raise ToneParamsError(f"edge side must be 'left' or 'right', got {side!r}")
        if not math.isfinite(t):
            raise ToneParamsError(f"edge time must be a finite number, got {t!r}")
        on = round((t - start) * rate)
        a, b = max(on, 0), min(on + length, n_frames)
        if a < b:
            buf[a:b, ch] += scaled[a - on : b - on]
            touched.append((a, b))
    return touched


def _render_follow(
    buf: FloatArray, start: float, rate: int, freq_hz: float, amp: float, follow_x: XFunc
) -> None:
    """Write a continuous sine, equal-power panned by ``follow_x``, into ``buf``."""
    import numpy as np

    n = len(buf)
    idx = np.arange(n, dtype=np.float64)
    times = start + idx / rate
    x = np.asarray(follow_x(times), dtype=np.float64)
    if x.shape != (n,):
        raise ToneParamsError(f"follow_x must return one position per frame, got shape {x.shape}")
    x = np.clip(np.nan_to_num(x, nan=0.5), 0.0, 1.0)
    # phase (in cycles) from absolute time, so consecutive chunks join without a jump; reduced
    # modulo 1 in float64, then the trigonometry in float32 (several times faster)
    cycles = math.fmod(freq_hz * start, 1.0) + idx * (freq_hz / rate)
    cycles -= np.floor(cycles)  # np.fmod is ~4x slower than this
    mono = np.sin(cycles.astype(np.float32) * np.float32(2 * np.pi))
    mono *= np.float32(amp)
    pan = (x * (0.5 * np.pi)).astype(np.float32)
    buf[:, 0] = mono * np.cos(pan)
    buf[:, 1] = mono * np.sin(pan)


def to_int16(buf: npt.ArrayLike) -> npt.NDArray[np.int16]:
    """Convert float samples (full scale 1.0) to C-contiguous little-endian int16 (clipped).

    A ``(n, 2)`` result is interleaved L, R, L, R... so ``.tobytes()`` feeds a device directly.
    """
    import numpy as np

    x = np.multiply(np.asarray(buf, dtype=np.float32), np.float32(32767.0), dtype=np.float32)
    np.clip(x, -32767.0, 32767.0, out=x)
    np.rint(x, out=x)
    return np.ascontiguousarray(x.astype("<i2"))


def fade_out(buf: npt.ArrayLike, rate: int, ms: float = 20.0) -> FloatArray:
    """Click-free ending: the first ``ms`` of ``buf`` faded from full level to silence.

    Pass the audio that would have played after a stop; play the result, then nothing.  The
    result has ``min(len(buf), ms * rate / 1000)`` frames and its last frame is exactly 0.
    """
    import numpy as np

    x = np.asarray(buf, dtype=np.float32)
    m = min(len(x), max(1, round(ms * rate / 1000.0)))
    k = np.arange(1, m + 1, dtype=np.float64)
    gain = (0.5 * (1.0 + np.cos(np.pi * k / m))).astype(np.float32)
    out = x[:m] * (gain[:, None] if x.ndim == 2 else gain)
    return np.ascontiguousarray(out, dtype=np.float32)
