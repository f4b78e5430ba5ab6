"""Small helpers for wording counts in messages people read."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 card``, ``2 cards``; ``many`` for irregular plurals (``leech``/``leeches``)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"
