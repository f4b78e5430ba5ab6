"""Read deck files: safe YAML with positions, validated into a ``Deck``.

``load_deck`` returns a valid deck or raises the first problem as a
``DeckError`` (``FILE:LINE:COL: error: message [card]``). ``read_deck`` keeps
going and collects every problem, for ``quiz check``.

Deck files are untrusted. YAML is read with safe-load semantics (libyaml's C
parser when available) in one pass over the parser's events; only the
standard YAML tags are accepted; an alias reuses its anchor's value and its
expanded size is counted, so an alias bomb is refused before anything is
expanded; nesting depth, value count and file size are bounded.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from quiz.deck.model import (
    CARD_KINDS,
    CARD_TYPES,
    AnyCard,
    Card,
    CardSource,
    Deck,
    DeckSource,
)
from quiz.errors import DeckError

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Deck files larger than this are refused without being read."""
MAX_NODES = 150_000
"""Most YAML nodes a deck may expand to, aliases counted at every use."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted."""

Severity = Literal["error", "warning"]

_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DeckYamlLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader; used for its parser and resolver only (values are built here)."""


@dataclass(frozen=True)
class Problem:
    """One finding about a deck file, printed as ``FILE:LINE:COL: severity: message [card]``."""

    path: str
    line: int | None
    col: int | None
    severity: Severity
    message: str
    card_id: str | None = None

    def format(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        suffix = f" [{self.card_id}]" if self.card_id else ""
        return f"{loc}: {self.severity}: {self.message}{suffix}"

    def to_error(self) -> DeckError:
        return DeckError(self.path, self.message, self.line, self.col, self.card_id)


@dataclass
class LoadResult:
    """Everything read from one deck file, valid or not.

    ``deck`` is set only when the file has no errors; ``cards`` holds every
    card that validated on its own (index in the file, card), so checks can
    still run on a deck with a few broken cards.
    """

    path: Path
    deck: Deck | None = None
    header: Deck | None = None
    cards: list[tuple[int, AnyCard]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    root: _Node | None = None
    source_file: str | None = None  # ``source.file`` as written, even when the header is invalid
    duplicate_cards: list[tuple[int, AnyCard]] = field(default_factory=list)  # valid, id taken

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def raw_cards(self) -> list[Any]:
        """The YAML nodes of the cards, in file order (empty when unreadable)."""
        node = _mapping_get(self.root, "cards") if self.root is not None else None
        return list(node.items) if node is not None and node.items is not None else []

    def position(self, *keys: str | int) -> tuple[int, int] | None:
        """The 1-based (line, col) of the value at ``keys`` (e.g. ``"cards", 3, "answer"``)."""
        if self.root is None:
            return None
        node, key_node = _locate(self.root, keys)
        target = node if node is not None else key_node
        return _pos(target) if target is not None else None

    def card_position(self, index: int, *keys: str | int) -> tuple[int, int] | None:
        """Position of a card (or of a field of it, falling back to the card)."""
        return self.position("cards", index, *keys) or self.position("cards", index)


class _Refused(Exception):
    """The file cannot be read as a deck at all; one problem says why."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


# --------------------------------------------------------------------------- public API


def load_deck(path: str | os.PathLike[str]) -> Deck:
    """Read and validate a deck file; raise ``DeckError`` with the first error."""
    result = read_deck(path)
    if result.deck is None:
        errors = sorted(result.errors, key=lambda p: (p.line or 0, p.col or 0))
        raise errors[0].to_error()
    return result.deck


def read_deck(path: str | os.PathLike[str]) -> LoadResult:
    """Read a deck file and collect every problem found while loading it."""
    p = Path(path)
    result = LoadResult(path=p)
    shown = printable(str(path))
    try:
        text = _read_text(p)
        data, root = _build(text, shown, result)
    except _Refused as exc:
        result.problems.append(Problem(shown, exc.line, exc.col, "error", exc.message))
        return result
    result.root = root
    _validate(data, root, shown, result)
    if result.ok and result.header is not None:
        deck = result.header.model_copy(update={"cards": [c for _, c in result.cards]})
        deck._path = p
        result.deck = deck
    if result.header is not None:
        result.header._path = p
    return result


def printable(text: str) -> str:
    """``text`` on one line with control and format characters escaped (``\\x1b``, ``\\n``):
    :func:`quiz.wording.literal`, newlines and tabs escaped too."""
    if text.isprintable():
        return text
    from quiz.wording import literal

    return literal(text).replace("\n", "\\n").replace("\t", "\\t")


# --------------------------------------------------------------------------- reading text


def _read_text(path: Path) -> str:
    """The file's text: refuse missing, non-regular, huge, binary or non-UTF-8 files."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _Refused("no such file or directory") from None
    except PermissionError:
        raise _Refused("permission denied") from None
    except OSError as exc:
        raise _Refused(f"cannot read file: {exc.strerror or exc}") from None
    except ValueError:  # e.g. a NUL character in the path
        raise _Refused("not a valid file name") from None
    if stat.S_ISDIR(st.st_mode):
        raise _Refused("is a directory, not a deck file")
    if not stat.S_ISREG(st.st_mode):
        raise _Refused("not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise _Refused(
            f"file is too large ({st.st_size / 1048576:.1f} MB; a deck may be at most "
            f"{MAX_FILE_BYTES // 1048576} MB)",
            1,
            1,
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise _Refused("permission denied") from None
    except OSError as exc:
        raise _Refused(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _Refused(
            f"file is too large (a deck may be at most {MAX_FILE_BYTES // 1048576} MB)", 1, 1
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Refused("file is UTF-16 encoded; save the deck as UTF-8", 1, 1)
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(data, nul)
        raise _Refused("binary data (NUL byte) in a text file", line, col)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        raise _Refused(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the deck as UTF-8", line, col
        ) from None
    return text.removeprefix("\ufeff")


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _text_position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


# --------------------------------------------------------------------------- YAML


class _Node:
    """Where a value sits in the file, and the positions of what it holds.

    ``entries`` maps a mapping's keys to (key node, value node); ``items``
    lists a sequence's nodes; ``merges`` are mappings merged in with ``<<``.
    """

    __slots__ = ("col", "entries", "items", "line", "merges")

    def __init__(self, line: int, col: int) -> None:
        self.line, self.col = line, col
        self.entries: dict[Any, tuple[_Node | None, _Node]] | None = None
        self.items: list[_Node] | None = None
        self.merges: list[_Node] | None = None


class _Frame:
    """An open mapping or sequence while events are read."""

    __slots__ = ("anchor", "data", "key", "key_node", "merged", "node", "size")

    def __init__(self, data: Any, node: _Node, anchor: str | None) -> None:
        self.data, self.node, self.anchor = data, node, anchor
        self.size = 1
        self.key: Any = _NO_KEY
        self.key_node: _Node | None = None
        self.merged: list[dict[Any, Any]] | None = None


_NO_KEY = object()
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_VALUE_TAG = "tag:yaml.org,2002:value"
_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + n for n in ("null", "bool", "int", "float", "str", "timestamp")
)
# plain scalars starting with anything else are always text
_MAYBE_TYPED = frozenset("0123456789+-.~nNtTfFyYoO<=")


def _mark(m: Any) -> _Node:
    return _Node(m.line + 1, m.column + 1)


_KEY_SCALAR_RE = re.compile(r"^( *)([A-Za-z_][\w-]*):[ \t]+[^\s#|>&*!]")


def _dedented_line_before(text: str, error_line: int) -> tuple[int, int, str] | None:
    """PyYAML reports a ``key: value`` line dedented out of its card ("mapping values are not
    allowed") at the *next* line. If the line before the error is such a key, indented less
    than both its neighbours, it is the culprit: its (line, indent, key)."""
    lines = text.splitlines()

    def previous(i: int) -> int | None:  # 0-based index of the non-blank line before i
        i -= 1
        while i >= 0 and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
            i -= 1
        return i if i >= 0 else None

    def indent(i: int) -> int:
        return len(lines[i]) - len(lines[i].lstrip(" "))

    err = error_line - 1
    if not 0 <= err < len(lines):
        return None
    p = previous(err)
    if p is None:
        return None
    before = previous(p)
    match = _KEY_SCALAR_RE.match(lines[p])
    if match is None or before is None:
        return None
    if indent(p) < indent(before) and indent(p) < indent(err) <= indent(before):
        return p + 1, indent(p), match.group(2)
    return None


def _build(text: str, shown: str, result: LoadResult) -> tuple[Any, _Node]:
    """Parse YAML text into plain data and a tree of positions, in one pass over events.

    Only the standard scalar, sequence and mapping tags are accepted. Aliases
    reuse the anchored value (nothing is copied) while the expanded size is
    counted, so an alias bomb is refused as soon as it would exceed
    ``MAX_NODES``; nesting beyond ``MAX_DEPTH`` is refused before it is built.
    """
    loader = None
    try:
        loader = _DeckYamlLoader(text)  # the pure-Python reader checks characters here
        return _build_from(loader, shown, result)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and "found" in exc.problem:
            problem = f"{exc.context}: {exc.problem}"
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        if line is not None and "mapping values are not allowed" in problem:
            dedented = _dedented_line_before(text, line)
            if dedented is not None:
                at, indent, key = dedented
                raise _Refused(
                    f"YAML syntax: '{_one_line(key)}:' is indented less than the lines around "
                    "it (move it back under its card)",
                    at,
                    indent + 1,
                ) from None
        raise _Refused(f"YAML syntax: {_one_line(problem)}", line, col) from None
    except yaml.reader.ReaderError as exc:
        line, col = _text_position(text, exc.position)
        char = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        raise _Refused(
            f"character U+{char:04X} is not allowed in YAML ({exc.reason})", line, col
        ) from None
    except yaml.YAMLError as exc:
        raise _Refused(f"YAML syntax: {_one_line(str(exc))}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _build_from(loader: Any, shown: str, result: LoadResult) -> tuple[Any, _Node]:
    get_event = loader.get_event
    resolve = loader.resolve
    anchors: dict[str, tuple[Any, _Node, int]] = {}
    open_anchors: set[str] = set()
    stack: list[_Frame] = []
    root: tuple[Any, _Node] | None = None
    documents = 0

    def add(value: Any, node: _Node, size: int, at: _Node) -> None:
        """Put a finished value into the open container (or make it the document)."""
        nonlocal root
        if not stack:
            root = (value, node)
            return
        frame = stack[-1]
        if value is _MERGE and (frame.key is not _NO_KEY or isinstance(frame.data, list)):
            value = "<<"  # a '<<' that is not a key is just text
        frame.size += size
        if frame.size > MAX_NODES:
            raise _Refused(
                f"anchors and aliases expand to more than {MAX_NODES:,} values "
                "(an alias bomb?); refusing to load" if anchors else
                f"deck is too large (more than {MAX_NODES:,} values)", at.line, at.col,
            )  # fmt: skip
        data = frame.data
        if isinstance(data, list):
            data.append(value)
            frame.node.items.append(node)  # type: ignore[union-attr]
            return
        if frame.key is _NO_KEY:
            if isinstance(value, list | dict):
                raise _Refused("a mapping key must be a plain value, not a list or mapping",
                               node.line, node.col)  # fmt: skip
            frame.key, frame.key_node = value, node
            return
        key, key_node = frame.key, frame.key_node
        frame.key = _NO_KEY
        if key is _MERGE:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(s, dict) for s in sources):
                raise _Refused(
                    "'<<' must merge a mapping or a list of mappings", node.line, node.col
                )
            frame.merged = (frame.merged or []) + sources
            merge_nodes = node.items if isinstance(value, list) else [node]
            frame.node.merges = (frame.node.merges or []) + list(merge_nodes or [])
            return
        if key in data:
            result.problems.append(
                Problem(shown, key_node.line, key_node.col, "error",  # type: ignore[union-attr]
                        f"duplicate key {_short(key)!r}")
            )  # fmt: skip
        data[key] = value
        frame.node.entries[key] = (key_node, node)  # type: ignore[index]

    scalar_event = yaml.ScalarEvent
    while True:
        event = get_event()
        cls = type(event)
        if cls is scalar_event:
            mark = event.start_mark
            node = _Node(mark.line + 1, mark.column + 1)
            value = event.value
            if event.tag is not None or (
                event.implicit[0]
                and (not value or value[0] in _MAYBE_TYPED)
                and not (len(value) > 5 and value[0].isalpha())  # longer than any bool/null
            ):
                value = _scalar(event, resolve, node)
            if event.anchor is not None:
                anchors[event.anchor] = ("<<" if value is _MERGE else value, node, 1)
            elif stack and value is not _MERGE:  # the common case, inlined for speed
                frame = stack[-1]
                data = frame.data
                if frame.size < MAX_NODES:
                    if data.__class__ is list:
                        frame.size += 1
                        data.append(value)
                        frame.node.items.append(node)  # type: ignore[union-attr]
                        continue
                    key = frame.key
                    if key is _NO_KEY:
                        frame.size += 1
                        frame.key, frame.key_node = value, node
                        continue
                    if key is not _MERGE and key not in data:
                        frame.size += 1
                        frame.key = _NO_KEY
                        data[key] = value
                        frame.node.entries[key] = (frame.key_node, node)  # type: ignore[index]
                        continue
            add(value, node, 1, node)
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            node = _mark(event.start_mark)
            is_map = cls is yaml.MappingStartEvent
            tag = event.tag
            if tag is not None and tag != "!" and tag != (_MAP_TAG if is_map else _SEQ_TAG):
                raise _Refused(f"tag {_short(_shown_tag(tag))!r} is not allowed in a deck file",
                               node.line, node.col)  # fmt: skip
            if len(stack) >= MAX_DEPTH:
                raise _Refused(f"nesting is too deep (more than {MAX_DEPTH} levels)",
                               node.line, node.col)  # fmt: skip
            if is_map:
                node.entries = {}
                frame = _Frame({}, node, event.anchor)
            else:
                node.items = []
                frame = _Frame([], node, event.anchor)
            if event.anchor is not None:
                open_anchors.add(event.anchor)
            stack.append(frame)
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            frame = stack.pop()
            value = frame.data
            if frame.merged:
                merged: dict[Any, Any] = {}
                for source in reversed(frame.merged):
                    merged.update(source)
                merged.update(value)
                value.clear()
                value.update(merged)
            if frame.anchor is not None:
                open_anchors.discard(frame.anchor)
                anchors[frame.anchor] = (value, frame.node, frame.size)
            add(value, frame.node, frame.size, frame.node)
        elif cls is yaml.AliasEvent:
            at = _mark(event.start_mark)
            if event.anchor in open_anchors:
                raise _Refused(f"alias *{_short(event.anchor)} refers to its own enclosing anchor "
                               "(recursive data)", at.line, at.col)  # fmt: skip
            if event.anchor not in anchors:
                raise _Refused(f"alias *{_short(event.anchor)} has no anchor &{_short(event.anchor)} before it",
                               at.line, at.col)  # fmt: skip
            value, node, size = anchors[event.anchor]
            add(value, node, size, at)
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                at = _mark(event.start_mark)
                raise _Refused("a deck file holds one YAML document; found a second one",
                               at.line, at.col)  # fmt: skip
        elif cls is yaml.StreamEndEvent:
            break
    if root is None:
        raise _Refused("empty deck file: expected 'deck', 'title' and 'cards'", 1, 1)
    return root


_MERGE = object()  # stands for the ``<<`` key while a mapping is built


def _scalar(event: Any, resolve: Any, node: _Node) -> Any:
    """The value of a scalar event under YAML 1.1 safe-load rules (dates stay text)."""
    value: str = event.value
    tag = event.tag
    if tag is None or tag == "!":
        if tag == "!" or not event.implicit[0]:
            return value  # quoted, or explicitly non-specific: text
        if value and value[0] not in _MAYBE_TYPED:
            return value
        tag = resolve(yaml.ScalarNode, value, (True, False))
    elif tag not in _SCALAR_TAGS:
        raise _Refused(
            f"tag {_short(_shown_tag(tag))!r} is not allowed in a deck file", node.line, node.col
        )
    if tag in (_STR_TAG, _VALUE_TAG, "tag:yaml.org,2002:timestamp"):
        return value
    if tag == _MERGE_TAG:
        return _MERGE
    constructor = _DeckYamlLoader.yaml_constructors[tag]
    try:
        return constructor(_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except (ValueError, TypeError, KeyError, OverflowError):
        raise _Refused(
            f"{_short(value)!r} is not a valid {_shown_tag(tag)} value", node.line, node.col
        ) from None


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _one_line(s: str) -> str:
    return " ".join(s.split())


def _pos(node: _Node) -> tuple[int, int]:
    return node.line, node.col


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _mapping_get(node: _Node | None, key: str) -> _Node | None:
    found = _mapping_lookup(node, key)
    return found[1] if found else None


def _mapping_lookup(
    node: _Node | None, key: Any, depth: int = 0
) -> tuple[_Node | None, _Node] | None:
    """(key node, value node) for ``key`` in a mapping, following ``<<`` merges."""
    if node is None or node.entries is None or depth > MAX_DEPTH:
        return None
    found = node.entries.get(key)
    if found is not None:
        return found
    for merged in node.merges or ():
        found = _mapping_lookup(merged, key, depth + 1)
        if found is not None:
            return found
    return None


def _locate(root: _Node, keys: tuple[Any, ...]) -> tuple[_Node | None, _Node | None]:
    """Follow ``keys`` down the tree: (value node or None, key node or nearest node)."""
    node = root
    key_node: _Node | None = None
    for key in keys:
        if node.items is not None and isinstance(key, int):
            if not 0 <= key < len(node.items):
                return None, node
            node, key_node = node.items[key], None
        elif node.entries is not None:
            found = _mapping_lookup(node, key)
            if found is None:
                return None, node
            key_node, node = found
        else:
            return None, node
    return node, key_node


# --------------------------------------------------------------------------- validation

_CARD_ADAPTER: TypeAdapter[Any] = TypeAdapter(Card)
_CARD_CLASSES: dict[str, type[BaseModel]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in AnyCard.__args__  # type: ignore[attr-defined]
}
_NESTED: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (Deck, "source"): DeckSource,
    **{(cls, "source"): CardSource for cls in _CARD_CLASSES.values()},
}


def _validate(data: Any, root: _Node, shown: str, result: LoadResult) -> None:
    if not isinstance(data, dict):
        raise_at = _pos(root)
        result.problems.append(
            Problem(
                shown, *raise_at, "error",
                f"a deck file must be a mapping with 'deck', 'title' and 'cards', not {_kind_of(data)}",
            )
        )  # fmt: skip
        return
    cards_data = data.get("cards", [])
    if cards_data is None:
        cards_data = []
    source = data.get("source")
    if isinstance(source, dict) and isinstance(source.get("file"), str) and source["file"].strip():
        result.source_file = source["file"]
    header_data = {**data, "cards": []}
    try:
        result.header = Deck.model_validate(header_data)
    except ValidationError as exc:
        for err in _without_typo_duplicates([dict(e) for e in exc.errors()], Deck):
            result.problems.append(_problem_from_error(err, (), Deck, root, shown, None))
    if not isinstance(cards_data, list):
        node = _mapping_get(root, "cards") or root
        result.problems.append(
            Problem(shown, *_pos(node), "error", f"'cards' must be a list of cards, not {_kind_of(cards_data)}")
        )  # fmt: skip
        return
    cards_node = _mapping_get(root, "cards")
    seen_ids: dict[str, int] = {}
    for index, raw in enumerate(cards_data):
        prefix: tuple[str | int, ...] = ("cards", index)
        card_node = _locate(root, prefix)[0] or cards_node or root
        card_id = _raw_id(raw)
        if not isinstance(raw, dict):
            result.problems.append(
                Problem(shown, *_pos(card_node), "error",
                        f"a card must be a mapping with 'id' and 'type', not {_kind_of(raw)}")
            )  # fmt: skip
            continue
        # the id is claimed before validation: a duplicate is reported even when the
        # first card with that id (or this one) has another error
        line, col = _pos(card_node)
        first_line = seen_ids.get(card_id) if card_id is not None else None
        duplicate = first_line is not None
        if first_line is not None:
            id_pos = result.card_position(index, "id") or (line, col)
            result.problems.append(
                Problem(shown, *id_pos, "error",
                        f"duplicate card id {card_id!r} (first used at line {first_line})",
                        card_id)
            )  # fmt: skip
        elif card_id is not None:
            seen_ids[card_id] = line
        try:
            card = _CARD_ADAPTER.validate_python(raw)
        except ValidationError as exc:
            kind = raw.get("type")
            cls = _CARD_CLASSES.get(kind) if isinstance(kind, str) else None
            errors: list[dict[str, Any]] = []
            for detail in exc.errors():
                loc = tuple(detail["loc"])
                if cls is not None and loc and loc[0] == raw.get("type"):
                    loc = loc[1:]
                errors.append({**dict(detail), "loc": loc})
            for err in _without_typo_duplicates(errors, cls):
                result.problems.append(
                    _problem_from_error(err, prefix, cls, root, shown, card_id, raw)
                )
            continue
        if duplicate:
            result.duplicate_cards.append((index, card))  # still linted by quiz check
            continue
        seen_ids.setdefault(card.id, line)
        blank = _blank_field(card)
        if blank:
            pos = result.card_position(index, blank) or (line, col)
            what = (
                "is not a finite number"
                if blank == "answer" and card.type == "numeric"
                else "is empty"
            )
            result.problems.append(Problem(shown, *pos, "error", f"'{blank}' {what}", card.id))
            continue
        result.cards.append((index, card))
    _check_previous_ids(result, shown, seen_ids)


def validate_card(raw: dict[str, Any]) -> tuple[AnyCard | None, list[str]]:
    """Validate one card's data exactly as loading a deck file does.

    Returns the card, or None and the messages ``quiz check`` would print for it
    (``'answer' must be a number, not 'abc'``, ``answer 'x' is not one of the choices``).
    """
    root = _Node(1, 1)
    try:
        card = _CARD_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        kind = raw.get("type")
        cls = _CARD_CLASSES.get(kind) if isinstance(kind, str) else None
        errors = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            if cls is not None and loc and loc[0] == raw.get("type"):
                loc = loc[1:]
            errors.append({**err, "loc": loc})
        return None, [
            _problem_from_error(err, (), cls, root, "", None, raw).message
            for err in _without_typo_duplicates(errors, cls)
        ]
    blank = _blank_field(card)
    if blank:
        what = (
            "is not a finite number" if blank == "answer" and card.type == "numeric" else "is empty"
        )
        return None, [f"'{blank}' {what}"]
    return card, []


def _without_typo_duplicates(
    errors: list[dict[str, Any]], cls: type[BaseModel] | None
) -> list[dict[str, Any]]:
    """Drop "missing field X" when an unknown field next to it is a typo of X."""
    typos: set[tuple[Any, ...]] = set()
    for err in errors:
        if err["type"] == "extra_forbidden" and err["loc"]:
            owner = _model_at(cls, err["loc"][:-1])
            close = difflib.get_close_matches(str(err["loc"][-1]), _field_names(owner), 1, 0.6)
            if close:
                typos.add((*err["loc"][:-1], close[0]))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in typos)]


_MODEL_ERROR_FIELDS = (("answer ", "answer"), ("duplicate choice", "choices"))


_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "basic": ("question", "answer"),
    "short": ("question", "answer"),
    "cloze": ("text",),
    "numeric": ("question",),
    "mcq": ("question", "answer"),
    "truefalse": ("statement",),
}
_LIST_FIELDS: dict[str, str] = {"short": "accept", "mcq": "choices"}


def _blank_field(card: AnyCard) -> str | None:
    """The name of a prompt or answer field that holds only whitespace, if any."""
    fields = card.__dict__  # plain attribute access: pydantic's __getattr__ is slow on misses
    for name in _TEXT_FIELDS[card.type]:
        if not fields[name].strip():
            return name
    if card.type == "numeric" and not math.isfinite(card.answer):  # type: ignore[union-attr]
        return "answer"
    if card.type == "cloze" and any(not g.answer.strip() for g in card.gaps):  # type: ignore[union-attr]
        return "text"
    list_field = _LIST_FIELDS.get(card.type)
    if list_field and any(not v.strip() for v in fields[list_field]):
        return list_field
    return None


def _check_previous_ids(result: LoadResult, shown: str, ids: dict[str, int]) -> None:
    claimed: dict[str, str] = {}
    for index, card in result.cards:
        for old in card.previous_ids:
            line, col = result.card_position(index, "previous_ids") or (None, None)
            if old in ids and old != card.id:
                result.problems.append(
                    Problem(shown, line, col, "error",
                            f"previous id {old!r} is the id of another card", card.id)
                )  # fmt: skip
            elif old in claimed and claimed[old] != card.id:
                result.problems.append(
                    Problem(shown, line, col, "error",
                            f"previous id {old!r} is also claimed by card {claimed[old]!r}", card.id)
                )  # fmt: skip
            claimed.setdefault(old, card.id)


def _raw_id(raw: Any) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            text = str(value)
            return text if text.isprintable() and len(text) <= 128 else None
    return None


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _model_at(cls: type[BaseModel] | None, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc`` (for field suggestions)."""
    for key in loc:
        if cls is None:
            return None
        if isinstance(key, str):
            cls = _NESTED.get((cls, key))
        else:
            return None
    return cls


def _field_names(cls: type[BaseModel] | None) -> list[str]:
    return list(cls.model_fields) if cls is not None else []


def _suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _problem_from_error(
    err: dict[str, Any],
    prefix: tuple[str | int, ...],
    cls: type[BaseModel] | None,
    root: _Node,
    shown: str,
    card_id: str | None,
    raw: Any = None,
) -> Problem:
    """Turn one pydantic error into a Problem at the YAML position it is about."""
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    full = prefix + loc
    node, near = _locate(root, full)
    target = node or near or root
    name = str(loc[-1]) if loc else ""
    where = _field_label(loc)
    if kind == "extra_forbidden":
        owner = _model_at(cls, loc[:-1])
        key_found = _locate(root, full[:-1])[0]
        found = _mapping_lookup(key_found, name)
        target = (found[0] if found else None) or target
        msg = f"unknown field {_short(name)!r}{_suggest(name, _field_names(owner))}"
    elif kind == "missing":
        msg = f"missing field {where!r}"
        target = _locate(root, full[:-1])[0] or target
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = raw.get("type") if isinstance(raw, dict) else None
        types = ", ".join(CARD_TYPES)
        if kind == "union_tag_not_found" or tag is None:
            msg = f"missing field 'type' (one of {types})"
            target = _locate(root, prefix)[0] or target
        else:
            found = _mapping_lookup(_locate(root, prefix)[0], "type")
            target = found[1] if found else target
            msg = f"unknown card type {_short(tag)!r}{_suggest(str(tag), CARD_TYPES)}; expected one of {types}"
    elif kind == "literal_error" and name == "kind":
        value = err.get("input")
        msg = f"unknown kind {_short(value)!r}{_suggest(str(value), CARD_KINDS)}; expected one of {', '.join(CARD_KINDS)}"
    elif kind == "string_type" and err.get("input") is None:
        msg = f"'{where}' is empty"
    elif kind == "invalid_key":
        msg = f"field names must be text, not {_short(err.get('input'))!r}"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]  # fmt: skip
        msg = f"'{where}' must be {words} {bound}"
    elif kind == "string_type":
        msg = f"'{where}' must be text, not {_kind_of(err.get('input'))}"
        if isinstance(err.get("input"), bool):
            msg += " (YAML reads bare yes/no/on/off/true/false as true/false; put it in quotes)"
    elif kind == "string_too_short" or (kind == "too_short" and isinstance(err.get("input"), str)):
        msg = f"'{where}' is empty"
    elif kind == "string_pattern_mismatch":
        if loc == ("id",):
            msg = (f"card id {_short(err.get('input'))!r} may hold only letters, digits and "
                   ". _ : - (at most 128 characters, starting with a letter or digit)")  # fmt: skip
        elif loc == ("deck",):
            msg = (f"deck id {_short(err.get('input'))!r} must be a lowercase slug "
                   "(a-z, 0-9 and '-', at most 80 characters)")  # fmt: skip
        else:
            msg = (f"'{where}' value {_short(err.get('input'))!r} may hold only letters, digits "
                   "and . _ : - (at most 128 characters, starting with a letter or digit)")  # fmt: skip
    elif kind in ("too_short", "too_long") and name == "choices":
        n = ctx.get("actual_length")
        msg = f"an mcq card needs 3 to 6 choices, found {n}"
    elif kind in ("too_short", "too_long"):
        msg = f"'{where}' {err['msg'].lower()}"
    elif kind in ("bool_type", "bool_parsing"):
        msg = f"'{where}' must be true or false, not {_short(err.get('input'))!r}"
    elif kind in ("float_type", "float_parsing", "int_type", "int_parsing", "finite_number"):
        msg = f"'{where}' must be a number, not {_short(err.get('input'))!r}"
    elif kind == "list_type":
        msg = f"'{where}' must be a list, not {_kind_of(err.get('input'))}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        msg = f"'{where}' must be a mapping, not {_kind_of(err.get('input'))}"
    elif kind == "value_error":
        text = str(ctx.get("error") or err["msg"]).removeprefix("Value error, ")
        if not loc:  # a check of the whole card: point at the field it is about
            for start, fld in _MODEL_ERROR_FIELDS:
                if text.startswith(start):
                    target = _locate(root, (*prefix, fld))[0] or target
        msg = f"'{where}': {text}" if where and name not in ("", "type") else text
    else:
        msg = f"'{where}': {err['msg']}" if where else err["msg"]
    line, col = _pos(target)
    return Problem(shown, line, col, "error", _one_line(msg), card_id)


def _field_label(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        else:
            parts.append(("." if parts else "") + str(key))
    return "".join(parts)


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value) if not isinstance(value, str) else value
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= limit else text[: limit - 1] + "…"
