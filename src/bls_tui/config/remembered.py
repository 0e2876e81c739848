"""Remembered settings: the last-used run settings, kept between runs.

Stored as a preset-shaped TOML file ``<config>/last.toml`` (0600).  A damaged file is ignored
with a warning, never fatal.
"""

from __future__ import annotations

import os
from pathlib import Path

from bls_tui.config.presets import Preset, PresetError, apply, parse_preset_text, to_toml
from bls_tui.safety.files import read_regular_text
from bls_tui.safety.paths import config_dir, ensure_private_dir


def last_path() -> Path:
    """Where the last-used settings live."""
    return config_dir() / "last.toml"


def load_last() -> tuple[Preset | None, str | None]:
    """The remembered settings and a warning (if the file was unusable)."""
    path = last_path()
    try:
        text = read_regular_text(path)
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"ignoring remembered settings: {exc}"
    try:
        raw = parse_preset_text(text, str(path))
    except PresetError as exc:
        return None, f"ignoring remembered settings: {exc}"
    name = "last-used"
    first = text.splitlines()[0] if text else ""
    if first.startswith("# preset '") and first.count("'") >= 2:
        name = first.split("'")[1]
    return apply(Preset(name=name), raw), None


def save_last(preset: Preset) -> str | None:
    """Remember ``preset``; returns a warning instead of raising if it cannot be written."""
    path = last_path()
    try:
        ensure_private_dir(path.parent)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(to_toml(preset))
        os.replace(tmp, path)
    except OSError as exc:
        return f"could not remember settings: {exc}"
    return None
