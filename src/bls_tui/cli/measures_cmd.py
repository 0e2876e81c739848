"""`bls measures instruments|take|add|list|ack`: outcome measures between sessions.

Exit codes:
    0: done.
    1: a runtime problem: the session database cannot be opened or written, no such measure,
       no open alert to acknowledge.
    2: a usage error: a client code that is not a pseudonym code, an unknown instrument or a
       bad custom measure file, answers that do not fit the instrument, an ID that is not a
       whole number.

Every error is one line on stderr (``bls: error: ...``).  Screening, not diagnosis: the lines
printed here give the published bands and cut-offs only, with their sources in
`bls measures instruments`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import tzinfo
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bls_tui.cli.errors import fail
from bls_tui.safety.text import safe_inline

if TYPE_CHECKING:
    from bls_tui.measures.model import Instrument
    from bls_tui.records.store import Store

RUNTIME, USAGE = 1, 2
MAX_ID = 2**53

measures_app = typer.Typer(
    help="Outcome measures (PCL-5, PHQ-9, GAD-7, DES-II, your own): screening, not diagnosis.",
    no_args_is_help=True,
)

CodeArg = Annotated[str, typer.Argument(metavar="CODE", help="Client pseudonym code.")]
InstrumentArg = Annotated[
    str, typer.Argument(metavar="INSTRUMENT", help="pcl5, phq9, gad7, des2 or your own id.")
]
SessionOpt = Annotated[
    Optional[str],  # noqa: UP045  (Typer reads the annotation at run time on 3.10)
    typer.Option("--session", metavar="ID", help="The session the measure belongs to."),
]
NoteOpt = Annotated[str, typer.Option("--note", help="A short note kept with it.")]


def _whole(text: str, what: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 16) or not (
        1 <= int(digits) <= MAX_ID
    ):
        fail(f"{what} must be a whole number from 1 to {MAX_ID}, not {safe_inline(text[:40])!r}")
    return int(digits)


def _code(code: str) -> str:
    from bls_tui.protocol.model import ClientCodeError, validate_client_code

    try:
        return validate_client_code(code)
    except ClientCodeError as exc:
        fail(f"CODE {safe_inline(code[:40])!r}: {exc}", USAGE)


def _instrument(name: str) -> Instrument:
    from bls_tui.measures.custom import CustomMeasureError, find

    try:
        return find(name)
    except CustomMeasureError as exc:
        fail(str(exc), USAGE)


def parse_taken_at(text: str) -> str:
    """``2026-12-01`` or ``2026-12-01 14:30`` (local time; or with an offset) as a stored stamp.

    Raises:
        ValueError: not a date and time, or in the future.
    """
    from bls_tui.protocol.model import from_iso, iso_utc, utc_now

    try:
        moment = from_iso(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            f"{safe_inline(text[:40])!r} is not a date (YYYY-MM-DD, optionally HH:MM)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the clinician's local time
    if moment > utc_now():
        raise ValueError("is in the future")
    return iso_utc(moment)


def parse_answers(text: str, instrument: Instrument) -> list[int | None]:
    """``1,0,,2`` as answers (a blank is not answered); one line naming what is wrong.

    Raises:
        ValueError: not whole numbers, the wrong count, or a value off the scale.
    """
    from bls_tui.measures.model import check_answers

    parts = [p.strip() for p in text.split(",")]
    answers: list[int | None] = []
    for number, part in enumerate(parts, start=1):
        if part == "":
            answers.append(None)
            continue
        body = part.removeprefix("-")
        if not (body.isascii() and body.isdigit() and len(body) <= 6):
            raise ValueError(f"answer {number} {safe_inline(part[:20])!r} is not a whole number")
        answers.append(int(part))
    if len(answers) != instrument.length:
        raise ValueError(
            f"{instrument.name} has {instrument.length} items; {len(answers)} answers were given "
            "(leave a blank between commas for an item not answered, e.g. 1,,2)"
        )
    return check_answers(instrument, answers)


@contextmanager
def _store(*, write: bool) -> Iterator[Store | None]:
    """The store (read-only for reading; None when there is no database yet)."""
    import sqlite3

    from bls_tui.measures.model import MeasureError
    from bls_tui.records.base import InvalidRecordError, StoreError
    from bls_tui.records.store import Store

    try:
        store = Store.open() if write else Store.open_read_only()
    except StoreError as exc:
        fail(str(exc), RUNTIME)
    except OSError as exc:
        fail(f"cannot open the session database: {exc.strerror or exc}", RUNTIME)
    if store is None:
        yield None
        return
    try:
        with store:
            yield store
    except InvalidRecordError as exc:
        fail(str(exc), USAGE)
    except (StoreError, MeasureError) as exc:
        fail(str(exc), RUNTIME)
    except sqlite3.Error as exc:
        from bls_tui.safety.media import fault_text

        fail(f"the session database could not be used ({fault_text(exc)})", RUNTIME)


def _zone() -> tzinfo:
    from datetime import datetime

    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


@measures_app.command("instruments")
def instruments() -> None:
    """The instruments: built in and your own (<config>/measures/*.toml), with their sources."""
    from bls_tui.measures.builtin import BUILTINS
    from bls_tui.measures.custom import CustomMeasureError, load_all, measures_dir

    try:
        customs, problems = load_all()
    except CustomMeasureError as exc:
        customs, problems = [], [str(exc)]
    for ins in [*BUILTINS.values(), *customs]:
        low, high = ins.total_range()
        print(f"{ins.id:<10} {safe_inline(ins.name)}: {ins.length} items, {ins.timeframe}")
        print(f"           scale {safe_inline(ins.scale.describe())}")
        print(f"           score: {ins.scoring} of the items, {low:g}-{high:g}")
        if ins.bands:
            bands = ", ".join(f"{b.low:g}-{b.high:g} {safe_inline(b.label)}" for b in ins.bands)
            print(f"           bands: {bands} ({safe_inline(ins.band_source)})")
        elif ins.builtin:
            print(f"           bands: none. {ins.band_source}")
        if ins.cutoff is not None:
            print(f"           {ins.cutoff.text} ({ins.cutoff.source})")
        print(f"           source: {safe_inline(ins.source)}")
        print(f"           terms: {safe_inline(ins.terms)}")
    print(f"Your own measures: {measures_dir()}/*.toml (see docs/measures.md).")
    print("Screening, not diagnosis.")
    for problem in problems:
        print(f"bls: warning: {safe_inline(problem)}", file=sys.stderr)


def _print_saved(store: Store, measure_id: int) -> None:
    from bls_tui.records.measures_export import alert_words, cutoff_words, total_words

    record = store.load_measure(measure_id)
    name = safe_inline(record.instrument_def().name)
    if record.finished:
        band = f", band {record.band}" if record.band else ""
        print(f"measure {record.id} saved: {name} total {total_words(record)}{band}")
        cut = cutoff_words(record)
        if cut:
            print(f"  {cut}")
    else:
        print(f"measure {record.id} saved as unfinished: {name} {total_words(record)}; not scored")
    for alert in record.alerts:
        print(f"  ! {alert_words(alert, record, _zone())}")
        if alert.acknowledged_at is None:
            print(f"    acknowledge with: bls measures ack {record.id}")
    print("  screening, not diagnosis")


@measures_app.command("add")
def add(
    code: CodeArg,
    instrument: InstrumentArg,
    answers: Annotated[
        str,
        typer.Option(
            "--answers", metavar="A,B,...", help="One answer per item in order; blank = not yet."
        ),
    ],
    session: SessionOpt = None,
    note: NoteOpt = "",
    taken_at: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--taken-at", metavar="WHEN", help="When it was filled in: YYYY-MM-DD [HH:MM] (local)."
        ),
    ] = None,
) -> None:
    """Record a measure from its item answers (unfinished if any is blank: never scored)."""
    client = _code(code)
    chosen = _instrument(instrument)
    try:
        values = parse_answers(answers, chosen)
    except ValueError as exc:
        fail(f"--answers: {exc}", USAGE)
    try:
        stamp = None if taken_at is None else parse_taken_at(taken_at)
    except ValueError as exc:
        fail(f"--taken-at: {exc}", USAGE)
    session_id = None if session is None else _whole(session, "--session")
    with _store(write=True) as store:
        assert store is not None
        mid = store.save_measure(
            client, chosen, values, session_id=session_id, note=note, taken_at=stamp
        )
        _print_saved(store, mid)


@measures_app.command("take")
def take(
    code: CodeArg,
    instrument: InstrumentArg,
    session: SessionOpt = None,
    resume: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--resume", metavar="ID", help="Fill in unfinished measure ID."),
    ] = None,
) -> None:
    """Enter a measure item by item on screen (digits answer; see the keys at the bottom)."""
    from bls_tui.cli import launch
    from bls_tui.records.store import Store

    client = _code(code)
    chosen = _instrument(instrument)
    session_id = None if session is None else _whole(session, "--session")
    answers: list[int | None] | None = None
    resume_id = None if resume is None else _whole(resume, "--resume")
    if resume_id is not None or session_id is not None:
        with _store(write=True) as store:
            assert store is not None
            if session_id is not None:
                store.load_session(session_id)
            if resume_id is not None:
                record = store.load_measure(resume_id)
                if record.client_code != client or record.instrument != chosen.id:
                    fail(f"measure {resume_id} is not a {chosen.name} of client {client}", USAGE)
                if record.finished:
                    fail(f"measure {resume_id} is finished; its answers are kept", RUNTIME)
                chosen = record.instrument_def()
                answers = list(record.responses)
    with _store(write=True):
        pass  # the database opens (and is created) before the screen does
    from bls_tui.config.presets import Preset
    from bls_tui.services.runtime import RunOptions
    from bls_tui.ui.app import make_app
    from bls_tui.ui.measure_mode import MeasureStart

    bls_app = make_app(
        RunOptions(preset=Preset()),  # no sound: audio "none"
        mode="measure",
        store_opener=Store.open,
        measure=MeasureStart(client, chosen, session_id, resume_id, tuple(answers or ())),
    )
    launch.run_app(bls_app)
    if bls_app.saved_id is not None:
        with _store(write=False) as store:
            if store is not None:
                _print_saved(store, bls_app.saved_id)
    elif bls_app.saved_line:
        print(bls_app.saved_line)


@measures_app.command("list")
def list_measures(
    code: CodeArg,
    plot: Annotated[
        bool, typer.Option("--plot", help="Also plot each instrument's totals over time.")
    ] = False,
) -> None:
    """A client's measures: date, instrument, total or unfinished, band, part scores, alerts."""
    from bls_tui.records.measures_export import (
        alert_words,
        cutoff_words,
        instrument_name,
        subscore_words,
        total_words,
        when,
    )

    client = _code(code)
    zone = _zone()
    with _store(write=False) as store:
        records = [] if store is None else store.list_measures(client)
        if not records:
            print(f"no measures recorded for client {client}")
            return
        print(f"Measures of client {client} (screening, not diagnosis):")
        for r in records:
            parts = [f"#{r.id}", when(r.taken_at, zone), instrument_name(r), total_words(r)]
            if r.band:
                parts.append(f"band {r.band}")
            subs = subscore_words(r)
            if subs:
                parts.append(subs)
            if r.session_id is not None:
                parts.append(f"session {r.session_id}")
            print("  " + " | ".join(parts))
            cut = cutoff_words(r)
            if cut:
                print(f"      {cut}")
            for alert in r.alerts:
                print(f"      ! {alert_words(alert, r, zone)}")
        if plot:
            from bls_tui.services.measure_plots import measures_plot

            print(measures_plot(records, color=sys.stdout.isatty()))


@measures_app.command("ack")
def ack(
    measure_id: Annotated[str, typer.Argument(metavar="ID", help="Measure ID (see `list`).")],
    note: NoteOpt = "",
) -> None:
    """Acknowledge the open item alerts of measure ID (the time is recorded)."""
    from bls_tui.records.measures_export import alert_words

    mid = _whole(measure_id, "ID")
    with _store(write=True) as store:
        assert store is not None
        record = store.load_measure(mid)
        open_alerts = record.open_alerts()
        if not open_alerts:
            fail(f"measure {mid} has no alert waiting for acknowledgement", RUNTIME)
        for alert in open_alerts:
            store.acknowledge_alert(alert.id, note=note or None)
        record = store.load_measure(mid)
        for alert in record.alerts:
            print(alert_words(alert, record, _zone()))
