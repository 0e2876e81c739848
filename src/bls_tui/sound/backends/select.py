"""Choosing a backend: ``--audio auto|miniaudio|simpleaudio|none``.

Auto order: miniaudio first, then simpleaudio.  miniaudio streams, so a stop signal fades to
silence within one 30 ms device buffer; simpleaudio's fixed 100 ms ALSA buffer is drained on
stop (see simpleaudio_backend), so it comes second.  miniaudio also installs from wheels
everywhere, which makes it the one a plain install has.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from bls_tui.safety.files import parse_toml
from bls_tui.sound.backends.miniaudio import MiniaudioBackend
from bls_tui.sound.backends.null import NullBackend
from bls_tui.sound.backends.simpleaudio import SimpleaudioBackend
from bls_tui.sound.base import RATE, AudioBackend, AudioUnavailable, captured_fd2

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

AUTO_ORDER: tuple[str, ...] = ("miniaudio", "simpleaudio")
CHOICES: tuple[str, ...] = ("auto", *AUTO_ORDER, "none")


class AudioChoiceError(ValueError):
    """An unknown ``--audio`` value or a bad audio config; one line for the user."""


def make_backend(name: str) -> AudioBackend:
    """A fresh, unopened backend by name."""
    if name == "miniaudio":
        return MiniaudioBackend()
    if name == "simpleaudio":
        return SimpleaudioBackend()
    if name == "none":
        return NullBackend()
    raise AudioChoiceError(f"--audio {name!r}: unknown backend (one of: {', '.join(CHOICES)})")


def check_choice(choice: str) -> str:
    """Validate an ``--audio`` value; returns it."""
    if choice not in CHOICES:
        raise AudioChoiceError(
            f"--audio {choice!r}: unknown backend (one of: {', '.join(CHOICES)})"
        )
    return choice


@dataclass
class Opened:
    """Result of :func:`open_backend`: a backend that opened, or why none did."""

    backend: AudioBackend | None
    reason: str | None
    tried: list[tuple[str, str | None]]
    """``(name, reason or None if it opened)`` for every backend tried, in order."""


def open_backend(choice: str, rate: int = RATE) -> Opened:
    """Open the chosen backend (auto: the first that opens a device).

    Never raises for a device problem: ``backend`` is then ``None`` and ``reason`` says why.
    """
    check_choice(choice)
    names = AUTO_ORDER if choice == "auto" else (choice,)
    tried: list[tuple[str, str | None]] = []
    for name in names:
        backend = make_backend(name)
        try:
            with captured_fd2():
                backend.open(rate)
        except AudioUnavailable as exc:
            tried.append((name, str(exc)))
            continue
        tried.append((name, None))
        return Opened(backend, None, tried)
    reason = "; ".join(f"{n}: {r}" for n, r in tried)
    return Opened(None, reason, tried)


def config_path() -> Path:
    """``<config>/audio.toml``: optional ``latency_ms`` and ``[<backend>] latency_ms``."""
    from bls_tui.safety.paths import config_dir

    return config_dir() / "audio.toml"


def configured_latency_ms(
    backend: str, path: Path | None = None, device: str | None = None
) -> float | None:
    """The latency offset from the audio config file, if set.

    Most specific wins: ``[<backend>.devices] "<device>"`` (written by `bls calibrate`), then
    ``[<backend>] latency_ms``, then the top-level ``latency_ms``.

    Raises:
        AudioChoiceError: The file exists but is not valid, or the value is out of range.
    """
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise AudioChoiceError(f"{path}: cannot read ({exc})") from None
    try:
        data = parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise AudioChoiceError(f"{path}: {exc}") from None
    value = data.get("latency_ms")
    table = data.get(backend)
    if isinstance(table, dict) and "latency_ms" in table:
        value = table["latency_ms"]
    devices = table.get("devices") if isinstance(table, dict) else None
    if device and isinstance(devices, dict) and device in devices:
        value = devices[device]
    if value is None:
        return None
    return check_latency(value, f"{path}: latency_ms")


MAX_LATENCY_MS = 1000.0


def check_latency(value: object, what: str = "--audio-latency-ms") -> float:
    """Validate a latency offset in ms (-200..1000)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AudioChoiceError(f"{what}: must be a number of milliseconds")
    v = float(value)
    if not -200.0 <= v <= MAX_LATENCY_MS:
        raise AudioChoiceError(f"{what} {v:g}: must be from -200 to {MAX_LATENCY_MS:g} ms")
    return v
