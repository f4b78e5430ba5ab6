"""The instructor's report: one row per learner and one row per card, over many databases.

Each trainee may study on their own machine, so a report reads any number of
progress databases (or one class database made by ``quiz progress merge``).
Learner rows come from :func:`quiz.stats.compute_stats`; card rows aggregate
every learner's answers, and are sorted so that broken (flagged) and hard
(often failed) questions come first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from quiz.stats import compute_stats
from quiz.study.clock import from_iso, to_iso, to_utc
from quiz.study.studyday import StudyDay
from quiz.wording import csv_cell

REPORT_VERSION = 1


@dataclass(frozen=True)
class LearnerRow:
    """One learner in one database."""

    learner: str
    source: str  # the database file name
    cards_seen: int
    reviews: int
    retention_30d: float | None  # true retention, last 30 study days
    mastery: float | None  # expected share of the cards recalled now
    weakest_section: str | None
    weakest_mastery: float | None
    last_studied: datetime | None
    days_since: int | None  # study days since the last answer

    def to_dict(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "source": self.source,
            "cards_seen": self.cards_seen,
            "reviews": self.reviews,
            "retention_30d": self.retention_30d,
            "mastery": self.mastery,
            "weakest_section": self.weakest_section,
            "weakest_mastery": self.weakest_mastery,
            "last_studied": to_iso(self.last_studied),
            "days_since": self.days_since,
        }


@dataclass(frozen=True)
class Flag:
    learner: str
    comment: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"learner": self.learner, "comment": self.comment}


@dataclass
class CardRow:
    """One card, across every learner."""

    deck: str
    card_id: str
    section: str | None = None
    prompt: str | None = None
    answers: int = 0
    failures: int = 0  # answers rated Again
    wrong: int = 0  # auto-graded answers judged wrong
    learners: int = 0
    total_time_ms: int = 0
    timed_answers: int = 0
    flags: list[Flag] = field(default_factory=list)

    @property
    def failure_rate(self) -> float | None:
        return self.failures / self.answers if self.answers else None

    @property
    def avg_time_ms(self) -> float | None:
        return self.total_time_ms / self.timed_answers if self.timed_answers else None

    def sort_key(self) -> tuple[Any, ...]:
        """Flagged first, then the most failed, then the most answered."""
        return (
            -len(self.flags),
            -(self.failure_rate or 0.0),
            -self.answers,
            self.deck,
            self.card_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "card_id": self.card_id,
            "section": self.section,
            "prompt": self.prompt,
            "answers": self.answers,
            "learners": self.learners,
            "failures": self.failures,
            "failure_rate": self.failure_rate,
            "wrong": self.wrong,
            "avg_time_ms": self.avg_time_ms,
            "flags": [f.to_dict() for f in self.flags],
        }


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    deck: str | None
    sources: list[str]
    learners: list[LearnerRow]
    cards: list[CardRow]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "generated_at": to_iso(self.generated_at),
            "deck": self.deck,
            "sources": list(self.sources),
            "learners": [r.to_dict() for r in self.learners],
            "cards": [c.to_dict() for c in self.cards],
        }

    def learners_csv(self) -> str:
        return _csv(
            [
                "learner",
                "source",
                "cards_seen",
                "reviews",
                "retention_30d",
                "mastery",
                "weakest_section",
                "weakest_mastery",
                "last_studied",
                "days_since",
            ],
            (r.to_dict() for r in self.learners),
        )

    def cards_csv(self) -> str:
        rows = []
        for c in self.cards:
            d = c.to_dict()
            d["flags"] = " | ".join(
                f"{f.learner}: {f.comment}" if f.comment else f.learner for f in c.flags
            )
            rows.append(d)
        return _csv(
            [
                "deck",
                "card_id",
                "section",
                "prompt",
                "answers",
                "learners",
                "failures",
                "failure_rate",
                "wrong",
                "avg_time_ms",
                "flags",
            ],
            rows,
        )


def _csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else csv_cell(row[c]) for c in columns])
    return buf.getvalue()


def build_report(
    db_paths: Sequence[str | Path],
    deck: str | None = None,
    *,
    now: datetime,
    study_day: StudyDay | None = None,
) -> Report:
    """The report over the databases at ``db_paths`` (opened through :class:`quiz.store.Store`).

    ``study_day`` forces one study day for every learner (tests); by default
    each learner's own settings decide it.
    """
    from quiz.store import Store, database_failures

    now = to_utc(now)
    learner_rows: list[LearnerRow] = []
    cards: dict[tuple[str, str], CardRow] = {}
    card_learners: dict[tuple[str, str], set[tuple[str, str]]] = {}
    sources = []
    deck_paths: dict[str, str] = {}  # deck id: the first deck file a database names
    for path in db_paths:
        store = Store.open(path, clock=lambda: now, readonly=True)  # only reads
        try:
            with database_failures(store.path):
                source = Path(path).name
                sources.append(str(path))
                db = store.db
                for name in store.learners():
                    sd = study_day or store.study_day(name, deck)
                    learner_rows.append(_learner_row(db, name, source, deck, now, sd))
                _add_card_rows(db, source, deck, cards, card_learners)
                for deck_id in store.deck_ids():
                    deck_path = store.deck_path(deck_id)
                    if deck_path:
                        deck_paths.setdefault(deck_id, deck_path)
        finally:
            store.close()
    for key, row in cards.items():
        row.learners = len(card_learners.get(key, ()))
    for key, prompt in card_prompts(deck_paths, cards).items():
        cards[key].prompt = prompt
    ordered = sorted(cards.values(), key=CardRow.sort_key)
    learner_rows.sort(key=lambda r: (r.learner, r.source))
    return Report(
        generated_at=now, deck=deck, sources=sources, learners=learner_rows, cards=ordered
    )


def _learner_row(
    db: Any, name: str, source: str, deck: str | None, now: datetime, sd: StudyDay
) -> LearnerRow:
    stats = compute_stats(db, name, deck, now=now, study_day=sd, hardest_limit=0)
    in_decks = stats.decks
    last = None
    for d in in_decks:
        row = db.execute(
            "SELECT max(reviewed_at) FROM reviews WHERE learner = ? AND deck = ?", [name, d]
        ).fetchone()
        if row and row[0] and (last is None or row[0] > last):
            last = row[0]
    last_dt = from_iso(last) if last else None
    studied = {m.deck for m in stats.mastery if m.seen}  # not a deck never answered in
    weakest = min(
        (m for m in stats.mastery if m.cards and m.deck in studied),
        key=lambda m: m.mastery,
        default=None,
    )
    weakest_name = None
    if weakest is not None:
        weakest_name = (
            weakest.section if len(in_decks) == 1 else f"{weakest.section} ({weakest.deck})"
        )
    return LearnerRow(
        learner=name,
        source=source,
        cards_seen=sum(m.seen for m in stats.mastery),
        reviews=stats.total_reviews,
        retention_30d=stats.retention_for("last_30_days").total,
        mastery=stats.overall_mastery,
        weakest_section=weakest_name,
        weakest_mastery=weakest.mastery if weakest else None,
        last_studied=last_dt,
        days_since=sd.days_between(last_dt, now) if last_dt else None,
    )


def _add_card_rows(
    db: Any,
    source: str,
    deck: str | None,
    cards: dict[tuple[str, str], CardRow],
    card_learners: dict[tuple[str, str], set[tuple[str, str]]],
) -> None:
    aliases = {
        (d, old): new for d, old, new in _rows(db, "SELECT deck, old_id, new_id FROM card_aliases")
    }
    where, params = ("WHERE deck = ?", [deck]) if deck is not None else ("", [])
    sections = {
        (d, c): s
        for d, c, s in db.execute(
            f"SELECT deck, card_id, section FROM cards {where}", params
        ).fetchall()
    }

    def row_for(d: str, c: str) -> CardRow:
        c = aliases.get((d, c), c)
        key = (d, c)
        if key not in cards:
            cards[key] = CardRow(deck=d, card_id=c, section=sections.get(key))
        elif cards[key].section is None:
            cards[key].section = sections.get(key)
        return cards[key]

    # One sequential scan and a sort beat walking the card index with a random table read per row.
    for d, c, learner, n, fails, wrong, total_ms, timed in db.execute(
        f"""SELECT deck, card_id, learner, count(*), total(rating = 1), total(correct = 0),
                   total(max(coalesce(duration_ms, 0), 0)), count(duration_ms)
            FROM reviews NOT INDEXED {where} GROUP BY deck, card_id, learner""",
        params,
    ).fetchall():
        row = row_for(d, c)
        row.answers += int(n)
        row.failures += int(fails)
        row.wrong += int(wrong)
        row.total_time_ms += int(total_ms)
        row.timed_answers += int(timed)
        card_learners.setdefault((row.deck, row.card_id), set()).add((source, learner))

    flagged: dict[tuple[str, str], dict[tuple[str, str | None], None]] = {}
    for d, c, learner, comment in db.execute(
        f"SELECT deck, card_id, learner, flag_comment FROM card_states WHERE flagged = 1"
        f"{' AND deck = ?' if deck is not None else ''}",
        params,
    ).fetchall():
        flagged.setdefault((d, aliases.get((d, c), c)), {})[(learner, comment or None)] = None
    for d, c, learner, comment in db.execute(
        f"SELECT deck, card_id, learner, comment FROM card_events WHERE action = 'flag'"
        f"{' AND deck = ?' if deck is not None else ''} ORDER BY at",
        params,
    ).fetchall():
        if comment:
            per = flagged.setdefault((d, aliases.get((d, c), c)), {})
            per.pop((learner, None), None)
            per[(learner, comment)] = None
    for (d, c), flags in flagged.items():
        row = row_for(d, c)
        known = {(f.learner, f.comment) for f in row.flags}
        row.flags.extend(Flag(lr, cm) for lr, cm in flags if (lr, cm) not in known)


def _rows(db: Any, sql: str) -> list[tuple[Any, ...]]:
    try:
        return db.execute(sql).fetchall()
    except Exception:  # an older database without the table
        return []


def card_prompts(
    deck_paths: Mapping[str, str | None], keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """The prompts of the ``(deck, card_id)`` cards in ``keys``, read from each deck's file
    in ``deck_paths`` where it loads (a moved or broken deck file gives none)."""
    wanted = set(keys)
    out: dict[tuple[str, str], str] = {}
    for deck_id in sorted({d for d, _ in wanted}):
        deck_path = deck_paths.get(deck_id)
        if not deck_path:
            continue
        try:
            from quiz.deck.loader import load_deck

            deck = load_deck(deck_path)
        except Exception:  # a moved or broken deck file: the report still works, without text
            continue
        for card in deck.cards:
            if (deck_id, card.id) in wanted:
                out[(deck_id, card.id)] = card.prompt
    return out
