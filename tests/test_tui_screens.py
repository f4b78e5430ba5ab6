"""Pilot tests of home, browse, learner switching, help, and untrusted text shown literally."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static
from tui_support import HOSTILE_YAML, close_app, make_app, right_answer, write_deck

import quiz.deck.discovery as discovery
from quiz.store import Store
from quiz.tui.screens.browse import BrowseScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.learner import LearnerScreen, clean_name
from quiz.tui.screens.study import StudyScreen
from quiz.tui.text import visible

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _isolated_decks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the decks a test passes in are found (no bundled or user decks)."""
    empty = tmp_path / "no-decks"
    empty.mkdir()
    monkeypatch.setattr(discovery, "bundled_decks_dir", lambda: empty)
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(empty))
    monkeypatch.setenv("QUIZ_TZ", "UTC")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _plain(app) -> str:
    """Everything painted on the screen, as plain text."""
    return "\n".join(
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    )


def test_visible_writes_out_control_characters() -> None:
    assert visible("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert visible("[/] $var [bold]") == "[/] $var [bold]"
    assert visible("tab\there") == "tab    here"
    assert visible("rtl\u202eoverride") == "rtl\\u202eoverride"


def test_learner_names_are_checked() -> None:
    assert clean_name("  Ann   Lee ") == "Ann Lee"
    assert clean_name("") is None
    assert clean_name("x" * 65) is None
    assert clean_name("bad\x1bname") is None
    assert clean_name("Robert'); DROP TABLE reviews;--") == "Robert'); DROP TABLE reviews;--"


async def test_home_lists_decks_with_counts_and_starts_study(tmp_path: Path) -> None:
    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    write_deck(deck_dir)
    app = make_app(tmp_path / "p.db", extra_paths=(deck_dir,))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            table = app.screen.query_one("#decks", DataTable)
            assert table.row_count == 1
            row = [str(c) for c in table.get_row("tui-test")]
            assert row[0] == "TUI test deck"
            assert row[1:5] == ["6", "6", "0", "0"]  # cards, new, learning, due
            text = _plain(app)
            assert "6 cards to study today" in text
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, StudyScreen)
            screen = app.screen
            await pilot.press("escape")
            if isinstance(screen.focused, Input):
                await pilot.press("escape")
            await settle(pilot)
            # leaving a session shows its summary; Enter goes home with fresh counts
            assert "Session summary" in _plain(app)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
    finally:
        close_app(app)


async def test_home_reports_a_broken_deck_without_crashing(tmp_path: Path) -> None:
    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    (deck_dir / "bad.yaml").write_text("deck: bad\ntitle: Bad\ncards:\n  - id: x\n    type: nope\n")
    app = make_app(tmp_path / "p.db", extra_paths=(deck_dir,))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "Cannot load this deck" in _plain(app)
            await pilot.press("enter")  # refused with a message, stays home
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
    finally:
        close_app(app)


async def test_learner_switch_and_create(tmp_path: Path) -> None:
    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    write_deck(deck_dir)
    app = make_app(tmp_path / "p.db", extra_paths=(deck_dir,))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
            assert isinstance(app.screen, LearnerScreen)
            await pilot.press("n")
            box = app.screen.query_one("#new-name", Input)
            assert app.screen.focused is box
            box.value = "Bob [/] $x"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            assert app.learner == "Bob [/] $x"
            assert "Bob [/] $x" in _plain(app)
    finally:
        close_app(app)


async def test_help_lists_every_binding_of_the_screen(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            study = app.screen
            if isinstance(study.focused, Input):
                await pilot.press("escape")  # leave the answer box so ? is a key, not text
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            text = str(app.screen.query_one("#help-text", Static).render())
            for binding in StudyScreen.BINDINGS:
                assert binding.description in text, binding.description
            await pilot.press("escape")
            assert app.screen is study
    finally:
        close_app(app)


async def test_palette_offers_the_screen_bindings(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for wanted in ("Undo", "Bury", "Suspend", "Flag", "Help", "Theme"):
                assert wanted in titles
    finally:
        close_app(app)


async def test_browse_filters_suspends_and_shows_history(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            study = app.screen
            # answer the first card so one card has a history
            first = study.view.card
            if first.type == "basic":
                await pilot.press("space")
            else:
                await study._submit(right_answer(first))
            await settle(pilot)
            await pilot.press("3")
            await settle(pilot)
            app.push_screen(BrowseScreen(deck))
            await settle(pilot)
            browse = app.screen
            table = browse.query_one("#cards", DataTable)
            assert table.row_count == 6
            # search
            browse.query_one("#search", Input).value = "nile"
            await settle(pilot)
            assert [r.card_id for r in browse.shown] == ["c-tf"]
            browse.query_one("#search", Input).value = ""
            await settle(pilot)
            # the answered card: history in the detail
            index = [r.card_id for r in browse.shown].index(first.id)
            table.focus()
            table.move_cursor(row=index)
            await settle(pilot)
            detail = str(browse.query_one("#detail-text", Static).render())
            assert "Good" in detail and "History" in detail
            # suspend, filter by state, unsuspend
            await pilot.press("at")
            await settle(pilot)
            browse.filter.states = {"suspended"}
            browse.apply_filter()
            assert [r.card_id for r in browse.shown] == [first.id]
            await pilot.press("at")
            await settle(pilot)
            assert browse.shown == []
    finally:
        close_app(app)
    with Store.open(db_path, readonly=True) as store:
        actions = [e.action for e in store.card_events(card_id=first.id)]
    assert actions[-2:] == ["suspend", "unsuspend"]


async def test_hostile_text_shows_literally_everywhere(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, HOSTILE_YAML, "hostile.yaml")
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck, learner="[b]ann[/b] $me")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            seen_prompts = []
            for _ in range(len(deck.cards)):
                screen = app.screen
                assert isinstance(screen, StudyScreen)
                card = screen.view.card
                text = _plain(app)
                assert "[b]ann[/b] $me" in text
                if card.id == "h-markup":
                    assert (
                        "What closes markup? [/] or [/bold] or [bold]not bold[/bold] $var" in text
                    )
                    assert "[/] section $var" in text
                if card.id == "h-ansi":
                    assert "ANSI \\x1b[31mred\\x1b[0m and control \\x07 bell" in text
                    assert "\\x1b[1mbold\\x1b[0m" in text and "[bold]x" in text
                if card.id == "h-basic":
                    assert "[b]basic[/b] \\x1b[2J clear" in text
                seen_prompts.append(card.id)
                if card.type == "basic":
                    await pilot.press("space")
                elif card.type == "mcq":
                    await screen._submit("[/]")
                else:
                    await screen._submit(right_answer(card))
                await settle(pilot)
                text = _plain(app)
                if card.id == "h-markup":
                    assert "Explanation with [link=x]link[/link] and [/" in text
                    assert "The answer is [/] here, $var and [bold]." in text
                if card.id == "h-basic":
                    assert "[/" in text
                await pilot.press("enter")
                await settle(pilot)
            assert sorted(seen_prompts) == sorted(c.id for c in deck.cards)
            # Browse and the help screen with the same deck
            app.push_screen(BrowseScreen(deck))
            await settle(pilot)
            text = _plain(app)
            assert "Hostile [bold]deck[/] $title" in text
            assert "What closes markup? [/]" in text
    finally:
        close_app(app)
    with Store.open(db_path, readonly=True) as store:
        n = (len(store.reviews(learner="[b]ann[/b] $me")),)
    assert n[0] == len(deck.cards)


def test_internal_error_is_one_line_with_a_log(tmp_path: Path, monkeypatch, capsys) -> None:
    from quiz.errors import QuizError
    from quiz.tui import app as app_module

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    class Boom(app_module.QuizApp):
        def on_mount(self) -> None:
            raise RuntimeError("kaboom [/]")

    app = make_app(tmp_path / "p.db")
    app.__class__ = Boom
    monkeypatch.setattr(Boom, "run", lambda self: app_module.QuizApp.run(self, headless=True))
    try:
        with pytest.raises(QuizError) as info:
            app_module._run(app)
    finally:
        close_app(app)
    message = info.value.message
    assert "\n" not in message and "kaboom [/]" in message and "crash.log" in message
    assert "Traceback" not in capsys.readouterr().err
    log = next((tmp_path / "state").rglob("crash.log")).read_text()
    assert "RuntimeError: kaboom" in log and "Traceback" in log


async def test_exam_from_home_asks_how_many(tmp_path: Path) -> None:
    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    write_deck(deck_dir)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, extra_paths=(deck_dir,))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("x")
            await settle(pilot)
            box = app.screen.query_one("#number", Input)
            assert box.placeholder == "6"  # default 20, at most the deck's 6 cards
            box.value = "2"
            await pilot.press("enter")
            await settle(pilot)
            study = app.screen
            assert isinstance(study, StudyScreen) and study.mode == "exam"
            assert study.session.exam_total == 2
    finally:
        close_app(app)


async def test_stats_from_home_and_from_the_summary(tmp_path: Path) -> None:
    from quiz.tui.screens.stats import StatsScreen
    from quiz.tui.screens.summary import SummaryScreen

    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    write_deck(deck_dir)
    app = make_app(tmp_path / "p.db", extra_paths=(deck_dir,))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, StatsScreen)
            assert app.screen.deck_id == "tui-test" and app.screen.learner == "ann"
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("enter")
            await settle(pilot)
            study = app.screen
            first = study.view.card
            if first.type == "basic":
                await pilot.press("space")
            else:
                await study._submit(right_answer(first))
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            if isinstance(study.focused, Input):
                await pilot.press("escape")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, StatsScreen)
            assert app.screen.stats.total_reviews == 1
    finally:
        close_app(app)


async def test_browse_enter_practises_one_card(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.push_screen(BrowseScreen(deck))
            await settle(pilot)
            browse = app.screen
            table = browse.query_one("#cards", DataTable)
            table.focus()
            table.move_cursor(row=4)  # c-mcq
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            study = app.screen
            assert isinstance(study, StudyScreen) and study.mode == "practice"
            assert study.view.card.id == "c-mcq"
            await study._submit("Africa")
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("enter")  # summary: back to Browse
            await settle(pilot)
            assert app.screen is browse
    finally:
        close_app(app)
    with Store.open(db_path, readonly=True) as store:
        rows = [(r.card_id, r.mode) for r in store.reviews()]
    assert rows == [("c-mcq", "practice")]


async def test_palette_commands_act_like_their_keys(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path,
        """\
deck: one
title: One
cards:
  - id: m
    type: mcq
    question: Pick Africa
    choices: [Africa, Europe, Asia]
    answer: Africa
""",
    )
    db_path = tmp_path / "p.db"
    app = make_app(db_path, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            study = app.screen
            index = study.view.choices.index("Africa")
            commands = {c.title: c for c in app.get_system_commands(study)}
            pick = f"Pick {index + 1}" if index else "Pick"
            await commands[pick].callback()  # a widget's binding, run from the palette
            await settle(pilot)
            assert study.state == "answer" and study.result.grade.correct
            commands = {c.title: c for c in app.get_system_commands(study)}
            await commands["Easy"].callback()
            await settle(pilot)
    finally:
        close_app(app)
    with Store.open(db_path, readonly=True) as store:
        assert [r.rating for r in store.reviews()] == [4]
