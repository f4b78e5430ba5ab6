"""compute_stats against a plain-Python oracle on an engine-made history across a DST change.

The oracle walks every review and card state one by one with StudyDay.day_of,
json.loads and fsrs; the SQL aggregation must agree on every figure.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, State
from stats_builders import realistic_db

from quiz.stats import (
    FORECAST_DAYS,
    HEATMAP_DAYS,
    MATURE_DAYS,
    RETENTION_WINDOWS,
    compute_stats,
    scheduler_for,
)
from quiz.store import Store
from quiz.study.clock import from_iso
from quiz.study.studyday import StudyDay

DECK = Path(__file__).resolve().parents[1] / "decks" / "example-geography.yaml"
END = datetime(2026, 11, 6, 15, 0, tzinfo=UTC)  # New York left summer time on Nov 1


@pytest.mark.parametrize("zone,hour", [("America/New_York", 4), ("Australia/Lord_Howe", 0)])
def test_sql_figures_equal_a_plain_python_oracle(tmp_path, zone, hour):
    path = realistic_db(
        tmp_path / "p.db",
        "ann",
        DECK,
        days=60,
        end=END,
        skill=0.75,
        seed=hour,
        new_per_day=3,
        attendance=0.8,
    )
    sd = StudyDay(hour, ZoneInfo(zone))
    now = END + timedelta(hours=7)
    store = Store.open(path)
    try:
        db = store.db
        s = compute_stats(db, "ann", None, now=now, study_day=sd)
        reviews = db.execute(
            "SELECT reviewed_at, duration_ms, rating, mode, state_before FROM reviews WHERE learner = 'ann'"
        ).fetchall()
        states = db.execute(
            "SELECT s.card_id, s.state, s.stability, s.last_review, s.due, s.suspended, c.section "
            "FROM cards c LEFT JOIN card_states s ON s.card_id = c.card_id AND s.learner = 'ann' "
            "WHERE c.retired = 0"
        ).fetchall()
        scheduler = scheduler_for(db, "ann")
    finally:
        store.close()

    today = sd.day_of(now)
    per_day: Counter = Counter()
    time_ms: Counter = Counter()
    classes: dict = defaultdict(Counter)
    for at, ms, rating, mode, before in reviews:
        day = sd.day_of(from_iso(at))
        per_day[day] += 1
        time_ms[day] += ms or 0
        b = json.loads(before) if before else {}
        if mode == "study" and b.get("state") == 2:
            ivl = (from_iso(b["due"]) - from_iso(b["last_review"])).total_seconds() / 86400
            classes[day][("mature" if ivl >= MATURE_DAYS else "young", rating > 1)] += 1
    # a non-trivial history (its size depends on the fuzz draws: 142 reviews for New York)
    assert s.total_reviews == len(reviews) == sum(per_day.values()) > 120
    assert min(per_day) < datetime(2026, 11, 1).date() < max(per_day)  # across the DST change
    everything: Counter = Counter()
    for cl in classes.values():
        everything.update(cl)
    assert min(everything[("young", True)], everything[("young", False)]) > 5
    assert {a.day: a.reviews for a in s.activity if a.reviews} == {
        d: n for d, n in per_day.items() if (today - d).days < HEATMAP_DAYS
    }
    assert {a.day: a.time_ms for a in s.activity if a.reviews} == {
        d: n for d, n in time_ms.items() if (today - d).days < HEATMAP_DAYS
    }
    for name, back, until in RETENTION_WINDOWS:
        got = s.retention_for(name)
        c: Counter = Counter()
        for d, cl in classes.items():
            if until <= (today - d).days <= back:
                c.update(cl)
        assert (got.young_passed, got.young_failed, got.mature_passed, got.mature_failed) == (
            c[("young", True)],
            c[("young", False)],
            c[("mature", True)],
            c[("mature", False)],
        ), name

    kinds: Counter = Counter()
    for _card_id, state, _stability, last_review, due, suspended, _section in states:
        if suspended:
            kinds["suspended"] += 1
        elif not state or not last_review:
            kinds["new"] += 1
        elif state in (1, 3):
            kinds["learning"] += 1
        elif (from_iso(due) - from_iso(last_review)) >= timedelta(days=MATURE_DAYS):
            kinds["mature"] += 1
        else:
            kinds["young"] += 1
    c = s.cards
    assert {
        "new": c.new,
        "learning": c.learning,
        "young": c.young,
        "mature": c.mature,
        "suspended": c.suspended,
    } == {k: kinds[k] for k in ("new", "learning", "young", "mature", "suspended")}
    assert c.young > 0 and c.mature > 0

    probe_r = []
    by_section: dict = defaultdict(list)
    forecast: Counter = Counter()
    for _card_id, state, stability, last_review, due, suspended, section in states:
        r = 0.0
        if state and last_review:
            card = Card(
                card_id=1,
                state=State(state),
                stability=stability,
                difficulty=5.0,
                due=from_iso(due),
                last_review=from_iso(last_review),
            )
            r = scheduler.get_card_retrievability(card, now)
            probe_r.append(r)
            if not suspended:
                forecast[max(sd.day_of(from_iso(due)), today)] += 1
        by_section[section or "(no section)"].append(r)
    assert s.predicted_retention == pytest.approx(sum(probe_r) / len(probe_r))
    assert {m.section: m.mastery for m in s.mastery} == pytest.approx(
        {k: sum(v) / len(v) for k, v in by_section.items()}
    )
    assert {f.day: f.due for f in s.forecast if f.due} == {
        d: n for d, n in forecast.items() if (d - today).days < FORECAST_DAYS
    }
