"""The environment variables quiz reads, checked by one schema (pydantic).

``QUIZ_NOW`` (a fixed clock for scripted runs: an ISO-8601 time with a zone, between
1970 and 2200), ``QUIZ_TZ`` and ``TZ`` (a zone name or a POSIX TZ rule). A bad value is
one line naming the variable (:class:`BadEnvironment`), never a traceback and never
silently ignored.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from quiz.errors import QuizError


class BadEnvironment(QuizError):
    """An environment variable with a value quiz cannot use."""


def _now(value: str) -> datetime:
    from quiz.progress_records import EARLIEST, LATEST
    from quiz.study.clock import from_iso

    try:
        when = from_iso(value)
    except (ValueError, OverflowError):
        when = None
    if when is None or not EARLIEST <= when < LATEST:
        raise ValueError(f"not an ISO-8601 time between {EARLIEST.year} and {LATEST.year}")
    return when


def _zone(value: str) -> str:
    from quiz.study.studyday import zone_problem

    problem = zone_problem(value)
    if problem:
        raise ValueError(f"not a usable time zone: {problem}")
    return value.strip()


class Environment(BaseModel):
    """``QUIZ_NOW``, ``QUIZ_TZ`` and ``TZ``, each None when unset or empty."""

    model_config = ConfigDict(frozen=True)
    QUIZ_NOW: Annotated[str, Field(max_length=100), AfterValidator(_now)] | None = None
    QUIZ_TZ: Annotated[str, Field(max_length=200), AfterValidator(_zone)] | None = None
    TZ: Annotated[str, Field(max_length=200), AfterValidator(_zone)] | None = None

    @property
    def now(self) -> datetime | None:
        return self.QUIZ_NOW  # type: ignore[return-value]  # the validator made it a datetime


def read_environment(
    env: Mapping[str, str] | None = None, only: tuple[str, ...] | None = None
) -> Environment:
    """The checked variables of ``env`` (default ``os.environ``); ``only`` limits which are
    read. Raises :class:`BadEnvironment` with one line for a bad value."""
    env = os.environ if env is None else env
    names = only or tuple(Environment.model_fields)
    values = {n: env[n].strip() for n in names if env.get(n, "").strip()}
    try:
        return Environment.model_validate(values)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        name = str(err["loc"][0])
        raw = values.get(name, "")
        shown = raw if len(raw) <= 60 else raw[:59] + "…"
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        hint = "; set QUIZ_TZ to override TZ" if name == "TZ" else ""
        text = f"is {msg}" if msg.startswith("not") else f": {msg}"
        raise BadEnvironment(f"{name}={shown!r} {text}{hint}".replace(" :", ":")) from None
