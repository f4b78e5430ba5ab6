"""Reading an import file into rows of card data.

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

Each usable row becomes an :class:`ImportRow` (card data not yet validated);
each bad row a :class:`RowProblem`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz.deck.model import CARD_KINDS, CARD_TYPES, GAP_RE, ID_PATTERN
from quiz.errors import QuizError
from quiz.interop.anki_csv import DECK_ID_HEADER
from quiz.interop.anki_notes import ANKI_CLOZE_RE, MODEL_FIELDS, QUIZ_ID_FIELD, cloze_from_anki
from quiz.interop.delimited import Record, parse_delimiter, read_records, sniff_delimiter
from quiz.interop.html_text import html_to_text, looks_like_html

MAX_IMPORT_BYTES = 50 * 1024 * 1024  # = quiz.files.LIMITS["table"]
"""Files larger than this are refused without being read."""

_ID_RE = re.compile(ID_PATTERN)
_QUIZ_MODEL_RE = re.compile(r"^quiz (basic|short|cloze|choice)\b", re.IGNORECASE)
_OPTION_PREFIX_RE = re.compile(r"^\s*(?:[A-F]|\d)[.)]\s+")
_INLINE_OPTION_RE = re.compile(r"\s+(?=[B-F][.)]\s)")
_NUMBER_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_FLOAT_RE = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_TRUE = frozenset({"true", "t", "yes", "y"})
_FALSE = frozenset({"false", "f", "no", "n"})

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
class ImportRow:
    """One row turned into card data, before validation and merge."""

    line: int
    data: dict[str, Any]
    explicit_type: bool
    guid: str = ""
    deck_name: str = ""


def read_import_text(path: Path) -> str:
    """The text of an import file, or a one-line QuizError saying why it is not text."""
    from quiz.files import read_input

    data = read_input(path, "table")  # a regular file, at most LIMITS["table"]
    if data.startswith(b"PK\x03\x04"):
        raise QuizError(
            "is a zip archive (an Anki .apkg?), not text; in Anki use "
            "File > Export > 'Notes in Plain Text' and import that file",
            where=path,
            label=None,
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise QuizError("not valid UTF-16 text", where=path, label=None) from None
    if b"\x00" in data:
        raise QuizError("not a text file (it contains binary data)", where=path, label=None)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise QuizError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            where=path,
            line=line,
            label=None,
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
) -> ImportRow | RowProblem:
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
    return ImportRow(record.line, data, explicit, guid=meta("guid"), deck_name=deck_name)


def _named_row(
    record: Record, columns: dict[str, int], is_html: bool, exact: bool = False
) -> ImportRow | RowProblem:
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
    return ImportRow(record.line, data, explicit, guid=cell("guid"), deck_name=cell("deck"))


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


@dataclass
class ParsedFile:
    """An import file read into rows: what :func:`parse_rows` returns."""

    rows: list[ImportRow]
    problems: list[RowProblem]
    source_format: str
    """``anki`` (a notes export) or ``csv`` (a file with named columns)."""
    declared_deck_id: str = ""
    """The deck id named by quiz's own export (``#quiz deck id:``), else ``""``."""
    ignored_columns: list[str] = field(default_factory=list)


def parse_rows(text: str) -> ParsedFile:
    """Every row of an import file's text as card data or as a problem."""
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
    ignored: list[str] = []
    own_export = DECK_ID_HEADER in header.meta
    if "columns" in header.meta:
        labels = next(read_records(header.meta["columns"].strip("\r\n"), delimiter), None)
        if labels:
            columns = _header_labels(labels.fields)
    anki_meta = any(k.endswith(" column") or k == "notetype" for k in header.meta)
    if columns is None and not anki_meta and records:
        columns = _header_labels(records[0].fields)
        if columns is not None:
            ignored = [
                f for f in records[0].fields if _label_key(f) not in _KNOWN_LABELS and f.strip()
            ]
            records = records[1:]
    if "html" in header.meta:
        is_html = header.meta["html"].strip().lower() == "true"
    else:
        is_html = any(looks_like_html(v) for r in records for v in r.fields)

    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    for record in records:
        if columns is not None:
            parsed = _named_row(record, columns, is_html, exact=own_export)
        else:
            parsed = _anki_row(record, header, is_html, headerless=not header.meta)
        if isinstance(parsed, RowProblem):
            problems.append(parsed)
        else:
            rows.append(parsed)
    return ParsedFile(
        rows=rows,
        problems=problems,
        source_format="csv" if columns is not None else "anki",
        declared_deck_id=header.meta.get(DECK_ID_HEADER, "").strip(),
        ignored_columns=ignored,
    )
