"""`bls session`: a recorded EMDR session (and `bls` alone: the start screen)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bls_tui.records.store import Store

from bls_tui.cli.errors import CliError, fail, prepare_trace
from bls_tui.cli.options import build_preset


def open_store_or_fail() -> Store:
    """Open the record store, turning every store problem into one clear line (exit 1)."""
    from bls_tui.records.base import StoreError
    from bls_tui.records.store import Store

    try:
        return Store.open()
    except StoreError as exc:
        fail(str(exc), 1)
    except OSError as exc:
        fail(f"cannot open the session database: {exc.strerror or exc}", 1)


def session(
    client: Annotated[
        str | None, typer.Option(help="Client pseudonym code (never a real name).")
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            help="standard, ketamine (ketamine-assisted EMDR) or integration (after a dose)."
        ),
    ] = "standard",
    planned: Annotated[int, typer.Option(help="Planned length in minutes (60, 90, ...).")] = 60,
    target: Annotated[str, typer.Option(help="Optional short target label.")] = "",
    target_id: Annotated[
        int | None,
        typer.Option(
            "--target-id",
            min=1,
            max=2**53,
            help="Work this target of the plan (see `bls client CODE`).",
        ),
    ] = None,
    after_dose: Annotated[
        int | None,
        typer.Option(
            "--after-dose",
            min=1,
            max=2**53,
            help="Link to this earlier medicine session's dose (needed by --kind integration).",
        ),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(help="Use this preset for every phase instead of the suggestions."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the latest interrupted session.")
    ] = False,
    resume_id: Annotated[
        int | None, typer.Option("--resume-id", help="Continue interrupted session ID.")
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Ignore the remembered last-used settings.")
    ] = False,
    audio: Annotated[
        str, typer.Option(help="Sound: auto, miniaudio, simpleaudio or none.")
    ] = "auto",
    trace: Annotated[
        Path | None,
        typer.Option(help="Write a JSON-lines timing trace to FILE.", metavar="FILE"),
    ] = None,
) -> None:
    """Run a recorded EMDR session: phase timer, SUD/VOC prompts, local records."""
    from bls_tui.protocol.model import (
        MAX_PLANNED_MIN,
        SESSION_KINDS,
        ClientCodeError,
        validate_client_code,
        validate_target_label,
    )
    from bls_tui.sound.backends.select import AudioChoiceError, check_choice

    try:
        check_choice(audio)
    except AudioChoiceError as exc:
        fail(f"--audio: {exc}")
    if kind not in SESSION_KINDS:
        fail(f"--kind {kind!r}: must be one of {', '.join(SESSION_KINDS)}")
    if not 1 <= planned <= MAX_PLANNED_MIN:
        fail(f"--planned {planned}: must be from 1 to {MAX_PLANNED_MIN} minutes")
    try:
        if client is not None:
            client = validate_client_code(client)
    except (ClientCodeError, ValueError) as exc:
        fail(f"--client: {exc}")
    try:
        target = validate_target_label(target)
    except ValueError as exc:
        fail(f"--target: {exc}")
    try:
        chosen, warnings = build_preset(preset=preset, fresh=fresh)
    except CliError as exc:
        fail(str(exc), exc.code)
    from bls_tui.cli.config_cmd import config_or_fail
    from bls_tui.services.runtime import RunOptions
    from bls_tui.services.session import SessionStart
    from bls_tui.ui.app import Mode, make_app

    config = config_or_fail()
    from bls_tui.cli.sessions_cmd import MAX_ID

    if resume_id is not None and not 1 <= resume_id <= MAX_ID:  # before anything is opened
        fail(f"--resume-id: a session ID is a whole number from 1 to {MAX_ID}", 2)
    prepare_trace(trace)
    if kind == "integration" and after_dose is None and not (resume or resume_id is not None):
        fail("--kind integration needs --after-dose ID (the medicine session it follows)")
    if (target_id is not None or after_dose is not None) and client is None:
        fail("--target-id and --after-dose need --client")
    if target_id is not None and target:
        fail("give --target-id or --target, not both")
    store = open_store_or_fail()
    if client is not None and (target_id is not None or after_dose is not None):
        from bls_tui.records.base import StoreError

        try:
            store.check_links(client, target_id, after_dose)
        except StoreError as exc:
            fail(str(exc), 1)
    start: SessionStart | None = None
    mode: Mode = "session"
    if resume or resume_id is not None:
        from bls_tui.records.base import StoreError
        from bls_tui.ui.app import latest_interrupted

        try:
            rid = resume_id if resume_id is not None else latest_interrupted(store)
            status = store.load_session(rid).session.status
        except StoreError as exc:
            fail(str(exc), 1)
        if status != "interrupted":
            live = " (another bls may be recording it now)" if status == "active" else ""
            fail(f"session {rid} is {status}{live}; only interrupted sessions can be resumed", 1)
        start = SessionStart(client_code="", resume_id=rid, preset=preset)
    elif client is not None:
        start = SessionStart(
            client,
            kind,
            planned,
            target,
            preset=preset,
            target_id=target_id,
            linked_dose_session_id=after_dose,
        )
    else:
        mode = "new-session"
    for warning in warnings:
        print(f"bls: warning: {warning}")
    from bls_tui.cli import launch

    app = make_app(
        RunOptions(preset=chosen, audio=audio, trace=trace),
        mode=mode,
        session=start,
        store_opener=lambda: store,
        config=config,
    )
    launch.run_app(app)


def start_screen() -> None:
    """`bls` alone: quick BLS run, new session, or continue an interrupted one."""
    try:
        chosen, warnings = build_preset(preset=None, fresh=False)
    except CliError as exc:
        fail(str(exc), exc.code)
    for warning in warnings:
        print(f"bls: warning: {warning}")
    from bls_tui.cli import launch
    from bls_tui.cli.config_cmd import config_or_fail
    from bls_tui.cli.options import remembered_note
    from bls_tui.services.runtime import RunOptions
    from bls_tui.ui.app import make_app

    config = config_or_fail()
    # the store opens lazily: a damaged database must not keep a quick BLS run from starting
    options = RunOptions(preset=chosen, audio="auto", settings_note=remembered_note(None, False))
    bls_app = make_app(options, mode="start", config=config)
    launch.run_app(bls_app)
    if bls_app.quick_run_used and bls_app.controller is None:  # remembered, as `bls run` does
        from bls_tui.config.remembered import save_last

        problem = save_last(bls_app.runtime.current_preset())
        if problem:
            print(f"bls: warning: {problem}", file=sys.stderr)
