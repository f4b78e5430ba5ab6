"""The deck library: deck files and folders added by the learner (``quiz add``,
``quiz --decks``, ``quiz generate``, ``quiz import``), remembered in the progress
database and listed on home until ``quiz remove``. Removing keeps all progress."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.store.progress import storable
from quiz.study.clock import to_iso

if TYPE_CHECKING:
    from quiz.store import Store


@dataclass(frozen=True)
class LibraryEntry:
    """A remembered deck file or folder."""

    path: Path
    deck: str | None  # deck id when it was added (files only)
    title: str | None
    added_by: str

    @property
    def missing(self) -> bool:
        """The file or folder is gone (moved or deleted) since it was added."""
        try:
            return not self.path.exists()
        except (OSError, ValueError):
            return True


def library_key(path: str | os.PathLike[str]) -> str:
    """How a path is stored: absolute, symlinks resolved where they exist."""
    p = Path(path).expanduser()
    try:
        return str(p.resolve())
    except (OSError, RuntimeError):
        return str(p.absolute())


def add(
    store: Store,
    path: str | os.PathLike[str],
    *,
    deck: str | None = None,
    title: str | None = None,
    added_by: str = "add",
) -> bool:
    """Remember ``path``; True if it is new (an existing entry gets the new id and title)."""
    key = library_key(path)
    with store.transaction() as db:
        known = db.execute("SELECT 1 FROM deck_library WHERE path = ?", [key]).fetchone()
        if known:
            if deck is not None or title is not None:
                db.execute(
                    "UPDATE deck_library SET deck = coalesce(?, deck), "
                    "title = coalesce(?, title) WHERE path = ?",
                    [deck, None if title is None else storable(title), key],
                )
            return False
        db.execute(
            "INSERT INTO deck_library (path, deck, title, added_at, added_by) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                key,
                deck,
                None if title is None else storable(title),
                to_iso(store.clock()),
                added_by,
            ],
        )
    return True


def entries(store: Store) -> list[LibraryEntry]:
    """Every remembered path, in the order added."""
    rows = store.db.execute(
        "SELECT path, deck, title, added_by FROM deck_library ORDER BY added_at, rowid"
    ).fetchall()
    return [LibraryEntry(Path(p), d, t, by) for p, d, t, by in rows]


def remove(store: Store, name: str) -> list[LibraryEntry]:
    """Forget the entries named by ``name`` (a path, or a deck id); the ones removed.

    Progress (card states, reviews) is not touched.
    """
    key = library_key(name)
    found = [e for e in entries(store) if str(e.path) == key]
    if not found:
        found = [e for e in entries(store) if e.deck == name]
    if found:
        with store.transaction() as db:
            for e in found:
                db.execute("DELETE FROM deck_library WHERE path = ?", [str(e.path)])
    return found


def present_paths(db: str | Path | None) -> list[Path]:
    """The files and folders of the deck library in the database ``db`` that still exist
    (none when there is no database yet or it cannot be opened)."""
    from quiz.errors import QuizError
    from quiz.store import Store, db_path

    try:
        if not db_path(db).exists():
            return []
        store = Store.open(db)
    except QuizError:
        return []
    try:
        return [e.path for e in entries(store) if not e.missing]
    finally:
        store.close()
