"""Export a deck in Anki's text import format (tab separated, UTF-8).

The file starts with Anki's header lines (``#separator:tab``, ``#html:false``,
``#columns:``, ``#guid column:1``, ``#notetype column:2``, ``#deck column:3``,
``#tags column:6``), then one row per card. Anki reads the first six columns:
the note GUID (derived from the card id), the built-in ``Basic`` or ``Cloze``
note type, the deck title, the front (cloze text in ``{{c1::...}}`` syntax,
choices listed), the back, and the tags. The named columns after them hold the
card exactly as quiz stores it, so ``quiz import`` restores every card and id;
Anki ignores them when the note type has only two fields.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from quiz.deck.model import AnyCard, ClozeCard, Deck, NumericCard
from quiz.deck.writer import write_text_atomic
from quiz.errors import cannot_write
from quiz.interop.anki_notes import anki_tags, back_text, front_text, note_guid
from quiz.interop.delimited import format_record

DECK_ID_HEADER = "quiz deck id"
"""Header line (``#quiz deck id:ID``) naming the quiz deck; Anki ignores it."""

ANKI_COLUMNS = ("guid", "notetype", "deck", "Front", "Back", "tags")
"""The columns Anki reads, in order (1-based positions in the header lines)."""

QUIZ_COLUMNS = (
    "id", "type", "kind", "section", "question", "answer", "accept", "choices",
    "unit", "tolerance", "explanation", "quote", "source section", "source line",
    "group", "quiz tags", "reviewed", "retired", "previous ids",
)  # fmt: skip
"""The card as quiz stores it; ``question`` holds the statement or cloze text too."""

LIST_SEPARATOR = " | "


def export_csv(
    deck: Deck,
    path: str | os.PathLike[str],
    *,
    replace: bool = True,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Write every card of ``deck`` (retired ones tagged ``retired``) to ``path``, atomically
    (see :func:`quiz.files.atomic_output`)."""
    try:
        write_text_atomic(path, deck_to_text(deck), replace=replace, inputs=inputs)
    except OSError as exc:
        raise cannot_write(Path(path), exc) from exc


def deck_to_text(deck: Deck) -> str:
    """The whole export file as text."""
    columns = (*ANKI_COLUMNS, *QUIZ_COLUMNS)
    lines = [
        "#separator:tab",
        "#html:false",
        "#columns:" + format_record(columns, "\t"),
        f"#guid column:{ANKI_COLUMNS.index('guid') + 1}",
        f"#notetype column:{ANKI_COLUMNS.index('notetype') + 1}",
        f"#deck column:{ANKI_COLUMNS.index('deck') + 1}",
        f"#tags column:{ANKI_COLUMNS.index('tags') + 1}",
        f"#{DECK_ID_HEADER}:{deck.deck}",
    ]
    lines.extend(format_record(card_row(deck, card), "\t") for card in deck.cards)
    return "\n".join(lines) + "\n"


def join_list(items: list[str]) -> str:
    """A list as one cell: ``a | b``; as a JSON array if an item holds ``|``."""
    if any("|" in item for item in items):
        return json.dumps(items, ensure_ascii=False)
    return LIST_SEPARATOR.join(items)


def card_row(deck: Deck, card: AnyCard) -> list[str]:
    """One card as a row of cells, Anki's columns then quiz's."""
    tags = anki_tags(card)
    if card.retired:
        tags.append("retired")
    anki = [
        note_guid(deck.deck, card.id),
        "Cloze" if isinstance(card, ClozeCard) else "Basic",
        deck.title,
        front_text(card),
        back_text(card),
        " ".join(tags),
    ]
    return anki + quiz_cells(card)


def quiz_cells(card: AnyCard) -> list[str]:
    """The card's own fields, one cell per name in :data:`QUIZ_COLUMNS`."""
    data = card.model_dump(mode="json")
    question = data.get("question") or data.get("statement") or data.get("text") or ""
    answer = data.get("answer", "")
    if isinstance(card, NumericCard):
        answer = repr(card.answer) if not float(card.answer).is_integer() else str(int(card.answer))
    elif isinstance(answer, bool):
        answer = "true" if answer else "false"
    source = card.source
    cells = {
        "id": card.id,
        "type": card.type,
        "kind": card.kind,
        "section": card.section or "",
        "question": question,
        "answer": "" if isinstance(card, ClozeCard) else str(answer),
        "accept": join_list(list(data.get("accept", []))),
        "choices": join_list(list(data.get("choices", []))),
        "unit": data.get("unit") or "",
        "tolerance": "" if data.get("tolerance") is None else str(data["tolerance"]),
        "explanation": card.explanation or "",
        "quote": (source.quote or "") if source else "",
        "source section": (source.section or "") if source else "",
        "source line": str(source.line) if source and source.line else "",
        "group": card.group or "",
        "quiz tags": join_list(list(card.tags)),
        "reviewed": "true" if card.reviewed else "",
        "retired": "true" if card.retired else "",
        "previous ids": join_list(list(card.previous_ids)),
    }
    return [cells[name] for name in QUIZ_COLUMNS]
