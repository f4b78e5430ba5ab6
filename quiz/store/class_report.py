"""A whole class's figures read from many progress databases in SQL, for ``quiz report``.

Every trainee may have their own SQLite file, and a class may have thousands.
Opening each through :class:`quiz.store.Store` costs a migration check, a WAL
switch and the day's backup copy per file, and per-learner statistics in
Python; here the files are instead ATTACHed read-only to one in-memory
connection, a batch at a time (SQLite allows 10 at once), and every figure is
an aggregate query over the whole batch (``UNION ALL`` over its schemas).
Per-card totals and the class's daily retention accumulate in temporary
tables, so Python only sees one row per learner and one per card. Large
classes are split into units of files read by worker processes.

The figures match :func:`quiz.stats.compute_stats` (same definitions):
answers and true retention come from ``review_buckets`` (the quarter-hour sums
quiz keeps with triggers), mastery is the mean FSRS retrievability of a
section's active cards (never answered cards count 0), computed in SQL with
fsrs's own formula ``(1 + FACTOR * elapsed_days / stability) ** DECAY`` and the
learner's latest scheduler parameters; study days follow each learner's
options. A database written by an older quiz is migrated first through the
store (with its backup), as any command would.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from quiz.errors import StoreError
from quiz.store.schema import BUCKET_SECONDS, SCHEMA_VERSION, json_object
from quiz.study.clock import to_iso, to_utc
from quiz.study.studyday import StudyDay

NO_SECTION = "(no section)"
RETENTION_DAYS = 30
DEFAULT_DECAY = 0.1542
"""fsrs's default ``-parameters[20]``, for a learner with no stored parameters."""

Progress = Callable[[int, int], None]
"""Called with (databases read, databases in all) as the work goes on."""


@dataclass
class SectionFigure:
    deck: str
    section: str
    cards: int
    seen: int
    recall: float  # sum of retrievability over the section's cards

    @property
    def mastery(self) -> float:
        return self.recall / self.cards if self.cards else 0.0


@dataclass
class LearnerFigures:
    learner: str
    source: str  # the database file name
    decks: list[str]
    study_day: StudyDay
    reviews: int = 0
    last_review: str | None = None
    passed_30d: int = 0  # study answers to review-state cards, last 30 study days
    failed_30d: int = 0
    sections: list[SectionFigure] = field(default_factory=list)


@dataclass
class CardFigures:
    deck: str
    card_id: str
    section: str | None = None
    answers: int = 0
    failures: int = 0
    wrong: int = 0
    learners: int = 0
    total_time_ms: int = 0
    timed_answers: int = 0
    flags: list[tuple[str, str | None]] = field(default_factory=list)  # (learner, comment)


@dataclass
class DayFigures:
    """One UTC day of the whole class: answers, and true retention's passed / failed."""

    day: str
    answers: int
    passed: int
    failed: int


@dataclass
class ClassFigures:
    sources: list[str]
    learners: list[LearnerFigures]
    cards: list[CardFigures]
    days: list[DayFigures]
    deck_paths: dict[str, str]


# --------------------------------------------------------------------------- opening


def _attach_limit(conn: sqlite3.Connection) -> int:
    try:
        return max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED))
    except AttributeError:  # Python < 3.11
        return 10


def _connect() -> sqlite3.Connection:
    conn = sqlite3.connect(
        ":memory:", isolation_level=None
    )  # autocommit: DETACH needs no open transaction
    conn.execute("PRAGMA temp_store = MEMORY")
    try:
        conn.execute("SELECT pow(2, 0.5)").fetchone()
    except sqlite3.OperationalError:  # an SQLite built without its math functions
        conn.create_function("pow", 2, math.pow, deterministic=True)
    conn.executescript(
        """
        CREATE TEMP TABLE bl (src INTEGER, learner TEXT, decay REAL, factor REAL,
                              win_start INTEGER, win_end INTEGER, PRIMARY KEY (src, learner));
        CREATE TEMP TABLE ld (src INTEGER, learner TEXT, deck TEXT);
        CREATE TEMP TABLE card_acc (deck TEXT, card_id TEXT, answers INTEGER, failures INTEGER,
                                    wrong INTEGER, time_ms INTEGER, timed INTEGER, learners INTEGER);
        CREATE TEMP TABLE card_section (deck TEXT, card_id TEXT, section TEXT,
                                        PRIMARY KEY (deck, card_id));
        CREATE TEMP TABLE day_acc (day TEXT, answers INTEGER, passed INTEGER, failed INTEGER);
        CREATE TEMP TABLE lday (src INTEGER, learner TEXT, deck TEXT, day TEXT, in_window INTEGER,
                                n INTEGER, last TEXT, passed INTEGER, failed INTEGER);
        """
    )
    return conn


def _readable(path: Path) -> None:
    """Migrate a database written by an older quiz (through the store, which backs it up
    first); refuse one that is not a quiz database, is damaged, or is newer than us."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open: {exc}", where=path) from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_reviews = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reviews'"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"the progress database is damaged or unreadable ({exc})", where=path
        ) from None
    finally:
        conn.close()
    if version >= SCHEMA_VERSION and has_reviews:
        return
    from quiz.store import Store

    Store.open(path).close()  # migrates, or raises the store's own one-line error


@contextlib.contextmanager
def _attached(conn: sqlite3.Connection, paths: Sequence[Path], first: int) -> Iterator[list[str]]:
    names = []
    try:
        for i, path in enumerate(paths):
            name = f"s{first + i}"
            try:
                conn.execute(f"ATTACH DATABASE ? AS {name}", [f"{path.resolve().as_uri()}?mode=ro"])
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open: {exc}", where=path) from None
            names.append(name)
            try:
                version = conn.execute(f"PRAGMA {name}.user_version").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                raise StoreError(
                    f"the progress database is damaged or unreadable ({exc})", where=path
                ) from None
            if version < SCHEMA_VERSION:
                _readable(path)
            elif version > SCHEMA_VERSION:
                raise StoreError(
                    f"written by a newer version of quiz (schema {version}); "
                    "upgrade quiz to use it. Left untouched.",
                    where=path,
                )
        yield names
    finally:
        for name in names:
            with contextlib.suppress(sqlite3.Error):
                conn.execute(f"DETACH DATABASE {name}")


def _union(names: Sequence[str], template: str) -> str:
    """``template`` for each attached schema (``{s}``: its name, ``{i}``: its number)."""
    return " UNION ALL ".join(template.format(s=n, i=int(n[1:])) for n in names)


# --------------------------------------------------------------------------- reading


TASK_FILES = 100
"""Databases per unit of work (one in-memory connection, ATTACHed in batches)."""
PARALLEL_FROM = 200
"""From this many databases on, the units of work run in worker processes, one per core
(at most :data:`MAX_WORKERS`): the files are independent, and a class of thousands is
CPU-bound in SQLite."""
MAX_WORKERS = 4


@dataclass
class _Part:
    """What one unit of work read: its learners, per-card totals, days, flags, deck files."""

    learners: list[LearnerFigures]
    cards: list[CardFigures]
    days: list[DayFigures]
    deck_paths: dict[str, str]


def default_workers(files: int) -> int:
    if files < PARALLEL_FROM:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def read_class(
    paths: Sequence[str | Path],
    deck: str | None,
    *,
    now: datetime,
    study_day: StudyDay | None = None,
    on_progress: Progress | None = None,
    workers: int | None = None,
) -> ClassFigures:
    """Every learner's and card's figures over the databases at ``paths``, at ``now``.

    Each learner's study day comes from their settings, unless ``study_day`` forces
    one for all. Databases are only read. ``workers`` processes share the work
    (default: :func:`default_workers`).
    """
    now = to_utc(now)
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise StoreError("no such progress database", where=path)
    tasks = [(files[i : i + TASK_FILES], i) for i in range(0, len(files), TASK_FILES)]
    n_workers = default_workers(len(files)) if workers is None else max(1, workers)
    parts: list[_Part | None] = [None] * len(tasks)
    if n_workers <= 1 or len(tasks) <= 1:
        for k, (chunk, first) in enumerate(tasks):
            parts[k] = _read_part(
                chunk,
                first,
                deck,
                now,
                study_day,
                partial(_report_step, on_progress, first, len(files)),
            )
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        done = 0
        with ProcessPoolExecutor(
            max_workers=min(n_workers, len(tasks)), mp_context=context
        ) as pool:
            futures = {
                pool.submit(_read_part, chunk, first, deck, now, study_day): k
                for k, (chunk, first) in enumerate(tasks)
            }
            for future in as_completed(futures):
                k = futures[future]
                parts[k] = future.result()
                done += len(tasks[k][0])
                if on_progress is not None:
                    on_progress(done, len(files))
    return _merge([p for p in parts if p is not None], files)


def _report_step(on_progress: Progress | None, first: int, total: int, done: int) -> None:
    if on_progress is not None:
        on_progress(first + done, total)


def _merge(parts: list[_Part], files: list[Path]) -> ClassFigures:
    """The parts' figures together, in the order of the files."""
    learners: list[LearnerFigures] = []
    deck_paths: dict[str, str] = {}
    cards: dict[tuple[str, str], CardFigures] = {}
    days: dict[str, list[int]] = {}
    for part in parts:
        learners += part.learners
        for d, path in part.deck_paths.items():
            deck_paths.setdefault(d, path)
        for c in part.cards:
            acc = cards.get((c.deck, c.card_id))
            if acc is None:
                cards[(c.deck, c.card_id)] = c
                continue
            acc.section = acc.section or c.section
            acc.answers += c.answers
            acc.failures += c.failures
            acc.wrong += c.wrong
            acc.learners += c.learners
            acc.total_time_ms += c.total_time_ms
            acc.timed_answers += c.timed_answers
            acc.flags.extend(f for f in c.flags if f not in acc.flags)
        for day in part.days:
            got = days.setdefault(day.day, [0, 0, 0])
            got[0] += day.answers
            got[1] += day.passed
            got[2] += day.failed
    return ClassFigures(
        [str(p) for p in files],
        learners,
        list(cards.values()),
        [DayFigures(d, *v) for d, v in sorted(days.items())],
        deck_paths,
    )


def _read_part(
    files: list[Path],
    first: int,
    deck: str | None,
    now: datetime,
    study_day: StudyDay | None,
    step: Callable[[int], None] | None = None,
) -> _Part:
    """One unit of work: the databases ``files`` (numbered from ``first``), a batch of
    ATTACHed files at a time, on one in-memory connection."""
    from quiz.store import study_day_from

    study_day_of = (lambda _s: study_day) if study_day is not None else study_day_from
    conn = _connect()
    learners: list[LearnerFigures] = []
    deck_paths: dict[str, str] = {}
    flags: dict[tuple[str, str], dict[tuple[str, str | None], None]] = {}
    by_number = {first + i: path for i, path in enumerate(files)}
    batch = _attach_limit(conn)
    try:
        for start in range(0, len(files), batch):
            chunk = files[start : start + batch]
            with _attached(conn, chunk, first + start) as names:
                try:
                    learners += _learners(conn, names, by_number, deck, now, study_day_of)
                    _accumulate(conn, names, deck, flags, deck_paths)
                except sqlite3.DatabaseError as exc:
                    where = ", ".join(str(p) for p in chunk) if len(chunk) > 1 else str(chunk[0])
                    raise StoreError(
                        f"cannot read the progress database: {exc}", where=where
                    ) from None
            if step is not None:
                step(start + len(chunk))
        cards = _cards(conn, flags)
        days = [
            DayFigures(d, int(n), int(p), int(f))
            for d, n, p, f in conn.execute(
                "SELECT day, sum(answers), sum(passed), sum(failed) FROM day_acc GROUP BY day ORDER BY day"
            )
        ]
    finally:
        conn.close()
    return _Part(learners, cards, days, deck_paths)


def _learners(
    conn: sqlite3.Connection,
    names: list[str],
    files: dict[int, Path],
    deck: str | None,
    now: datetime,
    study_day_of: Callable[[dict[str, Any]], StudyDay],
) -> list[LearnerFigures]:
    from quiz.store import settings_from_layers

    conn.execute("DELETE FROM bl")
    conn.execute("DELETE FROM ld")
    deck_layers = "NULL, NULL, NULL"
    if deck is not None:  # the deck's settings (every learner's), then the learner's for it
        deck_layers = (
            "(SELECT settings FROM {s}.decks WHERE id = :deck), "
            "(SELECT desired_retention FROM {s}.decks WHERE id = :deck), "
            "(SELECT settings FROM {s}.options o WHERE o.learner = l.name AND o.deck = :deck)"
        )
    rows = conn.execute(
        _union(
            names,
            f"""SELECT {{i}}, l.name,
            l.settings, l.desired_retention,
            (SELECT settings FROM {{s}}.options o WHERE o.learner = l.name AND o.deck = ''),
            {deck_layers},
            CASE WHEN (SELECT count(*) FROM {{s}}.scheduler_params) = 1
                 AND EXISTS (SELECT 1 FROM {{s}}.reviews r WHERE r.learner = l.name
                             AND r.params_id IS NOT NULL{" AND r.deck = :deck" if deck else ""})
                 THEN (SELECT parameters FROM {{s}}.scheduler_params)
                 ELSE (SELECT p.parameters FROM {{s}}.reviews r
                       JOIN {{s}}.scheduler_params p ON p.id = r.params_id
                       WHERE r.learner = l.name AND r.params_id IS NOT NULL{" AND r.deck = :deck" if deck else ""}
                       ORDER BY r.reviewed_at DESC LIMIT 1) END
            FROM {{s}}.learners l""",
        ),
        {"deck": deck},
    ).fetchall()
    out: list[LearnerFigures] = []
    by_key: dict[tuple[int, str], LearnerFigures] = {}
    bl_rows = []
    for src, name, l_set, l_ret, all_decks, d_set, d_ret, d_opts, parameters in rows:
        # as Store.settings: the learner's, their options for all decks, the deck's, theirs for it
        layers = [_layer(l_set, l_ret), _layer(all_decks)]
        if deck is not None:
            layers += [_layer(d_set, d_ret), _layer(d_opts)]
        sd = study_day_of(settings_from_layers(layers))
        today = sd.day_of(now)
        win_start = sd.start_of(today - timedelta(days=RETENTION_DAYS - 1))
        win_end = sd.start_of(today + timedelta(days=1))
        decay = _decay(parameters)
        fig = LearnerFigures(learner=name, source=files[src].name, decks=[], study_day=sd)
        out.append(fig)
        by_key[(src, name)] = fig
        bl_rows.append(
            (
                src,
                name,
                decay,
                0.9 ** (-1 / decay) - 1,
                int(win_start.timestamp()),
                int(win_end.timestamp()),
            )
        )
    conn.executemany("INSERT INTO bl VALUES (?, ?, ?, ?, ?, ?)", bl_rows)

    # Answers come from review_buckets, the per-learner, per-deck, per-quarter-hour sums
    # quiz keeps with triggers (answers, and true retention's passed / failed): grouped by
    # learner, deck, UTC day and whether in the learner's 30-study-day window (study days
    # start on a quarter hour). The log itself is read only for each last answer.
    only = "WHERE b.deck = :deck" if deck is not None else ""
    conn.execute("DELETE FROM lday")
    conn.execute(
        "INSERT INTO lday "
        + _union(
            names,
            f"""
        SELECT {{i}}, b.learner, b.deck, date(b.slot * {BUCKET_SECONDS}, 'unixepoch'),
               b.slot * {BUCKET_SECONDS} >= bl.win_start AND b.slot * {BUCKET_SECONDS} < bl.win_end,
               sum(b.answers), NULL, sum(b.young_passed + b.mature_passed),
               sum(b.young_failed + b.mature_failed)
        FROM {{s}}.review_buckets b
        LEFT JOIN bl ON bl.src = {{i}} AND bl.learner = b.learner {only}
        GROUP BY b.learner, b.deck, 4, 5""",
        ),
        {"deck": deck},
    )
    conn.execute(
        "INSERT INTO day_acc SELECT day, sum(n), sum(passed), sum(failed) FROM lday GROUP BY day"
    )

    # the decks each learner studies: the one asked for, else those with answers or card states
    if deck is not None:
        conn.execute("INSERT INTO ld SELECT src, learner, ? FROM bl", [deck])
    else:
        conn.execute(
            "INSERT INTO ld "
            + _union(
                names,
                """
            SELECT {i}, learner, deck FROM {s}.card_states
              WHERE learner IN (SELECT name FROM {s}.learners) GROUP BY learner, deck
            UNION SELECT {i}, learner, deck FROM lday
              WHERE src = {i} AND learner IN (SELECT name FROM {s}.learners)
                AND deck IN (SELECT id FROM {s}.decks)""",
            )
        )
    for src, learner, d in conn.execute(
        "SELECT src, learner, deck FROM ld ORDER BY src, learner, deck"
    ):
        by_key[(src, learner)].decks.append(d)

    # answers and true retention over the last 30 study days, in their decks
    for src, learner, n, passed, failed in conn.execute("""
            SELECT a.src, a.learner, sum(a.n), total(a.passed * a.in_window),
                   total(a.failed * a.in_window)
            FROM lday a JOIN ld ON ld.src = a.src AND ld.learner = a.learner AND ld.deck = a.deck
            GROUP BY a.src, a.learner"""):
        fig = by_key[(src, learner)]
        fig.reviews = int(n)
        fig.passed_30d, fig.failed_30d = int(passed), int(failed)
    # the last answer, through the (learner, deck, reviewed_at) index
    for src, learner, last in conn.execute(
        _union(
            names,
            """
            SELECT {i}, ld.learner, (SELECT max(r.reviewed_at) FROM {s}.reviews r
                                     WHERE r.learner = ld.learner AND r.deck = ld.deck)
            FROM ld WHERE ld.src = {i}""",
        )
    ):
        fig = by_key[(src, learner)]
        if last is not None and (fig.last_review is None or last > fig.last_review):
            fig.last_review = last

    now_iso = to_iso(now)
    # mastery by section: fsrs retrievability of each active card, never-answered cards 0
    elapsed = (
        f"max(0, CAST(round((julianday('{now_iso}') - julianday(st.last_review)) * 86400000)"
        " AS INTEGER) / 86400000)"
    )
    for src, learner, d, section, n, seen, recall, _pos in conn.execute(
        _union(
            names,
            f"""
            SELECT {{i}}, ld.learner, c.deck, coalesce(c.section, '{NO_SECTION}'), count(*),
                   total(st.state != 0 AND st.last_review IS NOT NULL),
                   total(CASE WHEN st.state != 0 AND st.last_review IS NOT NULL AND st.stability > 0
                         THEN pow(1 + bl.factor * {elapsed} / st.stability, -bl.decay) ELSE 0 END),
                   min(coalesce(c.position, c.rowid))
            FROM ld JOIN bl ON bl.src = ld.src AND bl.learner = ld.learner
            JOIN {{s}}.cards c ON c.deck = ld.deck AND c.retired = 0
            LEFT JOIN {{s}}.card_states st
              ON st.learner = ld.learner AND st.deck = c.deck AND st.card_id = c.card_id
            WHERE ld.src = {{i}}
            GROUP BY ld.learner, c.deck, c.section""",
        )
        + " ORDER BY 1, 2, 3, 8"
    ):
        by_key[(src, learner)].sections.append(
            SectionFigure(d, section, int(n), int(seen), float(recall))
        )
    return out


def _accumulate(
    conn: sqlite3.Connection,
    names: list[str],
    deck: str | None,
    flags: dict[tuple[str, str], dict[tuple[str, str | None], None]],
    deck_paths: dict[str, str],
) -> None:
    """Add the batch's per-card totals, card sections, flags and deck files."""
    only = "AND r.deck = :deck" if deck is not None else ""
    only_c = "AND c.deck = :deck" if deck is not None else ""
    params = {"deck": deck}
    alias = "coalesce(a.new_id, r.card_id)"
    conn.execute(
        "INSERT INTO card_acc "
        + _union(
            names,
            f"""
        SELECT r.deck, {alias}, count(*), total(r.rating = 1), total(r.correct = 0),
               total(max(coalesce(r.duration_ms, 0), 0)), count(r.duration_ms),
               count(DISTINCT r.learner)
        FROM {{s}}.reviews r NOT INDEXED
        LEFT JOIN {{s}}.card_aliases a ON a.deck = r.deck AND a.old_id = r.card_id
        WHERE 1 {only} GROUP BY r.deck, {alias}""",
        ),
        params,
    )
    conn.execute(
        "INSERT OR IGNORE INTO card_section "
        + _union(
            names,
            f"""
        SELECT c.deck, c.card_id, c.section FROM {{s}}.cards c
        WHERE c.section IS NOT NULL {only_c}""",
        ),
        params,
    )
    for d, path in conn.execute(
        _union(names, "SELECT id, path FROM {s}.decks WHERE path IS NOT NULL")
    ):
        deck_paths.setdefault(d, path)
    only_f = "AND f.deck = :deck" if deck is not None else ""
    alias_f = "coalesce(a.new_id, f.card_id)"
    for d, c, learner, comment in conn.execute(
        _union(
            names,
            f"""
            SELECT f.deck, {alias_f}, f.learner, f.flag_comment FROM {{s}}.card_states f
            LEFT JOIN {{s}}.card_aliases a ON a.deck = f.deck AND a.old_id = f.card_id
            WHERE f.flagged = 1 {only_f}""",
        ),
        params,
    ):
        flags.setdefault((d, c), {})[(learner, comment or None)] = None
    for d, c, learner, comment in conn.execute(
        "SELECT deck, card_id, learner, comment FROM ("
        + _union(
            names,
            f"""
            SELECT f.deck, {alias_f} AS card_id, f.learner, f.comment, f.at FROM {{s}}.card_events f
            LEFT JOIN {{s}}.card_aliases a ON a.deck = f.deck AND a.old_id = f.card_id
            WHERE f.action = 'flag' AND f.comment IS NOT NULL AND f.comment != '' {only_f}""",
        )
        + ") ORDER BY at",
        params,
    ):
        per = flags.setdefault((d, c), {})
        per.pop((learner, None), None)
        per[(learner, comment)] = None


def _cards(
    conn: sqlite3.Connection, flags: dict[tuple[str, str], dict[tuple[str, str | None], None]]
) -> list[CardFigures]:
    cards: dict[tuple[str, str], CardFigures] = {}
    for d, c, section, n, fails, wrong, ms, timed, learners in conn.execute(
        """SELECT a.deck, a.card_id, s.section, sum(answers), sum(failures), sum(wrong),
                  sum(time_ms), sum(timed), sum(learners)
           FROM card_acc a LEFT JOIN card_section s ON s.deck = a.deck AND s.card_id = a.card_id
           GROUP BY a.deck, a.card_id"""
    ):
        cards[(d, c)] = CardFigures(
            d, c, section, int(n), int(fails), int(wrong), int(learners), int(ms), int(timed)
        )
    for (d, c), per in flags.items():
        card = cards.get((d, c))
        if card is None:
            row = conn.execute(
                "SELECT section FROM card_section WHERE deck = ? AND card_id = ?", [d, c]
            ).fetchone()
            card = cards[(d, c)] = CardFigures(d, c, row[0] if row else None)
        card.flags.extend(per)
    return list(cards.values())


def _layer(settings: str | None, desired_retention: float | None = None) -> dict[str, Any]:
    """One stored settings layer: its JSON, with the row's ``desired_retention`` column."""
    layer = json_object(settings)
    if desired_retention is not None:
        layer["desired_retention"] = desired_retention
    return layer


def _decay(parameters: str | None) -> float:
    """``-parameters[20]`` of stored FSRS parameters (fsrs's default when unusable)."""
    try:
        values = json.loads(parameters) if parameters else None
        decay = (
            float(values[20]) if isinstance(values, list) and len(values) > 20 else DEFAULT_DECAY
        )
    except (ValueError, TypeError):
        return DEFAULT_DECAY
    return decay if decay > 0 and math.isfinite(decay) else DEFAULT_DECAY
