"""`bls measures take`: the app in ``mode="measure"`` shows the measure form alone, saves, leaves.

No sound device and no client-display link are opened in this mode: a questionnaire is never
shown on a client-facing display.  What was saved is said on the terminal afterwards
(:attr:`MeasureMode.saved_id`, :attr:`MeasureMode.saved_line`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bls_tui.measures.model import Instrument
    from bls_tui.records.store import Store
    from bls_tui.ui.screens.measure_form import MeasureDone


@dataclass(frozen=True)
class MeasureStart:
    """What to take: a client's instrument, in a session or not, new or an unfinished one."""

    client_code: str
    instrument: Instrument
    session_id: int | None = None
    resume_id: int | None = None
    """An unfinished measure to fill in (its recorded answers are in ``answers``)."""
    answers: tuple[int | None, ...] = ()


class MeasureMode:
    """App mixin (:class:`~bls_tui.ui.app.BlsApp`): one measure, then leave."""

    wall: Callable[[], datetime]
    get_store: Callable[[], Store]
    push_screen: Any
    exit: Any
    exit_note: str | None
    measure: MeasureStart | None = None
    saved_id: int | None = None
    """The measure saved in this mode (None: nothing was saved)."""
    saved_line: str | None = None
    """Said on the terminal after the app has left the screen."""

    def open_measure_form(self) -> None:
        """The form for :attr:`measure`; its answer goes to :meth:`finish_measure`."""
        from bls_tui.measures.entry import Entry
        from bls_tui.protocol.model import iso_utc
        from bls_tui.ui.screens.measure_form import MeasureForm

        start = self.measure
        assert start is not None
        entry = Entry(start.instrument, list(start.answers))
        form = MeasureForm(
            entry, start.client_code, lambda: iso_utc(self.wall()), measure_id=start.resume_id
        )
        self.push_screen(form, self.finish_measure)

    def finish_measure(self, done: MeasureDone | None) -> None:
        """Save what the form returned (or nothing), then leave."""
        start = self.measure
        assert start is not None
        if done is None:
            self.saved_line = "nothing saved"
            self.exit()
            return
        from bls_tui.protocol.model import iso_utc
        from bls_tui.records.base import StoreError
        from bls_tui.records.measures_export import total_words

        try:
            store = self.get_store()
            self.saved_id = store.save_entry(
                start.client_code,
                done.entry,
                session_id=start.session_id,
                measure_id=start.resume_id,
                at=iso_utc(self.wall()),
            )
            record = store.load_measure(self.saved_id)
        except (StoreError, OSError) as exc:
            self.exit_note = f"the measure was not saved: {exc}"
            self.exit()
            return
        state = "saved" if record.finished else "saved as unfinished (not scored)"
        name = start.instrument.name
        self.saved_line = f"measure {record.id} {state}: {name} {total_words(record)}"
        self.exit()
