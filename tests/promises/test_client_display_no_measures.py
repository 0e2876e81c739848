"""Outcome measures and progress notes never reach a client-facing display (issue 16, 3).

`bls display` (ui/display_app.py) and the link it reads (display/) load no module that holds
measures, notes or records; the main app sends the display only the wire's motion state
(display/wire.py), whose message types carry no text of the record.
"""

from __future__ import annotations

import subprocess
import sys

CLIENT_SIDE = ("bls_tui.ui.display_app", "bls_tui.display.client", "bls_tui.display.wire")


def test_the_client_display_loads_no_measures_notes_or_records() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CLIENT_SIDE)
        + "print('\\n'.join(m for m in sys.modules if m.startswith('bls_tui.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    leaked = [m for m in out if m.startswith(("bls_tui.measures", "bls_tui.records"))]
    assert leaked == [], leaked
