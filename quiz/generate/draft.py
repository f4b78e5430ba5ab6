"""A card draft, and the context a template builds it from (the sentence and the document)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quiz.generate.clean import CleanedText
from quiz.generate.sentences import Sentence

if TYPE_CHECKING:
    from quiz.generate.candidates import Span
    from quiz.generate.templates.choices import Pools

_WS = re.compile(r"\s+")


def stable_hash(*parts: str, n: int = 10) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:n]


def norm_sentence(text: str) -> str:
    """A sentence reduced to lowercase words: the key of stable ids."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass
class Draft:
    """A card before it becomes a deck model object."""

    template: str
    kind: str  # fact | argument | quote
    type: str  # deck card type
    fields: dict[str, Any]
    answer: str  # the answer as it appears in the quote
    quote: str
    quote_start: int
    section: str
    line: int
    block: int
    sentence_key: str
    score: float = 0.0
    bonus: float = 0.0  # template-specific worth, added to the score by ranking
    unresolved: int = 0  # references in the prompt to something it does not name
    own: str = ""  # the sentence the card asks about (the quote may hold the one before too)
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return (
            f"{self.template}-{stable_hash(self.sentence_key, self.template, self.answer.lower())}"
        )

    @property
    def group(self) -> str:
        return f"s-{stable_hash(self.sentence_key, n=8)}"

    @property
    def prompt(self) -> str:
        f = self.fields
        return str(f.get("question") or f.get("statement") or f.get("text") or "")


@dataclass
class Doc:
    """What the templates know about the whole report: built once per run, passed explicitly."""

    cleaned: CleanedText
    proper_words: frozenset[str]  # words the report only ever writes capitalised
    pools: Pools  # same-kind values for distractors
    name_sentences: Counter[str] = field(default_factory=Counter)  # capitalised word -> sentences
    acronyms: dict[str, str] = field(default_factory=dict)  # acronym <-> long form, both ways


def name_sentences(sentences: list[Sentence]) -> Counter[str]:
    """In how many sentences each capitalised word occurs (not counting a sentence's first word)."""
    counts: Counter[str] = Counter()
    for s in sentences:
        counts.update({w for w in re.findall(r"(?<!^)\b[A-Z][\w’'-]+", s.text)})
    return counts


@dataclass
class Context:
    """A sentence with what comes before it in its paragraph, and its document."""

    sent: Sentence
    prev: Sentence | None
    doc: Doc

    @property
    def cleaned(self) -> CleanedText:
        return self.doc.cleaned

    @property
    def pools(self) -> Pools:
        return self.doc.pools

    @property
    def proper_words(self) -> frozenset[str]:
        return self.doc.proper_words

    def lower(self, text: str) -> str:
        """``text`` with its first word lowercased unless the report writes it as a name."""
        from quiz.generate.phrasing import lower_first

        return lower_first(text, self.proper_words)

    @property
    def needs_context(self) -> bool:
        from quiz.generate.candidates import starts_vague

        return starts_vague(self.sent.text) and self.it_names is None

    @property
    def it_names(self) -> str | None:
        """What an opening "It" stands for: the name the sentence before opens on
        ("Russia can project power ... It is the junior partner"), when that sentence starts
        with a country or a name the report always capitalises; None otherwise."""
        import re

        from quiz.generate.candidates import is_country
        from quiz.generate.phrasing import tidy_opening

        if self.prev is None or not re.match(
            r"It (?!is (?:not )?(?:un)?(?:likely|clear|possible|"
            r"important|difficult|certain|unclear|true)\b)",
            self.sent.text,
        ):
            return None
        prev = tidy_opening(self.prev.text)[0]
        m = re.match(
            r"([A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,3})\s+(?:is|was|has|had|can|could|"
            r"will|would|remains|appears|needs|wants|seeks|sees|views|[a-z]+s|[a-z]+ed)\b",
            prev,
        )
        if not m:
            return None
        name = m.group(1)
        if name.split()[0] in ("The", "This", "That", "These", "Those", "It", "They", "A", "An"):
            return None
        if is_country(name) or (name in self.proper_words and name.isalpha()):
            return name
        return None

    def quote_span(self, with_prev: bool) -> tuple[str, int]:
        s = self.prev if with_prev and self.prev else self.sent
        return self.cleaned.text[s.start : self.sent.end], s.start

    @property
    def lead(self) -> str:
        """Context shown before a vague sentence: the previous sentence."""
        if self.needs_context and self.prev is not None:
            from quiz.generate.phrasing import tidy_opening

            return tidy_opening(self.prev.text)[0] + " "
        return ""


def make_draft(
    ctx: Context,
    template: str,
    kind: str,
    ctype: str,
    fields: dict[str, Any],
    answer: str,
    with_prev: bool = False,
) -> Draft:
    quote, qstart = ctx.quote_span(with_prev)
    return Draft(
        template=template, kind=kind, type=ctype, fields=fields, answer=answer,
        quote=_WS.sub(" ", quote), quote_start=qstart, section=ctx.sent.section,
        line=ctx.cleaned.line_at(qstart), block=ctx.sent.block,
        sentence_key=norm_sentence(quote), own=ctx.sent.text,
    )  # fmt: skip


@dataclass
class Gap:
    """One span of a sentence a fact card may ask about, with what the card templates need."""

    span: Span  # offsets into ``text``
    text: str  # the sentence as shown on the card (without opening linking words)
    salt: str  # seeds the stable choice of options and of true/false polarity
    lead: str  # the previous sentence, shown before a sentence that leans on it
    with_prev: bool
    rest: str  # the sentence without the span
