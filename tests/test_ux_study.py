"""Study screen (issue 13): undo of every action with u on every card (items 2, 3), edit
with e (item 4), flagged marker (12), cards left and time on the card (15), Esc/q (10)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import START, close_app, make_app, write_deck

from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.tui.screens.study import StudyScreen

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_TZ", "UTC")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def plain(app) -> str:
    return "\n".join(
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    )


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def marks(db: Path, card_id: str) -> tuple:
    with Store.open(db, readonly=True) as s:
        row = next(r for r in s.card_states() if r["card_id"] == card_id)
    return (row["suspended"], row["buried_until"], row["flagged"])


async def test_u_after_suspend_takes_back_the_suspension_not_the_rating(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db = tmp_path / "p.db"
    app = make_app(db, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            await pilot.press("u")  # nothing yet: said so, not silent
            await settle(pilot)
            assert "Nothing to undo yet in this session." in messages(app)
            await pilot.press("space", "3")  # c-basic rated Good
            await settle(pilot)
            assert screen.view.card.id == "c-short"
            await pilot.press("escape")  # out of the answer box: u undoes (the rule)
            assert not isinstance(screen.focused, Input)
            await pilot.press("at")  # suspend c-short
            await settle(pilot)
            assert marks(db, "c-short")[0] == 1
            await pilot.press("escape")
            await pilot.press("u")
            await settle(pilot)
            assert marks(db, "c-short")[0] == 0
            assert screen.view.card.id == "c-short"
            assert "Undone: the last suspension." in messages(app)
            with Store.open(db, readonly=True) as s:
                assert len(s.reviews()) == 1  # rating kept
            await pilot.press("escape", "minus")  # bury, then undo it
            await settle(pilot)
            assert marks(db, "c-short")[1] is not None
            await pilot.press("escape", "u")
            await settle(pilot)
            assert marks(db, "c-short")[1] is None
            assert "Undone: the last bury." in messages(app)
    finally:
        close_app(app)


async def test_typed_card_u_is_a_letter_in_the_box_and_the_hint_says_esc(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            await pilot.press("space", "3")
            await settle(pilot)
            box = screen.focused
            assert isinstance(box, Input)
            await pilot.press("u")
            assert box.value == "u"  # typed, not an undo
            assert "Leave box, then u undo" in plain(app)  # the rule, in the key bar
    finally:
        close_app(app)


async def test_flag_shows_a_marker_and_u_removes_it(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    db = tmp_path / "p.db"
    app = make_app(db, deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("exclamation_mark")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert "⚑ flagged" in plain(app)
            assert marks(db, "c-basic")[2] == 1
            await pilot.press("u")
            await settle(pilot)
            assert marks(db, "c-basic")[2] == 0
            assert "⚑ flagged" not in plain(app)
    finally:
        close_app(app)


async def test_cards_left_and_time_on_the_card(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    clock = FixedClock(START)
    app = make_app(tmp_path / "p.db", deck, clock=clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "6 left" in plain(app)
            clock.advance(seconds=75)
            app.screen._tick()
            await pilot.pause()
            assert "⏱ 1:15" in plain(app)
    finally:
        close_app(app)


FAKE_EDITOR = """\
import sys, pathlib
line, path = sys.argv[1], pathlib.Path(sys.argv[2])
pathlib.Path(sys.argv[0]).with_suffix(".line").write_text(line)
text = path.read_text()
path.write_text(text.replace({old!r}, {new!r}))
"""


def fake_editor(tmp_path: Path, old: str, new: str) -> tuple[str, Path]:
    script = tmp_path / "editor.py"
    script.write_text(FAKE_EDITOR.format(old=old, new=new))
    return f"{sys.executable} {script}", script.with_suffix(".line")


async def test_e_edits_the_card_in_the_editor_and_keeps_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(tmp_path)
    db = tmp_path / "p.db"
    clock = FixedClock(START)
    app = make_app(db, deck, clock=clock)
    command, line_file = fake_editor(
        tmp_path, "Which river flows through Paris?", "Which river runs through Paris?"
    )
    monkeypatch.setenv("VISUAL", command)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            await pilot.press("space", "1")  # c-basic: Again (back in a minute)
            await settle(pilot)
            assert screen.view.card.id == "c-short"
            await pilot.press("escape", "e")
            await settle(pilot)
            assert line_file.read_text() == "+15"  # the card's line in deck.yaml
            assert "Which river runs through Paris?" in plain(app)
            assert screen.view.card.question == "Which river runs through Paris?"
            assert screen.state == "question"
    finally:
        close_app(app)
    with Store.open(db, readonly=True) as s:
        assert [r["state"] for r in s.card_states() if r["card_id"] == "c-basic"] == [
            1
        ]  # progress kept


async def test_e_keeps_the_answer_typed_before_the_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    command, _ = fake_editor(
        tmp_path, "Which river flows through Paris?", "Which river runs through Paris?"
    )
    monkeypatch.setenv("VISUAL", command)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            await pilot.press("space", "1")
            await settle(pilot)
            assert screen.view.card.id == "c-short"
            await pilot.press(*"Sei", "escape", "e")
            await settle(pilot)
            assert screen.view.card.question == "Which river runs through Paris?"
            box = app.screen.focused
            assert isinstance(box, Input) and box.value == "Sei"  # kept, and typing goes on
            assert any("typed answer is back" in m for m in messages(app))
            await pilot.press("n", "e", "enter")
            await settle(pilot)
            assert screen.state == "answer" and screen.result.grade.response == "Seine"
    finally:
        close_app(app)


async def test_e_says_when_the_typed_answer_no_longer_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    command, _ = fake_editor(  # the short card becomes a cloze with two gaps
        tmp_path,
        "    type: short\n    section: 1. Basics\n    question: Which river flows through Paris?\n"
        "    answer: Seine\n",
        "    type: cloze\n    section: 1. Basics\n    text: The {{Seine}} flows through {{Paris}}.\n",
    )
    monkeypatch.setenv("VISUAL", command)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            await pilot.press("space", "1")
            await settle(pilot)
            await pilot.press(*"Loire", "escape", "e")
            await settle(pilot)
            assert screen.view.card.type == "cloze" and screen.state == "question"
            typed = screen.query_one("#typed")
            assert typed.values == ["", ""]
            assert any("(Loire) no longer fits its boxes" in m for m in messages(app))
    finally:
        close_app(app)


async def test_e_with_a_broken_edit_says_where_and_keeps_the_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    command, _ = fake_editor(tmp_path, "    answer: Paris\n", "  answer: Paris\n")
    monkeypatch.setenv("VISUAL", command)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen: StudyScreen = app.screen  # type: ignore[assignment]
            await pilot.press("e")
            await settle(pilot)
            errors = [m for m in messages(app) if "error:" in m]
            assert errors and errors[0].startswith(f"{tmp_path / 'deck.yaml'}:")
            assert screen.view.card.id == "c-basic" and screen.state == "question"
    finally:
        close_app(app)


async def test_q_leaves_like_esc_but_types_in_the_box(tmp_path: Path) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("q")  # basic card: q ends the session like Esc
            await settle(pilot)
            assert "Session summary" in plain(app)
    finally:
        close_app(app)


def key_bar(app) -> str:
    from quiz.tui.widgets.keybar import KeyBar

    bar = app.screen.query_one(KeyBar)
    return plain(app).splitlines()[bar.region.y].rstrip()


async def test_key_bars_fit_at_80_columns_with_help(tmp_path: Path) -> None:
    """At 80 columns no key bar ends in "…" and "? Help" shows outside the answer box
    (issue 13 leftover): home, browse, and study in each state of each card type."""
    deck = write_deck(tmp_path)
    seen: list[str] = []
    app = make_app(tmp_path / "p.db", deck)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            steps = [
                [],
                ["space"],
                ["1"],
                ["escape"],
                ["i", *"Seine", "enter"],
                ["3"],
                ["escape"],
                ["i", *"Pacific", "enter", *"Atlantic", "enter"],
                ["3"],
                ["escape"],
                ["i", *"10900", "enter"],
                ["3"],
                ["1"],
                ["3"],
                ["t"],
            ]
            for keys in steps:
                await pilot.press(*keys)
                await settle(pilot)
                seen.append(key_bar(app))
    finally:
        close_app(app)
    app = make_app(tmp_path / "p.db", None)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            seen.append(key_bar(app))
            await pilot.press("b")
            await settle(pilot)
            seen.append(key_bar(app))
    finally:
        close_app(app)
    assert len(set(seen)) >= 5  # the states differ
    for line in seen:
        assert "…" not in line, line
        if "Leave box" not in line:  # in the answer box ? is a letter (F1 helps there)
            assert "? Help" in line, line
    assert "q Quit" in seen[-2] and "b Browse" in seen[-2]  # home keeps its screens


async def test_e_closed_without_a_change_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(tmp_path)
    app = make_app(tmp_path / "p.db", deck)
    command, _ = fake_editor(tmp_path, "no such text in the deck", "anything")
    monkeypatch.setenv("VISUAL", command)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("e")
            await settle(pilot)
            messages = [n.message for n in app._notifications]
            assert "No change: the deck file is as it was." in messages
            assert not any(m.startswith("Saved.") for m in messages)
    finally:
        close_app(app)
