"""Grading accuracy on the labelled set (tests/data/grading_labelled.yaml).

false accept = labelled reject, verdict CORRECT (rate over reject labels, <= 2%)
false reject = labelled accept, verdict WRONG   (rate over accept labels, <= 10%)
CLOSE is neither: the learner decides. Its share is bounded so that a grader
answering CLOSE to everything cannot pass.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from quiz.study.grading import Verdict, grade

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "grading_accuracy", ROOT / "bench" / "grading_accuracy.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _bench()


def test_labelled_set_is_large_and_balanced(bench: ModuleType) -> None:
    cases = bench.load_cases()
    assert len(cases) >= 200
    types = {c.card.type for c in cases}
    assert {"short", "cloze", "numeric"} <= types
    accepts = sum(c.accept for c in cases)
    assert 0.3 < accepts / len(cases) < 0.7


def test_false_accept_and_false_reject_rates(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    fig = bench.measure(bench.load_cases())
    with capsys.disabled():
        print(
            f"\ngrading accuracy: false accept {fig.false_accept_rate:.1%} "
            f"({len(fig.false_accepts)}/{fig.rejects}), false reject {fig.false_reject_rate:.1%} "
            f"({len(fig.false_rejects)}/{fig.accepts}), close {fig.close_rate:.1%}"
        )
    assert fig.false_accept_rate <= 0.02, [(c.card.id, c.response) for c in fig.false_accepts]
    assert fig.false_reject_rate <= 0.10, [(c.card.id, c.response) for c in fig.false_rejects]
    assert fig.close_rate <= 0.20


def test_measure_counts_by_the_documented_definitions(bench: ModuleType) -> None:
    cases = bench.load_cases()
    some = [c for c in cases if c.card.type == "short"][:40]
    fig = bench.measure(some)
    verdicts = [grade(c.card, c.response).verdict for c in some]
    assert len(fig.false_accepts) == sum(
        (not c.accept) and v is Verdict.CORRECT for c, v in zip(some, verdicts, strict=True)
    )
    assert len(fig.false_rejects) == sum(
        c.accept and v is Verdict.WRONG for c, v in zip(some, verdicts, strict=True)
    )
    assert fig.close == sum(v is Verdict.CLOSE for v in verdicts)
    assert fig.accepts + fig.rejects == len(some)


def test_a_grader_that_accepts_everything_would_fail(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.study.grading import Grade

    monkeypatch.setattr(
        bench, "grade", lambda card, response: Grade(Verdict.CORRECT, 3, str(response), "")
    )
    fig = bench.measure(bench.load_cases())
    assert fig.false_accept_rate > 0.5
