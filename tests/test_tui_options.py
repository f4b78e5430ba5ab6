"""The Options screen (issue 12): reached from home by a key and the palette; saves checked
options and custom study to the store; refuses a bad value with one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import close_app, make_app, write_deck

import quiz.deck.discovery as discovery
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.options import OptionsScreen

SIZE = (100, 40)


@pytest.fixture(autouse=True)
def _isolated_decks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-decks"
    empty.mkdir()
    monkeypatch.setattr(discovery, "bundled_decks_dir", lambda: empty)
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(empty))
    monkeypatch.setenv("QUIZ_TZ", "UTC")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, widget_id: str, text: str) -> None:
    field = pilot.app.screen.query_one(widget_id, Input)
    field.value = text
    await pilot.pause()


async def test_options_screen_from_home_saves_and_refuses(tmp_path: Path) -> None:
    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    write_deck(deck_dir)
    app = make_app(tmp_path / "p.db", extra_paths=(deck_dir,))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Options" in titles  # in the command palette
            await pilot.press("o")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, OptionsScreen) and screen.deck_id == "tui-test"
            assert screen.query_one("#opt-new_per_day", Input).value == "20"
            assert screen.query_one("#opt-learning_steps", Input).value == "1m,10m"
            chart = str(screen.query_one("#options-sim").render())
            assert "Workload · next 180 days, 6 cards" in chart
            assert "▸0.90" in chart and "0.75" in chart and "0.95" in chart
            await _type(pilot, "#opt-desired_retention", "1.5")
            await pilot.press("ctrl+s")
            await settle(pilot)
            stored = app.db.call_sync(app.store.stored_options, "ann", "tui-test")
            assert stored == {}  # refused: nothing saved
            await _type(pilot, "#opt-desired_retention", "0.85")
            await _type(pilot, "#opt-new_per_day", "3")
            await _type(pilot, "#opt-extra-new", "4")
            await pilot.press("ctrl+s")
            await settle(pilot)
            opts = app.db.call_sync(app.store.options, "ann", "tui-test")
            assert (opts.desired_retention, opts.new_per_day) == (0.85, 3)
            assert sum(opts.extra_new.values()) == 4
            assert "New cards today: 7 (custom study +4)" in str(
                screen.query_one("#options-today").render()
            )
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
    finally:
        close_app(app)
