"""Moving progress between databases: JSONL export/import, merging, optimizer CSV, FSRS parameters.

Export format (``quiz-progress`` version 1), one JSON object per line:

1. a header ``{"format": "quiz-progress", "version": 1, "exported_at", "machine"}``;
2. records with a ``"record"`` key naming their kind: ``learner`` (with its ``origin``, a stable id of
   the learner on the machine where they study), ``deck``, ``card``,
   ``alias``, ``params``, ``session``, ``review``, ``event``;
3. a trailer ``{"record": "end", "records": N}`` so a cut-off file is refused.

Import rules: review ids are unique, so importing the same file twice adds
nothing. A learner keeps apart from a same-named learner of another machine:
they are imported as ``name@machine`` unless ``as_name`` maps them; once
imported, their origin is remembered, so later imports of the same person
land on the same learner. Card states are rebuilt from the merged log. The
file is checked completely before anything is written, and everything is
written in one transaction.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic import ValidationError

from quiz.errors import QuizError
from quiz.files import atomic_output
from quiz.store import transfer
from quiz.store.identity import read_identity
from quiz.store.progress import ImportedReview, storable
from quiz.study.clock import from_iso, to_iso

if TYPE_CHECKING:
    from quiz.store import Store

FORMAT = "quiz-progress"
VERSION = 1
RECORD_TYPES = ("learner", "deck", "card", "alias", "params", "session", "review", "event")

REVIEW_COLUMNS = (
    "id",
    "learner",
    "deck",
    "card_id",
    "rating",
    "reviewed_at",
    "duration_ms",
    "answer",
    "correct",
    "verdict",
    "mode",
    "session_id",
    "params_id",
    "state_before",
    "state_after",
)
CARD_COLUMNS = (
    "deck",
    "card_id",
    "content_hash",
    "type",
    "kind",
    "section",
    "grp",
    "first_seen",
    "retired",
    "position",
)
DECK_COLUMNS = ("id", "title", "path", "first_seen", "desired_retention", "settings")
PARAMS_COLUMNS = (
    "id",
    "parameters",
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "enable_fuzzing",
)
SESSION_COLUMNS = ("id", "learner", "deck", "mode", "started_at", "ended_at")
EVENT_COLUMNS = ("learner", "deck", "card_id", "at", "action", "comment", "review_id")

OPTIMIZER_COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")


class ProgressFileError(QuizError):
    """A progress file that cannot be imported: ``FILE:LINE: error: message``."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        super().__init__(message, where=str(path), line=line)


# --------------------------------------------------------------------------- identity


def machine_name() -> str:
    """This machine's short host name, safe to put in a learner name."""
    host = socket.gethostname().split(".")[0]
    return _safe_label(host) or "machine"


def _safe_label(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:40]


def _settings(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def learner_origin(name: str, created_at: str, settings: dict[str, Any]) -> str:
    """A learner's stable identity across machines: the origin it was imported with, or
    a hash of its name and creation time on the machine where it was created."""
    origin = settings.get("origin")
    if isinstance(origin, str) and origin:
        return origin
    return hashlib.sha256(f"{name}\x1f{created_at}".encode()).hexdigest()[:16]


def learner_database(settings: dict[str, Any], this_db: str | None) -> str | None:
    """The database a learner studies in: the one it was imported from (remembered at
    import), else this one. With the origin, it tells apart copies of one database."""
    imported = settings.get("database")
    return imported if isinstance(imported, str) and imported else this_db


# --------------------------------------------------------------------------- export


def export_records(
    db: Any, learners: Iterable[str] | None = None, machine: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every record of the export of ``learners`` (default: all), header and trailer included."""
    machine = machine or machine_name()
    this_db = read_identity(db.conn)
    yield {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": to_iso(datetime.now().astimezone()),
        "machine": machine,
    }
    names = list(learners) if learners is not None else transfer.learner_names(db)
    count = 0
    decks: set[str] = set()
    for name in names:
        row = transfer.learner_row(db, name)
        if row is None:
            raise QuizError(f"no learner named {name!r} in this database")
        settings = _settings(row[3])
        count += 1
        yield {
            "record": "learner",
            "name": row[0],
            "created_at": row[1],
            "desired_retention": row[2],
            "settings": settings,
            "origin": learner_origin(row[0], row[1], settings),
            "machine": settings.get("machine") or machine,
            "database": learner_database(settings, this_db),
        }
        decks.update(transfer.learner_deck_ids(db, name))
    deck_cols = [c for c in DECK_COLUMNS if c in transfer.columns(db, "decks")]
    card_cols = [c for c in CARD_COLUMNS if c in transfer.columns(db, "cards")]
    for d in sorted(decks):
        rec = transfer.deck_record(db, d, deck_cols)
        if rec is not None:
            count += 1
            rec["settings"] = _settings(rec.get("settings"))
            yield {"record": "deck", **rec}
        for card in transfer.card_records(db, d, card_cols):
            count += 1
            yield {"record": "card", **card}
        for old, new in transfer.alias_pairs(db, d):
            count += 1
            yield {"record": "alias", "deck": d, "old_id": old, "new_id": new}
    for params in transfer.params_records(db, PARAMS_COLUMNS):
        count += 1
        yield {"record": "params", **params}
    event_cols = [c for c in EVENT_COLUMNS if c in transfer.columns(db, "card_events")]
    for name in names:
        for session in transfer.session_records(db, name, SESSION_COLUMNS):
            count += 1
            yield {"record": "session", **session}
        for rec in transfer.review_records(db, name, REVIEW_COLUMNS):
            count += 1
            if isinstance(rec["answer"], str):  # answers stored before NUL was refused
                rec["answer"] = storable(rec["answer"])
            yield {"record": "review", **rec}
        for rec in transfer.event_records(db, name, event_cols):
            count += 1
            if isinstance(rec.get("comment"), str):
                rec["comment"] = storable(rec["comment"])
            yield {"record": "event", **rec}
    yield {"record": "end", "records": count}


def export_progress(
    db: Any,
    out: str | Path | IO[str],
    learners: Iterable[str] | None = None,
    *,
    replace: bool = True,
    inputs: Iterable[str | Path] = (),
) -> int:
    """Write the export to ``out`` atomically (see :func:`quiz.files.atomic_output`), or to
    the open text stream ``out`` (standard output: every non-ASCII character escaped, so
    nothing in it acts on a terminal); returns the number of reviews written."""
    if not isinstance(out, str | Path):
        return _write_records(out, export_records(db, learners), ascii_only=True)
    with atomic_output(out, replace=replace, inputs=inputs) as fh:
        return _write_records(fh, export_records(db, learners), ascii_only=False)


def _write_records(fh: IO[str], records: Iterable[dict[str, Any]], ascii_only: bool) -> int:
    reviews = 0
    for rec in records:
        reviews += rec.get("record") == "review"
        fh.write(json.dumps(rec, ensure_ascii=ascii_only, separators=(",", ":")) + "\n")
    return reviews


# --------------------------------------------------------------------------- reading and checking


@dataclass
class ProgressData:
    """A checked export, ready to import."""

    machine: str
    learners: list[dict[str, Any]] = field(default_factory=list)
    decks: list[dict[str, Any]] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[dict[str, Any]] = field(default_factory=list)
    params: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


def read_progress(path: str | Path) -> ProgressData:
    """Read and check a whole export; raises :class:`ProgressFileError` at the first problem.

    The file must be a regular file (or ``-``, standard input) of at most
    ``LIMITS["progress"]`` bytes, each line at most ``LIMITS["progress line"]``;
    every record is checked by its schema (:mod:`quiz.progress_records`).
    """
    from quiz.files import LIMITS, InputError, open_input

    line_cap = LIMITS["progress line"]
    checker = _Checker(path)
    try:
        with open_input(path, "progress", allow_stdin=True) as fh:
            lineno = 0
            while True:
                raw = fh.readline(line_cap + 1)
                if not raw:
                    break
                lineno += 1
                if len(raw) > line_cap and not raw.endswith(b"\n"):
                    raise ProgressFileError(
                        path,
                        lineno,
                        f"line longer than {line_cap // 1024} KiB (the limit for one record)",
                    )
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise ProgressFileError(path, lineno, "not UTF-8 text") from None
                if line.strip():
                    checker.line(lineno, line)
    except InputError as exc:
        raise ProgressFileError(path, None, exc.detail) from None
    except OSError as exc:
        raise ProgressFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    return checker.finish()


class _Checker:
    """Checks the records of an export one by one (header, records, trailer)."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.data: ProgressData | None = None
        self.ended = False
        self.count = 0
        self.learners: set[str] = set()
        self.params_ids: set[int] = set()

    def fail(self, lineno: int | None, message: str) -> ProgressFileError:
        return ProgressFileError(self.path, lineno, message)

    def line(self, lineno: int, line: str) -> None:
        if self.ended:
            raise self.fail(lineno, "data after the end record")
        try:
            rec = json.loads(line)
        except ValueError as exc:
            raise self.fail(lineno, f"not valid JSON ({getattr(exc, 'msg', exc)})") from None
        except RecursionError:
            raise self.fail(lineno, "not valid JSON (nested too deeply)") from None
        if not isinstance(rec, dict):
            raise self.fail(lineno, "expected a JSON object")
        self.record(lineno, rec)

    def record(self, lineno: int | None, rec: dict[str, Any]) -> None:
        from quiz.progress_records import (
            EndRecord,
            HeaderRecord,
            RecordError,
            check_record,
            first_error,
        )

        if self.data is None:
            if rec.get("format") != FORMAT:
                raise self.fail(
                    lineno, f'not a quiz progress export (no "format": "{FORMAT}" header)'
                )
            if rec.get("version") != VERSION:
                raise self.fail(
                    lineno,
                    f"format version {_shown(rec.get('version'))} is not supported "
                    f"(this quiz reads {VERSION})",
                )
            try:
                header = HeaderRecord.model_validate(rec)
            except ValidationError as exc:
                raise self.fail(lineno, f"bad header: {first_error(exc)}") from None
            self.data = ProgressData(machine=_safe_label(header.machine or "") or "machine")
            return
        kind = rec.get("record")
        if kind == "end":
            try:
                records = EndRecord.model_validate(rec).records
            except ValueError:
                records = None
            if records != self.count:
                raise self.fail(
                    lineno,
                    f"the file is incomplete: {self.count} records, the end "
                    f"record says {_shown(rec.get('records'))}",
                )
            self.ended = True
            return
        if not isinstance(kind, str) or kind not in RECORD_TYPES:
            raise self.fail(lineno, f"unknown record type {_shown(kind)}")
        try:
            checked = check_record(kind, rec)
        except RecordError as exc:
            raise self.fail(lineno, str(exc)) from None
        problem = self._links(kind, checked)
        if problem:
            raise self.fail(lineno, problem)
        self.count += 1
        if kind == "learner":
            self.learners.add(checked["name"])
        elif kind == "params":
            self.params_ids.add(checked["id"])
        getattr(self.data, {"params": "params", "alias": "aliases"}.get(kind, kind + "s")).append(
            checked
        )

    def _links(self, kind: str, rec: dict[str, Any]) -> str | None:
        """References to records that must come before."""
        if kind in ("review", "session", "event") and rec["learner"] not in self.learners:
            return (
                f"{kind} of unknown learner {_shown(rec['learner'])} (no learner record before it)"
            )
        if (
            kind == "review"
            and rec.get("params_id") is not None
            and rec["params_id"] not in self.params_ids
        ):
            return f"review uses scheduler params {rec['params_id']}, not defined before it"
        return None

    def finish(self) -> ProgressData:
        if self.data is None:
            raise self.fail(1, "empty file: no quiz progress header")
        if not self.ended:
            raise self.fail(None, "the file is incomplete: no end record (cut off?)")
        return self.data


def _shown(value: Any) -> str:
    """A value from a file, short and on one line, for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    learners: dict[str, str]  # name in the file -> name here
    reviews_added: int
    reviews_skipped: int  # already present
    states_rebuilt: int


def import_progress(
    store: Store, data: ProgressData, as_name: str | None = None, machine: str | None = None
) -> ImportResult:
    """Add a checked export to ``store`` in one transaction (see the module docstring)."""
    if as_name is not None and len(data.learners) > 1:
        raise QuizError(
            f"--as maps one learner, but the file holds {len(data.learners)} "
            f"({', '.join(sorted(r['name'] for r in data.learners))})"
        )
    machine = machine or data.machine
    db = store.db
    with store.transaction():
        names = {rec["name"]: _target_learner(db, rec, as_name, machine) for rec in data.learners}
        for rec in data.learners:
            _ensure_learner(db, names[rec["name"]], rec, mapped=as_name is not None)
        deck_cols = transfer.columns(db, "decks")
        for rec in data.decks:
            row = {k: rec.get(k) for k in DECK_COLUMNS if k in deck_cols}
            row["settings"] = json.dumps(rec.get("settings") or {})
            row["first_seen"] = (
                row.get("first_seen") or rec.get("first_seen") or to_iso(store.clock())
            )
            transfer.insert_ignore(db, "decks", row)
        card_cols = transfer.columns(db, "cards")
        known_decks = transfer.deck_ids(db)
        for rec in data.cards:
            if rec["deck"] not in known_decks:
                transfer.insert_ignore(
                    db,
                    "decks",
                    {
                        "id": rec["deck"],
                        "title": rec["deck"],
                        "first_seen": rec.get("first_seen") or to_iso(store.clock()),
                        "settings": "{}",
                    },
                )
                known_decks.add(rec["deck"])
            row = {k: rec.get(k) for k in CARD_COLUMNS if k in card_cols}
            row.setdefault("content_hash", "")
            row["content_hash"] = row.get("content_hash") or ""
            row["type"] = row.get("type") or "basic"
            row["kind"] = row.get("kind") or "fact"
            row["first_seen"] = row.get("first_seen") or to_iso(store.clock())
            row["retired"] = int(row.get("retired") or 0)
            transfer.insert_ignore(db, "cards", row)
        if transfer.has_table(db, "card_aliases"):
            for rec in data.aliases:
                transfer.insert_ignore(
                    db, "card_aliases", {k: rec[k] for k in ("deck", "old_id", "new_id")}
                )
        params_map = {
            rec["id"]: transfer.local_params_id(db, {c: rec[c] for c in PARAMS_COLUMNS[1:]})
            for rec in data.params
        }
        for rec in data.sessions:
            row = {k: rec.get(k) for k in SESSION_COLUMNS}
            row["learner"] = names[rec["learner"]]
            transfer.insert_ignore(db, "sessions", row)
        reviews = []
        for rec in data.reviews:
            if rec["deck"] not in known_decks:
                transfer.insert_ignore(
                    db,
                    "decks",
                    {
                        "id": rec["deck"],
                        "title": rec["deck"],
                        "first_seen": rec["reviewed_at"],
                        "settings": "{}",
                    },
                )
                known_decks.add(rec["deck"])
            review_row: dict[str, Any] = {k: rec.get(k) for k in REVIEW_COLUMNS}
            review_row["learner"] = names[rec["learner"]]
            if rec.get("params_id") is not None:
                review_row["params_id"] = params_map.get(rec["params_id"])
                if review_row["params_id"] is None:
                    raise QuizError(
                        f"review {rec['id']} uses scheduler params "
                        f"{rec['params_id']} missing from the file"
                    )
            reviews.append(ImportedReview(**review_row))
        added, skipped = store.import_reviews(reviews)
        event_cols = transfer.columns(db, "card_events")
        for rec in data.events:
            row = {k: rec.get(k) for k in EVENT_COLUMNS if k in event_cols}
            row["learner"] = names[rec["learner"]]
            transfer.add_event_once(db, row)
        rebuilt = 0
        for target in sorted(set(names.values())):
            rebuilt += store.rebuild_states(learner=target)
    return ImportResult(
        learners=names, reviews_added=added, reviews_skipped=skipped, states_rebuilt=rebuilt
    )


def _learner_rows(db: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [(n, c, _settings(s)) for n, c, s in transfer.learner_settings_rows(db)]


def _target_learner(db: Any, rec: dict[str, Any], as_name: str | None, machine: str) -> str:
    """The local learner an exported learner's reviews go to.

    The same origin from the same database (or from a database not named, as older
    exports) is the same person; the same origin from another database is a copy of
    one image (a classroom), hence someone else."""
    if as_name is not None:
        return as_name
    origin = rec["origin"]
    source_db = rec.get("database")
    this_db = read_identity(db.conn)
    rows = _learner_rows(db)
    for name, _created, settings in rows:
        if origin in settings.get("origins", []) or settings.get("origin") == origin:
            known = [d for d in settings.get("databases", []) if isinstance(d, str)]
            if source_db is None or not known or source_db in known:
                return name
    for name, created, settings in rows:
        if (
            learner_origin(name, created, settings) == origin
            and not settings.get("origin")
            and (source_db is None or this_db is None or source_db == this_db)
        ):
            return name  # the learner was created here: an export coming home
    base = rec["name"]
    label = _safe_label(str(rec.get("machine") or machine)) or machine
    candidate = base if base.endswith(f"@{label}") else f"{base}@{label}"
    taken = {name for name, _c, _s in rows}
    if candidate in taken:
        tail = hashlib.sha256(f"{origin}\x1f{source_db}".encode()).hexdigest()[:6]
        candidate = f"{candidate}-{tail}"
        n = 2
        while candidate in taken:
            candidate = f"{base}@{label}-{tail}-{n}"
            n += 1
    return candidate


def _ensure_learner(db: Any, name: str, rec: dict[str, Any], mapped: bool) -> None:
    found = transfer.learner_row(db, name)
    row = (found[1], found[3]) if found is not None else None
    source_db = rec.get("database")
    if row is None:
        settings = {
            k: v
            for k, v in (rec.get("settings") or {}).items()
            if k not in ("origin", "origins", "database", "databases")
        }
        settings["origin"] = rec["origin"]
        settings["origins"] = [rec["origin"]]
        settings["machine"] = rec.get("machine")
        if source_db:
            settings["database"] = source_db
            settings["databases"] = [source_db]
        transfer.insert_learner(
            db, name, rec["created_at"], rec.get("desired_retention"), json.dumps(settings)
        )
        return
    settings = _settings(row[1])
    changed = False
    if learner_origin(name, row[0], settings) != rec["origin"]:
        origins = list(settings.get("origins", []))
        if rec["origin"] not in origins:
            settings["origins"] = [*origins, rec["origin"]]
            changed = True
    if source_db and (settings.get("origin") or mapped):
        known = list(settings.get("databases", []))
        if source_db not in known:
            settings["databases"] = [*known, source_db]
            changed = True
    if changed:
        transfer.set_learner_settings(db, name, json.dumps(settings))


@dataclass
class MergeSource:
    """A source database of a merge, read and checked once; its records are read again,
    one source at a time, when it is merged (memory stays that of one database)."""

    path: str
    label: str  # the file's stem: its learners become name@label
    database: str | None  # its identity
    origins: list[str] = field(default_factory=list)  # its learners' origins

    def read(self) -> ProgressData:
        """The source's records, checked like an imported file's."""
        from quiz.store import Store

        store = Store.open(self.path, readonly=True)  # a source is never changed
        try:
            records = list(export_records(store.db, machine=self.label))
        finally:
            store.close()
        return _data_from_records(records, self.path)


def merge_databases(
    target_store: Store, sources: Iterable[str | Path]
) -> list[tuple[str, ImportResult]]:
    """Import every learner of each source database into ``target_store``.

    Learners of a source are named ``name@<source file stem>`` unless they were
    already merged before (same origin and database) or carry a machine from an earlier
    import. Sources that are copies of one database (same identity: a classroom image)
    are told apart by their file names.
    """
    return merge_sources(target_store, load_merge_sources(sources, target_store.path))


def load_merge_sources(
    sources: Iterable[str | Path],
    target: str | Path,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[MergeSource]:
    """Open every source (read-only) before anything is written and keep what naming the
    learners needs (identity, learners' origins); the records themselves are read and
    checked one source at a time by :func:`merge_sources`, whose transaction keeps a bad
    source from leaving anything behind. ``on_progress(done, total)`` follows the sources."""
    from quiz.store import Store

    target_path = Path(target).resolve()
    loaded = []
    sources = list(sources)
    for done, src in enumerate(sources, 1):
        if Path(src).resolve() == target_path:
            raise QuizError("a database cannot be merged into itself", where=src)
        if not Path(src).exists():
            raise QuizError("no such database", where=src)
        head = MergeSource(str(src), _safe_label(Path(src).stem) or "db", None)
        store = Store.open(src, readonly=True)  # a source is never changed
        try:
            head.database = store.database_id
            for rec in export_records(store.db, machine=head.label):
                if rec.get("record") == "learner":
                    head.origins.append(str(rec["origin"]))
                elif "record" in rec:
                    break  # learners come first; the rest is read and checked when merged
        finally:
            store.close()
        loaded.append(head)
        if on_progress is not None:
            on_progress(done, len(sources))
    return loaded


def merge_sources(
    target_store: Store,
    loaded: list[MergeSource],
    on_progress: Callable[[int, int], None] | None = None,
) -> list[tuple[str, ImportResult]]:
    """Import the loaded sources into ``target_store``: all of them or, on an error, none;
    ``on_progress(done, total)`` follows the sources."""
    from collections import Counter

    shared = Counter(s.database for s in loaded if s.database)
    origins = Counter(o for s in loaded for o in s.origins)
    known_dbs = {
        d
        for _n, _c, settings in _learner_rows(target_store.db)
        for d in settings.get("databases", [])
        if isinstance(d, str)
    }
    results = []
    with target_store.transaction():
        for done, src in enumerate(loaded, 1):
            data = src.read()
            for rec in data.learners:
                if src.database and rec.get("database") == src.database:
                    derived = f"{src.database}@{src.label}"
                    if shared[src.database] > 1 or derived in known_dbs:  # copies of one database
                        rec["database"] = derived
                elif rec.get("database") is None:  # a database older than identities
                    derived = f"file@{src.label}"
                    if origins[rec["origin"]] > 1 or derived in known_dbs:  # in two files: copies
                        rec["database"] = derived
            for learner in data.learners:
                results.append(
                    (
                        src.path,
                        import_progress(
                            target_store, _only(data, learner["name"]), machine=src.label
                        ),
                    )
                )
            del data
            if on_progress is not None:
                on_progress(done, len(loaded))
    return results


def _data_from_records(
    records: list[dict[str, Any]], source: str | Path = "<database>"
) -> ProgressData:
    """The records of a database being merged, checked like an imported file's
    (``SOURCE:N: error:``, N counting records)."""
    checker = _Checker(source)
    for n, rec in enumerate(records, 1):
        checker.record(n, rec)
    return checker.finish()


def _only(data: ProgressData, learner: str) -> ProgressData:
    return ProgressData(
        machine=data.machine,
        learners=[r for r in data.learners if r["name"] == learner],
        decks=data.decks,
        cards=data.cards,
        aliases=data.aliases,
        params=data.params,
        sessions=[r for r in data.sessions if r["learner"] == learner],
        reviews=[r for r in data.reviews if r["learner"] == learner],
        events=[r for r in data.events if r["learner"] == learner],
    )


# --------------------------------------------------------------------------- optimizer CSV


def optimizer_rows(
    db: Any, learner: str, deck: str | None = None
) -> Iterator[tuple[int, int, int, int, int]]:
    """The learner's study reviews as the FSRS optimizer / srs-benchmark read them.

    ``card_id``: a stable integer per (deck, card); ``review_time``: ms since the
    Unix epoch (UTC); ``review_rating``: 1-4; ``review_state``: the card's state
    before the answer, 0 new, 1 learning, 2 review, 3 relearning;
    ``review_duration``: ms. Practice and exam answers are left out (they do not
    move the schedule).
    """
    from quiz.study.scheduling import fsrs_card_id

    aliases = transfer.alias_map(db)
    ids: dict[tuple[str, str], int] = {}
    for d, c, at, rating, before, duration in transfer.study_reviews(db, learner, deck):
        key = (d, aliases.get((d, c), c))
        cid = ids.get(key)
        if cid is None:
            cid = ids[key] = fsrs_card_id(*key)
        try:
            when = from_iso(at)
        except (ValueError, TypeError):
            when = None
        if when is None or rating not in (1, 2, 3, 4):
            continue  # a hand-edited row: the optimizer cannot use it
        state = _settings(before).get("state", 0) if isinstance(before, str) else 0
        state = state if type(state) is int and 0 <= state <= 3 else 0
        dur = duration if type(duration) is int and duration > 0 else 0
        yield (cid, round(when.timestamp() * 1000), int(rating), state, dur)


def write_optimizer_csv(
    db: Any,
    learner: str,
    out: str | Path,
    deck: str | None = None,
    *,
    replace: bool = True,
    inputs: Iterable[str | Path] = (),
) -> int:
    """Write the optimizer CSV atomically (see :func:`quiz.files.atomic_output`); returns
    the number of reviews."""
    n = 0
    with atomic_output(out, replace=replace, inputs=inputs, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(OPTIMIZER_COLUMNS)
        for row in optimizer_rows(db, learner, deck):
            writer.writerow(row)
            n += 1
    return n


# --------------------------------------------------------------------------- fitted parameters


def read_parameters(path: str | Path) -> list[float]:
    """FSRS parameters from a file: a JSON list of 21 numbers, or the optimizer's output
    (an object with ``parameters``/``w``, or text containing the list)."""
    from quiz.files import InputError, read_input

    path = Path(path)
    try:
        text = read_input(path, "parameters", allow_stdin=True).decode("utf-8")
    except InputError as exc:
        raise ProgressFileError(path, None, exc.detail) from None
    except UnicodeDecodeError:
        raise ProgressFileError(path, None, "cannot read: not UTF-8 text") from None
    value: Any
    try:
        value = json.loads(text)
    except RecursionError:
        raise ProgressFileError(
            path, 1, "nested too deeply (expected a JSON list of 21 numbers)"
        ) from None
    except ValueError:
        found = re.findall(r"\[([^\[\]]*)\]", text)
        if not found:
            raise ProgressFileError(
                path, 1, "no parameter list found (expected a JSON list of 21 numbers)"
            ) from None
        value = None
        for candidate in reversed(found):
            try:
                value = json.loads(f"[{candidate}]")
                break
            except (ValueError, RecursionError):
                continue
        if value is None:
            raise ProgressFileError(
                path, 1, "the parameter list is not a list of numbers"
            ) from None
    if isinstance(value, dict):
        for key in ("parameters", "w", "weights", "params"):
            if key in value:
                value = value[key]
                break
        else:
            raise ProgressFileError(path, 1, 'no "parameters" (or "w") list in the JSON object')
    from quiz.progress_records import ParametersFile

    try:
        return ParametersFile.model_validate(value).root
    except ValidationError as exc:
        err = exc.errors(include_url=False, include_input=False)[0]
        raise ProgressFileError(
            path, 1, str(err.get("msg", "invalid")).removeprefix("Value error, ")
        ) from None


PARAMETERS_SETTING = "fsrs_parameters"
"""The ``learners.settings`` key holding a learner's fitted FSRS parameters."""


def set_parameters(store: Store, learner: str, params: list[float] | None) -> None:
    """Store (or with None, clear) the learner's fitted FSRS parameters."""
    store.update_settings(learner, **{PARAMETERS_SETTING: params})


def get_parameters(store: Store, learner: str) -> list[float] | None:
    value = store.settings(learner).get(PARAMETERS_SETTING)
    return [float(x) for x in value] if isinstance(value, list) else None
