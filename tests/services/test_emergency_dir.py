"""The emergency folder is never one another user prepared for us."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from bls_tui.services.session import emergency_dir


@pytest.fixture
def tmpdir_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_private_folder_is_created_0700(tmpdir_root: Path) -> None:
    path = emergency_dir()
    assert path.parent == tmpdir_root
    assert path.stat().st_mode & 0o777 == 0o700
    assert emergency_dir() == path  # reused while it stays ours and private


def test_symlink_or_open_folder_is_not_used(tmpdir_root: Path) -> None:
    name = tmpdir_root / f"bls-tui-emergency-{os.getuid()}"
    elsewhere = tmpdir_root / "attacker"
    elsewhere.mkdir()
    name.symlink_to(elsewhere)
    path = emergency_dir()
    assert path != name and not path.is_symlink()
    assert path.stat().st_mode & 0o777 == 0o700
    name.unlink()
    name.mkdir(mode=0o777)
    os.chmod(name, 0o777)
    assert emergency_dir() != name
