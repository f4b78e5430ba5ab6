"""The TUI statistics screen: a snapshot at 80x24 with a fixed clock, and literal untrusted text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from stats_builders import add_deck, add_learner, add_review, new_db, set_state, studied_db
from textual.app import App
from textual.widgets import Static

from quiz.store import Store
from quiz.study.clock import FixedClock
from quiz.tui.screens.stats import StatsScreen
from quiz.tui.widgets.charts import bars_text, heat_level, heatmap_text, percent_bar

NOW = datetime(2026, 11, 12, 12, 0, tzinfo=UTC)


class StatsHost(App):
    """A bare app that shows one StatsScreen."""

    def __init__(self, screen_factory) -> None:
        super().__init__()
        self.screen_factory = screen_factory

    def on_mount(self) -> None:
        self.push_screen(self.screen_factory())


def _studied_store(path: Path) -> Store:
    studied_db(path, "ann", seed=3, days=40)
    store = Store.open(path, clock=FixedClock(NOW))
    store.update_settings("ann", timezone="UTC", rollover_hour=4)
    return store


def test_stats_screen_snapshot(snap_compare, tmp_path):
    store = _studied_store(tmp_path / "p.db")
    clock = FixedClock(NOW)
    app = StatsHost(lambda: StatsScreen(store, "ann", None, clock=clock))
    try:
        assert snap_compare(app, terminal_size=(80, 24))
    finally:
        store.close()


def test_stats_screen_scrolled_to_mastery_snapshot(snap_compare, tmp_path):
    store = _studied_store(tmp_path / "p.db")
    clock = FixedClock(NOW)
    app = StatsHost(lambda: StatsScreen(store, "ann", "example-geography", clock=clock))

    async def scroll(pilot) -> None:
        await pilot.pause()
        pilot.app.screen.query_one("#stats-body").scroll_end(animate=False)
        await pilot.pause()

    try:
        assert snap_compare(app, run_before=scroll, terminal_size=(80, 24))
    finally:
        store.close()


async def test_untrusted_text_is_literal(tmp_path):
    path = tmp_path / "p.db"
    db = new_db(path)
    add_learner(db, "[b]x[/b]", settings={"timezone": "UTC"})
    hostile = "[/] $var [bold]loud \x1b[31mred"
    add_deck(db, "[red]deck", {"c1": hostile, "c2": "ok"})
    add_review(db, "[b]x[/b]", "[red]deck", "c1", NOW - timedelta(hours=2), 1, ivl_days=3)
    set_state(
        db,
        "[b]x[/b]",
        "[red]deck",
        "c1",
        state=3,
        stability=1,
        last_review=NOW - timedelta(hours=2),
        due=NOW + timedelta(minutes=10),
        lapses=1,
    )
    db.close()
    store = Store.open(path, clock=FixedClock(NOW))
    app = StatsHost(lambda: StatsScreen(store, "[b]x[/b]", None, clock=FixedClock(NOW)))
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            bars = str(screen.query_one("#mastery-bars", Static).render())
            assert "[/] $var [bold]loud \\x1b[31" in bars
            title = str(screen.query_one(".title-bar", Static).render())
            assert "[b]x[/b]" in title
            hardest = str(screen.query_one("#hardest-list", Static).render())
            assert "c1" in hardest and "lapses  1" in hardest
    finally:
        store.close()


def test_chart_helpers():
    assert [heat_level(n, 8) for n in (0, 1, 2, 3, 4, 5, 8)] == [0, 1, 1, 2, 2, 3, 4]
    text = bars_text([0, 4, 8], "a", "b", height=2).plain.splitlines()
    assert text[0] == "  █ 8" and text[1] == " ██" and text[2] == "a b"
    assert percent_bar(0.5, 10).plain == " 50% █████░░░░░"
    assert percent_bar(None).plain == "—"
    from datetime import date

    days = [(date(2026, 11, 2) + timedelta(days=i), i) for i in range(7)]  # Mon..Sun
    rows = heatmap_text(days).plain.splitlines()
    assert rows[1].startswith("Mon ·") and rows[7].startswith("Sun █")


async def test_empty_learner_screen(tmp_path):
    path = tmp_path / "p.db"
    db = new_db(path)
    add_learner(db, "newbie", settings={"timezone": "UTC"})
    add_deck(db, "d", {"c1": "S"})
    db.close()
    store = Store.open(path, clock=FixedClock(NOW))
    app = StatsHost(lambda: StatsScreen(store, "newbie", "d", clock=FixedClock(NOW)))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "No answers yet." in str(app.screen.query_one("#hardest-list", Static).render())
            await pilot.press("a")  # all decks
            await pilot.pause()
            assert app.screen.deck_id is None and "all decks" in str(
                app.screen.query_one(".title-bar", Static).render()
            )
            await pilot.press("a")  # back to the deck
            await pilot.pause()
            assert app.screen.deck_id == "d"
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, StatsScreen)
    finally:
        store.close()
