"""``quiz report`` over a generated class (bench/class_builder.py, a dozen learners here):
the batched SQL reading agrees with quiz.stats learner by learner, reads without writing,
and shows progress on stderr only."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.report import build_report
from quiz.stats import compute_stats
from quiz.store import Store

BENCH = Path(__file__).resolve().parents[1] / "bench"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ENV = {"QUIZ_NOW": "2026-11-28T12:00:00+00:00", "QUIZ_TZ": "UTC"}


def class_builder():
    spec = importlib.util.spec_from_file_location("class_builder", BENCH / "class_builder.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["class_builder"] = module
    spec.loader.exec_module(module)
    return module


NAMES = [f"learner {i}" for i in range(10)] + ["<b>eve</b> & co", 'o\'brien "ob"']


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    out = tmp_path_factory.mktemp("class")
    paths = class_builder().build_class(out, len(NAMES), cards=40, reviews=120, seed=5, names=NAMES)
    # one learner in another zone with a late rollover, one deck-level setting
    conn = sqlite3.connect(paths[3])
    with conn:
        conn.execute(
            "UPDATE learners SET settings = ?",
            [json.dumps({"timezone": "Asia/Tokyo", "rollover_hour": 7})],
        )
    conn.close()
    conn = sqlite3.connect(paths[4])  # another's day set by their options (quiz options)
    with conn:
        conn.execute(
            "INSERT INTO options (learner, deck, settings) SELECT name, '', ? FROM learners",
            [json.dumps({"timezone": "Pacific/Kiritimati", "rollover_hour": 0})],
        )
    conn.close()
    return out, paths


def expected_learner(store: Store, name: str) -> dict:
    stats = compute_stats(
        store.db, name, None, now=NOW, study_day=store.study_day(name), hardest_limit=0
    )
    last = store.db.execute(
        "SELECT max(reviewed_at) FROM reviews WHERE learner = ?", [name]
    ).fetchone()[0]
    weakest = min((m for m in stats.mastery if m.cards), key=lambda m: m.mastery, default=None)
    return {
        "cards_seen": sum(m.seen for m in stats.mastery),
        "reviews": stats.total_reviews,
        "retention_30d": stats.retention_for("last_30_days").total,
        "mastery": stats.overall_mastery,
        "weakest": (weakest.section, weakest.mastery) if weakest else None,
        "last": last,
        "sections": [(m.section, m.cards, m.seen, m.mastery) for m in stats.mastery],
    }


def test_learner_figures_agree_with_quiz_stats(klass, tmp_path):
    _out, paths = klass
    rep = build_report(paths, now=NOW)
    got = {r.learner: r for r in rep.learners}
    assert sorted(got) == sorted(NAMES)
    checked = 0
    for path in paths:
        copy = tmp_path / path.name  # the store writes a backup beside what it opens
        copy.write_bytes(path.read_bytes())
        with Store.open(copy) as store:
            for name in store.learners():
                want, row = expected_learner(store, name), got[name]
                assert row.cards_seen == want["cards_seen"] and row.reviews == want["reviews"]
                assert row.retention_30d == pytest.approx(want["retention_30d"])
                assert row.mastery == pytest.approx(want["mastery"])
                assert (row.weakest_section, row.weakest_mastery) == (
                    want["weakest"][0],
                    pytest.approx(want["weakest"][1]),
                )
                assert row.last_studied.isoformat(timespec="milliseconds") == want["last"]
                assert row.days_since == store.study_day(name).days_between(row.last_studied, NOW)
                cells = rep.sections[(name, path.name)]
                assert [(c.section, c.cards, c.seen) for c in cells] == [
                    s[:3] for s in want["sections"]
                ]
                assert [c.mastery for c in cells] == pytest.approx([s[3] for s in want["sections"]])
                checked += 1
    assert checked == len(NAMES)
    assert any(r.retention_30d not in (None, 0.0, 1.0) for r in rep.learners)  # real variety


def test_card_totals_and_class_days(klass):
    _out, paths = klass
    rep = build_report(paths, now=NOW)
    want: dict[str, list[int]] = {}
    days: dict[str, int] = {}
    for path in paths:
        conn = sqlite3.connect(path)
        for cid, n, fails, learners in conn.execute(
            "SELECT card_id, count(*), sum(rating = 1), count(DISTINCT learner) FROM reviews GROUP BY 1"
        ):
            acc = want.setdefault(cid, [0, 0, 0])
            acc[0] += n
            acc[1] += fails
            acc[2] += learners
        for day, n in conn.execute(
            "SELECT substr(reviewed_at, 1, 10), count(*) FROM reviews GROUP BY 1"
        ):
            days[day] = days.get(day, 0) + n
        conn.close()
    assert {c.card_id: [c.answers, c.failures, c.learners] for c in rep.cards if c.answers} == want
    assert all(c.prompt and c.prompt.startswith("What is fact number") for c in rep.cards)
    assert {d.day.isoformat(): d.answers for d in rep.days} == days
    assert sum(d.passed + d.failed for d in rep.days) > 0


def test_report_reads_without_writing(klass):
    out, paths = klass

    def files():  # SQLite's own -wal / -shm companions of a WAL database aside
        return {
            p.name: (p.stat().st_mtime_ns, p.read_bytes())
            for p in out.iterdir()
            if not p.name.endswith(("-wal", "-shm"))
        }

    before = files()
    build_report(paths, now=NOW)
    assert files() == before  # no backup copies, no migration, not a byte changed


def test_progress_goes_to_stderr_only_when_asked(klass):
    _out, paths = klass
    args = ["report", *[a for p in paths for a in ("--db", str(p))], "--format", "json"]
    runner = CliRunner()
    quiet = runner.invoke(main, args, env=ENV)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    loud = runner.invoke(main, [*args, "--progress"], env=ENV)
    assert loud.exit_code == 0, loud.output
    assert json.loads(loud.stdout) == json.loads(quiet.stdout)  # stdout stays clean
    assert f"{len(paths)}/{len(paths)} databases" in loud.stderr


def test_a_folder_of_databases(klass):
    out, paths = klass
    runner = CliRunner()
    by_folder = runner.invoke(main, ["report", "--db", str(out), "--format", "json"], env=ENV)
    by_file = runner.invoke(
        main, ["report", *[a for p in paths for a in ("--db", str(p))], "--format", "json"], env=ENV
    )
    assert by_folder.exit_code == 0, by_folder.output
    assert json.loads(by_folder.output)["learners"] == json.loads(by_file.output)["learners"]


def test_a_broken_database_is_one_line(klass, tmp_path):
    _out, paths = klass
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    r = CliRunner().invoke(main, ["report", "--db", str(paths[0]), "--db", str(bad)], env=ENV)
    assert r.exit_code != 0 and "bad.db" in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_html_report_in_a_browser(klass, tmp_path):
    from browser import headless_chromium

    _out, paths = klass
    page_file = tmp_path / "class.html"
    args = [
        "report",
        *[a for p in paths for a in ("--db", str(p))],
        "--format",
        "html",
        "-o",
        str(page_file),
    ]
    r = CliRunner().invoke(main, args, env=ENV)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    again = CliRunner().invoke(main, args, env=ENV)
    assert again.exit_code != 0 and "exists already" in again.output  # no silent overwrite
    html = page_file.read_text(encoding="utf-8")
    assert "<b>eve</b>" not in html and "&lt;b&gt;eve&lt;/b&gt; &amp; co" in html
    rep = build_report(paths, now=NOW)

    requests: list[str] = []
    with headless_chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda req: requests.append(req.url))
        page.goto(page_file.as_uri())
        rows = page.locator("#learners tbody tr")
        assert rows.count() == len(NAMES)
        texts = [rows.nth(i).inner_text().split("\t") for i in range(rows.count())]
        by_name = {t[0]: t for t in texts}
        assert sorted(by_name) == sorted(NAMES)  # names shown as text, markup and all
        assert page.locator("#learners b").count() == 0
        for row in rep.learners:
            shown = by_name[row.learner]
            assert shown[2] == str(row.cards_seen) and shown[3] == str(row.reviews)
        heat_rows = page.locator("#heat tbody tr")
        assert heat_rows.count() == len(NAMES)
        sections = page.locator("#heat thead th.section").all_inner_texts()
        assert sections == [f"Section {i:02d}" for i in range(1, 11)]
        first_cards = page.locator("#cards tbody tr").first.inner_text()
        assert rep.cards[0].card_id in first_cards
        assert page.locator("#retention circle").count() == sum(
            1 for d in rep.days if d.passed + d.failed
        )
    assert requests == [page_file.as_uri()]  # nothing fetched but the page itself


def test_merge_with_progress_then_report_the_class_database(klass, tmp_path):
    _out, paths = klass
    sources = paths[5:10]  # (progress export does not carry the options table: see paths[4])
    before = [p.read_bytes() for p in sources]
    target = tmp_path / "class.db"
    r = CliRunner().invoke(
        main,
        ["progress", "merge", *map(str, sources), "--into", str(target), "--progress"],
        env=ENV,
    )
    assert r.exit_code == 0, r.output
    assert "Reading source databases: 5/5 databases" in r.stderr
    assert "Merging into the class database: 5/5 databases" in r.stderr
    assert "databases:" not in r.stdout and len(r.stdout.splitlines()) == 5
    assert [p.read_bytes() for p in sources] == before  # sources only read
    assert not list(sources[0].parent.glob("*.daily-*"))  # and not backed up
    merged = {r.learner.rsplit("@", 1)[0]: r for r in build_report([target], now=NOW).learners}
    separate = {r.learner: r for r in build_report(sources, now=NOW).learners}
    assert sorted(merged) == sorted(separate)
    for name, want in separate.items():
        got = merged[name]
        assert (got.reviews, got.cards_seen, got.last_studied) == (
            want.reviews,
            want.cards_seen,
            want.last_studied,
        )
        assert got.retention_30d == pytest.approx(want.retention_30d)
        # (mastery is not compared: the merge rebuilds card states with quiz's scheduler,
        # the generated files hold fsrs's own replay)


def test_worker_processes_give_the_same_report(klass, monkeypatch):
    from quiz.store import class_report

    _out, paths = klass
    one = build_report(paths, now=NOW, workers=1)
    monkeypatch.setattr(class_report, "TASK_FILES", 3)  # several units of work for a dozen files
    seen = []
    two = build_report(
        paths, now=NOW, workers=2, on_progress=lambda done, total: seen.append((done, total))
    )
    assert two.to_dict() == one.to_dict()
    assert two.sections == one.sections and two.days == one.days
    assert seen[-1] == (len(paths), len(paths)) and len(seen) == 4


def test_a_large_class_prints_plain_columns(klass, monkeypatch):
    from quiz.cli import stats as stats_cli

    _out, paths = klass
    monkeypatch.setattr(stats_cli, "LARGE_CLASS", 5)
    args = ["report", *[a for p in paths for a in ("--db", str(p))], "--limit", "3"]
    r = CliRunner().invoke(main, args, env={**ENV, "COLUMNS": "140"})
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    start = lines.index(f"Learners ({len(NAMES)})")
    header, rule, body = (
        lines[start + 1],
        lines[start + 2],
        lines[start + 3 : start + 3 + len(NAMES)],
    )
    assert header.startswith("Learner") and set(rule) <= {"─", " "}
    assert all(len(line) <= 140 for line in [header, rule, *body])
    rep = build_report(paths, now=NOW)
    for line, row in zip(body, rep.learners, strict=True):
        assert line.startswith(row.learner)
        assert f" {row.reviews} " in line
    assert any("<b>eve</b> & co" in line for line in body)
