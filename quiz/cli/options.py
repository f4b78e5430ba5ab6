"""``quiz options [DECK]``: show or change a learner's deck options (limits, retention,
steps, maximum interval, leech threshold) and custom study."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from quiz.cli import main
from quiz.cli.common import DB_HELP, cli_clock, inert_json
from quiz.errors import QuizError
from quiz.study.options import EDITABLE, OptionError

if TYPE_CHECKING:
    from quiz.store import Store

_FLAG_HELP = {
    "new_per_day": "New cards a day (0-9999; Anki: 20).",
    "reviews_per_day": "Reviews a day (0-99999; Anki: 200).",
    "desired_retention": "Desired retention, 0.70-0.99 (default 0.9).",
    "learning_steps": "Learning steps, e.g. 1m,10m (units s m h d; 'none').",
    "relearning_steps": "Relearning steps after a lapse, e.g. 10m.",
    "maximum_interval": "Longest interval in days (1-36500).",
    "leech_threshold": "Lapses that make a card a leech (0: never).",
}


def deck_id_of(store: Store, arg: str) -> str:
    """A deck id from DECK: a deck id the database knows, else a deck file or id on disk."""
    if store.has_deck(arg):
        return arg
    from quiz.deck.discovery import resolve_deck

    return resolve_deck(arg).deck


def _with_option_flags(fn: Any) -> Any:
    for name in reversed(EDITABLE):
        fn = click.option(
            "--" + name.replace("_", "-"), name, metavar="VALUE", help=_FLAG_HELP[name]
        )(fn)
    return fn


@main.command("options")
@click.argument("deck", required=False)
@_with_option_flags
@click.option(
    "--extra-new-today",
    type=int,
    metavar="N",
    help="Custom study: N more new cards today in DECK (on top of the daily limit).",
)
@click.option("--reset", is_flag=True, help="Forget the options set at this level first.")
@click.option("--learner", help="Whose options (default: your user name).")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the options as JSON.")
def options_cmd(
    deck: str | None,
    extra_new_today: int | None,
    reset: bool,
    learner: str | None,
    db: Path | None,
    as_json: bool,
    **changes: str | None,
) -> None:
    """Show or change your options for DECK (a deck id or file), or for all your decks.

    A deck's options win over the ones for all decks; unset ones are Anki's defaults.
    """
    from quiz.store import Store, default_learner

    learner = learner if learner is not None else default_learner()
    if not learner.strip():
        raise QuizError("error: --learner must not be empty", exit_code=2)
    wanted = {k: v for k, v in changes.items() if v is not None}
    if extra_new_today is not None and deck is None:
        raise QuizError("error: --extra-new-today needs a DECK", exit_code=2)
    clock = cli_clock()
    store = Store.open(db, clock=clock)
    try:
        deck_id = deck_id_of(store, deck) if deck is not None else None
        try:
            if reset:
                store.set_options(
                    learner, deck_id, **dict.fromkeys(store.stored_options(learner, deck_id))
                )
            if wanted:
                store.set_options(learner, deck_id, **wanted)
            today_new = None
            if extra_new_today is not None:
                assert deck_id is not None
                today_new = store.add_new_today(learner, deck_id, extra_new_today, clock())
        except OptionError as exc:
            raise QuizError(exc.message, exit_code=2, label=None) from None
        opts = store.options(learner, deck_id)
        stored = store.stored_options(learner, deck_id)
        day = store.study_day(learner, deck_id).day_of(clock()).isoformat()
    finally:
        store.close()
    data = opts.to_json()
    if as_json:
        click.echo(
            inert_json(
                {
                    "learner": learner,
                    "deck": deck_id,
                    "options": {k: data[k] for k in EDITABLE},
                    "set_here": sorted(k for k in stored if k in EDITABLE),
                    "new_today": opts.new_limit_on(day),
                }
            )
        )
        return
    from quiz.wording import literal

    where = f"deck {literal(deck_id)}" if deck_id else "all decks"
    click.echo(f"options of {literal(learner)} for {where} (* set here):")
    for key in EDITABLE:
        value = data[key]
        shown = (",".join(value) or "none") if isinstance(value, list) else value
        mark = "*" if key in stored else " "
        click.echo(f" {mark} {key.replace('_', '-'):<20} {shown}")
    if today_new is not None or opts.new_limit_on(day) != opts.new_per_day:
        click.echo(f"   new cards today: {opts.new_limit_on(day)} (custom study)")
