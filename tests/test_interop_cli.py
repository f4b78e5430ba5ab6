"""``quiz import`` and ``quiz export --format csv|apkg`` from the command line."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.deck.loader import load_deck

FIXTURES = Path(__file__).parent / "fixtures" / "anki"
SAMPLE = FIXTURES / "sample-deck.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize(
    "name", ["anki-notes-with-headers.txt", "anki-notes-no-headers.txt", "spreadsheet.csv"]
)
def test_imported_deck_passes_quiz_check(runner, tmp_path, name):
    out = tmp_path / "deck.yaml"
    result = run(runner, "import", FIXTURES / name, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.exists()
    check = run(runner, "check", out)
    assert check.exit_code == 0, check.output


def test_bad_rows_are_reported_with_file_and_line_then_counted(runner, tmp_path):
    src = FIXTURES / "anki-notes-with-headers.txt"
    out = tmp_path / "deck.yaml"
    result = run(runner, "import", src, "-o", out)
    assert f"{src}:12: no answer: the second field is empty" in result.stderr
    assert result.stderr.rstrip().endswith("skipped 1 bad row(s)")
    assert "6 cards (6 added, 0 updated, 0 unchanged)" in result.stdout
    assert "Traceback" not in result.output


def test_reimport_updates_instead_of_duplicating(runner, tmp_path):
    out = tmp_path / "deck.yaml"
    run(runner, "import", FIXTURES / "spreadsheet.csv", "-o", out)
    first = load_deck(out)
    result = run(runner, "import", FIXTURES / "spreadsheet.csv", "-o", out)
    assert "7 cards (0 added, 0 updated, 7 unchanged)" in result.stdout
    assert [c.id for c in load_deck(out).cards] == [c.id for c in first.cards]


def test_deck_id_and_title_options(runner, tmp_path):
    out = tmp_path / "deck.yaml"
    result = run(
        runner, "import", FIXTURES / "spreadsheet.csv", "-o", out,
        "--deck-id", "my-deck", "--title", "My [bold]deck",
    )  # fmt: skip
    assert result.exit_code == 0
    deck = load_deck(out)
    assert (deck.deck, deck.title) == ("my-deck", "My [bold]deck")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "not a text file"),
        (b"question,answer\nok,caf\xe9\n", "not UTF-8"),
        (b"PK\x03\x04zip", "zip archive"),
    ],
)
def test_bad_files_fail_cleanly_and_leave_the_deck_alone(runner, tmp_path, content, message):
    src = tmp_path / "input.txt"
    src.write_bytes(content)
    out = tmp_path / "deck.yaml"
    shutil.copy(SAMPLE, out)
    before = out.read_bytes()
    result = run(runner, "import", src, "-o", out)
    assert result.exit_code != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.yaml", "input.txt"]


def test_missing_file_and_directory(runner, tmp_path):
    out = tmp_path / "deck.yaml"
    missing = run(runner, "import", tmp_path / "nope.csv", "-o", out)
    assert missing.exit_code != 0 and "no such file" in missing.stderr
    folder = run(runner, "import", tmp_path, "-o", out)
    assert folder.exit_code != 0 and "is a directory" in folder.stderr
    into_dir = run(runner, "import", FIXTURES / "spreadsheet.csv", "-o", tmp_path)
    assert into_dir.exit_code != 0 and "is a directory" in into_dir.stderr
    assert not out.exists()


def test_control_characters_in_messages_are_escaped(runner, tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("question,answer,type\nQ\x1b[31m,A,weird\x1b[0m\n", encoding="utf-8")
    result = run(runner, "import", src, "-o", tmp_path / "d.yaml")
    assert "\x1b" not in result.stderr
    assert "\\x1b" in result.stderr


def test_export_csv_then_import_keeps_every_card(runner, tmp_path):
    exported = tmp_path / "deck.txt"
    result = run(runner, "export", SAMPLE, "--format", "csv", "-o", exported)
    assert result.exit_code == 0, result.output
    assert exported.read_text(encoding="utf-8").startswith("#separator:tab\n")
    out = tmp_path / "back.yaml"
    result = run(runner, "import", exported, "-o", out)
    assert result.exit_code == 0, result.stderr
    original, back = load_deck(SAMPLE), load_deck(out)
    assert back.deck == original.deck
    assert [c.model_dump() for c in back.cards] == [c.model_dump() for c in original.cards]


def test_export_apkg_writes_an_anki_package(runner, tmp_path):
    out = tmp_path / "deck.apkg"
    result = run(runner, "export", SAMPLE, "--format", "apkg", "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        assert {"collection.anki2", "media"} <= set(archive.namelist())


def test_dry_run_reports_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "deck.yaml"
    result = run(runner, "import", FIXTURES / "spreadsheet.csv", "-o", out, "--dry-run")
    assert result.exit_code == 0
    assert "7 cards (7 added, 0 updated, 0 unchanged) [dry run: nothing written]" in result.stdout
    assert not out.exists()
