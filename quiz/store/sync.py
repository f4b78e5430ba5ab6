"""Deck sync: bring ``decks`` and ``cards`` in line with a deck file, keeping progress.

Progress is keyed on card ids: an edited card keeps its progress; a card gone
from the file (or ``retired: true``) is retired, its history kept; a restored
card gets its progress back; ``previous_ids`` carry progress to a renamed card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.deck.model import Deck
from quiz.errors import QuizError
from quiz.store.progress import storable
from quiz.study.clock import to_iso

if TYPE_CHECKING:
    from quiz.store import Store


@dataclass
class SyncReport:
    """What a sync changed."""

    added: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.edited or self.retired or self.restored or self.renamed)


def refuse_same_id_in_another_file(deck_id: str, stored: str | None, path: Path) -> None:
    """Raise if ``deck_id`` was studied from another file that still declares it.

    Two files with one ``deck`` id would otherwise take turns retiring each
    other's cards. A deck whose old file is gone or now has another id has
    simply moved.
    """
    if not stored:
        return
    old = Path(stored)
    try:
        if not old.is_absolute() or not old.is_file() or old.samefile(path):
            return
    except OSError:
        return
    from quiz.deck.loader import printable, read_deck

    other = read_deck(old).deck
    if other is not None and other.deck == deck_id:
        raise QuizError(
            f"deck id '{printable(deck_id)}' is already used by "
            f"{printable(str(old))}; give one of the two decks another 'deck' id",
            where=printable(str(path)),
        )


def sync_deck(store: Store, deck: Deck, path: str | Path | None = None) -> SyncReport:
    """Upsert ``deck`` and its cards into the store (one transaction)."""
    now = to_iso(store.clock())
    report = SyncReport()
    db = store.db
    with store.transaction():
        existing_deck = db.execute(
            "SELECT title, path FROM decks WHERE id = ?", [deck.deck]
        ).fetchone()
        if existing_deck is not None and path is not None:
            refuse_same_id_in_another_file(deck.deck, existing_deck[1], Path(path))
        path_text = (
            storable(str(Path(path).absolute()))
            if path is not None
            else (existing_deck[1] if existing_deck else None)
        )
        if existing_deck is None:
            db.execute(
                "INSERT INTO decks (id, title, path, first_seen) VALUES (?, ?, ?, ?)",
                [deck.deck, deck.title, path_text, now],
            )
        elif (existing_deck[0], existing_deck[1]) != (deck.title, path_text):
            db.execute(
                "UPDATE decks SET title = ?, path = ? WHERE id = ?",
                [deck.title, path_text, deck.deck],
            )

        old = {
            r[0]: r[1:]
            for r in db.execute(
                "SELECT card_id, content_hash, type, kind, section, grp, retired, position "
                "FROM cards WHERE deck = ?",
                [deck.deck],
            )
        }
        inserts, updates = [], []
        positions_changed = False
        in_file: set[str] = set()
        for position, card in enumerate(deck.cards):
            in_file.add(card.id)
            values = (
                card.content_hash(),
                card.type,
                card.kind,
                card.section,
                card.group,
                int(card.retired),
                position,
            )
            before = old.get(card.id)
            if before is None:
                inserts.append((deck.deck, card.id, *values, now))
                if not card.retired:
                    report.added.append(card.id)
                continue
            if tuple(before) == values:
                continue
            updates.append((*values, deck.deck, card.id))
            positions_changed = positions_changed or before[6] != position
            if before[0] != values[0] and not card.retired:
                report.edited.append(card.id)
            if before[5] and not card.retired:
                report.restored.append(card.id)
            elif not before[5] and card.retired:
                report.retired.append(card.id)
        if inserts:
            db.conn.executemany(
                "INSERT INTO cards (deck, card_id, content_hash, type, kind, section, grp, "
                "retired, position, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
        if updates:
            db.conn.executemany(
                "UPDATE cards SET content_hash = ?, type = ?, kind = ?, section = ?, grp = ?, "
                "retired = ?, position = ? WHERE deck = ? AND card_id = ?",
                updates,
            )
        gone = [cid for cid, row in old.items() if cid not in in_file and not row[5]]
        if gone:
            db.conn.executemany(
                "UPDATE cards SET retired = 1 WHERE deck = ? AND card_id = ?",
                [(deck.deck, cid) for cid in gone],
            )
            report.retired.extend(gone)

        active = {c.id for c in deck.active_cards}
        for card in deck.cards:
            for old_id in card.previous_ids:
                if old_id == card.id or old_id in active:
                    continue  # an id still in use keeps its own progress
                if _alias(store, deck.deck, old_id, card.id):
                    report.renamed.append((old_id, card.id))

        if positions_changed or inserts:
            db.execute(
                "UPDATE card_states SET position = (SELECT c.position FROM cards c "
                "WHERE c.deck = card_states.deck AND c.card_id = card_states.card_id) "
                "WHERE deck = ?",
                [deck.deck],
            )
    return report


def _alias(store: Store, deck: str, old_id: str, new_id: str) -> bool:
    """Record ``old_id`` as a previous id of ``new_id`` and move progress to it."""
    db = store.db
    row = db.execute(
        "SELECT new_id FROM card_aliases WHERE deck = ? AND old_id = ?", [deck, old_id]
    ).fetchone()
    changed = row is None or row[0] != new_id
    if changed:
        db.execute(
            "INSERT INTO card_aliases (deck, old_id, new_id) VALUES (?, ?, ?) "
            "ON CONFLICT (deck, old_id) DO UPDATE SET new_id = excluded.new_id",
            [deck, old_id, new_id],
        )
    # Aliases of the old id now point at the new one (renamed twice).
    db.execute(
        "UPDATE card_aliases SET new_id = ? WHERE deck = ? AND new_id = ?", [new_id, deck, old_id]
    )
    # Move each learner's state from the old id unless the new id has its own progress.
    learners = [
        r[0]
        for r in db.execute(
            "SELECT learner FROM card_states WHERE deck = ? AND card_id = ?", [deck, old_id]
        )
    ]
    for learner in learners:
        mine = db.execute(
            "SELECT reps FROM card_states WHERE learner = ? AND deck = ? AND card_id = ?",
            [learner, deck, new_id],
        ).fetchone()
        if mine is not None and mine[0]:
            continue
        if mine is not None:
            db.execute(
                "DELETE FROM card_states WHERE learner = ? AND deck = ? AND card_id = ?",
                [learner, deck, new_id],
            )
        db.execute(
            "UPDATE card_states SET card_id = ?, position = (SELECT position FROM cards "
            "WHERE deck = ? AND card_id = ?) WHERE learner = ? AND deck = ? AND card_id = ?",
            [new_id, deck, new_id, learner, deck, old_id],
        )
        changed = True
    return changed
