"""Read deck files: safe YAML with positions, validated into a ``Deck``.

``load_deck`` returns a valid deck or raises the first problem as a
``DeckError`` (``FILE:LINE:COL: error: message [card]``). ``read_deck`` keeps
going and collects every problem, for ``quiz check``.

Deck files are untrusted. YAML is read with safe-load semantics (libyaml's C
loader when available); only the standard YAML tags are accepted; anchors and
aliases are counted before any data is built, so an alias bomb is refused
cheaply; nesting depth and file size are bounded.
"""

from __future__ import annotations

import difflib
import math
import os
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
MAX_NODES = 1_000_000
"""Most YAML nodes a deck may expand to, aliases counted at every use."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted."""

Severity = Literal["error", "warning"]

_SAFE_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("null", "bool", "int", "float", "str", "timestamp", "seq", "map",
                 "omap", "pairs", "set", "merge", "value")
)  # fmt: skip
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DeckYamlLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as the text written (``published: 2020-02-01``)."""


_DeckYamlLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _DeckYamlLoader.construct_yaml_str
)


@dataclass(frozen=True, order=True)
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
    root: yaml.Node | None = None

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
        return list(node.value) if isinstance(node, yaml.SequenceNode) else []

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
    shown = str(path)
    try:
        text = _read_text(p)
        root = _compose(text)
        _check_tree(root, shown, result)
        if result.errors:
            return result
        data = _construct(root)
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
    if stat.S_ISDIR(st.st_mode):
        raise _Refused("is a directory, not a deck file")
    if not stat.S_ISREG(st.st_mode):
        raise _Refused("not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise _Refused(
            f"file is too large ({st.st_size / 1048576:.1f} MB; a deck may be at most "
            f"{MAX_FILE_BYTES // 1048576} MB)"
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise _Refused("permission denied") from None
    except OSError as exc:
        raise _Refused(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _Refused(f"file is too large (a deck may be at most {MAX_FILE_BYTES // 1048576} MB)")
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


def _compose(text: str) -> yaml.Node:
    """Parse YAML into a node tree with positions; syntax errors become ``_Refused``."""
    loader = _DeckYamlLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "another document" in problem:
            problem = "a deck file holds one YAML document; found a second one"
        elif exc.context and exc.problem and "found" in exc.problem:
            problem = f"{exc.context}: {exc.problem}"
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise _Refused(f"YAML syntax: {_one_line(problem)}", line, col) from None
    except yaml.reader.ReaderError as exc:
        line, col = _text_position(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise _Refused(f"character U+{char:04X} is not allowed in YAML ({exc.reason})", line, col) from None
    except yaml.YAMLError as exc:
        raise _Refused(f"YAML syntax: {_one_line(str(exc))}") from None
    except RecursionError:
        raise _Refused(f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
    if root is None:
        raise _Refused("empty deck file: expected 'deck', 'title' and 'cards'", 1, 1)
    return root


def _one_line(s: str) -> str:
    return " ".join(s.split())


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_tree(root: yaml.Node, shown: str, result: LoadResult) -> None:
    """Refuse unsafe tags, deep nesting, recursive or exploding aliases; flag duplicate keys.

    Walks each distinct node once and counts how many nodes the data would
    have with every alias expanded, so nothing exponential is ever built.
    """
    sizes: dict[int, int] = {}
    # stack entries: (node, depth, children_done)
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    open_nodes: set[int] = set()
    aliased = False
    while stack:
        node, depth, done = stack.pop()
        nid = id(node)
        if done:
            open_nodes.discard(nid)
            total = 1
            for child in _children(node):
                total += sizes[id(child)]
            if total > MAX_NODES:
                line, col = _pos(node)
                if aliased:
                    raise _Refused(
                        f"anchors and aliases expand to more than {MAX_NODES:,} values "
                        "(an alias bomb?); refusing to load",
                        line,
                        col,
                    )
                raise _Refused(f"deck is too large (more than {MAX_NODES:,} values)", line, col)
            sizes[nid] = total
            continue
        if nid in sizes:
            aliased = True
            continue
        if nid in open_nodes:
            line, col = _pos(node)
            raise _Refused("an alias refers to its own enclosing anchor (recursive data)", line, col)
        if depth > MAX_DEPTH:
            line, col = _pos(node)
            raise _Refused(f"nesting is too deep (more than {MAX_DEPTH} levels)", line, col)
        if node.tag not in _SAFE_TAGS:
            line, col = _pos(node)
            raise _Refused(f"tag {_shown_tag(node.tag)!r} is not allowed in a deck file", line, col)
        if isinstance(node, yaml.ScalarNode):
            sizes[nid] = 1
            continue
        open_nodes.add(nid)
        stack.append((node, depth, True))
        if isinstance(node, yaml.MappingNode):
            _check_duplicate_keys(node, shown, result)
        for child in reversed(_children(node)):
            stack.append((child, depth + 1, False))


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        out: list[yaml.Node] = []
        for k, v in node.value:
            out.append(k)
            out.append(v)
        return out
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_duplicate_keys(node: yaml.MappingNode, shown: str, result: LoadResult) -> None:
    seen: set[str] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE_TAG:
            if key.value in seen:
                line, col = _pos(key)
                result.problems.append(
                    Problem(shown, line, col, "error", f"duplicate key {key.value!r}")
                )
            seen.add(key.value)


def _construct(root: yaml.Node) -> Any:
    loader = _DeckYamlLoader("")
    try:
        return loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        problem = _one_line(exc.problem or "invalid YAML value")
        raise _Refused(f"invalid YAML value: {problem}", line, col) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # e.g. an unhashable mapping key ({[a]: 1}) or a malformed !!binary value
        raise _Refused(f"invalid YAML value: {_one_line(str(exc))}", *_pos(root)) from None
    except RecursionError:
        raise _Refused(f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()


def _mapping_get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    found = _mapping_lookup(node, key)
    return found[1] if found else None


def _mapping_lookup(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) for ``key`` in a mapping node, following ``<<`` merges."""
    if not isinstance(node, yaml.MappingNode):
        return None
    merges: list[yaml.Node] = []
    for k, v in reversed(node.value):
        if isinstance(k, yaml.ScalarNode):
            if k.tag == _MERGE_TAG:
                merges.extend(v.value if isinstance(v, yaml.SequenceNode) else [v])
            elif k.value == key:
                return k, v
    for m in merges:
        found = _mapping_lookup(m, key)
        if found:
            return found
    return None


def _locate(
    root: yaml.Node, keys: tuple[str | int, ...]
) -> tuple[yaml.Node | None, yaml.Node | None]:
    """Follow ``keys`` down the node tree: (value node or None, nearest node on the way)."""
    node: yaml.Node = root
    key_node: yaml.Node | None = None
    for key in keys:
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if not 0 <= key < len(node.value):
                return None, node
            node, key_node = node.value[key], None
        elif isinstance(node, yaml.MappingNode) and isinstance(key, str):
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


def _validate(data: Any, root: yaml.Node, shown: str, result: LoadResult) -> None:
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
    header_data = {**data, "cards": []}
    try:
        result.header = Deck.model_validate(header_data)
    except ValidationError as exc:
        for err in exc.errors():
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
        try:
            card = _CARD_ADAPTER.validate_python(raw)
        except ValidationError as exc:
            cls = _CARD_CLASSES.get(raw.get("type")) if isinstance(raw.get("type"), str) else None
            errors = []
            for err in exc.errors():
                loc = tuple(err["loc"])
                if cls is not None and loc and loc[0] == raw.get("type"):
                    loc = loc[1:]
                errors.append({**err, "loc": loc})
            for err in _without_typo_duplicates(errors, cls):
                result.problems.append(
                    _problem_from_error(err, prefix, cls, root, shown, card_id, raw)
                )
            continue
        line, col = _pos(card_node)
        if card.id in seen_ids:
            id_pos = result.card_position(index, "id") or (line, col)
            result.problems.append(
                Problem(shown, *id_pos, "error",
                        f"duplicate card id {card.id!r} (first used at line {seen_ids[card.id]})",
                        card.id)
            )  # fmt: skip
            continue
        seen_ids[card.id] = line
        blank = _blank_field(card)
        if blank:
            pos = result.card_position(index, blank) or (line, col)
            what = "is not a finite number" if blank == "answer" and card.type == "numeric" else "is empty"
            result.problems.append(Problem(shown, *pos, "error", f"'{blank}' {what}", card.id))
            continue
        result.cards.append((index, card))
    _check_previous_ids(result, shown, seen_ids)


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


def _blank_field(card: AnyCard) -> str | None:
    """The name of a prompt or answer field that holds only whitespace, if any."""
    for name in ("question", "statement", "text", "answer"):
        value = getattr(card, name, None)
        if isinstance(value, str) and not value.strip():
            return name
    if card.type == "numeric" and not math.isfinite(card.answer):  # type: ignore[union-attr]
        return "answer"
    if card.type == "cloze" and any(not g.answer.strip() for g in card.gaps):  # type: ignore[union-attr]
        return "text"
    for name in ("choices", "accept"):
        values = getattr(card, name, None) or []
        if any(not v.strip() for v in values):
            return name
    return None


def _check_previous_ids(result: LoadResult, shown: str, ids: dict[str, int]) -> None:
    claimed: dict[str, str] = {}
    for index, card in result.cards:
        for old in card.previous_ids:
            pos = result.card_position(index, "previous_ids")
            if old in ids and old != card.id:
                result.problems.append(
                    Problem(shown, *(pos or (None, None)), "error",
                            f"previous id {old!r} is the id of another card", card.id)
                )  # fmt: skip
            elif old in claimed and claimed[old] != card.id:
                result.problems.append(
                    Problem(shown, *(pos or (None, None)), "error",
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
    root: yaml.Node,
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
        target = found[0] if found else target
        msg = f"unknown field {name!r}{_suggest(name, _field_names(owner))}"
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
    elif kind == "string_type":
        msg = f"'{where}' must be text, not {_kind_of(err.get('input'))}"
    elif kind == "string_too_short":
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
