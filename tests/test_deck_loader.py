"""Loading valid decks: every card type, YAML conveniences, positions, the Deck's path."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.deck.loader import load_deck, read_deck
from quiz.deck.model import ClozeCard, McqCard, NumericCard
from quiz.deck.writer import write_deck
from quiz.errors import DeckError

EXAMPLE = Path(__file__).parent.parent / "decks" / "example-geography.yaml"

HEADER = "deck: t\ntitle: Test deck\ncards:\n"


def write(tmp_path: Path, text: str, name: str = "d.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_example_deck_loads_every_type() -> None:
    deck = load_deck(EXAMPLE)
    assert deck.deck == "example-geography"
    assert deck.path == EXAMPLE
    assert {c.type for c in deck.cards} == {
        "basic",
        "short",
        "cloze",
        "numeric",
        "mcq",
        "truefalse",
    }
    assert len({c.id for c in deck.cards}) == len(deck.cards)
    cloze = deck.card("geo-nile-longest")
    assert isinstance(cloze, ClozeCard)
    assert cloze.gaps[1].accepted == ["Amazon", "Amazon River"]
    numeric = deck.card("geo-challenger-depth")
    assert isinstance(numeric, NumericCard) and numeric.tolerance_abs == pytest.approx(545)


def test_round_trip_through_writer(tmp_path: Path) -> None:
    deck = load_deck(EXAMPLE)
    out = tmp_path / "copy.yaml"
    write_deck(deck, out)
    again = load_deck(out)
    assert again.model_dump() == deck.model_dump()
    assert again.path == out


def test_dates_numbers_and_merge_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "deck: t\ntitle: T\nsource:\n  title: S\n  published: 2020-02-01\ncards:\n"
        "  - &base {id: a, type: short, question: Year?, answer: 2014, tags: [x]}\n"
        "  - <<: *base\n    id: b\n    question: Again?\n"
        "  - {id: c, type: numeric, question: N?, answer: 1e3, tolerance: 5%}\n",
    )
    deck = load_deck(path)
    assert deck.source is not None and deck.source.published == "2020-02-01"
    a, b, c = deck.cards
    assert a.answer == "2014" and b.answer == "2014" and b.tags == ["x"]
    assert b.question == "Again?"
    assert isinstance(c, NumericCard) and c.answer == 1000


def test_empty_cards_is_a_valid_deck(tmp_path: Path) -> None:
    assert load_deck(write(tmp_path, "deck: t\ntitle: T\ncards:\n")).cards == []


def test_bom_and_crlf_accepted(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(b"\xef\xbb\xbfdeck: t\r\ntitle: T\r\ncards: []\r\n")
    assert load_deck(path).title == "T"


def test_read_deck_collects_every_error_with_positions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "  - {id: a, type: basic, question: Q, answer: A}\n"  # line 4
        + "  - id: b\n    type: mcq\n    question: Q\n    choices: [x, y, z]\n    answer: w\n"
        + "  - id: c\n    type: basic\n    question: Q3\n    answr: A\n",  # typo at line 13
    )
    result = read_deck(path)
    assert result.deck is None
    found = [(p.line, p.col, p.card_id, p.message) for p in result.errors]
    assert found == [
        (9, 13, "b", "answer 'w' is not one of the choices"),
        (13, 5, "c", "unknown field 'answr' (did you mean 'answer'?)"),
    ]
    assert [i for i, _ in result.cards] == [0]  # the valid card is still there for checks
    assert result.card_position(1) == (5, 5)
    assert result.card_position(1, "choices", 2) == (8, 21)


def test_load_deck_raises_first_error_formatted(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "  - id: a\n    type: cloze\n    text: No gap.\n")
    with pytest.raises(DeckError) as info:
        load_deck(path)
    err = info.value
    assert (err.line, err.col, err.card_id) == (6, 11, "a")
    assert str(err) == f"{path}:6:11: error: 'text': cloze text has no {{{{gap}}}} [a]"
    assert err.exit_code != 0


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ("{id: a, type: truefalse, statement: S, answer: yes please}", "must be true or false"),
        (
            "{id: a, type: mcq, question: Q, choices: [a, b, c, d, e, f, g], answer: a}",
            "3 to 6 choices, found 7",
        ),
        (
            "{id: a, type: basic, question: Q, answer: A, retired: maybe}",
            "'retired' must be true or false",
        ),
        ("{id: a, type: basic, question: Q, answer: A, source: {line: 0}}", "'source.line'"),
        (
            "{id: a, type: basic, question: Q, answer: A, source: not-a-map}",
            "'source' must be a mapping",
        ),
        ("{id: a, type: short, question: Q, answer: A, accept: [' ']}", "'accept' is empty"),
        ("{id: a, type: basic, question: Q, answer: [A]}", "'answer' must be text, not a list"),
        ("{type: basic, question: Q, answer: A}", "missing field 'id'"),
        ("{id: a, type: numeric, question: Q, answer: 3, tolerance: -1}", "must not be negative"),
    ],
)
def test_field_errors(tmp_path: Path, card: str, message: str) -> None:
    result = read_deck(write(tmp_path, HEADER + f"  - {card}\n"))
    assert len(result.errors) == 1
    assert message in result.errors[0].message
    assert result.errors[0].line == 4


def test_hostile_text_is_reported_escaped(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + '  - {id: a, type: basic, "\\e[31mq": Q, question: Q, answer: A}\n'
    )
    message = read_deck(path).errors[0].format()
    assert "\x1b" not in message and "\\x1b[31mq" in message


def test_large_deck_loads(tmp_path: Path) -> None:
    deck = load_deck(EXAMPLE)
    cards = [c.model_copy(update={"id": f"{c.id}-{i}"}) for i in range(50) for c in deck.cards]
    big = deck.model_copy(update={"cards": cards})
    out = tmp_path / "big.yaml"
    write_deck(big, out)
    loaded = load_deck(out)
    assert len(loaded.cards) == 600
    assert isinstance(loaded.card("geo-africa-rank-49"), McqCard)
