"""The generator's other candidates for a card's sentence: other gaps, other card types.

``quiz generate`` keeps one card per answer and at most one or two per sentence; a
curator who finds the gap on the wrong phrase, or a cloze that would be better
typed, wants the cards the generator could have made instead. ``Candidates``
builds every fact draft of a report (every span, every card type that works for
it), passes them through the same gate, and answers per card:

- ``gap_moves(card)``: cards on the same sentence with the gap on another phrase,
  best-scored first (the card's own type where the generator can make it);
- ``type_changes(card)``: the same answer asked as another type (cloze, short,
  mcq, numeric) where the sentence supports it.

Each alternative is a deck card (``AnyCard``) ready to replace the curated one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from quiz.deck.model import AnyCard, ClozeCard, NumericCard
from quiz.generate.build import Draft, build_drafts
from quiz.generate.clean import CleanedText
from quiz.generate.gate import gate_reason, squash
from quiz.generate.pipeline import SourceMatcher, clean_report, draft_to_card
from quiz.generate.rank import score_drafts
from quiz.generate.sentences import Sentence, split_sentences
from quiz.ingest.pdf import Extracted

SWITCHABLE_TYPES = ("cloze", "short", "mcq", "numeric")
"""Card types a fact card can be switched between (true/false and basic are not offered)."""


@dataclass(frozen=True)
class Alternative:
    """One card the generator could make instead: its answer, type, score and the card."""

    answer: str
    type: str
    template: str
    score: float
    card: AnyCard


def card_answer(card: AnyCard) -> str:
    """The phrase a fact card asks for: the (first) gap's answer, or the answer."""
    if isinstance(card, ClozeCard):
        gaps = card.gaps
        return gaps[0].answer if gaps else ""
    return card.canonical_answer


class Candidates:
    """Every fact draft of one report that passes the gate, by sentence group."""

    def __init__(self, report_text: str, document: Extracted | None = None) -> None:
        # cleaned as quiz generate cleans it (structure, reader's headings), so groups match
        self.cleaned: CleanedText = clean_report(document or Extracted(report_text))
        self.sentences: list[Sentence] = split_sentences(self.cleaned)
        drafts = build_drafts(self.cleaned, self.sentences, all_types=True)
        score_drafts(drafts, self.sentences)
        squashed = squash(self.cleaned.text)
        self._matcher = SourceMatcher(report_text)
        self.by_group: dict[str, list[Draft]] = defaultdict(list)
        for d in sorted(drafts, key=lambda x: (-x.score, x.quote_start, x.id)):
            if d.type in SWITCHABLE_TYPES and gate_reason(d, squashed) is None:
                self.by_group[d.group].append(d)

    # --- per card ---------------------------------------------------------------
    def _drafts(self, card: AnyCard) -> list[Draft]:
        return self.by_group.get(card.group or "", []) if card.group else []

    def _current(self, card: AnyCard) -> str | None:
        """The span text the card asks about, as the generator wrote it (None: not found)."""
        drafts = self._drafts(card)
        for d in drafts:
            if d.id == card.id:
                return d.answer
        if isinstance(card, NumericCard):
            for d in drafts:
                if d.type == "numeric" and d.fields.get("answer") == card.answer:
                    return d.answer
            return None
        want = squash(card_answer(card))
        for d in drafts:
            if squash(d.answer) == want:
                return d.answer
        return None

    def _same(self, d: Draft, card: AnyCard) -> bool:
        return d.type == card.type and squash(d.prompt) == squash(_prompt_source(card))

    def _alternative(self, d: Draft) -> Alternative:
        return Alternative(d.answer, d.type, d.template, d.score, draft_to_card(d, self._matcher))

    def gap_moves(self, card: AnyCard) -> list[Alternative]:
        """Cards on the same sentence with the gap on another phrase, best first."""
        current = self._current(card)
        best: dict[str, Draft] = {}
        for d in self._drafts(card):
            key = squash(d.answer)
            if current is not None and key == squash(current):
                continue
            if self._same(d, card):
                continue
            have = best.get(key)
            # the card's own type wins for an answer; else the best-scored type
            if have is None or (d.type == card.type and have.type != card.type):
                best[key] = d
        return [self._alternative(d) for d in sorted(best.values(), key=lambda x: -x.score)]

    def type_changes(self, card: AnyCard) -> list[Alternative]:
        """The card's answer asked as another type, where the sentence supports it."""
        current = self._current(card)
        if current is None:
            return []
        out: dict[str, Draft] = {}
        for d in self._drafts(card):
            if squash(d.answer) != squash(current) or d.type == card.type:
                continue
            out.setdefault(d.type, d)
        return [self._alternative(d) for d in sorted(out.values(), key=lambda x: -x.score)]


def _prompt_source(card: AnyCard) -> str:
    if isinstance(card, ClozeCard):
        return card.text
    return card.prompt


def sentence_candidates(
    report_text: str, card: AnyCard
) -> tuple[list[Alternative], list[Alternative]]:
    """(gap moves, type changes) for one card of a deck generated from ``report_text``."""
    cands = Candidates(report_text)
    return cands.gap_moves(card), cands.type_changes(card)
