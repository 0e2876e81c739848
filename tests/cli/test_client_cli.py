"""`bls client CODE` and `bls targets ...`: the plan from the shell, the case as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import bls_tui.cli as cli_mod
from bls_tui.cli import app
from bls_tui.records.store import Store
from records_helpers import make_set

runner = CliRunner()


def bls(*args: str) -> Result:
    return runner.invoke(app, list(args))


def one_line_error(result: Result, code: int, text: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("bls: error: ") and text in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_a_plan_from_the_shell(isolated_dirs: dict[str, Path]) -> None:
    assert bls("targets", "add", "C-1", "car crash", "--nc", "I am going to die").exit_code == 0
    added = bls("targets", "add", "C-1", "horns", "--prong", "present", "--touchstone", "1")
    assert added.exit_code == 0 and "target #2 added for C-1" in added.stdout
    bls("targets", "add", "C-1", "interview", "--prong", "future", "--pc", "I can handle it")
    listed = bls("targets", "list", "C-1").stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["#1", "#2", "#3"]
    assert "past memory" in listed[0] and "[planned]" in listed[0]
    assert "future template" in listed[2]
    one_line_error(bls("targets", "status", "1", "completed"), 1, "no SUD recorded")
    done = bls("targets", "status", "1", "completed", "--reason", "worked elsewhere")
    assert done.exit_code == 0 and "target #1: completed" in done.stdout
    assert "[completed]" in bls("targets", "list", "C-1").stdout


def test_a_target_in_use_is_archived_not_deleted(isolated_dirs: dict[str, Path]) -> None:
    bls("targets", "add", "C-1", "car crash")
    with Store.open() as store:
        store.create_session("C-1", "standard", 60, target_id=1)
    one_line_error(bls("targets", "delete", "1"), 1, "archive it instead")
    assert bls("targets", "archive", "1", "--reason", "moved on").exit_code == 0
    assert bls("targets", "list", "C-1").stdout.strip() == "no targets for C-1"
    assert "(archived)" in bls("targets", "list", "C-1", "--archived").stdout


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["targets", "add", "Jane Smith", "x"], 2, "client code"),
        (["targets", "add", "C-1", ""], 2, "label: a target needs a short label"),
        (["targets", "add", "C-1", "x", "--prong", "later"], 2, "prong must be past"),
        (["targets", "add", "C-1", "x", "--touchstone", "99"], 1, "no target with ID 99"),
        (["targets", "status", "99", "planned"], 1, "no target with ID 99"),
        (["targets", "status", "1", "finished"], 2, "status must be planned"),
        (["targets", "delete", "99"], 1, "no target with ID 99"),
        (["client", "John Smith"], 2, "client code"),
    ],
)
def test_bad_input_is_one_line(
    isolated_dirs: dict[str, Path], args: list[str], code: int, text: str
) -> None:
    bls("targets", "add", "C-1", "car crash")
    one_line_error(bls(*args), code, text)


def test_the_case_as_text(isolated_dirs: dict[str, Path]) -> None:
    bls("targets", "add", "C-1", "car crash", "--nc", "I am going to die")
    with Store.open() as store:
        sid = store.create_session("C-1", "standard", 60, target_id=1)
        store.record_set(make_set(sid, 1))
        store.finish_session(sid, closure_complete=False, final_sud=4, final_voc=3)
        talk = store.create_session("C-1", "standard", 60, target_id=1)
        store.finish_session(talk, closure_complete=True)
    text = bls("client", "C-1", "--text").stdout
    assert text.startswith("# Case: client C-1")
    assert "### Past memory" in text and "NC: I am going to die" in text
    assert "latest SUD 4, VOC 3" in text
    assert "| 1 |" in text and "incomplete" in text
    assert "| 0 | – → – | – | closed |" in text  # no BLS: closed, not "complete"


def test_client_opens_the_case_view(
    isolated_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def fake_run(app_obj: object) -> None:
        seen["mode"] = getattr(app_obj, "mode", None)
        seen["client"] = app_obj.session_start.client_code  # type: ignore[attr-defined]

    monkeypatch.setattr(cli_mod.launch, "run_app", fake_run)
    assert bls("client", "C-1").exit_code == 0
    assert seen == {"mode": "case", "client": "C-1"}


def test_measures_list_can_plot_the_totals(isolated_dirs: dict[str, Path]) -> None:
    for day, answers in (("2026-11-02", "2,2,2,2,2,2,2"), ("2026-11-16", "1,1,1,0,0,0,0")):
        added = bls("measures", "add", "C-1", "gad7", "--answers", answers, "--taken-at", day)
        assert added.exit_code == 0, added.stderr
    shown = bls("measures", "list", "C-1", "--plot").stdout
    assert "GAD-7 (0-21)" in shown and "days since the first measure" in shown
