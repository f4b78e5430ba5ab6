"""Export a deck as an Anki package (``.apkg``) with genanki.

One Anki note type per card family (basic, short with a typed answer, cloze,
choice for mcq and true/false); the explanation and source quote show on the
back. Deck, note type and note ids are derived from the deck and card ids, so
importing a newer export into Anki updates its notes instead of duplicating them.
Retired cards are left out.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from quiz.deck.model import AnyCard, ClozeCard, Deck, McqCard, TrueFalseCard
from quiz.errors import cannot_write
from quiz.files import atomic_output_path
from quiz.interop.anki_notes import (
    FAMILY_OF_TYPE,
    MODEL_FIELDS,
    QUIZ_ID_FIELD,
    anki_tags,
    answer_line,
    cloze_to_anki,
    deck_anki_id,
    html_text,
    model_anki_id,
    model_name,
    note_guid,
    option_lines,
    source_text,
)
from quiz.study.clock import system_clock, to_utc

_CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black;
        background-color: white; max-width: 40em; margin: 0 auto; }
.nightMode .card { color: #eee; background-color: #222; }
.options { margin-top: 1em; }
.back { font-weight: bold; }
.explanation { margin-top: 1em; }
.source { margin-top: 1em; font-size: 16px; font-style: italic; color: #555; }
.nightMode .source { color: #aaa; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
"""

_EXTRAS = (
    '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}'
    '{{#Source}}<blockquote class="source">{{Source}}</blockquote>{{/Source}}'
)

_TEMPLATES: dict[str, dict[str, str]] = {
    "basic": {
        "qfmt": '<div class="front">{{Front}}</div>',
        "afmt": '{{FrontSide}}\n<hr id=answer>\n<div class="back">{{Back}}</div>' + _EXTRAS,
    },
    "short": {
        "qfmt": '<div class="front">{{Front}}</div>\n{{type:Back}}',
        "afmt": '<div class="front">{{Front}}</div>\n<hr id=answer>\n{{type:Back}}' + _EXTRAS,
    },
    "cloze": {
        "qfmt": "{{cloze:Text}}",
        "afmt": "{{cloze:Text}}" + _EXTRAS,
    },
    "choice": {
        "qfmt": '<div class="front">{{Question}}</div>\n<div class="options">{{Options}}</div>',
        "afmt": '{{FrontSide}}\n<hr id=answer>\n<div class="back">{{Answer}}</div>' + _EXTRAS,
    },
}

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def build_model(deck_id: str, family: str) -> Any:
    """The genanki note type for one card family of a deck."""
    import genanki

    return genanki.Model(
        model_anki_id(deck_id, family),
        model_name(deck_id, family),
        fields=[{"name": name} for name in MODEL_FIELDS[family]],
        templates=[{"name": f"quiz {family}", **_TEMPLATES[family]}],
        css=_CSS,
        model_type=genanki.Model.CLOZE if family == "cloze" else genanki.Model.FRONT_BACK,
    )


def note_fields(card: AnyCard) -> list[str]:
    """The HTML field values of a card's note, in its note type's field order."""
    values = {
        "Explanation": html_text(card.explanation or ""),
        "Source": html_text(source_text(card)),
        QUIZ_ID_FIELD: html_text(card.id),
    }
    if isinstance(card, ClozeCard):
        values["Text"] = cloze_to_anki(card.text, html_text)
    elif isinstance(card, McqCard | TrueFalseCard):
        values["Question"] = html_text(card.prompt)
        values["Options"] = "<br>".join(html_text(line) for line in option_lines(card))
        values["Answer"] = html_text(answer_line(card))
    else:
        values["Front"] = html_text(card.prompt)
        values["Back"] = html_text(card.canonical_answer)
    return [values[name] for name in MODEL_FIELDS[FAMILY_OF_TYPE[card.type]]]


def build_package(deck: Deck) -> Any:
    """The genanki package of a deck's active cards."""
    import genanki

    anki_deck = genanki.Deck(
        deck_anki_id(deck.deck), deck.title, description=html_text(deck.description)
    )
    models: dict[str, Any] = {}
    for card in deck.active_cards:
        family = FAMILY_OF_TYPE[card.type]
        if family not in models:
            models[family] = build_model(deck.deck, family)
        anki_deck.add_note(
            genanki.Note(
                model=models[family],
                fields=note_fields(card),
                tags=anki_tags(card),
                guid=note_guid(deck.deck, card.id),
            )
        )
    return genanki.Package(anki_deck)


def export_apkg(
    deck: Deck,
    path: str | os.PathLike[str],
    *,
    now: datetime | None = None,
    replace: bool = True,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Write ``deck`` to ``path`` as an Anki package, atomically (see
    :func:`quiz.files.atomic_output`).

    ``now`` stamps the notes' modification time (Anki updates a note on import
    only when the incoming one is newer); the same deck and ``now`` give the
    same file, byte for byte.
    """
    stamp = to_utc(now or system_clock()).timestamp()
    target = Path(path)
    package = build_package(deck)
    db_path = ""
    try:
        with atomic_output_path(target, replace=replace, inputs=inputs) as zip_tmp:
            fd, db_path = tempfile.mkstemp(suffix=".anki2")
            os.close(fd)
            conn = sqlite3.connect(db_path)
            try:
                cursor = conn.cursor()
                package.write_to_db(cursor, stamp, _id_sequence(int(stamp * 1000)))
                conn.commit()
            finally:
                conn.close()
            with zipfile.ZipFile(zip_tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                _add_file(archive, "collection.anki2", Path(db_path).read_bytes())
                _add_file(archive, "media", b"{}")
    except OSError as exc:
        raise cannot_write(target, exc, "Anki package") from exc
    finally:
        if db_path:
            Path(db_path).unlink(missing_ok=True)


def _id_sequence(start: int):  # type: ignore[no-untyped-def]
    """Note and card ids: consecutive milliseconds from ``start`` (what genanki does)."""
    n = start
    while True:
        yield n
        n += 1


def _add_file(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
