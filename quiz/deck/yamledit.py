"""Change one card of a deck file in place, keeping every other line as it was.

``edit_card(text, card_id, changes)`` returns the file's text with only the
lines of the changed fields of that card rewritten: comments, blank lines,
quoting and the order of cards and keys elsewhere stay byte for byte. It works
on the positions PyYAML's composer gives every node (start and end marks).

A changed field is written the way ``quiz generate`` writes it (the deck
writer's dumper) at the key's own indentation. A card the field-level edit
cannot express (a flow mapping ``- {id: a, ...}``, a key only present through
a ``<<`` merge that must go) is rewritten whole, in block style. Every result
is read back and compared with what was asked: the edit is refused
(``YamlEditError``) rather than written when the data would differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

import yaml

from quiz.deck.writer import _CARD_KEY_ORDER, _Dumper

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlEditError(Exception):
    """The card could not be changed in place (not found, or an edit would not read back)."""


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()
"""A change value that removes the key from the card."""


class _Lines:
    """Character offsets of line starts, to turn (line, column) marks into offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def offset(self, mark: Any) -> int:
        return self.starts[mark.line] + mark.column

    def line_end(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end


def _content_end(node: yaml.Node, lines: _Lines) -> int:
    """Offset just after the last character that belongs to ``node`` (not trailing comments)."""
    if isinstance(node, yaml.ScalarNode):
        end = lines.offset(node.end_mark)
        if node.style in ("|", ">"):  # a block scalar ends on the line after its content
            start = lines.offset(node.start_mark)
            text = lines.text
            while end > start and text[end - 1] in " \t\r\n":
                end -= 1
        return end
    assert isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
    if node.flow_style or not node.value:
        return lines.offset(node.end_mark)
    last = node.value[-1]
    if isinstance(node, yaml.MappingNode):
        last = last[1]
    return _content_end(last, lines)


def _dump_entry(key: str, value: Any, indent: int) -> str:
    """``key: value`` as the deck writer writes it, continuation lines indented by ``indent``."""
    text = yaml.dump(
        {key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88
    ).rstrip("\n")
    pad = " " * indent
    return "\n".join(
        line if i == 0 or not line else pad + line for i, line in enumerate(text.split("\n"))
    )


def _dump_mapping(data: Mapping[str, Any], indent: int) -> str:
    text = yaml.dump(
        dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88
    ).rstrip("\n")
    pad = " " * indent
    return "\n".join(
        line if i == 0 or not line else pad + line for i, line in enumerate(text.split("\n"))
    )


def _cards_node(root: yaml.Node | None) -> yaml.SequenceNode:
    if not isinstance(root, yaml.MappingNode):
        raise YamlEditError("the deck file is not a mapping with 'cards'")
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "cards":
            if isinstance(value, yaml.SequenceNode):
                return value
            break
    raise YamlEditError("the deck file has no list of 'cards'")


def _card_node(cards: yaml.SequenceNode, card_id: str) -> yaml.MappingNode:
    for node in cards.value:
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            if (
                isinstance(key, yaml.ScalarNode)
                and key.value == "id"
                and isinstance(value, yaml.ScalarNode)
                and value.value == card_id
            ):
                return node
    raise YamlEditError(f"card {card_id!r} is not in the deck file")


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise YamlEditError(
            f"the deck file is not valid YAML: {' '.join(str(exc).split())}"
        ) from None


def _load(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise YamlEditError(
            f"the edited file would not be valid YAML: {' '.join(str(exc).split())}"
        ) from None


def _raw_card(data: Any, card_id: str) -> dict[str, Any] | None:
    for raw in (data or {}).get("cards") or []:
        if isinstance(raw, dict) and str(raw.get("id")) == card_id:
            return raw
    return None


def _expected(data: Any, card_id: str, changes: Mapping[str, Any]) -> Any:
    """The whole file's data once the changes are made (a shallow copy where it changes)."""
    out = dict(data)
    cards = []
    for raw in data.get("cards") or []:
        if isinstance(raw, dict) and str(raw.get("id")) == card_id:
            raw = dict(raw)
            for key, value in changes.items():
                if value is DELETE:
                    raw.pop(key, None)
                else:
                    raw[key] = value
        cards.append(raw)
    out["cards"] = cards
    return out


def _field_edit(text: str, card_id: str, changes: Mapping[str, Any]) -> str:
    """Rewrite only the lines of the changed keys (and insert new keys after their neighbours)."""
    lines = _Lines(text)
    card = _card_node(_cards_node(_compose(text)), card_id)
    if card.flow_style:
        raise YamlEditError("flow-style card")
    entries = {k.value: (k, v) for k, v in card.value if isinstance(k, yaml.ScalarNode)}
    if not entries:
        raise YamlEditError("empty card")
    indent = min(k.start_mark.column for k, _ in entries.values())
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    for key, value in changes.items():
        if key in entries:
            knode, vnode = entries[key]
            start = lines.offset(knode.start_mark)
            end = _content_end(vnode, lines)
            if value is DELETE:
                line_start = lines.starts[knode.start_mark.line]
                if text[line_start:start].strip() not in ("", "-"):
                    raise YamlEditError(f"cannot remove {key!r}: it shares its line")
                if text[line_start:start].strip() == "-":
                    raise YamlEditError(f"cannot remove {key!r}: the card starts with it")
                edits.append((line_start, lines.line_end(end) + 1, ""))
            else:
                edits.append((start, end, _dump_entry(key, value, knode.start_mark.column)))
            continue
        if value is DELETE:
            continue
        # a new key: after the nearest key that comes before it in the writer's order
        order = {k: i for i, k in enumerate(_CARD_KEY_ORDER)}
        rank = order.get(key, len(order))
        before = [k for k in entries if order.get(k, len(order)) <= rank]
        anchor_key = before[-1] if before else list(entries)[-1]
        if before:
            anchor_key = max(before, key=lambda k: lines.offset(entries[k][0].start_mark))
        at = lines.line_end(_content_end(entries[anchor_key][1], lines))
        edits.append((at, at, "\n" + " " * indent + _dump_entry(key, value, indent)))
    edits.sort(key=lambda e: (e[0], e[1]))
    for (_s1, e1, _), (s2, _e2, _) in pairwise(edits):
        if s2 < e1:
            raise YamlEditError("overlapping edits")
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def _card_rewrite(text: str, card_id: str, new_card: Mapping[str, Any]) -> str:
    """Rewrite the card's whole node in block style (keeping the lines around it)."""
    lines = _Lines(text)
    card = _card_node(_cards_node(_compose(text)), card_id)
    start = lines.offset(card.start_mark)
    end = _content_end(card, lines)
    column = card.start_mark.column
    return text[:start] + _dump_mapping(new_card, column) + text[end:]


def _ordered_card(raw: Mapping[str, Any]) -> dict[str, Any]:
    order = {k: i for i, k in enumerate(_CARD_KEY_ORDER)}
    return dict(sorted(raw.items(), key=lambda kv: order.get(kv[0], len(order))))


def edit_card(text: str, card_id: str, changes: Mapping[str, Any]) -> str:
    """The deck file's text with the card ``card_id`` changed by ``changes``.

    ``changes`` maps field names to their new plain value (text, number, bool,
    list, mapping) or to ``DELETE``. Only the changed fields' lines change.
    Raises ``YamlEditError`` when the card is missing or the change cannot be
    written so that the file reads back as intended.
    """
    if not changes:
        return text
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    crlf = "\r\n" in text
    if bom or crlf:  # work on plain "\n" text, give the file its own form back
        plain = text.removeprefix(bom).replace("\r\n", "\n")
        out = edit_card(plain, card_id, changes)
        return bom + (out.replace("\n", "\r\n") if crlf else out)
    data = _load(text)
    if not isinstance(data, dict) or _raw_card(data, card_id) is None:
        raise YamlEditError(f"card {card_id!r} is not in the deck file")
    expected = _expected(data, card_id, changes)
    try:
        new_text = _field_edit(text, card_id, changes)
        if _load(new_text) == expected:
            return new_text
    except YamlEditError:
        pass
    new_card = _raw_card(expected, card_id)
    assert new_card is not None
    new_text = _card_rewrite(text, card_id, _ordered_card(new_card))
    if _load(new_text) != expected:
        raise YamlEditError(f"card {card_id!r} cannot be changed in place (anchors or aliases?)")
    return new_text
