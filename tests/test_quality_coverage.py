"""The gold list of key facts, the coverage measure, and the raw generated deck's coverage."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

try:
    from tests import quality_tools as qt
except ImportError:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    import quality_tools as qt  # type: ignore[no-redef]

from quiz.deck.model import ClozeCard, McqCard, NumericCard, ShortCard, TrueFalseCard

FACTS = qt.load_gold()
REPORT_TEXT = qt.SEED_REPORT.read_text(encoding="utf-8")


# --- the gold list ---------------------------------------------------------


def test_gold_list_is_large_and_unique() -> None:
    ids = [f.id for f in FACTS]
    assert len(FACTS) >= 45
    assert len(set(ids)) == len(ids)
    assert all(f.answer and f.context for f in FACTS)


def test_gold_list_mixes_kinds_and_categories() -> None:
    kinds = Counter(f.kind for f in FACTS)
    assert set(kinds) <= set(qt.KINDS)
    assert kinds["argument"] / len(FACTS) >= 0.40
    assert kinds["quote"] >= 5
    categories = {f.category for f in FACTS}
    for wanted in (
        "number",
        "date",
        "name",
        "quote",
        "cause",
        "claim",
        "contrast",
        "recommendation",
        "prediction",
        "definition",
    ):
        assert wanted in categories, wanted


def test_gold_list_covers_every_section_of_the_report() -> None:
    headings = {qt.section_key(h) for h in qt.report_headings(REPORT_TEXT)}
    assert len(headings) == 10
    fact_sections = {qt.section_key(f.section) for f in FACTS}
    assert fact_sections == headings
    per_section = Counter(qt.section_key(f.section) for f in FACTS)
    assert min(per_section.values()) >= 4


def test_every_gold_quote_is_a_passage_of_the_report() -> None:
    assert qt.check_gold() == []


def test_check_gold_reports_a_quote_that_is_not_in_the_report(tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    report = tmp_path / "report.txt"
    report.write_text("Trade reached $107 billion\nin 2018, the second-\nlargest ever.\n")
    gold.write_text(
        f"source: {report}\n"
        "facts:\n"
        "- {id: ok, kind: fact, section: S, answer: ['$107 billion'], context: [trade],"
        " quote: 'Trade reached $107 billion in 2018, the second-largest ever.'}\n"
        "- {id: bad, kind: fact, section: S, answer: ['$108 billion'], context: [trade],"
        " quote: 'Trade reached $108 billion in 2018'}\n"
    )
    assert qt.check_gold(gold) == ["bad: quote is not a passage of the report"]


# --- normalisation and matching ------------------------------------------------


def test_collapse_wrapping_joins_lines_and_keeps_real_hyphens() -> None:
    text = "Russia’s number one trading partner and the second-\nlargest purchaser \n of arms."
    assert qt.collapse_wrapping(text) == (
        "Russia’s number one trading partner and the second-largest purchaser of arms."
    )


def test_numbers_are_compared_by_value() -> None:
    assert qt.answer_matches("$107 billion", "107 billion")
    assert qt.answer_matches("107,000,000,000", "$107 billion")
    assert qt.answer_matches("1,000", "1000")
    assert qt.answer_matches("73 %", "73%")
    assert not qt.answer_matches("$108 billion", "$107 billion")
    assert not qt.answer_matches("2019", "2018")


def test_text_answers_are_normalised() -> None:
    assert qt.answer_matches("the Power of Siberia", "Power of Siberia")
    assert qt.answer_matches("“color” revolutions", "color revolutions")
    assert qt.answer_matches("Putin’s foreign policy", "Putin's foreign policy")
    assert qt.answer_matches(
        "in part because the United States is pursuing policies", "the United States"
    )
    assert not qt.answer_matches("Siberia", "Power of Siberia")
    assert not qt.answer_matches("Russia", "Russian Far East")


def _src(quote: str) -> dict[str, str]:
    return {"quote": quote}


QUOTE_107 = (
    "Their bilateral trade has risen to $107 billion in 2018 (for comparison, U.S.-China"
    " trade that year amounted to $660 billion)"
)


def _fact(fact_id: str) -> qt.GoldFact:
    return next(f for f in FACTS if f.id == fact_id)


def test_a_numeric_card_with_a_scaled_unit_covers_the_trade_fact() -> None:
    card = NumericCard(
        id="n1",
        type="numeric",
        question="What did Sino-Russian bilateral trade reach in 2018?",
        answer=107,
        unit="billion US dollars",
        source=_src(QUOTE_107),
    )
    assert qt.covers(card, _fact("econ-trade-107-billion"))
    assert not qt.covers(card, _fact("econ-trade-target-200-billion"))


def test_a_card_needs_the_facts_context_not_only_its_answer() -> None:
    fact = _fact("split-border-war-1969")
    right = ClozeCard(
        id="c1",
        type="cloze",
        text="Soviet and Chinese soldiers fought a brief border war in {{1969}}.",
    )
    elsewhere = ShortCard(
        id="s1",
        type="short",
        question="Border clashes like those of which year are still feared in Primorsky Krai?",
        answer="1969",
    )
    wrong = ClozeCard(
        id="c2", type="cloze", text="Soviet and Chinese soldiers fought a border war in {{1970}}."
    )
    assert qt.covers(right, fact)
    assert not qt.covers(elsewhere, fact)
    assert not qt.covers(wrong, fact)


def test_an_overlapping_source_quote_stands_in_for_context_terms() -> None:
    fact = _fact("econ-weakened-position")
    card = ShortCard(
        id="s2",
        type="short",
        question="Why could China get a cheap price for the gas deal?",
        answer="Russia was in a weakened position",
        source=_src(
            "Because Russia was in a weakened position, Beijing was able to achieve most of"
            " the goals it had pursued for some years"
        ),
    )
    assert qt.covers(card, fact)


def test_mcq_and_truefalse_answers_are_matched() -> None:
    mcq = McqCard(
        id="m1",
        type="mcq",
        question="Which country did Russia overtake in 2016 as the top source of China’s oil imports?",
        choices=["Saudi Arabia", "Iraq", "Angola"],
        answer="Saudi Arabia",
    )
    false = TrueFalseCard(
        id="t1",
        type="truefalse",
        statement="Russia overtook Iraq as the top source of China’s oil imports in 2016.",
        answer=False,
        explanation="False: it overtook Saudi Arabia as the top source of China’s oil imports.",
    )
    fact = _fact("econ-overtook-saudi-arabia")
    assert qt.covers(mcq, fact)
    assert qt.covers(false, fact)


def test_coverage_counts_only_the_first_active_cards() -> None:
    fact = _fact("econ-overtook-saudi-arabia")
    hit = McqCard(
        id="hit",
        type="mcq",
        question="Russia overtook which country as top source of China’s oil imports?",
        choices=["Saudi Arabia", "Iraq", "Angola"],
        answer="Saudi Arabia",
    )
    filler = [
        ClozeCard(id=f"f{i}", type="cloze", text=f"Filler {{{{card {i}}}}}.") for i in range(3)
    ]
    retired = hit.model_copy(update={"id": "old", "retired": True})
    assert qt.measure_coverage([retired, *filler, hit], [fact], limit=3).missed == [fact.id]
    result = qt.measure_coverage([retired, hit, *filler], [fact], limit=3)
    assert result.covered == {fact.id: ["hit"]}
    assert result.ratio == 1.0


def test_label_sample_takes_every_kth_card() -> None:
    cards = [ClozeCard(id=f"c{i}", type="cloze", text=f"Card {{{{{i}}}}}.") for i in range(160)]
    sample = qt.label_sample(cards, limit=150, size=50)
    assert [c.id for c in sample[:3]] == ["c0", "c3", "c6"]
    assert len(sample) == 50
    assert sample[-1].id == "c147"


def test_coverage_cli_prints_covered_and_missed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: mini\ntitle: Mini\ncards:\n"
        "- id: a\n  type: cloze\n"
        "  text: 'Since {{2009}}, China has been Russia’s largest trading partner.'\n"
    )
    assert qt.main(["coverage", str(deck)]) == 0
    out = capsys.readouterr().out
    assert f"covered 1/{len(FACTS)}" in out
    assert "econ-largest-partner-2009: a" in out
    assert "MISSED" in out and "econ-trade-107-billion" in out


# --- the raw generated deck ------------------------------------------------------


def test_raw_generated_deck_covers_80_percent_of_the_gold_list() -> None:
    if not qt.RAW_DECK.exists():
        pytest.skip(f"{qt.RAW_DECK.relative_to(qt.REPO)} not generated yet (quiz generate)")
    deck = qt.load_deck(qt.RAW_DECK)
    result = qt.measure_coverage(deck.cards, FACTS, qt.COVERAGE_LIMIT)
    assert result.cards_measured >= min(qt.COVERAGE_LIMIT, len(deck.active_cards))
    assert result.ratio >= qt.COVERAGE_TARGET, (
        f"covered {len(result.covered)}/{len(FACTS)}; missed: {', '.join(result.missed)}"
    )


# --- the labelled sample -----------------------------------------------------------

LABELS = qt.REPO / "tests" / "data" / "gold" / "stent-2020-raw-sample-labels.yaml"
LABEL_VALUES = {"as-is", "edit", "reject"}


def test_labelled_samples_are_complete_and_their_figures_are_in_the_note() -> None:
    data = qt.yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    note = (qt.REPO / "docs" / "generation-quality.md").read_text(encoding="utf-8")
    assert data["rounds"]
    for rnd in data["rounds"]:
        labels = rnd["labels"]
        assert len(labels) == 50
        assert [lab["n"] for lab in labels] == list(range(1, 51))
        assert len({lab["id"] for lab in labels}) == 50
        assert {lab["label"] for lab in labels} <= LABEL_VALUES
        assert all(lab["reason"].strip() for lab in labels)
        counts = Counter(lab["label"] for lab in labels)
        assert rnd["summary"] == dict(counts)
        as_is, edit = counts["as-is"], counts["edit"]
        assert f"{as_is}/50 = **{as_is * 2}%**" in note
        assert f"{as_is + edit}/50 = **{(as_is + edit) * 2}%**" in note


def test_each_labelled_round_is_the_sample_of_its_generator_commit() -> None:
    data = qt.yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    for rnd in data["rounds"]:
        try:
            deck = qt.load_deck(qt.RAW_DECK, rnd["generator_commit"])
        except (OSError, qt.subprocess.CalledProcessError):
            pytest.skip("git history of the raw deck is not available here")
        sample = qt.label_sample(deck.cards)
        assert [lab["id"] for lab in rnd["labels"]] == [c.id for c in sample]
