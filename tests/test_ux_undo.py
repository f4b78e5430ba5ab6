"""Undo takes back the last action of any kind (issue 13, item 2): a rating, a bury, a
suspension or a flag, newest first, and the card is asked again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.session import StudySession

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DECK = Deck.model_validate(
    {
        "deck": "d",
        "title": "D",
        "cards": [
            {"id": f"b{i}", "type": "basic", "question": f"Q {i}", "answer": f"A {i}"}
            for i in range(1, 5)
        ],
    }
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    s = Store.open(tmp_path / "p.db", clock=clock)
    yield s
    s.close()


def marks(store: Store, card_id: str) -> tuple:
    row = store.card_state("ann", "d", card_id)
    assert row is not None
    return (row["suspended"], row["buried_until"], row["flagged"], row["flag_comment"])


@pytest.mark.parametrize("action", ["bury", "suspend"])
def test_undo_after_a_rating_and_a_bury_or_suspend_takes_back_the_latter(
    store: Store, clock: FixedClock, action: str
) -> None:
    s = StudySession(store, DECK, "ann", clock=clock)
    s.next_card()
    s.rate(3)
    second = s.next_card()
    assert second is not None and second.card.id == "b2"
    getattr(s, action)()
    assert s.next_card().card.id == "b3"
    assert s.undo() == action  # not the earlier rating
    assert marks(store, "b2") == (0, None, 0, None)
    assert len(store.reviews()) == 1
    again = s.next_card()
    assert again is not None and again.card.id == "b2" and again.position == 2
    assert s.undo() == "rate"  # then the rating
    assert store.reviews() == []
    assert s.next_card().card.id == "b1"
    assert s.undo() is None and not s.can_undo


def test_undo_a_flag_keeps_an_older_flag_comment(store: Store, clock: FixedClock) -> None:
    s = StudySession(store, DECK, "ann", clock=clock)
    s.next_card()
    s.flag("typo in the answer")
    s.flag("second thoughts")
    assert marks(store, "b1")[2:] == (1, "second thoughts")
    assert s.undo() == "flag"
    assert marks(store, "b1")[2:] == (1, "typo in the answer")
    assert s.undo() == "flag"
    assert marks(store, "b1")[2:] == (0, None)
    assert s.next_card().card.id == "b1"


def test_practice_undo_of_a_bury_asks_the_card_again(store: Store, clock: FixedClock) -> None:
    s = StudySession(store, DECK, "ann", "practice", clock=clock, practice_cards=["b1", "b2"])
    assert s.next_card().card.id == "b1"
    s.bury()
    assert s.counts().total == 1
    assert s.undo() == "bury"
    assert s.counts().total == 2
    assert s.next_card().card.id == "b1"


def test_exam_has_no_undo(store: Store, clock: FixedClock) -> None:
    s = StudySession(store, DECK, "ann", "exam", clock=clock, exam_size=2)
    s.next_card()
    s.suspend()
    assert s.undo() is None
