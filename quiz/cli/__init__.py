"""The ``quiz`` command line. Each command lives in its own module here."""

from __future__ import annotations

import sys

import click

from quiz.errors import QuizError


class QuizGroup(click.Group):
    """Turns QuizError into one line on stderr and its exit code; never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except QuizError as exc:
            click.echo(exc.message, err=True)
            sys.exit(exc.exit_code)


@click.group(cls=QuizGroup, invoke_without_command=True)
@click.version_option(package_name="quiz")
@click.pass_context
def main(ctx: click.Context) -> None:
    """quiz: study a report's key facts with spaced repetition, in the terminal."""
    if ctx.invoked_subcommand is None:
        from quiz.cli.home import run_home

        run_home()


def _register() -> None:
    """Import every command module; each adds its command(s) to ``main``."""
    import importlib

    for name in ("check", "export", "study", "generate", "importer", "stats", "progress", "home"):
        try:
            importlib.import_module(f"quiz.cli.{name}")
        except ModuleNotFoundError as exc:  # a command not written yet
            if exc.name != f"quiz.cli.{name}":
                raise


_register()
