"""``quiz progress``: export, import and merge progress; optimizer CSV; fitted FSRS parameters."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from quiz.cli import main
from quiz.cli.common import (
    DB_HELP,
    PROGRESS_HELP,
    Progress,
    cli_clock,
    existing_db_path,
    resolve_learner,
)
from quiz.errors import QuizError, cannot_write
from quiz.wording import literal


def _open(db: Path | None, must_exist: bool = True, readonly: bool = False):  # type: ignore[no-untyped-def]
    from quiz.store import Store, db_path

    path = existing_db_path(db) if must_exist or readonly else db_path(db)
    return Store.open(path, clock=cli_clock(), readonly=readonly)


@main.group()
def progress() -> None:
    """Move progress between machines, merge a class, fit FSRS parameters elsewhere."""


@progress.command("export")
@click.option(
    "--learner",
    "learners",
    multiple=True,
    help="Only this learner (repeatable; default: everyone).",
)
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The .jsonl file to write (-: standard output).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def export_cmd(learners: tuple[str, ...], db: Path | None, output: Path, force: bool) -> None:
    """Write reviews (and the decks, cards and parameters they need) as JSON lines."""
    from quiz.progress_io import export_progress
    from quiz.store import database_failures

    store = _open(db, readonly=True)
    try:
        names = store.learners()
        for name in learners:
            if name not in names:
                raise QuizError(f"error: no learner named {name!r} in {store.path}")
        to_stdout = str(output) == "-"
        try:
            with database_failures(store.path):
                n = export_progress(
                    store.db,
                    sys.stdout if to_stdout else output,
                    list(learners) or None,
                    replace=force,
                    inputs=[store.path],
                )
        except BrokenPipeError:  # the reader went away (| head): stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            return
        except OSError as exc:
            raise cannot_write(output, exc) from None
    finally:
        store.close()
    click.echo(
        f"exported {n} reviews to {'standard output' if to_stdout else literal(output)}",
        err=to_stdout,
    )


@progress.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option(
    "--as",
    "as_name",
    help="Add the reviews to this learner (e.g. the same person on another machine).",
)
def import_cmd(file: Path, db: Path | None, as_name: str | None) -> None:
    """Add an exported file's reviews; importing the same file again changes nothing."""
    from quiz.progress_io import import_progress, read_progress

    if as_name is not None and not as_name.strip():
        raise QuizError("error: --as needs a learner name")
    data = read_progress(file)
    store = _open(db, must_exist=False)
    try:
        result = import_progress(store, data, as_name=as_name)
    finally:
        store.close()
    for src, dst in result.learners.items():
        click.echo(literal(f"{src} -> {dst}"))
    click.echo(
        f"added {result.reviews_added} reviews ({result.reviews_skipped} already present); "
        f"rebuilt {result.states_rebuilt} card states"
    )


@progress.command("merge")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into", "target", required=True, type=click.Path(path_type=Path), help="The class database."
)
@click.option("--progress", "show_progress", is_flag=True, help=PROGRESS_HELP)
def merge_cmd(sources: tuple[Path, ...], target: Path, show_progress: bool) -> None:
    """Merge trainees' databases into one class database (repeatable safely)."""
    from quiz.progress_io import load_merge_sources, merge_sources
    from quiz.store import Store, db_path

    for src in sources:
        if not Path(src).exists():
            raise QuizError(f"{src}: error: no such database")
    with Progress("Reading source databases", "databases", forced=show_progress) as progress:
        loaded = load_merge_sources(
            sources, db_path(target), progress
        )  # a bad source: nothing is created
    path = db_path(target)
    created = not path.exists()
    try:
        store = Store.open(path, clock=cli_clock())
        try:
            with Progress(
                "Merging into the class database", "databases", forced=show_progress
            ) as progress:
                results = merge_sources(store, loaded, progress)
        finally:
            store.close()
    except BaseException:
        if created:  # a failed merge leaves no empty class database behind
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
        raise
    for src_name, res in results:
        for name, dst in res.learners.items():
            click.echo(
                literal(
                    f"{src_name}: {name} -> {dst}: added {res.reviews_added} reviews "
                    f"({res.reviews_skipped} already present)"
                )
            )


@progress.command("optimizer-csv")
@click.option("--learner", help="Whose reviews (default: you, or the only learner).")
@click.option("--deck", help="Only this deck id.")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="The .csv file to write."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def optimizer_csv_cmd(
    learner: str | None, deck: str | None, db: Path | None, output: Path, force: bool
) -> None:
    """card_id,review_time,review_rating,review_state,review_duration for the FSRS optimizer."""
    from quiz.progress_io import write_optimizer_csv
    from quiz.store import database_failures

    store = _open(db, readonly=True)
    try:
        name = resolve_learner(store, learner)
        sd = store.study_day(name)
        try:
            with database_failures(store.path):
                n = write_optimizer_csv(
                    store.db, name, output, deck, replace=force, inputs=[store.path]
                )
        except OSError as exc:
            raise cannot_write(output, exc) from None
    finally:
        store.close()
    click.echo(
        f"wrote {n} reviews to {literal(output)} (timezone {sd.tz}, day starts at {sd.rollover_hour}:00)"
    )


@progress.command("params")
@click.option("--learner", help="Whose parameters (default: you, or the only learner).")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option(
    "--set",
    "set_file",
    type=click.Path(path_type=Path),
    help="Load fitted parameters: a JSON list of 21 numbers, or the optimizer's output.",
)
@click.option("--reset", is_flag=True, help="Go back to fsrs's default parameters.")
@click.option("--show", is_flag=True, help="Print the parameters in use (the default action).")
def params_cmd(
    learner: str | None, db: Path | None, set_file: Path | None, reset: bool, show: bool
) -> None:
    """Show or set the learner's FSRS parameters (used for future reviews)."""
    from quiz.progress_io import get_parameters, read_parameters, set_parameters
    from quiz.study.scheduling import DEFAULT_PARAMETERS

    if set_file is not None and reset:
        raise QuizError("error: use --set FILE or --reset, not both")
    params = read_parameters(set_file) if set_file is not None else None
    writes = set_file is not None or reset
    store = _open(db, must_exist=not writes, readonly=not writes)
    try:
        if set_file is not None or reset:
            name = learner or resolve_learner_or_default(store)
            set_parameters(store, name, params)
            click.echo(literal(f"{'set' if params else 'reset'} FSRS parameters for {name}"))
        else:
            name = resolve_learner(store, learner)
        current = get_parameters(store, name)
    finally:
        store.close()
    if show or (set_file is None and not reset):
        click.echo(
            json.dumps(
                {
                    "learner": name,
                    "custom": current is not None,
                    "parameters": current or list(DEFAULT_PARAMETERS),
                }
            )
        )


@progress.command("optimize")
@click.option("--learner", help="Whose log (default: you, or the only learner).")
@click.option("--deck", help="Fit to this deck's reviews only, and use the result for it.")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option("--dry-run", is_flag=True, help="Show the scores; save nothing.")
def optimize_cmd(learner: str | None, deck: str | None, db: Path | None, dry_run: bool) -> None:
    """Fit FSRS parameters to your review log (fsrs-rs-python); keep them if they predict
    your answers better (lower log loss) than the ones in use."""
    from quiz.cli.stats import check_deck
    from quiz.study.optimize import optimize_learner

    store = _open(db)
    try:
        name = resolve_learner(store, learner)
        check_deck(store, deck)
        result = optimize_learner(store, name, deck, save=not dry_run)
    finally:
        store.close()
    b, a = result.before_eval, result.after_eval
    click.echo(f"{result.reviews} reviews of {name}{' in ' + deck if deck else ''}")
    click.echo(f"log loss  {b.log_loss:.4f} -> {a.log_loss:.4f}")
    click.echo(f"RMSE      {b.rmse:.4f} -> {a.rmse:.4f}")
    if not result.better:
        click.echo("kept the parameters in use: the fitted ones are not better")
    elif dry_run:
        click.echo("better, not saved (--dry-run)")
    else:
        click.echo(
            f"saved: scheduling uses them from now on ({'deck ' + deck if deck else 'all decks'})"
        )


def resolve_learner_or_default(store) -> str:  # type: ignore[no-untyped-def]
    from quiz.store import default_learner

    try:
        return resolve_learner(store, None)
    except QuizError:
        return default_learner()


@progress.command("restore")
@click.argument("backup", required=False)
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
def restore_cmd(backup: str | None, db: Path | None) -> None:
    """List the database's backups, or restore BACKUP (a listed name, a date or a path).

    The current database is copied to NAME.pre-restore-TIME first (or moved
    aside if damaged), so a restore can itself be undone. Refused while another
    quiz process (a study session) has the database open.
    """
    from quiz.store import Store, db_path
    from quiz.store.backup import BACKUP_KINDS, list_backups, resolve_backup, restore_backup

    path = db_path(db)
    if backup is None:
        infos = list_backups(path)
        if not infos:
            click.echo(f"no backups of {literal(path)}")
            return
        click.echo(f"backups of {literal(path)} (newest first):")
        for info in infos:
            held = (
                f"{info.reviews} reviews, last {info.last_review or 'never'}"
                if info.usable
                else "unreadable"
            )
            click.echo(
                f"  {literal(info.path.name)}\t{BACKUP_KINDS[info.kind]}\t"
                f"{info.size // 1024} KiB\t{held}"
            )
        click.echo("restore one with: quiz progress restore NAME")
        return
    source = resolve_backup(path, backup)
    result = restore_backup(path, source, cli_clock()())
    Store.open(path, clock=cli_clock()).close()  # upgrades an older backup (after a copy)
    if result.safety_copy is not None:
        click.echo(f"saved the previous database as {literal(result.safety_copy.name)}")
    click.echo(f"restored {literal(source.name)} ({result.reviews} reviews) into {literal(path)}")
