"""`bls notes templates [--copy]`: the progress-note templates and where each comes from.

A note is made with `bls sessions export ID --format soap|dap|birp|NAME` (or `n` on the session
summary).  The shipped templates can be copied into ``<config dir>/notes/`` and edited there;
a copy replaces the shipped template of its name, and any other ``NAME.txt.j2`` there is a
template of its own (docs/notes.md).

Exit codes: 0 done; 1 the folder cannot be written.  Errors are one line on stderr.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bls_tui.cli.errors import fail
from bls_tui.safety.text import safe_inline

notes_app = typer.Typer(help="Progress-note templates (SOAP, DAP, BIRP, your own).")


@notes_app.callback()
def _notes() -> None:
    """Progress-note templates (SOAP, DAP, BIRP, your own)."""


@notes_app.command("templates")
def templates(
    copy: Annotated[
        bool,
        typer.Option(
            "--copy",
            help="Copy the shipped templates into your notes folder for editing"
            " (a file already there is kept).",
        ),
    ] = False,
) -> None:
    """List the note templates: name, where each is read from, and the folder for your own."""
    from bls_tui.records.export import ExportError
    from bls_tui.records.notes import available, copy_shipped, notes_dir

    folder = notes_dir()
    if copy:
        try:
            copied = copy_shipped(folder)
        except (ExportError, OSError) as exc:
            fail(f"cannot copy the templates into {folder}: {exc}", 1)
        for name, path, done in copied:
            state = "copied to" if done else "kept (already there):"
            print(f"{name}: {state} {safe_inline(str(path))}")
        print()
    found, skipped = available(folder)
    print(f"Note templates (your folder: {safe_inline(str(folder))})")
    width = max(len(t.name) for t in found)
    for t in found:
        print(f"  {t.name.ljust(width)}  {t.origin}: {safe_inline(t.where)}")
    for line in skipped:
        print(f"  not used: {line}")
    print("Use: bls sessions export ID --format NAME [-o FILE]  (docs/notes.md)")
