"""Hostile and broken deck files: one clear error line with its location, never a traceback.

Every file in tests/fixtures/bad_decks/ is loaded in-process (first error, line
and message asserted) and run through ``quiz check`` in a real subprocess under
a 400 MB address-space limit (one line, non-zero exit, no traceback). Huge
files, folders, missing paths and unreadable files are made in tmp_path.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from quiz.deck.lint import check_files
from quiz.deck.loader import MAX_FILE_BYTES, load_deck, read_deck
from quiz.errors import DeckError

BAD_DECKS_DIR = Path(__file__).parent / "fixtures" / "bad_decks"

BAD_DECKS: dict[str, tuple[int, str]] = {
    "alias_bomb.yaml": (8, "alias bomb"),
    "alias_bomb_mapping.yaml": (7, "alias bomb"),
    "bad_card_id.yaml": (9, "card id 'has spaces' may hold only"),
    "bad_deck_id.yaml": (1, "deck id 'Bad Deck!' must be a lowercase slug"),
    "bad_tolerance.yaml": (13, "tolerance 'roughly' is not a number"),
    "binary.yaml": (1, "binary data (NUL byte)"),
    "binary_tag.yaml": (2, "tag '!!binary' is not allowed"),
    "card_not_mapping.yaml": (9, "a card must be a mapping"),
    "cloze_empty_gap.yaml": (11, "cloze gap is empty"),
    "cloze_no_gap.yaml": (11, "cloze text has no {{gap}}"),
    "control_char.yaml": (11, "U+0007 is not allowed"),
    "custom_tag.yaml": (9, "tag '!include' is not allowed"),
    "deep_nesting_block.yaml": (67, "nesting is too deep"),
    "deep_nesting_flow.yaml": (13, "nesting depth"),
    "duplicate_card_id.yaml": (14, "duplicate card id 'ok-1' (first used at line 4)"),
    "duplicate_key.yaml": (14, "duplicate key 'answer'"),
    "empty.yaml": (1, "empty deck file"),
    "empty_answer.yaml": (12, "'answer' is empty"),
    "empty_question.yaml": (11, "'question' is empty"),
    "infinite_number.yaml": (12, "'answer' is not a finite number"),
    "invalid_utf8.yaml": (11, "invalid UTF-8 (byte 0xe9)"),
    "mcq_answer_not_choice.yaml": (13, "answer 'yellow' is not one of the choices"),
    "mcq_duplicate_choice.yaml": (12, "duplicate choice 'Red'"),
    "mcq_too_few_choices.yaml": (12, "needs 3 to 6 choices, found 2"),
    "missing_answer.yaml": (9, "missing field 'answer'"),
    "missing_deck_id.yaml": (1, "missing field 'deck'"),
    "missing_type.yaml": (9, "missing field 'type'"),
    "nul_byte.yaml": (9, "binary data (NUL byte)"),
    "only_comments.yaml": (1, "empty deck file"),
    "previous_id_clash.yaml": (14, "previous id 'ok-1' is the id of another card"),
    "python_module.yaml": (3, "tag '!!python/module:os' is not allowed"),
    "python_name.yaml": (2, "tag '!!python/name:os.system' is not allowed"),
    "python_object_apply.yaml": (11, "tag '!!python/object/apply:os.system' is not allowed"),
    "python_object_new.yaml": (4, "tag '!!python/object/new:subprocess.Popen' is not allowed"),
    "recursive_alias.yaml": (4, "recursive data"),
    "source_file_missing.yaml": (5, "source file 'no-such-source.txt' not found"),
    "source_quote_not_in_file.yaml": (11, "source quote not found"),
    "syntax_bad_indent.yaml": (12, "YAML syntax"),
    "syntax_colon_in_value.yaml": (11, "mapping values are not allowed"),
    "syntax_tab_indent.yaml": (10, "tab character"),
    "syntax_unclosed_flow.yaml": (13, "did not find expected ',' or ']'"),
    "syntax_unclosed_quote.yaml": (13, "quoted scalar"),
    "top_level_list.yaml": (1, "must be a mapping with 'deck', 'title' and 'cards', not a list"),
    "top_level_scalar.yaml": (1, "must be a mapping with 'deck', 'title' and 'cards', not text"),
    "truefalse_false_unexplained.yaml": (9, "needs an explanation"),
    "two_documents.yaml": (4, "one YAML document"),
    "undefined_alias.yaml": (9, "alias *nothing has no anchor"),
    "unhashable_key.yaml": (3, "mapping key must be a plain value"),
    "unknown_card_type.yaml": (10, "unknown card type 'mcqq' (did you mean 'mcq'?)"),
    "unknown_field_typo.yaml": (11, "unknown field 'questoin' (did you mean 'question'?)"),
    "unknown_kind.yaml": (11, "unknown kind 'fakt' (did you mean 'fact'?)"),
    "unknown_source_field.yaml": (14, "unknown field 'qoute' (did you mean 'quote'?)"),
    "unknown_top_field.yaml": (2, "unknown field 'titel' (did you mean 'title'?)"),
    "utf16.yaml": (1, "UTF-16"),
    "wrong_type_cards_mapping.yaml": (4, "'cards' must be a list of cards, not a mapping"),
    "wrong_type_numeric_answer.yaml": (12, "'answer' must be a number, not 'a few'"),
    "wrong_type_question_list.yaml": (11, "'question' must be text, not a list"),
    "wrong_type_tags.yaml": (13, "'tags' must be a list, not a mapping"),
    "wrong_type_truefalse_answer.yaml": (12, "'answer' must be true or false, not 'perhaps'"),
}

LINT_ONLY = {"source_file_missing.yaml", "source_quote_not_in_file.yaml"}
"""Decks that load (they can be studied) but fail ``quiz check``."""

MEMORY_LIMIT = 400 * 1024 * 1024


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in BAD_DECKS_DIR.iterdir()}
    assert on_disk == set(BAD_DECKS)
    assert len(BAD_DECKS) >= 30


@pytest.mark.parametrize("name", sorted(BAD_DECKS))
def test_first_problem_has_line_and_message(name: str) -> None:
    line, fragment = BAD_DECKS[name]
    path = BAD_DECKS_DIR / name
    report = check_files([path])
    errors = [p for p in report.problems if p.severity == "error"]
    assert len(errors) == 1, [p.format() for p in report.problems]
    assert errors[0].line == line
    assert fragment in errors[0].message
    assert errors[0].path == str(path)
    if name in LINT_ONLY:
        load_deck(path)  # studyable; only `quiz check` objects
    else:
        with pytest.raises(DeckError) as info:
            load_deck(path)
        assert info.value.line == line
        assert str(info.value).startswith(f"{path}:{line}:")
        assert fragment in str(info.value)


def test_unsafe_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    deck = tmp_path / "d.yaml"
    deck.write_text(
        f'deck: d\ntitle: !!python/object/apply:os.system ["touch {marker}"]\ncards: []\n'
    )
    with pytest.raises(DeckError, match="not allowed"):
        load_deck(deck)
    assert not marker.exists()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quiz", "check", str(path)],
        capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def check_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, subprocess.CompletedProcess[str]]:
    """``quiz check`` run on every bad deck, plus a 50 MB file and a folder, two at a time."""
    extra = tmp_path_factory.mktemp("hostile")
    huge = extra / "huge.yaml"
    chunk = b"  - id: x\n" * 100_000
    with huge.open("wb") as fh:
        fh.write(b"deck: huge\ntitle: T\ncards:\n")
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
    many = extra / "many.yaml"  # just under the size limit, millions of tiny values
    many.write_bytes(b"deck: d\ntitle: T\ncards:\n" + b"  - [a, b]\n" * (MAX_FILE_BYTES // 12))
    folder = extra / "folder.yaml"
    folder.mkdir()
    paths = {name: BAD_DECKS_DIR / name for name in BAD_DECKS}
    paths["<50 MB>"] = huge
    paths["<9 MB of tiny values>"] = many
    paths["<directory as file>"] = folder
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(zip(paths, pool.map(_run_check, paths.values()), strict=True))
    return runs


@pytest.mark.parametrize(
    "name", [*sorted(BAD_DECKS), "<50 MB>", "<9 MB of tiny values>", "<directory as file>"]
)
def test_quiz_check_subprocess_one_line(name: str, check_runs) -> None:
    run = check_runs[name]
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode == (2 if name == "<directory as file>" else 1)
    if name == "<directory as file>":
        assert run.stderr.strip().endswith("no deck files (*.yaml, *.yml) in this folder")
        return
    lines = run.stdout.splitlines()
    assert len(lines) == 1, run.stdout
    if name in BAD_DECKS:
        line, fragment = BAD_DECKS[name]
        assert f":{line}:" in lines[0]
        assert fragment in lines[0]
        assert ": error: " in lines[0]
    else:
        expected = (
            ":1:1: error: file is too large"
            if name == "<50 MB>"
            else ":50003:5: error: deck is too large"
        )
        assert expected in lines[0]


def test_huge_file_refused_without_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: cheap to make, costly only if read
    with pytest.raises(DeckError, match="too large") as info:
        load_deck(huge)
    assert f"at most {MAX_FILE_BYTES // 1048576} MB" in info.value.message
    assert (info.value.line, info.value.col) == (1, 1)  # about the whole file


def test_directory_missing_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DeckError, match="is a directory"):
        load_deck(tmp_path)
    with pytest.raises(DeckError, match="no such file or directory"):
        load_deck(tmp_path / "missing.yaml")
    locked = tmp_path / "locked.yaml"
    locked.write_text("deck: d\ntitle: T\n")

    def deny(self: Path, *args: object, **kwargs: object):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    result = read_deck(locked)
    assert [p.message for p in result.problems] == ["permission denied"]
    assert result.problems[0].format() == f"{locked}: error: permission denied"


def test_quiz_check_reports_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    locked = tmp_path / "locked.yaml"
    locked.write_text("deck: d\ntitle: T\n")
    locked.chmod(0)
    run = _run_check(locked)
    assert run.returncode == 1
    assert run.stdout.strip() == f"{locked}: error: permission denied"


def test_pure_python_yaml_fallback_reports_the_same_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml, the pure-Python parser is used: same lines, never an exception."""
    import yaml

    from quiz.deck import loader

    class PurePythonLoader(yaml.SafeLoader):
        pass

    monkeypatch.setattr(loader, "_DeckYamlLoader", PurePythonLoader)
    for name, (line, _) in BAD_DECKS.items():
        errors = [p for p in check_files([BAD_DECKS_DIR / name]).problems if p.severity == "error"]
        assert [p.line for p in errors] == [line], (name, [p.format() for p in errors])
    deck = load_deck(BAD_DECKS_DIR.parents[2] / "decks" / "example-geography.yaml")
    assert len(deck.cards) == 12
