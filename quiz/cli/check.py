"""``quiz check PATH...``: validate and lint deck files."""

from __future__ import annotations

import sys

import click

from quiz.cli import main
from quiz.deck.discovery import deck_files
from quiz.deck.lint import check_files
from quiz.deck.loader import printable
from quiz.wording import literal


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, no warnings.")
def check(paths: tuple[str, ...], quiet: bool) -> None:
    """Check deck files (or folders of them, searched recursively).

    Prints one line per problem, FILE:LINE:COL: error|warning: message [card],
    then a summary. Exit status: 0 no errors, 1 errors, 2 usage problems
    (a path that does not exist, no deck files found).
    """
    from pathlib import Path

    usage_problem = False
    files: list[Path] = []
    seen: set[Path] = set()
    skipped: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            click.echo(f"{printable(raw)}: error: no such file or directory", err=True)
            usage_problem = True
            continue
        found = list(deck_files([path], skipped))
        if path.is_dir() and not found:
            click.echo(
                f"{printable(raw)}: error: no deck files (*.yaml, *.yml) in this folder", err=True
            )
            usage_problem = True
        for f in found:
            try:
                key = f.resolve()
            except (OSError, RuntimeError):  # a symlink loop: the loader says so
                key = f.absolute()
            if key not in seen:
                seen.add(key)
                files.append(f)
    for entry, why in skipped:
        click.echo(f"{printable(str(entry))}: error: {why}", err=True)
        usage_problem = True
    report = check_files(files)
    for problem in report.problems:
        if quiet and problem.severity == "warning":
            continue
        click.echo(literal(problem.format()))  # deck text, file names: shown escaped
    if files:
        click.echo(report.summary(), err=True)
    if usage_problem:
        sys.exit(2)
    sys.exit(1 if report.errors else 0)
