"""The study day: rollover hour, time zones and daylight-saving changes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.study.studyday import StudyDay

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_rollover_at_four_local() -> None:
    sd = StudyDay(4, NY)  # November: EST, UTC-5
    assert sd.day_of(utc(2026, 11, 10, 8, 59)) == date(2026, 11, 9)  # 03:59 local
    assert sd.day_of(utc(2026, 11, 10, 9, 0)) == date(2026, 11, 10)  # 04:00 local
    assert sd.start_of(date(2026, 11, 10)) == utc(2026, 11, 10, 9, 0)
    assert sd.next_rollover(utc(2026, 11, 10, 12, 0)) == utc(2026, 11, 11, 9, 0)
    assert sd.next_rollover(utc(2026, 11, 10, 8, 0)) == utc(2026, 11, 10, 9, 0)
    assert sd.today(utc(2026, 11, 11, 3, 0)) == date(2026, 11, 10)  # 22:00 local


def test_custom_rollover_hour_and_midnight() -> None:
    assert StudyDay(0, UTC).day_of(utc(2026, 1, 2, 0, 0)) == date(2026, 1, 2)
    assert StudyDay(23, UTC).day_of(utc(2026, 1, 2, 22, 59)) == date(2026, 1, 1)
    with pytest.raises(ValueError):
        StudyDay(24, UTC)


@pytest.mark.parametrize(
    ("tz", "change_day"),
    [
        (NY, date(2026, 3, 8)),  # spring forward
        (NY, date(2026, 11, 1)),  # fall back
        (LONDON, date(2026, 3, 29)),
        (LONDON, date(2026, 10, 25)),
    ],
)
@pytest.mark.parametrize("hour", [0, 1, 2, 3, 4])
def test_dst_changes_neither_skip_nor_double_a_day(
    tz: ZoneInfo, change_day: date, hour: int
) -> None:
    sd = StudyDay(hour, tz)
    days = [change_day + timedelta(days=i) for i in range(-3, 4)]
    starts = [sd.start_of(d) for d in days]
    for d, start in zip(days, starts, strict=True):
        assert sd.day_of(start) == d
        assert sd.day_of(start - timedelta(seconds=1)) == d - timedelta(days=1)
    lengths = {(b - a) for a, b in itertools.pairwise(starts)}
    assert lengths <= {timedelta(hours=23), timedelta(hours=24), timedelta(hours=25)}
    # Walk every 10 minutes across the week: each day appears, in order, once.
    seen: list[date] = []
    t = starts[0]
    while t < starts[-1]:
        d = sd.day_of(t)
        if not seen or seen[-1] != d:
            seen.append(d)
        t += timedelta(minutes=10)
    assert seen == days[:-1]


def test_spring_forward_day_is_23_hours_in_new_york() -> None:
    sd = StudyDay(4, NY)
    assert sd.end_of(date(2026, 3, 8)) - sd.start_of(date(2026, 3, 8)) == timedelta(hours=24)
    assert sd.end_of(date(2026, 3, 7)) - sd.start_of(date(2026, 3, 7)) == timedelta(hours=23)
    assert sd.end_of(date(2026, 10, 31)) - sd.start_of(date(2026, 10, 31)) == timedelta(hours=25)


def test_rollover_in_the_gap_starts_at_the_transition() -> None:
    sd = StudyDay(2, NY)  # 02:00 does not exist on 2026-03-08 in New York
    assert sd.start_of(date(2026, 3, 8)) == utc(2026, 3, 8, 7, 0)


def test_quiz_tz_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_TZ", "Asia/Tokyo")
    sd = StudyDay()
    assert sd.day_of(utc(2026, 5, 1, 18, 59)) == date(2026, 5, 1)  # 03:59 May 2 in Tokyo
    assert sd.day_of(utc(2026, 5, 1, 19, 0)) == date(2026, 5, 2)


ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "UTC",
    "America/Santiago",
]


@settings(max_examples=300, deadline=None)
@given(
    instant=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
    hour=st.integers(min_value=0, max_value=23),
)
def test_every_instant_lies_in_its_study_day(instant: datetime, zone: str, hour: int) -> None:
    sd = StudyDay(hour, ZoneInfo(zone))
    day = sd.day_of(instant)
    assert sd.start_of(day) <= instant < sd.end_of(day)
    assert sd.next_rollover(instant) == sd.end_of(day)
    assert timedelta(hours=22) <= sd.end_of(day) - sd.start_of(day) <= timedelta(hours=26)
