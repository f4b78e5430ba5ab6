"""Deck options (issue 12): stored per learner and per deck, validated, persisted across
restarts, applied by the queue and the scheduler; custom study; `quiz options`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.deck.model import Deck
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.options import DEFAULTS, OptionError
from quiz.study.queue import Limits
from quiz.study.scheduling import CardState
from quiz.study.session import StudySession

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ENV = {"QUIZ_TZ": "UTC", "QUIZ_NOW": T0.isoformat(), "QUIZ_BACKUPS": "0"}


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


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    monkeypatch.setenv("QUIZ_BACKUPS", "0")


def _new_cards_shown(store: Store, deck: Deck, clock: FixedClock) -> int:
    s = StudySession(store, deck, "ann", clock=clock, seed=1)
    shown = 0
    while (view := s.next_card()) is not None and view.queue == "new":
        s.rate(4)  # Easy: graduates, never comes back today
        shown += 1
    s.close()
    return shown


def test_options_persist_across_restarts_and_the_queue_applies_them(tmp_path: Path) -> None:
    clock = FixedClock(T0)
    deck = make(12)
    with Store.open(tmp_path / "p.db", clock=clock) as st:
        st.set_options("ann", None, new_per_day=7, learning_steps="2m,15m")
        st.set_options("ann", "d", new_per_day=3, maximum_interval=2)
    with Store.open(tmp_path / "p.db", clock=clock) as st:  # a restart
        opts = st.options("ann", "d")
        assert (opts.new_per_day, opts.maximum_interval) == (3, 2)
        assert opts.learning_steps == (timedelta(minutes=2), timedelta(minutes=15))
        assert st.options("ann").new_per_day == 7  # all decks
        assert st.options("bob", "d") == DEFAULTS  # another learner: defaults
        assert _new_cards_shown(st, deck, clock) == 3
        s = StudySession(st, deck, "ann", clock=clock, seed=1)
        assert s.next_card() is None
        s.close()
        # The scheduler uses the stored steps and maximum interval.
        s = StudySession(st, deck, "ann", clock=clock, new_limit=4, seed=1)
        s.next_card()
        opts_by_rating = {o.rating: o for o in s.reveal().options}
        assert opts_by_rating[3].interval == timedelta(minutes=15)  # Good: the 2nd step
        assert opts_by_rating[4].interval <= timedelta(days=2)  # Easy: capped at 2 days
        s.close()


def test_deck_options_win_and_none_resets(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db", clock=FixedClock(T0)) as st:
        st.set_options("ann", None, desired_retention=0.85, leech_threshold=5)
        st.set_options("ann", "d", desired_retention="0.95")
        assert st.options("ann", "d").desired_retention == 0.95
        assert st.options("ann", "d").leech_threshold == 5
        assert st.scheduler_settings("ann", "d").desired_retention == 0.95
        assert st.options("ann", "other").desired_retention == 0.85
        st.set_options("ann", "d", desired_retention=None)
        assert st.options("ann", "d").desired_retention == 0.85


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("new_per_day", "-1", "--new-per-day must be between 0 and 9999"),
        ("new_per_day", "ten", "--new-per-day must be a whole number"),
        ("reviews_per_day", 10**6, "--reviews-per-day must be between 0 and 99999"),
        ("desired_retention", "0.5", "--desired-retention must be between 0.70 and 0.99"),
        ("desired_retention", "nan", "--desired-retention must be between"),
        ("learning_steps", "1m,2x", "'2x' is not a step"),
        ("learning_steps", "2d", "each step must be between 1s and 1d"),
        ("relearning_steps", "0s", "each step must be between 1s and 1d"),
        ("maximum_interval", "0", "--maximum-interval must be between 1 and 36500"),
        ("leech_threshold", "1000", "--leech-threshold must be between 0 and 999"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(
    tmp_path: Path, name: str, value: object, message: str
) -> None:
    with Store.open(tmp_path / "p.db", clock=FixedClock(T0)) as st:
        st.set_options("ann", "d", new_per_day=4)
        with pytest.raises(OptionError, match=message):
            st.set_options("ann", "d", **{"leech_threshold": 5, name: value})
        assert st.stored_options("ann", "d") == {"new_per_day": 4}


def test_custom_study_raises_only_todays_new_limit(tmp_path: Path) -> None:
    clock = FixedClock(T0)
    deck = make(12)
    with Store.open(tmp_path / "p.db", clock=clock) as st:
        st.set_options("ann", "d", new_per_day=2)
        assert _new_cards_shown(st, deck, clock) == 2
        assert st.add_new_today("ann", "d", 3, clock()) == 5
        assert _new_cards_shown(st, deck, clock) == 3
        clock.advance(days=1)
        assert Limits.for_learner(st, "ann", "d", clock()).new_per_day == 2
        assert _new_cards_shown(st, deck, clock) == 2


def test_leech_threshold_option_is_applied(tmp_path: Path) -> None:
    clock = FixedClock(T0)
    with Store.open(tmp_path / "p.db", clock=clock) as st:
        st.sync_deck(make(1))
        st.set_options("ann", "d", leech_threshold=1)
        st.record_review(
            review_id="a", learner="ann", deck="d", card_id="c0", rating=4, now=clock()
        )
        clock.advance(days=10)
        rec = st.record_review(
            review_id="b", learner="ann", deck="d", card_id="c0", rating=1, now=clock()
        )
        assert rec.leech and CardState.from_row(st.card_state("ann", "d", "c0")).lapses == 1


def test_cli_options_show_set_and_refuse(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    r = runner.invoke(
        main,
        [
            "options",
            "--db",
            db,
            "--learner",
            "ann",
            "--new-per-day",
            "12",
            "--relearning-steps",
            "5m,20m",
            "--json",
        ],
        env=ENV,
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["options"]["new_per_day"] == 12
    assert data["options"]["relearning_steps"] == ["5m", "20m"]
    assert data["set_here"] == ["new_per_day", "relearning_steps"]
    r = runner.invoke(
        main, ["options", "--db", db, "--learner", "ann", "--desired-retention", "1.2"], env=ENV
    )
    assert r.exit_code == 2
    assert r.output.strip() == "error: --desired-retention must be between 0.70 and 0.99, not 1.2"
    r = runner.invoke(
        main, ["options", "--db", db, "--learner", "ann", "--extra-new-today", "5"], env=ENV
    )
    assert r.exit_code == 2 and "needs a DECK" in r.output
    r = runner.invoke(main, ["options", "--db", db, "--learner", "ann"], env=ENV)
    assert r.exit_code == 0
    assert " * new-per-day          12" in r.output
    assert "   desired-retention    0.9" in r.output
