"""Opening the progress database safely: checks, migrations, backups, transactions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from quiz.errors import StoreError
from quiz.store import backup
from quiz.store.identity import ensure_identity, read_identity
from quiz.store.schema import SCHEMA_VERSION, migrations
from quiz.study.clock import Clock, system_clock

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10.0
LOCK_RETRIES = 6  # each waits up to BUSY_TIMEOUT_S first
DAILY_BACKUPS_KEPT = 7
READABLE_PENDING = {"m007_database_identity"}
"""Migrations a database may lack and still be read as is (read-only opens)."""


def default_db_path() -> Path:
    """``$QUIZ_DB`` if set, else ``<user data dir>/quiz/progress.db``."""
    env = os.environ.get("QUIZ_DB", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("quiz") / "progress.db"


def db_path(given: str | Path | None = None) -> Path:
    """The progress database to use: ``given`` (``~`` expanded), else :func:`default_db_path`."""
    return Path(given).expanduser() if given else default_db_path()


@contextlib.contextmanager
def database_failures(path: str | Path) -> Iterator[None]:
    """Turn an SQLite failure inside the block (a file damaged while in use) into a StoreError."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"the progress database failed: {exc}", where=path) from None


def is_locked_error(exc: BaseException) -> bool:
    """Is this the transient "database is locked/busy" error worth retrying?"""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def _check_file(path: Path, readonly: bool = False) -> bool:
    """Refuse what is not a SQLite file; returns whether the file exists with content."""
    import stat

    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as exc:  # a symlink loop, a name too long, ...
        raise StoreError(f"cannot open: {exc.strerror or exc}", where=path) from None
    except ValueError:
        raise StoreError("not a valid file name", where=path) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise StoreError("is a directory, not a progress database", where=path)
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise StoreError(
            "not a regular file (a FIFO or device?), not a progress database", where=path
        )
    if st is None and readonly:
        raise StoreError("no progress database here", where=path)
    if st is None:
        wal = path.with_name(path.name + "-wal")
        with contextlib.suppress(OSError):
            if wal.stat().st_size > 0:  # a database deleted under its log: do not start over it
                raise StoreError(
                    f"the database file is missing but its log {wal.name} is "
                    "there; put the file back, or move the log away to start afresh "
                    "('quiz progress restore' lists backups)",
                    where=path,
                )
        parent = path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the directory {parent}: {exc.strerror or exc}", where=path
            ) from None
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError(f"the directory {parent} is not writable", where=path)
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read: {exc.strerror or exc}", where=path) from None
    if not head:
        return False
    if head != SQLITE_HEADER:
        raise StoreError(
            "not a quiz progress database (not an SQLite file); left untouched", where=path
        )
    if readonly:
        return True
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreError("the progress database is not writable", where=path)
    return True


class StoreBase:
    """The connection, its checks and transactions. See :class:`quiz.store.Store`."""

    def __init__(self, path: Path, db: Database, clock: Clock) -> None:
        self.path = path
        self.db = db
        self.clock = clock
        self._file_id = _file_id(path)

    readonly = False
    """Opened with ``readonly=True``: the connection cannot write (``mode=ro``)."""

    # --- opening -----------------------------------------------------------
    @classmethod
    def _open_readonly(
        cls, path: str | Path | None, clock: Clock | None = None
    ) -> tuple[Path, Database]:
        """Open an existing database for reading only (``mode=ro``): no migration, no
        backup, nothing written; works on a file (and folder) the user cannot write."""
        resolved = db_path(path)
        if not _check_file(resolved, readonly=True):
            raise StoreError("the progress database is empty", where=resolved)
        uri = Path(os.path.abspath(resolved)).as_uri()
        conn = None
        # A file we may write is opened read-write but with query_only (SQLite refuses every
        # write): a mode=ro connection to a WAL database leaves -wal/-shm files behind that it
        # cannot remove. A file (or folder) we may not write is opened with mode=ro, and if not
        # even the -shm file can be made, as immutable.
        writable = os.access(resolved, os.W_OK) and os.access(resolved.parent, os.W_OK | os.X_OK)
        modes = ("?mode=rw",) if writable else ("?mode=ro", "?mode=ro&immutable=1")
        for query in modes:
            try:
                conn = sqlite3.connect(
                    uri + query, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
                )
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                conn.execute("PRAGMA query_only = ON")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                applied = _applied_migrations(conn)
                break
            except sqlite3.OperationalError as exc:
                if conn is not None:
                    conn.close()
                conn = None
                if "unable to open" not in str(exc) or query == modes[-1]:
                    raise StoreError(
                        f"cannot read the progress database ({exc}); left untouched", where=resolved
                    ) from None
            except sqlite3.DatabaseError as exc:
                if conn is not None:
                    conn.close()
                raise StoreError(
                    f"the progress database is damaged or unreadable ({exc}); left untouched",
                    where=resolved,
                ) from None
        assert conn is not None
        known = {m.name for m in migrations._migrations}
        if version > SCHEMA_VERSION or any(n not in known for n in applied):
            conn.close()
            raise StoreError(
                f"written by a newer version of quiz (schema "
                f"{version}); upgrade quiz to use it. Left untouched.",
                where=resolved,
            )
        if not applied or not (known - set(applied)) <= READABLE_PENDING:
            conn.close()
            if writable and applied:  # upgrade it as any open would (after a backup copy)
                _resolved, db = cls._open_database(resolved, clock)
                db.conn.close()
                return cls._open_readonly(resolved, clock)
            raise StoreError(
                "the progress database needs an upgrade first "
                "(open it once with 'quiz study', which can write to it)",
                where=resolved,
            )
        return resolved, Database(conn)

    @classmethod
    def _open_database(cls, path: str | Path | None, clock: Clock | None) -> tuple[Path, Database]:
        resolved = db_path(path)
        existed = _check_file(resolved)
        try:
            conn = sqlite3.connect(str(resolved), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open: {exc}", where=resolved) from None
        db = Database(conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            applied = _applied_migrations(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"the progress database is damaged or unreadable ({exc}); left untouched",
                where=resolved,
            ) from None
        known = {m.name for m in migrations._migrations}
        unknown = [name for name in applied if name not in known]
        if version > SCHEMA_VERSION or unknown:
            conn.close()
            raise StoreError(
                f"written by a newer version of quiz (schema {version}"
                f"{', ' + ', '.join(unknown) if unknown else ''}); upgrade quiz to use it. "
                "Left untouched.",
                where=resolved,
            )
        if existed and not applied and _has_user_tables(conn):
            conn.close()
            raise StoreError(
                "an SQLite database that is not a quiz progress database; left untouched",
                where=resolved,
            )
        try:
            _retry_locked(lambda: db.enable_wal())
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            pending = [m.name for m in migrations.pending(db)]
            if pending:
                if existed and applied:
                    backup_copy(
                        conn, resolved, f"bak-{version}-{backup.stamp((clock or system_clock)())}"
                    )
                _retry_locked(lambda: _migrate(db))
            _retry_locked(lambda: ensure_identity(conn, resolved))
        except sqlite3.DatabaseError as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc).lower():
                raise StoreError("the progress database is read-only", where=resolved) from None
            raise StoreError(
                f"cannot prepare the progress database: {exc}", where=resolved
            ) from None
        if existed:  # the first open of the day copies (and checks) an existing database
            try:
                backup.daily_backup_on_open(conn, resolved, (clock or system_clock)())
            except StoreError:
                conn.close()
                raise
        return resolved, db

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.close()

    # --- transactions ------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """A write transaction: ``BEGIN IMMEDIATE`` (waiting out other writers), then
        ``db.atomic()``. Nested use becomes a savepoint."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.check_file()
        try:
            _retry_locked(lambda: conn.execute("BEGIN IMMEDIATE"))
        except sqlite3.DatabaseError as exc:
            raise self._failure(exc) from None
        try:
            with self.db.atomic():  # a savepoint inside our immediate transaction
                yield self.db
            _retry_locked(lambda: conn.execute("COMMIT"))
        except BaseException as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if _is_storage_failure(exc):
                raise self._failure(exc) from None  # type: ignore[arg-type]
            raise

    def check_file(self) -> None:
        """Raise :class:`StoreError` if the database file was deleted, moved or replaced since
        it was opened: a write would go to a file nobody will read again."""
        if self._file_id is not None and _file_id(self.path) != self._file_id:
            raise StoreError(
                "the progress database was deleted or replaced while in "
                "use; nothing was saved. Put it back, or see 'quiz progress restore' for backups",
                where=self.path,
            )

    def _failure(self, exc: sqlite3.Error) -> StoreError:
        """A storage failure (damaged file, full disk, read-only) as one line; nothing was written."""
        return StoreError(
            f"the progress database failed: {exc}; nothing was saved", where=self.path
        )

    @property
    def database_id(self) -> str | None:
        """This database's random id (see :mod:`quiz.store.identity`); None for an older
        database opened read-only."""
        return read_identity(self.db.conn)

    @property
    def schema_version(self) -> int:
        return int(self.db.conn.execute("PRAGMA user_version").fetchone()[0])

    # --- backups -----------------------------------------------------------
    def daily_backup(self, keep: int = DAILY_BACKUPS_KEPT) -> Path | None:
        """Back up once per UTC day (``progress.db.daily-YYYY-MM-DD``), keeping ``keep``."""
        return backup.daily_backup(self.db.conn, self.path, self.clock(), keep)

    def list_backups(self) -> list[Path]:
        """Daily backups beside the database, newest first."""
        return backup.daily_backups(self.path)


def _file_id(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode), or None when it is not there."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _is_storage_failure(exc: BaseException) -> bool:
    """A failure of the file or disk, not of our SQL (those stay loud for tests)."""
    if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return False
    if isinstance(exc, sqlite3.OperationalError):
        msg = str(exc).lower()
        return any(w in msg for w in ("disk", "full", "readonly", "read-only", "malformed", "i/o"))
    return isinstance(exc, sqlite3.DatabaseError)


def backup_copy(conn: sqlite3.Connection, path: Path, suffix: str) -> Path:
    """``path.<suffix>`` (or ``.<suffix>-N`` when taken): a copy of the database before a migration."""
    return backup.copy_database(conn, backup.unused_path(path, suffix))


def _applied_migrations(conn: sqlite3.Connection) -> list[str]:
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
        (migrations.migrations_table,),
    ).fetchone()
    if not has:
        return []
    rows = conn.execute(
        f"SELECT name FROM [{migrations.migrations_table}] WHERE migration_set = ? ORDER BY rowid",
        (migrations.name,),
    ).fetchall()
    return [r[0] for r in rows]


def _has_user_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row[0])


def _migrate(db: Database) -> None:
    """Apply pending migrations in one transaction holding the write lock, so two
    processes opening a database at once never both migrate it."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        migrations.apply(db)  # re-reads what is pending, now under the lock
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _retry_locked(fn):  # type: ignore[no-untyped-def]
    """Run ``fn``, retrying while another process holds the write lock."""
    delay = 0.05
    for attempt in range(LOCK_RETRIES):
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if not is_locked_error(exc) or attempt == LOCK_RETRIES - 1:
                if is_locked_error(exc):
                    raise StoreError(
                        "the progress database stayed locked by another quiz process; try again"
                    ) from None
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    raise AssertionError("unreachable")
