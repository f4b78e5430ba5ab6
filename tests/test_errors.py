"""Errors are raised with their parts (message, where, line) and formatted in one place."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.deck.model import Deck
from quiz.errors import DeckError, QuizError, StoreError, error_line
from quiz.progress_io import ProgressFileError
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.study.session import StudySession


def test_the_line_is_made_from_the_parts() -> None:
    assert error_line("bad", "f.yaml", 3, 7) == "f.yaml:3:7: error: bad"
    assert error_line("bad", "f.yaml", None, 7) == "f.yaml: error: bad"  # a column needs a line
    assert error_line("bad", label=None, where="f.csv") == "f.csv: bad"
    e = StoreError("no such backup", where=Path("/x/p.db"))
    assert (e.detail, e.where, e.line, e.exit_code) == ("no such backup", "/x/p.db", None, 1)
    assert str(e) == e.message == "/x/p.db: error: no such backup"
    assert QuizError("choose 1 to 4", exit_code=2).message == "error: choose 1 to 4"
    assert (
        str(ProgressFileError("p.jsonl", 4, "not UTF-8 text")) == "p.jsonl:4: error: not UTF-8 text"
    )
    d = DeckError("d.yaml", "unknown key 'x'", 4, 2, "c1")
    assert d.message == "d.yaml:4:2: error: unknown key 'x' [c1]" and d.detail == "unknown key 'x'"


def test_a_line_formatted_by_older_code_is_kept_as_it_is() -> None:
    assert QuizError("error: gone").message == "error: gone"
    assert QuizError("p.db: error: gone", exit_code=3).message == "p.db: error: gone"
    assert QuizError("PATH: no cards found", label=None).message == "PATH: no cards found"


def test_the_store_raises_where_and_what_and_the_cli_prints_the_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path)  # a directory
    assert info.value.where == str(tmp_path)
    assert info.value.detail == "is a directory, not a progress database"
    r = CliRunner().invoke(main, ["stats", "--db", str(tmp_path)])
    assert r.exit_code == 1
    assert r.output == f"{tmp_path}: error: is a directory, not a progress database\n"


def test_the_session_raises_a_message_without_a_place(store: Store, clock: FixedClock) -> None:
    deck = Deck.model_validate(
        {
            "deck": "d",
            "title": "D",
            "cards": [
                {
                    "id": "m1",
                    "type": "mcq",
                    "question": "Pick B",
                    "choices": ["A", "B", "C"],
                    "answer": "B",
                },
            ],
        }
    )
    s = StudySession(store, deck, "ann", clock=clock)
    assert s.next_card() is not None
    with pytest.raises(QuizError) as info:
        s.rate(3)
    assert (info.value.where, info.value.detail) == (None, "answer the card before rating it")
    assert info.value.message == "error: answer the card before rating it"
