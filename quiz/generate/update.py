"""Regenerate into an existing deck without destroying instructor work."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quiz.deck.model import AnyCard, Deck
from quiz.generate.pipeline import is_untouched

_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


@dataclass
class UpdateReport:
    """What ``--update`` did to each card."""

    kept_edited: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    kept_unchanged: list[str] = field(default_factory=list)
    relinked: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"update: {len(self.added)} added, {len(self.retired)} retired (passage gone), "
            f"{len(self.kept_edited)} edited/reviewed kept as they are, "
            f"{len(self.refreshed)} regenerated, {len(self.kept_unchanged)} unchanged, "
            f"{len(self.relinked)} linked to a retired predecessor (previous_ids)"
        )


def _passage_present(card: AnyCard, cleaned_squashed: str) -> bool:
    if card.source is None or not card.source.quote:
        return True  # nothing to check: an instructor's own card
    return _squash(card.source.quote) in cleaned_squashed


def _template(card_id: str) -> str:
    return card_id.rsplit("-", 1)[0]


def _predecessor(card: AnyCard, retired: list[AnyCard]) -> AnyCard | None:
    """A just-retired card asking the same thing about a slightly reworded passage."""
    from rapidfuzz import fuzz

    quote = _squash(card.source.quote if card.source and card.source.quote else "")
    best: tuple[float, AnyCard] | None = None
    for old in retired:
        if _template(old.id) != _template(card.id) or old.type != card.type:
            continue
        if _squash(old.canonical_answer) != _squash(card.canonical_answer):
            continue
        old_quote = _squash(old.source.quote if old.source and old.source.quote else "")
        score = fuzz.ratio(quote, old_quote)
        if score >= 85 and (best is None or score > best[0]):
            best = (score, old)
    return best[1] if best else None


def merge_decks(existing: Deck, generated: Deck, cleaned_text: str) -> tuple[Deck, UpdateReport]:
    """The existing deck updated with a fresh generation.

    - cards an instructor edited (content differs from the generator's fingerprint) or
      marked ``reviewed`` are kept exactly as they are;
    - untouched generated cards are replaced by their regenerated version (same id);
    - cards whose passage no longer occurs in the report are marked ``retired``;
    - new cards are appended. Nothing is deleted.
    """
    report = UpdateReport()
    fresh = {c.id: c for c in generated.cards}
    cleaned_squashed = _squash(cleaned_text)
    cards: list[AnyCard] = []
    seen: set[str] = set()
    for card in existing.cards:
        seen.add(card.id)
        new = fresh.get(card.id)
        if not is_untouched(card):
            if not card.retired and not _passage_present(card, cleaned_squashed):
                card = card.model_copy(update={"retired": True})
                report.retired.append(card.id)
            else:
                report.kept_edited.append(card.id)
            cards.append(card)
            continue
        if new is not None:
            if new.content_hash() != card.content_hash():
                report.refreshed.append(card.id)
            else:
                report.kept_unchanged.append(card.id)
            cards.append(
                new.model_copy(update={"retired": card.retired, "previous_ids": card.previous_ids})
            )
            continue
        if not card.retired and not _passage_present(card, cleaned_squashed):
            card = card.model_copy(update={"retired": True})
            report.retired.append(card.id)
        else:
            report.kept_unchanged.append(card.id)
        cards.append(card)
    retired_now = [c for c in cards if c.id in set(report.retired)]
    for card in generated.cards:
        if card.id not in seen:
            predecessor = _predecessor(card, retired_now)
            if predecessor is not None:
                # the same question on a reworded passage: link it so history can follow
                card = card.model_copy(update={"previous_ids": [predecessor.id]})
                report.relinked.append(card.id)
            cards.append(card)
            report.added.append(card.id)
    merged = existing.model_copy(update={"cards": cards})
    return Deck.model_validate(merged.model_dump()), report
