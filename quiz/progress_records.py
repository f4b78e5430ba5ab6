"""One schema per record of a progress export (``quiz progress import`` and ``merge``).

Every value read from a progress file, or from a database being merged, is checked
here before anything is written: its type (strictly: ``"0.9"`` is not a number, ``true``
is not 1), its bounds, and its text (no control characters but newline and tab, no
lone surrogates, a length cap). Timestamps must carry a zone and are normalised to
the stored form (UTC, milliseconds); they must lie between :data:`EARLIEST` and
:data:`LATEST`. :func:`check_record` returns the normalised record or raises
:class:`RecordError` with one line saying which field is wrong and why.
"""

from __future__ import annotations

import json
import math
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    field_validator,
    model_validator,
)

from quiz.study.clock import to_iso

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""Imported times must lie in [EARLIEST, LATEST)."""

MAX_ID = 200
"""Characters in an id or name (learner, deck, card, review, session)."""
MAX_TEXT = 10_000
"""Characters in free text (an answer, a comment, a title)."""
MAX_SETTINGS = 64 * 1024
"""Characters of a settings object as JSON."""
MAX_INT = 2**53
MAX_DURATION_MS = 7 * 24 * 3600 * 1000
MAX_POSITION = 10**9
MAX_COUNT = 10**7
MAX_STABILITY = 1e9


class RecordError(ValueError):
    """A record that may not be imported; ``str()`` is one line."""


def _text(limit: int, multiline: bool) -> Any:
    """Text of at most ``limit`` characters, valid UTF-8, without NUL; an id or name
    (``multiline`` False) has no control characters at all, free text may (they are
    shown escaped)."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"longer than {limit:,} characters")
        for ch in value:
            if ch == "\x00":
                raise ValueError("NUL character not allowed")
            cat = unicodedata.category(ch)
            if cat == "Cc" and not multiline:
                raise ValueError(f"control character U+{ord(ch):04X} not allowed")
            if cat == "Cs":
                raise ValueError("invalid text (a lone surrogate)")
        return value

    return AfterValidator(check)


def _finite(x: float) -> bool:
    try:
        return math.isfinite(x)
    except OverflowError:  # an int too large for a float
        return False


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _time(value: str) -> str:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not an ISO-8601 timestamp") from None
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("a timestamp needs a zone offset (e.g. +00:00)")
    try:
        utc = dt.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("the time is out of range") from None
    if not EARLIEST <= utc < LATEST:
        raise ValueError(f"the time must lie between {EARLIEST.year} and {LATEST.year}")
    stored = to_iso(utc)
    assert stored is not None
    return stored


Id = Annotated[
    str, Field(strict=True, min_length=1), _text(MAX_ID, False), AfterValidator(_non_blank)
]
Text = Annotated[str, Field(strict=True), _text(MAX_TEXT, True)]
Time = Annotated[str, Field(strict=True), AfterValidator(_time)]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]
Retention = Annotated[float, Field(strict=True, ge=0.5, lt=1.0, allow_inf_nan=False)]
Flag = Annotated[int, Field(strict=True, ge=0, le=1)]
Mode = Literal["study", "practice", "exam"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


# --------------------------------------------------------------------------- settings


_SETTING_BOUNDS: dict[str, tuple[int, int]] = {
    "new_per_day": (0, 100_000),
    "reviews_per_day": (0, 1_000_000),
    "rollover_hour": (0, 23),
    "learn_ahead_minutes": (0, 24 * 60),
    "leech_threshold": (0, 10_000),
}


def _settings(value: Any) -> dict[str, Any]:
    """A learner's or deck's settings object: known keys checked, the whole bounded."""
    if not isinstance(value, dict):
        raise ValueError("must be an object")
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (ValueError, TypeError):
        raise ValueError("holds a value that is not plain JSON (NaN or infinity?)") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if len(text) > MAX_SETTINGS:
        raise ValueError(f"longer than {MAX_SETTINGS:,} characters as JSON")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("invalid text (a lone surrogate)") from None
    for key, (low, high) in _SETTING_BOUNDS.items():
        v = value.get(key)
        if v is not None and not (type(v) is int and low <= v <= high):
            raise ValueError(f"{key} must be a whole number from {low} to {high}")
    if value.get("leech_action") not in (None, "suspend", "tag"):
        raise ValueError("leech_action must be suspend or tag")
    tz = value.get("timezone")
    if tz is not None:
        from quiz.study.studyday import zone_problem

        if not isinstance(tz, str):
            raise ValueError("timezone must be text")
        problem = zone_problem(tz)
        if problem:
            raise ValueError(f"timezone: {problem}")
    params = value.get("fsrs_parameters")
    if params is not None:
        _fsrs_parameters(params)
    for key in ("origin", "machine"):
        if value.get(key) is not None and not isinstance(value.get(key), str):
            raise ValueError(f"{key} must be text")
    origins = value.get("origins")
    if origins is not None and not (
        isinstance(origins, list) and all(isinstance(o, str) for o in origins)
    ):
        raise ValueError("origins must be a list of text")
    return value


def _fsrs_parameters(params: Any) -> list[float]:
    from quiz.study.scheduling import check_parameters

    if (
        not isinstance(params, list)
        or len(params) > 100
        or not all(type(x) in (int, float) and _finite(x) for x in params)
    ):
        raise ValueError("FSRS parameters must be a list of (finite) numbers")
    try:
        check_parameters([float(x) for x in params])
    except (ValueError, TypeError, OverflowError) as exc:
        lines = [ln for ln in str(exc).splitlines() if ln and not ln.startswith("One or more")]
        raise ValueError(f"not valid FSRS parameters ({'; '.join(lines)[:300] or exc})") from None
    return [float(x) for x in params]


class ParametersFile(RootModel[list[float]]):
    """The FSRS parameters of ``quiz progress params --set``: 21 numbers fsrs accepts."""

    @model_validator(mode="before")
    @classmethod
    def _check(cls, value: Any) -> Any:
        return _fsrs_parameters(value)


Settings = Annotated[dict[str, Any], AfterValidator(_settings)]


def _json_text(value: str, what: str) -> Any:
    if len(value) > MAX_SETTINGS:
        raise ValueError(f"longer than {MAX_SETTINGS:,} characters")
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise ValueError(f"is not valid JSON {what}") from None


# --------------------------------------------------------------------------- records


class LearnerRecord(_Record):
    name: Id
    created_at: Time
    origin: Id
    desired_retention: Retention | None = None
    settings: Settings = Field(default_factory=dict)
    machine: Id | None = None
    database: Id | None = None  # the database it studies in (quiz.store.identity)


class DeckRecord(_Record):
    id: Id
    title: Annotated[Text, AfterValidator(_non_blank)]
    path: Text | None = None
    first_seen: Time | None = None
    desired_retention: Retention | None = None
    settings: Settings = Field(default_factory=dict)


class CardRecord(_Record):
    deck: Id
    card_id: Id
    content_hash: (
        Annotated[str, Field(strict=True, max_length=MAX_ID), _text(MAX_ID, False)] | None
    ) = None
    type: Literal["basic", "short", "cloze", "numeric", "mcq", "truefalse"] | None = None
    kind: Literal["fact", "argument", "quote"] | None = None
    section: Text | None = None
    grp: Id | None = None
    first_seen: Time | None = None
    retired: Flag | None = None
    position: Annotated[int, Field(strict=True, ge=0, le=MAX_POSITION)] | None = None

    @field_validator("retired", mode="before")
    @classmethod
    def _bool_flag(cls, v: Any) -> Any:
        return int(v) if isinstance(v, bool) else v


class AliasRecord(_Record):
    deck: Id
    old_id: Id
    new_id: Id


def _steps(value: str) -> str:
    steps = _json_text(value, "(a list of seconds)")
    if (
        not isinstance(steps, list)
        or len(steps) > 20
        or not all(type(s) in (int, float) and _finite(s) and 0 < s <= 365 * 86400 for s in steps)
    ):
        raise ValueError(
            "must be a JSON list of at most 20 step lengths in seconds "
            "(each above 0, at most a year)"
        )
    return value


def _parameters(value: str) -> str:
    _fsrs_parameters(_json_text(value, "(a list of FSRS parameters)"))
    return value


class ParamsRecord(_Record):
    id: Annotated[int, Field(strict=True, ge=1, le=MAX_INT)]
    parameters: Annotated[str, Field(strict=True), AfterValidator(_parameters)]
    desired_retention: Annotated[float, Field(strict=True, gt=0.0, lt=1.0, allow_inf_nan=False)]
    learning_steps: Annotated[str, Field(strict=True), AfterValidator(_steps)]
    relearning_steps: Annotated[str, Field(strict=True), AfterValidator(_steps)]
    maximum_interval: Annotated[int, Field(strict=True, ge=1, le=36500)]
    enable_fuzzing: Flag

    @field_validator("enable_fuzzing", mode="before")
    @classmethod
    def _bool_flag(cls, v: Any) -> Any:
        return int(v) if isinstance(v, bool) else v


class SessionRecord(_Record):
    id: Id
    learner: Id
    deck: Id
    mode: Mode
    started_at: Time
    ended_at: Time | None = None


class CardStateJson(BaseModel):
    """The card's FSRS state stored with a review (``state_before`` / ``state_after``)."""

    model_config = ConfigDict(extra="ignore", strict=True)
    state: Annotated[int, Field(strict=True, ge=0, le=3)] = 0
    step: Annotated[int, Field(strict=True, ge=0, le=1000)] | None = None
    stability: (
        Annotated[float, Field(strict=True, ge=0, le=MAX_STABILITY, allow_inf_nan=False)] | None
    ) = None
    difficulty: Annotated[float, Field(strict=True, ge=0, le=100, allow_inf_nan=False)] | None = (
        None
    )
    due: Time | None = None
    last_review: Time | None = None
    reps: Count = 0
    lapses: Count = 0
    leech: Flag = 0
    suspended: Flag = 0


def _state_text(value: str) -> str:
    data = _json_text(value, "(a card state object)")
    if not isinstance(data, dict):
        raise ValueError("must be a JSON object")
    try:
        CardStateJson.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"card state: {first_error(exc)}") from None
    return value


StateText = Annotated[str, Field(strict=True), AfterValidator(_state_text)]


class ReviewRecord(_Record):
    id: Id
    learner: Id
    deck: Id
    card_id: Id
    rating: Annotated[int, Field(strict=True, ge=1, le=4)]
    reviewed_at: Time
    mode: Mode
    duration_ms: Annotated[int, Field(strict=True, ge=0, le=MAX_DURATION_MS)] | None = None
    answer: Text | None = None
    correct: Flag | None = None
    verdict: Literal["correct", "close", "wrong", "self"] | None = None
    session_id: Id | None = None
    params_id: Annotated[int, Field(strict=True, ge=1, le=MAX_INT)] | None = None
    state_before: StateText | None = None
    state_after: StateText | None = None

    @field_validator("correct", mode="before")
    @classmethod
    def _bool_flag(cls, v: Any) -> Any:
        return int(v) if isinstance(v, bool) else v


EVENT_ACTIONS = ("suspend", "unsuspend", "bury", "unbury", "flag", "unflag", "leech", "restore")


class EventRecord(_Record):
    learner: Id
    deck: Id
    card_id: Id
    at: Time
    action: Literal["suspend", "unsuspend", "bury", "unbury", "flag", "unflag", "leech", "restore"]
    comment: Text | None = None
    review_id: Id | None = None

    @field_validator("comment")
    @classmethod
    def _bury_until(cls, v: str | None, info: Any) -> str | None:
        if info.data.get("action") == "bury" and v is not None:
            return _time(v)  # when the card returns: a time like any other
        return v


class HeaderRecord(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    format: Literal["quiz-progress"]
    version: Literal[1]
    exported_at: Time | None = None
    machine: Annotated[str, Field(strict=True), _text(MAX_ID, False)] | None = None


class EndRecord(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    records: Annotated[int, Field(strict=True, ge=0, le=MAX_INT)]


RECORD_MODELS: dict[str, type[BaseModel]] = {
    "learner": LearnerRecord,
    "deck": DeckRecord,
    "card": CardRecord,
    "alias": AliasRecord,
    "params": ParamsRecord,
    "session": SessionRecord,
    "review": ReviewRecord,
    "event": EventRecord,
}


_PLAIN = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number (not NaN or infinity)",
    "string_type": "must be text",
    "dict_type": "must be an object",
    "list_type": "must be a list",
    "literal_error": "must be one of",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long",
    "missing": "is missing",
}
_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("above", "gt"),
    "less_than": ("below", "lt"),
}


def first_error(exc: ValidationError) -> str:
    """The first problem pydantic found, as ``field must be ...`` (one line)."""
    err = exc.errors(include_url=False)[0]
    loc = ".".join(
        str(p) for p in err["loc"] if not str(p).startswith(("function-", "constrained-"))
    )
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        msg = f"must be {word} {ctx.get(key)}"
    elif kind == "literal_error":
        msg = f"must be {ctx.get('expected', 'one of the allowed values')}"
    elif kind in _PLAIN:
        msg = _PLAIN[kind]
    else:
        msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind != "missing" and "input" in err:
        shown = repr(err["input"])
        msg += f", not {shown if len(shown) <= 40 else shown[:39] + '…'}"
    return f"{loc} {msg}" if loc else msg


def check_record(kind: str, rec: dict[str, Any]) -> dict[str, Any]:
    """``rec`` checked against the schema of ``kind`` and normalised (times in UTC);
    keys the schema does not know are dropped. Raises :class:`RecordError`."""
    model = RECORD_MODELS[kind]
    try:
        checked = model.model_validate(rec)
    except ValidationError as exc:
        raise RecordError(f"{kind} record: {first_error(exc)}") from None
    except RecursionError:
        raise RecordError(f"{kind} record: nested too deeply") from None
    return checked.model_dump()
