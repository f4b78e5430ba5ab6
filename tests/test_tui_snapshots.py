"""Snapshot tests of the study app (pytest-textual-snapshot): fixed clock, size and data.

Update with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at
the SVGs (snapshot_report.html) before committing them.
"""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import DECK_YAML, HOSTILE_YAML, close_app, make_app, write_deck

import quiz.deck.discovery as discovery
from quiz.deck.model import Deck
from quiz.tui.screens.browse import BrowseScreen

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _fixed_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-decks"
    empty.mkdir()
    monkeypatch.setattr(discovery, "bundled_decks_dir", lambda: empty)
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(empty))
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    # review ids seed the scheduler's fuzz: fixed ids make the shown intervals fixed
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for screen in pilot.app.screen_stack:
        for box in screen.query(Input):
            box.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def only(deck: Deck, card_id: str) -> Deck:
    """The deck with just one of its cards."""
    return deck.model_copy(update={"cards": [c for c in deck.cards if c.id == card_id]})


def snap(snap_compare, app, run_before=None, size=SIZE) -> bool:
    async def before(pilot) -> None:
        await settle(pilot)
        if run_before is not None:
            await run_before(pilot)
            await settle(pilot)

    try:
        return snap_compare(app, run_before=before, terminal_size=size)
    finally:
        close_app(app)


def test_home(snap_compare, tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    write_deck(decks)
    app = make_app(tmp_path / "p.db", extra_paths=(decks,))
    assert snap(snap_compare, app)


@pytest.mark.parametrize("card_id", ["c-basic", "c-short", "c-cloze", "c-numeric", "c-mcq", "c-tf"])
def test_question(snap_compare, tmp_path: Path, card_id: str) -> None:
    deck = only(write_deck(tmp_path), card_id)
    app = make_app(tmp_path / "p.db", deck)
    assert snap(snap_compare, app)


def test_answer_with_diff_and_source(snap_compare, tmp_path: Path) -> None:
    deck = only(write_deck(tmp_path), "c-short")

    async def answer(pilot) -> None:
        await pilot.press("S", "i", "e", "n", "n", "enter")

    app = make_app(tmp_path / "p.db", deck)
    assert snap(snap_compare, app, answer)


def test_answer_revealed_basic_at_80x24(snap_compare, tmp_path: Path) -> None:
    deck = only(write_deck(tmp_path), "c-basic")

    async def reveal(pilot) -> None:
        await pilot.press("space")

    app = make_app(tmp_path / "p.db", deck)
    assert snap(snap_compare, app, reveal, size=(80, 24))


def test_summary(snap_compare, tmp_path: Path) -> None:
    deck = only(write_deck(tmp_path), "c-mcq")

    async def study(pilot) -> None:
        screen = pilot.app.screen
        pilot.app.clock.advance(seconds=12)  # time spent on the card
        index = screen.view.choices.index("Africa")
        await pilot.press(str(index + 1))
        await settle(pilot)
        await pilot.press("4")  # Easy: graduates, nothing left today

    app = make_app(tmp_path / "p.db", deck)
    assert snap(snap_compare, app, study)


def test_browse(snap_compare, tmp_path: Path) -> None:
    deck = write_deck(tmp_path)

    async def browse(pilot) -> None:
        pilot.app.push_screen(BrowseScreen(deck))

    app = make_app(tmp_path / "p.db", deck)
    assert snap(snap_compare, app, browse)


def test_help(snap_compare, tmp_path: Path) -> None:
    deck = only(write_deck(tmp_path), "c-basic")

    async def help_(pilot) -> None:
        await pilot.press("question_mark")

    app = make_app(tmp_path / "p.db", deck)
    assert snap(snap_compare, app, help_)


def test_hostile_mcq(snap_compare, tmp_path: Path) -> None:
    deck = only(write_deck(tmp_path, HOSTILE_YAML, "hostile.yaml"), "h-ansi")
    app = make_app(tmp_path / "p.db", deck, learner="[b]ann[/b] $me")
    assert snap(snap_compare, app)


assert DECK_YAML  # the deck every snapshot uses (tests/tui_support.py)


def test_mcq_answered_wrong(snap_compare, tmp_path: Path) -> None:
    deck = only(write_deck(tmp_path), "c-mcq")

    async def pick_wrong(pilot) -> None:
        choices = pilot.app.screen.view.choices
        wrong = next(i for i, c in enumerate(choices) if c != "Africa")
        await pilot.press(str(wrong + 1))

    app = make_app(tmp_path / "p.db", deck)
    assert snap(snap_compare, app, pick_wrong)
