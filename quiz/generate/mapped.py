"""Text that remembers, for every character, the line of the original file it came from."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class MappedText:
    """A string plus the original (1-based) line number of each of its characters."""

    text: str = ""
    lines: list[int] = field(default_factory=list)

    @classmethod
    def from_line(cls, text: str, line: int) -> MappedText:
        return cls(text, [line] * len(text))

    def __len__(self) -> int:
        return len(self.text)

    def append(self, other: MappedText | str, line: int | None = None) -> None:
        """Append text; plain strings take ``line`` (or the last line seen)."""
        if isinstance(other, MappedText):
            self.text += other.text
            self.lines.extend(other.lines)
            return
        if line is None:
            line = self.lines[-1] if self.lines else 1
        self.text += other
        self.lines.extend([line] * len(other))

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.lines[start:end])

    def strip(self) -> MappedText:
        s = self.text
        start = len(s) - len(s.lstrip())
        end = len(s.rstrip())
        return self.slice(start, max(start, end))

    def sub(
        self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]
    ) -> MappedText:
        """Like ``re.sub``; replaced characters map to the line of the match's first character.

        ``repl`` may be a plain string (``\\1`` group references are expanded) or a function.
        When the replacement equals one group of the match, that group's own map is kept.
        """
        out_text: list[str] = []
        out_lines: list[int] = []
        pos = 0
        s = self.text
        for m in pattern.finditer(s):
            out_text.append(s[pos : m.start()])
            out_lines.extend(self.lines[pos : m.start()])
            new = repl(m) if callable(repl) else m.expand(repl)
            kept = False
            for g in range(1, (pattern.groups or 0) + 1):
                if m.group(g) is not None and m.group(g) == new and new:
                    out_text.append(new)
                    out_lines.extend(self.lines[m.start(g) : m.end(g)])
                    kept = True
                    break
            if not kept and new:
                out_text.append(new)
                line = (
                    self.lines[m.start()]
                    if m.start() < len(self.lines)
                    else (self.lines[-1] if self.lines else 1)
                )
                out_lines.extend([line] * len(new))
            pos = m.end()
        if pos == 0 and not out_text:
            return self
        out_text.append(s[pos:])
        out_lines.extend(self.lines[pos:])
        return MappedText("".join(out_text), out_lines)
