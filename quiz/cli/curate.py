"""``quiz curate DECK``: review a generated deck card by card; ``--stats`` counts the decisions."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli import main
from quiz.errors import QuizError


@main.command()
@click.argument("deck")
@click.option(
    "--source",
    "source",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The report the deck was generated from (default: the deck's source.file).",
)
@click.option(
    "--stats",
    "stats",
    is_flag=True,
    help="Print how many cards were accepted as-is, edited and retired, per type and template.",
)
def curate(deck: str, source: Path | None, stats: bool) -> None:
    """Curate a generated deck: accept, retire, edit, move gaps; saved to the file at once.

    DECK is a deck file or a deck id. Cards are shown best-ranked first (the
    generator's order); reopening continues at the first card not reviewed.
    """
    from quiz.deck.discovery import resolve_deck

    path = resolve_deck(deck).path
    if path is None:
        raise QuizError(f"error: deck {deck!r} has no file to write", 2)
    if source is not None and not source.is_file():
        raise QuizError(f"{source}: error: no such report file", 2)
    if stats:
        from quiz.curation import Curation

        click.echo(Curation(path, source).stats().format())
        return
    from quiz.tui.app import run_curate

    run_curate(path, source)
