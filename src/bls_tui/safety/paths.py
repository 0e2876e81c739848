"""Where config and data live (platformdirs), with environment overrides for tests.

Nothing here creates a directory at import time; :func:`ensure_private_dir` does it on demand
with owner-only permissions.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

APP_NAME = "bls-tui"


def config_dir() -> Path:
    """User config directory (``BLS_CONFIG_DIR`` overrides it)."""
    override = os.environ.get("BLS_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """User data directory (``BLS_DATA_DIR`` overrides it)."""
    override = os.environ.get("BLS_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def presets_dir() -> Path:
    """Folder of the user's own preset TOML files."""
    return config_dir() / "presets"


def user_sounds_dir() -> Path:
    """Folder of the user's own WAV files."""
    return data_dir() / "sounds"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` owner-only (0700), and any missing parents the same way."""
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    # not ours to change on e.g. a read-only mount; callers report write failures
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)
    return path
