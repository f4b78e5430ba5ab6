"""Pilot tests: study a small deck end to end against a temp database with a fixed clock."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from textual.widgets import Input
from tui_support import START, close_app, make_app, right_answer, write_deck, wrong_answer

from quiz.deck.model import BasicCard, McqCard, TrueFalseCard
from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.tui.screens.study import StudyScreen
from quiz.tui.screens.summary import SummaryScreen
from quiz.tui.widgets.answer_input import TypedAnswer

SIZE = (100, 30)


async def settle(pilot) -> None:
    """Let every worker and database call finish, then the screen repaint."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def study_screen(app) -> StudyScreen:
    screen = app.screen
    assert isinstance(screen, StudyScreen), type(screen)
    return screen


async def answer(pilot, response) -> None:
    """Answer the current card the way a person would: type, pick a number, t/f or Space."""
    screen = study_screen(pilot.app)
    assert screen.state == "question"
    card = screen.view.card
    if isinstance(card, BasicCard):
        await pilot.press("space")
    elif isinstance(card, TrueFalseCard):
        await pilot.press("t" if response == "True" else "f")
    elif isinstance(card, McqCard):
        index = screen.view.choices.index(response)
        await pilot.press(str(index + 1))
    else:
        values = response if isinstance(response, list) else [response]
        boxes = screen.query_one(TypedAnswer).inputs
        assert len(boxes) == len(values)
        for box, value in zip(boxes, values, strict=True):
            assert screen.focused is box
            box.value = value
            await pilot.press("enter")
    await settle(pilot)
    assert screen.state == "answer"


def reviews(db_path: Path) -> list[dict[str, Any]]:
    with Store.open(db_path, readonly=True) as s:
        return [r._asdict() for r in s.reviews()]


def card_state(db_path: Path, card_id: str) -> dict[str, Any] | None:
    with Store.open(db_path, readonly=True) as s:
        return next((r for r in s.card_states() if r["card_id"] == card_id), None)


async def test_study_every_type_right_then_finish(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db_path = tmp_path / "p.db"
    clock = FixedClock(START)
    app = make_app(db_path, deck, clock=clock)
    seen = []
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for _ in range(len(deck.cards)):
                screen = study_screen(app)
                card = screen.view.card
                seen.append(card.id)
                await answer(pilot, right_answer(card))
                verdict = str(screen.query_one("#verdict").render())
                if isinstance(card, BasicCard):
                    assert "How well" in verdict
                else:
                    assert "Right" in verdict, (card.id, verdict)
                clock.advance(seconds=5)
                await pilot.press("4")  # Easy: graduates, not shown again today
                await settle(pilot)
            assert isinstance(app.screen, SummaryScreen)
            text = str(app.screen.query_one("#summary-text").render())
            assert "Cards studied  6" in text
            assert "100%" in text
    finally:
        close_app(app)
    assert sorted(seen) == sorted(c.id for c in deck.cards)
    rows = reviews(db_path)
    assert [r["card_id"] for r in rows] == seen
    assert all(r["rating"] == 4 and r["mode"] == "study" for r in rows)
    by_id = {r["card_id"]: r for r in rows}
    assert by_id["c-basic"]["verdict"] == "self" and by_id["c-basic"]["correct"] is None
    for cid in ("c-short", "c-cloze", "c-numeric", "c-mcq", "c-tf"):
        assert by_id[cid]["correct"] == 1, cid
    assert by_id["c-mcq"]["answer"] == "Africa"


async def test_study_every_type_wrong_suggests_again(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for _ in range(len(deck.cards)):
                screen = study_screen(app)
                card = screen.view.card
                await answer(pilot, wrong_answer(card))
                if not isinstance(card, BasicCard):
                    assert "Wrong" in str(screen.query_one("#verdict").render()), card.id
                    assert screen.result.suggested == 1
                    # the rating bar shows the four intervals
                    bar = str(screen.query_one("#rating-area").query_one("RatingBar").children)
                    assert bar
                await pilot.press("enter")  # the suggested rating
                await settle(pilot)
    finally:
        close_app(app)
    rows = reviews(db_path)
    assert len(rows) == 6
    graded = [r for r in rows if r["card_id"] != "c-basic"]
    assert all(r["correct"] == 0 and r["rating"] == 1 for r in graded)
    basic = next(r for r in rows if r["card_id"] == "c-basic")
    assert basic["rating"] == 3  # self-graded: Enter takes Good


async def test_undo_takes_back_the_last_rating(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = study_screen(app)
            first = screen.view.card
            await answer(pilot, right_answer(first))
            await pilot.press("3")
            await settle(pilot)
            assert len(reviews(db_path)) == 1
            assert screen.view.card.id != first.id
            # the next card may have its answer box focused: Esc leaves it, then u undoes
            if isinstance(screen.focused, Input):
                await pilot.press("escape")
            await pilot.press("u")
            await settle(pilot)
            assert len(reviews(db_path)) == 0
            assert screen.view.card.id == first.id
            assert screen.state == "question"
            # Ctrl+Z works even while typing
            await answer(pilot, right_answer(first))
            await pilot.press("3")
            await settle(pilot)
            assert len(reviews(db_path)) == 1
            await pilot.press("ctrl+z")
            await settle(pilot)
            assert len(reviews(db_path)) == 0
    finally:
        close_app(app)


async def test_suspend_bury_and_flag(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = study_screen(app)
            first = screen.view.card.id
            await answer(pilot, right_answer(screen.view.card))
            await pilot.press("at")  # suspend
            await settle(pilot)
            second = screen.view.card.id
            assert second != first
            if isinstance(screen.focused, Input):
                await pilot.press("escape")
            await pilot.press("minus")  # bury
            await settle(pilot)
            third = screen.view.card.id
            assert third not in (first, second)
            if isinstance(screen.focused, Input):
                await pilot.press("escape")
            await pilot.press("exclamation_mark")
            await settle(pilot)
            box = app.screen.query_one("#comment", Input)
            box.value = "answer [/] is out of date"
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen
            assert screen.view.card.id == third  # flagging keeps the card
    finally:
        close_app(app)
    assert card_state(db_path, first)["suspended"] == 1
    assert card_state(db_path, second)["buried_until"] is not None
    flagged = card_state(db_path, third)
    assert flagged["flagged"] == 1 and flagged["flag_comment"] == "answer [/] is out of date"
    assert reviews(db_path) == []  # none of these is an answer


async def test_escape_keeps_typed_text_until_asked_twice(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, DECK_YAML_SHORT_ONLY)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = study_screen(app)
            box = screen.query_one(TypedAnswer).inputs[0]
            assert screen.focused is box
            await pilot.press("S", "e", "i")
            await pilot.press("escape")  # leaves the box, keeps the text
            await settle(pilot)
            assert app.screen is screen and box.value == "Sei"
            await pilot.press("escape")  # warns: typed text not checked
            await settle(pilot)
            assert app.screen is screen and box.value == "Sei"
            await pilot.press("i")  # back to typing
            assert screen.focused is box
            await pilot.press("n", "e", "enter")
            await settle(pilot)
            assert screen.state == "answer"
            assert screen.result.grade.response == "Seine"
    finally:
        close_app(app)


DECK_YAML_SHORT_ONLY = """\
deck: short-only
title: Short only
cards:
  - id: s1
    type: short
    question: Which river flows through Paris?
    answer: Seine
"""


async def test_practice_does_not_change_the_schedule(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck, mode="practice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = study_screen(app)
            await answer(pilot, right_answer(screen.view.card))
            await pilot.press("enter")
            await settle(pilot)
    finally:
        close_app(app)
    rows = reviews(db_path)
    assert len(rows) == 1 and rows[0]["mode"] == "practice"
    assert card_state(db_path, rows[0]["card_id"])["state"] == 0  # still new


async def test_exam_asks_n_cards_and_scores(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck, mode="exam", exam_size=3)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for _ in range(3):
                screen = study_screen(app)
                await answer(pilot, right_answer(screen.view.card))
                await pilot.press("enter")
                await settle(pilot)
            assert isinstance(app.screen, SummaryScreen)
            assert "Exam score" in str(app.screen.query_one("#summary-text").render())
    finally:
        close_app(app)
    rows = reviews(db_path)
    assert len(rows) == 3 and {r["mode"] for r in rows} == {"exam"}


async def test_escape_after_answering_warns_before_dropping_the_answer(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, DECK_YAML_SHORT_ONLY)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = study_screen(app)
            await answer(pilot, "Seine")
            await pilot.press("escape")  # warns: not recorded until rated
            await settle(pilot)
            assert app.screen is screen and screen.state == "answer"
            await pilot.press("escape")  # leaves; nothing recorded
            await settle(pilot)
            assert isinstance(app.screen, SummaryScreen)
    finally:
        close_app(app)
    assert reviews(db_path) == []


async def test_a_locked_database_keeps_the_screen_alive_and_the_answer(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, DECK_YAML_SHORT_ONLY)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    blocker = sqlite3.connect(db_path, timeout=0.1, isolation_level=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = study_screen(app)
            await answer(pilot, "Seine")
            blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
            await pilot.press("3")
            await pilot.pause(0.8)
            # still answering, the screen still handles messages, and says why it waits
            assert screen.busy and screen.state == "answer"
            assert any("Waiting for the database" in str(n.message) for n in app._notifications)
            blocker.execute("COMMIT")
            await settle(pilot)
            assert not screen.busy and screen.state == "question"  # the next card is up
            assert len(reviews(db_path)) == 1
    finally:
        blocker.close()
        close_app(app)
    rows = reviews(db_path)
    assert len(rows) == 1 and rows[0]["rating"] == 3
