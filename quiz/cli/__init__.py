"""The ``quiz`` command line. Each command lives in its own module here."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from quiz.crashlog import crash_line, debug_requested, write_crash_log
from quiz.errors import QuizError
from quiz.wording import literal

INTERNAL_ERROR_EXIT = 70


class QuizGroup(click.Group):
    """Turns QuizError into one line on stderr and its exit code; never a traceback.

    An unexpected exception is a bug: its traceback goes to the crash log and the
    person reads one line saying where; ``--debug`` or ``QUIZ_DEBUG=1`` shows it instead.
    """

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        """Usage errors as one line: ``quiz study: error: Missing argument 'DECK' (quiz study
        --help)``, not click's three (usage, hint, error)."""
        run: Any = super().main  # click's overloads do not take *args
        if not standalone_mode:
            return run(*args, standalone_mode=False, **kwargs)
        try:
            run(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "quiz"
            click.echo(
                f"{where}: error: {exc.format_message().rstrip('.')} (see '{where} --help')",
                err=True,
            )
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        sys.exit(0)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except QuizError as exc:
            click.echo(literal(exc.message), err=True)  # file names and values from files
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

    for name in (
        "check",
        "export",
        "study",
        "generate",
        "importer",
        "stats",
        "progress",
        "curate",
        "serve",
        "home",
        "options",
        "simulate",
        "library",
    ):
        importlib.import_module(f"quiz.cli.{name}")


_register()
