"""Which database file this is: a random id that survives moves and restores but not copies.

Several trainees' databases are often copies of one image. Their learners then carry
the same names and creation times, and merging them must still tell them apart. Each
database therefore holds a random id (table ``database_identity``), made on its first
open. When a file is opened at another path with another inode (a copy rather than a
move or a restore in place), a new id is made and the old one is kept in ``previous``. Exports name the database a learner comes from, so ``progress import``
and ``merge`` keep the learners of two copies apart.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import uuid
from pathlib import Path

from quiz.study.clock import system_clock, to_iso


def _host() -> str:
    return socket.gethostname() or "localhost"


def read_identity(conn: sqlite3.Connection) -> str | None:
    """The database's id, or None (no identity yet, or an older schema)."""
    try:
        row = conn.execute("SELECT id FROM database_identity LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def ensure_identity(conn: sqlite3.Connection, path: Path) -> str:
    """The database's id, made (or made anew, if this file is a copy) as needed.
    Call with no transaction open; writes only when something changed."""
    real = os.path.realpath(path)
    st = os.stat(real)
    here = (real, st.st_ino, st.st_dev, _host())
    select = "SELECT id, path, inode, device, host, previous FROM database_identity LIMIT 1"
    row = conn.execute(select).fetchone()
    if row is not None and _same(row, here) == "same":
        return str(row[0])
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute(select).fetchone()  # again, under the lock
        verdict = _same(row, here) if row is not None else "new"
        if verdict == "same":
            ident = str(row[0])
        elif verdict == "moved":  # a move, or a restore in place: the same database
            ident = str(row[0])
            conn.execute(
                "UPDATE database_identity SET path = ?, inode = ?, device = ?", list(here[:3])
            )
        else:
            previous: list[str] = []
            if row is not None:
                try:
                    previous = [str(x) for x in json.loads(row[5] or "[]")]
                except ValueError:
                    previous = []
                previous.append(str(row[0]))
            ident = uuid.uuid4().hex
            conn.execute("DELETE FROM database_identity")
            conn.execute(
                "INSERT INTO database_identity (id, made_at, path, inode, device, host, previous) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [ident, to_iso(system_clock()), *here, json.dumps(previous[-20:])],
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return ident


def _same(row: tuple, here: tuple[str, int, int, str]) -> str:
    """``same``, ``moved`` (same database: moved, or replaced in place) or ``copy`` (both
    another path and another inode). The host alone decides nothing: a home folder shared
    over the network is one database seen from many machines. Copies that kept path and
    inode (a cloned disk) are told apart by ``merge``, which sees one id in two files."""
    _ident, old_path, inode, device, _host_then, _previous = row
    path, ino, dev, _now_host = here
    moved = old_path != path
    other_file = (inode, device) != (ino, dev)
    if moved and other_file:
        return "copy"
    return "moved" if moved or other_file else "same"
