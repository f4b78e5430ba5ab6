"""Statistics against a hand-made history across the autumn DST change (America/New_York).

Study days start at 04:00 local. On 2026-11-01 clocks go back from 02:00 EDT
(06:00 UTC) to 01:00 EST, so 08:30 UTC that morning is 03:30 EST: still the
study day of Oct 31 (with the summer offset it would wrongly be 04:30, Nov 1).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from stats_builders import add_deck, add_learner, add_review, new_db, set_state

from quiz.stats import (
    FORECAST_DAYS,
    HEATMAP_DAYS,
    compute_stats,
    day_expression,
    streaks,
)
from quiz.study.studyday import StudyDay

NY = ZoneInfo("America/New_York")
SD = StudyDay(4, NY)
NOW = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)  # 10:00 EST, study day Nov 3


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def fsrs_r(stability: float, elapsed_days: int) -> float:
    """FSRS-6 retrievability written out by hand from the default w20."""
    decay = -DEFAULT_PARAMETERS[20]
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * elapsed_days / stability) ** decay


@pytest.fixture
def db():
    db = new_db()
    add_learner(db, "ann")
    add_learner(db, "bob")
    add_deck(
        db,
        "d1",
        {
            "a1": "Alpha [/]",
            "a2": "Alpha [/]",
            "a3": "Alpha [/]",
            "r1": "Alpha [/]",
            "b1": "Beta",
            "b2": "Beta",
            "b3": None,
        },
        retired=("r1",),
    )
    add_deck(db, "d2", {"x1": "Other"})
    # Six days in a row, Oct 20-25 (noon EDT); Oct 22's answer is a young review.
    for day in range(20, 26):
        if day == 22:
            add_review(db, "ann", "d1", "b1", utc(2026, 10, day, 16), 3, before_state=2, ivl_days=3)
        else:
            add_review(db, "ann", "d1", "b1", utc(2026, 10, day, 16), 3, before_state=1)
    # Oct 31 (two answers, the second after the DST change but before 04:00 EST)
    add_review(db, "ann", "d1", "a1", utc(2026, 11, 1, 5, 30), 1, ivl_days=30)  # mature fail
    add_review(db, "ann", "d1", "a2", utc(2026, 11, 1, 8, 30), 3, ivl_days=5)  # young pass
    # Nov 1 at 04:30 EST
    add_review(db, "ann", "d1", "a1", utc(2026, 11, 1, 9, 30), 3, ivl_days=21)  # mature pass (21)
    # Nov 2: 03:59 EST on Nov 3 belongs to Nov 2
    add_review(db, "ann", "d1", "a2", utc(2026, 11, 3, 8, 59), 1, ivl_days=20.9)  # young fail
    # Nov 3 (today), from 04:00 EST
    add_review(db, "ann", "d1", "a2", utc(2026, 11, 3, 9, 0), 4, ivl_days=40)  # mature pass
    add_review(
        db,
        "ann",
        "d1",
        "a1",
        utc(2026, 11, 3, 10),
        2,
        ivl_days=40,
        mode="practice",
        duration_ms=25_000,
    )
    add_review(db, "ann", "d1", "b3", utc(2026, 11, 3, 11), 3, before_state=3, duration_ms=None)
    # Long ago: outside the 365-day window, a mature fail
    add_review(db, "ann", "d1", "a1", utc(2025, 6, 1, 16), 1, ivl_days=50)
    # Another deck, and another learner: filtered out by deck / learner
    add_review(db, "ann", "d2", "x1", utc(2026, 11, 3, 12), 3, before_state=1)
    add_review(db, "bob", "d1", "a1", utc(2026, 11, 3, 12), 1, ivl_days=30)

    set_state(
        db, "ann", "d1", "a1", state=2, stability=10, last_review=NOW - timedelta(days=10), due=NOW
    )
    set_state(
        db,
        "ann",
        "d1",
        "a2",
        state=2,
        stability=30,
        last_review=NOW - timedelta(hours=12),
        due=NOW - timedelta(hours=12) + timedelta(days=30),
    )
    set_state(
        db,
        "ann",
        "d1",
        "b1",
        state=1,
        stability=2,
        last_review=NOW - timedelta(hours=1),
        due=NOW + timedelta(minutes=10),
    )
    set_state(
        db,
        "ann",
        "d1",
        "b2",
        state=2,
        stability=5,
        last_review=NOW - timedelta(days=3),
        due=utc(2026, 11, 1, 12),
        lapses=8,
        suspended=1,
        leech=1,
    )
    set_state(
        db,
        "ann",
        "d1",
        "b3",
        state=3,
        stability=1,
        last_review=utc(2026, 10, 30, 15),
        due=utc(2026, 11, 1, 12),
        lapses=2,
    )
    set_state(
        db,
        "ann",
        "d1",
        "r1",
        state=2,
        stability=50,
        last_review=NOW - timedelta(days=1),
        due=NOW + timedelta(days=40),
        lapses=9,
    )
    set_state(
        db,
        "ann",
        "d2",
        "x1",
        state=1,
        stability=1,
        last_review=utc(2026, 11, 3, 12),
        due=NOW + timedelta(minutes=5),
    )
    set_state(
        db,
        "bob",
        "d1",
        "a1",
        state=3,
        stability=1,
        last_review=utc(2026, 11, 3, 12),
        due=NOW,
        lapses=1,
    )
    return db


def test_activity_by_local_study_day_across_dst(db):
    s = compute_stats(db, "ann", "d1", now=NOW, study_day=SD)
    assert s.today == date(2026, 11, 3)
    assert len(s.activity) == HEATMAP_DAYS
    assert s.activity[-1].day == date(2026, 11, 3)
    assert s.activity[0].day == date(2025, 11, 4)
    by_day = {a.day: a for a in s.activity if a.reviews}
    assert {d: a.reviews for d, a in by_day.items()} == {
        **{date(2026, 10, d): 1 for d in range(20, 26)},
        date(2026, 10, 31): 2,
        date(2026, 11, 1): 1,
        date(2026, 11, 2): 1,
        date(2026, 11, 3): 3,
    }
    assert by_day[date(2026, 11, 3)].time_ms == 10_000 + 25_000 + 0
    assert by_day[date(2026, 10, 31)].time_ms == 20_000
    assert s.total_reviews == 14
    assert s.time_ms_last_365_days == 12 * 10_000 + 25_000 - 10_000
    assert s.streaks.current == 4
    assert s.streaks.longest == 6
    assert s.streaks.days_studied == 11


def test_true_retention_table(db):
    s = compute_stats(db, "ann", "d1", now=NOW, study_day=SD)
    today = s.retention_for("today")
    assert (today.young_passed, today.young_failed, today.mature_passed, today.mature_failed) == (
        0,
        0,
        1,
        0,
    )
    assert today.young is None and today.mature == 1.0 and today.total == 1.0
    y = s.retention_for("yesterday")
    assert (y.young_passed, y.young_failed, y.mature_passed, y.mature_failed) == (0, 1, 0, 0)
    assert y.young == 0.0 and y.total == 0.0
    w = s.retention_for("last_7_days")
    assert (w.young_passed, w.young_failed, w.mature_passed, w.mature_failed) == (1, 1, 2, 1)
    assert w.total == pytest.approx(3 / 5)
    m = s.retention_for("last_30_days")
    assert (m.young_passed, m.young_failed, m.mature_passed, m.mature_failed) == (2, 1, 2, 1)
    assert m.young == pytest.approx(2 / 3) and m.mature == pytest.approx(2 / 3)
    assert s.retention_for("last_365_days") == m.__class__(
        **{**m.__dict__, "period": "last_365_days"}
    )


def test_cards_by_state_mastery_forecast_hardest(db):
    s = compute_stats(db, "ann", "d1", now=NOW, study_day=SD)
    c = s.cards
    assert (c.new, c.learning, c.young, c.mature, c.suspended) == (1, 2, 1, 1, 1)
    assert (c.relearning, c.leech, c.total) == (1, 1, 6)

    r_b2, r_b3 = fsrs_r(5, 3), fsrs_r(1, 4)
    assert s.predicted_retention == pytest.approx((0.9 + 1.0 + 1.0 + r_b2 + r_b3) / 5)

    mastery = {(m.deck, m.section): m for m in s.mastery}
    assert [m.section for m in s.mastery] == ["Alpha [/]", "Beta", "(no section)"]
    alpha = mastery[("d1", "Alpha [/]")]
    assert (alpha.cards, alpha.seen) == (3, 2)
    assert alpha.mastery == pytest.approx(1.9 / 3)
    assert mastery[("d1", "Beta")].mastery == pytest.approx((1.0 + r_b2) / 2)
    assert mastery[("d1", "(no section)")].mastery == pytest.approx(r_b3)
    assert s.overall_mastery == pytest.approx((1.9 + 1.0 + r_b2 + r_b3) / 6)

    assert len(s.forecast) == FORECAST_DAYS
    assert s.overdue == 1
    assert s.forecast[0].day == date(2026, 11, 3) and s.forecast[0].due == 3  # a1, b1, overdue b3
    assert s.forecast[29].day == date(2026, 12, 2) and s.forecast[29].due == 1  # a2, 22:00 EST
    assert sum(f.due for f in s.forecast) == 4

    assert [h.card_id for h in s.hardest] == ["b2", "b3", "a1", "a2", "b1"]
    assert s.hardest[0].lapses == 8
    assert s.hardest[2].retrievability == pytest.approx(0.9)


def test_all_decks_and_learner_isolation(db):
    s = compute_stats(db, "ann", None, now=NOW, study_day=SD)
    assert s.decks == ["d1", "d2"]
    assert s.total_reviews == 15
    assert s.activity[-1].reviews == 4
    assert s.cards.learning == 3
    assert [m.section for m in s.mastery] == ["Alpha [/]", "Beta", "(no section)", "Other"]
    bob = compute_stats(db, "bob", "d1", now=NOW, study_day=SD)
    assert bob.total_reviews == 1
    assert bob.cards.new == 5 and bob.cards.learning == 1
    assert bob.retention_for("today").mature_failed == 1


def test_empty_learner_gives_zeros(db):
    s = compute_stats(db, "nobody", None, now=NOW, study_day=SD)
    assert s.total_reviews == 0 and s.decks == []
    assert s.predicted_retention is None and s.overall_mastery is None
    assert s.streaks.current == 0 and s.cards.total == 0
    assert all(r.total is None for r in s.retention)


def test_to_dict_is_json_with_stable_keys(db):
    d = compute_stats(db, "ann", "d1", now=NOW, study_day=SD).to_dict()
    text = json.dumps(d)
    assert json.loads(text) == d
    assert list(d) == [
        "version",
        "learner",
        "deck",
        "decks",
        "generated_at",
        "today",
        "rollover_hour",
        "timezone",
        "total_reviews",
        "time_ms_last_365_days",
        "streaks",
        "cards",
        "retention",
        "predicted_retention",
        "mastery",
        "overall_mastery",
        "overdue",
        "forecast",
        "hardest",
        "activity",
    ]
    assert d["today"] == "2026-11-03" and d["timezone"] == "America/New_York"
    assert list(d["retention"]) == [
        "today",
        "yesterday",
        "last_7_days",
        "last_30_days",
        "last_365_days",
    ]
    assert d["cards"] == {
        "new": 1,
        "learning": 2,
        "young": 1,
        "mature": 1,
        "suspended": 1,
        "relearning": 1,
        "leech": 1,
        "total": 6,
    }
    assert d["retention"]["last_7_days"]["total"] == pytest.approx(0.6)


def test_streak_counts_yesterday_until_today_ends():
    days = [date(2026, 1, d) for d in (1, 2, 3, 5, 6)]
    assert streaks(days, date(2026, 1, 6)).current == 2
    assert streaks(days, date(2026, 1, 7)).current == 2  # nothing yet today
    assert streaks(days, date(2026, 1, 8)).current == 0
    assert streaks(days, date(2026, 1, 8)).longest == 3


@pytest.mark.parametrize(
    "zone,hour",
    [
        ("America/New_York", 4),
        ("Europe/London", 0),
        ("Asia/Kolkata", 4),
        ("Australia/Lord_Howe", 3),
        ("Pacific/Chatham", 23),
        ("UTC", 4),
    ],
)
def test_sql_day_matches_studyday_for_any_instant(zone, hour):
    """The SQL bucketing agrees with StudyDay.day_of, including around DST changes."""
    sd = StudyDay(hour, ZoneInfo(zone))
    start, end = utc(2025, 12, 1), utc(2027, 1, 1)
    db = new_db()
    rng = random.Random(hour)
    instants = [
        start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
        for _ in range(400)
    ]
    # and every quarter hour on the days around the transitions
    for y, m, d in [
        (2026, 3, 8),
        (2026, 3, 29),
        (2026, 4, 5),
        (2026, 9, 27),
        (2026, 10, 4),
        (2026, 10, 25),
        (2026, 11, 1),
    ]:
        instants += [
            utc(y, m, d) - timedelta(hours=12) + timedelta(minutes=15 * i) for i in range(200)
        ]
    db["t"].insert_all({"at": i.isoformat(timespec="milliseconds")} for i in instants)
    expr, params = day_expression("at", sd, start, end)
    got = [
        date.fromisoformat(r[0]) for r in db.execute(f"SELECT {expr} FROM t ORDER BY rowid", params)
    ]
    assert got == [sd.day_of(i) for i in instants]
    expr, params = day_expression("at", sd, start, end, number=True)  # days since 1970-01-01
    got = [
        date(1970, 1, 1) + timedelta(days=r[0])
        for r in db.execute(f"SELECT {expr} FROM t ORDER BY rowid", params)
    ]
    assert got == [sd.day_of(i) for i in instants]


def test_busy_day_and_other_json_layouts_are_counted_exactly():
    """More answers in a day than the packed sum holds, and state JSON not written by json.dumps
    defaults (compact separators, other key order, a 'Z' zone): still exact."""
    from quiz.stats import PACK

    db = new_db()
    add_learner(db, "z")
    add_deck(db, "d", {"c": "S"})
    day = utc(2026, 11, 3, 12)
    rows = []
    expected = [0, 0, 0, 0]  # young passed, young failed, mature passed, mature failed
    for i in range(PACK + 50):
        ivl = 30 if i % 3 == 0 else 5
        rating = 1 if i % 4 == 0 else 3
        at = day + timedelta(milliseconds=i)
        last = at - timedelta(days=ivl)
        if i % 2:
            before = json.dumps(
                {
                    "state": 2,
                    "due": at.isoformat(timespec="milliseconds"),
                    "last_review": last.isoformat(timespec="milliseconds"),
                },
                sort_keys=True,
            )
        else:  # compact, unsorted, 'Z' for UTC
            before = json.dumps(
                {
                    "last_review": last.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                    "state": 2,
                    "due": at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                },
                separators=(",", ":"),
            )
        expected[(2 if ivl >= 21 else 0) + (rating == 1)] += 1
        rows.append(
            {
                "id": f"r{i}",
                "learner": "z",
                "deck": "d",
                "card_id": "c",
                "rating": rating,
                "reviewed_at": at.isoformat(timespec="milliseconds"),
                "duration_ms": 1000,
                "mode": "study",
                "state_before": before,
            }
        )
    db["reviews"].insert_all(rows, batch_size=2000)
    s = compute_stats(db, "z", "d", now=NOW + timedelta(days=9), study_day=StudyDay(4, UTC))
    row = s.retention_for("last_30_days")
    assert [row.young_passed, row.young_failed, row.mature_passed, row.mature_failed] == expected
    assert s.activity[-10].reviews == PACK + 50 and s.activity[-10].time_ms == (PACK + 50) * 1000

    # the same answers on a quiet day (under the packing limit) agree
    db.execute("DELETE FROM reviews WHERE CAST(substr(id, 2) AS INTEGER) >= 100")
    s = compute_stats(db, "z", "d", now=NOW + timedelta(days=9), study_day=StudyDay(4, UTC))
    row = s.retention_for("last_30_days")
    small = [0, 0, 0, 0]
    for i in range(100):
        small[(2 if i % 3 == 0 else 0) + (i % 4 == 0)] += 1
    assert [row.young_passed, row.young_failed, row.mature_passed, row.mature_failed] == small


def test_both_read_plans_agree(db):
    """Recent days read by index ranges, by one grouped scan or from the per-quarter-hour sums
    kept by triggers give the same rows (DST included)."""
    from quiz.stats import daily_review_rows

    for decks in (["d1"], ["d1", "d2"]):
        by_index = daily_review_rows(db, "ann", decks, SD, NOW, plan="index")
        by_scan = daily_review_rows(db, "ann", decks, SD, NOW, plan="scan")
        by_buckets = daily_review_rows(db, "ann", decks, SD, NOW, plan="buckets")
        assert by_index == by_scan
        assert by_buckets == by_index
        assert by_index == daily_review_rows(db, "ann", decks, SD, NOW)
    assert [r[0] for r in by_index][-4:] == [
        date(2026, 10, 31),
        date(2026, 11, 1),
        date(2026, 11, 2),
        date(2026, 11, 3),
    ]


def test_damaged_rows_do_not_crash(db):
    """Hand-edited times and values: ignored or counted as forgotten, never a crash."""
    db.execute(
        "UPDATE reviews SET reviewed_at = '2026-99-99T00:00:00' WHERE learner = 'ann' AND card_id = 'b1'"
        " AND reviewed_at < '2026-10-21'"
    )
    db.execute(
        "UPDATE card_states SET last_review = 'yesterday', stability = 'x' WHERE card_id = 'a1'"
        " AND learner = 'ann'"
    )
    s = compute_stats(db, "ann", "d1", now=NOW, study_day=SD)
    assert s.total_reviews >= 1
    assert next(h for h in s.hardest if h.card_id == "a1").retrievability == 0.0


def test_retrievability_is_fsrs_own():
    """Retrievability goes through fsrs: equal to get_card_retrievability on a fresh Card."""
    from fsrs import Card, Scheduler, State

    from quiz.stats import Retrievability

    rng = random.Random(5)
    sch = Scheduler(parameters=[x * 1.0 for x in DEFAULT_PARAMETERS], desired_retention=0.85)
    retr = Retrievability(sch, NOW)
    for _ in range(200):
        stability = rng.uniform(0.1, 400)
        last = NOW - timedelta(seconds=rng.randrange(0, 400 * 86400))
        card = Card(
            card_id=7,
            state=State.Review,
            stability=stability,
            difficulty=5.0,
            due=NOW,
            last_review=last,
        )
        assert retr.of(stability, last.isoformat(timespec="milliseconds")) == pytest.approx(
            sch.get_card_retrievability(card, NOW), abs=1e-12
        )
    assert retr.of(None, None) == 0.0 and retr.of(3.0, "not a time") == 0.0
