"""The instructor's report over two databases, against hand-computed figures."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from stats_builders import add_deck, add_learner, add_review, new_db, set_state

from quiz.cli import main
from quiz.report import build_report
from quiz.study.studyday import StudyDay

NOW = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)
SD = StudyDay(4, UTC)
CARDS = {"q1": "S1", "q2": "S1", "q3": "S2 [red]"}


def utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


@pytest.fixture
def dbs(tmp_path):
    one = tmp_path / "one.db"
    db = new_db(one)
    add_learner(db, "ann")
    add_learner(db, "bob")
    add_deck(db, "d1", CARDS)
    add_review(db, "ann", "d1", "q1", utc(2026, 11, 1, 10), 1, ivl_days=5, duration_ms=10_000)
    add_review(db, "ann", "d1", "q1", utc(2026, 11, 2, 10), 3, before_state=3, duration_ms=20_000)
    add_review(db, "ann", "d1", "q2", utc(2026, 11, 2, 11), 3, ivl_days=5, duration_ms=30_000)
    set_state(
        db, "ann", "d1", "q1", state=2, stability=10, last_review=NOW - timedelta(days=10), due=NOW
    )
    set_state(
        db,
        "ann",
        "d1",
        "q2",
        state=2,
        stability=30,
        last_review=NOW - timedelta(hours=12),
        due=NOW + timedelta(days=30),
    )
    add_review(db, "bob", "d1", "q1", utc(2026, 11, 3, 10), 1, ivl_days=5, duration_ms=None)
    set_state(
        db,
        "bob",
        "d1",
        "q1",
        state=3,
        stability=1,
        last_review=NOW - timedelta(hours=5),
        due=NOW,
        flagged=1,
        flag_comment="typo in [b]answer",
    )
    db["card_events"].insert(
        {
            "learner": "bob",
            "deck": "d1",
            "card_id": "q1",
            "at": "2026-11-03T10:00:01.000+00:00",
            "action": "flag",
            "comment": "typo in [b]answer",
        }
    )
    db.close()

    two = tmp_path / "two.db"
    db = new_db(two)
    add_learner(db, "cat")
    add_deck(db, "d1", CARDS)
    add_review(db, "cat", "d1", "q3", utc(2026, 11, 3, 9), 1, before_state=0, duration_ms=5_000)
    add_review(
        db, "cat", "d1", "q3", utc(2026, 11, 3, 9, 10), 3, before_state=1, duration_ms=15_000
    )
    add_review(db, "cat", "d1", "q2", utc(2026, 11, 3, 9, 20), 4, ivl_days=3, duration_ms=10_000)
    set_state(
        db,
        "cat",
        "d1",
        "q3",
        state=2,
        stability=2,
        last_review=utc(2026, 11, 3, 9, 10),
        due=utc(2026, 11, 5, 9, 10),
    )
    set_state(
        db,
        "cat",
        "d1",
        "q2",
        state=2,
        stability=9,
        last_review=utc(2026, 11, 3, 9, 20),
        due=utc(2026, 11, 12, 9, 20),
        flagged=1,
        flag_comment=None,
    )
    db["card_events"].insert(
        {
            "learner": "cat",
            "deck": "d1",
            "card_id": "q2",
            "at": "2026-11-03T09:21:00.000+00:00",
            "action": "flag",
            "comment": "two answers are right",
        }
    )
    db.close()
    return one, two


def test_learner_rows(dbs):
    rep = build_report(list(dbs), now=NOW, study_day=SD)
    rows = {r.learner: r for r in rep.learners}
    assert [r.learner for r in rep.learners] == ["ann", "bob", "cat"]
    ann, bob, cat = rows["ann"], rows["bob"], rows["cat"]
    assert (ann.source, ann.cards_seen, ann.reviews) == ("one.db", 2, 3)
    assert ann.retention_30d == pytest.approx(0.5)
    assert ann.mastery == pytest.approx((0.9 + 1.0) / 3)
    assert (ann.weakest_section, ann.weakest_mastery) == ("S2 [red]", 0.0)
    assert ann.last_studied == utc(2026, 11, 2, 11) and ann.days_since == 1
    assert (bob.cards_seen, bob.reviews, bob.retention_30d, bob.days_since) == (1, 1, 0.0, 0)
    assert bob.mastery == pytest.approx(1 / 3)
    assert (cat.source, cat.cards_seen, cat.reviews) == ("two.db", 2, 3)
    assert cat.retention_30d == 1.0  # only q2 was answered in the review state
    assert cat.weakest_section == "S1"  # S1: q1 new (0) and q2 recalled (1.0): 0.5 < S2's 1.0
    assert cat.mastery == pytest.approx(2 / 3)


def test_card_rows_flagged_and_hardest_first(dbs):
    rep = build_report(list(dbs), now=NOW, study_day=SD)
    assert [c.card_id for c in rep.cards] == ["q1", "q2", "q3"]
    q1, q2, q3 = rep.cards
    assert (q1.answers, q1.failures, q1.learners) == (3, 2, 2)
    assert q1.failure_rate == pytest.approx(2 / 3)
    assert q1.avg_time_ms == 15_000  # bob's answer has no duration
    assert [(f.learner, f.comment) for f in q1.flags] == [("bob", "typo in [b]answer")]
    assert (q2.answers, q2.failures, q2.learners, q2.avg_time_ms) == (2, 0, 2, 20_000)
    assert [(f.learner, f.comment) for f in q2.flags] == [("cat", "two answers are right")]
    assert (q3.answers, q3.failures, q3.learners, q3.avg_time_ms) == (2, 1, 1, 10_000)
    assert q3.flags == [] and q3.section == "S2 [red]"


def test_deck_filter_and_unknown_deck(dbs):
    rep = build_report(list(dbs), "other", now=NOW, study_day=SD)
    assert rep.cards == [] and all(r.reviews == 0 for r in rep.learners)


def test_cli_formats(dbs, tmp_path):
    one, two = dbs
    env = {"QUIZ_NOW": "2026-11-03T15:00:00+00:00", "QUIZ_TZ": "UTC"}
    runner = CliRunner()
    r = runner.invoke(
        main, ["report", "--db", str(one), "--db", str(two), "--format", "json"], env=env
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert list(data) == ["version", "generated_at", "deck", "sources", "learners", "cards"]
    assert data["cards"][0]["flags"] == [{"learner": "bob", "comment": "typo in [b]answer"}]
    assert data["learners"][0]["last_studied"] == "2026-11-02T11:00:00.000+00:00"

    r = runner.invoke(
        main, ["report", "--db", str(one), "--db", str(two), "--format", "csv"], env=env
    )
    assert r.exit_code == 0
    learners_part, cards_part = r.output.split("\n\n")
    lrows = list(csv.DictReader(io.StringIO(learners_part)))
    assert [x["learner"] for x in lrows] == ["ann", "bob", "cat"]
    assert lrows[0]["retention_30d"] == "0.5" and lrows[0]["days_since"] == "1"
    crows = list(csv.DictReader(io.StringIO(cards_part)))
    assert crows[0]["card_id"] == "q1" and crows[0]["flags"] == "bob: typo in [b]answer"

    r = runner.invoke(
        main, ["report", "--db", str(one), "--db", str(two)], env={**env, "COLUMNS": "160"}
    )
    assert r.exit_code == 0
    assert "typo in [b]answer" in r.output and "S2 [red]" in r.output

    r = runner.invoke(main, ["report", "--db", str(tmp_path / "missing.db")], env=env)
    assert r.exit_code != 0 and "missing.db" in r.output and "Traceback" not in r.output
