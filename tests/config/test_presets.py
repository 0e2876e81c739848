"""Presets: built-ins, user TOML files, inheritance, and a table of bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bls_tui.config.presets import (
    BUILTINS,
    Preset,
    PresetError,
    available,
    parse_preset_text,
    resolve,
    to_toml,
)


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtins_cover_the_domain_uses(tmp_path: Path) -> None:
    for name in ("standard", "resource", "installation", "eyes-closed", "gentle"):
        assert name in BUILTINS
    std = resolve("standard", tmp_path)
    assert (std.speed_hz, std.cycles) == (1.0, 24)
    gentle = resolve("gentle", tmp_path)
    assert gentle.speed_hz < std.speed_hz and gentle.cycles is not None and gentle.cycles < 24
    resource = resolve("resource", tmp_path)
    assert resource.speed_hz < 1.0 and resource.cycles is not None and resource.cycles <= 6
    assert resolve("installation", tmp_path).speed_hz < 1.0
    assert resolve("eyes-closed", tmp_path).show_dot is False


def test_every_builtin_is_within_caps(tmp_path: Path) -> None:
    for name in BUILTINS:
        p = resolve(name, tmp_path)
        assert 0.1 <= p.speed_hz <= 2.0
        assert 0 <= p.volume_pct <= 100


def test_user_preset_inherits_and_overrides(tmp_path: Path) -> None:
    write(tmp_path, "mine", 'inherits = "gentle"\ncycles = 10\npattern = "vertical"\n')
    write(tmp_path, "mine2", 'inherits = "mine"\nspeed_hz = 0.4\n')
    p = resolve("mine2", tmp_path)
    assert (p.name, p.speed_hz, p.cycles, p.pattern) == ("mine2", 0.4, 10, "vertical")
    assert p.volume_pct == resolve("gentle", tmp_path).volume_pct
    assert "mine" in available(tmp_path)


def test_seconds_replaces_cycles(tmp_path: Path) -> None:
    write(tmp_path, "timed", "seconds = 30\n")
    p = resolve("timed", tmp_path)
    assert p.cycles is None and p.seconds == 30.0


def test_show_prints_resolved_toml_that_parses_back(tmp_path: Path) -> None:
    p = resolve("gentle", tmp_path)
    text = to_toml(p)
    raw = parse_preset_text(text, "shown")
    assert raw["speed_hz"] == p.speed_hz and raw["cycles"] == p.cycles


BAD = [
    ("speed_hz = 3.0\n", ":1: speed_hz: 3 is out of range 0.1-2 Hz"),
    ("\n\nspeed_hz = 0.05\n", ":3: speed_hz: 0.05 is out of range"),
    ('speed_hz = "fast"\n', ":1: speed_hz: must be a number"),
    ("cycles = -1\n", ":1: cycles: -1 is out of range"),
    ("cycles = 2.5\n", ":1: cycles: must be a whole number"),
    ("colour = 1\n", ":1: colour: unknown key"),
    ('pattern = "spiral"\n', ":1: pattern: unknown pattern 'spiral'"),
    ('profile = "bouncy"\n', ":1: profile: unknown profile"),
    ("dwell_ms = 500\n", ":1: dwell_ms: 500 is out of range 0-200 ms"),
    ("dot_size = 5\n", ":1: dot_size: 5 is out of range 1-3 rows"),
    ('dot_color = "#ff0000"\n', ":1: dot_color: saturated red"),
    ('dot_color = "red"\n', ":1: dot_color: must be a colour"),
    ("show_dot = 1\n", ":1: show_dot: must be true or false"),
    ("volume_pct = 150\n", ":1: volume_pct: 150 is out of range 0-100 %"),
    ("freq_hz = 50\n", ":1: freq_hz: 50 is out of range 200-1000 Hz"),
    ("burst_ms = 5\n", ":1: burst_ms: 5 is out of range 30-300 ms"),
    ("cycles = 10\nseconds = 20\n", ":2: seconds: give cycles or seconds"),
    ("speed_hz = \n", ": not valid TOML"),
    ("[sound]\nvolume = 3\n", ": sound: sections are not allowed"),
    ("inherits = 3\n", ":1: inherits: must be the name"),
    ('inherits = "nosuch"\n', ":1: inherits: no preset named 'nosuch'"),
    ('end_mode = "middle"\n', ":1: end_mode: must be 'edge' or 'centre'"),
    ("speed_hz = true\n", ":1: speed_hz: must be a number"),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_preset_files_give_file_line_key_message(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, "bad", text)
    with pytest.raises(PresetError) as info:
        resolve("bad", tmp_path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert expected in message
    assert "\n" not in message


def test_inheritance_loop_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a", 'inherits = "b"\n')
    write(tmp_path, "b", 'inherits = "a"\n')
    with pytest.raises(PresetError, match="inheritance loop"):
        resolve("a", tmp_path)


def test_unknown_preset(tmp_path: Path) -> None:
    with pytest.raises(PresetError, match="no preset named 'nope'"):
        resolve("nope", tmp_path)


def test_undecodable_file(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PresetError, match=r"bin\.toml:1"):
        resolve("bin", tmp_path)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_preset_parsing_only_raises_preset_error(text: str) -> None:
    try:
        raw = parse_preset_text(text, "fuzz.toml")
    except PresetError as exc:
        assert str(exc).startswith("fuzz.toml:")
        return
    # whatever parses must be applicable and within the caps
    p = Preset()
    for key, value in raw.items():
        if key != "inherits":
            setattr(p, key, value)
    assert 0.1 <= p.speed_hz <= 2.0


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["speed_hz", "cycles", "volume_pct", "dwell_ms", "freq_hz"]),
        st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=True), st.booleans()),
    )
)
def test_fuzz_values_never_exceed_caps(values: dict[str, object]) -> None:
    lines = []
    for k, v in values.items():
        if isinstance(v, bool):
            lines.append(f"{k} = {'true' if v else 'false'}")
        elif isinstance(v, float) and v != v:
            lines.append(f"{k} = nan")
        elif isinstance(v, float) and v in (float("inf"), float("-inf")):
            lines.append(f"{k} = {'inf' if v > 0 else '-inf'}")
        else:
            lines.append(f"{k} = {v!r}")
    try:
        raw = parse_preset_text("\n".join(lines), "f.toml")
    except PresetError:
        return
    if "speed_hz" in raw:
        assert 0.1 <= raw["speed_hz"] <= 2.0
    if "volume_pct" in raw:
        assert 0 <= raw["volume_pct"] <= 100


def test_presets_list_reads_the_folder_once_however_long_the_chains(
    isolated_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by an adversarial pass: 778 chained presets took 69 s to list, because every
    preset and every parent listed the folder again (quadratic); now the folder is listed once."""
    from typer.testing import CliRunner

    from bls_tui.cli import app, presets_cmd
    from bls_tui.config import presets as presets_mod

    folder = isolated_dirs["config"] / "presets"
    folder.mkdir(parents=True)
    for i in range(40):
        (folder / f"chain{i}.toml").write_text(f'inherits = "chain{i + 1}"\n')
    calls = []
    real = presets_mod.user_presets

    def counted(directory: Path) -> dict[str, Path]:
        calls.append(directory)
        return real(directory)

    monkeypatch.setattr(presets_mod, "user_presets", counted)
    monkeypatch.setattr(presets_cmd, "user_presets", counted)
    result = CliRunner().invoke(app, ["presets", "list"])
    assert result.exit_code == 0
    assert "chain0 " in result.output and "deeper than 16 presets" in result.output
    assert len(calls) <= 2, len(calls)  # available() and the list itself; never per preset


def test_the_integration_window_is_read_from_config() -> None:
    from bls_tui.config.appconfig import AppConfig, parse_config_text

    assert AppConfig().integration_window_h is None  # no length is built in
    assert parse_config_text("integration_window_h = 48\n", "c.toml").integration_window_h == 48
