"""Every screen at 80x24: each line of guidance, each prompt and each dialog is shown whole.

For every screen and dialog of :mod:`screens_catalogue`, the text of each guidance widget
(messages, form titles, prompt lines, field labels, key hints, dialog questions, help text,
the footer) must appear on the rendered terminal as a whole: the same words, in order, with
nothing cut (widgets in a scrolling form are scrolled into view first).  A cut shows up as a
missing word or an ellipsis, and fails with the screen printed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Input

import screens_catalogue as catalogue

GUIDANCE = (
    "#message, #notice, .form-title, .form-line, .form-label, .form-error, .form-keys, "
    "#confirm-question, #confirm-keys, #help-title, #help-units, .start-line, "
    "#start-recent-title, #start-hint, #summary-hint, #summary-dropped, #summary-phases, "
    "KeyFooter, Checkbox, RadioButton, PhaseBar, StatusLine, #notebar"
)
BOX = re.compile(r"[\u2500-\u259f●X]")  # box drawing, blocks (scrollbars), toggles


def screen_text(app: Any) -> str:
    """The terminal as text (what tmux capture-pane would show)."""
    update = app.screen._compositor.render_update(full=True)
    return "\n".join("".join(seg.text for seg in strip) for strip in update.strips)


def words(text: str) -> str:
    """Words only: box drawing, toggles and line breaks removed, spaces collapsed."""
    return " ".join(BOX.sub(" ", text).split())


def widget_text(widget: Widget) -> str:
    if isinstance(widget, Input):
        return widget.value or widget.placeholder
    rendered = widget.render()
    plain = getattr(rendered, "plain", None)
    if plain is None and hasattr(widget, "label"):
        plain = getattr(widget.label, "plain", str(widget.label))
    return str(plain if plain is not None else rendered)


async def scroll_into_view(pilot: Any, widget: Widget) -> None:
    """Scroll the nearest scrolling ancestor so that ``widget`` starts at its top."""
    for box in widget.ancestors:
        if isinstance(box, Widget) and box.max_scroll_y > 0:
            offset = widget.region.y - box.content_region.y + box.scroll_y
            box.scroll_to(y=offset, animate=False, immediate=True)
            await pilot.pause()
            await pilot.pause()  # the compositor catches up on the next refresh
            return
    await pilot.pause()


async def shown_whole(pilot: Any, app: Any) -> list[str]:
    """Texts of guidance widgets on the top screen that are not on the terminal whole."""
    missing = []
    for widget in app.screen.query(GUIDANCE):
        if not widget.display or not widget.visible:
            continue
        text = words(widget_text(widget))
        if not text:
            continue
        await scroll_into_view(pilot, widget)
        shown = words(screen_text(app))
        if text not in shown:
            missing.append(text)
    return missing


@pytest.mark.parametrize("name", list(catalogue.SCREENS))
async def test_every_line_shown_whole_at_80x24(name: str, tmp_path: Path) -> None:
    app, clock, steps = catalogue.make(name, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await steps(pilot, app, clock)
        await pilot.pause()
        assert app.screen.id == catalogue.SCREENS[name].expect
        missing = await shown_whole(pilot, app)
        assert not missing, (
            f"{name}: not shown whole:\n" + "\n".join(missing) + "\n" + (screen_text(app))
        )


async def test_the_check_catches_a_cut_line(tmp_path: Path) -> None:
    """The check is not vacuous: a message longer than the screen, on one line, is caught."""
    app, clock, steps = catalogue.make("run-idle", tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await steps(pilot, app, clock)
        message = app.screen.query_one("#message")
        message.styles.height = 1
        app.screen.say("word " * 30 + "END")
        await pilot.pause()
        assert await shown_whole(pilot, app)
