"""Shared fixtures: never touch the real home; config and data live in a temp dir."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point config, data and HOME at temporary folders for every test."""
    config = tmp_path / "config"
    data = tmp_path / "data"
    monkeypatch.setenv("BLS_CONFIG_DIR", str(config))
    monkeypatch.setenv("BLS_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    return {"config": config, "data": data}
