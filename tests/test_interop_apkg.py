"""Anki package export: read the collection inside the .apkg and check what Anki would see."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import genanki
import pytest

from quiz.deck.loader import load_deck
from quiz.deck.model import Deck
from quiz.interop.anki_notes import (
    ANKI_ID_MAX,
    ANKI_ID_MIN,
    anki_tags,
    cloze_from_anki,
    cloze_to_anki,
    deck_anki_id,
    model_anki_id,
    slug_tag,
)
from quiz.interop.apkg import export_apkg

FIXTURES = Path(__file__).parent / "fixtures" / "anki"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def deck() -> Deck:
    return load_deck(FIXTURES / "sample-deck.yaml")


def read_collection(apkg: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as archive:
        assert "collection.anki2" in archive.namelist()
        db = tmp_path / f"{apkg.stem}.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(db)


def notes_by_quiz_id(conn: sqlite3.Connection) -> dict[str, dict]:
    models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
    notes = {}
    for guid, mid, tags, flds in conn.execute("SELECT guid, mid, tags, flds FROM notes"):
        model = models[str(mid)]
        names = [f["name"] for f in model["flds"]]
        fields = dict(zip(names, flds.split("\x1f"), strict=True))
        notes[fields["Quiz ID"]] = {
            "guid": guid,
            "model": model,
            "fields": fields,
            "tags": tags.split(),
        }
    return notes


def test_package_holds_every_active_card_with_guids_from_card_ids(deck, tmp_path):
    out = tmp_path / "deck.apkg"
    export_apkg(deck, out, now=NOW)
    conn = read_collection(out, tmp_path)
    notes = notes_by_quiz_id(conn)
    active = [c.id for c in deck.active_cards]
    assert sorted(notes) == sorted(active)
    assert "old-card" not in notes  # retired cards stay out of Anki
    for card_id, note in notes.items():
        assert note["guid"] == genanki.guid_for(deck.deck, card_id)
    decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    anki_deck = decks[str(deck_anki_id(deck.deck))]
    assert anki_deck["name"] == deck.title
    assert "&lt;b&gt;markup&lt;/b&gt;" in anki_deck["desc"]
    # every note's cards land in that deck
    dids = {row[0] for row in conn.execute("SELECT DISTINCT did FROM cards")}
    assert dids == {deck_anki_id(deck.deck)}


def test_a_note_type_per_family_with_fixed_ids(deck, tmp_path):
    out = tmp_path / "deck.apkg"
    export_apkg(deck, out, now=NOW)
    notes = notes_by_quiz_id(read_collection(out, tmp_path))
    family_of = {
        "crimea-2014": "short",
        "arms-share": "short",
        "junior-partner": "basic",
        "power-of-siberia": "cloze",
        "trade-partner": "choice",
        "post-west": "choice",
        "trade-war": "choice",
    }
    for card_id, family in family_of.items():
        model = notes[card_id]["model"]
        assert int(model["id"]) == model_anki_id(deck.deck, family)
        assert ANKI_ID_MIN <= int(model["id"]) < ANKI_ID_MAX
        assert model["name"] == f"quiz {family} ({deck.deck})"
    short = notes["crimea-2014"]["model"]["tmpls"][0]
    assert "{{type:Back}}" in short["qfmt"]
    assert notes["power-of-siberia"]["model"]["type"] == 1  # cloze
    basic_back = notes["junior-partner"]["model"]["tmpls"][0]["afmt"]
    assert "{{Explanation}}" in basic_back and "{{Source}}" in basic_back


def test_fields_are_html_escaped_and_complete(deck, tmp_path):
    out = tmp_path / "deck.apkg"
    export_apkg(deck, out, now=NOW)
    notes = notes_by_quiz_id(read_collection(out, tmp_path))
    basic = notes["junior-partner"]["fields"]
    assert basic["Front"] == (
        "What role has Russia accepted?\tA tab,<br>a newline and &quot;quotes&quot;"
    )
    assert basic["Back"] == "A junior partner to China &lt;i&gt;not&lt;/i&gt; a threat"
    short = notes["crimea-2014"]["fields"]
    assert short["Back"] == "2014"
    assert short["Explanation"].startswith("Since the 2014 annexation")
    assert short["Source"].startswith("Since Russia’s 2014 seizure")
    cloze = notes["power-of-siberia"]["fields"]
    assert cloze["Text"] == (
        "The new {{c1::Power of Siberia::pipeline}} gas pipeline will increase their "
        "{{c2::energy}} interdependence."
    )
    mcq = notes["trade-partner"]["fields"]
    assert mcq["Options"] == "A. Germany<br>B. China<br>C. India [bold]"
    assert mcq["Answer"] == "B. China"
    false_card = notes["trade-war"]["fields"]
    assert false_card["Options"] == "A. True<br>B. False"
    assert false_card["Answer"] == "B. False"
    assert false_card["Explanation"] == "It pushed the two countries closer together."


def test_multi_gap_cloze_makes_one_anki_card_per_gap(deck, tmp_path):
    out = tmp_path / "deck.apkg"
    export_apkg(deck, out, now=NOW)
    conn = read_collection(out, tmp_path)
    guid = genanki.guid_for(deck.deck, "power-of-siberia")
    ords = [
        row[0]
        for row in conn.execute(
            "SELECT c.ord FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ? ORDER BY 1",
            (guid,),
        )
    ]
    assert ords == [0, 1]


def test_tags_come_from_tags_section_and_kind_without_spaces(deck, tmp_path):
    out = tmp_path / "deck.apkg"
    export_apkg(deck, out, now=NOW)
    notes = notes_by_quiz_id(read_collection(out, tmp_path))
    assert notes["crimea-2014"]["tags"] == [
        "russia",
        "great-powers",
        "section::Executive-summary",
        "kind::fact",
    ]
    assert "kind::argument" in notes["junior-partner"]["tags"]
    for note in notes.values():
        assert all(" " not in t and t for t in note["tags"])


def test_second_export_after_an_edit_keeps_every_guid_and_model(deck, tmp_path):
    first, second = tmp_path / "one.apkg", tmp_path / "two.apkg"
    export_apkg(deck, first, now=NOW)
    edited = deck.model_copy(deep=True)
    edited.cards[0] = edited.cards[0].model_copy(
        update={"question": "Which year saw Russia annex Crimea?"}
    )
    export_apkg(edited, second, now=datetime(2026, 3, 2, tzinfo=UTC))
    a = notes_by_quiz_id(read_collection(first, tmp_path))
    b = notes_by_quiz_id(read_collection(second, tmp_path))
    assert {k: v["guid"] for k, v in a.items()} == {k: v["guid"] for k, v in b.items()}
    assert {k: v["model"]["id"] for k, v in a.items()} == {
        k: v["model"]["id"] for k, v in b.items()
    }
    assert b["crimea-2014"]["fields"]["Front"] == "Which year saw Russia annex Crimea?"
    conn_a, conn_b = read_collection(first, tmp_path), read_collection(second, tmp_path)
    mod_a = conn_a.execute("SELECT max(mod) FROM notes").fetchone()[0]
    mod_b = conn_b.execute("SELECT max(mod) FROM notes").fetchone()[0]
    assert mod_b > mod_a  # Anki updates notes only from a newer export


def test_same_deck_and_time_give_identical_bytes(deck, tmp_path):
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export_apkg(deck, a, now=NOW)
    export_apkg(deck, b, now=NOW)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_ids_differ_between_decks():
    assert deck_anki_id("deck-a") != deck_anki_id("deck-b")
    assert model_anki_id("deck-a", "basic") != model_anki_id("deck-a", "short")


def test_cloze_syntax_round_trips_between_quiz_and_anki():
    quiz_text = "A {{one|1::hint}} and {{two}} gap"
    anki = cloze_to_anki(quiz_text)
    assert anki == "A {{c1::one::hint}} and {{c2::two}} gap"
    assert cloze_from_anki(anki) == "A {{one::hint}} and {{two}} gap"


def test_slug_tag_drops_spaces_and_punctuation():
    assert slug_tag("  great  powers ") == "great-powers"
    assert slug_tag('say "no", please') == "say-no-please"
    assert slug_tag("a::b") == "a::b"


def test_anki_tags_are_unique(deck):
    card = deck.card("crimea-2014").model_copy(update={"tags": ["Russia", "russia"]})
    assert anki_tags(card).count("Russia") == 1
    assert "russia" not in anki_tags(card)


def test_unwritable_target_is_one_clear_error(deck, tmp_path):
    from quiz.errors import QuizError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(QuizError, match="cannot write"):
        export_apkg(deck, blocker / "deck.apkg", now=NOW)


def test_directory_target_is_one_clear_error(deck, tmp_path):
    from quiz.errors import QuizError

    with pytest.raises(QuizError, match="is a directory"):
        export_apkg(deck, tmp_path, now=NOW)
    assert list(tmp_path.iterdir()) == []


def test_package_gets_ordinary_file_permissions(deck, tmp_path):
    import os

    out = tmp_path / "deck.apkg"
    old = os.umask(0o022)
    try:
        export_apkg(deck, out, now=NOW)
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
