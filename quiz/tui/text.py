"""Untrusted text made safe to show: every character visible, nothing interpreted.

Card text and names come from deck files and databases. Markup (``[bold]``,
``[/]``), template variables (``$var``), ANSI escapes and control characters
must appear literally, never change the display or crash a widget. Styles may
use theme variables (``$error``) because they never come from the data.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

Part = tuple[str, str]


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: object, *, newlines: bool = True) -> str:
    """The text with control characters written out (``\\x1b``) and tabs as spaces."""
    s = "" if value is None else str(value)
    s = s.replace("\r\n", "\n").replace("\t", "    ")
    s = _CONTROL.sub(_visible, s)
    if not newlines:
        s = s.replace("\n", " ")
    return s


def one_line(value: object, width: int | None = None) -> str:
    """The text on one line, shortened with an ellipsis to ``width`` characters."""
    s = " ".join(visible(value, newlines=False).split())
    if width is not None and len(s) > width:
        s = s[: max(0, width - 1)] + "…"
    return s


def literal(value: object, style: str = "", *, newlines: bool = True) -> Content:
    """Content that shows ``value`` literally (no markup, no escapes), in ``style``."""
    return Content.assemble((visible(value, newlines=newlines), style))


def cell(value: object, width: int | None = None, style: str = "") -> Text:
    """A one-line Rich ``Text`` for a DataTable cell (cells parse plain strings as markup)."""
    return Text(one_line(value, width), style=style)


class Builder:
    """Assembles Content from literal pieces of text, each with an optional style."""

    def __init__(self) -> None:
        self.parts: list[Part | Content] = []

    def add(self, value: object, style: str = "", *, newlines: bool = True) -> Builder:
        """Append ``value`` shown literally."""
        self.parts.append((visible(value, newlines=newlines), style))
        return self

    def add_content(self, content: Content) -> Builder:
        self.parts.append(content)
        return self

    def build(self) -> Content:
        return Content.assemble(*self.parts)


def theme_color(app: object, name: str, fallback: str) -> str:
    """The current theme's colour for a variable like ``success`` (for Rich cells)."""
    try:
        value = app.get_css_variables().get(name)  # type: ignore[attr-defined]
    except Exception:
        value = None
    return value or fallback
