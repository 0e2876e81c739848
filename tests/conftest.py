"""Shared fixtures: every test runs with private config/data dirs and a fake HOME."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolate_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point BLS_CONFIG_DIR / BLS_DATA_DIR / HOME at tmp_path so no test touches the real home."""
    monkeypatch.setenv("BLS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BLS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
