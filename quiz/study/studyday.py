"""The study day: which local day a moment belongs to, with a rollover hour.

As in Anki, a new study day starts at a rollover hour (default 4 a.m.) in the
learner's local time zone, so a late-night session still counts as "today".
"Due today" means due before the next rollover. Days are computed on local wall
time, so a daylight-saving change neither skips nor doubles a day.
"""

from __future__ import annotations

import io
import os
import struct
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quiz.errors import QuizError
from quiz.study.clock import to_utc

DEFAULT_ROLLOVER_HOUR = 4


class TimeZoneError(QuizError):
    """``QUIZ_TZ`` or ``TZ`` names no time zone quiz can use."""


def parse_zone(name: str) -> tzinfo:
    """A time zone from an IANA name (``Europe/Paris``) or a POSIX TZ string
    (``EST5EDT,M3.2.0/2,M11.1.0/2``, ``<+0330>-3:30``); raises ValueError saying why not."""
    name = name.strip().lstrip(":")
    if not name or len(name) > 200 or not name.isprintable():
        raise ValueError("not a time zone name")
    if name.startswith("/"):  # TZ=":/etc/localtime": a TZif file
        try:
            if not os.path.isfile(name):
                raise ValueError("not a regular file")
            with open(name, "rb") as fh:
                return ZoneInfo.from_file(fh, key=name)
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot read the zone file ({exc})") from None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    looks_posix = (
        name.isascii()
        and (name[:1].isalpha() or name.startswith("<"))
        and ("/" not in name or "," in name)
    )
    if not looks_posix:
        raise ValueError("no such time zone (use a name like Europe/Paris or America/New_York)")
    try:  # a POSIX rule: the footer of a TZif file with no transitions
        return ZoneInfo.from_file(io.BytesIO(_posix_tzif(name)), key=name)
    except (ValueError, OSError, IndexError, KeyError) as exc:
        raise ValueError(
            f"neither a zone name like Europe/Paris nor a POSIX TZ rule ({exc})"
        ) from None


def _posix_tzif(rule: str) -> bytes:
    """A minimal TZif version 2 file whose only content is the POSIX ``rule`` footer."""

    def block() -> bytes:
        head = b"TZif2" + b"\0" * 15 + struct.pack(">6l", 0, 0, 0, 0, 1, 4)
        return head + struct.pack(">lBB", 0, 0, 0) + b"UTC\0"

    return block() + block() + b"\n" + rule.encode("ascii") + b"\n"


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not a usable time zone, or None."""
    try:
        parse_zone(name)
    except ValueError as exc:
        return str(exc)
    return None


def local_zone() -> tzinfo:
    """The local time zone: ``QUIZ_TZ``, else ``TZ``, else the system's, else UTC.

    ``QUIZ_TZ`` and ``TZ`` may be IANA names or POSIX TZ strings; one that names no
    zone is an error (:class:`TimeZoneError`), never silently UTC."""
    from quiz.environment import BadEnvironment, read_environment

    try:
        name = read_environment(only=("QUIZ_TZ",)).QUIZ_TZ or read_environment(only=("TZ",)).TZ
    except BadEnvironment as exc:
        raise TimeZoneError(exc.detail) from None
    if name:
        return parse_zone(name)
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if name:
            return ZoneInfo(name)
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    try:
        with open("/etc/localtime", "rb") as fh:
            return ZoneInfo.from_file(fh, key="localtime")
    except (OSError, ValueError):
        pass
    fixed = datetime.now().astimezone().tzinfo
    return fixed if fixed is not None else UTC


class StudyDay:
    """Maps UTC instants to local study days and back.

    ``rollover_hour`` (0-23) is the local hour at which a new study day begins;
    ``tz`` is the learner's zone (default: :func:`local_zone`).
    """

    def __init__(
        self, rollover_hour: int = DEFAULT_ROLLOVER_HOUR, tz: tzinfo | None = None
    ) -> None:
        if not 0 <= int(rollover_hour) <= 23:
            raise ValueError("rollover_hour must be between 0 and 23")
        self.rollover_hour = int(rollover_hour)
        self.tz: tzinfo = tz if tz is not None else local_zone()

    def __repr__(self) -> str:
        return f"StudyDay(rollover_hour={self.rollover_hour}, tz={self.tz!s})"

    def day_of(self, dt: datetime) -> date:
        """The local study day that the instant ``dt`` belongs to."""
        local = to_utc(dt).astimezone(self.tz)
        # Aware-datetime arithmetic is wall-clock arithmetic: exactly what we want.
        return (local.replace(tzinfo=None) - timedelta(hours=self.rollover_hour)).date()

    def today(self, now: datetime) -> date:
        """The study day it is at ``now``."""
        return self.day_of(now)

    def start_of(self, day: date) -> datetime:
        """The UTC instant at which study day ``day`` begins."""
        wall = datetime.combine(day, time(self.rollover_hour))
        first = wall.replace(tzinfo=self.tz, fold=0).astimezone(UTC)
        second = wall.replace(tzinfo=self.tz, fold=1).astimezone(UTC)
        lo, hi = min(first, second), max(first, second)
        if self.day_of(lo) >= day:
            return lo  # an ordinary or repeated (fall-back) hour: its first occurrence
        # The rollover hour falls in a spring-forward gap: the day starts at the
        # transition, the first instant whose study day is ``day``.
        while hi - lo > timedelta(seconds=1):
            mid = lo + (hi - lo) / 2
            if self.day_of(mid) >= day:
                hi = mid
            else:
                lo = mid
        return hi.replace(microsecond=0) if self.day_of(hi.replace(microsecond=0)) >= day else hi

    def end_of(self, day: date) -> datetime:
        """The UTC instant at which study day ``day`` ends (the next day's start)."""
        return self.start_of(day + timedelta(days=1))

    def next_rollover(self, now: datetime) -> datetime:
        """The UTC instant the next study day begins after ``now``."""
        return self.end_of(self.day_of(now))

    def days_between(self, earlier: datetime, later: datetime) -> int:
        """Whole study days from ``earlier`` to ``later`` (0 on the same study day)."""
        return (self.day_of(later) - self.day_of(earlier)).days
