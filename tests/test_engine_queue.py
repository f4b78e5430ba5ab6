"""The study queue: order, daily limits across restarts, rollover, siblings, learn-ahead."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.session import StudySession

NY = ZoneInfo("America/New_York")
# 2026-03-02 10:00 in New York (EST, UTC-5).
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def basic(cid: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "type": "basic", "question": f"Q {cid}", "answer": f"A {cid}", **extra}


def make(cards: list[dict[str, Any]]) -> Deck:
    return Deck.model_validate({"deck": "d", "title": "D", "cards": cards})


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUIZ_TZ", "America/New_York")
    return tmp_path / "p.db"


def session(db_path: Path, deck: Deck, clock: FixedClock, **kw: Any) -> StudySession:
    return StudySession(Store.open(db_path, clock=clock), deck, "ann", clock=clock, seed=1, **kw)


def answer(s: StudySession, rating: int = 3) -> str:
    view = s.next_card()
    assert view is not None
    s.reveal()
    s.rate(rating)
    return view.card.id


def test_new_cards_in_deck_order_up_to_the_limit_even_after_restart(
    db_path: Path, clock: FixedClock
) -> None:
    deck = make([basic(f"c{i:02d}") for i in range(30)])
    s = session(db_path, deck, clock)
    assert s.counts().new == 20
    firsts = [answer(s, 4) for _ in range(12)]  # Easy: straight to review, not due today
    assert firsts == [f"c{i:02d}" for i in range(12)]
    s.close()
    s.store.close()
    clock.advance(minutes=5)
    s2 = session(db_path, deck, clock)  # the app restarts: no more new cards than 20 today
    assert s2.counts().new == 8
    more = []
    while (v := s2.next_card()) is not None:
        more.append(v.card.id)
        s2.reveal()
        s2.rate(4)
    assert more == [f"c{i:02d}" for i in range(12, 20)]
    s2.store.close()
    # --new overrides for this session.
    s3 = session(db_path, deck, clock, new_limit=25)
    assert s3.counts().new == 5
    s3.store.close()


def test_rollover_at_four_am_local_grants_new_cards(db_path: Path, clock: FixedClock) -> None:
    deck = make([basic(f"c{i:02d}") for i in range(50)])
    s = session(db_path, deck, clock, new_limit=3)
    for _ in range(3):
        answer(s, 4)
    assert s.next_card() is None
    clock.set(datetime(2026, 3, 3, 3, 59, tzinfo=NY))  # 03:59 next morning: still "today"
    assert s.counts().new == 0
    clock.set(datetime(2026, 3, 3, 4, 0, tzinfo=NY))
    assert s.counts().new == 3
    s.store.close()


def test_queue_order_learning_then_reviews_then_new(db_path: Path, clock: FixedClock) -> None:
    deck = make([basic(f"c{i}") for i in range(6)])
    s = session(db_path, deck, clock)
    assert answer(s, 4) == "c0"  # review, due in days
    assert answer(s, 1) == "c1"  # learning, due in 1 minute
    clock.advance(days=30)
    s.store.clock = clock
    view = s.next_card()
    assert view is not None and view.card.id == "c1" and view.queue == "learning"
    s.reveal()
    s.rate(4)
    view = s.next_card()
    assert view is not None and (view.card.id, view.queue) == ("c0", "review")
    s.reveal()
    s.rate(3)
    view = s.next_card()
    assert view is not None and (view.card.id, view.queue) == ("c2", "new")
    s.store.close()


def test_learn_ahead_shows_nearest_learning_card_within_20_minutes(
    db_path: Path, clock: FixedClock
) -> None:
    deck = make([basic("a"), basic("b")])
    s = session(db_path, deck, clock)
    assert answer(s, 3) == "a"  # learning: due in 10 minutes
    assert answer(s, 1) == "b"  # learning: due in 1 minute
    view = s.next_card()  # nothing due now: learn ahead to b (1m), then a (10m)
    assert view is not None and view.card.id == "b"
    s.reveal()
    s.rate(4)
    view = s.next_card()
    assert view is not None and view.card.id == "a"
    s.reveal()
    s.rate(3)  # a graduates: every card is now due in days
    assert s.next_card() is None
    s.store.close()


def test_learn_ahead_stops_beyond_the_window(db_path: Path, clock: FixedClock) -> None:
    deck = make([basic("a")])
    s = session(db_path, deck, clock)
    s.store.update_settings("ann", learn_ahead_minutes=5)
    s = session(db_path, deck, clock)
    assert answer(s, 3) == "a"  # due in 10 minutes, beyond 5
    assert s.next_card() is None
    c = s.counts()
    assert (c.new, c.learning, c.review) == (0, 1, 0)
    clock.advance(minutes=6)
    assert s.next_card() is not None
    s.store.close()


def test_siblings_wait_until_tomorrow_except_learning(db_path: Path, clock: FixedClock) -> None:
    deck = make([basic("a", group="g"), basic("b", group="g"), basic("c"), basic("d", group="g")])
    s = session(db_path, deck, clock)
    assert answer(s, 1) == "a"  # a is learning now
    assert s.counts().new == 1  # only c: b and d are siblings of a
    assert answer(s) in {"a", "c"}
    seen = set()
    while (v := s.next_card()) is not None:
        seen.add(v.card.id)
        s.reveal()
        s.rate(4)
    assert seen <= {"a", "c"}
    clock.set(datetime(2026, 3, 3, 5, 0, tzinfo=NY))
    assert s.counts().new == 2  # next day: b and d are available again...
    assert s.next_card().queue == "review"  # a (a sibling) is due: answering it...
    s.reveal()
    s.rate(3)
    assert s.counts().new == 0  # ...holds b and d back for the day
    clock.set(datetime(2026, 3, 10, 5, 0, tzinfo=NY))
    s.store.db.execute(
        "UPDATE card_states SET due = '2030-01-01T00:00:00.000+00:00' WHERE state > 0"
    )
    assert answer(s) == "b"
    assert s.counts().new == 0  # ...and d waits again
    s.store.close()


def test_bury_until_next_study_day_and_suspend_forever(db_path: Path, clock: FixedClock) -> None:
    deck = make([basic("a"), basic("b"), basic("c")])
    s = session(db_path, deck, clock)
    view = s.next_card()
    assert view is not None and view.card.id == "a"
    s.bury()
    view = s.next_card()
    assert view is not None and view.card.id == "b"
    s.suspend()
    assert answer(s) == "c"
    assert s.counts().new == 0
    clock.set(datetime(2026, 3, 3, 4, 0, tzinfo=NY))
    s2 = session(db_path, deck, clock)
    ids = []
    while (v := s2.next_card()) is not None:
        ids.append(v.card.id)
        s2.reveal()
        s2.rate(4)
    assert "a" in ids and "b" not in ids
    s2.store.restore("ann", "d", "b")
    assert s2.counts().new == 1
    s.store.close()
    s2.store.close()


def test_review_limit_per_day(db_path: Path, clock: FixedClock) -> None:
    deck = make([basic(f"c{i}") for i in range(12)])
    s = session(db_path, deck, clock, new_limit=12)
    for _ in range(12):
        answer(s, 4)
    s.store.update_settings("ann", reviews_per_day=5)
    clock.advance(days=200)
    s2 = session(db_path, deck, clock)
    assert s2.counts().review == 5
    for _ in range(5):
        view = s2.next_card()
        assert view is not None and view.queue == "review"
        s2.reveal()
        s2.rate(3)
    assert s2.counts().review == 0
    assert s2.next_card() is None
    s.store.close()
    s2.store.close()


def test_counts_match_what_is_shown(db_path: Path, clock: FixedClock) -> None:
    deck = make([basic(f"c{i}") for i in range(8)])
    s = session(db_path, deck, clock, new_limit=5)
    c = s.counts()
    assert (c.new, c.learning, c.review) == (5, 0, 0)
    answer(s, 1)
    c = s.counts()
    assert (c.new, c.learning, c.review) == (4, 1, 0)
    s.store.close()


@pytest.mark.parametrize(
    ("today", "tomorrow"),
    [((2026, 3, 7), (2026, 3, 8)), ((2026, 10, 31), (2026, 11, 1)), ((2026, 11, 1), (2026, 11, 2))],
)
def test_due_today_across_dst_changes(
    db_path: Path, clock: FixedClock, today: tuple, tomorrow: tuple
) -> None:
    deck = make([basic("early"), basic("late"), basic("after")])
    s = session(db_path, deck, clock)
    for _ in range(3):
        answer(s, 4)
    due = {
        "early": datetime(*tomorrow, 3, 30, tzinfo=NY),  # before the 4 a.m. rollover: today
        "late": datetime(*tomorrow, 4, 0, tzinfo=NY),  # the rollover itself: tomorrow
        "after": datetime(*tomorrow, 12, 0, tzinfo=NY),
    }
    for cid, when in due.items():
        s.store.db.execute(
            "UPDATE card_states SET due = ? WHERE card_id = ?",
            [when.astimezone(UTC).isoformat(timespec="milliseconds"), cid],
        )
    clock.set(datetime(*today, 22, 0, tzinfo=NY))
    assert s.counts().review == 1
    view = s.next_card()
    assert view is not None and view.card.id == "early"
    clock.set(datetime(*tomorrow, 3, 59, tzinfo=NY))
    assert s.counts().review == 1
    clock.set(datetime(*tomorrow, 4, 0, tzinfo=NY))
    assert s.counts().review == 3
    s.store.close()
