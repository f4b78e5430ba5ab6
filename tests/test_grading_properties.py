"""Property tests: normalisation is idempotent; accepted answers always grade correct."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from quiz.deck.model import Card
from quiz.study.answers import normalize
from quiz.study.grading import Grade, Verdict, grade

CARD = TypeAdapter(Card)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40
)
answer_text = words.filter(lambda s: s.strip() != "")
gap_text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=["Cs", "Cc"], exclude_characters="{}|:;\n\r"
    ),
    min_size=1,
    max_size=25,
).filter(lambda s: s.strip() != "")
realistic = st.from_regex(
    r"(the )?[A-Z][a-z]{2,9}( (and|of) [A-Z][a-z]{2,9})?( [0-9]{1,4})?( (billion|percent|times))?",
    fullmatch=True,
)


@FAST
@given(words)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@FAST
@given(words)
def test_normalize_has_no_edges_or_runs_of_space(text: str) -> None:
    n = normalize(text)
    assert n == n.strip()
    assert "  " not in n
    assert not any("A" <= c <= "Z" for c in n)


def short(answer: str, accept: list[str]) -> Any:
    return CARD.validate_python(
        {"id": "p1", "type": "short", "question": "Q?", "answer": answer, "accept": accept}
    )


@FAST
@given(answer_text, st.lists(answer_text, max_size=3))
def test_canonical_and_every_alternative_grade_correct(answer: str, accept: list[str]) -> None:
    card = short(answer, accept)
    for alt in card.accepted_answers:
        g = grade(card, alt)
        assert g.verdict is Verdict.CORRECT, (alt, g)


@FAST
@given(realistic)
def test_realistic_answers_survive_case_space_and_punctuation(answer: str) -> None:
    card = short(answer, [])
    for variant in (answer.upper(), f"  {answer.lower()}. ", answer.replace(" ", "  ")):
        assert grade(card, variant).verdict is Verdict.CORRECT, variant


@FAST
@given(st.lists(gap_text, min_size=1, max_size=4))
def test_cloze_answers_grade_correct(gaps: list[str]) -> None:
    text = " x ".join("{{" + g + "}}" for g in gaps)
    card = CARD.validate_python({"id": "p2", "type": "cloze", "text": text})
    answers = [g.answer for g in card.gaps]
    assert grade(card, answers).verdict is Verdict.CORRECT
    assert grade(card, "; ".join(answers)).verdict is Verdict.CORRECT


@FAST
@given(
    st.one_of(
        st.integers(min_value=-(10**9), max_value=10**9),
        st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False).map(float),
    ),
    st.sampled_from([None, "km", "%", "billion USD", "times", "people"]),
)
def test_numeric_canonical_answer_grades_correct(answer: float, unit: str | None) -> None:
    card = CARD.validate_python(
        {"id": "p3", "type": "numeric", "question": "Q?", "answer": answer, "unit": unit}
    )
    assert grade(card, card.canonical_answer).verdict is Verdict.CORRECT
    assert grade(card, str(answer)).verdict is Verdict.CORRECT


@FAST
@given(answer_text, st.one_of(words, st.none(), st.integers(), st.lists(words, max_size=3)))
def test_grading_never_raises(answer: str, response: Any) -> None:
    card = short(answer, [])
    g = grade(card, response)
    assert isinstance(g, Grade)
    assert g.suggested_rating in (1, 2, 3)
