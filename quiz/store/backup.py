"""Backups of the progress database: daily copies, listing them, restoring one.

Every copy is made with the SQLite backup API (a consistent snapshot even
while another quiz process writes) and lives beside the database:

- ``progress.db.daily-YYYY-MM-DD``: one per UTC calendar day, made on the first
  open of the day of an existing database (and checked, so damage is found
  that day); the newest :data:`DAILY_BACKUPS_KEPT` are kept; big databases are
  copied on a background thread; ``QUIZ_BACKUPS=0`` turns this off;
- ``progress.db.bak-VERSION-TIME``: made before an older database is upgraded;
- ``progress.db.pre-restore-TIME``: the database as it was before a restore;
- ``progress.db.damaged-TIME``: a damaged database moved aside by a restore.

Copies are self-contained single files (rollback journal, no ``-wal``).
Restoring copies a backup's content into the live database inside one
SQLite transaction, so nothing is half-written. It is refused while another
quiz process has the database open: a study session would go on answering
cards of the old content, and its next answer would be lost.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from quiz.errors import StoreError
from quiz.store.schema import SCHEMA_VERSION, migrations
from quiz.study.clock import to_utc

DAILY_BACKUPS_KEPT = 7
BACKGROUND_ABOVE_BYTES = 32 * 1024 * 1024
"""Databases bigger than this are copied on a background thread at open."""
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10.0
TEMP_SUFFIX = ".tmp"

BACKUP_KINDS: dict[str, str] = {
    "daily": "daily",
    "bak": "before upgrade",
    "pre-restore": "before restore",
    "damaged": "damaged, moved aside",
}
_BACKUP_RE = re.compile(r"\.(?P<kind>daily|bak|pre-restore|damaged)-(?P<stamp>[0-9A-Za-z_-]+)$")
_DAILY_RE = re.compile(r"\.daily-(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file beside a database, with what it holds (when readable)."""

    path: Path
    kind: str  # a key of BACKUP_KINDS
    size: int
    reviews: int | None  # None: not a readable quiz database
    last_review: str | None  # UTC ISO time of the newest review
    schema_version: int | None

    @property
    def usable(self) -> bool:
        return self.reviews is not None


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore_backup` did."""

    restored_from: Path
    safety_copy: Path | None  # the previous database, copied or moved aside
    reviews: int


def stamp(now: datetime) -> str:
    """A file-name time stamp: ``20260302T120000Z``."""
    return to_utc(now).strftime("%Y%m%dT%H%M%SZ")


def backup_day(now: datetime) -> str:
    """The day a backup made at ``now`` belongs to: the UTC calendar date."""
    return to_utc(now).date().isoformat()


def copy_database(conn: sqlite3.Connection, target: Path, *, verify: bool = False) -> Path:
    """Write a snapshot of ``conn``'s database to ``target`` (atomically replaced).

    The copy is written to a temporary file with the SQLite backup API, turned
    into a single self-contained file (rollback journal) and renamed into place.
    With ``verify``, the copy is checked first (``PRAGMA quick_check``): the
    backup API copies pages as they are, so a damaged copy means a damaged
    database, and :class:`StoreError` is raised instead of keeping it.
    """
    tmp = target.with_name(f"{target.name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            if verify:
                problem = _quick_check(dest)
                if problem:
                    raise DamagedDatabase(problem)
        finally:
            dest.close()
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target


class DamagedDatabase(StoreError):
    """The database being copied failed its integrity check."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _quick_check(conn: sqlite3.Connection) -> str | None:
    """None when ``PRAGMA quick_check`` finds nothing, else its first complaint."""
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    first = " ".join(str(rows[0][0]).split()) if rows else "no answer"  # one line
    return None if first == "ok" else first.replace("*** in database main *** ", "")


def daily_backup_path(db_path: Path, now: datetime) -> Path:
    return db_path.with_name(f"{db_path.name}.daily-{backup_day(now)}")


def daily_backups(db_path: Path) -> list[Path]:
    """The daily backups beside ``db_path``, newest first."""
    found = []
    for p in db_path.parent.glob(_glob_escape(db_path.name) + ".daily-*"):
        if _DAILY_RE.search(p.name):
            with contextlib.suppress(OSError):
                found.append((p.stat().st_mtime, p.name, p))
    # by when each copy was made, not by the date in its name: a clock set wrong for a
    # while must not make the copies named after the true date look oldest
    return [p for _m, _n, p in sorted(found, reverse=True)]


def daily_backup(
    conn: sqlite3.Connection, db_path: Path, now: datetime, keep: int = DAILY_BACKUPS_KEPT
) -> Path | None:
    """Copy the database once per UTC day, keeping the newest ``keep`` daily copies.

    Returns the new copy, or None when today's exists already, is being made
    by another thread, or copying failed (a full disk never stops studying).
    The copy is checked: a damaged database raises :class:`StoreError` (its
    copy is not kept and no older copy is pruned), so damage is found at the
    first open of each day. Stale temporary files of killed copies are removed.
    """
    if not backups_enabled():
        return None
    target = daily_backup_path(db_path, now)
    made = None
    if not target.exists():
        if not _claim(target):
            return None
        try:
            made = copy_database(conn, target, verify=True)
        except DamagedDatabase as exc:
            raise StoreError(
                f"the progress database is damaged ({exc.problem}); left "
                "untouched. 'quiz progress restore' lists the backups to restore",
                where=db_path,
            ) from None
        except (OSError, sqlite3.Error):
            made = None
        finally:
            _release(target)
    for old in daily_backups(db_path)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
    _remove_stale_temps(db_path)
    return made


def backups_enabled() -> bool:
    """False when ``QUIZ_BACKUPS=0`` (benchmarks, throwaway databases)."""
    return os.environ.get("QUIZ_BACKUPS", "").strip().lower() not in ("0", "no", "off", "false")


def daily_backup_on_open(
    conn: sqlite3.Connection, db_path: Path, now: datetime, keep: int = DAILY_BACKUPS_KEPT
) -> threading.Thread | None:
    """The first open of the day's backup: at once for databases up to
    :data:`BACKGROUND_ABOVE_BYTES` (a damaged one raises :class:`StoreError`),
    else on a background thread with its own connection, so a big database
    opens without waiting (measured: 440 MB take 0.8 s to copy and 0.9 s to
    check). The thread is not a daemon: the process finishes the copy before it
    exits."""
    _remove_stale_temps(db_path)  # leftovers of killed copies and restores, at every open
    if not backups_enabled() or daily_backup_path(db_path, now).exists():
        return None
    try:
        size = db_path.stat().st_size
    except OSError:
        return None
    if size <= BACKGROUND_ABOVE_BYTES:
        daily_backup(conn, db_path, now, keep)
        return None
    thread = threading.Thread(
        target=_daily_backup_in_thread, args=(db_path, now, keep), name="quiz-daily-backup"
    )
    thread.start()
    return thread


def _daily_backup_in_thread(db_path: Path, now: datetime, keep: int) -> None:
    with contextlib.suppress(Exception):  # a failed background copy is simply retried next time
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
        try:
            daily_backup(conn, db_path, now, keep)
        finally:
            conn.close()


_in_progress: set[Path] = set()
_in_progress_lock = threading.Lock()


def _claim(target: Path) -> bool:
    """Only one thread of this process writes a given copy at a time."""
    with _in_progress_lock:
        if target in _in_progress:
            return False
        _in_progress.add(target)
        return True


def _release(target: Path) -> None:
    with _in_progress_lock:
        _in_progress.discard(target)


def _remove_stale_temps(db_path: Path) -> None:
    """Delete temporary copies left by processes that no longer exist."""
    for side in ("", "-journal", "-wal", "-shm"):  # SQLite's own files of a killed copy too
        suffix = TEMP_SUFFIX + side
        for tmp in db_path.parent.glob(_glob_escape(db_path.name) + ".*" + suffix):
            pid_text = tmp.name[: -len(suffix)].rsplit(".", 1)[-1]
            if pid_text.isdigit() and not _pid_alive(int(pid_text)):
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _glob_escape(name: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", name)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup beside ``db_path`` (daily, before upgrade/restore, moved aside), newest first."""
    infos = []
    for p in db_path.parent.glob(_glob_escape(db_path.name) + ".*"):
        m = _BACKUP_RE.search(p.name[len(db_path.name) :])
        if not m or not p.is_file() or p.name.endswith((TEMP_SUFFIX, "-wal", "-shm", "-journal")):
            continue
        infos.append(_describe(p, m.group("kind")))
    return sorted(infos, key=lambda i: (i.path.stat().st_mtime, i.path.name), reverse=True)


def _describe(path: Path, kind: str) -> BackupInfo:
    size = path.stat().st_size
    reviews = last = version = None
    with contextlib.suppress(sqlite3.Error, OSError, StoreError):
        conn = _open_readonly(path)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            reviews, last = conn.execute(
                "SELECT count(*), max(reviewed_at) FROM reviews"
            ).fetchone()
        finally:
            conn.close()
    return BackupInfo(path, kind, size, reviews, last, version)


def _open_readonly(path: Path) -> sqlite3.Connection:
    """Open a backup without creating or changing any file (``immutable``)."""
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise StoreError("not an SQLite file", where=path)
    uri = Path(os.path.abspath(path)).as_uri() + "?immutable=1"
    return sqlite3.connect(uri, uri=True)


def resolve_backup(db_path: Path, name: str) -> Path:
    """A backup given as a path, a file name beside the database, or a date (daily)."""
    from quiz.deck.loader import printable

    candidates = [Path(name).expanduser()]
    if name and "/" not in name and os.sep not in name and "\x00" not in name:
        candidates += [db_path.with_name(name), db_path.with_name(f"{db_path.name}.daily-{name}")]
    for c in candidates:
        with contextlib.suppress(OSError, ValueError):
            if c.is_file():
                return c
    raise StoreError(
        "no such backup (run 'quiz progress restore' to list them)", where=printable(name)
    )


def check_backup(conn: sqlite3.Connection, source: Path) -> int:
    """Raise unless ``conn`` holds an intact quiz database this version can use; returns its reviews."""
    try:
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise StoreError(f"the backup is damaged ({ok}); nothing restored", where=source)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        has_log = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN (?, 'reviews')",
            (migrations.migrations_table,),
        ).fetchone()[0]
        if has_log != 2:
            raise StoreError("not a quiz progress database; nothing restored", where=source)
        applied = [
            r[0]
            for r in conn.execute(
                f"SELECT name FROM [{migrations.migrations_table}] WHERE migration_set = ?",
                (migrations.name,),
            )
        ]
        known = {m.name for m in migrations._migrations}
        if version > SCHEMA_VERSION or any(n not in known for n in applied):
            raise StoreError(
                "the backup was written by a newer version of quiz; nothing restored", where=source
            )
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"the backup is damaged or unreadable ({exc}); nothing restored", where=source
        ) from None


def _live_is_healthy(db_path: Path) -> bool:
    """Is the current database an intact SQLite file we may copy from and write into?"""
    try:
        with db_path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False


def restore_backup(db_path: Path, backup: Path, now: datetime) -> RestoreResult:
    """Replace the database's content with ``backup``'s, after saving the current one.

    The backup is checked first (intact, a quiz database, not from a newer
    quiz) on a private copy, so neither it nor the live database changes when
    it is refused. A healthy current database is copied to
    ``NAME.pre-restore-TIME``; a damaged one is moved aside to
    ``NAME.damaged-TIME`` (with its ``-wal``/``-shm``). An older backup is
    upgraded on the next open, after its own ``bak-`` copy.
    """
    db_path = Path(db_path)
    backup = Path(backup)
    if not backup.is_file():
        raise StoreError("no such backup", where=backup)
    with contextlib.suppress(OSError):
        if db_path.exists() and backup.resolve() == db_path.resolve():
            raise StoreError("that is the progress database itself, not a backup", where=backup)
    if db_path.exists() and database_in_use(db_path):
        raise StoreError(
            "another quiz process has the progress database open (a study "
            "session?); close it, then restore. Nothing restored",
            where=db_path,
        )
    tmp = db_path.with_name(f"{db_path.name}.restore.{os.getpid()}{TEMP_SUFFIX}")
    try:
        try:
            shutil.copyfile(backup, tmp)
        except OSError as exc:
            where = backup if exc.filename == str(backup) else tmp.parent
            raise StoreError(
                f"cannot copy the backup: {exc.strerror or exc}; nothing restored", where=where
            ) from None
        with tmp.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StoreError(
                    "not a quiz backup (not an SQLite file); nothing restored", where=backup
                )
        src = sqlite3.connect(str(tmp))
        try:
            reviews = check_backup(src, backup)
            src.execute("PRAGMA journal_mode = DELETE")
            safety = _save_current(db_path, now)
            if db_path.exists():
                _copy_into_live(src, db_path)
            else:
                src.close()
                try:
                    os.replace(tmp, db_path)
                except OSError as exc:
                    raise StoreError(
                        f"cannot write: {exc.strerror or exc}; "
                        f"the previous database is kept as {safety}",
                        where=db_path,
                    ) from None
        finally:
            src.close()
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return RestoreResult(backup, safety, reviews)


def database_in_use(db_path: Path) -> bool:
    """Does another connection (another quiz process) have the database open?

    Asks SQLite for an exclusive lock without waiting: every open connection to a WAL
    database holds a shared lock on it, so the lock is refused while one is open."""
    try:
        conn = sqlite3.connect(str(db_path), timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        msg = str(exc).lower()
        return "locked" in msg or "busy" in msg
    except sqlite3.Error:
        return False  # damaged: the restore moves it aside
    finally:
        conn.close()


def _save_current(db_path: Path, now: datetime) -> Path | None:
    """Keep the current database: a copy if healthy, else move it (and its WAL) aside."""
    if not db_path.exists():
        try:  # a WAL left without its database must not be applied to the restored one
            _move_sidecars(db_path, unused_path(db_path, f"orphan-{stamp(now)}"))
        except OSError as exc:
            raise StoreError(
                f"cannot move an old {exc.filename} aside "
                f"({exc.strerror or exc}); nothing restored",
                where=db_path,
            ) from None
        return None
    if _live_is_healthy(db_path):
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
        try:
            return copy_database(conn, unused_path(db_path, f"pre-restore-{stamp(now)}"))
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"cannot save the current database before restoring ({exc}); nothing restored",
                where=db_path,
            ) from None
        finally:
            conn.close()
    aside = unused_path(db_path, f"damaged-{stamp(now)}")
    try:
        _move_sidecars(db_path, aside)  # first: a WAL must never meet another main file
        os.replace(db_path, aside)
    except OSError as exc:
        raise StoreError(
            f"cannot move the damaged database aside ({exc.strerror or exc}); nothing restored",
            where=db_path,
        ) from None
    return aside


def _move_sidecars(db_path: Path, aside: Path) -> None:
    """Move ``-wal`` and ``-shm`` files of ``db_path`` to ``aside``'s names."""
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))


def _copy_into_live(src: sqlite3.Connection, db_path: Path) -> None:
    """Overwrite the live database's pages with ``src`` in one transaction."""
    live = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
    try:
        live.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _retry(lambda: src.backup(live))
        with contextlib.suppress(sqlite3.Error):
            live.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot write the restored data ({exc}); the previous content is unchanged",
            where=db_path,
        ) from None
    finally:
        live.close()


def _retry(fn: Callable[[], object], attempts: int = 20) -> None:
    import time

    for i in range(attempts):
        try:
            fn()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
                raise
            if i == attempts - 1:
                raise
            time.sleep(0.25)


def unused_path(db_path: Path, suffix: str) -> Path:
    """``db_path.<suffix>``, or ``db_path.<suffix>-N`` for the first N not taken."""
    target = db_path.with_name(f"{db_path.name}.{suffix}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.name}.{suffix}-{n}")
    return target
