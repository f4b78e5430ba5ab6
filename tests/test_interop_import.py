"""Importing Anki plain-text exports and CSV: parsing, ids, merging, bad rows, bad files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import genanki
import pytest

from quiz.deck.loader import load_deck
from quiz.deck.model import Deck
from quiz.deck.writer import write_deck
from quiz.errors import QuizError
from quiz.interop.apkg import export_apkg
from quiz.interop.importer import content_id, import_file, split_list, split_tags

FIXTURES = Path(__file__).parent / "fixtures" / "anki"
WITH_HEADERS = FIXTURES / "anki-notes-with-headers.txt"
NO_HEADERS = FIXTURES / "anki-notes-no-headers.txt"
SPREADSHEET = FIXTURES / "spreadsheet.csv"


def by_question(deck: Deck) -> dict[str, object]:
    return {c.prompt: c for c in deck.cards}


# --------------------------------------------------------------------------- Anki exports


def test_anki_export_with_headers():
    deck, report = import_file(WITH_HEADERS)
    assert report.source_format == "anki"
    assert [(p.line, p.message) for p in report.problems] == [
        (12, "no answer: the second field is empty")
    ]
    assert deck.deck == "russia-and-china" and deck.title == "Russia and China"
    cards = {c.id: c for c in deck.cards}
    crimea = cards[f"anki-{_h('f{9:Rq0Ks[')}"]
    assert crimea.type == "basic"
    assert crimea.question == "When did Russia annex Crimea?"
    assert crimea.answer == "2014\n(after the Maidan protests)"
    assert crimea.tags == ["russia", "crimea"]
    siberia = next(c for c in deck.cards if "Power of Siberia" in c.prompt)
    assert siberia.answer == 'A gas pipeline from Russia to China & its "energy" link'
    trade = next(c for c in deck.cards if c.type == "cloze" and "trading" in c.text)
    assert trade.text == (
        "China is Russia's {{number one::rank}} trading partner and the {{second-largest}} "
        "buyer of its arms."
    )
    assert trade.explanation == "Stent, Brookings 2020"
    typed = next(c for c in deck.cards if "New START" in c.canonical_answer)
    assert typed.type == "short"
    quoted = next(c for c in deck.cards if "Brookings published" in c.prompt)
    assert quoted.question == "Brookings published the report in which year?"
    assert quoted.answer == "2020"  # the third field of a 3-field note type is not the tags
    assert quoted.tags == ["source"]
    leaders = next(c for c in deck.cards if "authoritarian" in c.prompt + c.canonical_answer)
    assert leaders.text.splitlines()[1] == "their preoccupation is {{regime survival}}."


def _h(guid: str) -> str:
    import hashlib

    return hashlib.sha256(guid.encode()).hexdigest()[:12]


def test_anki_export_without_headers_uses_last_column_as_tags():
    deck, report = import_file(NO_HEADERS)
    assert [p.line for p in report.problems] == [5]
    cards = by_question(deck)
    crimea = cards["When did Russia annex Crimea?"]
    assert crimea.answer == "2014" and crimea.tags == ["russia", "crimea"]
    quote = cards['He said "Russia is a junior partner" - who?']
    assert quote.answer == "Angela Stent"
    cloze = next(c for c in deck.cards if c.type == "cloze")
    assert cloze.text == "China is Russia's {{number one}} trading partner."


def test_ids_are_stable_across_repeated_imports(tmp_path):
    for source in (WITH_HEADERS, NO_HEADERS, SPREADSHEET):
        first, _ = import_file(source)
        second, _ = import_file(source)
        assert [c.id for c in first.cards] == [c.id for c in second.cards]
        out = tmp_path / f"{source.stem}.yaml"
        write_deck(first, out)
        again, report = import_file(source, existing=out)
        assert report.added == [] and report.updated == []
        assert len(again.cards) == len(first.cards)


def test_reimport_updates_cards_and_keeps_instructor_fields(tmp_path):
    deck, _ = import_file(NO_HEADERS)
    crimea = next(c for c in deck.cards if c.prompt == "When did Russia annex Crimea?")
    deck.cards[deck.cards.index(crimea)] = crimea.model_copy(
        update={"reviewed": True, "group": "dates", "previous_ids": ["old-1"]}
    )
    out = tmp_path / "deck.yaml"
    write_deck(deck, out)
    edited = tmp_path / "edited.txt"
    edited.write_text(
        NO_HEADERS.read_text(encoding="utf-8").replace("\t2014\t", "\tIn 2014\t"),
        encoding="utf-8",
    )
    merged, report = import_file(edited, existing=out)
    assert report.updated == [crimea.id]
    card = merged.card(crimea.id)
    assert card.answer == "In 2014"
    assert (card.reviewed, card.group, card.previous_ids) == (True, "dates", ["old-1"])
    assert len(merged.cards) == len(deck.cards)


def test_cards_missing_from_the_file_are_kept(tmp_path):
    deck = load_deck(FIXTURES / "sample-deck.yaml")
    out = tmp_path / "deck.yaml"
    write_deck(deck, out)
    merged, report = import_file(NO_HEADERS, existing=out)
    assert report.kept == [c.id for c in deck.cards]
    assert [c.id for c in merged.cards][: len(deck.cards)] == [c.id for c in deck.cards]
    assert merged.deck == deck.deck and merged.title == deck.title


# --------------------------------------------------------------------------- apkg -> Anki -> quiz


def anki_plain_text_export(apkg: Path, tmp_path: Path) -> str:
    """What Anki's 'Notes in Plain Text' export (HTML, GUIDs, note types, decks, tags) gives."""
    db = tmp_path / "collection.anki2"
    with zipfile.ZipFile(apkg) as archive:
        db.write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(db)
    models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
    decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    deck_name = next(d["name"] for k, d in decks.items() if k != "1")
    width = max(len(m["flds"]) for m in models.values())
    out = io.StringIO()
    out.write("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n")
    out.write(f"#deck column:3\n#tags column:{4 + width}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for guid, mid, tags, flds in conn.execute("SELECT guid, mid, tags, flds FROM notes"):
        fields = flds.split("\x1f")
        fields += [""] * (width - len(fields))
        writer.writerow([guid, models[str(mid)]["name"], deck_name, *fields, tags.strip()])
    conn.close()
    return out.getvalue()


def test_apkg_through_anki_and_back_changes_nothing(tmp_path):
    deck = load_deck(FIXTURES / "sample-deck.yaml")
    apkg = tmp_path / "deck.apkg"
    export_apkg(deck, apkg, now=datetime(2026, 1, 1, tzinfo=UTC))
    text = anki_plain_text_export(apkg, tmp_path)
    export = tmp_path / "from-anki.txt"
    export.write_text(text, encoding="utf-8")
    fresh, report = import_file(export)
    assert report.problems == []
    assert sorted(c.id for c in fresh.cards) == sorted(c.id for c in deck.active_cards)
    for card in fresh.cards:
        original = deck.card(card.id)
        assert card.type == ("short" if original.type == "numeric" else original.type)
        assert card.prompt == original.prompt
        assert card.canonical_answer == original.canonical_answer
    out = tmp_path / "deck.yaml"
    shutil.copy(FIXTURES / "sample-deck.yaml", out)
    merged, report = import_file(export, existing=out)
    assert report.added == [] and report.updated == []
    assert [c.model_dump() for c in merged.cards] == [c.model_dump() for c in deck.cards]


def test_edit_in_anki_updates_the_card_by_guid_without_quiz_id(tmp_path):
    deck = load_deck(FIXTURES / "sample-deck.yaml")
    out = tmp_path / "deck.yaml"
    shutil.copy(FIXTURES / "sample-deck.yaml", out)
    guid = genanki.guid_for(deck.deck, "junior-partner")
    export = tmp_path / "basic-notes.txt"
    export.write_text(
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#tags column:5\n"
        f"{guid}\tBasic\tWhat role has Russia <b>accepted</b>?\tJunior partner\tkind::argument\n",
        encoding="utf-8",
    )
    merged, report = import_file(export, existing=out)
    assert report.updated == ["junior-partner"] and report.added == []
    card = merged.card("junior-partner")
    assert card.question == "What role has Russia accepted?"
    assert card.answer == "Junior partner"
    assert card.group == "roles"  # instructor-only field kept


def test_plain_note_for_a_choice_card_leaves_it_alone_with_a_notice(tmp_path):
    deck = load_deck(FIXTURES / "sample-deck.yaml")
    out = tmp_path / "deck.yaml"
    shutil.copy(FIXTURES / "sample-deck.yaml", out)
    guid = genanki.guid_for(deck.deck, "trade-partner")
    export = tmp_path / "notes.txt"
    export.write_text(
        f"#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n"
        f'{guid}\tBasic\t"Who trades most with Russia?\nA. Germany\nB. China"\tB. China\n',
        encoding="utf-8",
    )
    merged, report = import_file(export, existing=out)
    assert merged.card("trade-partner") == deck.card("trade-partner")
    assert len(report.notices) == 1 and "mcq" in report.notices[0].message


# --------------------------------------------------------------------------- plain CSV


def test_spreadsheet_csv_with_header_row():
    deck, report = import_file(SPREADSHEET)
    assert report.source_format == "csv"
    assert [(p.line, p.message) for p in report.problems] == [
        (9, "no answer"),
        (10, "multiple choice needs 3 to 6 choices, got 2"),
    ]
    cards = by_question(deck)
    crimea = cards["In which year did Russia annex Crimea?"]
    assert crimea.type == "short" and crimea.accept == ["in 2014", "2014 AD"]
    assert crimea.tags == ["russia", "crimea"] and crimea.section == "Executive summary"
    partner = cards["Who is Russia's number one trading partner?"]
    assert partner.type == "mcq" and partner.answer == "China"
    assert partner.explanation == "China is, by far, the biggest."
    pipeline = cards["Which pipeline links Russia and China?"]
    assert pipeline.choices == ["Power of Siberia", "Nord Stream", "TurkStream"]
    assert cards["Russia is China's junior partner."].type == "truefalse"
    false_card = cards["The trade war pushed Russia and China apart."]
    assert false_card.type == "truefalse" and false_card.answer is False
    long_answer = cards['What does "post-West" mean in the report?']
    assert long_answer.type == "basic"
    cloze = next(c for c in deck.cards if c.type == "cloze")
    assert cloze.text == "Russia's {{Far East}} is rapidly depopulating."


def test_csv_type_column_letters_and_semicolons(tmp_path):
    f = tmp_path / "typed.csv"
    f.write_text(
        "id;type;question;answer;choices;unit;tolerance;tags\n"
        "q-1;mcq;Pick one;b;red|green|blue;;;\n"
        "q-2;numeric;How many?;1,000;;people;5%;a tag, another\n"
        "q-3;truefalse;Sky is green;no;;;;\n"
        "q-4;essay;Write;x;;;;\n",
        encoding="utf-8",
    )
    deck, report = import_file(f)
    assert [(p.line, p.message) for p in report.problems] == [
        (4, "a false statement needs an explanation giving the true one"),
        (5, "unknown type 'essay'; expected one of basic, short, cloze, numeric, mcq, truefalse"),
    ]
    assert deck.card("q-1").answer == "green"
    numeric = deck.card("q-2")
    assert (numeric.answer, numeric.unit, numeric.tolerance) == (1000.0, "people", "5%")
    assert numeric.tags == ["a tag", "another"]


def test_false_without_explanation_stays_a_typed_answer(tmp_path):
    f = tmp_path / "tf.csv"
    f.write_text("question,answer\nIs the sky green?,false\n", encoding="utf-8")
    deck, _ = import_file(f)
    assert deck.cards[0].type == "short" and deck.cards[0].answer == "false"


def test_duplicate_rows_are_reported_once(tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("question,answer\nSame?,yes\n  same? ,again\n", encoding="utf-8")
    deck, report = import_file(f)
    assert len(deck.cards) == 1
    assert [(p.line, p.message) for p in report.problems] == [
        (3, f"duplicate of line 2 (card {content_id('Same?')})")
    ]


def test_list_and_tag_cells():
    assert split_list("a | b|c") == ["a", "b", "c"]
    assert split_list("a; b") == ["a", "b"]
    assert split_list('["x|y", "z"]') == ["x|y", "z"]
    assert split_tags("one two") == ["one", "two"]
    assert split_tags("great powers, russia") == ["great powers", "russia"]


def test_markup_is_kept_as_text(tmp_path):
    f = tmp_path / "markup.csv"
    f.write_text("question,answer\n[bold]Q[/] $var,\x1b[31mred\n", encoding="utf-8")
    deck, _ = import_file(f)
    assert deck.cards[0].question == "[bold]Q[/] $var"
    assert deck.cards[0].answer == "\x1b[31mred"


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "no such file"),
        (lambda p: (p.mkdir(), p)[1], "is a directory"),
        (lambda p: (p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"), p)[1], "binary data"),
        (lambda p: (p.write_bytes(b"question,answer\nok,caf\xe9\n"), p)[1], ":2: not UTF-8"),
        (lambda p: (p.write_bytes(b"PK\x03\x04rest"), p)[1], "zip archive"),
        (lambda p: (p.write_text(""), p)[1], "no cards found"),
        (lambda p: (p.write_text("question,answer\n,\n"), p)[1], "no cards found (1 bad rows"),
    ],
)
def test_unreadable_files_raise_one_clear_error(tmp_path, make, message):
    path = make(tmp_path / "input.txt")
    with pytest.raises(QuizError) as info:
        import_file(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_utf16_spreadsheet_export_is_read(tmp_path):
    f = tmp_path / "excel.txt"
    f.write_bytes("question\tanswer\nCafé?\tOui\n".encode("utf-16"))
    deck, _ = import_file(f)
    assert deck.cards[0].question == "Café?"


def test_invalid_deck_id_is_refused(tmp_path):
    with pytest.raises(QuizError, match="invalid deck id"):
        import_file(SPREADSHEET, deck_id="Bad Id")


def test_invalid_existing_deck_is_an_error_not_overwritten(tmp_path):
    out = tmp_path / "deck.yaml"
    out.write_text("deck: [unclosed\n", encoding="utf-8")
    with pytest.raises(QuizError):
        import_file(SPREADSHEET, existing=out)
    assert out.read_text(encoding="utf-8") == "deck: [unclosed\n"


def test_file_without_a_tags_column_keeps_the_deck_tags(tmp_path):
    deck = load_deck(FIXTURES / "sample-deck.yaml")
    out = tmp_path / "deck.yaml"
    shutil.copy(FIXTURES / "sample-deck.yaml", out)
    guid = genanki.guid_for(deck.deck, "crimea-2014")
    export = tmp_path / "notes.txt"
    export.write_text(
        "#separator:tab\n#html:false\n#guid column:1\n"
        f"{guid}\tIn which year did Russia take Crimea?\t2014\n",
        encoding="utf-8",
    )
    merged, report = import_file(export, existing=out)
    assert report.updated == ["crimea-2014"]
    card = merged.card("crimea-2014")
    assert card.question == "In which year did Russia take Crimea?"
    assert card.tags == ["russia", "great powers"]
    assert card.accept == ["in 2014"]  # same answer: alternatives kept
    assert card.reviewed is True


def test_spreadsheet_rows_starting_with_hash_are_cards_not_comments(tmp_path):
    f = tmp_path / "hash.csv"
    f.write_text("question,answer\n#1 priority of Putin?,Regime survival\n", encoding="utf-8")
    deck, report = import_file(f)
    assert report.problems == []
    assert [c.question for c in deck.cards] == ["#1 priority of Putin?"]


def test_headerless_anki_rows_with_commas_are_split_on_tabs(tmp_path):
    f = tmp_path / "old.txt"
    f.write_text("Who, when, where?\tPutin, 2014, Crimea\n", encoding="utf-8")
    deck, _ = import_file(f)
    assert (deck.cards[0].question, deck.cards[0].answer) == (
        "Who, when, where?",
        "Putin, 2014, Crimea",
    )


def test_a_card_renamed_in_quiz_is_found_by_its_old_id_and_guid(tmp_path):
    deck = load_deck(FIXTURES / "sample-deck.yaml")
    csv_export = tmp_path / "deck.txt"
    from quiz.interop.anki_csv import export_csv

    export_csv(deck, csv_export)
    apkg = tmp_path / "deck.apkg"
    export_apkg(deck, apkg, now=datetime(2026, 1, 1, tzinfo=UTC))
    anki_export = tmp_path / "anki.txt"
    anki_export.write_text(anki_plain_text_export(apkg, tmp_path), encoding="utf-8")
    renamed = deck.model_copy(deep=True)
    index = [c.id for c in renamed.cards].index("crimea-2014")
    renamed.cards[index] = renamed.cards[index].model_copy(
        update={"id": "crimea-annexed", "previous_ids": ["crimea-2014"]}
    )
    out = tmp_path / "renamed.yaml"
    write_deck(renamed, out)
    for source in (csv_export, anki_export):
        merged, report = import_file(source, existing=out)
        assert report.added == [], source.name
        assert merged.card("crimea-2014") is None
        assert merged.card("crimea-annexed").previous_ids == ["crimea-2014"]


def test_a_file_with_no_usable_row_never_rewrites_the_deck(tmp_path):
    out = tmp_path / "deck.yaml"
    shutil.copy(FIXTURES / "sample-deck.yaml", out)
    bad = tmp_path / "bad.csv"
    bad.write_text("question,answer\nno answer here,\n", encoding="utf-8")
    with pytest.raises(QuizError, match="no cards found"):
        import_file(bad, existing=out)


def test_type_column_accepts_common_names(tmp_path):
    f = tmp_path / "types.csv"
    f.write_text(
        "type,question,answer,choices,explanation\n"
        "Multiple choice,Pick,b,a|b|c,\n"
        "True/False,Sky is blue,true,,\n"
        "Number,How many?,3,,\n"
        "Typed,Say it,it,,\n",
        encoding="utf-8",
    )
    deck, report = import_file(f)
    assert report.problems == []
    assert [c.type for c in deck.cards] == ["mcq", "truefalse", "numeric", "short"]


def test_quiz_choice_notes_exported_without_html(tmp_path):
    f = tmp_path / "flat.txt"
    f.write_text(
        "#separator:tab\n#html:false\n#notetype column:1\n"
        "quiz choice (d)\tWho?\tA. Germany B. China C. India\tB. China\t\t\tq-1\n",
        encoding="utf-8",
    )
    deck, report = import_file(f)
    assert report.problems == []
    card = deck.card("q-1")
    assert (card.type, card.choices, card.answer) == ("mcq", ["Germany", "China", "India"], "China")


def test_a_device_is_not_read():
    with pytest.raises(QuizError, match="not a regular file"):
        import_file(Path("/dev/zero"))


def test_subdecks_become_sections(tmp_path):
    f = tmp_path / "multi.txt"
    f.write_text(
        "#separator:tab\n#html:false\n#deck column:1\n"
        "Stent::Economy\tTop partner?\tChina\n"
        "Stent::Military\tJoint drills?\tYes\n"
        "Stent\tAuthor?\tAngela Stent\n",
        encoding="utf-8",
    )
    deck, _ = import_file(f)
    assert deck.title == "Stent" and deck.deck == "stent"
    assert [c.section for c in deck.cards] == ["Economy", "Military", None]
