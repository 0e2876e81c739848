"""`bls sessions recover`: read emergency copies back into the session database."""

from __future__ import annotations

from typing import Annotated

import typer

from bls_tui.cli.errors import fail


def recover(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say what would be written back.")
    ] = False,
) -> None:
    """Write records left only in an emergency copy back into the session database.

    Records the database already holds are not written twice; each keeps the time it was
    made.  A copy whose records are all in the database is renamed `*.recovered` (kept).
    """
    from bls_tui.cli.sessions_cmd import _store
    from bls_tui.safety.text import safe_inline
    from bls_tui.services.recover import Recovered, recover_all

    def said(r: Recovered) -> None:
        back = f"{len(r.written)} record(s) {'to write back' if dry_run else 'written back'}"
        kinds = sorted(set(r.written))
        line = f"session {r.session_id}: {back}" + (f" ({', '.join(kinds)})" if kinds else "")
        line += f", {r.already} already there"
        if r.failed:
            line += f"; NOT written: {'; '.join(r.failed[:3])}"
        print(safe_inline(line))

    with _store(write=not dry_run) as store:
        if store is None:
            print("No session database yet: nothing to recover into.")
            return
        results = recover_all(store, dry_run=dry_run, on_copy=said)
    if not results:
        print("No emergency copy waiting for this database.")
        return
    failed = [r for r in results if r.failed]
    if failed:
        where = ", ".join(str(r.path) for r in failed)
        fail(f"some records could not be written back; the copy is kept: {where}", 1)
