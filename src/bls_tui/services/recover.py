"""Reading an emergency copy back into the session database (`bls sessions recover`).

When the database would not take a write (held by another program, disk full, read-only),
the record writer put the record in an emergency copy, ``session-ID-TAG.jsonl`` in a private
folder, and kept retrying; a record still only there when the app closed is named at exit.
This reads such copies back: each record is written unless the database already holds it
(the writer may have got it there later), with the time it was made.  A copy whose every
record is now in the database is renamed ``*.recovered`` (kept: it is the user's data); a
record that cannot be written is named, and the copy stays as it is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bls_tui.ketamine.vitals import VitalsEntry
from bls_tui.protocol.model import PhaseChange, PhaseVisit
from bls_tui.records.base import StoreError
from bls_tui.records.store import Store
from bls_tui.records.types import Medicine, SetRecord
from bls_tui.services.record_writer import database_tag, emergency_dir

SKIPPED = ("heartbeat", "interrupt")
"""Records with nothing to bring back: opening the database marks a dead session interrupted."""


@dataclass
class Recovered:
    """What one emergency copy gave back."""

    path: Path
    session_id: int
    written: list[str] = field(default_factory=list)
    already: int = 0
    failed: list[str] = field(default_factory=list)


def emergency_copies(db_path: Path, folder: Path | None = None) -> list[Path]:
    """This database's emergency copies not yet recovered, oldest first."""
    where = folder or emergency_dir()
    found = where.glob(f"session-*-{database_tag(db_path)}.jsonl")
    return sorted((p for p in found if p.is_file() and not p.is_symlink()), key=os.path.getmtime)


def _session_id(path: Path) -> int:
    return int(path.name.split("-")[1])


def _only(cls: Any, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _replay(store: Store, sid: int, record: dict[str, Any]) -> bool:
    """Write one record unless the database holds it; True if it was written."""
    kind = record.pop("record", "")
    data = store.load_session(sid)
    at = record.get("at")
    if kind == "set":
        if any(s.number == record.get("number") for s in data.sets):
            return False
        store.record_set(SetRecord(**_only(SetRecord, record)))
    elif kind == "note":
        if any(n.at == at and n.text == record.get("text") for n in data.notes):
            return False
        store.add_note(
            sid,
            record["text"],
            kind=record.get("kind", "clinician"),
            phase=record.get("phase"),
            at=at,
        )
    elif kind == "rating":
        same = [r for r in data.ratings if r.kind == record["kind"] and r.value == record["value"]]
        if any(r.at == at or (at is None and r.context == record["context"]) for r in same):
            return False
        store.add_rating(
            sid,
            record["kind"],
            record["value"],
            context=record["context"],
            set_number=record.get("set"),
            at=at,
        )
    elif kind == "event":
        event_kind = record.pop("kind")
        record.pop("at", None)
        if any(e.at == at and e.kind == event_kind for e in data.events):
            return False
        store.add_event(sid, event_kind, record, at=at)
    elif kind == "assessment":
        if data.assessment is not None:
            return False
        store.save_assessment(sid, **record)
    elif kind == "phase":
        entered = PhaseVisit(**record["entered"])
        if any(p.entered_at == entered.entered_at for p in data.phases):
            return False
        store.record_phase_change(sid, PhaseChange(PhaseVisit(**record["left"]), entered))
    elif kind == "finish":
        if data.session.status == "completed":
            return False
        store.finish_session(
            sid,
            closure_complete=bool(record.get("closure_complete")),
            final_sud=record.get("final_sud"),
            final_voc=record.get("final_voc"),
        )
    elif kind == "medicine":
        if data.medicine is not None:
            return False
        fields_ = _only(Medicine, record)
        fields_.pop("observation_confirmed_at", None)
        store.save_medicine(sid, **fields_)
    elif kind == "checkin":
        if any(c.at == at for c in data.checkins):
            return False
        entry = VitalsEntry(**_only(VitalsEntry, record))
        store.add_vitals(sid, entry, flags=record.get("flags", ()), at=at)
    elif kind == "observation_confirmed":
        if data.medicine is None or data.medicine.observation_confirmed_at is not None:
            return False
        store.confirm_observation(sid, at=at, early=bool(record.get("early")))
    elif kind == "target beliefs":
        store.edit_target(
            int(record["target_id"]),
            negative_cognition=record.get("negative_cognition"),
            positive_cognition=record.get("positive_cognition"),
        )
    else:
        raise ValueError(f"unknown record kind {kind!r}")
    return True


def recover_copy(store: Store, path: Path, *, dry_run: bool = False) -> Recovered:
    """Read one emergency copy back; rename it ``*.recovered`` when nothing is left out."""
    sid = _session_id(path)
    result = Recovered(path, sid)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except ValueError:
            result.failed.append(f"line {number}: not a record")
            continue
        if not isinstance(record, dict):
            result.failed.append(f"line {number}: not a record")
            continue
        kind = str(record.get("record", "?"))
        if kind in SKIPPED:
            result.already += 1
            continue
        if dry_run:
            result.written.append(kind)
            continue
        try:
            wrote = _replay(store, sid, dict(record))
        except (StoreError, ValueError, TypeError, KeyError) as exc:
            result.failed.append(f"line {number} ({kind}): {exc}")
            continue
        if wrote:
            result.written.append(kind)
        else:
            result.already += 1
    if not dry_run and not result.failed:
        path.rename(path.with_name(path.name + ".recovered"))
    return result


def recover_all(
    store: Store,
    *,
    dry_run: bool = False,
    folder: Path | None = None,
    on_copy: Callable[[Recovered], None] = lambda r: None,
) -> list[Recovered]:
    """Every emergency copy of ``store``'s database, oldest first."""
    results = []
    for path in emergency_copies(store.path, folder):
        result = recover_copy(store, path, dry_run=dry_run)
        on_copy(result)
        results.append(result)
    return results
