"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.store import Store
from quiz.study.clock import FixedClock

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
"""The moment fixed clocks start at, unless a test module says otherwise."""


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own user data and state folders: nothing a test does (a deck
    added to the library by ``quiz generate``, a crash log) reaches the real ones."""
    home: Path = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("QUIZ_DB", raising=False)


@pytest.fixture(autouse=True)
def _utc_study_days(monkeypatch: pytest.MonkeyPatch) -> None:
    """Study days in UTC unless a test sets another zone (the machine's own must not matter)."""
    monkeypatch.setenv("QUIZ_TZ", "UTC")


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at :data:`T0` that tests advance by hand."""
    return FixedClock(T0)


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Iterator[Store]:
    """A fresh progress database in the test's temporary folder, on the ``clock`` fixture."""
    s = Store.open(tmp_path / "p.db", clock=clock)
    yield s
    s.close()
