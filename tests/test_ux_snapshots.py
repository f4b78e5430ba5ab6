"""Snapshots of issue 13's screens at 80x24 and 100x30: home, study (question and answer with
a long quote), browse and stats, each shown after a resize from the other size."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import DECK_YAML, close_app, make_app, write_deck

import quiz.deck.discovery as discovery
from quiz.tui.screens.browse import BrowseScreen

SIZES = {"80x24": (80, 24), "100x30": (100, 30)}
OTHER = {"80x24": (100, 30), "100x30": (80, 24)}
LONG_QUOTE = (
    "The China-Russia relationship has become an increasingly robust, pragmatic strategic "
    "partnership since 2014, in part because the United States is pursuing policies that have "
    "driven the two countries closer together. Both reject a liberal international order, and "
    "both seek to reshape the world in ways that protect their authoritarian systems, while "
    "their leaders describe the relationship as the best it has ever been."
)
LONG_DECK = (
    DECK_YAML.replace("title: TUI test deck", "title: 'Russia and China: Axis of Revisionists?'")
    .replace(
        "      quote: The capital of France is Paris, on the Seine.", f"      quote: {LONG_QUOTE}"
    )
    .replace(
        "    question: What is the capital of France?",
        "    question: According to the report, what is one reason the China-Russia relationship "
        "has become an increasingly robust, pragmatic strategic partnership since 2014?",
    )
)


@pytest.fixture(autouse=True)
def _fixed_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-decks"
    empty.mkdir()
    monkeypatch.setattr(discovery, "bundled_decks_dir", lambda: empty)
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(empty))
    monkeypatch.setenv("QUIZ_TZ", "UTC")
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


def snap(snap_compare, app, size: str, steps=None) -> bool:
    """Start at the other size, resize to ``size``, then run ``steps``."""

    async def before(pilot) -> None:
        await settle(pilot)
        await pilot.resize_terminal(*SIZES[size])
        await settle(pilot)
        if steps is not None:
            await steps(pilot)
            await settle(pilot)

    try:
        return snap_compare(app, run_before=before, terminal_size=OTHER[size])
    finally:
        close_app(app)


@pytest.mark.parametrize("size", SIZES)
def test_home_after_resize(snap_compare, tmp_path: Path, size: str) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    write_deck(decks, LONG_DECK)
    write_deck(decks, DECK_YAML.replace("deck: tui-test", "deck: geo"), name="geo.yaml")
    app = make_app(tmp_path / "p.db", extra_paths=(decks,))
    assert snap(snap_compare, app, size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("side", ["question", "answer"])
def test_study_long_quote(snap_compare, tmp_path: Path, size: str, side: str) -> None:
    deck = write_deck(tmp_path, LONG_DECK)
    deck = deck.model_copy(update={"cards": [c for c in deck.cards if c.id == "c-basic"]})

    async def reveal(pilot) -> None:
        await pilot.press("space")

    app = make_app(tmp_path / "p.db", deck)
    assert snap(snap_compare, app, size, reveal if side == "answer" else None)


@pytest.mark.parametrize("size", SIZES)
def test_browse_after_resize(snap_compare, tmp_path: Path, size: str) -> None:
    deck = write_deck(tmp_path, LONG_DECK)
    app = make_app(tmp_path / "p.db", deck)

    async def run(pilot) -> None:  # browse opened at the other size, then resized
        await settle(pilot)
        pilot.app.push_screen(BrowseScreen(deck))
        await settle(pilot)
        await pilot.press("at")  # a suspended card: its whole state must show
        await settle(pilot)
        await pilot.resize_terminal(*SIZES[size])
        await settle(pilot)

    try:
        assert snap_compare(app, run_before=run, terminal_size=OTHER[size])
    finally:
        close_app(app)


@pytest.mark.parametrize("size", SIZES)
def test_stats_after_resize(snap_compare, tmp_path: Path, size: str) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    write_deck(decks, LONG_DECK)
    app = make_app(tmp_path / "p.db", extra_paths=(decks,))

    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.resize_terminal(*SIZES[size])
        await settle(pilot)

    try:
        assert snap_compare(app, run_before=run, terminal_size=OTHER[size])
    finally:
        close_app(app)
