"""Defect B04: a bracketed paste with an ESC in it arrives whole, in order, and never as keys.

Textual 8.2.8's parser read ``ESC [200~ abc ESC def ESC [201~`` as the keys ``^ d e f`` and
then a paste of ``abc``: the note bar showed ``^defabc``.  A paste ending in an ESC sent a
real ``escape`` key: the stop signal during a set, "close without saving" on a form.  Here the
bytes a terminal sends go through the parser the terminal driver builds (the headless test
driver has none), and in the last test through a real terminal (tmux ``paste-buffer -p``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual import events
from textual.drivers import linux_driver
from textual.message import Message
from textual.widgets import Input

from bls_tui.config.presets import Preset
from bls_tui.records.store import Store
from bls_tui.services.runtime import RunOptions
from bls_tui.services.session import SessionStart
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import SetState
from bls_tui.ui.app import BlsApp, make_app
from bls_tui.ui.screens.form import FormScreen
from bls_tui.ui.screens.session import SessionScreen
from real_app import TmuxApp, bls_env, db_rows

START, END = "\x1b[200~", "\x1b[201~"
E = "\\x1b"  # how an ESC from a paste is shown: the four characters \x1b


def session_app(db: Path) -> BlsApp:
    return make_app(
        RunOptions(preset=Preset()),
        FakeClock(),
        mode="session",
        session=SessionStart("P-1", planned_min=60),
        store_opener=lambda: Store.open(db, backup=False),
    )


def terminal_events(data: str, *, one_char_at_a_time: bool = False) -> list[Message]:
    """What the app's Linux terminal driver makes of ``data`` read from the terminal."""
    parser = linux_driver.XTermParser()  # the class the driver builds its parser from
    chunks = list(data) if one_char_at_a_time else [data]
    return [event for chunk in chunks for event in parser.feed(chunk)]


def shown(messages: list[Message]) -> list[tuple[str, str | None]]:
    return [
        ("paste", m.text) if isinstance(m, events.Paste) else ("key", getattr(m, "key", None))
        for m in messages
    ]


@pytest.mark.parametrize("one_char_at_a_time", [False, True], ids=["one-read", "char-by-char"])
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (f"{START}abc\x1bdef{END}", [("paste", f"abc{E}def")]),
        (f"{START}abc\x1b{END}", [("paste", f"abc{E}")]),  # was the escape key
        (f"{START}a\x1b\x1bb{END}", [("paste", f"a{E}{E}b")]),
        (f"{START}note: \x1b[31mred\x1b[0m.{END}", [("paste", f"note: {E}[31mred{E}[0m.")]),
        (f"{START}x\x1b" + "y" * 40 + END, [("paste", f"x{E}" + "y" * 40)]),
        (f"{START}a\x1b[201b{END}s", [("paste", f"a{E}[201b"), ("key", "s")]),
        (
            f"\x1b[A{START}a\x1b[Ib{END}\x1b[B",
            [("key", "up"), ("paste", f"a{E}[Ib"), ("key", "down")],
        ),
    ],
    ids=["middle", "last", "two", "colours", "long-tail", "near-end-marker", "between-keys"],
)
def test_the_terminal_parser_keeps_a_paste_with_an_esc_whole(
    tmp_path: Path, data: str, expected: list[tuple[str, str]], one_char_at_a_time: bool
) -> None:
    session_app(tmp_path / "s.db")  # making the app chooses its terminal driver
    assert shown(terminal_events(data, one_char_at_a_time=one_char_at_a_time)) == expected


def test_outside_a_paste_the_esc_key_is_still_the_esc_key(tmp_path: Path) -> None:
    session_app(tmp_path / "s.db")
    parser = linux_driver.XTermParser()
    assert list(parser.feed("\x1b")) == []  # a lone Esc waits for the parser's short delay
    assert [e.key for e in parser.feed("\x1b[A")] == ["escape", "up"]  # type: ignore[attr-defined]


async def paste(app: BlsApp, pilot, data: str) -> None:  # type: ignore[no-untyped-def]
    for event in terminal_events(data):
        app.post_message(event)
    await pilot.pause()
    await pilot.pause()


async def test_a_paste_into_the_note_bar_during_a_set_keeps_its_order_and_the_set(
    tmp_path: Path,
) -> None:
    db = tmp_path / "s.db"
    app = session_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "semicolon", *"calm ")
        assert app.runtime.engine.state is SetState.RUNNING
        await paste(app, pilot, f"{START}abc\x1bdef {END}")
        await paste(app, pilot, f"{START}then\x1b[31m red\x1b{END}")  # ends with an ESC
        assert isinstance(app.screen, SessionScreen)
        bar = app.screen.query_one("#notebar", Input)
        assert bar.value == f"calm abc{E}def then{E}[31m red{E}"
        assert app.runtime.engine.state is SetState.RUNNING  # no stop signal came of it
        await pilot.press("enter")
        await pilot.pause()
    with sqlite3.connect(db) as conn:
        stops = [r[0] for r in conn.execute("SELECT detail FROM events WHERE kind = 'stop'")]
        notes = [r[0] for r in conn.execute("SELECT text FROM notes")]
    assert not [s for s in stops if "stop signal" in s]  # the set ended when the test quit
    assert notes == [f"calm abc{E}def then{E}[31m red{E}"]


async def test_a_paste_ending_in_esc_does_not_close_a_form(tmp_path: Path) -> None:
    app = session_app(tmp_path / "s.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "n")  # assessment: its form opens on the image field
        assert isinstance(app.screen, FormScreen) and app.screen.id == "assessment"
        await pilot.press(*"the ")
        await paste(app, pilot, f"{START}junction\x1b\x1bline two{END}")
        await paste(app, pilot, f"{START} at night\r\x1b\rwet road\x1b{END}")
        assert isinstance(app.screen, FormScreen) and app.screen.id == "assessment"
        image = app.screen.query_one("#f-image", Input)
        assert image.value == f"the junction{E}{E}line two at night {E} wet road{E}"
        assert app.screen.focused is image


def test_a_real_terminal_paste_with_an_esc_reaches_the_note_bar_in_order(tmp_path: Path) -> None:
    env = bls_env(tmp_path / "env")
    app = TmuxApp(tmp_path / "tmux", env, ["session", "--client", "P-2"], size=(120, 40))
    try:
        app.wait_for(r"; Note")
        app.send("Space")
        app.wait_for(r"RUNNING")
        app.send("\\;")  # tmux's spelling of a lone ';'
        app.wait_for(r"note \(enter saves")
        app.type("calm ")
        clip = tmp_path / "clip.txt"
        clip.write_bytes(b"abc\x1bdef \x1b[31mred\x1b")
        app._tmux("load-buffer", "-b", "b04", str(clip))
        app._tmux("paste-buffer", "-p", "-b", "b04", "-t", "app")  # -p: bracketed paste
        screen = app.wait_for(r"calm abc\\x1bdef \\x1b\[31mred\\x1b")
        assert "RUNNING" in screen and "STOP signal" not in screen
        app.send("Enter")
        app.wait_for(r"note saved")
        assert db_rows(env, "SELECT text FROM notes") == [(f"calm abc{E}def {E}[31mred{E}",)]
        assert db_rows(env, "SELECT count(*) FROM events WHERE kind = 'stop'") == [(0,)]
    finally:
        app.close()
