"""The study day: which local day a moment belongs to, with a rollover hour.

As in Anki, a new study day starts at a rollover hour (default 4 a.m.) in the
learner's local time zone, so a late-night session still counts as "today".
"Due today" means due before the next rollover. Days are computed on local wall
time, so a daylight-saving change neither skips nor doubles a day.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quiz.study.clock import to_utc

DEFAULT_ROLLOVER_HOUR = 4


def local_zone() -> tzinfo:
    """The local time zone: ``QUIZ_TZ``, else ``TZ``, else the system's, else UTC."""
    for var in ("QUIZ_TZ", "TZ"):
        name = os.environ.get(var, "").strip().lstrip(":")
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
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

    def __init__(self, rollover_hour: int = DEFAULT_ROLLOVER_HOUR, tz: tzinfo | None = None) -> None:
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
