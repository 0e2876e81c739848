"""`bls measures take`: the measure form on its own, saving to the record store.

No stimulation runtime, no sound device and no client-display link: a questionnaire is never
shown on a client-facing display.  Built by :func:`make_measure_app` (the CLI and the tests).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App

from bls_tui.measures.entry import Entry
from bls_tui.measures.model import Instrument
from bls_tui.protocol.model import iso_utc, utc_now
from bls_tui.ui.screens.measure_form import MeasureDone, MeasureForm

if TYPE_CHECKING:
    from bls_tui.records.store import Store


class MeasureApp(App[None]):
    """One measure: the form, then save, then leave (what was saved is said afterwards)."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "bls-tui measures"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        store_opener: Callable[[], Store],
        client_code: str,
        instrument: Instrument,
        *,
        session_id: int | None = None,
        resume_id: int | None = None,
        answers: list[int | None] | None = None,
        wall: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__()
        self.store_opener = store_opener
        self.client_code = client_code
        self.instrument = instrument
        self.session_id = session_id
        self.resume_id = resume_id
        self.answers = answers
        self.wall = wall
        self.saved_id: int | None = None
        self.saved_line: str | None = None
        """Said on the terminal after the app has left the screen."""
        self.exit_signal: str | None = None
        self.exit_note: str | None = None
        self.crash_message: str | None = None

    def now(self) -> str:
        """The wall clock as a stored stamp."""
        return iso_utc(self.wall())

    def on_mount(self) -> None:
        entry = Entry(self.instrument, list(self.answers or []))
        form = MeasureForm(entry, self.client_code, self.now, measure_id=self.resume_id)
        self.push_screen(form, self.finish)

    def bell(self) -> None:
        """No bell, ever."""

    def finish(self, done: MeasureDone | None) -> None:
        """Save what the form returned (or nothing), then leave."""
        if done is None:
            self.saved_line = "nothing saved"
            self.exit()
            return
        from bls_tui.records.base import StoreError

        try:
            with self.store_opener() as store:
                self.saved_id = store.save_entry(
                    self.client_code,
                    done.entry,
                    session_id=self.session_id,
                    measure_id=self.resume_id,
                    at=self.now(),
                )
                record = store.load_measure(self.saved_id)
        except (StoreError, OSError) as exc:
            self.exit_note = f"the measure was not saved: {exc}"
            self.exit()
            return
        from bls_tui.records.measures_export import total_words

        state = "saved" if record.finished else "saved as unfinished (not scored)"
        self.saved_line = (
            f"measure {record.id} {state}: {self.instrument.name} {total_words(record)}"
        )
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """One line and a private log instead of a traceback (as :class:`BlsApp` does)."""
        from bls_tui.services.crash import crash_line, write_crash_log

        self.crash_message = crash_line(error, write_crash_log(error), "nothing was saved")
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()


def make_measure_app(
    store_opener: Callable[[], Store],
    client_code: str,
    instrument: Instrument,
    *,
    session_id: int | None = None,
    resume_id: int | None = None,
    answers: list[int | None] | None = None,
    wall: Callable[[], datetime] = utc_now,
) -> MeasureApp:
    """Build the measure app (the CLI and the tests both call this)."""
    return MeasureApp(
        store_opener,
        client_code,
        instrument,
        session_id=session_id,
        resume_id=resume_id,
        answers=answers,
        wall=wall,
    )
