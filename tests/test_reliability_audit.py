"""Issue 7, point by point, through the real command line.

Progress databases that are newer, older, damaged, foreign or unwritable;
decks that change under progress (edited, removed, restored, renamed, two
files with one deck id); hostile text shown literally by every command; a
learner named like an SQL injection treated like any other name.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from quiz.cli import main
from quiz.store.schema import SCHEMA_VERSION, migrations

NOW = "2026-03-02T12:00:00+00:00"
ENV = {"QUIZ_NOW": NOW, "QUIZ_TZ": "UTC", "COLUMNS": "160"}
BOBBY = "Robert'); DROP TABLE reviews;--"

SIMPLE_DECK = """\
deck: simple
title: Simple
cards:
  - {id: a, type: basic, question: Question A, answer: Answer A}
  - {id: b, type: basic, question: Question B, answer: Answer B}
  - {id: c, type: truefalse, statement: Statement C, answer: true}
"""


def quiz(
    args: list[str],
    stdin: str = "",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m quiz ARGS`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **ENV, **(env or {})},
    )


def invoke(args: list[str], stdin: str = "") -> tuple[int, str, str]:
    """The CLI in-process: exit code, stdout, stderr."""
    r = CliRunner().invoke(main, args, input=stdin, env=ENV, catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def one_error_line(code: int, err: str, *needles: str) -> str:
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def studied_db(
    tmp_path: Path, deck: Path, learner: str = "ann", answers: str = "\n3\n" * 3
) -> Path:
    db = tmp_path / "progress.db"
    run = quiz(
        ["study", str(deck), "--plain", "--db", str(db), "--learner", learner, "--new", "50"],
        answers,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


@pytest.fixture
def simple_deck(tmp_path: Path) -> Path:
    path = tmp_path / "simple.yaml"
    path.write_text(SIMPLE_DECK, encoding="utf-8")
    return path


# --- progress databases ----------------------------------------------------------


def _newer(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _future_migration(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('quiz', 'm099_from_the_future', 'x')"
    )
    conn.commit()
    conn.close()


def _garble_table(db: Path, table: str = "reviews") -> None:
    conn = sqlite3.connect(db)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.close()
    with db.open("r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\x0d\xff\xff\xee" * (size // 4))


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def _text(db: Path) -> None:
    db.write_text("my shopping list\neggs\n" * 50)


def _foreign(db: Path) -> None:
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('cat.jpg')")
    conn.commit()
    conn.close()


REFUSED = {
    "newer schema version": (_newer, "newer version of quiz"),
    "unknown migration": (_future_migration, "m099_from_the_future"),
    "damaged table": (_garble_table, "damaged"),
    "truncated file": (_truncate, "damaged"),
    "text file": (_text, "not an SQLite file"),
    "another program's SQLite file": (_foreign, "not a quiz progress database"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_unusable_database_is_refused_in_one_line_and_left_untouched(
    tmp_path: Path, simple_deck: Path, case: str
) -> None:
    db = studied_db(tmp_path, simple_deck)
    make, needle = REFUSED[case]
    make(db)
    for backup in tmp_path.glob("progress.db.daily-*"):
        backup.unlink()  # the next open is the first of its day: the case that writes most
    before = files_in(tmp_path)
    run = quiz(["study", str(simple_deck), "--plain", "--db", str(db), "--learner", "ann"], "\n3\n")
    one_error_line(run.returncode, run.stderr, str(db), needle)
    assert run.stdout == ""
    code, _out, err = invoke(["stats", "--db", str(db), "--learner", "ann"])
    one_error_line(code, err, str(db))
    assert files_in(tmp_path) == before  # byte-identical; no backup of a bad file kept


def test_older_database_is_copied_then_upgraded_by_the_cli(
    tmp_path: Path, simple_deck: Path
) -> None:
    db = tmp_path / "progress.db"
    old = Database(db)
    migrations.apply(old, stop_before="m002_engine")
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO learners (name, created_at) VALUES ('ann', '2026-01-01T00:00:00.000+00:00')"
    )
    old.conn.close()
    run = quiz(["study", str(simple_deck), "--plain", "--db", str(db), "--learner", "ann"], "\n3\n")
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert "recorded: a rating 3" in run.stdout
    copies = list(tmp_path.glob("progress.db.bak-1-*"))
    assert len(copies) == 1
    conn = sqlite3.connect(copies[0])
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    assert conn.execute("SELECT name FROM learners").fetchall() == [("ann",)]
    conn.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
    conn.close()


def test_unwritable_locations_are_one_clear_line(tmp_path: Path, simple_deck: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    run = quiz(["study", str(simple_deck), "--plain", "--db", str(blocker / "sub" / "p.db")], "")
    one_error_line(run.returncode, run.stderr, "cannot create the directory")
    run = quiz(["study", str(simple_deck), "--plain", "--db", str(tmp_path)], "")
    one_error_line(run.returncode, run.stderr, "is a directory")
    if os.geteuid() == 0:
        return  # root writes anywhere; the permission cases below need an ordinary user
    ro = tmp_path / "read-only"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        run = quiz(["study", str(simple_deck), "--plain", "--db", str(ro / "p.db")], "")
        one_error_line(run.returncode, run.stderr, "not writable")
    finally:
        ro.chmod(0o755)


# --- decks that change under progress ---------------------------------------------


def card_state(db: Path, card: str, learner: str = "ann") -> tuple:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT state, stability, difficulty, due, reps, lapses FROM card_states "
            "WHERE learner = ? AND deck = 'simple' AND card_id = ?",
            [learner, card],
        ).fetchone()
    finally:
        conn.close()


def shown_cards(stdout: str) -> list[str]:
    return [
        line.split("[", 1)[1].split("]", 1)[0]
        for line in stdout.splitlines()
        if line.startswith("--- card ")
    ]


def test_edit_remove_restore_rename_keep_progress(tmp_path: Path, simple_deck: Path) -> None:
    db = studied_db(tmp_path, simple_deck, answers="\n4\n\n4\nt\n4\n")  # all three: Easy
    before = {c: card_state(db, c) for c in "abc"}
    assert all(s[4] == 1 for s in before.values())
    study = [
        "study",
        str(simple_deck),
        "--plain",
        "--db",
        str(db),
        "--learner",
        "ann",
        "--practice",
    ]

    # Edited text, same id: same progress.
    simple_deck.write_text(
        SIMPLE_DECK.replace("Question A", "Question A (reworded)"), encoding="utf-8"
    )
    run = quiz(study, "q\n")
    assert run.returncode == 0, run.stderr
    assert card_state(db, "a") == before["a"]

    # Removed: history kept, never shown again.
    simple_deck.write_text(
        SIMPLE_DECK.replace(
            "  - {id: b, type: basic, question: Question B, answer: Answer B}\n", ""
        ),
        encoding="utf-8",
    )
    run = quiz(study, "\n3\n" * 5)
    assert run.returncode == 0, run.stderr
    assert "b" not in shown_cards(run.stdout) and shown_cards(run.stdout)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM reviews WHERE card_id = 'b'").fetchone()[0] >= 1
    assert conn.execute("SELECT retired FROM cards WHERE card_id = 'b'").fetchone() == (1,)
    conn.close()

    # Restored: its progress is back.
    simple_deck.write_text(SIMPLE_DECK, encoding="utf-8")
    assert quiz(study, "q\n").returncode == 0
    assert card_state(db, "b") == before["b"]

    # Renamed with previous_ids: the new id carries the old one's progress and history.
    simple_deck.write_text(
        SIMPLE_DECK.replace(
            "{id: c, type: truefalse,", "{id: c-renamed, previous_ids: [c], type: truefalse,"
        ),
        encoding="utf-8",
    )
    assert quiz(study, "q\n").returncode == 0
    assert card_state(db, "c-renamed") == before["c"]
    code, out, _ = invoke(["stats", "--db", str(db), "--learner", "ann", "--json"])
    assert code == 0 and json.loads(out)["total_reviews"] >= 3


def test_two_files_with_one_deck_id_is_a_clear_error(tmp_path: Path, simple_deck: Path) -> None:
    db = studied_db(tmp_path, simple_deck)
    other = tmp_path / "other" / "simple-copy.yaml"
    other.parent.mkdir()
    other.write_text(
        SIMPLE_DECK.replace("Question A", "A different deck's question").replace(
            "id: a,", "id: z,"
        ),
        encoding="utf-8",
    )
    run = quiz(["study", str(other), "--plain", "--db", str(db), "--learner", "ann"], "\n3\n")
    one_error_line(
        run.returncode,
        run.stderr,
        str(other),
        "deck id 'simple' is already used by",
        str(simple_deck),
    )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT card_id FROM cards WHERE retired = 1").fetchall() == []
    assert conn.execute("SELECT count(*) FROM cards WHERE card_id = 'z'").fetchone() == (0,)
    conn.close()
    run = quiz(["check", str(simple_deck), str(other)])
    assert run.returncode == 1 and "deck id 'simple' is also used by" in run.stdout
    # A deck file that moved is the same deck: no error.
    moved = tmp_path / "moved.yaml"
    simple_deck.rename(moved)
    run = quiz(["study", str(moved), "--plain", "--db", str(db), "--learner", "ann"], "q\n")
    assert run.returncode == 0, run.stderr


# --- hostile text and names ---------------------------------------------------------

HOSTILE_DECK = r"""
deck: hostile
title: "Title [bold]bold[/] [/] $title \e[5mblink\e[0m"
cards:
  - id: h1
    type: basic
    section: "Section [/] \e]0;pwned\a \u202eevil"
    question: "Question [red]red[/red] [/] $var \e[2J\e[H clear \x9b31m csi"
    answer: "Answer [/] \e[31mred\e[0m \b\b back"
    explanation: "Why [link=file:///etc/passwd]link[/link] \r carriage"
  - id: h2
    type: short
    question: "Short [bold]q[/bold] \x07 bell"
    answer: "[/]"
  - id: h3
    type: mcq
    question: "Pick [/]"
    choices: ["[/]", "\e[1mbold\e[0m", "$var"]
    answer: "[/]"
"""

HOSTILE_LEARNER = "[bold]eve[/] $USER"


def assert_inert(text: str) -> None:
    """Nothing in ``text`` can act on a terminal: no control or format characters."""
    for ch in text:
        if ch in "\n\t":
            continue
        assert unicodedata.category(ch) not in ("Cc", "Cf"), f"{ch!r} reached the output"


def test_hostile_text_is_shown_literally_by_every_command(tmp_path: Path) -> None:
    deck = tmp_path / "hostile.yaml"
    deck.write_text(HOSTILE_DECK, encoding="utf-8")
    db = tmp_path / "progress.db"

    run = quiz(["check", str(deck)])
    assert "Traceback" not in run.stderr
    assert_inert(run.stdout + run.stderr)

    run = quiz(
        [
            "study",
            str(deck),
            "--plain",
            "--db",
            str(db),
            "--learner",
            HOSTILE_LEARNER,
            "--seed",
            "1",
        ],
        "\n1\n[/]\n1\n1\n1\nq\n",
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert_inert(run.stdout)
    for shown in (
        "Question [red]red[/red] [/] $var \\x1b[2J\\x1b[H clear \\x9b31m csi",
        "Answer [/] \\x1b[31mred\\x1b[0m \\x08\\x08 back",
        "Short [bold]q[/bold] \\x07 bell",
        "\\u202eevil",
        "[link=file:///etc/passwd]link[/link] \\x0d carriage",
    ):
        assert shown in run.stdout, shown
    assert run.stdout.count("recorded: ") == 3

    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE card_states SET flagged = 1, flag_comment = ? WHERE card_id = 'h1'",
        ["comment \x1b[2J [bold]x[/] $HOME \u202e"],
    )
    conn.commit()
    conn.close()
    commands = [
        ["stats", "--db", str(db), "--learner", HOSTILE_LEARNER],
        ["stats", "--db", str(db), "--learner", HOSTILE_LEARNER, "--deck", "hostile"],
        ["report", "--db", str(db)],
        ["report", "--db", str(db), "--format", "csv"],
        ["cards", "flagged", "--db", str(db)],
        ["progress", "restore", "--db", str(db)],
        ["export", str(deck), "--format", "csv"],
    ]
    outputs = {}
    for args in commands:
        code, out, err = invoke(args)
        assert code == 0, (args, err)
        assert_inert(out + err)
        outputs[" ".join(args[:2])] = out
    assert HOSTILE_LEARNER in outputs["report --db"]
    assert "comment \\x1b[2J [bold]x[/] $HOME \\u202e" in outputs["cards flagged"]
    assert (
        "Section [/] \\x1b]0;pwned\\x07" in outputs["stats --db"] or "[/]" in outputs["stats --db"]
    )


def test_sql_injection_learner_is_just_a_name(tmp_path: Path, simple_deck: Path) -> None:
    db = studied_db(tmp_path, simple_deck, learner=BOBBY, answers="\n3\n\n1\nt\n3\n")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT learner, count(*) FROM reviews GROUP BY learner").fetchall() == [
        (BOBBY, 3)
    ]
    conn.close()
    code, out, err = invoke(["stats", "--db", str(db), "--learner", BOBBY, "--json"])
    assert code == 0, err
    assert json.loads(out)["learner"] == BOBBY and json.loads(out)["total_reviews"] == 3
    code, out, err = invoke(["report", "--db", str(db), "--format", "json"])
    assert code == 0 and BOBBY in out, err
    code, out, err = invoke(["cards", "suspended", "--db", str(db), "--learner", BOBBY])
    assert code == 0, err
    exported = tmp_path / "bobby.jsonl"
    code, out, err = invoke(
        ["progress", "export", "--db", str(db), "--learner", BOBBY, "-o", str(exported)]
    )
    assert code == 0 and "exported 3 reviews" in out, err
    other = tmp_path / "other.db"
    code, out, err = invoke(
        ["progress", "import", str(exported), "--db", str(other), "--as", BOBBY]
    )
    assert code == 0, err
    run = quiz(
        ["study", str(simple_deck), "--plain", "--db", str(other), "--learner", BOBBY], "q\n"
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    for path in (db, other):
        conn = sqlite3.connect(path)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"reviews", "learners", "card_states"} <= tables
        assert conn.execute(
            "SELECT count(*) FROM reviews WHERE learner = ?", [BOBBY]
        ).fetchone() == (3,)
        assert conn.execute("SELECT name FROM learners").fetchall() == [(BOBBY,)]
        conn.close()
