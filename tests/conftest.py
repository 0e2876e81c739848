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


# --------------------------------------------------------------------------- network guard
# No code path may open a network socket (privacy): an audit hook watches this process for the
# whole run, and `tests/netguard/sitecustomize.py` watches every Python child process.
import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent / "netguard"))
import bls_netguard  # noqa: E402

NETGUARD_DIR = Path(__file__).resolve().parent / "netguard"


@pytest.fixture(scope="session", autouse=True)
def network_guard() -> object:
    """Install the audit hook once (hooks cannot be removed; it acts only while active)."""
    bls_netguard.install(active=False)
    yield bls_netguard.state
    bls_netguard.state.active = False


@pytest.fixture(autouse=True)
def no_network(
    network_guard: object, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> object:
    """Fail the test that made this process, or a Python child of it, use the network."""
    log = tmp_path_factory.mktemp("netguard") / "violations.log"
    monkeypatch.setenv("BLS_NETGUARD_LOG", str(log))
    parts = [str(NETGUARD_DIR), *(p for p in os.environ.get("PYTHONPATH", "").split(":") if p)]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(dict.fromkeys(parts)))
    bls_netguard.state.violations.clear()
    bls_netguard.state.active = True
    try:
        yield bls_netguard.state
    finally:
        bls_netguard.state.active = False
    found = list(bls_netguard.state.violations)
    if log.exists():
        found += log.read_text(encoding="utf-8").splitlines()
    if found:
        pytest.fail("network use during the test: " + "; ".join(found[:5]), pytrace=False)


# --------------------------------------------------------------------------- environment skips
# A test skips, naming what to install, when the machine lacks the simpleaudio extra, ALSA, tmux
# or unshare; BLS_REQUIRE_AUDIO_TESTS=1 (.ci/run) turns every such skip into a failure.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from envskip import pytest_make_collect_report, pytest_runtest_makereport  # noqa: E402, F401
