"""Errors quiz reports to people: one line each, never a traceback.

The domain raises structured errors: what went wrong (``message``), and where
(``where``: a file, database or name; ``line`` and ``col`` in it). The one line a
person reads, ``WHERE:LINE:COL: error: message``, is made here (``str(exc)`` or
``exc.message``) and printed by the front ends (quiz.cli, quiz.tui)::

    raise StoreError("no such backup", where=path)   # -> "PATH: error: no such backup"
    raise QuizError("choose 1 to 4")                 # -> "error: choose 1 to 4"
"""

from __future__ import annotations

import os


def error_line(
    message: str,
    where: str | None = None,
    line: int | None = None,
    col: int | None = None,
    label: str | None = "error",
) -> str:
    """``WHERE:LINE:COL: LABEL: message``, each part only when given."""
    loc = where or ""
    if line is not None:
        loc += f":{line}"
        if col is not None:
            loc += f":{col}"
    head = f"{loc}: " if loc else ""
    return f"{head}{label}: {message}" if label else f"{head}{message}"


class QuizError(Exception):
    """An error meant for the user, one line. ``message`` (the line) is made from
    ``detail`` (what went wrong), ``where``, ``line`` and ``col`` (see :func:`error_line`);
    ``label=None`` leaves out ``error:``. ``exit_code`` for the CLI.

    A message already formatted (``"error: ..."``, ``"PATH: error: ..."``) with no ``where``
    or ``line`` is kept as it is (the form of errors raised before the fields existed)."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        exit_code: int | None = None,
        *,
        where: str | os.PathLike[str] | None = None,
        line: int | None = None,
        col: int | None = None,
        label: str | None = "error",
    ) -> None:
        super().__init__(message)
        if where is None and line is None and label == "error" and _preformatted(message):
            label = None
        self.detail = message
        self.where = None if where is None else os.fspath(where)
        self.line, self.col, self.label = line, col, label
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        """The one line shown to the user."""
        return error_line(self.detail, self.where, self.line, self.col, self.label)

    def __str__(self) -> str:
        return self.message


def _preformatted(message: str) -> bool:
    return message.startswith("error: ") or ": error: " in message.split("\n", 1)[0]


class DeckError(QuizError):
    """A deck file that cannot be read or is invalid: ``FILE:LINE:COL: error: message [card]``."""

    def __init__(
        self,
        path: str,
        message: str,
        line: int | None = None,
        col: int | None = None,
        card_id: str | None = None,
    ) -> None:
        self.path, self.card_id = path, card_id
        suffix = f" [{card_id}]" if card_id else ""
        super().__init__(f"{message}{suffix}", where=path, line=line, col=col)
        self.detail = message  # without the card id (quiz.deck.loader.Problem adds it back)

    @property
    def message(self) -> str:
        suffix = f" [{self.card_id}]" if self.card_id else ""
        return error_line(f"{self.detail}{suffix}", self.where, self.line, self.col, self.label)


class StoreError(QuizError):
    """The progress database cannot be opened or written safely."""


def cannot_write(path: object, exc: OSError, what: str = "") -> QuizError:
    """``PATH: error: cannot write[ what]: reason`` for a file quiz failed to write."""
    thing = f" {what}" if what else ""
    return QuizError(f"cannot write{thing}: {exc.strerror or exc}", where=str(path))
