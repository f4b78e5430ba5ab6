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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

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
class SectionCell:
    """One learner's mastery of one section (a cell of the heat map)."""

    section: str  # "Section (deck)" when the learner studies several decks
    cards: int
    seen: int
    mastery: float


@dataclass(frozen=True)
class ClassDay:
    """One UTC day of the whole class: answers, and true retention's passed / failed."""

    day: date
    answers: int
    passed: int
    failed: int

    @property
    def retention(self) -> float | None:
        n = self.passed + self.failed
        return self.passed / n if n else None


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    deck: str | None
    sources: list[str]
    learners: list[LearnerRow]
    cards: list[CardRow]
    sections: dict[tuple[str, str], list[SectionCell]] = field(default_factory=dict)
    """(learner, source) -> mastery per section, in deck order."""
    days: list[ClassDay] = field(default_factory=list)

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
    on_progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> Report:
    """The report over the databases at ``db_paths``, read (never written) in batches by
    :func:`quiz.store.class_report.read_class`.

    ``study_day`` forces one study day for every learner (tests); by default
    each learner's own settings decide it. ``on_progress(done, total)`` is called
    as databases are read; ``workers`` processes share a large class (default: one
    per core from 200 databases on).
    """
    from quiz.store.class_report import read_class

    now = to_utc(now)
    figures = read_class(
        db_paths, deck, now=now, study_day=study_day, on_progress=on_progress, workers=workers
    )
    learner_rows = []
    sections: dict[tuple[str, str], list[SectionCell]] = {}
    for fig in figures.learners:
        learner_rows.append(_learner_row(fig, now))
        one_deck = len(fig.decks) == 1
        sections[(fig.learner, fig.source)] = [
            SectionCell(
                s.section if one_deck else f"{s.section} ({s.deck})", s.cards, s.seen, s.mastery
            )
            for s in fig.sections
        ]
    cards = [
        CardRow(
            deck=c.deck,
            card_id=c.card_id,
            section=c.section,
            answers=c.answers,
            failures=c.failures,
            wrong=c.wrong,
            learners=c.learners,
            total_time_ms=c.total_time_ms,
            timed_answers=c.timed_answers,
            flags=[Flag(lr, cm) for lr, cm in c.flags],
        )
        for c in figures.cards
    ]
    by_key = {(c.deck, c.card_id): c for c in cards}
    for key, prompt in card_prompts(figures.deck_paths, by_key).items():
        by_key[key].prompt = prompt
    cards.sort(key=CardRow.sort_key)
    learner_rows.sort(key=lambda r: (r.learner, r.source))
    days = [
        ClassDay(date.fromisoformat(d.day), d.answers, d.passed, d.failed)
        for d in figures.days
        if _is_day(d.day)
    ]
    return Report(
        generated_at=now,
        deck=deck,
        sources=figures.sources,
        learners=learner_rows,
        cards=cards,
        sections=sections,
        days=days,
    )


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:  # a hand-edited time
        return False
    return True


def _learner_row(fig: Any, now: datetime) -> LearnerRow:
    total_cards = sum(s.cards for s in fig.sections)
    weakest = min((s for s in fig.sections if s.cards), key=lambda s: s.mastery, default=None)
    weakest_name = None
    if weakest is not None:
        weakest_name = (
            weakest.section if len(fig.decks) == 1 else f"{weakest.section} ({weakest.deck})"
        )
    answered = fig.passed_30d + fig.failed_30d
    try:
        last = from_iso(fig.last_review) if fig.last_review else None
    except ValueError:  # a hand-edited time
        last = None
    return LearnerRow(
        learner=fig.learner,
        source=fig.source,
        cards_seen=sum(s.seen for s in fig.sections),
        reviews=fig.reviews,
        retention_30d=fig.passed_30d / answered if answered else None,
        mastery=sum(s.recall for s in fig.sections) / total_cards if total_cards else None,
        weakest_section=weakest_name,
        weakest_mastery=weakest.mastery if weakest else None,
        last_studied=last,
        days_since=fig.study_day.days_between(last, now) if last else None,
    )


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
