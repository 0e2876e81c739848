"""Saving a calibrated output latency in ``audio.toml``, per backend and device.

The file keeps what it had (``latency_ms``, ``[<backend>] latency_ms``) and gains
``[<backend>.devices] "<device name>" = <ms>``, which :func:`configured_latency_ms` prefers.
It is rewritten whole (0600, atomically); comments in it are not kept.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from bls_tui.safety.files import parse_toml
from bls_tui.sound.backends.select import AudioChoiceError, check_latency, config_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

BLUETOOTH_WORDS = ("bluetooth", "bluez", "a2dp", "airpods", "headset (hands-free)")


def sounds_like_bluetooth(device: str) -> bool:
    """True if a sink's name says it is Bluetooth (those add ~150-250 ms)."""
    name = device.lower()
    return any(word in name for word in BLUETOOTH_WORDS)


def save_latency(backend: str, device: str, ms: float, path: Path | None = None) -> Path:
    """Store ``ms`` for ``backend`` / ``device``; returns the file written.

    Raises:
        AudioChoiceError: The existing file is not valid TOML, the value is out of range, or
            the file cannot be written (one line).
    """
    path = path or config_path()
    value = round(check_latency(ms, "calibrated latency"), 1)
    try:
        data: dict[str, Any] = parse_toml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except (OSError, UnicodeDecodeError) as exc:
        raise AudioChoiceError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise AudioChoiceError(f"{path}: {exc}; fix or remove it, then calibrate again") from None
    table = data.setdefault(backend, {})
    if not isinstance(table, dict):
        raise AudioChoiceError(f"{path}: {backend} must be a table")
    devices = table.setdefault("devices", {})
    if not isinstance(devices, dict):
        raise AudioChoiceError(f"{path}: {backend}.devices must be a table")
    devices[device or "default"] = value
    text = "# written by `bls calibrate` (comments are not kept)\n" + _dump(data)
    from bls_tui.safety.paths import ensure_private_dir

    tmp = path.with_name(path.name + ".tmp")
    try:
        ensure_private_dir(path.parent)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise AudioChoiceError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path


def _dump(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for scalars and nested tables (what audio.toml holds)."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    for key, table in tables:
        name = f"{prefix}.{_key(key)}" if prefix else _key(key)
        scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
        if scalars or not table:
            out += f"\n[{name}]\n" + _dump(scalars)
        nested = {k: v for k, v in table.items() if isinstance(v, dict)}
        if nested:
            out += _dump(nested, name)
    return out


def _key(key: str) -> str:
    bare = key and all(c.isalnum() or c in "-_" for c in key) and key.isascii()
    return key if bare else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise AudioChoiceError(f"cannot write a value of type {type(value).__name__} to audio.toml")
