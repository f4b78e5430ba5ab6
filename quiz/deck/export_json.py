"""The normalized JSON form of a deck, read by other tools and our own checks.

Shape (stable; keys always present, in this order)::

    {"deck": str, "title": str,
     "cards": [{"id", "type", "kind", "section", "tags", "group", "prompt",
                "answer", "accept", "choices", "explanation",
                "source": {"quote", "section", "line"}}]}

``prompt`` is the question, statement or cloze text with gaps as ``____``;
``answer`` the canonical answer as text; ``accept`` every accepted answer as
text (canonical first); ``choices`` a list for mcq and truefalse cards, else
null. Retired cards are left out.
"""

from __future__ import annotations

import json
from typing import Any

from quiz.deck.model import AnyCard, Deck


def card_to_json_data(card: AnyCard) -> dict[str, Any]:
    """One card in the normalized export shape."""
    src = card.source
    return {
        "id": card.id,
        "type": card.type,
        "kind": card.kind,
        "section": card.section,
        "tags": list(card.tags),
        "group": card.group,
        "prompt": card.prompt,
        "answer": card.canonical_answer,
        "accept": list(card.accepted_answers),
        "choices": card.choice_list,
        "explanation": card.explanation,
        "source": {
            "quote": src.quote if src else None,
            "section": src.section if src else None,
            "line": src.line if src else None,
        },
    }


def deck_to_json_data(deck: Deck) -> dict[str, Any]:
    """The deck in the normalized export shape (active cards only)."""
    return {
        "deck": deck.deck,
        "title": deck.title,
        "cards": [card_to_json_data(c) for c in deck.active_cards],
    }


def deck_to_json(deck: Deck) -> str:
    """The normalized deck as JSON text (UTF-8, indented, ending in a newline)."""
    return json.dumps(deck_to_json_data(deck), ensure_ascii=False, indent=2) + "\n"
