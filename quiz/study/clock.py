"""Time: an injectable clock and the one timestamp format stored everywhere.

Every timestamp in the database is UTC ISO-8601 with millisecond precision and
an explicit ``+00:00`` offset, so text order is time order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
"""A function returning the current time as an aware UTC datetime."""


def system_clock() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


class FixedClock:
    """A clock for tests: returns a set time, moved on by ``advance``."""

    def __init__(self, start: datetime) -> None:
        self.now = to_utc(start)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.now = self.now + (delta or timedelta(**kwargs))
        return self.now

    def set(self, when: datetime) -> None:
        self.now = to_utc(when)


def to_utc(dt: datetime) -> datetime:
    """An aware datetime in exactly ``datetime.timezone.utc`` (what fsrs demands)."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return dt.astimezone(UTC)


def to_iso(dt: datetime | None) -> str | None:
    """Stored form: ``2026-11-28T12:00:00.000+00:00``."""
    if dt is None:
        return None
    return to_utc(dt).isoformat(timespec="milliseconds")


def from_iso(s: str | None) -> datetime | None:
    """Parse a stored timestamp back to an aware UTC datetime."""
    if s is None or s == "":
        return None
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)
