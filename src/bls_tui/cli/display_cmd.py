"""`bls display`: the client's own window (only the dot), attached to the running bls."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bls_tui.cli.errors import fail, prepare_trace
from bls_tui.safety import limits


def display(
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="Exit when no bls is running, or when the attached bls closes (default: wait).",
        ),
    ] = False,
    dot_size: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--dot-size",
            help=f"Dot size in rows, {limits.MIN_DOT_SIZE}-{limits.MAX_DOT_SIZE} "
            "(default: the main app's).",
        ),
    ] = None,
    share_safe: Annotated[
        bool,
        typer.Option(
            "--share-safe",
            help="For a window shared in a video call: a larger dot and a hint about frame "
            "rates and mono sound.",
        ),
    ] = False,
    trace: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Write this display's JSON-lines frame trace to FILE.", metavar="FILE"),
    ] = None,
) -> None:
    """Show only the dot, in step with the running `bls run` / `bls session` (another window)."""
    if dot_size is not None and not limits.MIN_DOT_SIZE <= dot_size <= limits.MAX_DOT_SIZE:
        fail(
            f"--dot-size {dot_size}: must be from {limits.MIN_DOT_SIZE} to "
            f"{limits.MAX_DOT_SIZE} rows"
        )
    prepare_trace(trace)
    if once:
        from bls_tui.display.socket import probe, socket_path

        problem = probe(socket_path())
        if problem is not None:
            fail(problem, 1)
    if not sys.stdout.isatty():  # as `bls run`: the screen needs a terminal
        fail("the display needs a terminal, and stdout is not one (a pipe or a file?)", 2)
    from bls_tui.ui.display_app import DisplayOptions, run_display

    code = run_display(
        DisplayOptions(once=once, dot_size=dot_size, share_safe=share_safe, trace=trace)
    )
    if code:
        raise typer.Exit(code)
