"""``quiz import FILE -o DECK.yaml``: cards from Anki text exports and CSV into a deck file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from quiz.cli import main
from quiz.errors import QuizError, cannot_write
from quiz.wording import literal

if TYPE_CHECKING:
    from quiz.interop.importer import ImportReport


def _printable(text: str) -> str:
    """Text from a file made safe for a terminal: control characters shown escaped."""
    return literal(text).replace("\n", "\\n")


def _print_report(report: ImportReport, file: Path) -> None:
    """Skipped rows and notices on stderr, one ``FILE:LINE: message`` each."""
    for line in report.problem_lines():
        click.echo(_printable(line), err=True)
    for line in report.notice_lines():
        click.echo(_printable(line), err=True)
    if report.ignored_columns:
        names = ", ".join(_printable(c) for c in report.ignored_columns)
        click.echo(_printable(f"{file}: note: ignored columns: ") + names, err=True)


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Deck file to write; an existing deck is updated by card id.",
)
@click.option("--deck-id", help="Deck id for a new deck (default: from the file).")
@click.option("--title", help="Deck title (default: the existing deck's, or from the file).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Progress database whose deck library lists the deck (default: $QUIZ_DB "
    "or the user data directory).",
)
def import_command(
    file: Path,
    output: Path,
    deck_id: str | None,
    title: str | None,
    dry_run: bool,
    db: Path | None,
) -> None:
    """Import cards from an Anki "Notes in Plain Text" export or a CSV with a header row.

    Re-importing the same file updates cards instead of duplicating them. Bad
    rows are reported as FILE:LINE: message and skipped; the deck file is only
    written when the import succeeds.
    """
    from quiz.deck.writer import write_deck
    from quiz.interop.importer import NoCardsImported, import_file

    if output.is_dir():
        raise QuizError(
            _printable(f"{output}: is a directory; give a deck file name like deck.yaml"),
            label=None,
        )
    from quiz.files import output_target

    try:
        output_target(output, replace=True, inputs=[file])
    except QuizError as exc:
        raise QuizError(_printable(exc.message), exc.exit_code, label=None) from None
    try:
        deck, report = import_file(file, deck_id=deck_id, existing=output, title=title)
    except NoCardsImported as exc:
        _print_report(exc.report, file)
        raise QuizError(_printable(exc.message), exc.exit_code, label=None) from None
    except QuizError as exc:
        raise QuizError(_printable(exc.message), exc.exit_code, label=None) from None
    _print_report(report, file)
    if not dry_run:
        try:
            write_deck(  # an existing deck is updated (read above), never the input file
                deck,
                output,
                header=f"Imported by 'quiz import' from {_printable(file.name)}",
                replace=True,
                inputs=[file],
            )
        except OSError as exc:
            raise cannot_write(_printable(str(output)), exc) from None
        from quiz.cli.library import remember

        note = remember(output, "import", db)
        if note:
            click.echo(_printable(note), err=True)
    parts = [f"{len(report.added)} added", f"{len(report.updated)} updated"]
    parts.append(f"{len(report.unchanged)} unchanged")
    if report.kept:
        parts.append(f"{len(report.kept)} kept (not in the file)")
    summary = f"{output}: {len(deck.cards)} cards ({', '.join(parts)})"
    if dry_run:
        summary += " [dry run: nothing written]"
    click.echo(_printable(summary))
    if report.skipped:
        click.echo(_printable(f"{file}: skipped {report.skipped} bad row(s)"), err=True)
