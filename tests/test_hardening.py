"""Issue 17: one test (or more) per numbered finding of the second adversarial review.

Each test reproduces the finding's steps and fails on the code before the fix.
Finding 9 (restore while a session is open) is in tests/test_reliability_backup.py
(test_restore_is_refused_while_*); the fuzz test of ``progress import`` is in
tests/test_hardening_fuzz.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from stats_builders import START, studied_db

from quiz.cli import main
from quiz.deck.loader import load_deck
from quiz.errors import StoreError
from quiz.progress_io import (
    ProgressFileError,
    export_progress,
    import_progress,
    merge_databases,
    read_progress,
)
from quiz.store import Review, Store
from quiz.study.clock import FixedClock

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "decks" / "example-geography.yaml"
ESC_NAME = "alice\x1b]0;PWNED-TITLE\x07\x1b[2J"


def cli(*args: object, env: dict[str, str] | None = None, stdin: str = ""):
    r = CliRunner().invoke(main, [str(a) for a in args], env=env, input=stdin)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r


def one_line_error(r, *needles: str) -> str:
    assert r.exit_code != 0, r.output
    assert "Traceback" not in r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "error:" in lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def quiz_process(args: list[str], timeout: float = 20, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "QUIZ_TZ": "UTC", "QUIZ_BACKUPS": "0", **env},
        check=False,
    )


def log(db: Path, learner: str | None = None) -> list[Review]:
    """The review log of the database at ``db`` (of ``learner``), in the order written."""
    with Store.open(db, readonly=True) as s:
        return s.reviews(learner=learner)


def learners(db: Path) -> list[str]:
    with Store.open(db, readonly=True) as s:
        return s.learners()


def table(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def export_to(db: Path, out: Path) -> None:
    with Store.open(db) as s:
        export_progress(s.db, out)


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


HEADER = {"format": "quiz-progress", "version": 1, "machine": "pc"}
LEARNER = {
    "record": "learner",
    "name": "ann",
    "created_at": "2026-03-01T10:00:00.000+00:00",
    "origin": "o1",
    "settings": {},
    "desired_retention": None,
}
DECK = {"record": "deck", "id": "d", "title": "D", "settings": {}}
CARD = {
    "record": "card",
    "deck": "d",
    "card_id": "c1",
    "type": "basic",
    "kind": "fact",
    "retired": 0,
    "position": 0,
}
REVIEW = {
    "record": "review",
    "id": "r1",
    "learner": "ann",
    "deck": "d",
    "card_id": "c1",
    "rating": 3,
    "reviewed_at": "2026-03-02T10:00:00.000+00:00",
    "mode": "study",
    "duration_ms": 4000,
}


def progress_file(path: Path, *records: dict) -> Path:
    path.write_text(jsonl([HEADER, *records, {"record": "end", "records": len(records)}]))
    return path


# --------------------------------------------------------------------------- 1


def test_f01_output_never_replaces_an_input_or_an_existing_file(tmp_path: Path) -> None:
    deck = tmp_path / "ex.yaml"
    shutil.copy(EXAMPLE, deck)
    before = deck.read_bytes()
    r = cli("export", deck, "--format", "csv", "-o", deck)
    one_line_error(r, "input file")
    assert deck.read_bytes() == before

    other = tmp_path / "other.csv"
    other.write_text("keep me\n")
    r = cli("export", deck, "--format", "csv", "-o", other)
    one_line_error(r, "exists already", "--force")
    assert other.read_text() == "keep me\n"
    assert cli("export", deck, "--format", "csv", "-o", other, "--force").exit_code == 0
    assert other.read_text().startswith("#separator:tab")

    report = tmp_path / "r.txt"
    report.write_text("The treaty was signed in 1990 by twelve states. " * 20)
    text = report.read_text()
    r = cli("generate", report, "-o", report)
    one_line_error(r, "input file")
    assert report.read_text() == text


def test_f01_symlinks_are_written_through_and_special_files_refused(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert cli("export", EXAMPLE, "-o", link, "--force").exit_code == 0
    assert link.is_symlink() and json.loads(target.read_text())["deck"] == "example-geography"

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    r = cli("export", EXAMPLE, "-o", fifo, "--force")
    one_line_error(r, "FIFO", "-o -")
    assert Path(fifo).is_fifo()
    assert cli("export", EXAMPLE, "-o", "-").stdout.lstrip().startswith("{")


def test_f01_progress_export_keeps_an_existing_file_without_force(tmp_path: Path) -> None:
    db = studied_db(tmp_path / "a.db", "ann", seed=1, days=2)
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    r = cli("progress", "export", "--db", db, "-o", out)
    one_line_error(r, "exists already")
    assert out.read_text() == "precious\n"
    assert cli("progress", "export", "--db", db, "-o", out, "--force").exit_code == 0
    assert read_progress(out).reviews
    r = cli("progress", "export", "--db", db, "-o", db, "--force")  # never the database itself
    one_line_error(r, "input file")
    r = cli("progress", "export", "--db", db, "-o", "-")  # standard output, inert
    assert r.exit_code == 0 and r.stdout.isascii()
    assert json.loads(r.stdout.splitlines()[0])["format"] == "quiz-progress"


# --------------------------------------------------------------------------- 2


def _study(db: Path, learner: str, seed: int, day: int) -> None:
    deck = load_deck(EXAMPLE)
    when = START + timedelta(days=day)
    with Store.open(db, clock=FixedClock(when)) as s:
        s.sync_deck(deck, EXAMPLE)
        for k, card in enumerate(deck.cards[seed : seed + 3]):
            s.record_review(
                review_id=uuid.uuid4().hex,
                learner=learner,
                deck=deck.deck,
                card_id=card.id,
                rating=3,
                now=when + timedelta(minutes=k),
            )


@pytest.mark.parametrize("opened_after_copy", [True, False, "legacy"])
def test_f02_merge_tells_apart_trainees_of_copies_of_one_image(
    tmp_path: Path, opened_after_copy: bool | str
) -> None:
    image = tmp_path / "image.db"
    _study(image, "student", seed=0, day=0)  # the image already holds one learner
    pc01, pc02 = tmp_path / "pc01.db", tmp_path / "pc02.db"
    shutil.copy(image, pc01)
    shutil.copy(image, pc02)
    if opened_after_copy is True:
        _study(pc01, "student", seed=3, day=1)
        _study(pc02, "student", seed=6, day=1)
    elif opened_after_copy == "legacy":  # databases made before identities existed
        _study(pc01, "student", seed=3, day=1)
        _study(pc02, "student", seed=6, day=1)
        for db in (pc01, pc02):
            conn = sqlite3.connect(db)
            conn.execute("DELETE FROM database_identity")
            conn.commit()
            conn.close()
    else:  # copies never opened: same identity in both files, told apart by file name
        conn1, conn2 = sqlite3.connect(pc01), sqlite3.connect(pc02)
        for conn, seed in ((conn1, "x"), (conn2, "y")):
            conn.execute(
                "INSERT INTO reviews (id, learner, deck, card_id, rating, reviewed_at, mode) "
                "SELECT id || ?, learner, deck, card_id, rating, reviewed_at, mode FROM reviews",
                [seed],
            )
            conn.commit()
            conn.close()
    cls = tmp_path / "class.db"
    r = cli("progress", "merge", pc01, pc02, "--into", cls)
    assert r.exit_code == 0, r.output
    names = learners(cls)
    assert names == ["student@pc01", "student@pc02"], names
    if opened_after_copy is True:
        with Store.open(pc01) as a, Store.open(pc02) as b:
            assert a.database_id != b.database_id  # a copy got its own identity when opened
    per = Counter(r.learner for r in log(cls))
    assert per["student@pc01"] > 0 and per["student@pc02"] > 0
    again = cli("progress", "merge", pc01, pc02, "--into", cls)  # repeatable, still apart
    assert again.exit_code == 0 and "added 0 reviews" in again.stdout
    assert learners(cls) == names


def test_f02_the_same_database_merged_again_lands_on_the_same_learner(tmp_path: Path) -> None:
    pc = tmp_path / "pc01.db"
    _study(pc, "student", seed=0, day=0)
    cls = tmp_path / "class.db"
    with Store.open(cls) as s:
        merge_databases(s, [pc])
    _study(pc, "student", seed=3, day=1)
    with Store.open(cls) as s:
        merge_databases(s, [pc])
    assert learners(cls) == ["student@pc01"]
    assert len(log(cls)) == 6


# --------------------------------------------------------------------------- 3 and 7


BAD_VALUES = [
    (DECK, "desired_retention", "zz", "desired_retention"),
    (LEARNER, "desired_retention", "zz", "desired_retention"),
    (LEARNER, "desired_retention", float("nan"), "desired_retention"),
    (CARD, "retired", "x", "retired"),
    (CARD, "position", 10**30, "position"),
    (REVIEW, "duration_ms", 10**30, "duration_ms"),
    (REVIEW, "reviewed_at", "0001-01-01T00:00:00+05:00", "reviewed_at"),
    (REVIEW, "state_before", json.dumps({"state": "x"}), "state_before"),
    (REVIEW, "rating", True, "rating"),
    (LEARNER, "settings", {"timezone": "Nowhere/Land"}, "settings"),
    (LEARNER, "settings", {"fsrs_parameters": [1, 2]}, "settings"),
]
PARAMS = {
    "record": "params",
    "id": 1,
    "parameters": json.dumps(
        [
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
    ),
    "desired_retention": 0.9,
    "learning_steps": "[60.0, 600.0]",
    "relearning_steps": "[600.0]",
    "maximum_interval": 36500,
    "enable_fuzzing": 1,
}
BAD_PARAMS = [
    ("learning_steps", "garbage"),
    ("maximum_interval", "abc"),
    ("desired_retention", float("nan")),
    ("maximum_interval", 10**30),
]


def _records_with(base: dict, key: str, value: object) -> list[dict]:
    bad = {**base, key: value}
    records = [LEARNER, DECK, CARD, REVIEW]
    return [bad if r is base else r for r in records]


@pytest.mark.parametrize(("base", "key", "value", "needle"), BAD_VALUES)
def test_f03_f07_bad_values_are_one_line_and_write_nothing(
    tmp_path: Path, base: dict, key: str, value: object, needle: str
) -> None:
    db = tmp_path / "p.db"
    studied_db(db, "bob", seed=2, days=1)
    before = table(db, "SELECT count(*) FROM reviews") + table(db, "SELECT * FROM learners")
    bad = progress_file(tmp_path / "bad.jsonl", *_records_with(base, key, value))
    r = cli("progress", "import", bad, "--db", db)
    one_line_error(r, f"{bad}:", needle)
    assert table(db, "SELECT count(*) FROM reviews") + table(db, "SELECT * FROM learners") == before
    assert cli("stats", "--db", db, "--learner", "bob").exit_code == 0  # still usable


@pytest.mark.parametrize(("key", "value"), BAD_PARAMS)
def test_f07_bad_scheduler_params_are_refused(tmp_path: Path, key: str, value: object) -> None:
    bad = progress_file(tmp_path / "bad.jsonl", LEARNER, {**PARAMS, key: value})
    with pytest.raises(ProgressFileError, match=f"{bad}:3: error: params record: {key}"):
        read_progress(bad)


def test_f07_imported_state_cannot_break_the_optimizer_csv(tmp_path: Path) -> None:
    good = progress_file(
        tmp_path / "good.jsonl",
        LEARNER,
        DECK,
        CARD,
        {**REVIEW, "state_before": json.dumps({"state": 2, "reps": 3})},
    )
    db = tmp_path / "p.db"
    assert cli("progress", "import", good, "--db", db).exit_code == 0
    r = cli(
        "progress", "optimizer-csv", "--db", db, "--learner", "ann@pc", "-o", tmp_path / "o.csv"
    )
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO((tmp_path / "o.csv").read_text())))
    assert rows[1][3] == "2"


# --------------------------------------------------------------------------- 4


def test_f04_a_nul_in_an_answer_is_not_stored_and_the_export_imports(tmp_path: Path) -> None:
    deck = load_deck(EXAMPLE)
    db = tmp_path / "a.db"
    with Store.open(db, clock=FixedClock(START)) as s:
        s.sync_deck(deck, EXAMPLE)
        s.record_review(
            review_id="r-nul",
            learner="ann",
            deck=deck.deck,
            card_id=deck.cards[0].id,
            rating=1,
            now=START,
            answer="Par\x00is",
            mode="practice",
        )
    assert [r.answer for r in log(db)] == ["Paris"]
    out = tmp_path / "a.jsonl"
    export_to(db, out)
    with Store.open(tmp_path / "b.db") as s:
        assert import_progress(s, read_progress(out)).reviews_added == 1


# --------------------------------------------------------------------------- 5


def test_f05_untrusted_names_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    studied_db(db, "bob", seed=3, days=1)
    evil = progress_file(tmp_path / "evil.jsonl", {**LEARNER, "name": ESC_NAME})
    r = cli("progress", "import", evil, "--db", db)
    assert "\x1b" not in r.output and "\x07" not in r.output
    assert "\\x1b" in r.stderr

    odd = tmp_path / "x\x1b[2J.jsonl"
    assert cli("progress", "export", "--db", db, "-o", odd).exit_code == 0
    r = cli("progress", "export", "--db", db, "-o", odd)  # refused: exists (named in the line)
    assert "\x1b" not in r.output and "\\x1b[2J" in r.stderr

    params = tmp_path / "p\x1b]0;T\x07.json"
    params.write_text("[" + ", ".join(["0.5"] * 21) + "]")
    r = cli("progress", "params", "--db", db, "--learner", ESC_NAME, "--set", params)
    assert "\x1b" not in r.output and "\x07" not in r.output

    with Store.open(db) as s:
        s.ensure_learner(ESC_NAME)
    r = cli("progress", "merge", db, "--into", tmp_path / "class.db")
    assert "\x1b" not in r.output and "\x07" not in r.output

    report = tmp_path / "r\x1b[31m.txt"
    report.write_text("The treaty was signed in 1990 by twelve member states of the union. " * 3)
    r = cli("generate", report, "-o", tmp_path / "out\x1b[5m.yaml")
    assert "\x1b" not in r.output


# --------------------------------------------------------------------------- 6


def test_f06_report_csv_neutralises_formulas(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    studied_db(db, '=HYPERLINK("http://x","y")', seed=4, days=2)
    with Store.open(db) as s:
        deck = load_deck(EXAMPLE)
        s.flag('=HYPERLINK("http://x","y")', deck.deck, deck.cards[0].id, "+cmd|' /C calc'!A0")
        s.ensure_learner("@SUM(1)")
        s.ensure_learner("-2+3")
        s.ensure_learner("\tx")
    r = cli("report", "--db", db, "--format", "csv")
    assert r.exit_code == 0, r.output
    cells = [c for row in csv.reader(io.StringIO(r.stdout)) for c in row]
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert risky == [], risky
    assert '\'=HYPERLINK("http://x","y")' in cells and "'@SUM(1)" in cells


# --------------------------------------------------------------------------- 8


def test_f08_no_tracebacks_from_loops_huge_numbers_far_clocks_or_deep_nesting(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    r = cli("check", a)
    assert (
        r.exit_code in (1, 2) and "Traceback" not in r.output and "internal error" not in r.output
    )
    assert "symbolic links" in r.output

    r = cli("study", EXAMPLE, "--plain", "--new", "9223372036854775808", "--db", tmp_path / "p.db")
    assert (
        r.exit_code == 2 and "internal error" not in r.output and "9223372036854775808" in r.output
    )

    db = studied_db(tmp_path / "s.db", "ann", seed=5, days=1)
    r = cli("stats", "--db", db, env={"QUIZ_NOW": "9999-12-31T23:59:59+00:00"})
    one_line_error(r, "QUIZ_NOW")

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000)
    r = cli("progress", "params", "--db", db, "--learner", "ann", "--set", deep)
    one_line_error(r, str(deep))


# --------------------------------------------------------------------------- 10


def test_f10_devices_fifos_and_huge_files_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    db = studied_db(tmp_path / "p.db", "ann", seed=6, days=1)
    cases = [
        ["generate", "/dev/zero", "-o", str(tmp_path / "z.yaml")],
        ["progress", "import", "/dev/zero", "--db", str(db)],
        ["generate", str(fifo), "-o", str(tmp_path / "f.yaml")],
        ["progress", "import", str(fifo), "--db", str(db)],
        ["progress", "params", "--db", str(db), "--learner", "ann", "--set", str(fifo)],
        ["stats", "--db", str(fifo)],
        ["progress", "merge", str(fifo), "--into", str(tmp_path / "c.db")],
    ]
    for args in cases:
        run = quiz_process(args)  # a hang is a timeout: the test fails, not the suite
        assert run.returncode not in (0, 70), (args, run.stderr)
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "error:" in lines[0], (args, run.stderr)
        assert "regular file" in lines[0] or "device" in lines[0] or "FIFO" in lines[0], lines[0]
    assert not (tmp_path / "c.db").exists()


def test_f10_a_report_over_the_cap_is_refused_with_the_limit(tmp_path: Path) -> None:
    from quiz.files import LIMITS

    big = tmp_path / "big.txt"
    big.write_text(
        "A sentence about the treaty of 1990 and its twelve states. " * (LIMITS["report"] // 50)
    )
    r = cli("generate", big, "-o", tmp_path / "big.yaml")
    one_line_error(r, "too large", "4 MiB")
    assert not (tmp_path / "big.yaml").exists()


# --------------------------------------------------------------------------- 11


def test_f11_import_refuses_a_deck_that_check_would_refuse(tmp_path: Path) -> None:
    from quiz.deck.loader import MAX_NODES

    rows = MAX_NODES // 8  # basic cards take about 9 values each
    src = tmp_path / "big.csv"
    src.write_text(
        "question,answer\n" + "".join(f"Question {i}?,Answer {i}\n" for i in range(rows))
    )
    out = tmp_path / "d.yaml"
    r = cli("import", src, "-o", out)
    one_line_error(r, "too large", f"{MAX_NODES:,}")
    assert not out.exists()


# --------------------------------------------------------------------------- 12


def test_f12_daily_backups_are_kept_by_when_they_were_made(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("QUIZ_BACKUPS", raising=False)
    db = tmp_path / "p.db"
    studied_db(db, "ann", seed=7, days=1)
    future = datetime(2099, 1, 1, 12, tzinfo=UTC)
    for day in range(7):  # the clock was wrong for a week
        Store.open(db, clock=FixedClock(future + timedelta(days=day))).close()
    made = sorted(tmp_path.glob("p.db.daily-2099-*"))
    assert len(made) == 7
    for i, p in enumerate(made):  # made in this order, a while ago
        os.utime(p, (1_700_000_000 + i, 1_700_000_000 + i))
    right = datetime(2026, 11, 1, 12, tzinfo=UTC)
    Store.open(db, clock=FixedClock(right)).close()
    assert (tmp_path / "p.db.daily-2026-11-01").exists()  # made and kept
    assert len(list(tmp_path.glob("p.db.daily-*"))) == 7


# --------------------------------------------------------------------------- 13


def test_f13_imported_offsets_are_stored_in_utc_and_counted(tmp_path: Path) -> None:
    f = progress_file(
        tmp_path / "tz.jsonl",
        LEARNER,
        DECK,
        CARD,
        {**REVIEW, "reviewed_at": "2026-03-02T23:30:00.000-05:00"},
    )
    db = tmp_path / "p.db"
    assert cli("progress", "import", f, "--db", db).exit_code == 0
    assert [r.reviewed_at for r in log(db)] == ["2026-03-03T04:30:00.000+00:00"]
    r = cli(
        "stats",
        "--db",
        db,
        "--learner",
        "ann@pc",
        "--json",
        env={"QUIZ_NOW": "2026-03-04T12:00:00+00:00"},
    )
    data = json.loads(r.stdout)
    assert data["total_reviews"] == 1
    assert sum(d["reviews"] for d in data["activity"]) == 1


# --------------------------------------------------------------------------- 14


def test_f14_a_database_deleted_during_a_session_is_detected_at_the_next_answer(
    tmp_path: Path,
) -> None:
    deck = load_deck(EXAMPLE)
    db = tmp_path / "p.db"
    store = Store.open(db, clock=FixedClock(START))
    try:
        store.sync_deck(deck, EXAMPLE)
        store.record_review(
            review_id="r1",
            learner="ann",
            deck=deck.deck,
            card_id=deck.cards[0].id,
            rating=3,
            now=START,
        )
        for side in ("", "-wal", "-shm"):
            Path(f"{db}{side}").unlink(missing_ok=True)
        with pytest.raises(StoreError, match="deleted or replaced"):
            store.record_review(
                review_id="r2",
                learner="ann",
                deck=deck.deck,
                card_id=deck.cards[1].id,
                rating=3,
                now=START,
            )
    finally:
        store.close()


# --------------------------------------------------------------------------- 15


def test_f15_read_only_commands_work_on_a_read_only_database(tmp_path: Path, monkeypatch) -> None:
    db = studied_db(tmp_path / "p.db", "ann", seed=8, days=3)
    real_access = os.access

    def no_write(path, mode, *a, **kw):  # the tests run as root: deny writes as a user would see
        if mode & os.W_OK and Path(path).resolve() in (db.resolve(), tmp_path.resolve()):
            return False
        return real_access(path, mode, *a, **kw)

    monkeypatch.setattr(os, "access", no_write)
    before = db.read_bytes()
    for args in (
        ["stats", "--db", db, "--learner", "ann"],
        ["report", "--db", db],
        ["cards", "flagged", "--db", db],
        ["progress", "export", "--db", db, "-o", tmp_path / "out" / "e.jsonl"],
    ):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.output)
    assert db.read_bytes() == before
    r = cli("study", EXAMPLE, "--plain", "--db", db, "--learner", "ann")
    one_line_error(r, "not writable")
    with Store.open(db, readonly=True) as s, pytest.raises(sqlite3.OperationalError):
        s.db.execute("DELETE FROM reviews")


# --------------------------------------------------------------------------- 16


def test_f16_posix_tz_strings_work_and_bad_zones_are_errors(tmp_path: Path, monkeypatch) -> None:
    from quiz.study.studyday import StudyDay

    monkeypatch.setenv("QUIZ_TZ", "EST5EDT,M3.2.0/2,M11.1.0/2")
    sd = StudyDay(4)
    assert (
        sd.day_of(datetime(2026, 7, 2, 7, 30, tzinfo=UTC)).isoformat() == "2026-07-01"
    )  # 3:30 EDT
    assert (
        sd.day_of(datetime(2026, 7, 2, 8, 30, tzinfo=UTC)).isoformat() == "2026-07-02"
    )  # 4:30 EDT
    assert (
        sd.day_of(datetime(2026, 1, 2, 8, 30, tzinfo=UTC)).isoformat() == "2026-01-01"
    )  # 3:30 EST

    paris = Path("/usr/share/zoneinfo/Europe/Paris")
    if paris.is_file():  # TZ=":/path/to/zonefile", as POSIX allows
        monkeypatch.setenv("QUIZ_TZ", f":{paris}")
        assert (
            StudyDay(0).day_of(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)).isoformat() == "2026-07-02"
        )

    db = studied_db(tmp_path / "p.db", "ann", seed=9, days=2)
    r = cli("stats", "--db", db, "--learner", "ann", env={"QUIZ_TZ": "Mars/Olympus"})
    one_line_error(r, "QUIZ_TZ", "Mars/Olympus")
    r = cli("stats", "--db", db, "--learner", "ann", env={"QUIZ_TZ": "", "TZ": "garbage,,"})
    one_line_error(r, "TZ=")


def test_f16_a_clock_set_back_still_counts_every_review(tmp_path: Path) -> None:
    db = studied_db(tmp_path / "p.db", "ann", seed=10, days=4)
    total = len(log(db, "ann"))
    back = (START - timedelta(days=9)).isoformat()
    r = cli("stats", "--db", db, "--learner", "ann", "--json", env={"QUIZ_NOW": back})
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["total_reviews"] == total > 0


# --------------------------------------------------------------------------- 17


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_f17_leftovers_of_killed_runs_are_cleaned_on_the_next_run(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv("QUIZ_BACKUPS", raising=False)
    db = studied_db(tmp_path / "p.db", "ann", seed=11, days=1)
    dead = _dead_pid()
    export_temp = tmp_path / f".e.jsonl.quiz-tmp-{dead}-abc123"
    export_temp.write_bytes(b"x" * 2_000_000)
    journal = tmp_path / f"p.db.daily-2026-10-02.{dead}.tmp-journal"
    journal.write_bytes(b"j")
    live = tmp_path / f".e.jsonl.quiz-tmp-{os.getpid()}-zzz"  # a write in progress: kept
    live.write_text("busy")
    assert cli("progress", "export", "--db", db, "-o", tmp_path / "e.jsonl").exit_code == 0
    assert not export_temp.exists() and live.exists()
    Store.open(db, clock=FixedClock(START + timedelta(days=40))).close()
    assert not journal.exists()


def test_f17_a_failed_merge_leaves_no_class_database(tmp_path: Path) -> None:
    good = studied_db(tmp_path / "good.db", "ann", seed=12, days=1)
    bad = tmp_path / "bad.db"
    bad.write_text("not a database\n")
    cls = tmp_path / "class.db"
    r = cli("progress", "merge", good, bad, "--into", cls)
    one_line_error(r, "bad.db")
    assert not cls.exists()


def test_f17_check_reports_fifos_and_symlink_loops_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "good.yaml")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "loop.yaml").symlink_to(folder / "loop2.yaml")
    (folder / "loop2.yaml").symlink_to(folder / "loop.yaml")
    run = quiz_process(["check", str(folder)])
    assert run.returncode == 2
    assert "pipe.yaml: error: skipped: a FIFO" in run.stderr
    assert "loop.yaml: error: skipped: a symbolic link loop" in run.stderr


def test_f15_a_read_only_command_on_an_older_database_upgrades_it_first(tmp_path: Path) -> None:
    """Opening read-only must not turn 'quiz stats' after an upgrade of quiz into an error."""
    from sqlite_utils import Database

    from quiz.store.schema import SCHEMA_VERSION, migrations

    db = tmp_path / "old.db"
    old = Database(db)
    migrations.apply(old, stop_before="m004_review_buckets")
    old.execute("PRAGMA user_version = 3")
    old.execute(
        "INSERT INTO learners (name, created_at) VALUES ('ann', '2026-01-01T00:00:00.000+00:00')"
    )
    old.conn.close()
    r = cli("stats", "--db", db, "--learner", "ann")
    assert r.exit_code == 0, r.output
    assert table(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert len(list(tmp_path.glob("old.db.bak-3-*"))) == 1


def test_f07_optimizer_csv_survives_bad_rows_already_stored(tmp_path: Path) -> None:
    """A database that took such a row before this fix: the CSV is still written."""
    db = studied_db(tmp_path / "p.db", "ann", seed=13, days=2)
    conn = sqlite3.connect(db)
    conn.execute('UPDATE reviews SET state_before = \'{"state": "x"}\' WHERE rowid = 1')
    conn.execute("UPDATE reviews SET duration_ms = 'slow' WHERE rowid = 2")
    conn.commit()
    conn.close()
    out = tmp_path / "o.csv"
    r = cli("progress", "optimizer-csv", "--db", db, "--learner", "ann", "-o", out)
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO(out.read_text())))[1:]
    assert rows and all(row[3] in "0123" and row[4].isdigit() for row in rows)


def test_f01_report_writes_files_through_the_same_helper(tmp_path: Path) -> None:
    db = studied_db(tmp_path / "p.db", "=cmd", seed=14, days=2)
    out = tmp_path / "class.csv"
    assert cli("report", "--db", db, "--format", "csv", "-o", out).exit_code == 0
    assert "'=cmd" in out.read_text()
    r = cli("report", "--db", db, "--format", "csv", "-o", out)
    one_line_error(r, "exists already", "--force")
    assert cli("report", "--db", db, "--format", "json", "-o", out, "--force").exit_code == 0
    assert json.loads(out.read_text())["learners"][0]["learner"] == "=cmd"  # JSON keeps the data
    one_line_error(cli("report", "--db", db, "--format", "csv", "-o", db, "--force"), "input file")
