"""Errors quiz reports to people: one line each, never a traceback."""

from __future__ import annotations


class QuizError(Exception):
    """An error with a one-line message meant for the user. ``exit_code`` for the CLI."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class DeckError(QuizError):
    """A deck file that cannot be read or is invalid: ``FILE:LINE:COL: message``."""

    def __init__(
        self,
        path: str,
        message: str,
        line: int | None = None,
        col: int | None = None,
        card_id: str | None = None,
    ) -> None:
        self.path, self.line, self.col, self.card_id = path, line, col, card_id
        self.detail = message
        loc = path
        if line is not None:
            loc += f":{line}"
            if col is not None:
                loc += f":{col}"
        suffix = f" [{card_id}]" if card_id else ""
        super().__init__(f"{loc}: error: {message}{suffix}")


class StoreError(QuizError):
    """The progress database cannot be opened or written safely."""


def cannot_write(path: object, exc: OSError, what: str = "") -> QuizError:
    """``PATH: error: cannot write[ what]: reason`` for a file quiz failed to write."""
    thing = f" {what}" if what else ""
    return QuizError(f"{path}: error: cannot write{thing}: {exc.strerror or exc}")
