"""Issue 13's rough edges, one test each (items 6, 8, 10, 11, 12, 15): each fails on the
code before the fix."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input, Static
from tui_support import DECK_YAML, close_app, make_app, right_answer, write_deck

import quiz.deck.discovery as discovery
from quiz.cli import main
from quiz.tui.screens.browse import BrowseScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.study import StudyScreen
from quiz.tui.screens.summary import SummaryScreen
from quiz.tui.timefmt import relative_text

SIZE = (100, 30)
LONG_TITLE = "Russia and China: Axis of Revisionists?"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-decks"
    empty.mkdir()
    monkeypatch.setattr(discovery, "bundled_decks_dir", lambda: empty)
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(empty))
    monkeypatch.setenv("QUIZ_TZ", "UTC")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def plain(app) -> str:
    return "\n".join(
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    )


# --- item 6: resizing keeps every column of home and browse readable ---------------
async def test_home_titles_follow_a_resize_both_ways(tmp_path: Path) -> None:
    write_deck(tmp_path, DECK_YAML.replace("title: TUI test deck", f"title: '{LONG_TITLE}'"))
    app = make_app(tmp_path / "p.db", extra_paths=(tmp_path / "deck.yaml",))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#decks", DataTable)

            def title() -> str:
                return str(table.get_cell("tui-test", "deck"))

            assert title() == LONG_TITLE
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            assert "Mastery" in plain(app)  # no column cut off at the right
            assert title().endswith("…") and len(title()) == 80 - 54
            await pilot.resize_terminal(100, 30)
            await settle(pilot)
            assert title() == LONG_TITLE  # whole again
    finally:
        close_app(app)


async def test_browse_shows_whole_states_and_fits_80_columns(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", extra_paths=(tmp_path / "deck.yaml",))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(BrowseScreen(deck))
            await settle(pilot)
            await pilot.press("at")  # suspend the first card
            await settle(pilot)
            assert "new, suspended" in plain(app)
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            text = plain(app)
            assert "new, suspended" in text and "Due" in text
            assert "Suspended: What is the capital of France?" in [
                n.message for n in app._notifications
            ]  # the card's text, not its id (item 12)
    finally:
        close_app(app)


# --- item 8: an exam left early has one score, not two that disagree ----------------
async def test_exam_left_after_one_question_reports_one_consistent_score(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck, mode="exam", exam_size=3)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            card = screen.view.card
            answer = right_answer(card)
            if isinstance(screen.focused, Input):
                for value in [answer] if isinstance(answer, str) else answer:
                    screen.focused.value = value
                    await pilot.press("enter")
            else:
                await pilot.press("space" if answer is None else "t" if answer == "True" else "1")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            while not isinstance(app.screen, SummaryScreen):
                await pilot.press("escape")
                await settle(pilot)
            text = str(app.screen.query_one("#summary-text", Static).render())
            assert "Exam stopped after 1 of 3 questions" in text
            assert "Accuracy" not in text
            assert "of 3 right; 2 not answered count as wrong" in text
    finally:
        close_app(app)


# --- item 10: one rule for Esc and q ---------------------------------------------------
async def test_q_goes_back_from_browse_and_help_states_the_rule(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", extra_paths=(tmp_path / "deck.yaml",))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(BrowseScreen(deck))
            await settle(pilot)
            await pilot.press("slash", "q")  # a letter in the search box
            assert isinstance(app.screen, BrowseScreen)
            assert app.screen.query_one("#search", Input).value == "q"
            await pilot.press("escape", "q")  # out of the box, then back
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("escape")  # home: nowhere back to go; says how to quit
            assert any("q quits" in n.message for n in app._notifications)
            await pilot.press("question_mark")
            await settle(pilot)
            help_text = str(app.screen.query_one("#help-text", Static).render())
            assert "Esc and q go back one step, on every screen" in help_text
    finally:
        close_app(app)


# --- item 11: hints match keys ----------------------------------------------------------
async def test_hints_match_the_keys(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    tf = deck.model_copy(update={"cards": [c for c in deck.cards if c.id in ("c-tf", "c-mcq")]})
    app = make_app(tmp_path / "p.db", tf)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            text = plain(app)
            if screen.view.card.id == "c-mcq":
                assert "1-4 Pick" in text and "1-6" not in text
                await pilot.press("1", "enter")
                await settle(pilot)
                text = plain(app)
            assert screen.view.card.id == "c-tf"
            assert "t  True" in text and "f  False" in text and "1  True" not in text
            await pilot.press("t")
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            help_text = str(app.screen.query_one("#help-text", Static).render())
            assert "1           Again" in help_text
            await pilot.press("escape")
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert titles.count("Quit") == 1
    finally:
        close_app(app)


# --- item 15: small things ---------------------------------------------------------------
def test_next_due_tomorrow_says_tomorrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    now = datetime(2026, 3, 2, 6, 50, tzinfo=UTC)
    assert relative_text(datetime(2026, 3, 3, 6, 40, tzinfo=UTC), now) == "in 24 h (tomorrow 06:40)"
    assert relative_text(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), now) == "in 2 h (09:00)"


def test_a_usage_error_is_one_line() -> None:
    result = CliRunner().invoke(main, ["study"], prog_name="quiz")
    assert result.exit_code == 2
    assert result.output == "quiz study: error: Missing argument 'DECK' (see 'quiz study --help')\n"


async def test_home_shows_due_tomorrow_and_practice_is_spelled_one_way(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", extra_paths=(tmp_path / "deck.yaml",))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "Due tomorrow: 0" in plain(app)
            app.push_screen(BrowseScreen(deck))
            await settle(pilot)
            assert "Practice these" in plain(app) and "ractise" not in plain(app)
            table = app.screen.query_one("#cards", DataTable)
            assert table.row_count == 6
    finally:
        close_app(app)
