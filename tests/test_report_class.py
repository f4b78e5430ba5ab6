"""``quiz report`` over three trainees' databases with realistic histories (run with -s to see it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from stats_builders import realistic_db

from quiz.cli import main

DECK = Path(__file__).resolve().parents[1] / "decks" / "stent-2020-russia-china.yaml"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ENV = {"QUIZ_NOW": "2026-11-28T12:00:00+00:00", "QUIZ_TZ": "UTC", "COLUMNS": "118"}


def class_dbs(tmp_path: Path) -> list[Path]:
    from quiz.deck.loader import load_deck

    ids = [c.id for c in load_deck(DECK).cards]
    return [
        realistic_db(
            tmp_path / "amira.db",
            "amira",
            DECK,
            days=30,
            end=NOW,
            skill=0.9,
            seed=1,
            new_per_day=8,
            flags={ids[2]: "two options are both right"},
        ),
        realistic_db(
            tmp_path / "ben.db",
            "ben",
            DECK,
            days=20,
            end=NOW.replace(day=22),
            skill=0.7,
            seed=2,
            attendance=0.7,
            new_per_day=6,
            flags={ids[2]: "ambiguous [/] wording"},
        ),
        realistic_db(
            tmp_path / "chen.db", "chen", DECK, days=10, end=NOW, skill=0.8, seed=3, new_per_day=12
        ),
    ]


def test_report_over_three_databases(tmp_path, capsys):
    dbs = class_dbs(tmp_path)
    args = ["report", *[a for p in dbs for a in ("--db", str(p))]]
    runner = CliRunner()
    table = runner.invoke(main, [*args, "--limit", "4"], env=ENV)
    assert table.exit_code == 0, table.output
    data = json.loads(runner.invoke(main, [*args, "--format", "json"], env=ENV).output)
    learners = {r["learner"]: r for r in data["learners"]}
    assert list(learners) == ["amira", "ben", "chen"]
    assert learners["ben"]["days_since"] == 6 and learners["amira"]["days_since"] == 0
    assert learners["amira"]["retention_30d"] > learners["ben"]["retention_30d"]
    flagged = data["cards"][0]
    assert sorted((f["learner"], f["comment"]) for f in flagged["flags"]) == [
        ("amira", "two options are both right"),
        ("ben", "ambiguous [/] wording"),
    ]
    assert flagged["prompt"]  # the question text, from the deck file
    rates = [c["failure_rate"] for c in data["cards"][1:] if not c["flags"]]
    assert rates == sorted(rates, reverse=True)
    assert "[/]" in table.output and "wording" in table.output
    with capsys.disabled():
        print("\n$ quiz report --db amira.db --db ben.db --db chen.db --limit 4")
        print(table.output)
