"""Card ids for imported rows, and merging an imported card into the deck's card.

Ids are stable across imports: a row's own id (an id listed in a card's
``previous_ids`` means that card), else the deck card whose Anki GUID matches,
else an id derived from the GUID, else one derived from the question text.
Merging keeps the instructor-only fields the file does not carry.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from pydantic import TypeAdapter, ValidationError

from quiz.deck.model import ID_PATTERN, AnyCard, Card, ClozeCard, Deck
from quiz.interop.anki_notes import cloze_from_anki, cloze_to_anki, note_guid, slug_tag
from quiz.interop.import_rows import ImportRow

_CARD_ADAPTER: TypeAdapter[Any] = TypeAdapter(Card)
_ID_RE = re.compile(ID_PATTERN)
_COMMON_KEYS = ("id", "kind", "section", "tags", "explanation", "group", "source",
                "reviewed", "retired", "previous_ids")  # fmt: skip
_INSTRUCTOR_KEYS = ("reviewed", "retired", "previous_ids", "group", "source")


def content_id(text: str) -> str:
    """A card id from its question text: stable while the question stays the same."""
    norm = " ".join(text.casefold().split())
    return "c-" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:12]


def guid_id(guid: str) -> str:
    """A card id for an Anki note that quiz did not export."""
    return "anki-" + hashlib.sha256(guid.encode("utf-8")).hexdigest()[:12]


def _restore_tag_spelling(tags: list[str], old: list[str]) -> list[str]:
    by_slug = {slug_tag(t).casefold(): t for t in old}
    return [by_slug.get(t.casefold(), t) for t in tags]


def merge_card(old: AnyCard, row: ImportRow, new: AnyCard) -> tuple[AnyCard, str | None]:
    """The updated card for ``old`` from an imported row; a notice if only partly merged."""
    given = row.data
    old_data = old.model_dump(mode="json", exclude_none=True)
    same_view = (new.prompt, new.canonical_answer) == (old.prompt, old.canonical_answer)
    if new.type != old.type and not row.explicit_type and same_view:
        return old, None  # e.g. a numeric card that Anki holds as a typed answer
    if new.type == old.type or row.explicit_type:
        if new.type == old.type:
            merged = {**old_data, **given}
            if old.type == "short" and "accept" not in given:
                same = str(given.get("answer", "")).casefold() == old.canonical_answer.casefold()
                if not same:
                    merged.pop("accept", None)
        else:
            merged = {k: v for k, v in old_data.items() if k in _COMMON_KEYS}
            merged.update(given)
    elif {new.type, old.type} <= {"basic", "short"}:
        merged = {**old_data, "question": given["question"], "answer": given["answer"]}
        if old.type == "short" and given["answer"].casefold() != old.canonical_answer.casefold():
            merged.pop("accept", None)
        merged.update({k: v for k, v in given.items() if k in _COMMON_KEYS})
    else:
        note = f"card {old.id} is a {old.type} card in the deck; this {new.type} note left it as it was"
        return old, note
    for key in _INSTRUCTOR_KEYS:
        if key not in given and key in old_data:
            merged[key] = old_data[key]
    merged["id"] = old.id
    if isinstance(given.get("source"), dict) and isinstance(old_data.get("source"), dict):
        merged["source"] = {**old_data["source"], **given["source"]}
    if "previous_ids" in given:
        merged["previous_ids"] = list(dict.fromkeys([*old.previous_ids, *given["previous_ids"]]))
    anki_text = cloze_from_anki(cloze_to_anki(old.text)) if isinstance(old, ClozeCard) else None
    if isinstance(old, ClozeCard) and merged.get("text") == anki_text:
        merged["text"] = old.text  # Anki has no gap alternatives: keep quiz's
    merged["tags"] = _restore_tag_spelling(list(merged.get("tags", [])), old.tags)
    section = given.get("section")
    if section and old.section and slug_tag(section).casefold() == slug_tag(old.section).casefold():
        merged["section"] = old.section  # a section:: tag lost its hyphens and spaces
    try:
        return _CARD_ADAPTER.validate_python(merged), None
    except ValidationError:
        pass
    kept = {k: old_data[k] for k in _INSTRUCTOR_KEYS if k in old_data and k not in given}
    try:
        return _CARD_ADAPTER.validate_python({**new.model_dump(mode="json"), **kept}), None
    except ValidationError:
        return new, None


class IdResolver:
    """Gives each row its card id: its own, the existing card behind its GUID or an
    old id, else one derived from the GUID or the question."""

    def __init__(self, old_deck: Deck | None, target_id: str) -> None:
        self.by_guid: dict[str, str] = {}
        self.by_old_id: dict[str, str] = {}
        if old_deck is None:
            return
        for card in old_deck.cards:
            for previous in card.previous_ids:
                self.by_old_id.setdefault(previous, card.id)
        for deck_key in dict.fromkeys([old_deck.deck, target_id]):
            for card in old_deck.cards:
                for cid in [card.id, *card.previous_ids]:
                    self.by_guid.setdefault(note_guid(deck_key, cid), card.id)
        for card in old_deck.cards:
            self.by_old_id.pop(card.id, None)  # a current id is never an alias

    def resolve(self, row: ImportRow) -> str | None:
        """The card id for ``row``, or None if the row names an invalid one."""
        data = row.data
        if data.get("id"):
            card_id = str(data["id"])
            if not _ID_RE.match(card_id):
                return None
            return self.by_old_id.get(card_id, card_id)
        if row.guid:
            return self.by_guid.get(row.guid) or guid_id(row.guid)
        prompt = data.get("question") or data.get("statement") or data.get("text") or ""
        return content_id(str(prompt))
