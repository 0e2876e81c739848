"""CLI: flags, presets commands, bad input (one line, exit 2), version, remembered settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bls_tui import __version__
from bls_tui.cli import app
from bls_tui.cli.errors import CliError
from bls_tui.cli.options import build_preset
from bls_tui.config.presets import Preset
from bls_tui.config.remembered import load_last, save_last

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize("command", [[], ["run"], ["presets"], ["presets", "show"]])
def test_help_on_every_command(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_presets_list_show_path(isolated_dirs: dict[str, Path]) -> None:
    result = runner.invoke(app, ["presets", "list"])
    assert result.exit_code == 0
    for name in ("standard", "resource", "installation", "eyes-closed", "gentle"):
        assert name in result.stdout
    shown = runner.invoke(app, ["presets", "show", "gentle"])
    assert shown.exit_code == 0 and "speed_hz = 0.6" in shown.stdout
    path = runner.invoke(app, ["presets", "path"])
    assert path.stdout.strip() == str(isolated_dirs["config"] / "presets")


def test_user_preset_listed_and_shown(isolated_dirs: dict[str, Path]) -> None:
    folder = isolated_dirs["config"] / "presets"
    folder.mkdir(parents=True)
    (folder / "slowish.toml").write_text('inherits = "standard"\nspeed_hz = 0.7\n')
    assert "slowish" in runner.invoke(app, ["presets", "list"]).stdout
    shown = runner.invoke(app, ["presets", "show", "slowish"])
    assert "speed_hz = 0.7" in shown.stdout and "cycles = 24" in shown.stdout


def test_presets_show_bad_file_one_line_exit_2(isolated_dirs: dict[str, Path]) -> None:
    folder = isolated_dirs["config"] / "presets"
    folder.mkdir(parents=True)
    (folder / "bad.toml").write_text("speed_hz = 9\n")
    result = runner.invoke(app, ["presets", "show", "bad"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.toml:1: speed_hz: 9 is out of range" in lines[0]


BAD_RUN = [
    (["--speed", "3"], "--speed 3: must be from 0.1 to 2"),
    (["--speed", "0"], "--speed 0: must be from 0.1 to 2"),
    (["--cycles", "-1"], "--cycles -1: must be from 1 to 500"),
    (["--seconds", "0.2"], "--seconds 0.2: must be from 1"),
    (["--pattern", "spiral"], "--pattern 'spiral': unknown pattern"),
    (["--profile", "jumpy"], "--profile 'jumpy': unknown profile"),
    (["--preset", "nosuch"], "no preset named 'nosuch'"),
    (["--cycles", "4", "--seconds", "10"], "give one or the other"),
    (["--dwell-ms", "900"], "--dwell-ms 900: must be from 0 to 200"),
    (["--end", "middle"], "--end 'middle'"),
]


@pytest.mark.parametrize(("args", "message"), BAD_RUN)
def test_bad_run_flags_one_line_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["run", *args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_flags_override_preset() -> None:
    preset, warnings = build_preset(preset="gentle", fresh=False, speed=0.9, pattern="vertical")
    assert (preset.speed_hz, preset.pattern, preset.cycles) == (0.9, "vertical", 8)
    assert warnings == []
    timed, _ = build_preset(preset="standard", fresh=False, seconds=30.0)
    assert timed.cycles is None and timed.seconds == 30.0


def test_last_used_remembered_and_fresh_ignores_it() -> None:
    save_last(Preset(name="gentle", speed_hz=0.7, cycles=10, pattern="diagonal-up"))
    remembered, _ = build_preset(preset=None, fresh=False)
    assert (remembered.speed_hz, remembered.cycles, remembered.pattern) == (
        0.7,
        10,
        "diagonal-up",
    )
    fresh, _ = build_preset(preset=None, fresh=True)
    assert (fresh.speed_hz, fresh.cycles, fresh.pattern) == (1.0, 24, "horizontal")


def test_last_used_file_is_private_and_damaged_file_is_ignored(
    isolated_dirs: dict[str, Path],
) -> None:
    save_last(Preset())
    path = isolated_dirs["config"] / "last.toml"
    assert path.stat().st_mode & 0o777 == 0o600
    path.write_text("speed_hz = 99\n")
    preset, warning = load_last()
    assert preset is None and warning is not None and "ignoring" in warning
    chosen, warnings = build_preset(preset=None, fresh=False)
    assert chosen.speed_hz == 1.0 and warnings


def test_cli_error_type() -> None:
    with pytest.raises(CliError):
        build_preset(preset=None, fresh=True, speed=2.5)


def test_console_script_usage_error_is_one_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bls_tui", "run", "--speed", "fast"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "--speed" in lines[0] and "Traceback" not in out.stderr


def test_unknown_command_is_one_line() -> None:
    out = subprocess.run([sys.executable, "-m", "bls_tui", "dance"], capture_output=True, text=True)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
