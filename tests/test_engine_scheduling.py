"""Scheduling around fsrs: ids, intervals, seeded fuzz, retention, replay from the log."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.scheduling import (
    CardState,
    SchedulerSettings,
    fsrs_card_id,
    interval_text,
    is_leech_lapse,
    rebuild_card_states,
    review_state,
)
from quiz.study.session import StudySession

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def make(n: int, deck_id: str = "d") -> Deck:
    return Deck.model_validate(
        {
            "deck": deck_id,
            "title": "D",
            "cards": [
                {"id": f"c{i}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
                for i in range(n)
            ],
        }
    )


def test_fsrs_card_id_is_stable_and_distinct() -> None:
    assert fsrs_card_id("d", "c1") == fsrs_card_id("d", "c1")
    assert fsrs_card_id("d", "c1") != fsrs_card_id("d", "c2")
    assert fsrs_card_id("d", "c1") != fsrs_card_id("e", "c1")
    assert 0 < fsrs_card_id("d", "c1") < 2**56


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=1), "<1m"),
        (timedelta(minutes=5, seconds=30), "6m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=91), "3mo"),
        (timedelta(days=438), "1.2y"),
    ],
)
def test_interval_text(td: timedelta, text: str) -> None:
    assert interval_text(td) == text


def test_new_card_goes_through_learning_steps_and_counts_lapses() -> None:
    sch = SchedulerSettings().scheduler()
    s = CardState()
    s = review_state(sch, s, 3, T0, fsrs_id=1, seed="a")
    assert (s.state, s.step, s.reps, s.due - T0) == (1, 1, 1, timedelta(minutes=10))
    s = review_state(sch, s, 3, T0 + timedelta(minutes=10), fsrs_id=1, seed="b")
    assert s.state == 2 and s.lapses == 0
    t = s.due
    s = review_state(sch, s, 1, t, fsrs_id=1, seed="c")
    assert (s.state, s.lapses, s.reps) == (3, 1, 3)
    s = review_state(sch, s, 1, t + timedelta(minutes=10), fsrs_id=1, seed="d")
    assert s.lapses == 1  # Again in relearning is not another lapse


def test_fuzz_is_seeded_per_review() -> None:
    sch = SchedulerSettings().scheduler()
    s = CardState(
        state=2, stability=40.0, difficulty=5.0, due=T0, last_review=T0 - timedelta(days=40)
    )
    dues = {review_state(sch, s, 3, T0, fsrs_id=1, seed=f"r{i}").due for i in range(30)}
    assert len(dues) > 1  # fuzz is on
    again = [review_state(sch, s, 3, T0, fsrs_id=1, seed="same").due for _ in range(5)]
    assert len(set(again)) == 1
    random.seed(1)
    x = random.random()
    random.seed(1)
    review_state(sch, s, 3, T0, fsrs_id=1, seed="other")
    assert random.random() == x  # the global generator is left as it was


def test_leech_threshold_then_every_half() -> None:
    assert [n for n in range(1, 25) if is_leech_lapse(n, 8)] == [8, 12, 16, 20, 24]
    assert not is_leech_lapse(5, 0)


def test_desired_retention_learner_then_deck_and_params_referenced(store: Store) -> None:
    store.sync_deck(make(2))
    assert store.desired_retention("ann", "d") == 0.9
    store.set_desired_retention(0.85, learner="ann")
    assert store.desired_retention("ann", "d") == 0.85
    store.set_desired_retention(0.95, deck="d")
    assert store.desired_retention("ann", "d") == 0.95
    store.record_review(review_id="r1", learner="ann", deck="d", card_id="c0", rating=3, now=T0)
    params = store.review_parameters("r1")
    assert params is not None and params["desired_retention"] == 0.95


def _random_history(store: Store, deck: Deck, seed: int, days: int) -> int:
    """Many sessions over many days with random answers, undos, buries, practice."""
    rng = random.Random(seed)
    clock: FixedClock = store.clock  # type: ignore[assignment]
    answered = 0
    for day in range(days):
        clock.set(T0 + timedelta(days=day, hours=rng.randint(0, 10)))
        mode = "practice" if day % 7 == 6 else "study"
        s = StudySession(store, deck, "ann", mode, clock=clock, seed=day)
        for _ in range(rng.randint(5, 40)):
            view = s.next_card()
            if view is None:
                break
            clock.advance(seconds=rng.randint(2, 90))
            s.reveal()
            roll = rng.random()
            if roll < 0.03:
                s.bury()
                continue
            rating = rng.choices([1, 2, 3, 4], weights=[4, 1, 5, 1])[0]
            s.rate(rating)
            answered += 1
            if rng.random() < 0.1:
                assert s.undo()
                answered -= 1
                s.rate(rng.choice([1, 3]))
                answered += 1
        s.close()
    return answered


def _rows(store: Store) -> list[dict[str, Any]]:
    return store.card_states()


def test_states_equal_replay_of_the_log_after_long_random_history(store: Store) -> None:
    deck = make(25)
    store.sync_deck(deck)
    store.update_settings("ann", leech_threshold=4, new_per_day=8)
    answered = _random_history(store, deck, seed=7, days=60)
    assert answered > 300
    live = _rows(store)
    assert any(r["lapses"] >= 4 for r in live), "some card lapsed into a leech"
    assert any(r["leech"] == 1 and r["suspended"] == 1 for r in live), "a leech was suspended"
    n_reviews = len(store.reviews(mode="study"))
    assert store.reviews(mode="practice")
    # Rebuild in place: scheduling fields replayed, flags kept.
    rebuild_card_states(store, "ann", "d")
    assert _rows(store) == live
    # Rebuild from nothing: flags come back from card_events.
    store.db.execute("DELETE FROM card_states")
    written = rebuild_card_states(store)
    replayed = [r for r in _rows(store)]
    live_seen = [r for r in live if r["reps"] > 0]
    assert [r for r in replayed if r["reps"] > 0] == live_seen
    assert written == len(replayed)
    assert sum(r["reps"] for r in replayed) == n_reviews


def test_fitted_parameters_are_used_and_recorded(store: Store) -> None:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    store.sync_deck(make(2))
    fitted = list(DEFAULT_PARAMETERS)
    fitted[0] = 0.5
    store.update_settings("ann", fsrs_parameters=fitted)
    assert store.scheduler_settings("ann", "d").parameters == tuple(fitted)
    store.record_review(review_id="r1", learner="ann", deck="d", card_id="c0", rating=3, now=T0)
    params = store.review_parameters("r1")
    assert params is not None and json.loads(params["parameters"]) == fitted
    from quiz.study.options import OptionError

    with pytest.raises(OptionError, match="unusable FSRS parameters"):
        store.update_settings("ann", fsrs_parameters=[1.0, 2.0])
    assert store.scheduler_settings("ann", "d").parameters == tuple(fitted)
    store.update_settings("ann", fsrs_parameters=None)
    store.db.execute(  # edited by hand: unusable parameters fall back to the defaults
        "UPDATE learners SET settings = ? WHERE name = 'ann'",
        [json.dumps({"fsrs_parameters": [1.0, 2.0]})],
    )
    assert store.scheduler_settings("ann", "d").parameters is None


def test_replay_of_reviews_without_parameters_uses_each_learners_settings(store: Store) -> None:
    store.sync_deck(make(1))
    store.set_desired_retention(0.8, learner="ann")
    store.set_desired_retention(0.97, learner="bob")
    for who in ("ann", "bob"):
        for i, days in enumerate((0, 0.01, 3)):
            store.record_review(
                review_id=f"{who}{i}",
                learner=who,
                deck="d",
                card_id="c0",
                rating=3,
                now=T0 + timedelta(days=days),
            )
    live = _rows(store)
    store.db.execute("UPDATE reviews SET params_id = NULL")  # e.g. imported from elsewhere
    rebuild_card_states(store)
    assert _rows(store) == live


# --- elapsed time in study days, reproducible fuzz, ordered buttons (issue 12) ---------


def _graduate_then_review(tmp_path: Path, name: str, offset: timedelta) -> CardState:
    """A new card learned at 9:00 (Good, Good 10 min later), then reviewed Good at its
    due time + ``offset``, through StudySession with an injected clock."""
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    deck = make(1)
    with Store.open(tmp_path / f"{name}.db", clock=clock) as st:
        for _ in range(2):
            s = StudySession(st, deck, "ann", clock=clock, seed=1)
            assert s.next_card() is not None
            s.rate(3)
            s.close()
            clock.advance(minutes=10)
        learned = CardState.from_row(st.card_state("ann", "d", "c0"))
        assert learned.state == 2 and learned.due is not None
        clock.set(learned.due + offset)
        s = StudySession(st, deck, "ann", clock=clock, seed=1)
        view = s.next_card()
        assert view is not None and view.queue == "review"
        s.rate(3)
        s.close()
        return CardState.from_row(st.card_state("ann", "d", "c0"))


def test_review_early_in_its_due_study_day_is_a_normal_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    early = _graduate_then_review(tmp_path, "early", -timedelta(minutes=5))
    late = _graduate_then_review(tmp_path, "late", timedelta(minutes=5))
    assert early.stability == pytest.approx(late.stability)
    assert early.difficulty == pytest.approx(late.difficulty)
    assert early.due is not None and late.due is not None and early.last_review is not None
    assert (early.due - early.last_review).days == (late.due - late.last_review).days > 2


def test_review_state_counts_study_days_only_for_review_cards() -> None:
    from quiz.study.studyday import StudyDay

    sch = SchedulerSettings(enable_fuzzing=False).scheduler()
    day = StudyDay(4, UTC)
    last = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)
    review = CardState(
        state=2,
        stability=2.3,
        difficulty=5.0,
        due=last + timedelta(days=2),
        last_review=last,
        reps=2,
    )
    # 9:05 two study days later: 47 h 55 min of clock time, two study days.
    early = review_state(
        sch, review, 3, last + timedelta(days=2, minutes=-5), fsrs_id=1, study_day=day
    )
    clock_days = review_state(sch, review, 3, last + timedelta(days=2, minutes=-5), fsrs_id=1)
    on_time = review_state(
        sch, review, 3, last + timedelta(days=2, minutes=5), fsrs_id=1, study_day=day
    )
    assert early.stability == pytest.approx(on_time.stability)
    assert clock_days.stability < early.stability  # fsrs alone counts 1 day
    # The same study day (3:00 is before the 4:00 rollover) is still a same-day review.
    same_day = review_state(
        sch, review, 3, datetime(2026, 3, 3, 3, 0, tzinfo=UTC), fsrs_id=1, study_day=day
    )
    short = review_state(sch, review, 3, last + timedelta(hours=1), fsrs_id=1)
    assert same_day.stability == pytest.approx(short.stability)
    # A learning card keeps clock time: 10 minutes later is 10 minutes later.
    learning = CardState(
        state=1, step=1, stability=2.3, difficulty=5.0, due=last, last_review=last, reps=1
    )
    a = review_state(sch, learning, 3, last + timedelta(minutes=10), fsrs_id=1, study_day=day)
    b = review_state(sch, learning, 3, last + timedelta(minutes=10), fsrs_id=1)
    assert a == b


def test_same_answers_at_same_times_give_the_same_schedule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    deck = make(15)
    runs = []
    for name in ("one", "two"):
        with Store.open(tmp_path / f"{name}.db", clock=FixedClock(T0)) as st:
            st.sync_deck(deck)
            _random_history(st, deck, seed=11, days=40)
            runs.append(_rows(st))
            ids = [r.id for r in st.reviews()]
    assert runs[0] == runs[1]
    assert len({r["due"] for r in runs[0] if r["state"] == 2}) > 5  # many distinct review due dates
    assert ids  # the review ids themselves are random uuids


def test_fuzz_is_seeded_by_card_and_review_count() -> None:
    sch = SchedulerSettings().scheduler()
    s = CardState(
        state=2, stability=40.0, difficulty=5.0, due=T0, last_review=T0 - timedelta(days=40)
    )
    by_reps = {
        review_state(sch, CardState(**{**s.__dict__, "reps": n}), 3, T0, fsrs_id=1).due
        for n in range(30)
    }
    assert len(by_reps) > 1
    assert len({review_state(sch, s, 3, T0, fsrs_id=1).due for _ in range(5)}) == 1


def test_good_and_easy_differ_on_a_new_card_with_default_steps() -> None:
    from quiz.study.scheduling import preview_intervals

    sch = SchedulerSettings().scheduler()
    new = CardState()
    preview = preview_intervals(sch, new, T0, fsrs_id=1)
    assert preview[3] == timedelta(minutes=10)  # Good: the next learning step
    assert preview[4] >= timedelta(days=1)  # Easy graduates at once, as in Anki
    easy = review_state(sch, new, 4, T0, fsrs_id=1)
    assert easy.state == 2 and easy.due == T0 + preview[4]


def test_easy_is_longer_than_good_when_both_graduate() -> None:
    """Again then Good at the last step: fsrs gives Good and Easy 1 day each."""
    from quiz.study.scheduling import preview_intervals

    sch = SchedulerSettings().scheduler()
    s = review_state(sch, CardState(), 1, T0, fsrs_id=1)
    s = review_state(sch, s, 3, T0 + timedelta(minutes=1), fsrs_id=1)
    assert (s.state, s.step) == (1, 1)
    now = T0 + timedelta(minutes=11)
    p = preview_intervals(sch, s, now, fsrs_id=1)
    assert p[3] == timedelta(days=1)
    assert p[4] >= p[3] + timedelta(days=1)
    # fsrs itself ties them: the constraint is ours (and what Easy stores).
    fsrs_card = s.to_fsrs(1, now)
    from fsrs import Rating as R

    good = sch.review_card(fsrs_card, R.Good, now)[0]
    easy = sch.review_card(fsrs_card, R.Easy, now)[0]
    assert good.due == easy.due
    assert review_state(sch, s, 4, now, fsrs_id=1).due == now + p[4]


def test_review_buttons_are_ordered_and_good_is_fsrs_own() -> None:
    from fsrs import Rating as R

    from quiz.study.scheduling import preview_intervals

    sch = SchedulerSettings(enable_fuzzing=False).scheduler()
    seen_equal_fsrs = False
    for stability in (0.3, 0.8, 1.5, 2.5, 3.0, 10.0):
        for difficulty in (3.0, 7.0, 9.5):
            s = CardState(
                state=2,
                stability=stability,
                difficulty=difficulty,
                due=T0,
                last_review=T0 - timedelta(days=2),
                reps=3,
            )
            p = preview_intervals(sch, s, T0, fsrs_id=1)
            assert p[3] < p[4], (stability, p)
            assert p[2] < p[3] or p[2] == p[3] == timedelta(days=1), (stability, p)
            fsrs_card = s.to_fsrs(1, T0)
            fsrs_card.last_review = T0 - timedelta(days=2)
            fsrs = {r: sch.review_card(fsrs_card, R(r), T0)[0].due - T0 for r in (2, 3, 4)}
            assert p[3] == fsrs[3]  # Good is never moved
            seen_equal_fsrs |= fsrs[2] == fsrs[3] >= timedelta(days=2) or fsrs[3] == fsrs[4]
    assert seen_equal_fsrs  # the constraint had something to do


def test_fuzz_is_uniform_over_ankis_range_and_unbiased() -> None:
    from quiz.study.scheduling import fuzz_range, fuzzed_days

    # Anki's bounds (rslib fuzz.rs): 7 -> 5..9, 17 -> 14..20, 37 -> 33..41, none under 2.5
    assert fuzz_range(7, 36500) == (5, 9)
    assert fuzz_range(17, 36500) == (14, 20)
    assert fuzz_range(37, 36500) == (33, 41)
    assert fuzz_range(2, 36500) == (2, 2)
    assert fuzz_range(100, 36500, minimum=101) == (101, 108)
    for days in (3, 4, 7, 17, 37):
        lower, upper = fuzz_range(days, 36500)
        draws = [fuzzed_days(days, f"k{i}", 36500) for i in range(6000)]
        assert set(draws) == set(range(lower, upper + 1))  # every day of the range, no other
        # the mean stays the interval (py-fsrs 6.3's own fuzz averages days + 0.5)
        assert abs(sum(draws) / len(draws) - days) < 0.06, days


def test_review_state_fuzz_keeps_fsrs_interval_on_average() -> None:
    fuzzed = SchedulerSettings().scheduler()
    plain = SchedulerSettings(enable_fuzzing=False).scheduler()
    s = CardState(
        state=2, stability=4.0, difficulty=5.0, due=T0, last_review=T0 - timedelta(days=4), reps=3
    )
    base = (review_state(plain, s, 3, T0, fsrs_id=1).due - T0).days
    assert base >= 3  # in the fuzzed range
    days = [
        (review_state(fuzzed, s, 3, T0, fsrs_id=1, seed=f"s{i}").due - T0).days for i in range(3000)
    ]
    assert len(set(days)) >= 3
    assert abs(sum(days) / len(days) - base) < 0.08
