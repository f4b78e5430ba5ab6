"""Snapshots of the curate screen at 100x30 and 80x24 (pytest-textual-snapshot).

Update with ``pytest tests/test_curate_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from curate_support import generated_deck
from textual.widgets import Input

from quiz.curation import Curation
from quiz.tui.app import CurateApp


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def snap(snap_compare, deck_path: Path, size: tuple[int, int], press: tuple[str, ...] = ()) -> bool:
    async def before(pilot) -> None:
        await settle(pilot)
        for key in press:
            await pilot.press(key)
        await settle(pilot)

    return snap_compare(CurateApp(Curation(deck_path)), run_before=before, terminal_size=size)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
def test_curate_card(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap(snap_compare, generated_deck(tmp_path), size)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
def test_curate_gap_choices(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap(snap_compare, generated_deck(tmp_path), size, press=("g",))


def test_curate_edit_refused(snap_compare, tmp_path: Path) -> None:
    deck_path = generated_deck(tmp_path)
    mcq_id = next(c.id for c in Curation(deck_path).cards if c.type == "mcq")

    async def before(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.current = mcq_id  # an answer outside its choices is refused
        pilot.app.screen.show_card()
        await settle(pilot)
        await pilot.press("e")
        pilot.app.screen.query_one("#edit-answer", Input).value = "Atlantis"
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(CurateApp(Curation(deck_path)), run_before=before, terminal_size=(100, 30))
