"""``quiz generate REPORT -o DECK.yaml``: make a deck from a report (.txt, .md, .html, .pdf)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from quiz.cli import main
from quiz.errors import QuizError, cannot_write
from quiz.ingest.pdf import Extracted
from quiz.wording import literal

LARGE_INPUT = 200_000  # characters: above this, show progress on stderr


def _read_document(path: Path) -> Extracted:
    """The report as text, whatever its format (quiz.ingest.reader), read within the
    size limit of its kind: a PDF may be larger than a text file (images)."""
    from quiz.files import read_input
    from quiz.ingest.reader import document_from_bytes

    kind = "pdf report" if path.suffix.lower() == ".pdf" else "report"
    return document_from_bytes(path, read_input(path, kind))


@main.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Deck file to write (default: the --update deck).",
)
@click.option("--deck-id", help="Deck id (default: from the source file name).")
@click.option("--title", help="Deck title (default: from the source file name).")
@click.option(
    "--max-cards",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Most cards to keep (default 200).",
)
@click.option(
    "--update",
    "update_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Regenerate into this existing deck, keeping instructor work.",
)
@click.option(
    "--report",
    "show_report",
    is_flag=True,
    help="Print what was kept, rejected and removed from the text, and why.",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Progress database whose deck library lists the new deck (default: $QUIZ_DB "
    "or the user data directory).",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists.")
@click.option("--no-appendices", is_flag=True, help="Leave the report's appendices out.")
def generate(
    source: Path,
    output: Path | None,
    deck_id: str | None,
    title: str | None,
    max_cards: int | None,
    update_path: Path | None,
    show_report: bool,
    db: Path | None,
    force: bool,
    no_appendices: bool,
) -> None:
    """Generate a deck of a report's key facts and arguments.

    The report may be plain text, Markdown (.md), HTML (.html) or a PDF with a text layer."""
    from quiz.deck.writer import write_deck
    from quiz.generate.pipeline import DEFAULT_MAX_CARDS, generate_full

    if deck_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", deck_id):
        raise QuizError(
            f"generate: error: --deck-id {deck_id!r} must be lowercase letters, digits and "
            "hyphens (at most 80)",
            2,
        )
    if title is not None and not title.strip():
        raise QuizError("generate: error: --title must not be empty", 2)
    if output is None and update_path is None:
        raise QuizError("generate: error: give -o DECK.yaml (or --update DECK.yaml)", 2)
    target = output or update_path
    assert target is not None
    from quiz.files import output_target

    replace = force or (
        update_path is not None
        and (output is None or os.path.realpath(output) == os.path.realpath(update_path))
    )
    hint = f"--update {target} (keeps edits and progress) or --force"
    output_target(target, replace=replace, inputs=[source], replace_hint=hint)
    existing = None
    if update_path is not None:
        from quiz.deck.loader import load_deck

        existing = load_deck(update_path)  # raises DeckError: one line, file and position
    document = _read_document(source)
    text = document.text
    if not text.strip():
        try:
            blank = not source.read_bytes().strip()
        except OSError:
            blank = True
        if blank:
            raise QuizError(f"{source}: error: the file is empty", 1)
        raise QuizError(
            f"{source}: error: no report text in it (only markup, tables or navigation)", 1
        )
    large = len(text) > LARGE_INPUT

    def progress(msg: str) -> None:
        if large:
            click.echo(f"generate: {msg} ...", err=True)

    try:
        gen = generate_full(
            text,
            source_name=source.as_posix(),
            deck_id=deck_id or (existing.deck if existing else None),
            title=title or (existing.title if existing else None),
            max_cards=max_cards or DEFAULT_MAX_CARDS,
            progress=progress,
            source_file=Path(os.path.relpath(source.resolve(), target.resolve().parent)).as_posix(),
            document=document,
            appendices=not no_appendices,
        )
    except QuizError:
        raise
    except Exception as exc:  # a bug must still be one line, never a traceback
        first_line = (str(exc).splitlines() or [""])[0]
        raise QuizError(
            f"{source}: error: generation failed ({type(exc).__name__}: {first_line})", 1
        ) from exc
    if not gen.deck.cards and existing is None:
        raise QuizError(f"{source}: error: no cards could be made (no usable sentences)", 1)
    deck = gen.deck
    if existing is not None:
        from quiz.generate.update import merge_decks

        deck, upd = merge_decks(existing, gen.deck, gen.cleaned.text)
        click.echo(literal(upd.summary()), err=True)
    try:
        write_deck(
            deck,
            target,
            header=f"Generated by quiz generate from {source.name}.",
            replace=replace,
            inputs=[source],
            replace_hint=hint,
        )
    except OSError as exc:
        raise cannot_write(target, exc) from None
    active = len(deck.active_cards)
    click.echo(f"wrote {literal(target)}: {active} active cards", err=True)
    from quiz.cli.library import remember

    note = remember(target, "generate", db)
    if note:
        click.echo(literal(note), err=True)
    if show_report:
        click.echo(literal(gen.report.details()))
