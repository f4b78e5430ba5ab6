"""Deck options: every study setting's default, bounds and parsing, in one place.

Options are stored per learner (for all their decks) and per learner and deck
in the progress database (``quiz options``, the Options screen); see
``Store.options``. Defaults follow Anki's. Bad values give one clear line
(:class:`OptionError`), never a traceback.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from typing import Any

from quiz.errors import QuizError


class OptionError(QuizError):
    """An option value out of bounds or unreadable: ``error: --name ...``."""


DEFAULT_LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
DEFAULT_RELEARNING_STEPS = (timedelta(minutes=10),)

RETENTION_RANGE = (0.70, 0.99)
"""Desired retention a learner may choose (Anki's range)."""
MAX_STEPS = 10
MAX_STEP = timedelta(days=1)  # a step longer than a day is a review interval


@dataclass(frozen=True)
class DeckOptions:
    """How one learner studies one deck. The field defaults are THE defaults."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = DEFAULT_LEARNING_STEPS
    relearning_steps: tuple[timedelta, ...] = DEFAULT_RELEARNING_STEPS
    maximum_interval: int = 36500
    leech_threshold: int = 8
    leech_action: str = "suspend"  # or "tag"
    rollover_hour: int = 4
    learn_ahead_minutes: int = 20
    timezone: str | None = None  # None: QUIZ_TZ or the system zone
    fsrs_parameters: tuple[float, ...] | None = None  # fitted FSRS weights; None: fsrs's
    extra_new: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    """Custom study: more new cards on one study day (``{"2026-03-02": 10}``)."""

    def new_limit_on(self, day: str) -> int:
        """Today's new-card limit: ``new_per_day`` plus any custom study for ``day`` (ISO date)."""
        return self.new_per_day + int(self.extra_new.get(day, 0))

    def to_json(self) -> dict[str, Any]:
        """The options as JSON values (steps as ``"1m"``-style text)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("learning_steps", "relearning_steps"):
                value = [step_text(s) for s in value]
            elif f.name == "fsrs_parameters" and value is not None:
                value = list(value)
            elif f.name == "extra_new":
                value = dict(value)
            out[f.name] = value
        return out


DEFAULTS = DeckOptions()

EDITABLE = (
    "new_per_day",
    "reviews_per_day",
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "leech_threshold",
)
"""The options ``quiz options`` and the Options screen change (CLI flags: dashes)."""

_INT_BOUNDS = {
    "new_per_day": (0, 9999),
    "reviews_per_day": (0, 99999),
    "maximum_interval": (1, 36500),
    "leech_threshold": (0, 999),
    "rollover_hour": (0, 23),
    "learn_ahead_minutes": (0, 24 * 60),
}

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def step_text(td: timedelta) -> str:
    """``1m``, ``10m``, ``30s``, ``1h``, ``1d`` (the largest unit that divides it)."""
    seconds = int(td.total_seconds())
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"


def parse_steps(name: str, text: str) -> tuple[timedelta, ...]:
    """``"1m,10m"`` (units s, m, h, d; a bare number is minutes; ``""`` or ``none``: no steps)."""
    text = str(text).strip()
    if text.lower() in ("", "none", "-"):
        return ()
    steps = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd]?)", part.lower())
        if not m:
            raise OptionError(
                f"{flag(name)}: {part!r} is not a step (write e.g. 1m,10m; units s m h d)"
            )
        step = timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2) or "m"])
        if not timedelta(seconds=1) <= step <= MAX_STEP:
            raise OptionError(f"{flag(name)}: each step must be between 1s and 1d, not {part}")
        steps.append(step)
    if len(steps) > MAX_STEPS:
        raise OptionError(f"{flag(name)}: at most {MAX_STEPS} steps")
    return tuple(steps)


def check(name: str, value: Any) -> Any:
    """``value`` for option ``name`` (text from a command line or screen, or a stored value),
    converted and bounds-checked; :class:`OptionError` otherwise."""
    if name in _INT_BOUNDS:
        low, high = _INT_BOUNDS[name]
        if isinstance(value, bool):
            raise OptionError(f"{flag(name)} must be a whole number, not {value!r}")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            number = value if isinstance(value, int) else int(str(value).strip())
        except ValueError:
            raise OptionError(f"{flag(name)} must be a whole number, not {value!r}") from None
        if not low <= number <= high:
            raise OptionError(f"{flag(name)} must be between {low} and {high}, not {number}")
        return number
    if name == "desired_retention":
        lowest, highest = RETENTION_RANGE
        try:
            ratio = float(value) if isinstance(value, float | int) else float(str(value).strip())
        except ValueError:
            raise OptionError(f"{flag(name)} must be a number, not {value!r}") from None
        if math.isnan(ratio) or not lowest <= ratio <= highest:
            raise OptionError(
                f"{flag(name)} must be between {lowest:.2f} and {highest:.2f}, not {value}"
            )
        return ratio
    if name in ("learning_steps", "relearning_steps"):
        if isinstance(value, list | tuple):
            if len(value) > MAX_STEPS:
                raise OptionError(f"{flag(name)}: at most {MAX_STEPS} steps")
            steps = []
            for s in value:
                step = s if isinstance(s, timedelta) else parse_steps(name, str(s))[0]
                if not timedelta(seconds=1) <= step <= MAX_STEP:
                    raise OptionError(f"{flag(name)}: each step must be between 1s and 1d")
                steps.append(step)
            return tuple(steps)
        return parse_steps(name, str(value))
    if name == "leech_action":
        if value not in ("suspend", "tag"):
            raise OptionError(f"{flag(name)} must be suspend or tag, not {value!r}")
        return value
    if name == "timezone":
        return None if value in (None, "") else str(value)
    if name == "fsrs_parameters":
        if value is None:
            return None
        from quiz.study.scheduling import check_parameters

        try:
            params = tuple(float(x) for x in value)
            check_parameters(params)
        except (TypeError, ValueError) as exc:
            raise OptionError(f"unusable FSRS parameters: {str(exc).splitlines()[0]}") from None
        return params
    if name == "extra_new":
        if not isinstance(value, dict):
            raise OptionError("extra_new must map a study day to a count")
        return {str(k): check("new_per_day", v) for k, v in value.items()}
    raise OptionError(f"unknown option {name!r}")


def to_stored(name: str, value: Any) -> Any:
    """A checked value as stored in the JSON settings (steps as seconds)."""
    if name in ("learning_steps", "relearning_steps"):
        return [s.total_seconds() for s in value]
    if name == "fsrs_parameters" and value is not None:
        return list(value)
    return value


def from_layers(layers: list[dict[str, Any]]) -> DeckOptions:
    """Options from stored settings layers, later ones winning. A stored value that is
    unusable (edited by hand, or from an older quiz) is skipped: the defaults are safer."""
    values: dict[str, Any] = {}
    names = {f.name for f in fields(DeckOptions)}
    for layer in layers:
        for key, raw in layer.items():
            if key not in names:
                continue
            try:
                if key in ("learning_steps", "relearning_steps") and isinstance(raw, list):
                    value: Any = check(key, [timedelta(seconds=float(s)) for s in raw])
                else:
                    value = check(key, raw)
            except (OptionError, TypeError, ValueError):
                continue
            values[key] = value
    return replace(DEFAULTS, **values)
