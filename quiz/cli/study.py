"""``quiz study DECK`` (TUI or ``--plain``) and ``quiz cards`` (suspended, flagged, leeches)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from quiz.cli import main
from quiz.cli.common import DB_HELP, cli_clock
from quiz.errors import QuizError
from quiz.store import database_failures
from quiz.study.clock import Clock

if TYPE_CHECKING:
    from quiz.study.session import Mode


def _load_deck(arg: str, db: Path | None = None):  # type: ignore[no-untyped-def]
    from quiz.deck.discovery import resolve_deck
    from quiz.store.library import present_paths

    return resolve_deck(arg, present_paths(db))


def _open_store(db: Path | None, clock: Clock, readonly: bool = False):  # type: ignore[no-untyped-def]
    from quiz.store import Store

    return Store.open(db, clock=clock, readonly=readonly)


@main.command()
@click.argument("deck")
@click.option("--plain", is_flag=True, help="Line by line on stdin/stdout, no TUI.")
@click.option("--learner", help="Who is studying (default: your user name).")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option(
    "--new",
    "new_limit",
    type=click.IntRange(0, 100_000),
    help="New cards allowed today (0-100000).",
)
@click.option("--practice", is_flag=True, help="Cram cards without changing the schedule.")
@click.option("--cards", "card_ids", help="Practice only these card ids (comma-separated).")
@click.option(
    "--exam",
    type=click.IntRange(1, 100_000),
    metavar="N",
    help="An exam of N random cards (at most 100000).",
)
@click.option(
    "--seed", type=click.IntRange(0, 2**63 - 1), hidden=True, help="Seed for shuffles (tests)."
)
def study(
    deck: str,
    plain: bool,
    learner: str | None,
    db: Path | None,
    new_limit: int | None,
    practice: bool,
    card_ids: str | None,
    exam: int | None,
    seed: int | None,
) -> None:
    """Study DECK (a deck file or deck id): scheduled reviews, --practice or --exam N."""
    from quiz.store import default_learner

    if practice and exam is not None:
        raise QuizError("error: choose --practice or --exam, not both", exit_code=2)
    if card_ids and not practice:
        raise QuizError("error: --cards needs --practice", exit_code=2)
    mode: Mode = "exam" if exam is not None else "practice" if practice else "study"
    learner = learner if learner is not None else default_learner()
    if not learner.strip():
        raise QuizError("error: --learner must not be empty", exit_code=2)
    if not plain:
        from quiz.tui.app import run_study

        cards = [c.strip() for c in card_ids.split(",") if c.strip()] if card_ids else None
        run_study(
            deck,
            learner=learner,
            db=db,
            mode=mode,
            exam=exam,
            new_limit=new_limit,
            practice_cards=cards,
        )
        return
    from quiz.cli.plain import run_plain
    from quiz.study.session import StudySession

    clock = cli_clock()
    the_deck = _load_deck(deck, db)
    store = _open_store(db, clock)
    try:
        with database_failures(store.path):
            session = StudySession(
                store,
                the_deck,
                learner,
                mode,
                clock=clock,
                new_limit=new_limit,
                exam_size=exam,
                practice_cards=[c.strip() for c in card_ids.split(",") if c.strip()]
                if card_ids
                else None,
                seed=seed,
            )
            try:
                code = run_plain(session, sys.stdin, sys.stdout)
            except KeyboardInterrupt:
                click.echo("", err=True)
                code = 130
            except BrokenPipeError:  # the reader went away (| head): stop quietly
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                code = 0
            finally:
                with contextlib.suppress(QuizError), database_failures(store.path):
                    session.close()
    finally:
        store.close()
    sys.exit(code)


@main.group()
def cards() -> None:
    """List suspended, flagged and leech cards; restore them."""


def _list(kind: str, deck: str | None, learner: str | None, db: Path | None) -> None:
    from quiz.store import db_path
    from quiz.wording import literal

    if not db_path(db).exists():
        click.echo(f"no {kind} cards")
        return
    store = _open_store(db, cli_clock(), readonly=True)  # only reads: works on a read-only file
    try:
        rows = store.marked_cards(kind, deck, learner)
    finally:
        store.close()
    if not rows:
        click.echo(f"no {kind} cards")
        return
    for lr, dk, cid, lapses, comment, retired in rows:
        line = f"{literal(dk)}\t{literal(cid)}\tlearner={literal(lr)}\tlapses={lapses}"
        if kind == "flagged" and comment:
            line += f"\tcomment={literal(comment)}"
        if retired:
            line += "\t(retired)"
        click.echo(line)


def _list_command(kind: str) -> None:
    noun = "leeches (cards forgotten again and again)" if kind == "leeches" else f"{kind} cards"

    @cards.command(name=kind, help=f"List {noun}.")
    @click.option("--deck", help="Only this deck id.")
    @click.option("--learner", help="Only this learner.")
    @click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
    def _cmd(deck: str | None, learner: str | None, db: Path | None) -> None:
        _list(kind, deck, learner, db)


for _kind in ("suspended", "flagged", "leeches"):  # quiz.store.CARD_MARKS
    _list_command(_kind)


@cards.command()
@click.argument("deck")
@click.argument("card_id")
@click.option("--learner", help="Whose card (default: every learner with this card).")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
def restore(deck: str, card_id: str, learner: str | None, db: Path | None) -> None:
    """Unsuspend, unflag and clear the leech mark of CARD_ID in DECK (a deck id)."""
    from quiz.wording import literal

    store = _open_store(db, cli_clock())
    try:
        cid = store.resolve_card_id(deck, card_id)
        learners = store.learners_of_card(deck, cid, learner)
        if not learners:
            who = f" for learner {literal(learner)!s}" if learner is not None else ""
            raise QuizError(
                f"error: no progress for card {literal(cid)} in deck {literal(deck)}{who}"
            )
        for name in learners:
            store.restore(name, deck, cid)
            click.echo(f"restored: {literal(deck)} {literal(cid)} (learner {literal(name)})")
    finally:
        store.close()
