"""``quiz`` with no arguments: the home screen of the study app.

Adds ``--learner``, ``--db`` and ``--decks`` to the top-level command; their
values are kept in the click context for :func:`run_home`.
"""

from __future__ import annotations

import click

from quiz.cli import main

_META = "quiz.home"


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    ctx.meta.setdefault(_META, {})[param.name] = value
    return value


click.option(
    "--decks",
    "decks",
    multiple=True,
    type=click.Path(),
    expose_value=False,
    callback=_remember,
    help="A deck file or folder to show on the home screen (repeatable).",
)(main)
click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    envvar="QUIZ_DB",
    expose_value=False,
    callback=_remember,
    help="The progress database (default: QUIZ_DB, else your data folder).",
)(main)
click.option(
    "--learner",
    "learner",
    expose_value=False,
    callback=_remember,
    help="Who is studying (default: your user name).",
)(main)


def run_home() -> None:
    """Open the TUI home screen with every deck found and the learner of this OS user."""
    from quiz.tui.app import run_app

    ctx = click.get_current_context(silent=True)
    options = ctx.meta.get(_META, {}) if ctx is not None else {}
    run_app(
        extra_paths=tuple(options.get("decks") or ()),
        learner=options.get("learner") or None,
        db=options.get("db") or None,
    )
