"""``quiz add DECK`` and ``quiz remove DECK``: the deck library shown on home.

``quiz --decks``, ``quiz generate`` and ``quiz import`` add to it too
(:func:`remember`). Removing a deck keeps its progress.
"""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli import main
from quiz.cli.common import DB_HELP, cli_clock
from quiz.errors import QuizError
from quiz.wording import literal


def remember(path: Path, added_by: str, db: Path | None = None) -> str | None:
    """Add a deck file or folder to the library of ``db``; a note if that failed (never raises)."""
    from quiz.deck.discovery import read_deck_cached
    from quiz.store import Store

    deck_id = title = None
    if path.is_file():
        result = read_deck_cached(path)
        header = result.deck or result.header
        if header is not None:
            deck_id, title = header.deck, header.title
    try:
        store = Store.open(db, clock=cli_clock())
    except QuizError as exc:
        return f"note: not added to the deck library: {exc.message}"
    try:
        store.add_to_library(path, deck=deck_id, title=title, added_by=added_by)
    except QuizError as exc:
        return f"note: not added to the deck library: {exc.message}"
    finally:
        store.close()
    return None


@main.command("add")
@click.argument("deck", type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), help=DB_HELP)
def add_command(deck: Path, db: Path | None) -> None:
    """Add a deck file (or a folder of decks) to the decks listed on home."""
    from quiz.deck.discovery import deck_files, read_deck_cached

    if not deck.exists():
        raise QuizError(f"{literal(str(deck))}: error: no such deck file or folder", 2)
    files = list(deck_files([deck]))
    if deck.is_file():
        result = read_deck_cached(deck)
        if result.deck is None:
            first = min(result.errors, key=lambda p: (p.line or 0, p.col or 0))
            raise first.to_error()
    elif not files:
        raise QuizError(f"{literal(str(deck))}: error: no deck files (.yaml) in this folder", 1)
    note = remember(deck, "add", db)
    if note:
        raise QuizError(note.replace("note:", "error:", 1))
    what = f"{len(files)} deck file(s)" if deck.is_dir() else "deck"
    click.echo(
        f"added {literal(str(deck.resolve()))} ({what}); it is listed on home until 'quiz remove'"
    )


@main.command("remove")
@click.argument("deck")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), help=DB_HELP)
def remove_command(deck: str, db: Path | None) -> None:
    """Take a deck (file, folder or deck id) off the home list; its progress is kept."""
    from quiz.store import Store

    store = Store.open(db, clock=cli_clock())
    try:
        removed = store.remove_from_library(deck)
        known = store.library()
    finally:
        store.close()
    if not removed:
        listed = ", ".join(literal(str(e.path)) for e in known) or "it is empty"
        raise QuizError(
            f"error: {literal(deck)!s} is not in the deck library ({listed}); bundled decks "
            "and decks in your decks folder cannot be removed",
            2,
        )
    for entry in removed:
        click.echo(
            f"removed {literal(str(entry.path))} from the deck library; its progress is kept"
        )
