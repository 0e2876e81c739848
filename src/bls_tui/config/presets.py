"""Presets: named bundles of run settings, built in or from the user's TOML files.

A user preset is ``<config>/presets/NAME.toml``; it may ``inherits = "other"`` and override
fields.  Every value is checked; a bad file gives ``PresetError("file:line: key: what is
wrong")``.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bls_tui.safety import limits
from bls_tui.safety.files import UnsafeFileError, parse_toml, read_regular_text
from bls_tui.safety.text import counted, safe_inline, toml_string
from bls_tui.stimulus.motion import PATTERNS, PROFILES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TONE_KINDS = ("sine", "soft-square", "click", "chime")
MAX_INHERIT = 16
"""Longest ``inherits`` chain followed (a deeper one is refused in one line)."""


class PresetError(ValueError):
    """A preset that cannot be used; the message is one line naming file, line and key."""


@dataclass
class Preset:
    """Every setting of a run.  Field docstrings double as `bls presets show` comments."""

    name: str = "standard"
    description: str = ""
    speed_hz: float = limits.DEFAULT_SPEED_HZ
    """Full cycles (left->right->left) per second, 0.1-2.0."""
    cycles: int | None = limits.DEFAULT_CYCLES
    """Set length in cycles (one cycle = two sweeps); or use `seconds`."""
    seconds: float | None = None
    """Set length in seconds (the set ends at the next edge after it)."""
    pattern: str = "horizontal"
    profile: str = "sine"
    dwell_ms: float = 0.0
    """Rest at each edge for the linear profile, 0-200 ms."""
    end_mode: str = "edge"
    """How a set ends: at an `edge` or gliding to the `centre`."""
    dot_size: int = 2
    """Dot height in rows, 1-3."""
    dot_color: str = "#f5f5f5"
    background: str = "#1c1c1c"
    show_dot: bool = True
    """False for audio-led (eyes-closed) work: the dot is hidden, sound leads."""
    tone: str = "sine"
    freq_hz: float = limits.DEFAULT_FREQ_HZ
    burst_ms: float = limits.DEFAULT_BURST_MS
    volume_pct: int = limits.DEFAULT_VOLUME_PCT
    mute: bool = False
    follow: bool = False
    """A soft continuous tone that pans with the dot instead of bursts at the edges."""
    extras: dict[str, Any] = field(default_factory=dict, repr=False)

    def length_label(self) -> str:
        """Set length as the UI shows it, with both units."""
        if self.cycles is not None:
            return f"{counted(self.cycles, 'cycle')} ({counted(self.cycles * 2, 'sweep')})"
        return f"{self.seconds:g} s"


FIELD_NAMES = tuple(f.name for f in fields(Preset) if f.name not in ("name", "extras"))

BUILTINS: dict[str, dict[str, Any]] = {
    "standard": {
        "description": "Desensitisation (phase 4): 1.0 Hz x 24 cycles, the teaching default",
    },
    "resource": {
        "description": "Resource / calm place (phases 2 and 7): slow and short",
        "speed_hz": 0.5,
        "cycles": 6,
        "end_mode": "centre",
        "volume_pct": 60,
    },
    "installation": {
        "description": "Installation (phase 5): slower and shorter than desensitisation",
        "speed_hz": 0.8,
        "cycles": 12,
    },
    "eyes-closed": {
        "description": "Eyes-closed, audio-led: alternating tones lead, the dot is hidden",
        "show_dot": False,
        "speed_hz": 1.0,
        "cycles": 24,
        "tone": "sine",
        "volume_pct": 70,
    },
    "gentle": {
        "description": "Gentle: dissociation-prone clients or a ketamine window: slower, shorter",
        "speed_hz": 0.6,
        "cycles": 8,
        "end_mode": "centre",
        "profile": "sine",
        "volume_pct": 50,
    },
}


def _check_color(value: str) -> str | None:
    m = re.fullmatch(r"#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})", value)
    if not m:
        return "must be a colour like #f5f5f5"
    r, g, b = (int(x, 16) for x in m.groups())
    total = r + g + b
    if total and r / total >= 0.8 and r > 96:
        return "saturated red is a photosensitivity risk; choose another colour"
    return None


def _check(key: str, value: Any) -> str | None:
    """Return what is wrong with ``value`` for ``key``, or None."""
    num = (int, float)
    if key in ("description", "pattern", "profile", "end_mode", "tone", "dot_color", "background"):
        if not isinstance(value, str):
            return "must be a string"
    if key == "pattern" and value not in PATTERNS:
        return f"unknown pattern {value!r} (one of: {', '.join(PATTERNS)})"
    if key == "profile" and value not in PROFILES:
        return f"unknown profile {value!r} (one of: {', '.join(PROFILES)})"
    if key == "end_mode" and value not in ("edge", "centre"):
        return "must be 'edge' or 'centre'"
    if key in ("dot_color", "background"):
        return _check_color(value)
    if key in ("show_dot", "mute", "follow"):
        return None if isinstance(value, bool) else "must be true or false"
    ranges: dict[str, tuple[float, float, str]] = {
        "speed_hz": (limits.MIN_SPEED_HZ, limits.MAX_SPEED_HZ, "Hz"),
        "cycles": (limits.MIN_CYCLES, limits.MAX_CYCLES, "cycles"),
        "seconds": (limits.MIN_SECONDS, limits.MAX_SECONDS, "s"),
        "dwell_ms": (0.0, limits.MAX_EDGE_DWELL_MS, "ms"),
        "dot_size": (limits.MIN_DOT_SIZE, limits.MAX_DOT_SIZE, "rows"),
        "freq_hz": (limits.MIN_FREQ_HZ, limits.MAX_FREQ_HZ, "Hz"),
        "burst_ms": (limits.MIN_BURST_MS, limits.MAX_BURST_MS, "ms"),
        "volume_pct": (0, 100, "%"),
    }
    if key in ranges:
        lo, hi, unit = ranges[key]
        if isinstance(value, bool) or not isinstance(value, num):
            return f"must be a number from {lo:g} to {hi:g} {unit}"
        if key in ("cycles", "dot_size", "volume_pct") and not isinstance(value, int):
            return f"must be a whole number from {lo:g} to {hi:g} {unit}"
        if not lo <= value <= hi:
            return f"{value:g} is out of range {lo:g}-{hi:g} {unit}"
    return None


def validate_fields(values: dict[str, Any], where: str, lines: dict[str, int]) -> None:
    """Raise :class:`PresetError` for the first unknown key or bad value."""
    for key, value in values.items():
        loc = f"{where}:{lines.get(key, 1)}: {key}"
        if key == "inherits":
            if not isinstance(value, str):
                raise PresetError(f"{loc}: must be the name of another preset")
            continue
        if key not in FIELD_NAMES:
            raise PresetError(f"{loc}: unknown key (allowed: {', '.join(FIELD_NAMES)})")
        problem = _check(key, value)
        if problem:
            raise PresetError(f"{loc}: {problem}")
    if "cycles" in values and "seconds" in values:
        raise PresetError(f"{where}:{lines.get('seconds', 1)}: seconds: give cycles or seconds")


def _key_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for no, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*([A-Za-z0-9_\-\"']+)\s*=", line)
        if m:
            lines.setdefault(m.group(1).strip("\"'"), no)
    return lines


def parse_preset_text(text: str, where: str) -> dict[str, Any]:
    """Parse and validate one preset file's text; returns its raw fields."""
    try:
        data: dict[str, Any] = parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = m.group(1) if m else "1"
        raise PresetError(f"{where}:{line}: not valid TOML ({exc})") from None
    lines = _key_lines(text)
    for key, value in data.items():
        if isinstance(value, dict):
            raise PresetError(f"{where}:{lines.get(key, 1)}: {key}: sections are not allowed")
    validate_fields(data, where, lines)
    return data


def user_presets(directory: Path) -> dict[str, Path]:
    """User preset files by name (file stem)."""
    try:
        if not directory.is_dir():
            return {}
        return {p.stem: p for p in sorted(directory.glob("*.toml"))}
    except OSError as exc:
        raise PresetError(f"cannot read the presets folder {directory}: {exc.strerror}") from None


def available(directory: Path) -> list[str]:
    """Built-in names first, then user presets (a user file may shadow a built-in)."""
    names = list(BUILTINS)
    names += [n for n in user_presets(directory) if n not in BUILTINS]
    return names


def resolve(
    name: str,
    directory: Path,
    _seen: tuple[str, ...] = (),
    files: dict[str, Path] | None = None,
) -> Preset:
    """Load preset ``name`` with its inheritance chain resolved (at most MAX_INHERIT deep).

    ``files`` (from :func:`user_presets`) saves listing the folder again for each preset when
    many are resolved at once, as `presets list` does.
    """
    if len(_seen) >= MAX_INHERIT:
        raise PresetError(
            f"preset {_seen[0]!r}: inheritance chain deeper than {MAX_INHERIT} presets"
        )
    if name in _seen:
        raise PresetError(f"preset {name!r}: inheritance loop ({' -> '.join((*_seen, name))})")
    if files is None:
        files = user_presets(directory)
    if name in files:
        path = files[name]
        try:
            text = read_regular_text(path)
        except UnsafeFileError as exc:
            raise PresetError(f"{path}:1: cannot read preset: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PresetError(f"{path}:1: cannot read preset ({exc})") from None
        raw = parse_preset_text(text, str(path))
        parent_name = raw.pop("inherits", "standard" if name != "standard" else None)
        if parent_name is None or (parent_name == name and name in BUILTINS):
            base = _builtin(name) if name in BUILTINS else Preset(name=name)
        else:
            if parent_name not in files and parent_name not in BUILTINS:
                line = _key_lines(text).get("inherits", 1)
                raise PresetError(f"{path}:{line}: inherits: no preset named {parent_name!r}")
            base = resolve(parent_name, directory, (*_seen, name), files)
        merged = dataclasses.replace(base, name=name, description=base.description)
        if "description" not in raw:
            raw["description"] = f"{base.description} (customised)" if base.description else ""
        return apply(merged, raw)
    if name in BUILTINS:
        return _builtin(name)
    raise PresetError(f"no preset named {name!r} (available: {', '.join(available(directory))})")


def _builtin(name: str) -> Preset:
    return apply(Preset(name=name), BUILTINS[name])


def apply(preset: Preset, values: dict[str, Any]) -> Preset:
    """A copy of ``preset`` with ``values`` applied (cycles and seconds exclude each other)."""
    values = dict(values)
    if values.get("seconds") is not None:
        values.setdefault("cycles", None)
    if values.get("cycles") is not None:
        values.setdefault("seconds", None)
    for key in ("speed_hz", "freq_hz", "burst_ms", "dwell_ms", "seconds"):
        if isinstance(values.get(key), int):
            values[key] = float(values[key])
    return dataclasses.replace(preset, **values)


def to_toml(preset: Preset) -> str:
    """The resolved preset as TOML (what `bls presets show` prints)."""
    out = [f"# preset {safe_inline(repr(preset.name))}, fully resolved"]
    for name in FIELD_NAMES:
        value = getattr(preset, name)
        if value is None:
            out.append(f"# {name} = (not set)")
        elif isinstance(value, bool):
            out.append(f"{name} = {'true' if value else 'false'}")
        elif isinstance(value, (int, float)):
            out.append(f"{name} = {value!r}")
        else:
            out.append(f"{name} = {toml_string(str(value))}")
    return "\n".join(out) + "\n"


def preset_values(preset: Preset) -> dict[str, Any]:
    """All fields (not name/extras) as a plain dict."""
    return {name: getattr(preset, name) for name in FIELD_NAMES}
