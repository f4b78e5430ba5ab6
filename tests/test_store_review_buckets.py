"""review_buckets: the per-quarter-hour sums kept by triggers always equal a fresh count of
the review log, through inserts, undo (deletes), updates and the migration's backfill."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from stats_builders import new_db

from quiz.store.schema import BUCKET_SECONDS, answer_class

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def fresh_sums(db) -> dict:
    cls = answer_class("r")
    rows = db.execute(
        f"SELECT learner, deck, CAST(unixepoch(reviewed_at) / {BUCKET_SECONDS} AS INTEGER), "
        "count(*), sum(max(coalesce(duration_ms, 0), 0)), "
        + ", ".join(f"sum(({cls}) = {k})" for k in (1, 2, 3, 4))
        + " FROM reviews r WHERE unixepoch(reviewed_at) IS NOT NULL GROUP BY 1, 2, 3"
    ).fetchall()
    return {tuple(r[:3]): tuple(r[3:]) for r in rows}


def kept_sums(db) -> dict:
    rows = db.execute(
        "SELECT learner, deck, slot, answers, time_ms, young_passed, young_failed, "
        "mature_passed, mature_failed FROM review_buckets WHERE answers != 0"
    ).fetchall()
    return {tuple(r[:3]): tuple(r[3:]) for r in rows}


def review(rng: random.Random, n: int) -> dict:
    when = T0 + timedelta(minutes=rng.randrange(0, 60 * 24 * 40))
    state = rng.choice([0, 1, 2, 2, 3])
    last = when - timedelta(days=rng.uniform(0.5, 60))
    before = {
        "state": state,
        "due": (last + timedelta(days=rng.uniform(1, 50))).isoformat(timespec="milliseconds"),
        "last_review": last.isoformat(timespec="milliseconds"),
    }
    return {
        "id": f"r{n}",
        "learner": rng.choice(["ann", "bob"]),
        "deck": rng.choice(["d1", "d2"]),
        "card_id": f"c{rng.randrange(20)}",
        "rating": rng.randint(1, 4),
        "reviewed_at": when.isoformat(timespec="milliseconds"),
        "duration_ms": rng.choice([None, -5, 0, rng.randrange(1, 90_000)]),
        "mode": rng.choice(["study", "study", "practice", "exam"]),
        "state_before": json.dumps(before),
        "state_after": "{}",
    }


def test_triggers_keep_the_sums_exact_through_inserts_deletes_and_updates() -> None:
    rng = random.Random(7)
    db = new_db()
    columns = {c.name for c in db["reviews"].columns}
    n = 0
    for step in range(60):
        batch = []
        for _ in range(rng.randrange(1, 30)):
            n += 1
            batch.append({k: v for k, v in review(rng, n).items() if k in columns})
        db["reviews"].insert_all(batch)
        ids = [r[0] for r in db.execute("SELECT id FROM reviews").fetchall()]
        for rid in rng.sample(ids, min(len(ids), rng.randrange(0, 4))):
            db.execute("DELETE FROM reviews WHERE id = ?", [rid])
        if step % 5 == 0 and ids:
            rid = rng.choice(ids)
            db.execute(
                "UPDATE reviews SET rating = 1, mode = 'study', reviewed_at = ? WHERE id = ?",
                [(T0 + timedelta(days=rng.randrange(40))).isoformat(timespec="milliseconds"), rid],
            )
        db.execute("UPDATE reviews SET reviewed_at = 'not a time' WHERE id = ?", [f"r{n}"])
        assert kept_sums(db) == fresh_sums(db), f"after step {step}"
    assert (
        sum(v[0] for v in kept_sums(db).values())
        == db.execute(
            "SELECT count(*) FROM reviews WHERE unixepoch(reviewed_at) IS NOT NULL"
        ).fetchone()[0]
    )


def test_the_migration_backfills_an_existing_log() -> None:
    from quiz.store import schema

    rng = random.Random(3)
    db = new_db()
    columns = {c.name for c in db["reviews"].columns}
    db["reviews"].insert_all(
        [{k: v for k, v in review(rng, i).items() if k in columns} for i in range(500)]
    )
    expected = fresh_sums(db)
    for trigger in ("insert", "delete", "update"):
        db.execute(f"DROP TRIGGER reviews_bucket_{trigger}")
    db.execute("DROP TABLE review_buckets")
    schema.m004_review_buckets(db)
    assert kept_sums(db) == expected
