"""Plain mode driven through stdin in a real subprocess; ``quiz cards`` commands."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.store import Store

DECK = """\
deck: plain-test
title: "Plain [bold]test[/]"
cards:
  - id: b1
    type: basic
    question: "What is \\e[31mred\\e[0m [/] $HOME?"
    answer: "a [bold]colour[/]"
  - id: m1
    type: mcq
    question: Pick B
    choices: [A, B, C]
    answer: B
  - id: t1
    type: truefalse
    statement: Two is even
    answer: true
  - id: s1
    type: short
    question: Capital of France?
    answer: Paris
"""


def run_quiz(
    args: list[str], stdin: str, tmp_path: Path, now: str = "2026-03-02T12:00:00+00:00"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUIZ_NOW": now, "QUIZ_TZ": "UTC", "QUIZ_DB": str(tmp_path / "env.db")}
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    p = tmp_path / "deck.yaml"
    p.write_text(DECK, encoding="utf-8")
    return p


def reviews(db: Path) -> list[tuple]:
    with Store.open(db, readonly=True) as s:
        return [(r.learner, r.card_id, r.rating, r.mode) for r in s.reviews()]


def test_plain_session_through_stdin(tmp_path: Path, deck_file: Path) -> None:
    db = tmp_path / "p.db"
    learner = "Robert'); DROP TABLE reviews;--"
    # basic: Enter reveals, Enter = Good; mcq: a wrong choice then rating 2;
    # truefalse: t then 4; short: Paris, Enter; u (at the next card) undoes it;
    # Paris again, Enter; then end of input.
    script = "\n\n" + "9\nzz\nC\n2\n" + "t\n4\n" + "Paris\n\n" + "u\n" + "Paris\n\n"
    out = run_quiz(
        ["study", str(deck_file), "--plain", "--db", str(db), "--learner", learner, "--seed", "1"],
        script,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    text = out.stdout
    assert "\x1b" not in text
    assert "What is \\x1b[31mred\\x1b[0m [/] $HOME?" in text
    assert "answer: a [bold]colour[/]" in text
    assert "please type a number from 1 to 3" in text
    assert "wrong: you answered C" in text and "correct answer: B" in text
    assert "rate: 1 Again <1m  2 Hard 6m  3 Good 10m" in text
    acks = [line for line in text.splitlines() if "recorded:" in line]
    assert [a.split("recorded: ", 1)[1] for a in acks] == [
        "b1 rating 3",
        "m1 rating 2",
        "t1 rating 4",
        "s1 rating 3",
        "s1 rating 3",
    ]
    assert "undone: s1" in text
    assert reviews(db) == [
        (learner, "b1", 3, "study"),
        (learner, "m1", 2, "study"),
        (learner, "t1", 4, "study"),
        (learner, "s1", 3, "study"),
    ]
    assert "studied 4 cards" in text


def test_plain_quits_with_q_and_continues_next_time(tmp_path: Path, deck_file: Path) -> None:
    db = tmp_path / "p.db"
    out = run_quiz(
        ["study", str(deck_file), "--plain", "--db", str(db), "--learner", "ann"],
        "\n1\nq\n",
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert reviews(db) == [("ann", "b1", 1, "study")]
    out = run_quiz(
        ["study", str(deck_file), "--plain", "--db", str(db), "--learner", "ann", "--new", "1"],
        "",
        tmp_path,
    )
    assert out.returncode == 0
    assert "[b1] learning" in out.stdout  # learn-ahead: the only card left today


def test_plain_exam_scores_and_leaves_schedule_alone(tmp_path: Path) -> None:
    deck = tmp_path / "exam.yaml"
    cards = "\n".join(
        f"  - {{id: q{i}, type: short, question: 'Say yes {i}', answer: 'yes'}}" for i in range(6)
    )
    deck.write_text(f"deck: exam-test\ntitle: Exam\ncards:\n{cards}\n", encoding="utf-8")
    db = tmp_path / "p.db"
    out = run_quiz(
        [
            "study",
            str(deck),
            "--plain",
            "--db",
            str(db),
            "--exam",
            "4",
            "--seed",
            "9",
            "--learner",
            "ann",
        ],
        "yes\nyes\nno\nyes\n",
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "question 1 of 4" in out.stdout and "question 4 of 4" in out.stdout
    assert "rate:" not in out.stdout  # one attempt each, no rating to choose
    assert "exam score: 75%" in out.stdout
    with Store.open(db, readonly=True) as s:
        assert all(r["reps"] == 0 for r in s.card_states())
        log = s.reviews()
    assert (
        {r.mode for r in log} == {"exam"}
        and len(log) == 4
        and sum(r.correct or 0 for r in log) == 3
    )


def test_bad_deck_and_bad_db_give_one_line(tmp_path: Path, deck_file: Path) -> None:
    bad_db = tmp_path / "bad.db"
    bad_db.write_bytes(b"garbage" * 100)
    out = run_quiz(["study", str(deck_file), "--plain", "--db", str(bad_db)], "", tmp_path)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and str(bad_db) in out.stderr
    assert bad_db.read_bytes() == b"garbage" * 100
    out = run_quiz(["study", str(tmp_path / "missing.yaml"), "--plain"], "", tmp_path)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    out = run_quiz(["study", str(deck_file), "--plain", "--practice", "--exam", "3"], "", tmp_path)
    assert out.returncode == 2


def test_cards_lists_and_restore(tmp_path: Path, deck_file: Path) -> None:
    from datetime import UTC, datetime

    from quiz.deck.loader import load_deck
    from quiz.study.clock import FixedClock

    db = tmp_path / "p.db"
    with Store.open(db, clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC))) as s:
        s.sync_deck(load_deck(deck_file))
        s.suspend("ann", "plain-test", "m1")
        s.flag("bob", "plain-test", "b1", "\x1b[2J [red]wipe[/]")
        s.db.execute("UPDATE card_states SET leech = 1, lapses = 8 WHERE card_id = 'm1'")
    out = run_quiz(["cards", "suspended", "--db", str(db)], "", tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["plain-test\tm1\tlearner=ann\tlapses=8"]
    out = run_quiz(["cards", "flagged", "--db", str(db), "--learner", "bob"], "", tmp_path)
    assert "\x1b" not in out.stdout and "comment=\\x1b[2J [red]wipe[/]" in out.stdout
    out = run_quiz(["cards", "leeches", "--db", str(db), "--deck", "plain-test"], "", tmp_path)
    assert "m1" in out.stdout and "lapses=8" in out.stdout
    out = run_quiz(["cards", "restore", "plain-test", "m1", "--db", str(db)], "", tmp_path)
    assert out.returncode == 0 and "restored: plain-test m1 (learner ann)" in out.stdout
    out = run_quiz(["cards", "suspended", "--db", str(db)], "", tmp_path)
    assert out.stdout.strip() == "no suspended cards"
    out = run_quiz(["cards", "restore", "plain-test", "zz", "--db", str(db)], "", tmp_path)
    assert out.returncode == 1 and "no progress for card zz" in out.stderr


def test_database_damaged_inside_gives_one_line(tmp_path: Path, deck_file: Path) -> None:
    db = tmp_path / "p.db"
    out = run_quiz(
        ["study", str(deck_file), "--plain", "--db", str(db), "--learner", "ann"], "\n3\n", tmp_path
    )
    assert out.returncode == 0, out.stderr
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'card_states'").fetchone()[
        0
    ]
    conn.close()
    with db.open("r+b") as fh:  # garble the card_states table, keep the header and schema
        fh.seek((root - 1) * page_size)
        fh.write(b"\xde\xad\xbe\xef" * (page_size // 4))
    out = run_quiz(
        ["study", str(deck_file), "--plain", "--db", str(db), "--learner", "ann"], "\n3\n", tmp_path
    )
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and str(db) in lines[0] and "failed" in lines[0]


def test_undecodable_input_and_names(tmp_path: Path, deck_file: Path) -> None:
    db = tmp_path / "p.db"
    env = {**os.environ, "QUIZ_NOW": "2026-03-02T12:00:00+00:00", "QUIZ_TZ": "UTC"}
    args = [sys.executable, "-m", "quiz", "study", str(deck_file), "--plain", "--db", str(db)]
    # b1 (basic): Enter, Enter; m1: garbage bytes are no choice, then B, Enter;
    # t1: t, Enter; s1 (typed): garbage bytes are a (wrong) answer, Enter.
    out = subprocess.run(
        [*args, "--learner", "ann"],
        input=b"\n\n\xff\xfe\x00\nB\n\nt\n\n\xff\xfe\x00zz\n\n",
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert b"Traceback" not in out.stderr
    assert reviews(db) == [
        ("ann", "b1", 3, "study"),
        ("ann", "m1", 3, "study"),
        ("ann", "t1", 3, "study"),
        ("ann", "s1", 1, "study"),
    ]
    with Store.open(db, readonly=True) as s:
        assert [r.answer for r in s.reviews(card_id="s1")] == [
            "\ufffd\ufffdzz",  # no NUL stored: an export holding one would not import
        ]
    out = subprocess.run(
        [*args, "--learner", os.fsdecode(b"\xff\xfe")],
        input=b"",
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert out.returncode != 0 and b"Traceback" not in out.stderr
    assert b"learner name" in out.stderr
