"""quiz.study.catalog: the read-only views behind Browse and Home, against a real store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tui_support import START, write_deck

from quiz.store import Store
from quiz.study.catalog import CardFilter, card_history, card_rows, deck_overview, filter_rows
from quiz.study.clock import FixedClock
from quiz.study.session import StudySession


def test_rows_filters_history_and_overview(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUIZ_TZ", "UTC")
    deck = write_deck(tmp_path)
    clock = FixedClock(START)
    store = Store.open(tmp_path / "p.db", clock=clock)
    try:
        overview = deck_overview(store, deck, "ann", clock())
        assert (overview.cards, overview.new, overview.learning, overview.due) == (6, 6, 0, 0)

        session = StudySession(store, deck, "ann", clock=clock, seed=1)
        view = session.next_card()
        first = view.card.id
        clock.advance(seconds=4)  # thinking time: shown -> answered
        session.submit(None if view.card.type == "basic" else "wrong")
        session.rate(1)
        view = session.next_card()
        session.suspend()
        session.close()

        rows = {r.card_id: r for r in card_rows(store, deck, "ann")}
        assert list(rows) == [c.id for c in deck.cards]  # deck order
        assert rows[first].state == "learning" and rows[first].reps == 1
        assert rows[view.card.id].suspended
        now = clock()
        assert [
            r.card_id
            for r in filter_rows(list(rows.values()), CardFilter(states={"suspended"}), now)
        ] == [view.card.id]
        assert {
            r.card_id for r in filter_rows(list(rows.values()), CardFilter(states={"new"}), now)
        } == (set(rows) - {first})
        assert [
            r.card_id for r in filter_rows(list(rows.values()), CardFilter(text="NILE south"), now)
        ] == ["c-tf"]
        assert [
            r.card_id
            for r in filter_rows(
                list(rows.values()), CardFilter(section="2. Numbers", type="numeric"), now
            )
        ] == ["c-numeric"]
        assert filter_rows(list(rows.values()), CardFilter(text="seine nowhere"), now) == []

        history = card_history(store, "ann", deck.deck, first)
        assert [(h.rating, h.mode) for h in history] == [(1, "study")]
        assert history[0].duration_ms == 4000

        later = deck_overview(store, deck, "ann", clock() + timedelta(minutes=2))
        assert later.learning == 1 and later.new == 4  # one learning, one suspended
    finally:
        store.close()


def test_history_follows_a_card_renamed_with_previous_ids(store: Store, clock: FixedClock) -> None:
    from quiz.deck.model import Deck

    def deck(card_id: str, previous: list[str]) -> Deck:
        card = {"id": card_id, "type": "basic", "question": "Q", "answer": "A"}
        if previous:
            card["previous_ids"] = previous
        other = {"id": "other", "type": "basic", "question": "Q2", "answer": "A2"}
        return Deck.model_validate({"deck": "d", "title": "D", "cards": [card, other]})

    old = deck("old-id", [])
    session = StudySession(store, old, "ann", clock=clock, practice_cards=["old-id", "other"])
    for rating in (1, 3):  # the renamed card, then another card
        session.next_card()
        session.reveal()
        session.rate(rating)
    session.close()
    renamed = deck("new-id", ["old-id"])
    store.sync_deck(renamed)
    assert [h.rating for h in card_history(store, "ann", "d", "new-id")] == [1]
    assert [h.rating for h in card_history(store, "ann", "d", "other")] == [3]
