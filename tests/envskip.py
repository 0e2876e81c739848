"""Skips for a missing piece of the machine, and the CI switch that turns them into failures.

Tests skip, with a reason naming what to install, when this machine lacks something they need:
the ``simpleaudio`` extra (a C compiler and ALSA headers to build it), ALSA itself, ``tmux`` or
``unshare``/``mount``.  A newcomer's ``python3 -m pytest`` then passes with those skips listed.
CI must test all of it for real, so with ``BLS_REQUIRE_AUDIO_TESTS=1`` (set by ``.ci/run``) each
such skip becomes a failure.  The hooks look at the skip's *reason*, so a plain ``pytest.skip``,
a ``skipif`` marker or a module-level ``importorskip`` anywhere in the suite (whoever wrote it) is
caught as long as its reason names the missing piece; :func:`env_skip` is the explicit form.
"""

from __future__ import annotations

import os
import re
import shutil
from typing import Any, NoReturn

import pytest

REQUIRE_VAR = "BLS_REQUIRE_AUDIO_TESTS"
MARK = "[environment]"

# Words that name a piece of the machine a test may need.  Matched case-insensitively in the
# skip reason.
ENV_PIECES = re.compile(
    r"\[environment\]|simpleaudio|miniaudio|\balsa\b|libasound|asound|sound card|audio device"
    r"|\btmux\b|\bunshare\b|\bmount\b|namespace",
    re.IGNORECASE,
)

INSTALL_HINTS = {
    "simpleaudio": "apt-get install gcc libasound2-dev python3-dev && "
    "pip install -e '.[test,simpleaudio]'",
    "miniaudio": "apt-get install libasound2 (ALSA's runtime library; miniaudio itself is a "
    "dependency)",
    "tmux": "apt-get install tmux (macOS: brew install tmux)",
    "unshare": "apt-get install util-linux mount (Linux only)",
}


def required() -> bool:
    """True when environment skips must fail (CI)."""
    return os.environ.get(REQUIRE_VAR) == "1"


def env_skip(reason: str) -> NoReturn:
    """Skip for a missing piece of the machine (a failure under ``BLS_REQUIRE_AUDIO_TESTS=1``)."""
    pytest.skip(f"{MARK} {reason}")


def need_tool(name: str, hint_key: str | None = None) -> None:
    """Skip unless the program ``name`` is on PATH; the reason says how to install it."""
    if shutil.which(name) is None:
        env_skip(f"needs {name}: {INSTALL_HINTS.get(hint_key or name, 'install ' + name)}")


def skip_reason(longrepr: Any) -> str:
    """The reason of a skipped report (pytest stores ``(path, line, 'Skipped: reason')``)."""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def is_env_skip(reason: str) -> bool:
    """True when ``reason`` names a missing piece of the machine."""
    return bool(ENV_PIECES.search(reason))


def _fail_report(report: Any) -> None:
    reason = skip_reason(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (
        f"{REQUIRE_VAR}=1 (CI): a test skipped for a missing piece of the machine, which "
        f"counts as a failure here. {reason}"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under the CI switch, an environment skip in setup, call or teardown fails the test."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and required() and not hasattr(report, "wasxfail"):
        if is_env_skip(skip_reason(report.longrepr)):
            _fail_report(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """The same for a whole module skipped at import (``importorskip``, module-level skip)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and required() and is_env_skip(skip_reason(report.longrepr)):
        _fail_report(report)
