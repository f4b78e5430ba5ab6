"""StudySession: rating, undo, leeches, flags, practice and exam modes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from quiz.deck.model import Deck
from quiz.errors import QuizError
from quiz.store import Store
from quiz.study.clock import FixedClock, from_iso
from quiz.study.session import StudySession

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def basic(cid: str) -> dict[str, Any]:
    return {"id": cid, "type": "basic", "question": f"Q {cid}", "answer": f"A {cid}"}


def make(cards: list[dict[str, Any]]) -> Deck:
    return Deck.model_validate({"deck": "d", "title": "D", "cards": cards})


MIXED = make(
    [
        basic("b1"),
        {
            "id": "m1",
            "type": "mcq",
            "question": "Pick B",
            "choices": ["A", "B", "C", "D"],
            "answer": "B",
        },
        {"id": "t1", "type": "truefalse", "statement": "Two is even", "answer": True},
        {"id": "s1", "type": "short", "question": "Capital of France?", "answer": "Paris"},
    ]
)


def states(store: Store) -> list[dict[str, Any]]:
    return store.card_states()


def test_rate_commits_review_with_duration_and_grade(store: Store, clock: FixedClock) -> None:
    s = StudySession(store, MIXED, "ann", clock=clock, seed=3)
    view = s.next_card()
    assert view is not None and view.card.id == "b1" and view.position == 1
    clock.advance(seconds=7)
    res = s.reveal()
    assert res.grade.verdict == "self" and res.suggested == 3
    clock.advance(seconds=2)
    s.rate()
    [r] = store.reviews()
    assert (r.card_id, r.rating, r.duration_ms, r.mode, r.session_id, r.verdict, r.correct) == (
        "b1",
        3,
        7000,
        "study",
        s.session_id,
        "self",
        None,
    )
    assert from_iso(r.reviewed_at) == T0 + timedelta(seconds=9)
    view = s.next_card()
    assert view is not None and view.card.id == "m1"
    res = s.submit("B")
    assert res.grade.verdict == "correct" and res.suggested == 3
    s.rate(1)  # the learner may choose any rating
    [r] = store.reviews(card_id="m1")
    assert (r.rating, r.answer, r.correct) == (1, "B", 1)


def test_rating_options_predict_the_real_interval(store: Store, clock: FixedClock) -> None:
    s = StudySession(store, MIXED, "ann", clock=clock)
    s.next_card()
    res = s.reveal()
    labels = [(o.rating, o.label, o.interval_text) for o in res.options]
    assert labels[:3] == [(1, "Again", "<1m"), (2, "Hard", "6m"), (3, "Good", "10m")]
    easy = res.options[3].interval
    s.rate(4)
    due = from_iso(store.card_state("ann", "d", "b1")["due"])
    assert due - T0 == easy


def test_mcq_choices_shuffled_with_a_seed(store: Store, clock: FixedClock) -> None:
    def choices(seed: int) -> list[str]:
        s = StudySession(
            store, MIXED, "ann", "practice", clock=clock, seed=seed, practice_cards=["m1"]
        )
        v = s.next_card()
        assert v is not None
        return v.choices or []

    assert choices(1) == choices(1)
    assert sorted(choices(1)) == ["A", "B", "C", "D"]
    assert len({tuple(choices(i)) for i in range(8)}) > 1
    s = StudySession(store, MIXED, "ann", "practice", clock=clock, practice_cards=["t1"])
    assert s.next_card().choices == ["True", "False"]


def test_undo_restores_state_and_deletes_the_review_atomically(
    store: Store, clock: FixedClock
) -> None:
    s = StudySession(store, MIXED, "ann", clock=clock)
    s.next_card()
    s.reveal()
    s.rate(3)
    after_first = states(store)
    view = s.next_card()
    s.submit("C")
    s.rate(1)
    assert len(store.reviews()) == 2
    assert s.undo()
    assert states(store) == after_first
    assert [r.card_id for r in store.reviews()] == ["b1"]
    again = s.next_card()
    assert again is not None and again.card.id == view.card.id  # asked again
    assert s.undo()  # and the one before
    assert store.reviews() == []
    assert not s.undo()
    # Another session cannot undo this one's answers.
    s.next_card()
    s.reveal()
    s.rate(3)
    other = StudySession(store, MIXED, "ann", clock=clock)
    assert not other.undo()
    assert len(store.reviews()) == 1


def lapse_until_leech(store: Store, clock: FixedClock, threshold: int) -> StudySession:
    deck = make([basic("x")])
    s = StudySession(store, deck, "ann", clock=clock)
    for _ in range(2):
        s.next_card()
        s.reveal()
        s.rate(3)
        clock.advance(minutes=10)
    for _ in range(threshold):
        clock.advance(days=40)
        v = s.next_card()
        assert v is not None and v.queue == "review"
        s.reveal()
        s.rate(1)  # lapse
        for _ in range(3):  # relearn back to review
            clock.advance(minutes=15)
            v = s.next_card()
            if v is None or v.queue == "review":
                break
            s.reveal()
            s.rate(3)
    return s


def test_leech_at_eight_lapses_is_suspended(store: Store, clock: FixedClock) -> None:
    s = lapse_until_leech(store, clock, 8)
    row = store.card_state("ann", "d", "x")
    assert (row["lapses"], row["leech"], row["suspended"]) == (8, 1, 1)
    assert s.last_record is not None
    clock.advance(days=400)
    assert s.next_card() is None
    assert [(e.action, e.comment) for e in store.card_events()] == [("leech", "suspend")]
    store.restore("ann", "d", "x")
    row = store.card_state("ann", "d", "x")
    assert (row["leech"], row["suspended"]) == (0, 0)
    assert s.next_card() is not None


def test_leech_threshold_and_tag_action_configurable(store: Store, clock: FixedClock) -> None:
    store.update_settings("ann", leech_threshold=3, leech_action="tag")
    s = lapse_until_leech(store, clock, 3)
    row = store.card_state("ann", "d", "x")
    assert (row["lapses"], row["leech"], row["suspended"]) == (3, 1, 0)
    clock.advance(days=400)
    assert s.next_card() is not None


def test_undo_of_the_leech_lapse_clears_it(store: Store, clock: FixedClock) -> None:
    store.update_settings("ann", leech_threshold=2)
    s = StudySession(store, make([basic("x")]), "ann", clock=clock)
    s.next_card()
    s.reveal()
    s.rate(4)
    for i in range(2):
        clock.advance(days=60)
        s.next_card()
        s.reveal()
        s.rate(1)
        if i == 0:
            clock.advance(minutes=15)
            s.next_card()
            s.reveal()
            s.rate(4)
    assert store.card_state("ann", "d", "x")["suspended"] == 1
    assert s.undo()
    row = store.card_state("ann", "d", "x")
    assert (row["lapses"], row["leech"], row["suspended"]) == (1, 0, 0)
    assert store.card_events() == []


def test_flag_keeps_card_and_records_event(store: Store, clock: FixedClock) -> None:
    s = StudySession(store, MIXED, "ann", clock=clock)
    v = s.next_card()
    s.flag("typo in [bold]answer[/]")
    assert s.next_card() == v
    row = store.card_state("ann", "d", "b1")
    assert (row["flagged"], row["flag_comment"]) == (1, "typo in [bold]answer[/]")
    assert [e.action for e in store.card_events()] == ["flag"]


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_practice_and_exam_do_not_change_the_schedule(
    store: Store, clock: FixedClock, mode: str
) -> None:
    s = StudySession(store, MIXED, "ann", clock=clock)
    while s.next_card() is not None:
        s.reveal() if s.next_card().card.type == "basic" else s.submit("wrong")
        s.rate(3)
    before = states(store)
    p = StudySession(store, MIXED, "ann", mode, clock=clock, exam_size=3, seed=2)
    n = 0
    while (v := p.next_card()) is not None and n < 20:
        res = p.reveal() if v.card.type == "basic" else p.submit("wrong")
        assert all(o.interval is None for o in res.options)
        p.rate(1)
        n += 1
    assert states(store) == before
    assert len(store.reviews(mode=mode)) == n
    summary = p.summary()
    if mode == "exam":
        assert n == 3  # one attempt each
        assert summary.exam_score is not None and 0 <= summary.exam_score <= 1
        assert not p.undo()
    else:
        assert n == 20  # wrong answers come back (cram)


def test_exam_scores_correct_answers(store: Store, clock: FixedClock) -> None:
    p = StudySession(store, MIXED, "ann", "exam", clock=clock, exam_size=10, seed=5)
    assert p.exam_total == 4
    answers = {"m1": "B", "t1": True, "s1": "Paris"}
    while (v := p.next_card()) is not None:
        if v.card.id == "b1":
            p.reveal()
            p.rate(1)
        else:
            p.submit(answers[v.card.id])
            p.rate()
    summary = p.summary()
    assert (summary.correct, summary.wrong, summary.exam_score) == (3, 1, 0.75)


def test_practice_given_cards_and_unknown_card(store: Store, clock: FixedClock) -> None:
    p = StudySession(store, MIXED, "ann", "practice", clock=clock, practice_cards=["s1", "b1"])
    assert p.next_card().card.id == "s1"
    with pytest.raises(QuizError, match="nope"):
        StudySession(store, MIXED, "ann", "practice", clock=clock, practice_cards=["nope"])


def test_sessions_rows_and_summary(store: Store, clock: FixedClock) -> None:
    s = StudySession(store, MIXED, "ann", clock=clock)
    s.next_card()
    s.reveal()
    s.rate(4)
    clock.advance(minutes=1)
    s.close()
    [row] = store.sessions()
    assert (row.learner, row.deck, row.mode) == ("ann", "d", "study")
    assert row.ended_at is not None and row.ended_at > row.started_at
    summ = s.summary()
    assert summ.cards_studied == 1 and summ.by_rating == {4: 1}
    assert summ.next_due is not None and summ.next_due > T0


def test_rate_requires_an_answer_for_typed_cards(store: Store, clock: FixedClock) -> None:
    s = StudySession(store, MIXED, "ann", "practice", clock=clock, practice_cards=["s1"])
    s.next_card()
    with pytest.raises(QuizError):
        s.rate(3)
    s.submit("Paris")
    with pytest.raises(QuizError):
        s.rate(7)


def test_first_session_of_the_day_backs_up(store: Store, clock: FixedClock) -> None:
    StudySession(store, MIXED, "ann", clock=clock).close()
    StudySession(store, MIXED, "ann", clock=clock).close()
    assert [p.name for p in store.list_backups()] == ["p.db.daily-2026-03-02"]


def test_exam_offers_only_the_verdicts_rating_except_on_self_graded_cards(
    store: Store, clock: FixedClock
) -> None:
    s = StudySession(store, MIXED, "ann", "exam", clock=clock, exam_size=len(MIXED.cards), seed=1)
    seen = set()
    while (v := s.next_card()) is not None:
        res = s.reveal() if v.card.type == "basic" else s.submit("wrong")
        offered = [o.rating for o in res.options]
        if v.card.type == "basic":  # the learner grades themself: Again is possible
            assert offered == [1, 2, 3, 4]
            s.rate(1)
        else:
            assert offered == [res.suggested] == [1]
            s.rate(None)
        seen.add(v.card.type)
    assert "basic" in seen and len(seen) > 1
    assert s.summary().correct == 0


def test_todays_counts_carried_forward_after_an_answer_equal_a_fresh_read(
    store: Store, clock: FixedClock
) -> None:
    """The queue counts its own answers without re-reading the log; the figures must equal
    what a fresh queue reads from the database, through answers, an undo and a write
    made by another session on the same database."""
    from quiz.study.queue import StudyQueue

    deck = make([{**basic(f"c{i}"), "group": "g" if i < 2 else None} for i in range(8)])
    session = StudySession(store, deck, "ann", "study", clock=clock)
    other = StudySession(store, deck, "ann", "study", clock=clock)

    def fresh() -> object:
        return StudyQueue(store, "ann", "d", session.limits).today(clock())

    for step in range(12):
        clock.advance(timedelta(minutes=3))
        if session.next_card() is None:
            break
        session.reveal()
        if step in (2, 5):  # another session answers while this card is on screen
            assert other.next_card() is not None
            other.reveal()
            other.rate(3)
        session.rate(1 if step % 3 == 0 else 3)
        if step == 7:
            session.undo()
            session.next_card()
            session.reveal()
            session.rate(3)
        assert session.queue.today(clock()) == fresh()
        assert session.counts() == session.counts()
