"""What every ``quiz`` command shares: the ``--db`` option's help, the clock, the progress
database and learner to use, JSON that is safe on a terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from quiz.errors import QuizError
from quiz.study.clock import Clock, FixedClock, system_clock

if TYPE_CHECKING:
    from quiz.store import Store

DB_HELP = "Progress database (default: $QUIZ_DB or the user data directory)."


def cli_clock() -> Clock:
    """The wall clock, or a fixed one from ``QUIZ_NOW`` (ISO time; for scripted tests),
    checked by :class:`quiz.environment.Environment`."""
    from quiz.environment import read_environment

    when = read_environment(only=("QUIZ_NOW",)).now
    return FixedClock(when) if when is not None else system_clock


def existing_db_path(db: Path | None) -> Path:
    """The progress database ``--db`` names (or the default one); an error if there is none yet."""
    from quiz.store import db_path

    path = db_path(db)
    if not path.exists():
        raise QuizError(
            f"{path}: error: no progress database here yet (study a deck first, or pass --db)"
        )
    return path


def resolve_learner(store: Store, learner: str | None) -> str:
    """``learner``, else the OS user if they study here, else the only learner."""
    from quiz.store import default_learner

    names = store.learners()
    if learner is not None:
        if learner not in names:
            known = ", ".join(names) if names else "none yet"
            raise QuizError(
                f"error: no learner named {learner!r} in {store.path} (learners: {known})"
            )
        return learner
    me = default_learner()
    if me in names:
        return me
    if len(names) == 1:
        return names[0]
    if not names:
        raise QuizError(f"error: nobody has studied with {store.path} yet")
    raise QuizError(
        f"error: several learners in {store.path}; choose one with --learner ({', '.join(names)})"
    )


def inert_json(data: Any) -> str:
    """``data`` as indented JSON safe for a terminal (see :func:`inert_json_text`)."""
    return inert_json_text(json.dumps(data, indent=2, ensure_ascii=False))


def inert_json_text(text: str) -> str:
    """JSON text whose strings carry control and format characters as ``\\uXXXX``
    escapes: the same data, and nothing in it acts on a terminal."""
    import unicodedata

    return "".join(
        json.dumps(ch)[1:-1]
        if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        else ch
        for ch in text
    )


PROGRESS_HELP = "Show progress on stderr even when it is not a terminal."


class Progress:
    """Progress of long work on stderr, never stdout: a bar when stderr is a terminal and
    the work is long (``min_total`` items or more), plain ``LABEL: N/TOTAL UNIT`` lines
    (about every tenth) when ``forced`` (``--progress``) and stderr is not a terminal."""

    def __init__(self, label: str, unit: str, *, forced: bool = False, min_total: int = 20) -> None:
        import sys

        self.label, self.unit, self.forced, self.min_total = label, unit, forced, min_total
        self.tty = sys.stderr.isatty()
        self._bar: Any = None
        self._done = 0
        self._next_line = 0

    def __call__(self, done: int, total: int) -> None:
        import sys

        if self.tty and (total >= self.min_total or self.forced):
            if self._bar is None:
                self._bar = click.progressbar(
                    length=total, label=self.label, file=sys.stderr, show_pos=True
                )
                self._bar.__enter__()
            self._bar.update(done - self._done)
        elif self.forced and (done >= self._next_line or done == total):
            click.echo(f"{self.label}: {done}/{total} {self.unit}", err=True)
            self._next_line = done + max(1, total // 10)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
