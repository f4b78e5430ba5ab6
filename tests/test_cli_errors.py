"""An internal error in a command: one line and a crash log, or the traceback when asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import quiz.cli.check as check_cmd
from quiz.cli import main


@pytest.fixture
def broken_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("simulated bug\x1b[2J")

    monkeypatch.setattr(check_cmd, "check_files", boom)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("QUIZ_DEBUG", raising=False)
    deck = tmp_path / "d.yaml"
    deck.write_text("deck: d\ntitle: D\ncards: []\n")
    return deck


def test_internal_error_is_one_line_with_the_crash_log(broken_check: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(broken_check)])
    assert result.exit_code == 70
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "error: quiz stopped on an internal error (RuntimeError: simulated bug"
    )
    assert "--debug" in lines[0]
    assert "\x1b" not in result.output  # the message is shown literally, never as a terminal escape
    log = next((tmp_path / "state").rglob("crash.log"))
    assert "Traceback" in log.read_text() and str(log) in lines[0]


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback(
    broken_check: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    args = ["check", str(broken_check)]
    if how == "flag":
        args = ["--debug", *args]
    else:
        monkeypatch.setenv("QUIZ_DEBUG", "1")
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, RuntimeError)
