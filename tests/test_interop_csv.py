"""Anki text export (csv): header lines, quoting, what Anki and spreadsheets read, round trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import genanki
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.deck.loader import load_deck
from quiz.deck.model import Deck
from quiz.interop.anki_csv import ANKI_COLUMNS, QUIZ_COLUMNS, export_csv
from quiz.interop.delimited import format_record, read_records
from quiz.interop.importer import import_file

FIXTURES = Path(__file__).parent / "fixtures" / "anki"


@pytest.fixture
def deck() -> Deck:
    return load_deck(FIXTURES / "sample-deck.yaml")


def exported(deck: Deck, tmp_path: Path) -> tuple[Path, str]:
    out = tmp_path / "deck.txt"
    export_csv(deck, out)
    return out, out.read_text(encoding="utf-8")


def header_and_rows(text: str) -> tuple[dict[str, str], list[list[str]]]:
    """Split like a spreadsheet would after dropping Anki's '#' lines (stdlib csv)."""
    lines = text.split("\n")
    meta = {}
    while lines and lines[0].startswith("#"):
        key, _, value = lines.pop(0)[1:].partition(":")
        meta[key] = value
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter="\t"))
    return meta, [r for r in rows if r]


def test_header_lines_name_anki_columns(deck, tmp_path):
    _, text = exported(deck, tmp_path)
    meta, rows = header_and_rows(text)
    assert text.startswith("#separator:tab\n#html:false\n")
    labels = meta["columns"].split("\t")
    assert labels == [*ANKI_COLUMNS, *QUIZ_COLUMNS]
    for name in ("guid", "notetype", "deck", "tags"):
        assert labels[int(meta[f"{name} column"]) - 1] == name
    assert all(len(r) == len(labels) for r in rows)


def test_one_row_per_card_with_guid_from_card_id(deck, tmp_path):
    _, text = exported(deck, tmp_path)
    meta, rows = header_and_rows(text)
    labels = meta["columns"].split("\t")
    by_id = {r[labels.index("id")]: dict(zip(labels, r, strict=True)) for r in rows}
    assert list(by_id) == [c.id for c in deck.cards]
    for card_id, row in by_id.items():
        assert row["guid"] == genanki.guid_for(deck.deck, card_id)
        assert row["deck"] == deck.title
    assert by_id["power-of-siberia"]["notetype"] == "Cloze"
    assert by_id["power-of-siberia"]["Front"] == (
        "The new {{c1::Power of Siberia::pipeline}} gas pipeline will increase their "
        "{{c2::energy}} interdependence."
    )
    assert by_id["trade-partner"]["notetype"] == "Basic"
    assert by_id["trade-partner"]["Front"].endswith("A. Germany\nB. China\nC. India [bold]")
    assert by_id["trade-partner"]["Back"] == "B. China"
    assert (
        by_id["crimea-2014"]["tags"] == "russia great-powers section::Executive-summary kind::fact"
    )
    assert by_id["old-card"]["tags"].split()[-1] == "retired"


def test_fields_with_tabs_quotes_and_newlines_are_quoted(deck, tmp_path):
    _, text = exported(deck, tmp_path)
    assert '"What role has Russia accepted?\tA tab,\na newline and ""quotes"""' in text
    _, rows = header_and_rows(text)
    fronts = [r[3] for r in rows]
    assert 'What role has Russia accepted?\tA tab,\na newline and "quotes"' in fronts


def test_fields_starting_with_hash_are_quoted_so_anki_does_not_skip_them():
    assert format_record(["#1 fact", "x"], "\t") == '"#1 fact"\tx'
    records = list(read_records('"#1 fact"\tx\n#comment\ty\n', "\t"))
    assert [r.fields for r in records] == [["#1 fact", "x"]]


def test_anki_reads_front_and_back_from_non_meta_columns(deck, tmp_path):
    """Anki's notetype-column mode: fields are the columns not named in the header lines."""
    _, text = exported(deck, tmp_path)
    meta, rows = header_and_rows(text)
    meta_cols = {int(meta[f"{n} column"]) for n in ("guid", "notetype", "deck", "tags")}
    for row in rows:
        fields = [v for i, v in enumerate(row, start=1) if i not in meta_cols]
        assert fields[0] and (fields[1] or row[1] == "Cloze")


def test_yaml_csv_yaml_keeps_every_card_and_id(deck, tmp_path):
    out, _ = exported(deck, tmp_path)
    back, report = import_file(out)
    assert report.problems == []
    assert back.deck == deck.deck
    assert back.title == deck.title
    assert [c.model_dump() for c in back.cards] == [c.model_dump() for c in deck.cards]


def test_reimporting_own_export_into_the_deck_changes_nothing(deck, tmp_path):
    out, _ = exported(deck, tmp_path)
    deck_file = tmp_path / "deck.yaml"
    deck_file.write_text((FIXTURES / "sample-deck.yaml").read_text(encoding="utf-8"))
    back, report = import_file(out, existing=deck_file)
    assert report.added == [] and report.updated == []
    assert sorted(report.unchanged) == sorted(c.id for c in deck.cards)
    assert [c.model_dump() for c in back.cards] == [c.model_dump() for c in deck.cards]


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    min_size=1,
    max_size=30,
).filter(lambda s: "{{" not in s and "}}" not in s)


@settings(max_examples=60, deadline=None)
@given(question=_text, answer=_text, explanation=_text)
def test_any_text_survives_the_round_trip(tmp_path_factory, question, answer, explanation):
    deck = Deck.model_validate(
        {
            "deck": "prop",
            "title": "Prop",
            "cards": [
                {
                    "id": "c1",
                    "type": "basic",
                    "question": question,
                    "answer": answer,
                    "explanation": explanation,
                },
            ],
        }
    )
    out = tmp_path_factory.mktemp("rt") / "d.txt"
    export_csv(deck, out)
    back, report = import_file(out)
    assert report.problems == []
    assert back.cards[0].model_dump() == deck.cards[0].model_dump()


_cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(_cell, min_size=2, max_size=5), min_size=1, max_size=5))
def test_any_cells_survive_format_then_read(rows):
    for delimiter in ("\t", ","):
        text = "\n".join(format_record(r, delimiter) for r in rows) + "\n"
        assert [r.fields for r in read_records(text, delimiter)] == rows


BUNDLED = sorted((Path(__file__).parent.parent / "decks").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_decks_round_trip_through_csv(path, tmp_path):
    deck = load_deck(path)
    out = tmp_path / "deck.txt"
    export_csv(deck, out)
    back, report = import_file(out)
    assert report.problems == []
    assert back.deck == deck.deck
    assert [c.model_dump() for c in back.cards] == [c.model_dump() for c in deck.cards]
