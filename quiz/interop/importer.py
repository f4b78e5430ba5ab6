"""Import cards from Anki text exports and spreadsheet CSV into a quiz deck.

Two kinds of file are read:

- Anki's "Notes in Plain Text" export, with or without its ``#`` header lines
  (``#separator``, ``#html``, ``#guid column``, ``#notetype column``,
  ``#deck column``, ``#tags column``). HTML in fields becomes plain text;
  Anki cloze ``{{c1::answer::hint}}`` becomes quiz cloze ``{{answer::hint}}``.
  Without header lines the columns are the note's fields, and the last column
  holds the tags when there are three or more.
- A CSV/TSV with a header row naming its columns
  (``question,answer[,accept][,choices][,tags][,section][,explanation]`` and
  optionally ``type``, ``id``, ``kind``...), including quiz's own text export.

Card ids are stable: taken from an ``id`` column or quiz's ``Quiz ID`` field,
else from the Anki GUID (matched against the existing deck's GUIDs first), else
from the question text. Importing into an existing deck merges by id: cards are
updated in place and keep their instructor-only fields (``reviewed``,
``retired``, ``previous_ids``, ``group``, ``source``); cards missing from the
file are kept. Bad rows are reported and skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from quiz.deck.model import (
    CARD_KINDS,
    CARD_TYPES,
    GAP_RE,
    ID_PATTERN,
    AnyCard,
    Card,
    ClozeCard,
    Deck,
)
from quiz.errors import QuizError
from quiz.interop.anki_csv import DECK_ID_HEADER
from quiz.interop.anki_notes import (
    ANKI_CLOZE_RE,
    MODEL_FIELDS,
    QUIZ_ID_FIELD,
    cloze_from_anki,
    cloze_to_anki,
    note_guid,
    slug_tag,
)
from quiz.interop.delimited import Record, parse_delimiter, read_records, sniff_delimiter
from quiz.interop.html_text import html_to_text, looks_like_html

MAX_IMPORT_BYTES = 50 * 1024 * 1024
"""Files larger than this are refused without being read."""

_CARD_ADAPTER: TypeAdapter[Any] = TypeAdapter(Card)
_ID_RE = re.compile(ID_PATTERN)
_DECK_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_QUIZ_MODEL_RE = re.compile(r"^quiz (basic|short|cloze|choice)\b", re.IGNORECASE)
_OPTION_PREFIX_RE = re.compile(r"^\s*(?:[A-F]|\d)[.)]\s+")
_INLINE_OPTION_RE = re.compile(r"\s+(?=[B-F][.)]\s)")
_NUMBER_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_FLOAT_RE = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_TRUE = frozenset({"true", "t", "yes", "y"})
_FALSE = frozenset({"false", "f", "no", "n"})
_COMMON_KEYS = ("id", "kind", "section", "tags", "explanation", "group", "source",
                "reviewed", "retired", "previous_ids")  # fmt: skip
_INSTRUCTOR_KEYS = ("reviewed", "retired", "previous_ids", "group", "source")

_QUIZ_FIELD_ROLES = {
    "Front": "question", "Question": "question", "Back": "answer", "Answer": "answer",
    "Text": "text", "Options": "options", "Explanation": "explanation", "Source": "quote",
    QUIZ_ID_FIELD: "quiz_id",
}  # fmt: skip
"""What each field of quiz's own Anki note types holds."""

# Column names accepted in a header row; the first name of each entry is the key.
_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "question": ("question", "front", "prompt", "statement", "text"),
    "answer": ("answer", "back"),
    "accept": ("accept", "accepted", "accepted answers", "alternatives", "also accept"),
    "choices": ("choices", "options"),
    "tags": ("quiz tags", "tags"),
    "section": ("section",),
    "explanation": ("explanation", "extra", "back extra", "notes"),
    "type": ("type",),
    "id": ("id", "card id"),
    "kind": ("kind",),
    "unit": ("unit",),
    "tolerance": ("tolerance",),
    "quote": ("quote", "source quote"),
    "source section": ("source section",),
    "source line": ("source line",),
    "group": ("group",),
    "reviewed": ("reviewed",),
    "retired": ("retired",),
    "previous ids": ("previous ids",),
    "guid": ("guid",),
    "deck": ("deck",),
    "notetype": ("notetype", "note type"),
}
_TYPE_ALIASES = {
    "multiple choice": "mcq", "choice": "mcq", "mc": "mcq",
    "true/false": "truefalse", "true false": "truefalse", "tf": "truefalse",
    "t/f": "truefalse", "number": "numeric", "typed": "short", "type in": "short",
    "front/back": "basic", "flashcard": "basic",
}  # fmt: skip
_KNOWN_LABELS = {alias for names in _COLUMN_ALIASES.values() for alias in names}


@dataclass(frozen=True)
class RowProblem:
    """A row that was skipped, or merged only in part, and why."""

    line: int
    message: str


@dataclass
class ImportReport:
    """What an import did, card ids by outcome."""

    path: str
    source_format: str = "csv"
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notices: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """Rows skipped as bad."""
        return len(self.problems)

    @property
    def imported(self) -> int:
        """Cards read from the file."""
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def problem_lines(self) -> list[str]:
        """``FILE:LINE: message`` for every skipped row."""
        return [f"{self.path}:{p.line}: {p.message}" for p in self.problems]

    def notice_lines(self) -> list[str]:
        """``FILE:LINE: message`` for rows merged only in part."""
        return [f"{self.path}:{p.line}: note: {p.message}" for p in self.notices]


class NoCardsImported(QuizError):
    """The file held no usable card; ``report`` lists the rows that were skipped."""

    def __init__(self, report: ImportReport, message: str) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class _Row:
    """One row turned into card data, before validation and merge."""

    line: int
    data: dict[str, Any]
    explicit_type: bool
    guid: str = ""
    deck_name: str = ""


# --------------------------------------------------------------------------- reading


def read_import_text(path: Path) -> str:
    """The text of an import file, or a one-line QuizError saying why it is not text."""
    if not path.exists():
        raise QuizError(f"{path}: no such file")
    if path.is_dir():
        raise QuizError(f"{path}: is a directory, not a file")
    if not path.is_file():
        raise QuizError(f"{path}: not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise QuizError(f"{path}: too large to import ({size} bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise QuizError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if data.startswith(b"PK\x03\x04"):
        raise QuizError(
            f"{path}: is a zip archive (an Anki .apkg?), not text; in Anki use "
            "File > Export > 'Notes in Plain Text' and import that file"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise QuizError(f"{path}: not valid UTF-16 text") from None
    if b"\x00" in data:
        raise QuizError(f"{path}: not a text file (it contains binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise QuizError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


@dataclass
class _Header:
    """Anki's ``#key:value`` header lines."""

    meta: dict[str, str] = field(default_factory=dict)
    global_tags: list[str] = field(default_factory=list)
    body_start: int = 0  # character offset of the first body line
    body_line: int = 1  # its line number

    def column(self, key: str) -> int | None:
        """A 1-based ``#... column:N`` value, or None."""
        raw = self.meta.get(key, "").strip()
        return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _read_header(text: str) -> _Header:
    header = _Header()
    pos, line_no = 0, 1
    first = True
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].rstrip("\r")
        if first and line.startswith("tags:"):
            header.global_tags = line[5:].split()
        elif line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep:
                header.meta[key.strip().lower()] = value
        else:
            break
        first = False
        pos, line_no = end + 1, line_no + 1
    header.body_start, header.body_line = min(pos, len(text)), line_no
    return header


def _label_key(label: str) -> str:
    return re.sub(r"[\s_-]+", " ", label.strip().lower())


def _header_labels(fields: list[str]) -> dict[str, int] | None:
    """Column positions by key if ``fields`` is a header row, else None."""
    labels = [_label_key(f) for f in fields]
    if not any(label in _COLUMN_ALIASES["question"] for label in labels):
        return None
    if not any(label in _KNOWN_LABELS - set(_COLUMN_ALIASES["question"]) for label in labels):
        return None
    positions: dict[str, int] = {}
    for key, aliases in _COLUMN_ALIASES.items():
        for alias in aliases:  # the first alias present wins
            if alias in labels:
                positions[key] = labels.index(alias)
                break
    return positions


# --------------------------------------------------------------------------- cells


def split_list(cell: str) -> list[str]:
    """A multi-value cell: a JSON array, or items separated by ``|`` (else ``;``)."""
    cell = cell.strip()
    if not cell:
        return []
    if cell.startswith("["):
        try:
            items = json.loads(cell)
        except ValueError:
            items = None
        if isinstance(items, list) and all(isinstance(i, str) for i in items):
            return [i.strip() for i in items if i.strip()]
    sep = "|" if "|" in cell else ";"
    return [part.strip() for part in cell.split(sep) if part.strip()]


def split_tags(cell: str) -> list[str]:
    """Tags: separated by ``|``, ``;`` or ``,`` when present, else by spaces (as in Anki)."""
    cell = cell.strip()
    if not cell:
        return []
    if cell.startswith("[") or any(sep in cell for sep in "|;,"):
        if "|" not in cell and ";" not in cell and not cell.startswith("["):
            return [t.strip() for t in cell.split(",") if t.strip()]
        return split_list(cell)
    return cell.split()


def _bool_cell(cell: str) -> bool | None:
    value = cell.strip().lower()
    if value in _TRUE or value == "1":
        return True
    if value in _FALSE or value in ("0", ""):
        return False
    return None


def content_id(text: str) -> str:
    """A card id from its question text: stable while the question stays the same."""
    norm = " ".join(text.casefold().split())
    return "c-" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:12]


def guid_id(guid: str) -> str:
    """A card id for an Anki note that quiz did not export."""
    return "anki-" + hashlib.sha256(guid.encode("utf-8")).hexdigest()[:12]


def slugify_deck_id(text: str) -> str:
    """A valid deck id made from a name: lower case, words joined by ``-``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return slug or "imported"


# --------------------------------------------------------------------------- rows


def _tag_data(tags: list[str], data: dict[str, Any]) -> None:
    """Split Anki tags into tags, ``section::``/``kind::`` and the ``retired`` flag."""
    plain: list[str] = []
    for tag in tags:
        low = tag.lower()
        if low.startswith("kind::") and low[6:] in CARD_KINDS:
            data.setdefault("kind", low[6:])
        elif low.startswith("section::") and tag[9:].strip():
            data.setdefault("section", tag[9:].replace("-", " ").replace("_", " "))
        elif low == "retired":
            data["retired"] = True
        elif tag not in plain:
            plain.append(tag)
    data["tags"] = plain


def _choice_card(data: dict[str, Any], options: list[str], answer: str) -> None:
    """Fill an mcq or truefalse card from listed options and the answer line."""
    if len(options) == 1:  # exported without HTML: the options share one line
        options = _INLINE_OPTION_RE.split(options[0])
    options = [_OPTION_PREFIX_RE.sub("", o).strip() for o in options if o.strip()]
    answer = _OPTION_PREFIX_RE.sub("", answer).strip()
    if [o.lower() for o in options] == ["true", "false"]:
        data["type"] = "truefalse"
        data["statement"] = data.pop("question", "")
        data["answer"] = answer.lower() == "true"
    else:
        data["type"] = "mcq"
        data["choices"] = options
        data["answer"] = answer


def _text(value: str, is_html: bool, exact: bool = False) -> str:
    """A cell as plain text; trimmed unless ``exact`` (quiz's own export)."""
    if is_html:
        return html_to_text(value)
    return value if exact else value.replace("\r\n", "\n").strip()


def _anki_row(
    record: Record, header: _Header, is_html: bool, headerless: bool
) -> _Row | RowProblem:
    """A row of an Anki notes export as card data."""
    cols = list(record.fields)
    meta_cols = {
        name: header.column(f"{name} column") for name in ("guid", "notetype", "deck", "tags")
    }
    if headerless and len(cols) >= 3:
        meta_cols["tags"] = len(cols)

    def meta(name: str) -> str:
        col = meta_cols[name]
        return cols[col - 1].strip() if col and col <= len(cols) else ""

    taken = {c for c in meta_cols.values() if c}
    fields = [_text(v, is_html) for i, v in enumerate(cols, start=1) if i not in taken]
    notetype = meta("notetype") or header.meta.get("notetype", "").strip()
    tags = [*header.global_tags, *header.meta.get("tags", "").split(), *meta("tags").split()]
    data: dict[str, Any] = {}
    explicit = False
    model = _QUIZ_MODEL_RE.match(notetype)
    if model:
        family = model.group(1).lower()
        roles = [_QUIZ_FIELD_ROLES[name] for name in MODEL_FIELDS[family]]
        named = dict(zip(roles, fields, strict=False))
        if _ID_RE.match(named.get("quiz_id", "")):
            data["id"] = named["quiz_id"]
        if named.get("explanation"):
            data["explanation"] = named["explanation"]
        if named.get("quote"):
            data["source"] = {"quote": named["quote"]}
        if family == "cloze":
            data.update(type="cloze", text=cloze_from_anki(named.get("text", "")))
        elif family == "choice":
            data["question"] = named.get("question", "")
            options = named.get("options", "")
            _choice_card(data, options.split("\n") if options else [], named.get("answer", ""))
        else:
            data.update(
                type=family, question=named.get("question", ""), answer=named.get("answer", "")
            )
    elif "cloze" in notetype.lower() or (fields and ANKI_CLOZE_RE.search(fields[0])):
        data.update(type="cloze", text=cloze_from_anki(fields[0] if fields else ""))
        if len(fields) > 1 and fields[1]:
            data["explanation"] = fields[1]
    else:
        if not fields or not fields[0]:
            return RowProblem(record.line, "empty first field (no question)")
        if len(fields) < 2 or not fields[1]:
            return RowProblem(record.line, "no answer: the second field is empty")
        kind = "short" if "type in" in notetype.lower() else "basic"
        data.update(type=kind, question=fields[0], answer=fields[1])
        explicit = kind == "short"
    if meta_cols["tags"] or tags:
        _tag_data(tags, data)
    deck_name = meta("deck") or header.meta.get("deck", "").strip()
    return _Row(record.line, data, explicit, guid=meta("guid"), deck_name=deck_name)


def _named_row(
    record: Record, columns: dict[str, int], is_html: bool, exact: bool = False
) -> _Row | RowProblem:
    """A row of a CSV with a header row as card data; ``exact`` keeps cells untrimmed."""

    def cell(key: str) -> str:
        i = columns.get(key)
        if i is None or i >= len(record.fields):
            return ""
        return _text(record.fields[i], is_html, exact)

    question, answer = cell("question"), cell("answer")
    type_name = _TYPE_ALIASES.get(_label_key(cell("type")), _label_key(cell("type")))
    if type_name and type_name not in CARD_TYPES:
        return RowProblem(
            record.line, f"unknown type {type_name!r}; expected one of {', '.join(CARD_TYPES)}"
        )
    if not question:
        return RowProblem(record.line, "no question")
    choices = split_list(cell("choices"))
    accept = split_list(cell("accept"))
    explanation = cell("explanation")
    explicit = bool(type_name)
    if not type_name:
        if GAP_RE.search(question) or ANKI_CLOZE_RE.search(question):
            type_name = "cloze"
        elif choices:
            type_name = "mcq"
        elif answer.lower() in ("true", "false") and (answer.lower() == "true" or explanation):
            type_name = "truefalse"
        elif accept or (len(answer) <= 60 and len(answer.split()) <= 6):
            type_name = "short"
        else:
            type_name = "basic"
    data: dict[str, Any] = {"type": type_name}
    if type_name == "cloze":
        data["text"] = cloze_from_anki(question)
    elif type_name == "truefalse":
        value = _bool_cell(answer)
        if value is None or not answer:
            return RowProblem(
                record.line, f"true/false answer must be true or false, not {answer!r}"
            )
        data.update(statement=question, answer=value)
    else:
        if not answer:
            return RowProblem(record.line, "no answer")
        data.update(question=question, answer=answer)
        if type_name == "short" and accept:
            data["accept"] = accept
        elif type_name == "numeric":
            if _NUMBER_RE.match(answer):
                data["answer"] = answer.replace(",", "")
            if cell("unit"):
                data["unit"] = cell("unit")
            tolerance = cell("tolerance")
            if tolerance:
                data["tolerance"] = float(tolerance) if _FLOAT_RE.match(tolerance) else tolerance
        elif type_name == "mcq":
            problem = _resolve_choices(data, choices, answer)
            if problem:
                return RowProblem(record.line, problem)
    if cell("id"):
        data["id"] = cell("id")
    if cell("kind"):
        data["kind"] = cell("kind").lower()
    if cell("section"):
        data["section"] = cell("section")
    if explanation:
        data["explanation"] = explanation
    if cell("group"):
        data["group"] = cell("group")
    source = {
        key: value
        for key, value in (
            ("quote", cell("quote")),
            ("section", cell("source section")),
            ("line", cell("source line")),
        )
        if value
    }
    if source:
        data["source"] = source
    if "tags" in columns:
        _tag_data(split_tags(cell("tags")), data)
    for flag in ("reviewed", "retired"):
        if cell(flag):
            data[flag] = bool(_bool_cell(cell(flag)))
    if cell("previous ids"):
        data["previous_ids"] = split_list(cell("previous ids"))
    return _Row(record.line, data, explicit, guid=cell("guid"), deck_name=cell("deck"))


def _resolve_choices(data: dict[str, Any], choices: list[str], answer: str) -> str | None:
    """Set mcq choices and answer; the answer may be a choice, its letter, or a new option."""
    folded = [c.casefold() for c in choices]
    if answer.casefold() in folded:
        data["answer"] = choices[folded.index(answer.casefold())]
    elif (
        len(answer) == 1
        and answer.upper() in "ABCDEF"
        and "ABCDEF".index(answer.upper()) < len(choices)
    ):
        data["answer"] = choices["ABCDEF".index(answer.upper())]
    else:  # the choices column lists only the wrong options
        choices = [answer, *choices]
    if not 3 <= len(choices) <= 6:
        return f"multiple choice needs 3 to 6 choices, got {len(choices)}"
    data["choices"] = choices
    return None


# --------------------------------------------------------------------------- merge


def _card_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"][1:] if not isinstance(p, int))
    msg = err["msg"].removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg


def _restore_tag_spelling(tags: list[str], old: list[str]) -> list[str]:
    by_slug = {slug_tag(t).casefold(): t for t in old}
    return [by_slug.get(t.casefold(), t) for t in tags]


def _merge(old: AnyCard, row: _Row, new: AnyCard) -> tuple[AnyCard, str | None]:
    """The updated card for ``old`` from an imported row; a notice if only partly merged."""
    given = row.data
    old_data = old.model_dump(mode="json", exclude_none=True)
    same_view = (new.prompt, new.canonical_answer) == (old.prompt, old.canonical_answer)
    if new.type != old.type and not row.explicit_type and same_view:
        return old, None  # e.g. a numeric card that Anki holds as a typed answer
    if new.type == old.type or row.explicit_type:
        if new.type == old.type:
            merged = {**old_data, **given}
            if old.type == "short" and "accept" not in given:
                same = str(given.get("answer", "")).casefold() == old.canonical_answer.casefold()
                if not same:
                    merged.pop("accept", None)
        else:
            merged = {k: v for k, v in old_data.items() if k in _COMMON_KEYS}
            merged.update(given)
    elif {new.type, old.type} <= {"basic", "short"}:
        merged = {**old_data, "question": given["question"], "answer": given["answer"]}
        if old.type == "short" and given["answer"].casefold() != old.canonical_answer.casefold():
            merged.pop("accept", None)
        merged.update({k: v for k, v in given.items() if k in _COMMON_KEYS})
    else:
        note = f"card {old.id} is a {old.type} card in the deck; this {new.type} note left it as it was"
        return old, note
    for key in _INSTRUCTOR_KEYS:
        if key not in given and key in old_data:
            merged[key] = old_data[key]
    merged["id"] = old.id
    if isinstance(given.get("source"), dict) and isinstance(old_data.get("source"), dict):
        merged["source"] = {**old_data["source"], **given["source"]}
    if "previous_ids" in given:
        merged["previous_ids"] = list(dict.fromkeys([*old.previous_ids, *given["previous_ids"]]))
    anki_text = cloze_from_anki(cloze_to_anki(old.text)) if isinstance(old, ClozeCard) else None
    if anki_text is not None and merged.get("text") == anki_text:
        merged["text"] = old.text  # Anki has no gap alternatives: keep quiz's
    merged["tags"] = _restore_tag_spelling(list(merged.get("tags", [])), old.tags)
    section = given.get("section")
    if section and old.section and slug_tag(section).casefold() == slug_tag(old.section).casefold():
        merged["section"] = old.section  # a section:: tag lost its hyphens and spaces
    try:
        return _CARD_ADAPTER.validate_python(merged), None
    except ValidationError:
        pass
    kept = {k: old_data[k] for k in _INSTRUCTOR_KEYS if k in old_data and k not in given}
    try:
        return _CARD_ADAPTER.validate_python({**new.model_dump(mode="json"), **kept}), None
    except ValidationError:
        return new, None


# --------------------------------------------------------------------------- import


def _load_existing(existing: Path | None) -> Deck | None:
    if existing is None or not existing.exists():
        return None
    from quiz.deck.loader import load_deck

    return load_deck(existing)


def _parse_rows(text: str, report: ImportReport) -> tuple[list[_Row], _Header]:
    """Every usable row of the file as card data; bad rows go to ``report``."""
    header = _read_header(text)
    body = text[header.body_start :]
    separator = header.meta.get("separator")
    delimiter = parse_delimiter(separator) if separator is not None else None
    if delimiter is None:
        first_line = next((ln for ln in body.splitlines() if ln.strip()), "")
        delimiter = sniff_delimiter(first_line)
    # Anki reads '#' records as comments; a plain spreadsheet CSV has no such rule.
    comment = "#" if header.meta or header.global_tags else None
    records = list(read_records(body, delimiter, first_line=header.body_line, comment=comment))

    columns: dict[str, int] | None = None
    own_export = DECK_ID_HEADER in header.meta
    if "columns" in header.meta:
        labels = next(read_records(header.meta["columns"].strip("\r\n"), delimiter), None)
        if labels:
            columns = _header_labels(labels.fields)
    anki_meta = any(k.endswith(" column") or k == "notetype" for k in header.meta)
    if columns is None and not anki_meta and records:
        columns = _header_labels(records[0].fields)
        if columns is not None:
            report.ignored_columns = [
                f for f in records[0].fields if _label_key(f) not in _KNOWN_LABELS and f.strip()
            ]
            records = records[1:]
    if "html" in header.meta:
        is_html = header.meta["html"].strip().lower() == "true"
    else:
        is_html = any(looks_like_html(v) for r in records for v in r.fields)
    report.source_format = "csv" if columns is not None else "anki"

    rows: list[_Row] = []
    for record in records:
        if columns is not None:
            parsed = _named_row(record, columns, is_html, exact=own_export)
        else:
            parsed = _anki_row(record, header, is_html, headerless=not header.meta)
        if isinstance(parsed, RowProblem):
            report.problems.append(parsed)
        else:
            rows.append(parsed)
    return rows, header


def _common_deck_name(rows: list[_Row]) -> str:
    """The Anki deck the rows share (``Parent`` for ``Parent::A`` and ``Parent::B``).

    When rows come from several subdecks, each subdeck's name becomes the
    section of its cards that have none.
    """
    names = list(dict.fromkeys(r.deck_name for r in rows if r.deck_name))
    if len(names) <= 1:
        return names[0].split("::")[-1].strip() if names else ""
    parts = [name.split("::") for name in names]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) > 1:
            break
        common.append(level[0])
    for row in rows:
        sub = row.deck_name.split("::")[len(common) :]
        if sub and "section" not in row.data:
            row.data["section"] = "::".join(sub).strip()
    return common[-1].strip() if common else ""


class _IdResolver:
    """Gives each row its card id: its own, the existing card behind its GUID or an
    old id, else one derived from the GUID or the question."""

    def __init__(self, old_deck: Deck | None, target_id: str) -> None:
        self.by_guid: dict[str, str] = {}
        self.by_old_id: dict[str, str] = {}
        if old_deck is None:
            return
        for card in old_deck.cards:
            for previous in card.previous_ids:
                self.by_old_id.setdefault(previous, card.id)
        for deck_key in dict.fromkeys([old_deck.deck, target_id]):
            for card in old_deck.cards:
                for cid in [card.id, *card.previous_ids]:
                    self.by_guid.setdefault(note_guid(deck_key, cid), card.id)
        for card in old_deck.cards:
            self.by_old_id.pop(card.id, None)  # a current id is never an alias

    def resolve(self, row: _Row) -> str | None:
        """The card id for ``row``, or None if the row names an invalid one."""
        data = row.data
        if data.get("id"):
            card_id = str(data["id"])
            if not _ID_RE.match(card_id):
                return None
            return self.by_old_id.get(card_id, card_id)
        if row.guid:
            return self.by_guid.get(row.guid) or guid_id(row.guid)
        prompt = data.get("question") or data.get("statement") or data.get("text") or ""
        return content_id(str(prompt))


def _collect_cards(
    rows: list[_Row], old_deck: Deck | None, ids: _IdResolver, report: ImportReport
) -> list[AnyCard]:
    """The deck's cards after the import: existing ones updated in place, new ones after."""
    old_cards = {c.id: c for c in old_deck.cards} if old_deck else {}
    imported: dict[str, AnyCard] = {}
    first_line_of: dict[str, int] = {}
    for row in rows:
        card_id = ids.resolve(row)
        if card_id is None:
            report.problems.append(RowProblem(row.line, f"invalid card id {row.data['id']!r}"))
            continue
        if card_id in first_line_of:
            report.problems.append(
                RowProblem(row.line, f"duplicate of line {first_line_of[card_id]} (card {card_id})")
            )
            continue
        row.data["id"] = card_id
        try:
            card = _CARD_ADAPTER.validate_python(row.data)
        except ValidationError as exc:
            report.problems.append(RowProblem(row.line, _card_error(exc)))
            continue
        first_line_of[card_id] = row.line
        old = old_cards.get(card_id)
        if old is None:
            imported[card_id] = card
            report.added.append(card_id)
            continue
        merged, notice = _merge(old, row, card)
        if notice:
            report.notices.append(RowProblem(row.line, notice))
        imported[card_id] = merged
        (report.unchanged if merged == old else report.updated).append(card_id)

    cards: list[AnyCard] = []
    for card in old_deck.cards if old_deck else []:
        if card.id in imported:
            cards.append(imported.pop(card.id))
        else:
            cards.append(card)
            report.kept.append(card.id)
    cards.extend(imported.values())
    return cards


def import_file(
    path: str | Path,
    deck_id: str | None = None,
    existing: Path | None = None,
    *,
    title: str | None = None,
) -> tuple[Deck, ImportReport]:
    """Read an Anki text export or a CSV into a deck, merged into ``existing`` if given.

    Raises QuizError (one line) if the file is not readable text or yields no cards
    (:class:`NoCardsImported`, carrying the report). Bad rows are skipped and listed
    in the report. Nothing is written: the caller writes the deck.
    """
    path = Path(path)
    if deck_id is not None and not _DECK_ID_RE.match(deck_id):
        raise QuizError(
            f"invalid deck id {deck_id!r}: use lower-case letters, digits and '-' (e.g. my-deck)"
        )
    text = read_import_text(path)
    old_deck = _load_existing(Path(existing) if existing is not None else None)
    report = ImportReport(str(path))
    rows, header = _parse_rows(text, report)

    anki_deck = _common_deck_name(rows)
    declared_id = header.meta.get(DECK_ID_HEADER, "").strip()
    target_id = (
        deck_id
        or (old_deck.deck if old_deck else None)
        or (declared_id if _DECK_ID_RE.match(declared_id) else None)
        or slugify_deck_id(anki_deck or path.stem)
    )
    cards = _collect_cards(rows, old_deck, _IdResolver(old_deck, target_id), report)
    report.problems.sort(key=lambda p: p.line)
    if report.imported == 0:
        detail = f" ({report.skipped} bad rows skipped)" if report.skipped else ""
        raise NoCardsImported(report, f"{path}: no cards found{detail}")

    deck_title = title or (old_deck.title if old_deck else "") or anki_deck
    if not deck_title:
        stem = re.sub(r"[\s_-]+", " ", path.stem).strip()
        deck_title = (stem[:1].upper() + stem[1:]) or target_id
    deck = Deck(
        deck=target_id,
        title=deck_title,
        description=old_deck.description if old_deck else f"Imported from {path.name}.",
        source=old_deck.source if old_deck else None,
        cards=cards,
    )
    return deck, report


__all__ = ["ImportReport", "NoCardsImported", "RowProblem", "import_file"]
