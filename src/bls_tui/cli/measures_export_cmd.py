"""`bls measures export CODE`: a client's measures as CSV (a row each) or complete JSON.

Exit codes: 0 done; 1 the database cannot be read or the file cannot be written; 2 a usage
error (a client code that is not a pseudonym code, an unknown ``--format``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bls_tui.cli.errors import fail
from bls_tui.cli.sessions_cmd import stdout_is_terminal
from bls_tui.safety.text import safe_inline, safe_text

RUNTIME, USAGE = 1, 2


def export(
    code: Annotated[str, typer.Argument(metavar="CODE", help="Client pseudonym code.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="csv|json",
            help="csv = a row per measure, every item answer in a column; json = as stored.",
        ),
    ] = "csv",
    output: Annotated[
        Optional[Path],  # noqa: UP045  (Typer reads the annotation at run time on 3.10)
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File to write (mode 0600), or an existing folder for a default name."
            " Without it, or with -o -, the table goes to stdout.",
        ),
    ] = None,
) -> None:
    """Export a client's measures for a spreadsheet (CSV) or another program (JSON)."""
    from bls_tui.cli.measures_cmd import _code, _store
    from bls_tui.records.export import ExportError, write_export
    from bls_tui.records.measures_table import TABLE_FORMATS, measures_table

    if fmt not in TABLE_FORMATS:
        fail(f"--format {safe_inline(fmt[:40])!r}: must be one of {', '.join(TABLE_FORMATS)}")
    client = _code(code)
    with _store(write=False) as store:
        records = [] if store is None else store.list_measures(client)
    text = measures_table(client, records, "csv" if fmt == "csv" else "json")
    if output is None or str(output) == "-":
        if stdout_is_terminal():  # shown, not saved: notes cannot send escapes or bidi overrides
            text = safe_text(text.replace("\r\n", "\n"))
        sys.stdout.write(text)
        return
    target = output / f"measures-{client}.{fmt}" if output.is_dir() else output
    try:
        written = write_export(text, target)
    except ExportError as exc:
        fail(str(exc), RUNTIME)
    count = f"{len(records)} measure{'' if len(records) == 1 else 's'}"
    print(f"Wrote {written}: {count} (readable only by you: it holds health data).")
