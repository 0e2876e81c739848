"""TOML nested deeper than the parser can follow is bad TOML in one line, never a traceback.

Found by an adversarial pass: a 10 kB preset, config.toml or last.toml of nested arrays or
tables raised RecursionError (a 2,500-line traceback); in last.toml it stopped `bls run`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bls_tui.cli import app
from bls_tui.config.appconfig import ConfigError, parse_config_text
from bls_tui.config.presets import PresetError, parse_preset_text
from bls_tui.config.remembered import load_last

DEEP_ARRAY = "speed_hz = " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_TABLE = "a = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n"


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_TABLE], ids=["array", "table"])
def test_deep_nesting_is_bad_toml_in_one_line(text: str) -> None:
    with pytest.raises(PresetError, match=r"deep.toml:1: not valid TOML .*nested too deeply"):
        parse_preset_text(text, "deep.toml")
    with pytest.raises(ConfigError, match=r"config.toml:1: not valid TOML .*nested too deeply"):
        parse_config_text(text, "config.toml")


def test_deep_last_settings_are_set_aside_and_commands_still_run(
    isolated_dirs: dict[str, Path],
) -> None:
    last = isolated_dirs["config"] / "last.toml"
    last.parent.mkdir(parents=True, exist_ok=True)
    last.write_text(DEEP_ARRAY)
    preset, warning = load_last()
    assert preset is None and warning is not None and "nested too deeply" in warning
    result = CliRunner().invoke(app, ["presets", "show", "standard"])
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_a_deep_preset_file_is_one_line_from_the_cli(isolated_dirs: dict[str, Path]) -> None:
    folder = isolated_dirs["config"] / "presets"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deep.toml").write_text(DEEP_ARRAY)
    result = CliRunner().invoke(app, ["presets", "show", "deep"])
    assert result.exit_code != 0
    assert "nested too deeply" in result.output and "Traceback" not in result.output
