"""`--trace FILE`: JSON lines, one object per event, all on one monotonic clock.

Events: ``frame`` (t, x, y, set) for every rendered frame; ``edge`` (t, side, set) for every
scheduled edge arrival; ``set_start``, ``set_end``, ``stop``, ``pause``, ``resume``, ``speed``;
with sound, ``stream_start`` and ``tone``.  See the README for the fields.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import IO, Any


class TraceWriter:
    """Appends JSON lines to a file; flushed at set boundaries and on close."""

    def __init__(self, path: Path) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._fh: IO[str] | None = os.fdopen(fd, "w", encoding="utf-8", buffering=1 << 16)
        self.path = path

    def write(self, event: str, t: float, **fields: Any) -> None:
        """Write one event."""
        if self._fh is None:
            return
        record = {"event": event, "t": round(t, 6), **fields}
        self._fh.write(json.dumps(record, separators=(",", ":")) + "\n")

    def frame(self, t: float, x: float, y: float, set_number: int) -> None:
        """Write one ``frame`` event: the same line as ``write("frame", t, x=.., y=.., set=..)``
        (x and y rounded to 6 places), formatted directly (60 a second while a set runs)."""
        if self._fh is None:
            return
        t, x, y = round(t, 6), round(x, 6), round(y, 6)
        if not (math.isfinite(t) and math.isfinite(x) and math.isfinite(y)):
            self.write("frame", t, x=x, y=y, set=set_number)
            return
        self._fh.write(f'{{"event":"frame","t":{t!r},"x":{x!r},"y":{y!r},"set":{set_number:d}}}\n')

    def flush(self) -> None:
        """Push buffered lines to the file."""
        if self._fh is not None:
            self._fh.flush()

    def close(self) -> None:
        """Flush and close (idempotent)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def read_trace(path: Path) -> list[dict[str, Any]]:
    """Read a trace file back (tests and benchmarks)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
