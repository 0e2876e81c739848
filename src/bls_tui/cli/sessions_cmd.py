"""`bls sessions list|show|export|delete`: review, export and delete recorded sessions.

Exit codes:
    0: done.
    1: a runtime problem: no such session or client, the session database is damaged, was
       written by a newer bls-tui or is busy, the export file cannot be written, a note
       template cannot be read or rendered (one line naming its file and line), the session
       is still being recorded, or the deletion was not confirmed.
    2: a usage error: an ID that is not a whole number, an unknown ``--format`` (neither an
       export format nor a note template), a client code
       that is not a pseudonym code, or ``delete`` given both or neither of ID and ``--client``.

Every error is one line on stderr (``bls: error: ...``).  The record store, the exporters,
rich and plotext are imported inside the commands, so ``bls --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bls_tui.cli.errors import fail
from bls_tui.cli.sessions_view import local_time
from bls_tui.safety.text import safe_inline, safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from bls_tui.records.store import SessionData, SessionSummary, Store

RUNTIME, USAGE = 1, 2
LIVE_HEARTBEAT_S = 600.0
"""An ``active`` session whose heartbeat is newer than this is being recorded right now."""

sessions_app = typer.Typer(
    help="Review, export and delete recorded sessions.", no_args_is_help=True
)

IdArg = Annotated[str, typer.Argument(metavar="ID", help="Session ID (see `bls sessions list`).")]
ClientOpt = Annotated[
    Optional[str],  # noqa: UP045  (Typer reads the annotation at run time on 3.10)
    typer.Option("--client", metavar="CODE", help="Only this client's sessions."),
]


def stdout_is_terminal() -> bool:
    """True when standard output is a terminal (what is written there is shown, not kept)."""
    return sys.stdout.isatty()


MAX_ID = 2**53
"""Session IDs are SQLite integers; anything larger cannot exist (and would overflow)."""


def _session_id(text: str) -> int:
    shown = safe_inline(text[:40])
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 16) or not (
        1 <= int(digits) <= MAX_ID
    ):
        fail(f"session ID must be a whole number from 1 to {MAX_ID}, not {shown!r}", USAGE)
    return int(digits)


def _client_code(code: str) -> str:
    from bls_tui.protocol.model import ClientCodeError, validate_client_code

    try:
        return validate_client_code(code)
    except ClientCodeError as exc:
        fail(f"--client {code!r}: {exc}", USAGE)


@contextmanager
def _store(*, write: bool = False) -> Iterator[Store | None]:
    """The opened store (None when no database exists yet); store errors end the command.

    Reading commands open it read-only: no write lock, no migration, so they work on
    read-only media and while another program writes.
    """
    import sqlite3

    from bls_tui.records.store import Store, StoreError, default_db_path

    try:
        if write:
            from bls_tui.records.faults import check_folder

            check_folder(default_db_path())
            if not default_db_path().exists():
                yield None
                return
            store: Store | None = Store.open()
        else:
            store = Store.open_read_only()
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
    except StoreError as exc:
        fail(str(exc), RUNTIME)
    except sqlite3.Error as exc:
        from bls_tui.safety.media import fault_text

        fail(
            f"the session database could not be read ({fault_text(exc)}); the file was kept",
            RUNTIME,
        )


def _load(store: Store | None, session_id: int) -> SessionData:
    from bls_tui.records.store import UnknownSessionError

    if store is None:
        fail(str(UnknownSessionError(session_id)), RUNTIME)
    return store.load_session(session_id)


def _console() -> Console:
    from rich.console import Console

    console = Console(markup=False, highlight=False, emoji=False)
    if not console.is_terminal:
        console.width = max(console.width, 160)  # piped: no wrapping of wide tables
    return console


def _live(data: SessionData) -> bool:
    """True if another bls process is recording this session right now."""
    from bls_tui.protocol.model import parse_iso

    s = data.session
    if s.status != "active" or s.last_heartbeat is None:
        return False
    age = datetime.now(timezone.utc) - parse_iso(s.last_heartbeat)
    return age < timedelta(seconds=LIVE_HEARTBEAT_S)


# -- list ----------------------------------------------------------------------------------


@sessions_app.command("list")
def list_sessions(client: ClientOpt = None) -> None:
    """List recorded sessions, newest first."""
    from rich.cells import cell_len as wide_len

    def cell_len(text: str) -> int:
        return len(text) if text.isascii() else wide_len(text)

    code = _client_code(client) if client is not None else None
    with _store() as store:
        found = store.list_sessions(code) if store is not None else []
    if not found:
        print(f"No sessions recorded for client {code}." if code else "No sessions recorded yet.")
        return
    # Plain aligned columns, not a rich Table: 10,000 rows print in well under a second
    # (bench/case_view.py), where rich's layout of every cell took seconds.
    head = ("ID", "Date", "Client", "Kind", "Status", "Sets", "Min planned/actual", "Target")
    from bls_tui.protocol.model import parse_iso

    def row(s: SessionSummary) -> tuple[str, ...]:
        start = parse_iso(s.started_at)
        end = None if s.ended_at is None else parse_iso(s.ended_at)
        took = "–" if end is None else f"{(end - start).total_seconds() / 60:.0f}"
        return (
            str(s.id),
            start.astimezone().strftime("%Y-%m-%d %H:%M"),
            safe_inline(s.client_code),
            s.kind,
            s.status,
            str(s.set_count),
            f"{s.planned_min}/{took}",
            safe_inline(s.target_label) or "–",
        )

    rows = [row(s) for s in found]
    columns = list(zip(head, *rows, strict=False))[:-1]  # the last column is not padded
    plain = ["".join(col).isascii() for col in columns]  # str.ljust is right for ASCII only
    widths = [
        max(map(len, col)) if ok else max(map(cell_len, col))
        for col, ok in zip(columns, plain, strict=True)
    ]
    right = {0, 5}

    def cell(i: int, text: str) -> str:
        if plain[i]:
            return text.rjust(widths[i]) if i in right else text.ljust(widths[i])
        pad = " " * (widths[i] - cell_len(text))
        return pad + text if i in right else text + pad

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join([*(cell(i, c) for i, c in enumerate(cells[:-1])), cells[-1]]).rstrip()

    text = ["Recorded sessions (local time)", "", line(head)]
    text.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
    text += [line(r) for r in rows]
    sys.stdout.write("\n".join(text) + "\n")


# -- show ----------------------------------------------------------------------------------


@sessions_app.command("show")
def show(
    session_id: IdArg,
    plot: Annotated[bool, typer.Option("--plot/--no-plot", help="Draw the plots.")] = True,
) -> None:
    """Show one session: baseline, phases, sets, notes, closure, medicine and a SUD/VOC plot."""
    sid = _session_id(session_id)
    from bls_tui.cli.sessions_view import linked_dose, render_session

    with _store() as store:
        data = _load(store, sid)
        dose = linked_dose(store, data)
    render_session(_console(), data, plot=plot, dose=dose)


# -- export --------------------------------------------------------------------------------


@sessions_app.command("export")
def export(
    session_id: IdArg,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="md|csv|json|soap|dap|birp|NAME",
            help="md = draft note, csv = set log, json = everything; soap, dap, birp or the"
            " NAME of your own template = a progress note (`bls notes templates`).",
        ),
    ] = "md",
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File to write (mode 0600), or an existing folder for a default name."
            " Without it, or with -o -, the export goes to stdout.",
        ),
    ] = None,
    name_with_client: Annotated[
        bool,
        typer.Option("--name-with-client", help="Put the client code in the default file name."),
    ] = False,
) -> None:
    """Export a session: a Markdown draft, a CSV set log, complete JSON, or a progress note."""
    from bls_tui.records.export import FORMATS, ExportError
    from bls_tui.records.export import write_export as write
    from bls_tui.records.notes import NoteTemplateError, export_text, find

    if fmt not in FORMATS:
        try:
            find(fmt)
        except NoteTemplateError as exc:
            fail(
                f"--format {safe_inline(fmt[:40])!r}: must be one of {', '.join(FORMATS)}"
                f" or a note template ({exc})",
                USAGE,
            )
    sid = _session_id(session_id)
    with _store() as store:
        data = _load(store, sid)
        from bls_tui.protocol.model import parse_iso

        zone = parse_iso(data.session.started_at).astimezone().tzinfo  # local offset that day
        assert store is not None and zone is not None
        try:
            text, name = export_text(store, sid, fmt, zone, include_client=name_with_client)
        except NoteTemplateError as exc:
            fail(str(exc), RUNTIME)
    if output is None or str(output) == "-":
        if stdout_is_terminal():  # shown, not saved: notes cannot send escapes or bidi overrides
            text = safe_text(text.replace("\r\n", "\n"))
        sys.stdout.write(text)
        return
    target = output / name if output.is_dir() else output
    try:
        written = write(text, target)
    except ExportError as exc:
        fail(str(exc), RUNTIME)
    print(f"Wrote {written} (readable only by you: it holds health data).")


# -- delete --------------------------------------------------------------------------------


def _delete_emergency_copies(db_path: Path, session_ids: list[int]) -> None:
    """Remove the sessions' emergency copies too (records kept while the database was busy)."""
    from bls_tui.services.record_writer import emergency_dir, emergency_name

    folder = emergency_dir()
    for sid in session_ids:
        with suppress(OSError):
            (folder / emergency_name(db_path, sid)).unlink(missing_ok=True)


def _confirm(what: str, token: str, yes: bool) -> None:
    """Ask the user to type ``token``; anything else ends the command with nothing deleted."""
    if yes:
        return
    try:
        answer = typer.prompt(
            f"This deletes {what} for good, including the daily backups.\n"
            f"Type {token} to confirm (Enter keeps everything)",
            default="",
            show_default=False,
        )
    except typer.Abort:
        answer = ""
    if answer.strip() != token:
        fail("not confirmed; nothing was deleted", RUNTIME)


def _refuse_live(data: SessionData) -> None:
    if _live(data):
        fail(
            f"session {data.session.id} is being recorded by a running bls (process "
            f"{data.session.pid}); finish or quit that session first",
            RUNTIME,
        )


@sessions_app.command("delete")
def delete(
    session_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(metavar="[ID]", help="Session ID to delete."),
    ] = None,
    client: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--client", metavar="CODE", help="Delete every session of this client."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete one session, or all sessions of a client, here and in the backups."""
    if (session_id is None) == (client is None):
        fail("give a session ID or --client CODE (one of them)", USAGE)
    if session_id is not None:
        sid = _session_id(session_id)
        with _store(write=True) as store:
            data = _load(store, sid)
            assert store is not None
            _refuse_live(data)
            s = data.session
            when = local_time(s.started_at)
            what = f"session {sid} ({s.client_code}, {when}, {len(data.sets)} sets)"
            _confirm(what, str(sid), yes)
            store.delete_session(sid)
            _delete_emergency_copies(store.path, [sid])
        print(f"Deleted {what} and its copies in the backups.")
        return
    assert client is not None
    code = _client_code(client)
    with _store(write=True) as store:
        found = store.list_sessions(code) if store is not None else []
        measures = len(store.list_measures(code)) if store is not None else 0
        if store is None or not (found or measures):
            fail(f"no sessions for client {code} (see `bls sessions list`)", RUNTIME)
        for summary in found:
            if summary.status == "active":
                _refuse_live(store.load_session(summary.id))
        ids = ", ".join(str(s.id) for s in sorted(found, key=lambda s: s.id)) or "none"
        what = f"all {len(found)} session(s) of client {code} (IDs {ids})"
        if measures:
            what += f" and their {measures} outcome measure(s)"
        _confirm(what, code, yes)
        count = store.delete_client(code)
        _delete_emergency_copies(store.path, [s.id for s in found])
    gone = f" and {measures} outcome measure(s)" if measures else ""
    print(
        f"Deleted {count} session(s) of client {code} (IDs {ids}){gone} and their copies in the"
        " backups."
    )
