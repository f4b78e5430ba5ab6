"""The ``quiz`` command line. Each command lives in its own module here."""

from __future__ import annotations

import os
import sys

import click

from quiz.crashlog import crash_line, debug_requested, write_crash_log
from quiz.errors import QuizError

INTERNAL_ERROR_EXIT = 70


class QuizGroup(click.Group):
    """Turns QuizError into one line on stderr and its exit code; never a traceback.

    An unexpected exception is a bug: its traceback goes to the crash log and the
    person reads one line saying where; ``--debug`` or ``QUIZ_DEBUG=1`` shows it instead.
    """

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except QuizError as exc:
            click.echo(exc.message, err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:
            if debug_requested():
                raise
            line = crash_line(exc, write_crash_log(exc))
            click.echo(f"{line} (run with --debug for the traceback)", err=True)
            sys.exit(INTERNAL_ERROR_EXIT)


def _debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        os.environ["QUIZ_DEBUG"] = "1"


@click.group(cls=QuizGroup, invoke_without_command=True)
@click.version_option(package_name="quiz")
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_debug,
    help="Show the traceback of an internal error (also QUIZ_DEBUG=1).",
)
@click.pass_context
def main(ctx: click.Context) -> None:
    """quiz: study a report's key facts with spaced repetition, in the terminal."""
    if ctx.invoked_subcommand is None:
        from quiz.cli.home import run_home

        run_home()


def _register() -> None:
    """Import every command module; each adds its command(s) to ``main``."""
    import importlib

    for name in ("check", "export", "study", "generate", "importer", "stats", "progress", "curate",
                 "home", "options", "simulate"):
        importlib.import_module(f"quiz.cli.{name}")


_register()
