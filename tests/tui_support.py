"""Shared helpers for the TUI tests: a small deck of every card type, an app on a temp DB."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

from quiz.deck.loader import load_deck
from quiz.deck.model import (
    AnyCard,
    BasicCard,
    ClozeCard,
    Deck,
    McqCard,
    NumericCard,
    ShortCard,
    TrueFalseCard,
)
from quiz.study.clock import FixedClock
from quiz.tui.app import QuizApp
from quiz.tui.db import DbThread

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

DECK_YAML = """\
deck: tui-test
title: TUI test deck
description: One card of every type.
cards:
  - id: c-basic
    type: basic
    section: 1. Basics
    question: What is the capital of France?
    answer: Paris
    explanation: Paris has been the capital for centuries.
    source:
      quote: The capital of France is Paris, on the Seine.
      section: 1. Basics
      line: 3
  - id: c-short
    type: short
    section: 1. Basics
    question: Which river flows through Paris?
    answer: Seine
    source:
      quote: Paris lies on the Seine.
  - id: c-cloze
    type: cloze
    section: 2. Numbers
    text: "The {{Pacific}} is larger than the {{Atlantic::an ocean}}."
    source:
      quote: The Pacific is larger than the Atlantic.
  - id: c-numeric
    type: numeric
    section: 2. Numbers
    question: How many metres deep is the Challenger Deep, roughly?
    answer: 10900
    unit: metres
    tolerance: 5%
    source:
      quote: It lies roughly 10,900 metres below sea level.
  - id: c-mcq
    type: mcq
    section: 3. Choices
    question: Which continent is the second-largest?
    choices: [Africa, Europe, Asia, Oceania]
    answer: Africa
  - id: c-tf
    type: truefalse
    section: 3. Choices
    statement: The Nile flows south.
    answer: false
    explanation: It flows north into the Mediterranean.
"""

HOSTILE_YAML = r"""
deck: hostile
title: "Hostile [bold]deck[/] $title"
cards:
  - id: h-markup
    type: short
    section: "[/] section $var"
    question: "What closes markup? [/] or [/bold] or [bold]not bold[/bold] $var"
    answer: "[/]"
    explanation: "Explanation with [link=x]link[/link] and [/"
    source:
      quote: "The answer is [/] here, $var and [bold]."
  - id: h-ansi
    type: mcq
    question: "ANSI \e[31mred\e[0m and control \x07 bell"
    choices: ["[/]", "\e[1mbold\e[0m", "$var", "[bold]x"]
    answer: "[/]"
  - id: h-cloze
    type: cloze
    text: "Gap {{[/]}} and {{$var}} [bold]"
  - id: h-basic
    type: basic
    question: "[b]basic[/b] \x1b[2J clear"
    answer: "[/"
"""


def write_deck(tmp_path: Path, text: str = DECK_YAML, name: str = "deck.yaml") -> Deck:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_deck(path)


def make_app(
    db_path: Path,
    deck: Deck | None = None,
    *,
    clock: FixedClock | None = None,
    learner: str = "ann",
    mode: str = "study",
    exam_size: int | None = None,
    extra_paths: tuple[Path, ...] = (),
) -> QuizApp:
    """A QuizApp on a store at ``db_path`` opened on its database thread."""
    from quiz.store import Store

    clock = clock or FixedClock(START)
    thread = DbThread()
    store = thread.call_sync(Store.open, db_path, clock=clock)
    app = QuizApp(
        store=store,
        db=thread,
        learner=learner,
        db_path=db_path,
        clock=clock,
        extra_paths=extra_paths,
        study_deck=deck,
        mode=mode,
        exam_size=exam_size,
        seed=7,
    )
    return app


def close_app(app: QuizApp) -> None:
    app.db.call_sync(app.store.close)
    app.db.shutdown()


def right_answer(card: AnyCard) -> str | list[str] | None:
    """What to type (or pick) to answer ``card`` correctly."""
    if isinstance(card, ClozeCard):
        return [g.answer for g in card.gaps]
    if isinstance(card, NumericCard):
        return str(int(card.answer))
    if isinstance(card, ShortCard | McqCard):
        return card.answer
    if isinstance(card, TrueFalseCard):
        return "True" if card.answer else "False"
    assert isinstance(card, BasicCard)
    return None


def wrong_answer(card: AnyCard) -> str | list[str] | None:
    """A clearly wrong answer to ``card``."""
    if isinstance(card, ClozeCard):
        return ["zzzz" for _ in card.gaps]
    if isinstance(card, NumericCard):
        return "1"
    if isinstance(card, ShortCard):
        return "qqqqqq"
    if isinstance(card, McqCard):
        return next(c for c in card.choices if c != card.answer)
    if isinstance(card, TrueFalseCard):
        return "False" if card.answer else "True"
    return None
