"""Care across sessions (issue 16): case view with 200 sessions / 40 targets, and
`bls sessions list` over 10,000 sessions.

Usage: ``python bench/case_view.py [--repeat 5]`` (about a minute).  Builds two databases in a
temporary folder through the record store's own API (targets, sessions with phases, sets,
ratings, measures, a dose with integration sessions), then measures:

- case read: ``Store.case`` for the client (the one read the case view makes), median of runs;
- case view open: from pushing the case screen in a headless Textual app until its four
  tables are filled (``App.run_test``, 120x40), median of runs;
- `bls sessions list`: wall time of the real command (a new process each run, as a therapist
  types it) with 10,000 sessions in the database, median of runs; also the time of the same
  command with `--client` for one client.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, Row, bench_env, bls_script, print_table, verdict

sys.path.insert(0, str(REPO / "src"))
from bls_tui.measures.builtin import BUILTINS
from bls_tui.records.store import Store
from bls_tui.records.types import SetRecord

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
CASE_TARGET_MS = 200.0
LIST_TARGET_MS = 500.0


def _at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat(timespec="milliseconds")


def build_case(db: Path, sessions: int = 200, targets: int = 40) -> None:
    """One client, ``targets`` targets over three prongs, ``sessions`` sessions working them."""
    prongs = ("past", "present", "future")
    with Store.open(db, backup=False) as store:
        ids = [
            store.add_target("C-100", f"target {i}", prong=prongs[i % 3], at=_at(0))
            for i in range(targets)
        ]
        dose = None
        for n in range(sessions):
            day = n * 60 * 24 * 3
            kind = "ketamine" if n % 25 == 0 else "standard"
            link = dose if kind == "standard" and dose is not None and n % 25 == 1 else None
            sid = store.create_session(
                "C-100",
                "integration" if link else kind,
                60,
                target_id=ids[n % targets],
                started_at=_at(day),
                linked_dose_session_id=link,
            )
            if kind == "ketamine":
                store.save_medicine(
                    sid,
                    route="im",
                    dose_amount=35,
                    dose_unit="mg",
                    dosed_at=_at(day + 5),
                    screening={},
                )
                dose = sid
            store.save_assessment(sid, sud=7, voc=2, at=_at(day + 5))
            for k in range(1, 7):
                store.record_set(
                    SetRecord(
                        sid,
                        k,
                        "desensitisation",
                        _at(day + 10 + k),
                        _at(day + 10.5 + k),
                        1.0,
                        48,
                        24.0,
                        30.0,
                        sud=max(0, 7 - k),
                    )
                )
                store.add_rating(
                    sid,
                    "sud",
                    max(0, 7 - k),
                    context="back_to_target",
                    set_number=k,
                    at=_at(day + 11 + k),
                )
            store.finish_session(
                sid, closure_complete=True, final_sud=1, final_voc=6, ended_at=_at(day + 55)
            )
            if n % 10 == 0:
                store.save_measure(
                    "C-100", BUILTINS["pcl5"], [2] * 20, session_id=sid, taken_at=_at(day + 1)
                )


def build_many(db: Path, count: int = 10_000) -> None:
    """``count`` finished sessions over 250 clients, each with one set, in one transaction."""
    Store.open(db, backup=False).close()  # the schema, through the store
    conn = sqlite3.connect(db)
    with conn:
        for n in range(count):
            at = _at(n * 60)
            cur = conn.execute(
                "INSERT INTO sessions (client_code, kind, target_label, planned_min, started_at,"
                " ended_at, status, closure_complete) VALUES (?, 'standard', ?, 60, ?, ?,"
                " 'completed', 1)",
                (f"C-{n % 250:03d}", f"target {n % 7}", at, at),
            )
            conn.execute(
                "INSERT INTO sets (session_id, number, phase, started_at, ended_at, pattern,"
                " profile, speed_hz, sweeps_delivered, cycles_delivered, duration_s)"
                " VALUES (?, 1, 'desensitisation', ?, ?, 'horizontal', '', 1.0, 48, 24, 24)",
                (cur.lastrowid, at, at),
            )
    conn.close()


def time_case_read(db: Path, repeat: int) -> float:
    runs = []
    with Store.open(db, backup=False) as store:
        for _ in range(repeat):
            t0 = time.perf_counter()
            case = store.case("C-100")
            runs.append((time.perf_counter() - t0) * 1000)
        assert len(case.sessions) == 200 and len(case.targets) == 40
    return statistics.median(runs)


async def _open_case_once(db: Path) -> float:
    from bls_tui.config.presets import Preset
    from bls_tui.services.runtime import RunOptions
    from bls_tui.services.session import SessionStart
    from bls_tui.ui.app import make_app
    from bls_tui.ui.screens.case import CaseScreen
    from bls_tui.ui.widgets.target_table import TargetTable

    app = make_app(
        RunOptions(preset=Preset()),
        mode="start",
        session=SessionStart("C-100"),
        store_opener=lambda: Store.open(db, backup=False),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.get_store()
        t0 = time.perf_counter()
        app.open_case("C-100")
        while not (
            isinstance(app.screen, CaseScreen)
            and app.screen.query(TargetTable)
            and app.screen.query_one(TargetTable).row_count == 40
        ):
            await asyncio.sleep(0.001)
        return (time.perf_counter() - t0) * 1000


def time_case_view(db: Path, repeat: int) -> float:
    return statistics.median(asyncio.run(_open_case_once(db)) for _ in range(repeat))


def time_list(db: Path, repeat: int, *extra: str) -> float:
    env = bench_env(db.parent)
    env["BLS_DATA_DIR"] = str(db.parent)
    runs = []
    for _ in range(repeat + 1):  # the first run compiles the bytecode: not counted
        t0 = time.perf_counter()
        done = subprocess.run(
            [bls_script(), "sessions", "list", *extra], env=env, capture_output=True, check=True
        )
        runs.append((time.perf_counter() - t0) * 1000)
    lines = done.stdout.decode().count("\n")
    assert lines >= (10_000 if not extra else 40), lines
    return statistics.median(runs[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bls-bench-case-") as tmp:
        case_db = Path(tmp) / "case" / "sessions.db"
        many_db = Path(tmp) / "many" / "sessions.db"
        case_db.parent.mkdir()
        many_db.parent.mkdir()
        t0 = time.perf_counter()
        build_case(case_db)
        build_many(many_db)
        print(
            f"built the databases in {time.perf_counter() - t0:.1f} s; "
            f"load {os.getloadavg()[0]:.2f}"
        )
        read_ms = time_case_read(case_db, args.repeat)
        view_ms = time_case_view(case_db, args.repeat)
        list_ms = time_list(many_db, args.repeat)
        client_ms = time_list(many_db, args.repeat, "--client", "C-007")
        rows: list[Row] = [
            ("case read, 200 sessions / 40 targets", f"{read_ms:.1f} ms", "info", "info"),
            (
                "case view open (headless, 120x40)",
                f"{view_ms:.1f} ms",
                f"<= {CASE_TARGET_MS:.0f} ms",
                verdict(view_ms <= CASE_TARGET_MS),
            ),
            (
                "`bls sessions list`, 10,000 sessions",
                f"{list_ms:.0f} ms",
                f"<= {LIST_TARGET_MS:.0f} ms",
                verdict(list_ms <= LIST_TARGET_MS),
            ),
            ("`bls sessions list --client`, 40 of 10,000", f"{client_ms:.0f} ms", "info", "info"),
        ]
        print_table("Care across sessions (issue 16)", rows)
        print(f"load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
