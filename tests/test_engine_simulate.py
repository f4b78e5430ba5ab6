"""Workload simulator (issue 12): driven by the learner's cards, options and log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.scheduling import CardState
from quiz.study.session import StudySession
from quiz.study.simulate import LearnerProfile, parse_retentions, simulate, simulate_learner

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make(n: int) -> Deck:
    return Deck.model_validate(
        {
            "deck": "d",
            "title": "D",
            "cards": [
                {"id": f"c{i}", "type": "basic", "question": f"Q{i}", "answer": f"A{i}"}
                for i in range(n)
            ],
        }
    )


def test_more_retention_costs_more_reviews_and_buys_more_knowledge() -> None:
    cards = [CardState() for _ in range(200)]
    low, high = (simulate(cards, desired_retention=r, days=120, seed=1) for r in (0.75, 0.95))
    assert low.cards == high.cards == 200
    assert high.reviews_per_day > 1.3 * low.reviews_per_day
    assert high.knowledge > low.knowledge
    assert 0 < low.knowledge <= 200
    # Time is answers x seconds per answer.
    slow = simulate(
        cards,
        desired_retention=0.75,
        days=120,
        seed=1,
        profile=LearnerProfile(seconds_per_answer=30),
    )
    assert slow.answers == low.answers
    assert slow.minutes_per_day == pytest.approx(slow.answers * 30 / 60 / 120)
    # Reproducible.
    assert simulate(cards, desired_retention=0.75, days=120, seed=1) == low


def test_daily_limits_bound_the_simulation() -> None:
    from quiz.study.options import DeckOptions

    cards = [CardState() for _ in range(100)]
    r = simulate(cards, desired_retention=0.9, days=10, options=DeckOptions(new_per_day=5), seed=0)
    introduced = 10 * 5
    assert r.daily_answers[0] >= 5
    assert r.knowledge <= introduced
    none = simulate(cards, desired_retention=0.9, days=10, options=DeckOptions(new_per_day=0))
    assert none.answers == 0 and none.knowledge == 0


def test_simulation_starts_from_the_learners_cards_and_habits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    monkeypatch.setenv("QUIZ_BACKUPS", "0")
    clock = FixedClock(T0)
    deck = make(40)
    with Store.open(tmp_path / "p.db", clock=clock) as st:
        for _day in range(15):
            s = StudySession(st, deck, "ann", clock=clock, seed=1)
            while s.next_card() is not None:
                clock.advance(seconds=6)
                s.rate(3)
            s.close()
            clock.advance(days=1)
        profile_raw = st.answer_profile("ann", "d")
        assert profile_raw["seconds_per_answer"] == 6.0
        results = simulate_learner(st, "ann", "d", retentions=(0.8, 0.9), days=60, now=clock())
        fresh = simulate(
            [CardState() for _ in range(40)],
            desired_retention=0.9,
            days=60,
            profile=LearnerProfile(seconds_per_answer=6.0),
        )
    assert [r.cards for r in results] == [40, 40]
    r90 = results[1]
    assert r90.minutes_per_day == pytest.approx(r90.answers * 6 / 60 / 60)
    # All 40 cards are already learned: far fewer answers than starting from scratch.
    assert r90.answers < fresh.answers
    assert r90.knowledge > 30


def test_retention_arguments() -> None:
    assert parse_retentions("0.9") == (0.9,)
    assert parse_retentions("0.8,0.95") == (0.8, 0.95)
    assert parse_retentions("0.70..0.97") == (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97)
    for bad in ("0.5", "0.9..0.8", "x"):
        with pytest.raises(ValueError):
            parse_retentions(bad)


def test_cli_simulate(tmp_path: Path) -> None:
    env = {"QUIZ_TZ": "UTC", "QUIZ_NOW": T0.isoformat(), "QUIZ_BACKUPS": "0"}
    db = tmp_path / "p.db"
    with Store.open(db, clock=FixedClock(T0)) as st:
        st.sync_deck(make(30))
    r = CliRunner().invoke(
        main,
        [
            "simulate",
            "d",
            "--db",
            str(db),
            "--learner",
            "ann",
            "--days",
            "60",
            "--retention",
            "0.8,0.9",
            "--json",
        ],
        env=env,
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [row["desired_retention"] for row in rows] == [0.8, 0.9]
    assert all(row["cards"] == 30 and row["reviews_per_day"] > 0 for row in rows)
    r = CliRunner().invoke(main, ["simulate", "d", "--db", str(db), "--retention", "1.2"], env=env)
    assert r.exit_code == 2
    assert (
        r.output.strip()
        == "error: --retention: desired retention must be between 0.70 and 0.99, not 1.2"
    )
    r = CliRunner().invoke(main, ["simulate", "d", "--db", str(db), "--days", "30"], env=env)
    assert r.exit_code == 0 and "reviews/day  minutes/day  knowledge at the end" in r.output
