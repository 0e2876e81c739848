"""App-wide settings: ``<config>/config.toml``, typed, every key checked.

(Audio output latency lives in ``<config>/audio.toml``, see :mod:`bls_tui.sound.backends.select`.)

Unknown keys, wrong types and out-of-range values are rejected with
``ConfigError("file:line: key: what is wrong")``.  A missing file means the defaults.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bls_tui.config.presets import _key_lines
from bls_tui.ketamine.dose import ROUTE_IDS
from bls_tui.safety.files import UnsafeFileError, parse_toml, read_regular_text
from bls_tui.safety.paths import config_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(ValueError):
    """A config file that cannot be used (one line: file, line, key, problem)."""


@dataclass(frozen=True)
class AppConfig:
    """Settings for every run.  Each field is documented in the README."""

    closure_margin_min: int = 15
    """Minutes before the planned end when the closure reminder appears."""
    crisis_line: str = ""
    """The clinic's contact / crisis line, shown in closure and discharge (no built-in number)."""
    sud_every_set: bool = False
    """Ask for a SUD after every desensitisation set (default: on return to target only)."""
    stuck_after: int = 3
    """A quiet cue when the SUD has not moved over this many checkpoints (0 = off)."""
    checkin_interval_min: int | None = None
    """Ketamine-assisted sessions: minutes between check-in reminders (None: no reminders)."""
    observation_min: int | None = None
    """Ketamine, all routes: observation period in minutes ([routes.X] wins; None: unset)."""
    bp_recheck_min: int | None = None
    """Ketamine, all routes: BP recheck, minutes after the dose ([routes.X] wins)."""
    default_route: str | None = None
    """Ketamine: the route preselected in the dosing form (None: no route preselected)."""
    integration_window_h: int | None = None
    """Hours after a dose that the case view counts as its window (None: not set, no session
    is called outside; no published source fixes a length)."""
    routes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Ketamine: per-route timing, the [routes.<route>] tables (see core.route_settings)."""
    bp_systolic_max: int = 140
    bp_diastolic_max: int = 90
    spo2_min: int = 94
    hr_max: int = 120
    hr_min: int = 50


RANGES: dict[str, tuple[float, float]] = {
    "closure_margin_min": (0, 120),
    "stuck_after": (0, 20),
    "checkin_interval_min": (1, 240),
    "observation_min": (1, 1440),
    "bp_recheck_min": (1, 1440),
    "integration_window_h": (1, 336),  # ketamine.timers.MAX_WINDOW_H
    "bp_systolic_max": (80, 260),
    "bp_diastolic_max": (40, 160),
    "spo2_min": (50, 100),
    "hr_max": (40, 250),
    "hr_min": (20, 200),
}
FIELD_NAMES = tuple(f.name for f in fields(AppConfig))


def config_path() -> Path:
    """The config file's location."""
    return config_dir() / "config.toml"


TEXT_KEYS = ("crisis_line", "sud_every_set", "default_route")


def _text_problem(key: str, value: Any) -> str | None:
    if key == "sud_every_set":
        return None if isinstance(value, bool) else "must be true or false"
    if key == "default_route":
        ok = isinstance(value, str) and value in ROUTE_IDS
        return None if ok else f"must be one of: {', '.join(ROUTE_IDS)}"
    if not isinstance(value, str) or len(value) > 300 or "\n" in value:
        return "must be one line of text (at most 300 characters)"
    return None


def _problem(key: str, value: Any) -> str | None:
    lo, hi = RANGES[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number from {lo:g} to {hi:g}"
    if not isinstance(value, int):
        return f"must be a whole number from {lo:g} to {hi:g}"
    if math.isnan(value) or not lo <= value <= hi:
        return f"{value:g} is out of range {lo:g}-{hi:g}"
    return None


def parse_config_text(text: str, where: str) -> AppConfig:
    """Parse and validate a config file's text."""
    try:
        data = parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}:1: not valid TOML ({exc})") from None
    lines = _key_lines(text)
    for key, value in data.items():
        loc = f"{where}:{lines.get(key, 1)}: {key}"
        if key not in FIELD_NAMES:
            raise ConfigError(f"{loc}: unknown key (allowed: {', '.join(FIELD_NAMES)})")
        problem = _text_problem(key, value) if key in TEXT_KEYS else None
        if key == "routes":
            from bls_tui.ketamine.route_settings import parse_routes

            try:
                data[key] = parse_routes(value, where)
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
            continue
        if key in TEXT_KEYS:
            if problem:
                raise ConfigError(f"{loc}: {problem}")
            continue
        problem = _problem(key, value)
        if problem:
            raise ConfigError(f"{loc}: {problem}")
    config = dataclasses.replace(AppConfig(), **data)
    if config.hr_min >= config.hr_max:
        raise ConfigError(f"{where}:{lines.get('hr_min', 1)}: hr_min: must be below hr_max")
    return config


def load_config(path: Path | None = None) -> AppConfig:
    """The config (defaults if the file does not exist).  Raises :class:`ConfigError`."""
    path = path or config_path()
    try:
        text = read_regular_text(path)
    except FileNotFoundError:
        return AppConfig()
    except UnsafeFileError as exc:
        raise ConfigError(f"{path}:1: cannot read: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}:1: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}:1: cannot read ({exc})") from None
    return parse_config_text(text, str(path))


def to_toml(config: AppConfig) -> str:
    """The resolved config as TOML."""
    out = ["# bls-tui config, fully resolved"]
    for name in FIELD_NAMES:
        value = getattr(config, name)
        if value is None:
            out.append(f"# {name} = (not set)")
        elif name == "routes":
            continue
        elif isinstance(value, bool):
            out.append(f"{name} = {'true' if value else 'false'}")
        elif isinstance(value, str):
            out.append(f"{name} = {json.dumps(value)}")
        else:
            out.append(f"{name} = {value!r}")
    for route, table in config.routes.items():
        out.append(f"\n[routes.{route}]")
        for key, value in table.items():
            shown = list(value) if isinstance(value, tuple) else value
            out.append(f"{key} = {shown!r}")
    return "\n".join(out) + "\n"
