"""The skip -> failure switch: BLS_REQUIRE_AUDIO_TESTS=1 (CI) fails every environment skip.

A small suite in a temporary folder uses the same hooks (tests/envskip.py) and is run by a
child pytest, once as a newcomer runs it and once as .ci/run does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

SUITE = """
import pytest
from envskip import env_skip, need_tool

def test_needs_tmux():
    pytest.skip("needs tmux: apt-get install tmux")

def test_backend():
    pytest.skip("simpleaudio cannot open the file-routed ALSA device: no module")

def test_explicit():
    env_skip("a piece of the machine")

def test_missing_program():
    need_tool("bls-no-such-program-13", "tmux")

@pytest.mark.skipif(True, reason="needs unshare(1) and mount(8)")
def test_marker():
    pass

def test_deliberate():
    pytest.skip("only meaningful for presets with a dwell")

@pytest.mark.xfail(reason="tmux known issue", strict=True)
def test_xfail():
    raise AssertionError

def test_passes():
    pass
"""

MODULE_SKIP = 'import pytest\nsimpleaudio = pytest.importorskip("simpleaudio_not_here_13")\n'


def run_suite(tmp_path: Path, require: bool) -> tuple[int, str]:
    (tmp_path / "conftest.py").write_text(
        f"import sys\nsys.path.insert(0, {str(TESTS)!r})\n"
        "from envskip import pytest_make_collect_report, pytest_runtest_makereport\n",
        encoding="utf-8",
    )
    (tmp_path / "test_suite.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "test_module_skip.py").write_text(MODULE_SKIP, encoding="utf-8")
    env = dict(os.environ)
    env.pop("BLS_REQUIRE_AUDIO_TESTS", None)
    if require:
        env["BLS_REQUIRE_AUDIO_TESTS"] = "1"
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "-p", "no:xdist", "--continue-on-collection-errors", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return res.returncode, res.stdout + res.stderr


def counts(out: str) -> dict[str, int]:
    finals = [line for line in out.splitlines() if " in " in line and "passed" in line]
    assert finals, out
    return {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", finals[-1])}


@pytest.mark.parametrize("require", [False, True], ids=["newcomer", "ci"])
def test_environment_skips_fail_only_under_the_ci_switch(tmp_path: Path, require: bool) -> None:
    code, out = run_suite(tmp_path, require)
    got = counts(out)
    assert got.get("passed") == 1 and got.get("xfailed") == 1, out
    if not require:
        assert code == 0, out
        # 5 environment skips + the deliberate one in the suite, and the skipped module
        assert got.get("skipped") == 7 and "failed" not in got, out
        assert "needs tmux: apt-get install tmux" in out  # -rs lists each reason
    else:
        assert code == 1, out
        # 4 in the call, the skipif marker in setup and the module at collection (errors)
        assert got.get("failed") == 4 and got.get("errors") == 2, out
        assert got.get("skipped") == 1, out
        assert "only meaningful for presets with a dwell" in out  # a deliberate skip stays
        assert out.count("BLS_REQUIRE_AUDIO_TESTS=1 (CI)") >= 6, out


def test_the_ci_script_sets_the_switch_and_runs_the_readme_command() -> None:
    repo = TESTS.parent
    ci = (repo / ".ci" / "run").read_text(encoding="utf-8")
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "export BLS_REQUIRE_AUDIO_TESTS=1" in ci
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)
    test_cmd = next(b for b in blocks if "pytest" in b)
    assert "\n" + test_cmd + "\n" in ci, "the README's test command must run verbatim in .ci/run"
    assert "simpleaudio" in ci and "libasound2-dev" in ci
