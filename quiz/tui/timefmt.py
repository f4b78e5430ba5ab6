"""Times as people read them: ``in 10 min``, ``tomorrow 09:30``, ``2m 05s``."""

from __future__ import annotations

from datetime import datetime, timedelta

from quiz.wording import plural


def local_time(dt: datetime) -> datetime:
    """``dt`` in the learner's local zone (``QUIZ_TZ``, else the system's)."""
    return _local(dt)


def _local(dt: datetime) -> datetime:
    try:
        from quiz.study.studyday import local_zone

        return dt.astimezone(local_zone())
    except Exception:
        return dt.astimezone()


def duration_text(ms: int | float | None) -> str:
    """``45s``, ``2m 05s``, ``1h 02m``."""
    if not ms:
        return "0s"
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def relative_text(when: datetime | None, now: datetime) -> str:
    """``now``, ``in 8 min``, ``in 3 h``, ``in 4 days``, ``in 2 months``; with the local time."""
    if when is None:
        return "—"
    delta = when - now
    if delta <= timedelta(seconds=30):
        return "now"
    minutes = delta.total_seconds() / 60
    local = _local(when)
    today = _local(now).date()
    if local.date() == today:
        clock = f"{local:%H:%M}"
    elif local.date() == today + timedelta(days=1):
        clock = f"tomorrow {local:%H:%M}"
    else:
        clock = f"{local:%a %d %b %H:%M}"
    if minutes < 60:
        return f"in {round(minutes)} min ({clock})"
    hours = minutes / 60
    if hours < 24:
        return f"in {round(hours)} h ({clock})"
    days = hours / 24
    if days < 45:
        return f"in {plural(round(days), 'day')} ({local:%a %d %b})"
    if days < 365:
        return f"in {round(days / 30)} months ({local:%d %b %Y})"
    return f"in {days / 365:.1f} years ({local:%d %b %Y})"
