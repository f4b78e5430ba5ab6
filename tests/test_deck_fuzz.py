"""Fuzzing the loader: random YAML-ish text and random bytes; only DeckError may escape."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.deck.loader import load_deck, read_deck
from quiz.errors import DeckError

_FRAGMENTS = [
    "deck: d\n", "title: T\n", "cards:\n", "  - ", "id: a", "type: ", "basic", "mcq", "cloze",
    "question: ", "answer: ", "choices: [", "]", "{", "}", "{{gap}}", "&a ", "*a", "<<: ", "!!str ",
    "!!python/object:os.system ", "!x ", "? ", ": ", "- ", "\n", "    ", "\t", "'", '"', "#", "---\n",
    "...\n", "|\n", ">\n", "%YAML 1.1\n", "yes", "1e999", "0x1F", ".nan", "~", "2020-01-01", "\\",
    "[[[[", "]]]]", ",", "\u00e9", "\ufeff", "\x85", "\u2028",
]  # fmt: skip

yamlish = st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=8), max_size=40).map("".join)

_dir = Path(tempfile.mkdtemp(prefix="quiz-fuzz-"))


def _check(data: bytes) -> None:
    path = _dir / "fuzz.yaml"
    path.write_bytes(data)
    result = read_deck(path)  # never raises
    assert result.deck is not None or result.errors
    for problem in result.problems:
        assert "\n" not in problem.format()
    try:
        load_deck(path)
    except DeckError as exc:
        assert str(exc).startswith(str(path))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish)
def test_random_yaml_text(text: str) -> None:
    _check(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=60), st.integers(min_value=0, max_value=120))
def test_corrupted_valid_deck(noise: bytes, at: int) -> None:
    valid = (b"deck: d\ntitle: T\ncards:\n  - {id: a, type: mcq, question: Q, "
             b"choices: [x, y, z], answer: x}\n")  # fmt: skip
    _check(valid[:at] + noise + valid[at:])
