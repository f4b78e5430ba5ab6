"""Editing a card in its deck file from the study app: where the card is, which editor
to run, and reading the file back (validated) afterwards."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from quiz.deck.loader import read_deck
from quiz.deck.model import AnyCard, Deck
from quiz.errors import error_line


def card_line(path: Path, card_id: str) -> int | None:
    """The 1-based line where card ``card_id`` starts in the deck file ``path`` (None if
    it cannot be found)."""
    result = read_deck(path)
    for index, card in result.cards:
        if card.id == card_id:
            where = result.card_position(index)
            return where[0] if where else None
    try:  # the file does not load (any more): look for the id's line
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    pattern = re.compile(r"^\s*(?:-\s+)?id:\s*['\"]?" + re.escape(card_id) + r"['\"]?\s*(?:#.*)?$")
    for number, text in enumerate(lines, 1):
        if pattern.match(text):
            return number
    return None


def editor_command(path: Path, line: int | None, env: Mapping[str, str] | None = None) -> list[str]:
    """``$VISUAL`` (else ``$EDITOR``, else ``vi``) opening ``path`` at ``line`` (``+LINE``,
    which vi, vim, nano, emacs, micro and kakoune all understand)."""
    env = os.environ if env is None else env
    editor = (env.get("VISUAL") or "").strip() or (env.get("EDITOR") or "").strip() or "vi"
    command = shlex.split(editor)
    if line:
        command.append(f"+{line}")
    command.append(str(path))
    return command


@dataclass(frozen=True)
class EditResult:
    """The deck file read back after editing: the deck and the card, or the first error."""

    deck: Deck | None
    card: AnyCard | None
    error: str | None  # ``FILE:LINE:COL: error: ...``

    @property
    def ok(self) -> bool:
        return self.deck is not None


def read_back(path: Path, card_id: str, deck_id: str) -> EditResult:
    """Read ``path`` after an edit: the deck (it must keep its id ``deck_id``) and the card
    ``card_id`` (None if it was removed, renamed or retired)."""
    result = read_deck(path)
    if result.deck is None:
        first = min(result.errors, key=lambda p: (p.line or 0, p.col or 0))
        return EditResult(None, None, first.format())
    deck = result.deck
    if deck.deck != deck_id:
        line = (result.position("deck") or (1, 1))[0]
        return EditResult(
            None,
            None,
            error_line(
                f"the deck id changed from {deck_id!r} to {deck.deck!r}; "
                "change it back to keep this deck's progress",
                str(path),
                line,
            ),
        )
    card = next((c for c in deck.active_cards if c.id == card_id), None)
    return EditResult(deck, card, None)
