"""Bad input everywhere: one clear line, a non-zero exit (or an inline message), no traceback,
and nothing already recorded is lost.

The CLI cases go through the real entry point (``bls_tui.cli.main``, as the ``bls`` script
runs it) with a database that already holds a session; its bytes must not change.  The
program must never get as far as opening the TUI with a bad input (``run_app`` is replaced by
a tripwire).  Parsers of preset files, config files, ratings and vitals are also fuzzed.
"""

from __future__ import annotations

import hashlib
import math
import struct
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Label

import bls_tui.cli as cli_mod
from bls_tui.config.appconfig import ConfigError, load_config, parse_config_text
from bls_tui.config.presets import PresetError, parse_preset_text
from bls_tui.ketamine.vitals import VitalsError, parse_vitals
from bls_tui.protocol.model import RatingError, parse_bhs, parse_sud, parse_voc
from bls_tui.records.store import Store
from bls_tui.sound.wavio import WavError, probe_wav
from bls_tui.stimulus.clock import FakeClock
from records_helpers import FakeWall, full_session

BAD_PRESETS = {
    "too-fast": "speed_hz = 9\n",
    "word-speed": 'speed_hz = "fast"\n',
    "half-cycle": "cycles = 2.5\n",
    "broken-toml": "speed_hz = = 1\n[[[\n",
    "unknown-key": "sped_hz = 1.0\n",
    "loop-a": 'inherits = "loop-b"\n',
    "loop-b": 'inherits = "loop-a"\n',
    "red-dot": 'dot_color = "#ff0000"\n',
    "section": "[motion]\nspeed_hz = 1.0\n",
    "both-lengths": "cycles = 10\nseconds = 20\n",
    "loud": "volume_pct = 150\n",
    "not-utf8": b"speed_hz = \xff\xfe1\n",
    "no-parent": 'inherits = "nobody"\n',
    "bool-speed": "speed_hz = true\n",
}

CLI_CASES: list[tuple[list[str], str]] = [
    (["run", "--speed", "3"], "--speed 3"),
    (["run", "--speed", "-1"], "--speed"),
    (["run", "--speed", "nan"], "--speed"),
    (["run", "--speed", "inf"], "--speed"),
    (["run", "--speed", "fast"], "--speed"),
    (["run", "--cycles", "0"], "--cycles 0"),
    (["run", "--cycles", "2.5"], "--cycles"),
    (["run", "--seconds", "99999"], "--seconds"),
    (["run", "--pattern", "spiral"], "--pattern"),
    (["run", "--profile", "jumpy"], "--profile"),
    (["run", "--dwell-ms", "-5"], "--dwell-ms"),
    (["run", "--end", "middle"], "--end"),
    (["run", "--preset", "nosuch"], "nosuch"),
    (["run", "--cycles", "4", "--seconds", "10"], "one or the other"),
    (["run", "--volume", "150"], "--volume"),
    (["run", "--freq", "50"], "--freq"),
    (["run", "--tone", "nosuch"], "--tone"),
    (["run", "--tone", "broken"], "broken"),
    (["run", "--audio", "jack"], "--audio"),
    (["run", "--audio-latency-ms", "5000"], "--audio-latency-ms"),
    (["run", "--trace", "/proc/no/such/trace.jsonl"], "--trace"),
    (["run", "--no-such-flag"], "--no-such-flag"),
    (["session", "--kind", "weird"], "--kind"),
    (["session", "--planned", "0"], "--planned"),
    (["session", "--client", "John Smith"], "--client"),
    (["session", "--client", "C-1;DROP"], "--client"),
    (["session", "--client", "C-1", "--target", "x" * 500], "target"),
    (["session", "--client", "C-1", "--preset", "nosuch"], "nosuch"),
    (["session", "--resume-id", "99"], "99"),
    (["session", "--resume-id", "99999999999999999999999"], "--resume-id"),
    (["session", "--resume-id", "0"], "--resume-id"),
    (["session", "--client", "C-1", "--kind", "integration"], "--after-dose"),
    (["session", "--client", "C-1", "--kind", "integration", "--after-dose", "1"], "dose link"),
    (["session", "--client", "C-1", "--after-dose", "99"], "no session with ID 99"),
    (["session", "--client", "C-1", "--target-id", "99"], "no target with ID 99"),
    (["session", "--target-id", "1"], "--client"),
    (["session", "--client", "C-1", "--target-id", "1", "--target", "x"], "not both"),
    (["session", "--client", "C-1", "--after-dose", "99999999999999999999"], "--after-dose"),
    (["session", "--client", "C-1", "--target-id", "0"], "--target-id"),
    (["targets", "status", "99999999999999999999999", "planned"], "not in the range"),
    (["targets", "add", "C-1", "x", "--touchstone", "-5"], "--touchstone"),
    (["targets", "add", "C-1", "x", "--prong", "later"], "prong"),
    (["client", "John Smith"], "client code"),
    (["sessions", "show", "abc"], "abc"),
    (["sessions", "show", "0"], "0"),
    (["sessions", "show", "1.5"], "1.5"),
    (["sessions", "show", "99999"], "99999"),
    (["sessions", "export", "1", "--format", "pdf"], "--format"),
    (["sessions", "export", "1", "-o", "/no/such/folder/x.md"], "/no/such/folder"),
    (["sessions", "delete"], ""),
    (["sessions", "list", "--client", "John Smith"], "--client"),
    (["presets", "show", "nosuch"], "nosuch"),
    (["dance"], "dance"),
    (["render", "/no/such/folder/out.wav"], "out.wav"),
    *[(["run", "--preset", name], name) for name in BAD_PRESETS if name != "loop-b"],
]


@pytest.fixture
def recorded(isolated_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database holding one finished session, bad preset files and a broken user WAV."""
    with Store.open(wall=FakeWall()) as store:
        full_session(store)
    folder = isolated_dirs["config"] / "presets"
    folder.mkdir(parents=True)
    for name, text in BAD_PRESETS.items():
        path = folder / f"{name}.toml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
    sounds = isolated_dirs["data"] / "sounds"
    sounds.mkdir(parents=True)
    (sounds / "broken.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt junk")

    def tripwire(app: object) -> None:
        raise AssertionError("a bad input got as far as starting the TUI")

    monkeypatch.setattr(cli_mod.launch, "run_app", tripwire)
    return isolated_dirs["data"] / "sessions.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("args", "needle"), CLI_CASES, ids=[" ".join(a)[:40] for a, _ in CLI_CASES]
)
def test_bad_cli_input_gives_one_line_and_loses_nothing(
    args: list[str], needle: str, recorded: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    before = digest(recorded)
    monkeypatch.setattr(sys, "argv", ["bls", *args])
    with pytest.raises(SystemExit) as exited:
        cli_mod.main()
    out = capsys.readouterr()
    assert exited.value.code not in (0, None), out
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, out.err
    assert lines[0].startswith("bls: error: "), lines[0]
    assert needle in lines[0], lines[0]
    assert "Traceback" not in out.err + out.out
    assert digest(recorded) == before


BAD_CONFIGS = [
    ('audio = "jack"\n', "audio"),
    ("hr_min = 130\n", "hr_min"),
    ("spo2_min = 101\n", "spo2_min"),
    ("closure_margin_min = 1.5\n", "closure_margin_min"),
    ("bp_systolic_max = nan\n", "bp_systolic_max"),
    ("audio_latency_ms = 1e9\n", "audio_latency_ms"),
    ("speed_hz = 3\n", "unknown key"),
    ("checkin_interval_min = true\n", "checkin_interval_min"),
    ("integration_window_h = 0\n", "integration_window_h"),
    ("integration_window_h = 10000\n", "integration_window_h: 10000 is out of range 1-336"),
    ('integration_window_h = "two days"\n', "integration_window_h"),
    ("[[x]]\n", "x"),
    ("hr_max = = 3\n", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "needle"), BAD_CONFIGS)
def test_bad_config_file_one_line(text: str, needle: str, isolated_dirs: dict[str, Path]) -> None:
    path = isolated_dirs["config"] / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config()
    message = str(err.value)
    assert "\n" not in message and needle in message and str(path) in message


def test_unreadable_config_file_one_line(isolated_dirs: dict[str, Path]) -> None:
    path = isolated_dirs["config"] / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"audio = \xff\n")
    with pytest.raises(ConfigError) as err:
        load_config()
    assert "\n" not in str(err.value) and "cannot read" in str(err.value)


def _wav(channels: int = 1, width: int = 2, rate: int = 48000, frames: int = 100) -> bytes:
    data = b"\0" * (frames * channels * width)
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * width, channels * width,
                      8 * width)  # fmt: skip
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data"
    body += struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


BAD_WAVS = {
    "empty": b"",
    "text": b"this is not audio\n",
    "truncated": _wav()[:-50],
    "six-channels": _wav(channels=6),
    "rate-10hz": _wav(rate=10),
    "no-frames": _wav(frames=0),
    "too-long": _wav(rate=1000, frames=60_000),
    "header-only": _wav()[:12],
}


@pytest.mark.parametrize("name", list(BAD_WAVS))
def test_bad_wav_one_line(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.wav"
    path.write_bytes(BAD_WAVS[name])
    with pytest.raises(WavError) as err:
        probe_wav(path, max_seconds=30)
    assert "\n" not in str(err.value) and path.name in str(err.value)


BAD_VITALS = [
    {"bp": "120"},
    {"bp": "120/"},
    {"bp": "400/80"},
    {"bp": "120/80", "systolic": "120"},
    {"hr": "abc"},
    {"hr": "-5"},
    {"spo2": "101"},
    {"spo2": "9.5.1"},
    {"systolic": "1e3"},
    {"presence": "eleven"},
    {"sedation": "very"},
]


@pytest.mark.parametrize("fields", BAD_VITALS, ids=[str(f) for f in BAD_VITALS])
def test_bad_vitals_one_line(fields: dict[str, str]) -> None:
    with pytest.raises(VitalsError) as err:
        parse_vitals(**fields)
    assert "\n" not in str(err.value) and str(err.value)


async def test_bad_prompt_fields_are_refused_inline_and_nothing_is_lost(tmp_path: Path) -> None:
    """SUD / VOC typed wrong in the session's forms: an inline message, the form stays open."""
    from bls_tui.config.presets import Preset
    from bls_tui.services.runtime import RunOptions
    from bls_tui.services.session import SessionStart
    from bls_tui.ui.app import make_app
    from bls_tui.ui.screens.form import FormScreen
    from bls_tui.ui.screens.session import SessionScreen

    clock = FakeClock()
    db = tmp_path / "s.db"
    app = make_app(
        RunOptions(preset=Preset(speed_hz=2.0, cycles=1)), clock, mode="session",
        session=SessionStart("P-1", preset="standard"),
        store_opener=lambda: Store.open(db, backup=False),
    )  # fmt: skip
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.press("space")
        clock.advance(0.6)
        await pilot.pause(0.1)
        await pilot.press("n", "n")  # preparation, then assessment: its form opens
        assert isinstance(app.screen, FormScreen)
        tried = 0
        bad = [("voc", "0"), ("voc", "8"), ("voc", "4.5"), ("voc", "seven"), ("sud", "11"),
               ("sud", "-1"), ("sud", "1e1"), ("sud", "５")]  # fmt: skip
        for field, value in bad:
            for f in ("voc", "sud"):
                app.screen.query_one(f"#f-{f}", Input).value = ""
            app.screen.query_one(f"#f-{field}", Input).value = value
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, FormScreen), (field, value)
            error = str(app.screen.query_one(f"#e-{field}", Label).content)
            assert field.upper() in error and "\n" not in error, (field, value, error)
            tried += 1
        assert tried == 8
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)
    with Store.open(db, backup=False) as store:
        data = store.load_session(1)
    assert [s.number for s in data.sets] == [1]
    assert data.ratings == []


# --------------------------------------------------------------------------- fuzzing
TOML_KEYS = ["speed_hz", "cycles", "seconds", "pattern", "volume_pct", "dot_color", "audio",
             "hr_min", "hr_max", "spo2_min", "inherits", "x"]  # fmt: skip
toml_values = st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.text(max_size=20), st.lists(st.integers(), max_size=3),
)  # fmt: skip


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return (
            "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        )
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return repr(v)


documents = st.one_of(
    st.text(max_size=200),
    st.dictionaries(st.sampled_from(TOML_KEYS), toml_values, max_size=6).map(
        lambda d: "".join(f"{k} = {_toml_value(v)}\n" for k, v in d.items())
    ),
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_fuzz_config_only_raises_config_error_in_one_line(text: str) -> None:
    try:
        config = parse_config_text(text, "config.toml")
    except ConfigError as exc:
        assert "\n" not in str(exc).strip() and str(exc).startswith("config.toml:")
        return
    assert config.hr_min < config.hr_max


@settings(max_examples=300, deadline=None)
@given(documents)
def test_fuzz_presets_only_raise_preset_error_in_one_line(text: str) -> None:
    try:
        values = parse_preset_text(text, "p.toml")
    except PresetError as exc:
        assert "\n" not in str(exc).strip() and str(exc).startswith("p.toml:")
        return
    speed = values.get("speed_hz", 1.0)
    assert 0.1 <= speed <= 2.0 and 0 <= values.get("volume_pct", 40) <= 100


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=12))
def test_fuzz_rating_fields(text: str) -> None:
    for parse, low, high in ((parse_sud, 0, 10), (parse_voc, 1, 7), (parse_bhs, 0, 10)):
        try:
            value = parse(text)
        except RatingError as exc:
            assert "\n" not in str(exc)
            continue
        assert value is None or (isinstance(value, int) and low <= value <= high)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["bp", "systolic", "diastolic", "hr", "spo2", "presence",
                                        "sedation", "note"]),
                       st.text(max_size=12), max_size=4))  # fmt: skip
def test_fuzz_vitals_fields(fields: dict[str, str]) -> None:
    try:
        parse_vitals(**fields)
    except VitalsError as exc:
        assert "\n" not in str(exc) and str(exc)


def test_at_least_forty_bad_inputs_are_covered() -> None:
    total = len(CLI_CASES) + len(BAD_CONFIGS) + 1 + len(BAD_WAVS) + len(BAD_VITALS) + 8
    assert total >= 40
    print(f"{total} table-driven bad inputs (+ fuzzing)")


def test_render_to_an_unwritable_path_prints_only_one_line(tmp_path: Path) -> None:
    from real_app import bls_env, run_bls

    res = run_bls(bls_env(tmp_path), "render", str(tmp_path / "no" / "such" / "out.wav"))
    assert res.returncode != 0
    assert res.stderr.strip().splitlines() == [res.stderr.strip().splitlines()[0]], res.stderr
    assert "Traceback" not in res.stderr
