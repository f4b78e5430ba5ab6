"""Anki field HTML as plain text: tags dropped, line breaks kept, entities decoded."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAK_TAGS = frozenset({"br"})
_BLOCK_TAGS = frozenset(
    {"div", "p", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
     "blockquote", "pre", "hr", "section", "article", "dd", "dt"}
)  # fmt: skip
_HIDDEN_TAGS = frozenset({"style", "script", "head", "title"})
_HTML_HINT_RE = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^<>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);"
)


def looks_like_html(text: str) -> bool:
    """True if ``text`` holds an HTML tag or entity (how Anki guesses ``#html``)."""
    return bool(_HTML_HINT_RE.search(text))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BREAK_TAGS:
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK_TAGS:
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: ``<br>``, ``<div>`` and ``<p>`` become line
    breaks, other tags vanish, entities (``&amp;``, ``&nbsp;``) are decoded."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    text = "".join(collector.parts).replace("\u00a0", " ").replace("\r\n", "\n")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
