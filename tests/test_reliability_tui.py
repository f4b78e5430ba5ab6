"""Hostile text in the TUI: home, a whole study session, summary, stats and browse.

The deck carries markup, OSC/CSI escape sequences (7- and 8-bit), a
right-to-left override, carriage returns and backspaces; the learner is named
like an SQL injection with markup in it. Every screen must keep working and
paint the text literally: no control or format character reaches a painted
segment, and the markup is visible as typed.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import close_app, make_app, right_answer

import quiz.deck.discovery as discovery
from quiz.tui.screens.browse import BrowseScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.stats import StatsScreen
from quiz.tui.screens.study import StudyScreen

SIZE = (120, 40)
LEARNER = "Robert'); DROP TABLE reviews;-- [bold]x[/]"

DECK = r"""deck: evil
title: "Evil [bold]deck[/] [/] $title \e]0;pwned\a"
cards:
  - id: e1
    type: basic
    section: "Section [/] \u202eevil"
    question: "Q1 [red]red[/red] [/] $var \e[2J\e[H clear \x9b31m csi"
    answer: "A1 [/] \e[31mred\e[0m \b\b back"
    explanation: "Why [link=file:///etc/passwd]link[/link] \r carriage"
  - id: e2
    type: short
    question: "Q2 [bold]q[/bold] \x07 bell"
    answer: "[/]"
  - id: e3
    type: mcq
    question: "Q3 pick [/]"
    choices: ["[/]", "\e[1mbold\e[0m", "$var"]
    answer: "[/]"
  - id: e4
    type: cloze
    text: "Q4 gap {{[/]}} and {{$var}} [bold] \x9d"
"""


@pytest.fixture(autouse=True)
def _isolated_decks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-decks"
    empty.mkdir()
    monkeypatch.setattr(discovery, "bundled_decks_dir", lambda: empty)
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(empty))
    monkeypatch.setenv("QUIZ_TZ", "UTC")


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def painted(app) -> str:  # type: ignore[no-untyped-def]
    """Every painted segment's text, checked to be inert."""
    text = "\n".join(
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    )
    for ch in text:
        if ch != "\n":
            assert unicodedata.category(ch) not in ("Cc", "Cf"), f"{ch!r} was painted"
    return text


async def test_hostile_deck_and_learner_through_every_screen(tmp_path: Path) -> None:
    deck_dir = tmp_path / "decks"
    deck_dir.mkdir()
    (deck_dir / "evil.yaml").write_text(DECK, encoding="utf-8")
    db = tmp_path / "p.db"
    app = make_app(db, learner=LEARNER, extra_paths=(deck_dir,))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
            assert "Evil [bold]deck[/] [/] $title \\x1b]0;pwned\\x07" in painted(app)
            await pilot.press("enter")
            await settle(pilot)
            seen = []
            for _ in range(4):
                screen = app.screen
                assert isinstance(screen, StudyScreen)
                card = screen.view.card
                seen.append(card.id)
                text = painted(app)
                if card.id == "e1":
                    assert "Q1 [red]red[/red] [/] $var \\x1b[2J\\x1b[H clear \\x9b31m csi" in text
                if card.id == "e2":
                    assert "Q2 [bold]q[/bold] \\x07 bell" in text
                if card.type == "basic":
                    await pilot.press("space")
                else:
                    await screen._submit(right_answer(card))
                await settle(pilot)
                text = painted(app)
                if card.id == "e1":
                    assert "A1 [/] \\x1b[31mred\\x1b[0m" in text
                await pilot.press("4")
                await settle(pilot)
            assert sorted(seen) == ["e1", "e2", "e3", "e4"]
            if isinstance(app.screen.focused, Input):
                await pilot.press("escape")
            await pilot.press("escape")
            await settle(pilot)
            painted(app)  # the summary
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, StatsScreen)
            assert app.screen.stats.total_reviews == 4
            painted(app)
            app.push_screen(BrowseScreen(_deck(deck_dir)))
            await settle(pilot)
            assert "Q1 [red]red[/red]" in painted(app)
    finally:
        close_app(app)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM reviews WHERE learner = ?", [LEARNER]).fetchone() == (
        4,
    )
    conn.close()


def _deck(deck_dir: Path):  # type: ignore[no-untyped-def]
    from quiz.deck.loader import load_deck

    return load_deck(deck_dir / "evil.yaml")
