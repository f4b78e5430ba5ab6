"""Grading accuracy on the labelled set: false accept and false reject rates, and speed.

    /work/venv/bin/python bench/grading_accuracy.py [--verbose] [PATH]

false accept = labelled reject, verdict CORRECT (rate over reject labels; target <= 2%)
false reject = labelled accept, verdict WRONG   (rate over accept labels; target <= 10%)
CLOSE is neither (the learner decides); its share is reported.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter

from quiz.deck.model import Card
from quiz.study.grading import Verdict, grade

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "grading_labelled.yaml"


@dataclass(frozen=True)
class Case:
    card: object
    response: str | list[str]
    accept: bool


@dataclass
class Figures:
    accepts: int = 0
    rejects: int = 0
    false_accepts: list[Case] = field(default_factory=list)
    false_rejects: list[Case] = field(default_factory=list)
    close: int = 0

    @property
    def false_accept_rate(self) -> float:
        return len(self.false_accepts) / self.rejects if self.rejects else 0.0

    @property
    def false_reject_rate(self) -> float:
        return len(self.false_rejects) / self.accepts if self.accepts else 0.0

    @property
    def close_rate(self) -> float:
        total = self.accepts + self.rejects
        return self.close / total if total else 0.0


def load_cases(path: Path = DEFAULT_PATH) -> list[Case]:
    """Every labelled response in the file, with its card."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    adapter = TypeAdapter(Card)
    cases: list[Case] = []
    for item in data["items"]:
        card = adapter.validate_python(item["card"])
        for label in ("accept", "reject"):
            for response in item.get(label, []):
                cases.append(Case(card, response, label == "accept"))
    return cases


def measure(cases: list[Case]) -> Figures:
    """Grade every case and count false accepts, false rejects and close verdicts."""
    fig = Figures()
    for case in cases:
        response = case.response
        if isinstance(response, list) and len(response) == 1:
            response = response[0]
        verdict = grade(case.card, response).verdict
        if verdict is Verdict.CLOSE:
            fig.close += 1
        if case.accept:
            fig.accepts += 1
            if verdict is Verdict.WRONG:
                fig.false_rejects.append(case)
        else:
            fig.rejects += 1
            if verdict is Verdict.CORRECT:
                fig.false_accepts.append(case)
    return fig


def time_per_answer_us(cases: list[Case], rounds: int = 3) -> tuple[float, float]:
    """Median and 95th percentile microseconds per graded answer, caches cleared each round."""
    from quiz.study.answers import analyse

    grade(cases[0].card, cases[0].response)  # imports and compiled patterns
    samples: list[float] = []
    for _ in range(rounds):
        analyse.cache_clear()
        for case in cases:
            start = time.perf_counter()
            grade(case.card, case.response)
            samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    paths = [a for a in argv if not a.startswith("--")]
    cases = load_cases(Path(paths[0]) if paths else DEFAULT_PATH)
    fig = measure(cases)
    print(f"labelled responses: {len(cases)} ({fig.accepts} accept, {fig.rejects} reject)")
    print(
        f"false accept rate: {fig.false_accept_rate:.1%} ({len(fig.false_accepts)}/{fig.rejects})"
    )
    print(
        f"false reject rate: {fig.false_reject_rate:.1%} ({len(fig.false_rejects)}/{fig.accepts})"
    )
    print(f"close verdicts: {fig.close_rate:.1%} ({fig.close}/{len(cases)})")
    median, p95 = time_per_answer_us(cases)
    print(f"time per answer: median {median:.0f} us, p95 {p95:.0f} us (cold cache)")
    if verbose:
        for case in fig.false_accepts:
            print(f"  FALSE ACCEPT {case.card.id}: {case.response!r}")  # type: ignore[attr-defined]
        for case in fig.false_rejects:
            print(f"  FALSE REJECT {case.card.id}: {case.response!r}")  # type: ignore[attr-defined]
    ok = fig.false_accept_rate <= 0.02 and fig.false_reject_rate <= 0.10
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
