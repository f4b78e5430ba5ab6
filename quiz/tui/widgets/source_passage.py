"""The passage of the report a card came from, with the answer highlighted."""

from __future__ import annotations

import re

from textual.content import Content
from textual.widgets import Static

from quiz.deck.model import AnyCard, ClozeCard, NumericCard, TrueFalseCard, format_number
from quiz.tui.text import Builder


def answer_needles(card: AnyCard) -> list[str]:
    """The strings that, found in the passage, are the answer."""
    needles: list[str] = []
    if isinstance(card, ClozeCard):
        for gap in card.gaps:
            needles.extend(gap.accepted)
    elif isinstance(card, NumericCard):
        x = card.answer
        forms = {format_number(x), f"{x:,}", str(x)}
        if float(x).is_integer():
            forms |= {str(int(x)), f"{int(x):,}"}
        needles.extend(sorted(forms, key=len, reverse=True))
    elif isinstance(card, TrueFalseCard):
        return []
    else:
        needles.extend(card.accepted_answers)
    return [n for n in needles if n and n.strip()]


STOP_WORDS = frozenset(
    [
        "about",
        "after",
        "also",
        "among",
        "and",
        "are",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "can",
        "could",
        "did",
        "does",
        "down",
        "each",
        "even",
        "from",
        "further",
        "have",
        "having",
        "here",
        "into",
        "its",
        "itself",
        "just",
        "more",
        "most",
        "much",
        "must",
        "not",
        "now",
        "only",
        "other",
        "over",
        "own",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "too",
        "under",
        "until",
        "very",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "your",
        "because",
        "unlike",
        "since",
        "although",
        "however",
    ]
)
WORD_RE = re.compile(r"[^\W_][\w'’.-]*[^\W_]|\d", re.UNICODE)


def answer_words(card: AnyCard) -> list[str]:
    """Telling words of the answer that the question does not already contain.

    Used when the answer is not quoted word for word (e.g. a paraphrased basic card).
    """
    asked = {w.casefold() for w in WORD_RE.findall(card.prompt)}
    words = []
    for word in WORD_RE.findall(card.canonical_answer):
        key = word.casefold()
        if key in asked or key in STOP_WORDS:
            continue
        if len(word) >= 4 or any(ch.isdigit() for ch in word):
            words.append(word)
    return words


def find_spans(passage: str, needles: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of ``needles`` in ``passage``, case-insensitive.

    Numbers only match whole (``40`` is not found inside ``400``).
    """
    spans: list[tuple[int, int]] = []
    for needle in sorted(set(needles), key=len, reverse=True):
        pattern = re.escape(needle.strip())
        if needle.strip()[:1].isalnum():
            pattern = r"(?<![\w.])" + pattern
        if needle.strip()[-1:].isalnum():
            pattern = pattern + r"(?![\w]|\.\d)"
        for match in re.finditer(pattern, passage, flags=re.IGNORECASE):
            start, end = match.span()
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
    return sorted(spans)


def passage_content(card: AnyCard) -> Content | None:
    """The card's source passage with the answer highlighted, or None without a quote."""
    source = card.source
    if source is None or not (source.quote or "").strip():
        return None
    quote = source.quote or ""
    spans = find_spans(quote, answer_needles(card))
    if not spans and not isinstance(card, TrueFalseCard):
        spans = find_spans(quote, answer_words(card))
    out = Builder()
    pos = 0
    for start, end in spans:
        out.add(quote[pos:start])
        out.add(quote[start:end], "bold $text-accent on $accent-muted")
        pos = end
    out.add(quote[pos:])
    where = []
    if source.section:
        where.append("§ " + " ".join(source.section.split()))
    if source.line:
        where.append(f"line {source.line}")
    if where:
        out.add("\n").add(" · ".join(where), "$text-muted", newlines=False)
    return out.build()


class SourcePassage(Static):
    """Shows the source passage; hidden when the card has none."""

    DEFAULT_CSS = """
    SourcePassage { height: auto; border-left: thick $primary; padding: 0 1; color: $text; }
    """

    def show(self, card: AnyCard) -> None:
        content = passage_content(card)
        self.display = content is not None
        self.update(content or "")
