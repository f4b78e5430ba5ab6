"""``quiz stats``: the JSON is compute_stats's; tables show untrusted text literally; errors are one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from stats_builders import add_deck, add_learner, add_review, new_db, set_state

from quiz.cli import main

NOW = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)
ENV = {"QUIZ_NOW": "2026-11-03T15:00:00+00:00", "QUIZ_TZ": "America/New_York", "COLUMNS": "120"}


def make(tmp_path):
    path = tmp_path / "p.db"
    db = new_db(path)
    add_learner(db, "ann")
    add_learner(db, "bob")
    add_deck(db, "d1", {"c1": "[bold]Sec[/] \x1b[31mred", "c2": "Plain"})
    for i in range(3):
        add_review(db, "ann", "d1", "c1", NOW - timedelta(days=i, hours=1), 3, ivl_days=30)
    set_state(
        db,
        "ann",
        "d1",
        "c1",
        state=2,
        stability=30,
        last_review=NOW - timedelta(hours=1),
        due=NOW + timedelta(days=30),
        lapses=2,
    )
    db.close()
    return path


def test_json_matches_core_and_is_documented(tmp_path):
    path = make(tmp_path)
    r = CliRunner().invoke(
        main, ["stats", "--db", str(path), "--learner", "ann", "--json"], env=ENV
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["learner"] == "ann" and data["total_reviews"] == 3
    assert data["streaks"] == {"current": 3, "longest": 3, "days_studied": 3}
    assert data["retention"]["last_7_days"]["mature_passed"] == 3
    assert data["mastery"][0]["section"] == "[bold]Sec[/] \x1b[31mred"
    doc = (__import__("pathlib").Path(__file__).parents[1] / "docs" / "stats-json.md").read_text()
    for key in data:
        assert f"`{key}`" in doc, key


def test_tables_show_text_literally(tmp_path):
    path = make(tmp_path)
    r = CliRunner().invoke(
        main, ["stats", "--db", str(path), "--learner", "ann", "--deck", "d1"], env=ENV
    )
    assert r.exit_code == 0, r.output
    assert "[bold]Sec[/] \\x1b[31mred" in r.output
    assert "\x1b" not in r.output
    assert "True retention" in r.output and "Mastery by section" in r.output


def test_errors_are_one_line(tmp_path):
    path = make(tmp_path)
    runner = CliRunner()
    r = runner.invoke(main, ["stats", "--db", str(path)], env=ENV)  # two learners, none chosen
    assert r.exit_code != 0 and "--learner" in r.output and "Traceback" not in r.output
    r = runner.invoke(main, ["stats", "--db", str(path), "--learner", "zed"], env=ENV)
    assert r.exit_code != 0 and "'zed'" in r.output
    r = runner.invoke(
        main, ["stats", "--db", str(path), "--learner", "ann", "--deck", "nope"], env=ENV
    )
    assert r.exit_code != 0 and "'nope'" in r.output
    r = runner.invoke(main, ["stats", "--db", str(tmp_path / "none.db")], env=ENV)
    assert r.exit_code != 0 and "none.db" in r.output and not (tmp_path / "none.db").exists()
