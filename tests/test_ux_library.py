"""The deck library (issue 13, item 1): decks added with quiz add, --decks, generate and
import stay on home until quiz remove; a deck gone from disk is shown as missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable
from tui_support import close_app, make_app, write_deck

import quiz.deck.discovery as discovery
from quiz.cli import main
from quiz.store import Store

SIZE = (100, 30)
SEED = (
    Path(__file__).parent.parent / "seeds" / "stent-2020-russia-and-china-axis-of-revisionists.txt"
)


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


def _plain(app) -> str:
    return "\n".join(
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    )


async def _home_rows(db: Path) -> tuple[list[str], str]:
    app = make_app(db)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#decks", DataTable)
            keys = [str(k.value) for k in table.rows]
            return keys, _plain(app)
    finally:
        close_app(app)


async def test_quiz_add_keeps_a_deck_on_home_until_quiz_remove(tmp_path: Path) -> None:
    write_deck(tmp_path)
    db = tmp_path / "p.db"
    runner = CliRunner()
    r = runner.invoke(main, ["add", str(tmp_path / "deck.yaml"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    keys, _ = await _home_rows(db)
    assert keys == ["tui-test"]
    # quiz study finds it by id (it said "no deck file or deck id" before)
    r = runner.invoke(main, ["study", "tui-test", "--plain", "--db", str(db)], input="q\n")
    assert "no deck file or deck id" not in r.output
    with Store.open(db) as store:
        store.record_review(
            review_id="r1",
            learner="ann",
            deck="tui-test",
            card_id="c-basic",
            rating=3,
            now=store.clock(),
            mode="study",
            duration_ms=1,
            answer=None,
            correct=None,
            verdict="self",
            session_id=None,
        )
    r = runner.invoke(main, ["remove", "tui-test", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "progress is kept" in r.output
    keys, _ = await _home_rows(db)
    assert keys == []
    with Store.open(db) as store:
        assert store.db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    r = runner.invoke(main, ["remove", "tui-test", "--db", str(db)])
    assert r.exit_code == 2 and "not in the deck library" in r.output


def test_quiz_add_refuses_a_broken_deck_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: bad\ntitle: Bad\ncards:\n  - id: x\n    type: nope\n")
    r = CliRunner().invoke(main, ["add", str(bad), "--db", str(tmp_path / "p.db")])
    assert r.exit_code != 0
    assert r.output.startswith(f"{bad}:") and "error:" in r.output
    assert "Traceback" not in r.output


async def test_a_deleted_deck_file_is_shown_missing_with_its_path(tmp_path: Path) -> None:
    write_deck(tmp_path)
    db = tmp_path / "p.db"
    assert (
        CliRunner().invoke(main, ["add", str(tmp_path / "deck.yaml"), "--db", str(db)]).exit_code
        == 0
    )
    (tmp_path / "deck.yaml").unlink()
    keys, text = await _home_rows(db)
    assert len(keys) == 1 and keys[0].startswith("missing:")
    assert "TUI test deck" in text  # the title remembered when it was added
    assert "missing" in text
    assert "Deck file missing" in text and str(tmp_path / "deck.yaml") in text


async def test_quiz_decks_is_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quiz.tui.app as tui_app

    write_deck(tmp_path)
    db = tmp_path / "p.db"
    monkeypatch.setattr(tui_app, "_run", lambda app: None)  # no terminal: only the launch
    tui_app.run_app(extra_paths=[tmp_path / "deck.yaml"], db=db)
    keys, _ = await _home_rows(db)  # a later plain `quiz` lists it
    assert keys == ["tui-test"]


def test_generate_and_import_add_to_the_library(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    runner = CliRunner()
    out = tmp_path / "gen.yaml"
    r = runner.invoke(
        main, ["generate", str(SEED), "-o", str(out), "--max-cards", "5", "--db", str(db)]
    )
    assert r.exit_code == 0, r.output
    csv = tmp_path / "cards.csv"
    csv.write_text("front,back\nCapital of France?,Paris\n")
    imported = tmp_path / "imported.yaml"
    r = runner.invoke(main, ["import", str(csv), "-o", str(imported), "--db", str(db)])
    assert r.exit_code == 0, r.output
    with Store.open(db) as store:
        paths = [e.path for e in store.library()]
        added_by = [e.added_by for e in store.library()]
    assert paths == [out.resolve(), imported.resolve()]
    assert added_by == ["generate", "import"]
