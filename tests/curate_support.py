"""A small generated deck (and its report) for the curation tests."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from click.testing import CliRunner

from quiz.cli import main

REPORT = Path(__file__).parent / "data" / "curate" / "arctic-report.txt"
REPORT_NAME = "arctic-report.txt"
COMMENT = "# instructor's note: keep this comment\n"


@cache
def _generated_text() -> str:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="curate-gen-") as tmp:
        folder = Path(tmp)
        shutil.copy(REPORT, folder / REPORT_NAME)
        result = CliRunner().invoke(
            main, ["generate", str(folder / REPORT_NAME), "-o", str(folder / "deck.yaml")]
        )
        assert result.exit_code == 0, result.output
        return (folder / "deck.yaml").read_text(encoding="utf-8")


def generated_deck(folder: Path) -> Path:
    """``folder/deck.yaml`` freshly generated from the Arctic report (beside it), with a comment."""
    shutil.copy(REPORT, folder / REPORT_NAME)
    text = _generated_text().replace("cards:\n", "cards:\n" + COMMENT, 1)
    path = folder / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    return path
