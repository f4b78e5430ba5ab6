"""The curate screen driven by Pilot: every key is a decision written to the deck file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from curate_support import generated_deck
from textual.widgets import Input, OptionList, Static

from quiz.curation import Curation
from quiz.deck.lint import check_files
from quiz.tui.app import CurateApp
from quiz.tui.screens.curate import CurateScreen

SIZE = (100, 30)


def raw_cards(path: Path) -> dict[str, dict]:
    return {c["id"]: c for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]}


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_of(app: CurateApp) -> CurateScreen:
    assert isinstance(app.screen, CurateScreen)
    return app.screen


def shown(app: CurateApp, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).render())


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    return generated_deck(tmp_path)


async def test_accept_and_retire_keys_write_the_deck_and_move_on(deck_path: Path) -> None:
    app = CurateApp(Curation(deck_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        ids = screen.curation.pending_ids()
        assert screen.current == ids[0]
        total = len(raw_cards(deck_path))  # as many as the generator made of the report
        assert f"0 of {total} reviewed, 0 retired" in shown(app, "#curate-progress")
        await pilot.press("a")
        assert raw_cards(deck_path)[ids[0]]["reviewed"] is True
        assert screen.current == ids[1]
        await pilot.press("x")
        assert raw_cards(deck_path)[ids[1]]["retired"] is True
        assert screen.current == ids[2]
        assert f"1 of {total} reviewed, 1 retired" in shown(app, "#curate-progress")
        await pilot.press("n")
        assert screen.current == ids[3]
        await pilot.press("p")
        assert screen.current == ids[2]
    assert check_files([deck_path]).errors == 0


async def test_the_card_shows_answer_passage_with_neighbours_and_warnings(tmp_path: Path) -> None:
    deck_path = generated_deck(tmp_path)
    text = deck_path.read_text(encoding="utf-8")
    # the card on the passage after "Russia invested ...", wherever the generator ranks it
    first_id = next(
        cid
        for cid, raw in raw_cards(deck_path).items()
        if "insurers remain cautious" in raw["source"]["quote"]
    )
    app = CurateApp(Curation(deck_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen_of(app).current = first_id
        screen_of(app).show_card()
        await settle(pilot)
        card = screen_of(app).curation.card(first_id)
        view = shown(app, "#card-view")
        assert " ".join(card.prompt.split())[:40] in " ".join(view.split())
        assert "Answer" in view and card.canonical_answer in view
        passage = " ".join(shown(app, "#passage").split())
        # the sentence before it in its paragraph is shown too
        assert "about 1,500 ships sailed through the Northern Sea Route" in passage
        assert "Russia invested $12 billion" in passage
    assert text == deck_path.read_text(encoding="utf-8")


async def test_edit_saves_and_an_invalid_edit_is_refused_with_the_models_message(
    deck_path: Path,
) -> None:
    cur = Curation(deck_path)
    mcq_id = next(c.id for c in cur.cards if c.type == "mcq")
    app = CurateApp(cur)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        screen.current = mcq_id
        screen.show_card()
        await pilot.press("e")
        answer = app.screen.query_one("#edit-answer", Input)
        answer.value = "Atlantis"
        await pilot.press("tab", "enter")
        assert screen.mode == "edit"
        assert "answer 'Atlantis' is not one of the choices" in shown(app, "#edit-error")
        assert "Atlantis" not in deck_path.read_text(encoding="utf-8")
        await pilot.press("escape")
        assert screen.mode == "card"
        await pilot.press("e")
        prompt = app.screen.query_one("#edit-prompt", Input)
        assert prompt.has_focus
        await pilot.press("end", *" Shorter", "enter")
        assert screen.mode == "card"
        assert raw_cards(deck_path)[mcq_id]["question"].endswith(" Shorter")
        assert screen.current == mcq_id  # stays: a accepts the edited card
        await pilot.press("a")
        assert raw_cards(deck_path)[mcq_id]["reviewed"] is True
    assert check_files([deck_path]).errors == 0


async def test_gap_move_and_type_change_pick_the_generators_candidates(deck_path: Path) -> None:
    app = CurateApp(Curation(deck_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        cands = screen.curation.report.candidates
        card = next(
            c for c in screen.curation.cards if cands.gap_moves(c) and cands.type_changes(c)
        )
        screen.current = card.id
        screen.show_card()
        moves = cands.gap_moves(card)
        before = deck_path.read_text(encoding="utf-8")
        await pilot.press("g")
        picker = app.screen.query_one("#alternatives", OptionList)
        assert screen.mode == "pick" and picker.option_count == len(moves) and picker.has_focus
        await pilot.press("escape")
        assert screen.mode == "card" and deck_path.read_text(encoding="utf-8") == before
        await pilot.press("g", "1")
        moved = screen.curation.card(card.id)
        assert moved.canonical_answer == moves[0].card.canonical_answer
        assert moved.canonical_answer != card.canonical_answer
        types = cands.type_changes(moved)
        await pilot.press("t", "enter")
        assert screen.curation.card(card.id).type == types[0].type
        assert raw_cards(deck_path)[card.id]["type"] == types[0].type
        assert raw_cards(deck_path)[card.id]["id"] == card.id
        # undo twice: the card is as generated again
        await pilot.press("u", "u")
        assert screen.curation.card(card.id) == card
    assert check_files([deck_path]).errors == 0


async def test_undo_is_multi_level(deck_path: Path) -> None:
    original = deck_path.read_text(encoding="utf-8")
    app = CurateApp(Curation(deck_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        first = screen.current
        await pilot.press("a", "x", "a")
        assert len(screen.curation.undo_stack) == 3
        await pilot.press("u", "u", "u")
        assert screen.current == first
        assert deck_path.read_text(encoding="utf-8") == original
        await pilot.press("u")  # nothing left: no change
        assert deck_path.read_text(encoding="utf-8") == original
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Accept" in " ".join(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CurateScreen)


async def test_quit_and_resume_at_the_first_unreviewed_card(deck_path: Path) -> None:
    app = CurateApp(Curation(deck_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ids = screen_of(app).curation.pending_ids()
        await pilot.press("a", "x", "n", "a")  # skips ids[2]
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    again = CurateApp(Curation(deck_path))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert screen_of(again).current == ids[2]
        total = len(raw_cards(deck_path))
        assert f"2 of {total} reviewed, 1 retired" in shown(again, "#curate-progress")


async def test_search_jumps_to_a_matching_card(deck_path: Path) -> None:
    app = CurateApp(Curation(deck_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        target = screen.curation.search("Johan Sverdrup")
        await pilot.press("slash", *"johan sverdrup", "enter")
        assert screen.current == target
        await pilot.press("escape")
        assert screen.mode == "card"


async def test_every_card_decided_shows_the_summary(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "deck: d\ntitle: D\ncards:\n  - {id: one, type: basic, question: Q?, answer: A}\n",
        encoding="utf-8",
    )
    app = CurateApp(Curation(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert "Every card is decided" in shown(app, "#card-view")
        await pilot.press("a", "x", "g", "t", "e")  # nothing to decide: no change, no crash
        assert raw_cards(path)["one"] == {
            "id": "one",
            "type": "basic",
            "question": "Q?",
            "answer": "A",
            "reviewed": True,
        }


async def test_hostile_text_is_shown_literally(tmp_path: Path) -> None:
    path = tmp_path / "h.yaml"
    path.write_text(
        'deck: h\ntitle: "[bold]H[/]"\ncards:\n'
        '  - id: h1\n    type: short\n    question: "What closes [/] markup $var?"\n'
        '    answer: "[/]"\n    explanation: "[link=x]l[/link]"\n'
        '    source:\n      quote: "The answer is [/] here."\n',
        encoding="utf-8",
    )
    app = CurateApp(Curation(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "What closes [/] markup $var?" in shown(app, "#card-view")
        assert "[link=x]l[/link]" in shown(app, "#card-view")


async def test_home_curate_action_opens_the_screen_and_reloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui_support import close_app, make_app

    import quiz.deck.discovery as discovery

    empty = tmp_path / "none"
    empty.mkdir()
    monkeypatch.setattr(discovery, "bundled_decks_dir", lambda: empty)
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(empty))
    decks = tmp_path / "decks"
    decks.mkdir()
    deck_path = generated_deck(decks)
    app = make_app(tmp_path / "p.db", extra_paths=(decks,))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            total = len(raw_cards(deck_path))  # as many as the generator made of the report
            assert f"{total} cards not reviewed" in shown(app, "#deck-detail")
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, CurateScreen)
            await pilot.press("a", "q")
            await settle(pilot)
            assert not isinstance(app.screen, CurateScreen)
            assert f"{total - 1} cards not reviewed" in shown(app, "#deck-detail")
    finally:
        close_app(app)
    assert sum(1 for c in raw_cards(deck_path).values() if c.get("reviewed")) == 1
