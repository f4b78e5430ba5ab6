"""quiz check and quiz export through click's CliRunner, and as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.deck.discovery import bundled_decks_dir
from quiz.deck.loader import load_deck

REPO = Path(__file__).parent.parent
EXAMPLE = REPO / "decks" / "example-geography.yaml"
GOOD = "deck: good\ntitle: Good\ncards:\n  - {id: a, type: short, question: Capital of France?, answer: Paris, source: {quote: q}}\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def no_user_decks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_DECKS_DIR", str(tmp_path / "no-user-decks"))


def test_check_bundled_decks_pass(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(bundled_decks_dir())])
    assert result.exit_code == 0, result.output
    assert " 0 errors" in result.stderr


def test_check_ok_warning_error_and_usage_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    result = runner.invoke(main, ["check", str(good)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "1 deck, 1 card (short 1); 0 errors, 0 warnings\n"

    warn = tmp_path / "warn.yaml"
    warn.write_text(GOOD.replace("deck: good", "deck: warn").replace(", source: {quote: q}", ""))
    result = runner.invoke(main, ["check", str(warn)])
    assert result.exit_code == 0
    assert result.stdout == f"{warn}:4:5: warning: no source quote [a]\n"
    assert runner.invoke(main, ["check", "--quiet", str(warn)]).stdout == ""

    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("deck: good", "deck: bad").replace("answer:", "answr:"))
    result = runner.invoke(main, ["check", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad}:4:56: error: unknown field 'answr' (did you mean 'answer'?) [a]"
    ]
    assert result.stderr.endswith("2 decks, 1 card (short 1); 1 error, 0 warnings\n")

    result = runner.invoke(main, ["check", str(tmp_path / "nope.yaml"), str(good)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.yaml'}: error: no such file or directory" in result.stderr
    assert runner.invoke(main, ["check"]).exit_code == 2


def test_check_folder_recursive_and_duplicate_deck_id(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "b.yml").write_text(GOOD)
    (tmp_path / ".hidden.yaml").write_text("not: [valid")
    (tmp_path / "notes.txt").write_text("ignored")
    result = runner.invoke(main, ["check", str(tmp_path), str(tmp_path / "a.yaml")])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{tmp_path / 'nested' / 'b.yml'}:1:7: error: deck id 'good' is also used by {tmp_path / 'a.yaml'}\n"
    )
    assert result.stderr.startswith("2 decks, 2 cards")


def test_export_json_shape(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["deck", "title", "cards"]
    deck = load_deck(EXAMPLE)
    assert [c["id"] for c in data["cards"]] == [c.id for c in deck.active_cards]
    keys = ["id", "type", "kind", "section", "tags", "group", "prompt", "answer", "accept",
            "choices", "explanation", "source"]  # fmt: skip
    for card in data["cards"]:
        assert list(card) == keys
        assert list(card["source"]) == ["quote", "section", "line"]
        assert card["answer"] == card["accept"][0]
    by_id = {c["id"]: c for c in data["cards"]}
    cloze = by_id["geo-nile-longest"]
    assert "{{" not in cloze["prompt"] and cloze["prompt"].count("____") == 2
    assert cloze["answer"] == "Nile; Amazon" and cloze["choices"] is None
    assert by_id["geo-nile-flows-north"]["answer"] == "False"
    assert by_id["geo-nile-flows-north"]["choices"] == ["True", "False"]
    assert by_id["geo-challenger-depth"]["answer"] == "10,900 metres"
    assert by_id["geo-australia-capital"]["choices"] == ["Sydney", "Melbourne", "Canberra"]
    assert by_id["geo-challenger-deep"]["accept"] == ["Challenger Deep", "the Challenger Deep"]


def test_export_by_deck_id_to_file_and_retired_cards_left_out(
    runner: CliRunner, tmp_path: Path
) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text(
        GOOD + "  - {id: b, type: basic, question: Old?, answer: Gone, retired: true}\n"
    )
    out = tmp_path / "out" / "deck.json"
    result = runner.invoke(main, ["export", "good", "-o", str(out)],
                           env={"QUIZ_DECKS_DIR": str(tmp_path)})  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["deck"] == "good" and [c["id"] for c in data["cards"]] == ["a"]


def test_export_errors(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "no-such-deck-id"])
    assert result.exit_code == 2 and "no deck file or deck id 'no-such-deck-id'" in result.stderr
    result = runner.invoke(main, ["export", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "no such deck file" in result.stderr
    result = runner.invoke(main, ["export", str(EXAMPLE), "--format", "apkg"])
    assert result.exit_code == 2 and "-o FILE" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: x\ntitle: [\n")
    result = runner.invoke(main, ["export", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:3:1: error: YAML syntax")
    assert "Traceback" not in result.output


def test_export_csv_and_apkg_delegate_to_interop(runner: CliRunner, tmp_path: Path) -> None:
    pytest.importorskip("quiz.interop.anki_csv")
    result = runner.invoke(main, ["export", str(EXAMPLE), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("#separator:tab")
    assert "geo-nile-longest" in result.stdout
    pytest.importorskip("quiz.interop.apkg")
    out = tmp_path / "deck.apkg"
    result = runner.invoke(main, ["export", str(EXAMPLE), "--format", "apkg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_real_process_check_and_export(tmp_path: Path) -> None:
    env = {"QUIZ_DECKS_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "quiz", "check", "decks"], cwd=REPO,
                         capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 errors" in run.stderr
    run = subprocess.run([sys.executable, "-m", "quiz", "export", "example-geography"],
                         capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["deck"] == "example-geography"
    run = subprocess.run([sys.executable, "-m", "quiz", "check", str(tmp_path / "nope")],
                         capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_control_characters_in_paths_are_escaped(runner: CliRunner, tmp_path: Path) -> None:
    evil = tmp_path / "\x1b[31mred.yaml"
    evil.write_text("deck: [\n")
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "\\x1b[31mred.yaml:2:1: error: YAML syntax" in result.stdout
