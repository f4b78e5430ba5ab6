"""Issue 13's rough edges, one test each (items 6, 8, 10, 11, 12, 15): each fails on the
code before the fix."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input, Select, Static
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
            app.screen.query_one("#state", Select).value = "suspended"
            app.screen.query_one("#type", Select).value = "truefalse"
            await settle(pilot)
            assert "suspended ▼" in plain(app) and "truefalse ▼" in plain(app)  # not wrapped
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


# --- item 5: a long answer side fits 80x24 by scrolling, and the prompt keeps its wrapping --
LONG_QUOTE = " ".join(
    f"Sentence {i} of a long passage from the report, quoted so the learner sees the context."
    for i in range(1, 9)
)


async def test_long_answer_at_80x24_scrolls_with_keys_and_prompt_keeps_wrapping(
    tmp_path: Path,
) -> None:
    yaml_text = DECK_YAML.replace(
        "      quote: The capital of France is Paris, on the Seine.",
        f"      quote: {LONG_QUOTE}",
    ).replace(
        "    question: What is the capital of France?",
        "    question: "
        + "Which city, on the river that crosses it from east to west, " * 2
        + "is the capital?",
    )
    deck = write_deck(tmp_path, yaml_text)
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            question = screen.query_one("#question")
            width_before = question.size.width
            await pilot.press("space")
            await settle(pilot)
            area = screen.query_one("#card-area")
            assert area.max_scroll_y > 0  # the answer side is taller than the window
            assert question.size.width == width_before  # no re-wrap for the scroll bar
            await pilot.press("pagedown")
            await pilot.pause()
            assert area.scroll_y > 0
            assert "Sentence 8" in plain(app)  # the end of the quote can be reached
    finally:
        close_app(app)


# --- item 7: the hardest cards are the ones failed, not the first ids ------------------------
def test_hardest_cards_put_a_card_failed_three_times_first(tmp_path: Path) -> None:
    import json

    from quiz.store import Store
    from quiz.study.clock import FixedClock
    from quiz.study.session import StudySession

    deck = write_deck(tmp_path)
    db = tmp_path / "p.db"
    clock = FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    with Store.open(db, clock=clock) as store:
        session = StudySession(store, deck, "ann", clock=clock)
        ratings = {"c-basic": [3], "c-short": [3], "c-cloze": [1, 1, 1]}
        while (view := session.next_card()) is not None:
            todo = ratings.get(view.card.id)
            if not todo:
                session.bury()
                continue
            if view.card.type == "basic":
                session.reveal()
            else:
                session.submit("x")
            session.rate(todo.pop(0))
            clock.advance(minutes=11)
        session.close()
    env = {"QUIZ_TZ": "UTC", "QUIZ_NOW": "2026-03-02T11:00:00+00:00"}
    result = CliRunner().invoke(
        main, ["stats", "--db", str(db), "--learner", "ann", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    hardest = json.loads(result.output)["hardest"]
    assert hardest[0]["card_id"] == "c-cloze" and hardest[0]["failures"] == 3
    table = CliRunner().invoke(main, ["stats", "--db", str(db), "--learner", "ann"], env=env)
    hard_rows = table.output.split("Hardest cards")[1]
    assert hard_rows.index("c-cloze") < hard_rows.index("c-basic")


# --- item 9: a dedented key is reported on its own line -----------------------------------------
def test_a_dedented_key_is_reported_at_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "deck: bad\ntitle: Bad\ncards:\n  - id: a\n    type: short\n    question: Capital?\n"
        "answer: Paris\n    source:\n      quote: q\n"
    )
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith(f"{bad}:7:1: error: YAML syntax: 'answer:' is indented less")


# --- item 12: the flag dialog names the question, not the card id ----------------------------
async def test_flag_dialog_shows_the_question(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("exclamation_mark")
            await settle(pilot)
            text = plain(app)
            assert "Flag this card as faulty" in text
            assert "What is the capital of France?" in text
            assert "Flag card c-basic" not in text
    finally:
        close_app(app)


# --- item 13: accepted typos are shown; unrelated wrong answers get no letter diff ----------
async def test_an_accepted_typo_is_highlighted(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    only = deck.model_copy(update={"cards": [c for c in deck.cards if c.id == "c-short"]})
    app = make_app(tmp_path / "p.db", only)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.screen.focused.value = "Siene"
            await pilot.press("enter")
            await settle(pilot)
            assert "✔ Right (typo accepted" in plain(app)
    finally:
        close_app(app)


def test_no_letter_diff_between_unrelated_words() -> None:
    from quiz.deck.model import ShortCard
    from quiz.study.grading import grade
    from quiz.tui.widgets.diff_view import feedback_content

    card = ShortCard(id="x", type="short", question="q?", answer="regime survival")
    unrelated = feedback_content(grade(card, "economic growth"))
    assert not any("strike" in str(span.style) for span in unrelated.spans)
    typo = feedback_content(grade(card, "regime survivl"))
    assert any("underline" in str(span.style) for span in typo.spans)  # the missing 'a'


# --- item 14: quiz report: whole ids, one line per card, weakest only where studied --------
def test_report_rows_are_one_line_and_weakest_skips_unstudied_decks(tmp_path: Path) -> None:
    from quiz.store import Store
    from quiz.study.clock import FixedClock
    from quiz.study.session import StudySession

    long_ids = DECK_YAML.replace("id: c-", "id: a-rather-long-card-identifier-")
    deck = write_deck(tmp_path, long_ids)
    other = write_deck(
        tmp_path, DECK_YAML.replace("deck: tui-test", "deck: never-studied"), name="other.yaml"
    )
    db = tmp_path / "p.db"
    clock = FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    with Store.open(db, clock=clock) as store:
        session = StudySession(store, deck, "ann", clock=clock)
        while (view := session.next_card()) is not None:
            if view.card.type == "basic":
                session.reveal()
            else:
                session.submit("x")
            session.rate(3)
        session.close()
        StudySession(store, other, "ann", clock=clock).close()  # opened, never answered
    env = {"QUIZ_TZ": "UTC", "QUIZ_NOW": "2026-03-02T11:00:00+00:00"}
    result = CliRunner().invoke(main, ["report", "--db", str(db)], env=env, terminal_width=100)
    assert result.exit_code == 0, result.output
    assert "never-studied" not in result.output.split("Cards")[0]  # not the weakest deck
    lines = result.output.splitlines()
    for card_id in ("a-rather-long-card-identifier-short", "a-rather-long-card-identifier-cloze"):
        row = [line for line in lines if card_id in line]
        assert len(row) == 1  # the whole id, on one line


def test_quiz_study_practice_cards_reach_the_tui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found while trying the app: ``quiz study DECK --practice --cards ID`` in the TUI asked
    every card (the ids only reached plain mode)."""
    import quiz.tui.app as tui_app

    write_deck(tmp_path)
    seen: list = []
    monkeypatch.setattr(tui_app, "_run", lambda app: seen.append(app.start_practice_cards))
    result = CliRunner().invoke(
        main,
        [
            "study",
            str(tmp_path / "deck.yaml"),
            "--practice",
            "--cards",
            "c-tf, c-mcq",
            "--db",
            str(tmp_path / "p.db"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert seen == [["c-tf", "c-mcq"]]


# --- a session of self-rated and typed cards: accuracy says what it counts -------------
async def test_summary_accuracy_says_self_rated_cards_are_not_counted(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)  # c-basic (self-rated) first, then c-short (typed)
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            assert screen.view.card.id == "c-basic"
            await pilot.press("space")
            await settle(pilot)
            await pilot.press("3")
            await settle(pilot)
            assert screen.view.card.id == "c-short"
            assert isinstance(screen.focused, Input)
            screen.focused.value = "Seine"
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            while not isinstance(app.screen, SummaryScreen):
                await pilot.press("escape")
                await settle(pilot)
            text = str(app.screen.query_one("#summary-text", Static).render())
            assert "Cards studied  2" in text
            assert "100%  (1 right, 0 wrong; 1 self-rated, not counted)" in text
    finally:
        close_app(app)


async def test_leaving_before_any_answer_does_not_say_nothing_is_due(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)  # the first card is a basic one: Esc leaves at once
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, StudyScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, SummaryScreen)
            text = str(app.screen.query_one("#summary-text", Static).render())
            assert "Nothing is due" not in text
            assert "Session left before any answer. Your cards are still waiting." in text
    finally:
        close_app(app)
