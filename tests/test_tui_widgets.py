"""Pure helpers of the TUI widgets: highlighting the answer, mastery bars, times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quiz.deck.model import BasicCard, NumericCard, ShortCard
from quiz.tui.timefmt import duration_text, relative_text
from quiz.tui.widgets.mastery_bar import mastery_content
from quiz.tui.widgets.source_passage import answer_words, find_spans, passage_content


def test_numbers_match_whole_and_case_is_ignored() -> None:
    text = "Trade reached 400 billion, not 40 billion; CHINA leads."
    assert [text[a:b] for a, b in find_spans(text, ["40"])] == ["40"]
    assert find_spans(text, ["40"])[0][0] == text.index("40 billion;")
    assert [text[a:b] for a, b in find_spans(text, ["China"])] == ["CHINA"]
    assert find_spans(text, ["4"]) == []


def test_numeric_answer_found_with_thousands_separator() -> None:
    card = NumericCard(
        id="n",
        type="numeric",
        question="How deep?",
        answer=10900,
        source={"quote": "It lies roughly 10,900 metres below sea level."},
    )
    content = passage_content(card)
    assert content is not None and "10,900" in content.plain
    spans = [s for s in content.spans if "10,900" in content.plain[s.start : s.end]]
    assert spans, "the number is highlighted"


def test_paraphrased_answer_highlights_its_telling_words() -> None:
    card = BasicCard(
        id="b",
        type="basic",
        question="Why did Russia turn to China?",
        answer="Because the West tried to isolate Russia",
        source={"quote": "Facing Western attempts to isolate it, Russia turned east."},
    )
    assert answer_words(card) == ["West", "tried", "isolate"]
    content = passage_content(card)
    assert content is not None
    marked = [content.plain[s.start : s.end] for s in content.spans]
    assert "isolate" in marked and "Russia" not in marked


def test_no_quote_no_passage() -> None:
    card = ShortCard(id="s", type="short", question="Q?", answer="A")
    assert passage_content(card) is None


def test_mastery_bar_and_times() -> None:
    assert mastery_content(None).plain == "—"
    assert mastery_content(0.5, 10).plain == "█████" + " " * 5 + "  50%"
    assert mastery_content(1.7, 4).plain == "████ 100%"
    assert duration_text(0) == "0s"
    assert duration_text(65_000) == "1m 05s"
    assert duration_text(3_725_000) == "1h 02m"
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert relative_text(None, now) == "—"
    assert relative_text(now, now) == "now"
    assert relative_text(now + timedelta(minutes=8), now).startswith("in 8 min")
    assert relative_text(now + timedelta(days=4), now).startswith("in 4 days")


def test_key_bar_leaves_out_the_palette_then_the_screens_spare_hints() -> None:
    from quiz.tui.widgets.keybar import PALETTE, fit

    def item(action: str, key: str, label: str) -> tuple[str, list]:
        return action, [(f" {key} ", "bold"), (label, ""), " "]

    items = [
        item("study", "⏎", "Study"),
        item("learner", "l", "Learner"),
        item("app.help", "?", "Help"),
        (PALETTE, ["  ", ("^p", "bold"), " palette"]),
    ]
    assert fit(items, 60, ("learner",)) == items  # 43 cells: all fit
    assert [a for a, _ in fit(items, 32, ("learner",))] == ["study", "learner", "app.help"]
    assert [a for a, _ in fit(items, 20, ("learner",))] == ["study", "app.help"]
    assert [a for a, _ in fit(items, 5, ("learner",))] == ["study", "app.help"]  # cut after
