"""Finding decks (bundled, the user's folder, extra paths) and naming them by path or id."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.deck import discovery
from quiz.deck.discovery import (
    bundled_decks_dir,
    bundled_seeds_dir,
    deck_files,
    find_decks,
    resolve_deck,
    user_decks_dir,
)
from quiz.errors import DeckError, QuizError

REPO = Path(__file__).parent.parent


def deck_text(deck_id: str, title: str = "A deck") -> str:
    return f"deck: {deck_id}\ntitle: {title}\ncards:\n  - {{id: a, type: basic, question: Q, answer: A}}\n"


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-decks"
    folder.mkdir()
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(folder))
    return folder


def test_bundled_dirs_in_a_checkout() -> None:
    assert bundled_decks_dir() == REPO / "decks"
    assert bundled_seeds_dir() == REPO / "seeds"
    assert (bundled_seeds_dir() / "stent-2020-russia-and-china-axis-of-revisionists.txt").is_file()


def test_user_dir_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIZ_DECKS_DIR", raising=False)
    assert user_decks_dir().parts[-2:] == ("quiz", "decks")


def test_find_decks_bundled_user_and_extra(user_dir: Path, tmp_path: Path) -> None:
    (user_dir / "mine.yaml").write_text(deck_text("mine", "Mine"))
    (user_dir / "broken.yaml").write_text("deck: [\n")
    extra = tmp_path / "extra.yml"
    extra.write_text(deck_text("extra"))
    refs = find_decks([extra])
    ids = [r.deck_id for r in refs]
    assert "example-geography" in ids
    assert ids[-2:] == ["mine", "extra"]
    mine = refs[-2]
    assert (mine.title, mine.path, mine.card_count, mine.error) == (
        "Mine",
        user_dir / "mine.yaml",
        1,
        None,
    )
    broken = [r for r in find_decks(include_broken=True) if r.error]
    assert [r.path.name for r in broken] == ["broken.yaml"]
    assert broken[0].error.startswith(f"{user_dir / 'broken.yaml'}:2:1: error: YAML syntax")


def test_same_file_twice_is_not_a_duplicate(user_dir: Path) -> None:
    path = user_dir / "mine.yaml"
    path.write_text(deck_text("mine"))
    assert [r.deck_id for r in find_decks([path, user_dir])].count("mine") == 1


def test_duplicate_deck_ids_name_both_files(user_dir: Path, tmp_path: Path) -> None:
    (user_dir / "one.yaml").write_text(deck_text("twin"))
    other = tmp_path / "two.yaml"
    other.write_text("# a copy\n" + deck_text("twin"))
    with pytest.raises(DeckError) as info:
        find_decks([other])
    assert (
        str(info.value)
        == f"{other}:2:7: error: deck id 'twin' is also used by {user_dir / 'one.yaml'}"
    )


def test_resolve_by_path_and_by_id(user_dir: Path, tmp_path: Path) -> None:
    (user_dir / "mine.yaml").write_text(deck_text("mine", "Mine"))
    assert resolve_deck("mine").title == "Mine"
    assert resolve_deck("mine").path == user_dir / "mine.yaml"
    assert resolve_deck(REPO / "decks" / "example-geography.yaml").deck == "example-geography"
    with pytest.raises(QuizError, match="did you mean 'mine'") as info:
        resolve_deck("mien")
    assert info.value.exit_code == 2
    with pytest.raises(DeckError, match="no such deck file"):
        resolve_deck(str(tmp_path / "gone.yaml"))


def test_resolve_sees_edits(user_dir: Path) -> None:
    path = user_dir / "mine.yaml"
    path.write_text(deck_text("mine", "Before"))
    assert resolve_deck("mine").title == "Before"
    path.write_text(deck_text("mine", "After, a longer title"))
    assert resolve_deck(path).title == "After, a longer title"


def test_deck_files_recursive_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("x")
    (tmp_path / "a.YML").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.yaml").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.yaml").write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in deck_files([tmp_path])]
    assert found == ["a.YML", "b.yaml", "sub/d.yaml"]


def test_wheel_layout_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "decks").mkdir()
    monkeypatch.setattr(discovery, "_WHEEL_DATA", tmp_path)
    assert bundled_decks_dir() == tmp_path / "decks"


def test_symlink_loop_is_not_followed_forever(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    assert [p.name for p in deck_files([tmp_path])] == ["a.yaml"]
