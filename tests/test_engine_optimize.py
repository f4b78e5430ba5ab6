"""Fitting FSRS parameters with fsrs-rs-python (issue 12): a synthetic log drawn from known
parameters; refusal below the minimum; saving only when better; `quiz progress optimize`."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs import Card, Rating, Scheduler

from quiz.cli import main
from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.optimize import NotEnoughReviews, fit, optimize_learner
from quiz.study.scheduling import DEFAULT_PARAMETERS, CardState, SchedulerSettings, review_state
from quiz.study.studyday import StudyDay

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
# A learner who forgets faster at first and on a steeper curve than fsrs's defaults.
TRUE = list(DEFAULT_PARAMETERS)
TRUE[0:4] = [0.1, 0.4, 0.9, 3.0]
TRUE[20] = 0.5


def _recall(memory: Card, truth: Scheduler, when: datetime) -> float:
    days = (when - memory.last_review).total_seconds() / 86400
    factor = 0.9 ** (-1 / truth.parameters[20]) - 1
    return (1 + factor * days / memory.stability) ** -truth.parameters[20]


def synthetic_log(cards: int, days: int, seed: int = 1) -> list[list[tuple[datetime, int]]]:
    """Per card: (time, rating) of every study answer, scheduled by quiz with default
    parameters, answered by a learner whose memory follows ``TRUE``."""
    rng = random.Random(seed)
    truth = Scheduler(parameters=TRUE, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    sch = SchedulerSettings().scheduler()
    sd = StudyDay(4, UTC)
    out = []
    for c in range(cards):
        start = T0 + timedelta(days=c // 20)
        state, memory, log, now = CardState(), None, [], start
        while now < T0 + timedelta(days=days):
            if memory is None:
                rating = rng.choices([1, 2, 3, 4], [0.25, 0.1, 0.5, 0.15])[0]
                memory = truth.review_card(Card(card_id=c + 1), Rating(rating), now)[0]
            else:
                ok = rng.random() < _recall(memory, truth, now)
                rating = rng.choices([2, 3, 4], [0.15, 0.75, 0.1])[0] if ok else 1
                memory = truth.review_card(memory, Rating(rating), now)[0]
            log.append((now, rating))
            state = review_state(sch, state, rating, now, fsrs_id=c + 1, study_day=sd)
            now = (
                state.due
                if state.state != 2
                else sd.start_of(sd.day_of(state.due)) + timedelta(hours=5)
            )
        out.append(log)
    return out


def _by_day(log: list[list[tuple[datetime, int]]]) -> list[list[tuple[date, int]]]:
    sd = StudyDay(4, UTC)
    return [[(sd.day_of(t), r) for t, r in card] for card in log]


def test_fitting_a_log_from_known_parameters_lowers_log_loss() -> None:
    histories = _by_day(synthetic_log(cards=200, days=120))
    result = fit(histories)
    assert result.reviews >= 400
    assert result.before == tuple(DEFAULT_PARAMETERS)
    assert result.better
    assert result.after_eval.log_loss < result.before_eval.log_loss - 0.01
    assert result.after_eval.rmse < result.before_eval.rmse
    # The fit moves towards the truth: a steeper curve than fsrs's default decay.
    assert result.after[20] > DEFAULT_PARAMETERS[20]


def test_too_few_reviews_is_refused_politely() -> None:
    histories = _by_day(synthetic_log(cards=10, days=20))
    with pytest.raises(NotEnoughReviews, match="not enough reviews to fit parameters yet"):
        fit(histories)


def _store_with_log(path: Path, cards: int, days: int) -> Store:
    deck = Deck.model_validate(
        {
            "deck": "d",
            "title": "D",
            "cards": [
                {"id": f"c{i}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
                for i in range(cards)
            ],
        }
    )
    st = Store.open(path, clock=FixedClock(T0 + timedelta(days=days)))
    st.sync_deck(deck)
    n = 0
    for i, card in enumerate(synthetic_log(cards, days)):
        for when, rating in card:
            st.record_review(
                review_id=f"r{n}", learner="ann", deck="d", card_id=f"c{i}", rating=rating, now=when
            )
            n += 1
    return st


def test_optimize_saves_only_better_parameters_and_scheduling_uses_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    monkeypatch.setenv("QUIZ_BACKUPS", "0")
    with _store_with_log(tmp_path / "p.db", cards=120, days=90) as st:
        result = optimize_learner(st, "ann", None)
        assert result.better
        assert st.options("ann", "d").fsrs_parameters == result.after
        assert st.scheduler_settings("ann", "d").parameters == result.after
        # Fitting again from the fitted parameters: saved only if better still.
        again = optimize_learner(st, "ann", None)
        if not again.better:
            assert st.options("ann", "d").fsrs_parameters == result.after


def test_cli_progress_optimize(tmp_path: Path) -> None:
    env = {"QUIZ_TZ": "UTC", "QUIZ_BACKUPS": "0", "QUIZ_NOW": (T0 + timedelta(days=90)).isoformat()}
    db = tmp_path / "p.db"
    _store_with_log(db, cards=120, days=90).close()
    r = CliRunner().invoke(
        main, ["progress", "optimize", "--db", str(db), "--learner", "ann"], env=env
    )
    assert r.exit_code == 0, r.output
    assert "log loss" in r.output and "RMSE" in r.output and "saved" in r.output
    small = tmp_path / "small.db"
    _store_with_log(small, cards=5, days=10).close()
    r = CliRunner().invoke(
        main, ["progress", "optimize", "--db", str(small), "--learner", "ann"], env=env
    )
    assert r.exit_code == 1
    assert r.output.count("\n") == 1 and "not enough reviews" in r.output
