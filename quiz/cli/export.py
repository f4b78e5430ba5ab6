"""``quiz export DECK --format json|csv|apkg [-o FILE]``."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from quiz.cli import main
from quiz.errors import QuizError, cannot_write


@main.command()
@click.argument("deck")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["json", "csv", "apkg"]), default="json",
    show_default=True, help="json: normalized deck; csv: Anki text import; apkg: Anki package.",
)  # fmt: skip
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default or -: standard output; a file for apkg).",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def export(deck: str, fmt: str, output: Path | None, force: bool) -> None:
    """Export DECK (a deck file or a deck id) as json, csv or apkg."""
    from quiz.deck.discovery import resolve_deck
    from quiz.files import is_stdout, output_target

    if output is not None and is_stdout(output):
        output = None
    if fmt == "apkg" and output is None:
        raise QuizError("error: --format apkg needs -o FILE (an .apkg is binary)", exit_code=2)
    loaded = resolve_deck(deck)
    inputs = [loaded.path] if loaded.path is not None else []
    if output is not None:  # refuse early: before any work, with the reason
        output_target(output, replace=force, inputs=inputs)
    if fmt == "json":
        from quiz.deck.export_json import deck_to_json
        from quiz.deck.writer import write_text_atomic

        text = deck_to_json(loaded)
        if output is None:
            from quiz.cli.common import inert_json_text

            _write_stdout(inert_json_text(text))
        else:
            try:
                write_text_atomic(output, text, replace=force, inputs=inputs)
            except OSError as exc:
                raise cannot_write(output, exc) from None
        return
    exporter = _exporter(fmt)
    if output is not None:
        exporter(loaded, output, replace=force, inputs=inputs)
        return
    fd, tmp = tempfile.mkstemp(suffix=f".{fmt}")
    os.close(fd)
    try:
        exporter(loaded, tmp)
        from quiz.wording import literal

        _write_stdout(literal(Path(tmp).read_text(encoding="utf-8")))  # a terminal stays inert
    finally:
        Path(tmp).unlink(missing_ok=True)


def _write_stdout(text: str) -> None:
    """Write UTF-8 text to stdout whatever the terminal's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _exporter(fmt: str):  # type: ignore[no-untyped-def]
    if fmt == "csv":
        from quiz.interop.anki_csv import export_csv

        return export_csv
    from quiz.interop.apkg import export_apkg

    return export_apkg
