"""Write decks back to YAML that people can read and edit.

Used by generation, import and ``--update``; files are written atomically
(temporary file, then rename) so a deck is never half-written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import yaml

from quiz.deck.model import Deck
from quiz.errors import DeckError
from quiz.files import write_output

_CARD_KEY_ORDER = [
    "id", "type", "kind", "section", "group", "tags",
    "question", "statement", "text", "choices", "answer", "accept", "unit", "tolerance",
    "explanation", "source", "reviewed", "retired", "previous_ids",
]  # fmt: skip
_TOP_ORDER = ["deck", "title", "description", "source", "cards"]


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line strings as ``|`` literals; no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_representer)


def _ordered(d: dict[str, Any], order: list[str]) -> dict[str, Any]:
    out = {k: d[k] for k in order if k in d}
    out.update({k: v for k, v in d.items() if k not in out})
    return out


def deck_to_data(deck: Deck) -> dict[str, Any]:
    """The deck as plain data, defaults left out, keys in a readable order."""
    data = deck.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    data.setdefault("cards", [])
    cards = []
    for card, raw in zip(deck.cards, data["cards"], strict=True):
        raw["type"] = card.type  # a discriminator is never a default
        if card.type == "numeric" and float(card.answer).is_integer():
            raw["answer"] = int(card.answer)
        cards.append(_ordered(raw, _CARD_KEY_ORDER))
    data["cards"] = cards
    return _ordered(data, _TOP_ORDER)


def yaml_values(data: Any) -> int:
    """How many YAML values ``data`` is, counted as the loader counts them (every scalar,
    mapping key and container is one), to compare with ``quiz.deck.loader.MAX_NODES``."""
    if isinstance(data, dict):
        return 1 + sum(1 + yaml_values(v) for v in data.values())
    if isinstance(data, list):
        return 1 + sum(yaml_values(v) for v in data)
    return 1


def dump_deck(deck: Deck, header: str | None = None) -> str:
    """The deck as YAML text; ``header`` becomes leading ``#`` comment lines.

    Raises :class:`DeckError` for a deck that ``quiz check`` and ``quiz study`` would refuse
    to read back (more than ``MAX_NODES`` values, or more than ``MAX_FILE_BYTES``)."""
    from quiz.deck.loader import MAX_FILE_BYTES, MAX_NODES

    data = deck_to_data(deck)
    values = yaml_values(data)
    if values > MAX_NODES:
        raise DeckError(
            deck.deck,
            f"deck is too large to write: {values:,} YAML values for "
            f"{len(deck.cards):,} cards (a deck file may hold at most {MAX_NODES:,} values, "
            "about 16,000 basic cards); split it into several decks",
        )
    text = _dump(data, header)
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise DeckError(
            deck.deck,
            f"deck is too large to write: {len(text.encode('utf-8')) / 1048576:.1f} MB "
            f"(a deck file may be at most {MAX_FILE_BYTES // 1048576} MB); split it",
        )
    return text


def _dump(data: Any, header: str | None) -> str:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
    if header:
        text = "".join(f"# {line}\n" for line in header.splitlines()) + text
    return text


def write_text_atomic(
    path: str | os.PathLike[str],
    text: str,
    *,
    replace: bool = True,
    inputs: Iterable[str | os.PathLike[str]] = (),
    replace_hint: str = "--force",
) -> None:
    """Write ``text`` to ``path`` atomically with the checks of :func:`quiz.files.atomic_output`
    (never an input file, a symlink written through, special files refused; an existing file
    replaced only when ``replace``)."""
    write_output(path, text, replace=replace, inputs=inputs, replace_hint=replace_hint)


def write_deck(
    deck: Deck,
    path: str | os.PathLike[str],
    header: str | None = None,
    *,
    replace: bool = True,
    inputs: Iterable[str | os.PathLike[str]] = (),
    replace_hint: str = "--force",
) -> None:
    """Write a deck file atomically (see :func:`write_text_atomic`)."""
    try:
        text = dump_deck(deck, header)
    except DeckError as exc:
        raise DeckError(str(path), exc.detail) from None
    write_text_atomic(path, text, replace=replace, inputs=inputs, replace_hint=replace_hint)
