"""Opening the session database safely: permissions, checks, daily backups and migrations.

The schema is versioned with ``PRAGMA user_version``; :data:`MIGRATIONS` is applied in order,
each in its own transaction.  A database from a newer release is refused untouched, and a
damaged one is kept as it is, with the newest backup named in the error.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from bls_tui.records.base import CorruptDatabaseError, NewerDatabaseError, StoreError
from bls_tui.records.faults import (
    check_folder,
    check_ours,
    check_regular,
    is_media_fault,
    media_error,
    remove_empty,
)
from bls_tui.records.schema_ddl import V1 as _V1
from bls_tui.records.schema_ddl import V2 as _V2
from bls_tui.records.schema_v4 import migrate_v4
from bls_tui.safety.paths import data_dir, ensure_private_dir

BUSY_TIMEOUT_S = 5.0
JOURNAL_LIMIT = 0
"""The WAL is cut back to nothing when it restarts after a checkpoint: no old pages (deleted
notes) linger in it, and a full disk shows at the next write, not sets later."""
BACKUPS_KEPT = 7
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _statements(sql: tuple[str, ...]) -> Callable[[sqlite3.Connection], None]:
    def migrate(conn: sqlite3.Connection) -> None:
        for statement in sql:
            conn.execute(statement)

    return migrate


def _v3(conn: sqlite3.Connection) -> None:
    """v3: screening answers become reviewed + finding + note; dose timing details.

    Every medicine row is kept: only its screening JSON is rewritten (old ``confirmed`` =
    reviewed, finding ``unknown``, note kept; unknown keys kept), and a value that is not valid
    JSON is left untouched.
    """
    from bls_tui.ketamine.screening import migrate_old

    conn.execute("ALTER TABLE medicine ADD COLUMN infusion_min REAL")
    conn.execute("ALTER TABLE medicine ADD COLUMN last_spray_min REAL")
    rows = conn.execute("SELECT session_id, screening FROM medicine").fetchall()
    for session_id, blob in rows:
        try:
            data = json.loads(blob)
        except (TypeError, ValueError):
            continue
        if isinstance(data, dict):
            new = migrate_old(data)
            if new != data:
                conn.execute(
                    "UPDATE medicine SET screening = ? WHERE session_id = ?",
                    (json.dumps(new, sort_keys=True), session_id),
                )


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _statements(_V1),  # v1: sessions, phases, sets, ratings, notes, assessment, events
    _statements(_V2),  # v2: ketamine-assisted sessions (medicine, checkins)
    _v3,  # v3: screening findings (reviewed/present/absent/unknown + note), infusion/last spray
    migrate_v4,  # v4: targets and their changes, integration sessions, dose links, measures
)
LATEST_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the database header."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def _dangling(conn: sqlite3.Connection) -> set[tuple[object, ...]]:
    return {tuple(row) for row in conn.execute("PRAGMA foreign_key_check")}


def migrate(conn: sqlite3.Connection, upto: int = LATEST_VERSION) -> int:
    """Apply pending migrations up to ``upto``, one transaction each; return the new version.

    Safe against a second process migrating at the same time: the version is re-read after
    the write lock is taken.
    """
    # A migration may rebuild a table (SQLite's 12-step ALTER): foreign keys are off while
    # it runs (the pragma is a no-op inside a transaction), and checked before each commit.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = user_version(conn)
                if version >= upto:
                    conn.execute("COMMIT")
                    return version
                dangling = _dangling(conn)  # an old dangling row does not block the move
                MIGRATIONS[version](conn)
                broken = _dangling(conn) - dangling
                if broken:
                    raise sqlite3.IntegrityError(
                        f"migration to v{version + 1} broke {len(broken)} references"
                    )
                conn.execute(f"PRAGMA user_version = {version + 1:d}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def backups_dir(db_path: Path) -> Path:
    """Folder holding the daily backups of ``db_path``."""
    return db_path.parent / "backups"


def newest_backup(db_path: Path) -> Path | None:
    """The most recent daily backup, if any."""
    folder = backups_dir(db_path)
    found = sorted(folder.glob("sessions-????????.db")) if folder.is_dir() else []
    return found[-1] if found else None


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists (never widens an existing file).

    Returns True if this call created it.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def tighten(db_path: Path) -> None:
    """chmod 0600 the database and its -wal/-shm files where they exist."""
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{db_path}{suffix}")
        if candidate.exists():
            os.chmod(candidate, 0o600)


def _corrupt(db_path: Path, why: str) -> CorruptDatabaseError:
    backup = newest_backup(db_path)
    where = (
        f"newest backup: {backup} (copy it over {db_path.name} to restore)"
        if backup
        else f"no backup found in {backups_dir(db_path)}"
    )
    return CorruptDatabaseError(
        f"{db_path} is damaged ({why}); the file was kept unchanged; {where}"
    )


def daily_backup(conn: sqlite3.Connection, db_path: Path, today: date) -> Path | None:
    """Copy the database to ``backups/sessions-YYYYMMDD.db`` once per day; keep the last 7.

    Uses the SQLite online backup API, so the copy is consistent even with other writers.
    Returns the new backup's path, or None if today's backup already exists.
    """
    folder = ensure_private_dir(backups_dir(db_path))
    target = folder / f"sessions-{today:%Y%m%d}.db"
    if target.exists():
        return None
    partial = folder / f".partial-{os.getpid()}.db"
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    dest = sqlite3.connect(str(partial))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    os.replace(partial, target)
    os.chmod(target, 0o600)
    for old in sorted(folder.glob("sessions-????????.db"))[:-BACKUPS_KEPT]:
        old.unlink()
    return target


def purge_backups(
    db_path: Path, sql: str, params: Sequence[object], *, table: str | None = None
) -> None:
    """Run a ``DELETE`` in every daily backup too, so deleted data does not linger there.

    ``table``: skip backups from before that table existed (an older schema).
    """
    folder = backups_dir(db_path)
    for backup in sorted(folder.glob("sessions-*.db")) if folder.is_dir() else []:
        try:
            other = sqlite3.connect(str(backup), isolation_level=None)
            try:
                if (
                    table is not None
                    and not other.execute(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
                    ).fetchone()
                ):
                    continue
                other.execute("PRAGMA foreign_keys = ON")
                other.execute("PRAGMA secure_delete = ON")
                other.execute(sql, params)
                other.execute("VACUUM")
            finally:
                other.close()
        except sqlite3.Error as exc:
            msg = f"deleted here, but could not purge backup {backup}: {exc}"
            raise StoreError(msg) from exc
        tighten(backup)


def open_database(
    db_path: Path, *, today: date, backup: bool = True, upto: int = LATEST_VERSION
) -> sqlite3.Connection:
    """Open (creating if needed) the session database and bring it to schema ``upto``.

    Note:
        Creates a missing parent folder 0700 (and re-tightens the default data folder; a
        folder the caller chose is left as it is), the file 0600, switches to WAL with
        ``synchronous=FULL`` and foreign keys on, and takes the daily backup before migrating.
        A file this call created is removed again if opening fails (no 0-byte database).

    Raises:
        NewerDatabaseError: the schema version is newer than this release knows.
        CorruptDatabaseError: the file is not a database or fails ``integrity_check``.
        NotBlsDatabaseError: another program's SQLite database.
        MediaError: read-only, full, I/O error, not a folder (the file is not damaged).
        DatabaseBusyError: another program holds the write lock.
    """
    check_folder(db_path)
    if not db_path.parent.exists() or db_path.parent == data_dir():
        ensure_private_dir(db_path.parent)
    try:
        created = create_private_file(db_path)
    except OSError as exc:
        raise media_error(db_path, exc, "cannot create") from exc
    try:
        return _open_created(db_path, today=today, backup=backup, upto=upto)
    except BaseException:
        if created:
            remove_empty(db_path)
        raise


def _open_created(db_path: Path, *, today: date, backup: bool, upto: int) -> sqlite3.Connection:
    check_regular(db_path)
    with open(db_path, "rb") as fh:
        head = fh.read(len(_SQLITE_MAGIC))
    if head and head != _SQLITE_MAGIC:
        raise _corrupt(db_path, "not an SQLite database")
    conn = sqlite3.connect(
        str(db_path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    try:
        try:
            version = user_version(conn)
            if version > LATEST_VERSION:
                raise NewerDatabaseError(
                    f"{db_path} was written by a newer bls-tui (schema v{version}, this "
                    f"version knows up to v{LATEST_VERSION}); update bls-tui, the file was "
                    "not changed"
                )
            check_ours(conn, db_path, version)
            verdict = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            if is_media_fault(exc):
                raise media_error(db_path, exc, "cannot open") from exc
            raise _corrupt(db_path, str(exc)) from exc
        if verdict != ["ok"]:
            raise _corrupt(db_path, "integrity check failed: " + verdict[0][:120])
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000):d}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")  # deleted notes are overwritten, not left
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")  # a finished set survives power loss
            conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_LIMIT:d}")
            if backup and version > 0:
                daily_backup(conn, db_path, today)
            if version < upto:
                migrate(conn, upto)
            tighten(db_path)
        except (sqlite3.Error, OSError) as exc:
            raise media_error(db_path, exc, "cannot open") from exc
    except BaseException:
        conn.close()
        raise
    return conn
