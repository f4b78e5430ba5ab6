"""``quiz simulate [DECK]``: workload and knowledge for a choice of desired retention."""

from __future__ import annotations

from pathlib import Path

import click

from quiz.cli import main
from quiz.cli.common import DB_HELP, cli_clock, inert_json
from quiz.errors import QuizError


@main.command("simulate")
@click.argument("deck", required=False)
@click.option(
    "--days", type=click.IntRange(1, 3650), default=365, show_default=True, help="Days to simulate."
)
@click.option(
    "--retention",
    "retention",
    default="0.70..0.97",
    show_default=True,
    help="Desired retention(s): 0.9, 0.8,0.9 or a range 0.70..0.97 (steps of 0.05).",
)
@click.option("--learner", help="Whose cards and parameters (default: your user name).")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option("--seed", type=int, default=0, hidden=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def simulate_cmd(
    deck: str | None,
    days: int,
    retention: str,
    learner: str | None,
    db: Path | None,
    seed: int,
    as_json: bool,
) -> None:
    """Simulate DECK (or all your decks) for --days days at each desired retention:
    reviews a day, minutes a day and cards you are expected to know at the end."""
    from quiz.cli.options import deck_id_of
    from quiz.store import Store, default_learner
    from quiz.study.simulate import parse_retentions, simulate_learner

    try:
        retentions = parse_retentions(retention)
    except ValueError as exc:
        raise QuizError(f"error: --retention: {exc}", exit_code=2) from None
    learner = learner if learner is not None else default_learner()
    clock = cli_clock()
    store = Store.open(db, clock=clock)
    try:
        deck_id = deck_id_of(store, deck) if deck is not None else None
        if deck_id is not None and not store.has_deck(deck_id):
            from quiz.deck.discovery import resolve_deck

            store.sync_deck(resolve_deck(deck))  # type: ignore[arg-type]
        results = simulate_learner(
            store, learner, deck_id, retentions=retentions, days=days, now=clock(), seed=seed
        )
    finally:
        store.close()
    if not results or not results[0].cards:
        raise QuizError("error: no cards to simulate (study or name a deck first)")
    if as_json:
        click.echo(
            inert_json(
                [
                    {
                        "desired_retention": r.desired_retention,
                        "reviews_per_day": round(r.reviews_per_day, 2),
                        "minutes_per_day": round(r.minutes_per_day, 2),
                        "knowledge": round(r.knowledge, 1),
                        "cards": r.cards,
                        "days": r.days,
                    }
                    for r in results
                ]
            )
        )
        return
    from quiz.wording import literal

    cards = results[0].cards
    click.echo(
        f"{literal(learner)}, {literal(deck_id) if deck_id else 'all decks'}: "
        f"{cards} cards, {days} days"
    )
    click.echo("retention  reviews/day  minutes/day  knowledge at the end")
    for r in results:
        click.echo(
            f"{r.desired_retention:9.2f}  {r.reviews_per_day:11.1f}  {r.minutes_per_day:11.1f}"
            f"  {r.knowledge:7.0f} cards ({r.knowledge_share * 100:.0f}%)"
        )
