"""Turning `bls run` flags into a validated preset (no Textual, no NumPy)."""

from __future__ import annotations

from typing import Any

from bls_tui.cli.errors import CliError
from bls_tui.config.presets import Preset, PresetError, apply, resolve
from bls_tui.safety import limits
from bls_tui.safety.paths import presets_dir
from bls_tui.stimulus.motion import PATTERNS, PROFILES


def _range(flag: str, value: float | None, lo: float, hi: float, unit: str) -> None:
    if value is not None and not lo <= value <= hi:
        raise CliError(f"{flag} {value:g}: must be from {lo:g} to {hi:g} {unit}")


def remembered_note(preset: str | None, fresh: bool) -> str:
    """What the screen says when the remembered last-used settings are in use ('' if not)."""
    if preset is not None or fresh:
        return ""
    from bls_tui.config.remembered import load_last

    base, _ = load_last()
    if base is None:
        return ""
    return f"your last settings (from {base.name}; --fresh starts from the preset)"


def build_preset(
    *,
    preset: str | None,
    fresh: bool,
    speed: float | None = None,
    cycles: int | None = None,
    seconds: float | None = None,
    pattern: str | None = None,
    profile: str | None = None,
    dwell_ms: float | None = None,
    end: str | None = None,
    **sound: Any,
) -> tuple[Preset, list[str]]:
    """Resolve the preset (or the remembered settings) and apply the flags over it.

    Returns the preset and any warnings to show.  Raises :class:`CliError` for bad input.
    """
    warnings: list[str] = []
    _range("--speed", speed, limits.MIN_SPEED_HZ, limits.MAX_SPEED_HZ, "Hz (2.0 is the cap)")
    _range("--cycles", cycles, limits.MIN_CYCLES, limits.MAX_CYCLES, "cycles")
    _range("--seconds", seconds, limits.MIN_SECONDS, limits.MAX_SECONDS, "seconds")
    _range("--dwell-ms", dwell_ms, 0, limits.MAX_EDGE_DWELL_MS, "ms")
    if cycles is not None and seconds is not None:
        raise CliError("--cycles and --seconds: give one or the other")
    if pattern is not None and pattern not in PATTERNS:
        raise CliError(f"--pattern {pattern!r}: unknown pattern (one of: {', '.join(PATTERNS)})")
    if profile is not None and profile not in PROFILES:
        raise CliError(f"--profile {profile!r}: unknown profile (one of: {', '.join(PROFILES)})")
    if end is not None and end not in ("edge", "centre"):
        raise CliError(f"--end {end!r}: must be 'edge' or 'centre'")
    try:
        if preset is not None:
            base = resolve(preset, presets_dir())
        else:
            base = None
            if not fresh:
                from bls_tui.config.remembered import load_last

                base, warning = load_last()
                if warning:
                    warnings.append(warning)
            if base is None:
                base = resolve("standard", presets_dir())
    except PresetError as exc:
        raise CliError(str(exc)) from None
    assert base is not None
    overrides: dict[str, Any] = {
        "speed_hz": speed,
        "cycles": cycles,
        "seconds": seconds,
        "pattern": pattern,
        "profile": profile,
        "dwell_ms": dwell_ms,
        "end_mode": end,
    }
    overrides.update(sound)
    return apply(base, {k: v for k, v in overrides.items() if v is not None}), warnings
