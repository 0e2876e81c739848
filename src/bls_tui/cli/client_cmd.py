"""`bls client CODE` (the case view) and `bls targets ...` (the target plan from the shell).

Exit codes: 0 done; 1 a runtime problem (no such target, the database cannot be opened, a
target still in use cannot be deleted, completed without the values or a reason); 2 a usage
error (a client code that is not a pseudonym, a bad prong, status or field).  Every error is
one line on stderr.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from bls_tui.cli.errors import fail

targets_app = typer.Typer(
    help="The client's target plan: past memories, present triggers, future templates.",
    no_args_is_help=True,
)

CodeArg = Annotated[str, typer.Argument(metavar="CODE", help="Client pseudonym code.")]
MAX_ID = 2**53
"""IDs are SQLite integers; anything larger cannot exist (and would overflow)."""
TargetArg = Annotated[
    int,
    typer.Argument(metavar="ID", min=1, max=MAX_ID, help="Target ID (see `bls targets list`)."),
]


def _code(text: str) -> str:
    from bls_tui.protocol.model import ClientCodeError, validate_client_code

    try:
        return validate_client_code(text)
    except (ClientCodeError, ValueError) as exc:
        fail(f"client code: {exc}")


def _run(job: object) -> object:
    """Run a store call with the store open; store errors become one line (usage: exit 2)."""
    from bls_tui.cli.session_cmd import open_store_or_fail
    from bls_tui.records.base import InvalidRecordError, StoreError

    store = open_store_or_fail()
    try:
        return job(store)  # type: ignore[operator]
    except InvalidRecordError as exc:
        fail(str(exc), 2)
    except StoreError as exc:
        fail(str(exc), 1)
    finally:
        store.close()


def client(
    code: CodeArg,
    text: Annotated[
        bool, typer.Option("--text", help="Print the case as Markdown instead of the case view.")
    ] = False,
) -> None:
    """A client's case: target plan, sessions, outcome measures, doses (keys on screen)."""
    code = _code(code)
    from bls_tui.cli.config_cmd import config_or_fail
    from bls_tui.cli.session_cmd import open_store_or_fail

    config = config_or_fail()
    if text:
        from datetime import datetime, timezone

        from bls_tui.records.case_export import case_markdown

        now = datetime.now(timezone.utc)
        case = _run(lambda s: s.case(code, window_h=config.integration_window_h))
        print(case_markdown(case, now.astimezone().tzinfo or timezone.utc, now), end="")  # type: ignore[arg-type]
        return
    from bls_tui.cli import launch
    from bls_tui.config.presets import resolve
    from bls_tui.safety.paths import presets_dir
    from bls_tui.services.runtime import RunOptions
    from bls_tui.services.session import SessionStart
    from bls_tui.ui.app import make_app

    store = open_store_or_fail()
    app = make_app(
        RunOptions(preset=resolve("standard", presets_dir()), audio="auto"),
        mode="case",
        session=SessionStart(code),
        store_opener=lambda: store,
        config=config,
    )
    launch.run_app(app)


@targets_app.command("list")
def list_targets(
    code: CodeArg,
    archived: Annotated[bool, typer.Option("--archived", help="Include archived ones.")] = False,
) -> None:
    """The client's targets, in prong order, with their latest SUD/VOC/body scan."""
    from bls_tui.protocol.targets import PRONG_WORDS, STATUS_WORDS
    from bls_tui.safety.text import safe_inline

    code = _code(code)
    plan = _run(lambda s: s.targets(code, archived=archived))
    if not plan:
        print(f"no targets for {code}")
        return
    for t in plan:  # type: ignore[attr-defined]
        p = t.progress
        scan = (p.body_scan or "-").replace("_", " ")
        flags = " (archived)" if t.archived_at else ""
        print(
            f"#{t.id}  {PRONG_WORDS.get(t.prong or '', 'prong ?'):15}  "
            f"{safe_inline(t.label)}  [{STATUS_WORDS.get(t.status, t.status)}{flags}]  "
            f"{t.sessions} session(s) · SUD {'-' if p.sud is None else p.sud} · "
            f"VOC {'-' if p.voc is None else p.voc} · body scan {scan}"
        )


@targets_app.command("add")
def add_target(
    code: CodeArg,
    label: Annotated[str, typer.Argument(help="Short label (no identifying details).")],
    prong: Annotated[str, typer.Option(help="past, present or future.")] = "past",
    nc: Annotated[str, typer.Option("--nc", help="Negative cognition.")] = "",
    pc: Annotated[str, typer.Option("--pc", help="Positive cognition.")] = "",
    touchstone: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(min=1, max=MAX_ID, help="ID of the touchstone target this one links to."),
    ] = None,
    cluster: Annotated[str, typer.Option(help="Cluster / theme.")] = "",
) -> None:
    """Add a target to the client's plan."""
    code = _code(code)
    tid = _run(
        lambda s: s.add_target(
            code,
            label,
            prong=prong,
            negative_cognition=nc,
            positive_cognition=pc,
            touchstone_id=touchstone,
            cluster=cluster,
        )
    )
    print(f"target #{tid} added for {code}")


@targets_app.command("status")
def target_status(
    target_id: TargetArg,
    status: Annotated[str, typer.Argument(help="planned, in_progress, completed or deferred.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the date).")] = "",
) -> None:
    """Reevaluate a target: record its new status (completed needs the values or a reason)."""
    from bls_tui.records.targets_store import TargetIncompleteError

    def job(store: object) -> None:
        try:
            store.set_target_status(target_id, status, reason=reason)  # type: ignore[attr-defined]
        except TargetIncompleteError as exc:
            fail(str(exc), 1)

    _run(job)
    print(f"target #{target_id}: {status.replace('_', ' ')}")


@targets_app.command("archive")
def archive_target(
    target_id: TargetArg,
    reason: Annotated[str, typer.Option(help="Why (kept with the date).")] = "",
) -> None:
    """Archive a target: hidden from the plan, kept with every session that worked it."""
    _run(lambda s: s.archive_target(target_id, reason=reason))
    print(f"target #{target_id} archived")


@targets_app.command("delete")
def delete_target(target_id: TargetArg) -> None:
    """Delete a target that no session refers to (otherwise archive it)."""
    _run(lambda s: s.delete_target(target_id))
    print(f"target #{target_id} deleted")
