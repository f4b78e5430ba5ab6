"""Small helpers for messages people read: counts in words, percentages, untrusted text shown literally."""

from __future__ import annotations

import unicodedata
from typing import Any


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 card``, ``2 cards``; ``many`` for irregular plurals (``leech``/``leeches``)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage (``0.873`` is ``87.3%``); ``—`` when unknown."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def literal(text: Any) -> str:
    """``text`` with control and format characters shown as escapes (``\\x1b``).

    Newlines and tabs stay; nothing can act on the terminal.
    """
    out = []
    for ch in str(text):
        if ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") or ch in "\u2028\u2029":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with ``=``, ``+``, ``-``, ``@``,
    tab or carriage return gets a leading ``'`` (OWASP, CSV injection). Numbers are kept."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
