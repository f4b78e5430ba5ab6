"""Delimited text (tab or comma separated) as Anki and spreadsheets write it.

Quoting follows RFC 4180 as Anki's ``csv`` crate reads it: a field that starts
with ``"`` runs to the next lone ``"``, ``""`` inside it is one quote, and it may
hold delimiters and newlines. Outside quotes a ``"`` is an ordinary character.
Records that start with ``#`` are comments, as in Anki.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

DELIMITER_NAMES = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}


@dataclass(frozen=True)
class Record:
    """One row of a delimited file and the line it starts on (1-based)."""

    line: int
    fields: list[str]


def parse_delimiter(value: str) -> str | None:
    """The delimiter named by an Anki ``#separator:`` value (``tab``, ``,``...), or None."""
    name = value.strip().lower()
    if name in DELIMITER_NAMES:
        return DELIMITER_NAMES[name]
    if value in DELIMITER_NAMES.values() or value == "\t":
        return value
    return None


_QUOTED_RE = re.compile(r'"((?:[^"]+|"")*)(?:"|\Z)', re.DOTALL)


def read_records(
    text: str, delimiter: str, first_line: int = 1, comment: str | None = "#"
) -> Iterator[Record]:
    """Split ``text`` into records; blank lines and comment records are skipped.

    A quote left open at the end of the text closes there.
    """
    plain_re = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    line = first_line
    i, n = 0, len(text)
    while i < n:
        start_line = line
        if comment and text.startswith(comment, i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            line += 1
            continue
        fields: list[str] = []
        while True:
            value = ""
            quoted = _QUOTED_RE.match(text, i) if text.startswith('"', i) else None
            if quoted:
                value = quoted.group(1).replace('""', '"')
                line += value.count("\n")
                i = quoted.end()
            rest = plain_re.match(text, i)
            if rest:  # always: the pattern may match nothing
                value += rest.group(0)
                i = rest.end()
            fields.append(value)
            if i < n and text[i] == delimiter:
                i += 1
                continue
            break
        if text.startswith("\r", i):
            i += 1
        if text.startswith("\n", i):
            i += 1
        line += 1
        if fields != [""]:
            yield Record(start_line, fields)


def format_field(value: str, delimiter: str) -> str:
    """One field, quoted (quotes doubled) when it holds the delimiter, a quote,
    a line break, or starts with ``#`` (which Anki would read as a comment)."""
    if (
        delimiter in value
        or '"' in value
        or "\n" in value
        or "\r" in value
        or value.startswith("#")
    ):
        return '"' + value.replace('"', '""') + '"'
    return value


def format_record(values: Iterable[str], delimiter: str) -> str:
    """One record as a line (without the line ending)."""
    return delimiter.join(format_field(v, delimiter) for v in values)


def sniff_delimiter(line: str) -> str:
    """The likeliest delimiter of a header or first line: tab if there is one, else
    comma or semicolon, whichever occurs more outside quotes."""
    counts = {d: 0 for d in ("\t", ",", ";")}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    if counts["\t"]:
        return "\t"
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else "\t"
