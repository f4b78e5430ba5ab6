"""Export / import / merge of progress, the optimizer CSV and fitted parameters.

Histories are recorded through the engine (``Store.record_review``) with an
injected clock, so the imported card states can be compared with the states
the engine computed while the learner studied.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs.scheduler import DEFAULT_PARAMETERS
from stats_builders import START, STATE_COLS, studied_db

from quiz.cli import main
from quiz.errors import QuizError
from quiz.progress_io import (
    OPTIMIZER_COLUMNS,
    ProgressFileError,
    export_progress,
    get_parameters,
    import_progress,
    merge_databases,
    read_parameters,
    read_progress,
    set_parameters,
    write_optimizer_csv,
)
from quiz.store import Review, Store
from quiz.study.clock import from_iso


def log(path: Path, learner: str | None = None) -> list[Review]:
    with Store.open(path) as store:
        return store.reviews(learner=learner)


def table(path: Path, sql: str) -> list[tuple]:
    store = Store.open(path)
    try:
        return [tuple(r) for r in store.db.execute(sql).fetchall()]
    finally:
        store.close()


def snapshot(path: Path) -> dict[str, list[tuple]]:
    return {
        "learners": table(path, "SELECT name, created_at, settings FROM learners ORDER BY name"),
        "reviews": table(path, "SELECT * FROM reviews ORDER BY id"),
        "states": table(
            path, f"SELECT {STATE_COLS} FROM card_states ORDER BY learner, deck, card_id"
        ),
        "events": table(
            path, "SELECT learner, deck, card_id, at, action, comment FROM card_events ORDER BY id"
        ),
        "cards": table(path, "SELECT deck, card_id FROM cards ORDER BY deck, card_id"),
    }


def import_file(target: Path, file: Path, as_name: str | None = None):
    store = Store.open(target)
    try:
        return import_progress(store, read_progress(file), as_name=as_name)
    finally:
        store.close()


def export_file(db: Path, out: Path, machine: str | None = None, learners=None) -> int:
    store = Store.open(db)
    try:
        if machine is None:
            return export_progress(store.db, out, learners)
        import quiz.progress_io as pio

        orig = pio.machine_name
        pio.machine_name = lambda: machine
        try:
            return export_progress(store.db, out, learners)
        finally:
            pio.machine_name = orig
    finally:
        store.close()


def test_export_file_has_header_records_and_trailer(tmp_path):
    db = studied_db(tmp_path / "ann.db", "ann", seed=1)
    out = tmp_path / "ann.jsonl"
    n = export_file(db, out, machine="laptop")
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert lines[0]["format"] == "quiz-progress" and lines[0]["version"] == 1
    assert lines[0]["machine"] == "laptop"
    assert lines[-1] == {"record": "end", "records": len(lines) - 2}
    kinds = [x["record"] for x in lines[1:-1]]
    assert n == kinds.count("review") == 12 * 6 + 1
    assert {"learner", "deck", "card", "params", "review", "event"} <= set(kinds)
    learner = next(x for x in lines if x.get("record") == "learner")
    assert learner["name"] == "ann" and len(learner["origin"]) == 16


def test_import_rebuilds_the_same_states_and_twice_changes_nothing(tmp_path):
    src = studied_db(tmp_path / "ann.db", "ann", seed=2)
    out = tmp_path / "ann.jsonl"
    export_file(src, out, machine="laptop")
    target = tmp_path / "class.db"
    res = import_file(target, out)
    assert res.learners == {"ann": "ann@laptop"}
    assert res.reviews_added == 73 and res.reviews_skipped == 0
    before = snapshot(target)
    # the rebuilt card states equal what the engine computed while studying
    theirs = [("ann@laptop", *r[1:]) for r in snapshot(src)["states"]]
    assert before["states"] == theirs
    assert any(r[12] == 1 and r[13] == "the answer [/] is ambiguous" for r in before["states"])
    again = import_file(target, out)
    assert again.reviews_added == 0 and again.reviews_skipped == 73
    assert snapshot(target) == before


def test_same_name_on_two_machines_stays_apart_unless_mapped(tmp_path):
    a = studied_db(tmp_path / "a.db", "ann", seed=3)
    b = studied_db(tmp_path / "b.db", "ann", seed=4, created=START + timedelta(hours=1))
    export_file(a, tmp_path / "a.jsonl", machine="pc1")
    export_file(b, tmp_path / "b.jsonl", machine="pc2")
    target = tmp_path / "class.db"
    assert import_file(target, tmp_path / "a.jsonl").learners == {"ann": "ann@pc1"}
    assert import_file(target, tmp_path / "b.jsonl").learners == {"ann": "ann@pc2"}
    assert sorted(Counter(r.learner for r in log(target)).items()) == [
        ("ann@pc1", 73),
        ("ann@pc2", 73),
    ]
    # same host name for two different people: still apart
    export_file(b, tmp_path / "b-same-host.jsonl", machine="pc1")
    other = tmp_path / "other.db"
    import_file(other, tmp_path / "a.jsonl")
    got = import_file(other, tmp_path / "b-same-host.jsonl").learners["ann"]
    assert got.startswith("ann@pc1-") and got != "ann@pc1"


def test_as_maps_two_machines_to_one_learner_and_is_remembered(tmp_path):
    a = studied_db(tmp_path / "a.db", "ann", seed=5)
    b = studied_db(tmp_path / "b.db", "annie", seed=6, created=START + timedelta(days=20))
    export_file(a, tmp_path / "a.jsonl", machine="pc1")
    export_file(b, tmp_path / "b.jsonl", machine="pc2")
    target = tmp_path / "class.db"
    assert import_file(target, tmp_path / "a.jsonl", as_name="Ann").learners == {"ann": "Ann"}
    assert import_file(target, tmp_path / "b.jsonl", as_name="Ann").learners == {"annie": "Ann"}
    assert len(log(target, "Ann")) == 146
    with Store.open(target, readonly=True) as store:
        assert store.learners() == ["Ann"]
    # later imports without --as land on the same learner
    res = import_file(target, tmp_path / "b.jsonl")
    assert res.learners == {"annie": "Ann"} and res.reviews_added == 0
    # states come from the merged log: reps add up over both machines' study reviews
    with Store.open(target, readonly=True) as store:
        reps = sum(r["reps"] for r in store.card_states(learner="Ann"))
    assert reps == 144


def test_export_coming_home_maps_to_the_original_learner(tmp_path):
    a = studied_db(tmp_path / "a.db", "ann", seed=7)
    export_file(a, tmp_path / "a.jsonl", machine="pc1")
    before = snapshot(a)
    res = import_file(a, tmp_path / "a.jsonl")
    assert res.learners == {"ann": "ann"} and res.reviews_added == 0
    assert snapshot(a) == before


@pytest.mark.parametrize(
    "mutate,line,message",
    [
        (lambda ls: ls[:-1], None, "incomplete: no end record"),
        (lambda ls: [*ls[:5], "{not json", *ls[5:]], 6, "not valid JSON"),
        (
            lambda ls: [ls[0].replace("quiz-progress", "other"), *ls[1:]],
            1,
            "not a quiz progress export",
        ),
        (lambda ls: [ls[0].replace('"version":1', '"version":9'), *ls[1:]], 1, "version 9"),
        (
            lambda ls: [
                x.replace('"rating":3', '"rating":7', 1) if '"rating":3' in x else x for x in ls
            ],
            "review",
            "rating must be at most 4",
        ),
        (
            lambda ls: [
                x.replace('"reviewed_at":"', '"reviewed_at":"x', 1)
                if '"record":"review"' in x
                else x
                for x in ls
            ],
            "review",
            "not an ISO-8601",
        ),
    ],
)
def test_bad_files_name_the_line_and_write_nothing(tmp_path, mutate, line, message):
    a = studied_db(tmp_path / "a.db", "ann", seed=8, days=3)
    good = tmp_path / "a.jsonl"
    export_file(a, good, machine="pc1")
    lines = good.read_text().splitlines()
    bad_lines = mutate(lines)
    if line == "review":
        line = next(i for i, (x, y) in enumerate(zip(lines, bad_lines, strict=False), 1) if x != y)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(bad_lines) + "\n")
    target = tmp_path / "class.db"
    import_file(target, tmp_path / "a.jsonl")
    before = snapshot(target)
    with pytest.raises(ProgressFileError) as err:
        read_progress(bad)
    text = str(err.value)
    assert message in text
    assert text.startswith(f"{bad}:{line}: error:" if line else f"{bad}: error:")
    assert snapshot(target) == before
    # the CLI: one line on stderr, non-zero exit, nothing written
    result = CliRunner().invoke(main, ["progress", "import", str(bad), "--db", str(target)])
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [text] if hasattr(result, "stderr") else True
    assert "Traceback" not in result.output
    assert snapshot(target) == before


def test_merge_is_idempotent_and_keeps_learners_apart(tmp_path):
    a = studied_db(tmp_path / "alice.db", "student", seed=9)
    b = studied_db(tmp_path / "bob.db", "student", seed=10, created=START + timedelta(minutes=5))
    target = tmp_path / "class.db"
    store = Store.open(target)
    try:
        merge_databases(store, [a, b])
    finally:
        store.close()
    first = snapshot(target)
    assert [r[0] for r in first["learners"]] == ["student@alice", "student@bob"]
    assert len(first["reviews"]) == 146
    store = Store.open(target)
    try:
        merge_databases(store, [b, a])
        with pytest.raises(QuizError):
            merge_databases(store, [target])
    finally:
        store.close()
    assert snapshot(target) == first
    result = CliRunner().invoke(main, ["progress", "merge", str(a), str(b), "--into", str(target)])
    assert result.exit_code == 0, result.output
    assert snapshot(target) == first


def test_optimizer_csv_format(tmp_path):
    db = studied_db(tmp_path / "ann.db", "ann", seed=11, days=2)
    out = tmp_path / "revlog.csv"
    store = Store.open(db)
    try:
        n = write_optimizer_csv(store.db, "ann", out)
        reviews = [
            (r.card_id, r.reviewed_at, r.rating, r.duration_ms)
            for r in sorted(store.reviews(learner="ann", mode="study"), key=lambda r: r.reviewed_at)
        ]
    finally:
        store.close()
    rows = list(csv.reader(out.open()))
    assert tuple(rows[0]) == OPTIMIZER_COLUMNS
    assert n == len(rows) - 1 == len(reviews) == 12
    first = rows[1]
    assert int(first[1]) == int(from_iso(reviews[0][1]).timestamp() * 1000)
    assert int(first[2]) == reviews[0][2] and int(first[4]) == reviews[0][3]
    assert first[3] == "0"  # a new card's first answer
    by_card: dict[str, list[list[str]]] = {}
    for r in rows[1:]:
        by_card.setdefault(r[0], []).append(r)
    assert len(by_card) == 6 and all(k.isdigit() for k in by_card)
    # second answers: the card was learning (1) or review (2) before
    assert {r[3] for rs in by_card.values() for r in rs[1:]} <= {"1", "2", "3"}
    assert [int(r[1]) for r in rows[1:]] == sorted(int(r[1]) for r in rows[1:])


def test_parameters_files(tmp_path):
    w = [round(x + 0.001, 4) if i < 4 else x for i, x in enumerate(DEFAULT_PARAMETERS)]
    plain = tmp_path / "w.json"
    plain.write_text(json.dumps(w))
    assert read_parameters(plain) == pytest.approx(w)
    obj = tmp_path / "w-obj.json"
    obj.write_text(json.dumps({"parameters": w, "loss": 0.3}))
    assert read_parameters(obj) == pytest.approx(w)
    text = tmp_path / "optimizer.txt"
    text.write_text("Loss before training: 0.33\nParameters: [" + ", ".join(map(str, w)) + "]\n")
    assert read_parameters(text) == pytest.approx(w)
    short = tmp_path / "short.json"
    short.write_text("[1, 2, 3]")
    with pytest.raises(
        ProgressFileError,
        match=r"short\.json:1: error: not valid FSRS parameters \(Expected 21 parameters",
    ):
        read_parameters(short)
    junk = tmp_path / "junk.json"
    junk.write_text('{"x": 1}')
    with pytest.raises(ProgressFileError, match=r"junk\.json:1"):
        read_parameters(junk)

    db = studied_db(tmp_path / "ann.db", "ann", seed=12, days=1)
    store = Store.open(db)
    try:
        assert get_parameters(store, "ann") is None
        set_parameters(store, "ann", w)
        assert get_parameters(store, "ann") == pytest.approx(w)
    finally:
        store.close()
    runner = CliRunner()
    shown = runner.invoke(
        main, ["progress", "params", "--db", str(db), "--learner", "ann", "--show"]
    )
    assert shown.exit_code == 0
    assert json.loads(shown.output)["parameters"] == pytest.approx(w)
    bad = runner.invoke(
        main, ["progress", "params", "--db", str(db), "--learner", "ann", "--set", str(short)]
    )
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    reset = runner.invoke(
        main, ["progress", "params", "--db", str(db), "--learner", "ann", "--reset", "--show"]
    )
    assert reset.exit_code == 0 and json.loads(reset.output.splitlines()[-1])["custom"] is False


def test_cli_export_import_roundtrip(tmp_path):
    db = studied_db(tmp_path / "ann.db", "ann", seed=13, days=2)
    out = tmp_path / "x.jsonl"
    runner = CliRunner()
    r = runner.invoke(main, ["progress", "export", "--db", str(db), "-o", str(out)])
    assert r.exit_code == 0 and "exported 12 reviews" in r.output
    target = tmp_path / "t.db"
    r = runner.invoke(main, ["progress", "import", str(out), "--db", str(target), "--as", "ann"])
    assert r.exit_code == 0 and "added 12 reviews" in r.output
    r = runner.invoke(main, ["progress", "import", str(out), "--db", str(target), "--as", "ann"])
    assert "added 0 reviews (12 already present)" in r.output
    r = runner.invoke(
        main, ["progress", "export", "--db", str(db), "--learner", "nobody", "-o", str(out)]
    )
    assert r.exit_code != 0 and "nobody" in r.output
    r = runner.invoke(
        main, ["progress", "optimizer-csv", "--db", str(db), "-o", str(tmp_path / "r.csv")]
    )
    assert r.exit_code == 0 and (tmp_path / "r.csv").read_text().startswith(
        ",".join(OPTIMIZER_COLUMNS)
    )


@pytest.mark.parametrize(
    "content,line,message",
    [
        (b"", 1, "empty file"),
        (b'{"format":"quiz-progress","version":1,"machine":"m"}\n\xff\xfe\n', 2, "not UTF-8"),
        (
            b'{"format":"quiz-progress","version":1,"machine":"m"}\n' + b"[" * 50000 + b"\n",
            2,
            "not valid JSON",
        ),
        (
            b'{"format":"quiz-progress","version":1,"machine":"m"}\n{"record":"deck","id":{"x":1},"title":"t"}\n',
            2,
            "id must be text",
        ),
        (
            b'{"format":"quiz-progress","version":1,"machine":"m"}\n'
            b'{"record":"learner","name":"a","created_at":"2026-01-01T00:00:00+00:00","origin":"o","settings":{}}\n'
            b'{"record":"review","id":"r","learner":"a","deck":"d","card_id":"c","rating":3,'
            b'"reviewed_at":"2026-01-02T00:00:00+00:00","mode":"study","params_id":5}\n',
            3,
            "scheduler params 5",
        ),
        (b"\x00\x01binary", 1, "not valid JSON"),
    ],
)
def test_hostile_files(tmp_path, content, line, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    with pytest.raises(ProgressFileError) as err:
        read_progress(bad)
    assert str(err.value).startswith(f"{bad}:{line}: error:") and message in str(err.value)
    result = CliRunner().invoke(
        main, ["progress", "import", str(bad), "--db", str(tmp_path / "t.db")]
    )
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_fitted_parameters_reach_the_scheduler(tmp_path):
    w = [round(x * 1.01, 4) if i < 4 else x for i, x in enumerate(DEFAULT_PARAMETERS)]
    db = studied_db(tmp_path / "ann.db", "ann", seed=14, days=1)
    (tmp_path / "w.json").write_text(json.dumps({"parameters": w}))
    r = CliRunner().invoke(
        main,
        [
            "progress",
            "params",
            "--db",
            str(db),
            "--learner",
            "ann",
            "--set",
            str(tmp_path / "w.json"),
        ],
    )
    assert r.exit_code == 0, r.output
    store = Store.open(db)
    try:
        assert store.scheduler_settings("ann", "example-geography").parameters == pytest.approx(
            tuple(w)
        )
    finally:
        store.close()


def test_merge_with_a_bad_source_writes_nothing(tmp_path):
    a = studied_db(tmp_path / "alice.db", "student", seed=15, days=2)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    target = tmp_path / "class.db"
    result = CliRunner().invoke(
        main, ["progress", "merge", str(a), str(junk), "--into", str(target)]
    )
    assert result.exit_code != 0 and "junk.db" in result.output and "Traceback" not in result.output
    assert log(target) == []


def test_a_bad_source_met_late_in_a_merge_leaves_the_class_database_as_it_was(tmp_path):
    """Sources are read one at a time while merging (memory of one database): a source
    whose records fail the checks after good ones were imported rolls the whole merge back."""
    import sqlite3

    a = studied_db(tmp_path / "alice.db", "student", seed=9)
    b = studied_db(tmp_path / "bob.db", "student", seed=10, created=START + timedelta(minutes=5))
    bad = studied_db(tmp_path / "carol.db", "carol", seed=11, created=START + timedelta(minutes=7))
    conn = sqlite3.connect(bad)
    with conn:
        conn.execute("UPDATE learners SET desired_retention = 'zz'")
    conn.close()
    target = tmp_path / "class.db"
    store = Store.open(target)
    try:
        merge_databases(store, [a])
    finally:
        store.close()
    before = snapshot(target)
    store = Store.open(target)
    try:
        with pytest.raises(QuizError) as refused:
            merge_databases(store, [b, bad])
    finally:
        store.close()
    assert str(bad) in refused.value.message
    assert snapshot(target) == before
