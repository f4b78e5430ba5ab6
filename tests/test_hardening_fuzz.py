"""Fuzz ``quiz progress import`` (issue 17): hostile values in every field of every record.

Each example takes a valid export holding one record of each type, puts hostile values
(wrong types, huge and negative numbers, NaN and infinities, control characters and lone
surrogates, far or zoneless dates, bad JSON text, nesting) into one to three fields (or
deletes them), then reads and imports it in-process. Every outcome must be either a
one-line ``FILE:LINE: error:`` (``ProgressFileError`` / ``QuizError``) with the database
byte-for-byte unchanged, or an import after which the imported learners can still be
scheduled, have their statistics computed and their optimizer CSV written. One
database is reused (copied back from a template after each successful import).
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.errors import QuizError
from quiz.progress_io import ProgressFileError, import_progress, optimizer_rows, read_progress
from quiz.stats import compute_stats
from quiz.store import Store
from quiz.study.clock import FixedClock

EXAMPLES = 5000
NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
PARAMS = [
    0.2172,
    1.1771,
    3.2602,
    16.1507,
    7.0114,
    0.57,
    2.0966,
    0.0069,
    1.5261,
    0.112,
    1.0178,
    1.849,
    0.1133,
    0.3127,
    2.2934,
    0.2191,
    3.0004,
    0.7536,
    0.3332,
    0.1437,
    0.2,
]
STATE = {
    "state": 2,
    "step": None,
    "stability": 3.2,
    "difficulty": 5.1,
    "due": "2026-03-05T10:00:00.000+00:00",
    "last_review": "2026-03-02T10:00:00.000+00:00",
    "reps": 2,
    "lapses": 0,
    "leech": 0,
    "suspended": 0,
}

VALID: list[dict[str, Any]] = [
    {
        "format": "quiz-progress",
        "version": 1,
        "exported_at": "2026-03-09T10:00:00.000+00:00",
        "machine": "pc",
    },
    {
        "record": "learner",
        "name": "ann",
        "created_at": "2026-03-01T10:00:00.000+00:00",
        "desired_retention": 0.9,
        "origin": "o-ann",
        "machine": "pc",
        "database": "db1",
        "settings": {
            "new_per_day": 20,
            "rollover_hour": 4,
            "timezone": "Europe/Paris",
            "leech_action": "suspend",
            "fsrs_parameters": PARAMS,
        },
    },
    {
        "record": "deck",
        "id": "d",
        "title": "Deck",
        "path": "/x/d.yaml",
        "first_seen": "2026-03-01T10:00:00.000+00:00",
        "desired_retention": 0.85,
        "settings": {"reviews_per_day": 100},
    },
    {
        "record": "card",
        "deck": "d",
        "card_id": "c1",
        "content_hash": "h",
        "type": "basic",
        "kind": "fact",
        "section": "S",
        "grp": "g",
        "first_seen": "2026-03-01T10:00:00.000+00:00",
        "retired": 0,
        "position": 0,
    },
    {"record": "alias", "deck": "d", "old_id": "c0", "new_id": "c1"},
    {
        "record": "params",
        "id": 7,
        "parameters": json.dumps(PARAMS),
        "desired_retention": 0.9,
        "learning_steps": "[60.0, 600.0]",
        "relearning_steps": "[600.0]",
        "maximum_interval": 36500,
        "enable_fuzzing": 1,
    },
    {
        "record": "session",
        "id": "s1",
        "learner": "ann",
        "deck": "d",
        "mode": "study",
        "started_at": "2026-03-02T09:59:00.000+00:00",
        "ended_at": "2026-03-02T10:05:00.000+00:00",
    },
    {
        "record": "review",
        "id": "r1",
        "learner": "ann",
        "deck": "d",
        "card_id": "c1",
        "rating": 3,
        "reviewed_at": "2026-03-02T10:00:00.000+00:00",
        "duration_ms": 4000,
        "answer": "A",
        "correct": 1,
        "verdict": "correct",
        "mode": "study",
        "session_id": "s1",
        "params_id": 7,
        "state_before": json.dumps({"state": 0}),
        "state_after": json.dumps(STATE),
    },
    {
        "record": "event",
        "learner": "ann",
        "deck": "d",
        "card_id": "c1",
        "at": "2026-03-02T10:01:00.000+00:00",
        "action": "flag",
        "comment": "unclear",
        "review_id": "r1",
    },
    {"record": "end", "records": 8},
]
DELETE = object()

FAR_DATES = [
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+00:00",
    "9999-12-31T23:59:59-05:00",
    "2026-03-02T23:30:00.000-05:00",
    "2026-03-02T10:00:00",
    "1969-12-31T23:59:59Z",
    "2026-13-01T00:00:00+00:00",
    "2026-03-02T10:00:00+24:00",
    "2199-12-31T23:59:59.999+00:00",
    "2200-01-01T00:00:00+00:00",
    "",
    " ",
    "now",
]
JSON_TEXTS = [
    '{"state": "x"}',
    '{"state": 9}',
    '{"state": -1}',
    "[1]",
    '{"stability": 1e308}',
    '{"stability": -1}',
    "NaN",
    '{"due": "0001-01-01T00:00:00+05:00"}',
    "[" * 5000,
    "",
    '{"reps": 99999999999999999999}',
    "[60.0, 600.0, -5]",
    "[1e400]",
    "[]",
    json.dumps(PARAMS[:19]),
    json.dumps([*PARAMS[:20], float("nan")]).replace("NaN", "NaN"),
    '{"state": 2, "stability": "a"}',
    json.dumps(["x"] * 21),
]
CHARS = st.characters(codec=None, categories=None, min_codepoint=0, max_codepoint=0x10FFFF)

hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([0, -1, 1, 4, 5, 2**31, 2**53 + 1, 2**63, -(2**63) - 1, 10**30, 10**300]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0, 0.5, 0.99, 1.0]),
    st.text(CHARS, max_size=30),
    st.sampled_from(["\x00", "\x1b[2J", "a\x00b", "\ud800", "\u202e", "x" * 20_000, "Ünï", " "]),
    st.sampled_from(FAR_DATES),
    st.sampled_from(JSON_TEXTS),
    st.lists(st.one_of(st.integers(), st.floats(), st.text(max_size=3)), max_size=4),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
    st.just(DELETE),
)
SETTING_KEYS = [
    "new_per_day",
    "reviews_per_day",
    "rollover_hour",
    "learn_ahead_minutes",
    "leech_threshold",
    "leech_action",
    "timezone",
    "fsrs_parameters",
    "origin",
    "origins",
    "machine",
    "other",
]


@st.composite
def mutations(draw: st.DrawFn) -> list[tuple[int, tuple[str, ...], Any]]:
    """One to three (record index, field path, hostile value) changes."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(VALID) - 1))
        keys = [*sorted(VALID[index]), "unknown_field"]
        key = draw(st.sampled_from(keys))
        path: tuple[str, ...] = (key,)
        if key == "settings" and draw(st.booleans()):
            path = (key, draw(st.sampled_from(SETTING_KEYS)))
        out.append((index, path, draw(hostile)))
    return out


def apply(changes: list[tuple[int, tuple[str, ...], Any]]) -> bytes:
    records = copy.deepcopy(VALID)
    for index, path, value in changes:
        target = records[index]
        for key in path[:-1]:
            if not isinstance(target.get(key), dict):
                target[key] = {}
            target = target[key]
        if value is DELETE:
            target.pop(path[-1], None)
        else:
            target[path[-1]] = value
    lines = []
    for rec in records:
        try:
            lines.append(json.dumps(rec))
        except (ValueError, RecursionError):  # cannot be written as JSON at all
            lines.append('{"record": "review", "bad": [}')
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def fingerprint(store: Store) -> str:
    h = hashlib.sha256()
    for (name,) in store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall():
        rows = sorted(repr(row) for row in store.db.execute(f"SELECT * FROM [{name}]").fetchall())
        h.update(f"{name}:{len(rows)}".encode())
        for row in rows:  # (some tables are WITHOUT ROWID)
            h.update(row.encode("utf-8", "backslashreplace"))
    return h.hexdigest()


def use_imported(store: Store) -> None:
    """What later commands do with imported data: schedule, stats, optimizer CSV."""
    for learner in store.learners():
        for deck in store.deck_ids():
            store.scheduler_settings(learner, deck).scheduler()
            store.settings(learner, deck)
            study_day = store.study_day(learner, deck)
            compute_stats(store.db, learner, deck, now=NOW, study_day=study_day)
        list(optimizer_rows(store.db, learner))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("fuzz")
    template = folder / "template.db"
    with Store.open(template, clock=FixedClock(NOW)) as s:
        s.ensure_learner("local")
    return {"folder": folder, "template": template}


def test_the_valid_export_imports(workspace: dict[str, Any]) -> None:
    folder = workspace["folder"]
    f = folder / "valid.jsonl"
    f.write_bytes(apply([]))
    db = folder / "valid.db"
    shutil.copyfile(workspace["template"], db)
    with Store.open(db, clock=FixedClock(NOW)) as s:
        result = import_progress(s, read_progress(f))
        assert result.reviews_added == 1
        use_imported(s)


def test_hostile_imports_never_crash_nor_write_part(workspace: dict[str, Any]) -> None:
    folder: Path = workspace["folder"]
    db = folder / "work.db"
    f = folder / "in.jsonl"
    outcomes = {"refused": 0, "imported": 0}
    open_store: list[Store] = []

    def fresh() -> Store:
        for side in ("", "-wal", "-shm"):
            Path(f"{db}{side}").unlink(missing_ok=True)
        shutil.copyfile(workspace["template"], db)
        return Store.open(db, clock=FixedClock(NOW))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(changes=mutations())
    def one(changes: list[tuple[int, tuple[str, ...], Any]]) -> None:
        if not open_store:
            open_store.append(fresh())
        store = open_store[0]
        f.write_bytes(apply(changes))
        before = fingerprint(store)
        try:
            data = read_progress(f)
            import_progress(store, data)
        except ProgressFileError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(f"{f}:"), str(exc)
            assert fingerprint(store) == before  # nothing written
            outcomes["refused"] += 1
            return
        except QuizError as exc:
            assert "\n" not in str(exc) and "error:" in str(exc), str(exc)
            assert fingerprint(store) == before
            outcomes["refused"] += 1
            return
        outcomes["imported"] += 1
        try:
            use_imported(store)
        finally:  # the next example starts from the template again
            open_store.pop().close()

    try:
        one()
    finally:
        for s in open_store:
            s.close()
    # not vacuous: the cases all ran, many were refused and some imported
    assert outcomes["refused"] + outcomes["imported"] >= EXAMPLES, outcomes
    assert outcomes["refused"] > EXAMPLES // 2 and outcomes["imported"] > EXAMPLES // 50, outcomes
