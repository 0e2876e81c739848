"""The sound library: built-in tone types, the shipped WAVs and the user's own WAVs.

Names are WAV stems.  Order and precedence: built-in types, then shipped sounds, then user
sounds; a user file whose stem is already taken is skipped with a warning.  A user file that is
not a usable WAV (unreadable, truncated, unsupported, shorter than 30 ms or longer than
:data:`MAX_WAV_S`) is skipped with a one-line warning, never an exception.

Shipped sounds are looked up in ``<repo>/sounds`` (source checkout, editable install) and in
``bls_tui/data/sounds`` (inside an installed package), whichever exist.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import bls_tui
from bls_tui.safety import limits, paths
from bls_tui.sound.tones import (
    BUILTIN_TONES,
    ToneParams,
    ToneParamsError,
    apply_fades,
    builtin_template,
    fade_frames,
)
from bls_tui.sound.tones import synthesize as synthesize_template
from bls_tui.sound.wavio import WavError, probe_wav, read_wav

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from bls_tui.sound.tones import XFunc

MAX_WAV_S = 2.0
"""Longest usable WAV, in seconds."""

MIN_WAV_S = limits.MIN_BURST_MS / 1000.0
"""Shortest usable WAV, in seconds (room for both fades)."""


def shipped_sound_dirs() -> list[Path]:
    """Folders holding the shipped WAVs that exist on this install, in lookup order."""
    pkg = Path(bls_tui.__file__).resolve().parent
    candidates = [pkg.parents[1] / "sounds", pkg / "data" / "sounds"]
    return [d for d in candidates if d.is_dir()]


@functools.lru_cache(maxsize=256)
def _probe(path: str, mtime_ns: int, size: int) -> str | None:
    """Reason the file is unusable, or ``None``; cached per file version."""
    try:
        info = probe_wav(Path(path), max_seconds=MAX_WAV_S)
    except WavError as exc:
        return str(exc)
    if info.duration_s < MIN_WAV_S:
        return f"{Path(path).name}: {info.duration_s * 1000:.0f} ms long, the minimum is 30 ms"
    return None


def _scan(folder: Path, origin: str, taken: set[str]) -> tuple[dict[str, Path], list[str]]:
    """Usable WAVs of ``folder`` by stem (sorted), plus one warning per skipped file."""
    found: dict[str, Path] = {}
    warnings: list[str] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        return found, warnings
    except OSError as exc:
        return found, [f"cannot read the {origin} sound folder {folder}: {exc.strerror}"]
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.lower().endswith(".wav"):
            continue
        path = Path(entry.path)
        try:
            st = path.stat()
        except OSError as exc:
            warnings.append(f"skipped {origin} sound {entry.name}: {exc.strerror}")
            continue
        if not path.is_file():
            continue
        stem = path.stem
        if stem in taken or stem in found:
            warnings.append(
                f"skipped {origin} sound {entry.name}: the name {stem!r} is already in use"
            )
            continue
        reason = _probe(str(path), st.st_mtime_ns, st.st_size)
        if reason is not None:
            warnings.append(f"skipped {origin} sound {reason}")
            continue
        found[stem] = path
    return found, warnings


def shipped_sounds() -> tuple[dict[str, Path], list[str]]:
    """Shipped WAVs by stem, and warnings (none expected for our own files)."""
    found: dict[str, Path] = {}
    warnings: list[str] = []
    for folder in shipped_sound_dirs():
        more, warn = _scan(folder, "shipped", set(BUILTIN_TONES) | set(found))
        found.update(more)
        warnings.extend(w for w in warn if "already in use" not in w)  # same file, two dirs
    return found, warnings


def scan_user_sounds() -> tuple[dict[str, Path], list[str]]:
    """The user's usable WAVs (``paths.user_sounds_dir()``) by stem, and one-line warnings.

    Never raises for a bad file or a missing folder; the folder is not created.
    """
    shipped, _ = shipped_sounds()
    return _scan(paths.user_sounds_dir(), "user", set(BUILTIN_TONES) | set(shipped))


def list_tones() -> list[str]:
    """All tone names: built-in types, then shipped WAVs, then user WAVs (by stem)."""
    shipped, _ = shipped_sounds()
    user, _ = scan_user_sounds()
    return [*BUILTIN_TONES, *shipped, *user]


def resolve_tone(name: str) -> Path | None:
    """The WAV file behind tone ``name``, or ``None`` for a built-in type.

    Raises:
        ToneParamsError: No tone of that name; the message lists the choices.
    """
    if name in BUILTIN_TONES:
        return None
    shipped, _ = shipped_sounds()
    if name in shipped:
        return shipped[name]
    user, _ = scan_user_sounds()
    if name in user:
        return user[name]
    choices = ", ".join([*BUILTIN_TONES, *shipped, *user])
    raise ToneParamsError(f"unknown tone {name!r}; choose one of: {choices}")


def load_tone(name: str, *, rate: int, params: ToneParams | None = None) -> npt.NDArray[np.float32]:
    """The mono burst template :func:`tones.synthesize` places at each edge.

    Built-in types follow ``params`` (pitch, length, fades).  WAV sounds keep their own length
    and pitch: mixed to mono, resampled to ``rate`` by linear interpolation, given raised-cosine
    fades of ``params.fade_ms`` (at least 5 ms), and normalised to peak 1.0 so that the volume
    setting means the same level for every sound.  Results are cached and read-only.

    Raises:
        ToneParamsError: Unknown name or bad parameters.
        WavError: The WAV changed on disk and is no longer readable.
    """
    p = (params or ToneParams()).checked_numbers()
    path = resolve_tone(name)
    if path is None:
        return builtin_template(
            name, float(p.freq_hz), float(p.burst_ms), float(p.fade_ms), int(rate)
        )
    st = path.stat()
    return _wav_template(str(path), st.st_mtime_ns, st.st_size, int(rate), float(p.fade_ms))


@functools.lru_cache(maxsize=32)
def _wav_template(
    path: str, mtime_ns: int, size: int, rate: int, fade_ms: float
) -> npt.NDArray[np.float32]:
    import numpy as np

    data, src_rate = read_wav(Path(path), max_seconds=MAX_WAV_S)
    mono = data.mean(axis=1)
    if src_rate != rate:
        n_out = max(2, round(len(mono) * rate / src_rate))
        pos = np.arange(n_out, dtype=np.float64) * (src_rate / rate)
        mono = np.interp(pos, np.arange(len(mono), dtype=np.float64), mono)
    shaped = apply_fades(mono, fade_frames(fade_ms, rate))
    peak = float(np.max(np.abs(shaped)))
    if peak > 0:
        shaped /= peak
    tpl = np.ascontiguousarray(shaped, dtype=np.float32)
    tpl.flags.writeable = False
    return tpl


def validated(params: ToneParams) -> ToneParams:
    """Check every field, including that the tone name exists; return a normalised copy.

    Raises:
        ToneParamsError: A field is out of range or the tone is unknown.
    """
    params.checked_numbers()
    if not isinstance(params.tone, str):
        raise ToneParamsError("tone must be a name")
    name = params.tone.strip()
    resolve_tone(name)
    return replace(params, tone=name)


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
) -> npt.NDArray[np.float32]:
    """:func:`bls_tui.sound.tones.synthesize` with ``params.tone`` looked up (built in or WAV).

    Raises:
        ToneParamsError: Bad parameters, an unknown side or tone, or a missing ``follow_x``.
    """
    if template is None and not params.follow:
        template = load_tone(params.tone, rate=rate, params=params)
    return synthesize_template(
        edges,
        start=start,
        n_frames=n_frames,
        rate=rate,
        params=params,
        set_start=set_start,
        follow_x=follow_x,
        template=template,
    )
