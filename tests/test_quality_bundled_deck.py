"""The curated bundled deck: size, mix, coverage of the report, and faithful source quotes."""

from __future__ import annotations

import re
from collections import Counter

try:
    from tests import quality_tools as qt
except ImportError:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    import quality_tools as qt  # type: ignore[no-redef]

from quiz.deck.lint import check_files
from quiz.deck.loader import load_deck
from quiz.deck.model import CARD_TYPES, ClozeCard, McqCard, NumericCard
from quiz.generate.pipeline import generate_full
from quiz.generate.update import merge_decks
from quiz.study.grading import Verdict, grade

DECK = load_deck(qt.BUNDLED_DECK)
ACTIVE = DECK.active_cards
REPORT_TEXT = qt.SEED_REPORT.read_text(encoding="utf-8")
REPORT_LINES = REPORT_TEXT.splitlines()
STOPWORDS = {"the", "a", "an", "of", "in", "on", "and", "or", "to", "is", "was", "it", "this"}


def test_deck_header_names_the_report() -> None:
    assert DECK.deck == "stent-2020-russia-china"
    assert DECK.title and DECK.description
    src = DECK.source
    assert src is not None
    assert src.title and src.author and src.publisher and src.published
    assert src.file == "../seeds/stent-2020-russia-and-china-axis-of-revisionists.txt"
    assert (qt.BUNDLED_DECK.parent / src.file).resolve() == qt.SEED_REPORT.resolve()


def test_quiz_check_finds_no_errors_or_warnings() -> None:
    report = check_files([qt.BUNDLED_DECK])
    assert [p.format() for p in report.problems] == []


def test_deck_is_large_and_mixes_arguments_and_every_card_type() -> None:
    assert len(ACTIVE) >= 120
    kinds = Counter(c.kind for c in ACTIVE)
    assert kinds["argument"] / len(ACTIVE) >= 0.30
    assert kinds["quote"] >= 5
    assert {c.type for c in ACTIVE} == set(CARD_TYPES)
    assert min(Counter(c.type for c in ACTIVE).values()) >= 10


def test_every_section_of_the_report_is_covered() -> None:
    headings = {qt.section_key(h) for h in qt.report_headings(REPORT_TEXT)}
    per_section = Counter(qt.section_key(c.section or "") for c in ACTIVE)
    assert set(per_section) == headings
    assert min(per_section.values()) >= 8


def test_every_card_was_reviewed_and_ids_are_unique() -> None:
    assert [c.id for c in DECK.cards if not c.reviewed] == []
    ids = [c.id for c in DECK.cards]
    assert len(ids) == len(set(ids))


def test_every_quote_is_an_exact_passage_of_the_report_at_its_line() -> None:
    """Exact passages, line wrapping collapsed; "..." joins passages that follow in order."""
    report = qt.collapse_wrapping(REPORT_TEXT)
    for card in DECK.cards:
        src = card.source
        assert src is not None and src.quote and src.section and src.line, card.id
        start = 0
        for part in re.split(r"\s*\.\.\.\s*", qt.collapse_wrapping(src.quote)):
            found = report.find(part, start)
            assert found >= 0, (card.id, part)
            start = found + len(part)
        assert qt.section_key(src.section) == qt.section_key(card.section or ""), card.id
        first_word = re.match(r"\W*(\w+)", src.quote)
        assert first_word is not None
        assert first_word.group(1) in REPORT_LINES[src.line - 1], card.id


def test_siblings_share_groups() -> None:
    groups = Counter(c.group for c in ACTIVE if c.group)
    assert len(groups) >= 20
    assert [g for g, n in groups.items() if n < 2] == []


def test_cloze_gaps_are_short_and_not_stopwords() -> None:
    for card in ACTIVE:
        if isinstance(card, ClozeCard):
            for gap in card.gaps:
                assert len(gap.answer.split()) <= 5, card.id
                assert gap.answer.casefold() not in STOPWORDS, card.id


def test_mcq_cards_have_three_or_four_distinct_options() -> None:
    for card in ACTIVE:
        if isinstance(card, McqCard):
            assert 3 <= len(card.choices) <= 4, card.id
            assert card.answer in card.choices


def test_numeric_cards_state_a_tolerance() -> None:
    for card in ACTIVE:
        if isinstance(card, NumericCard):
            assert card.tolerance is not None, card.id


def test_bundled_deck_covers_the_gold_list() -> None:
    facts = qt.load_gold()
    result = qt.measure_coverage(DECK.cards, facts, limit=len(DECK.cards))
    assert result.ratio >= 0.95, result.missed


def test_every_card_explains_its_answer() -> None:
    assert [c.id for c in ACTIVE if not (c.explanation or "").strip()] == []


def test_the_grader_accepts_every_listed_answer_and_rejects_distractors() -> None:
    for card in ACTIVE:
        if isinstance(card, McqCard):
            assert grade(card, card.answer).verdict is Verdict.CORRECT, card.id
            for wrong in card.choices:
                if wrong != card.answer:
                    assert grade(card, wrong).verdict is Verdict.WRONG, (card.id, wrong)
        elif isinstance(card, NumericCard):
            assert grade(card, str(card.answer)).verdict is Verdict.CORRECT, card.id
        elif card.type in ("short", "cloze"):
            for answer in card.accepted_answers:
                assert grade(card, answer).verdict is Verdict.CORRECT, (card.id, answer)


def test_regenerating_into_the_bundled_deck_keeps_every_curated_card() -> None:
    generated = generate_full(REPORT_TEXT, source_name=qt.SEED_REPORT.name)
    merged, _ = merge_decks(DECK, generated.deck, generated.cleaned.text)
    after = {c.id: c for c in merged.cards}
    for card in DECK.cards:
        kept = after[card.id]
        assert kept.content_hash() == card.content_hash(), card.id
        assert kept.retired == card.retired and kept.reviewed, card.id
