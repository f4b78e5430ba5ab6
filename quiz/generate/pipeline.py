"""From a report's text to a deck: clean, split, find candidates, build, rank, gate."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from pydantic import TypeAdapter

from quiz.deck.model import AnyCard, Card, Deck, DeckSource
from quiz.generate.build import Draft, build_drafts
from quiz.generate.clean import CleanedText, clean_text
from quiz.generate.gate import gate_and_dedupe
from quiz.generate.rank import score_drafts, select
from quiz.generate.sentences import split_sentences
from quiz.ingest.pdf import Extracted
from quiz.ingest.structure import find_structure

DEFAULT_MAX_CARDS = 200
GEN_TAG = "gen:"
_CARD = TypeAdapter(Card)


@dataclass
class Report:
    """What generation kept and rejected, and why."""

    kept: list[tuple[str, str, float, int]] = field(
        default_factory=list
    )  # id, template, score, line
    rejected: list[tuple[int, str, str, str]] = field(
        default_factory=list
    )  # line, template, reason, prompt
    not_selected: int = 0
    removed_lines: list[tuple[int, str, str]] = field(default_factory=list)
    sentences: int = 0
    sections: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kinds = Counter(t for _, t, _, _ in self.kept)
        lines = [
            f"{len(self.kept)} cards kept from {self.sentences} sentences in "
            f"{len(self.sections)} sections; {len(self.rejected)} drafts rejected by the gate; "
            f"{self.not_selected} ranked out",
            "kept by template: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        ]
        reasons = Counter(r for _, _, r, _ in self.rejected)
        if reasons:
            lines.append("rejected: " + "; ".join(f"{r} ({n})" for r, n in reasons.most_common()))
        return "\n".join(lines)

    def details(self) -> str:
        out = [self.summary(), "", "KEPT"]
        out += [
            f"  line {line}: {cid} ({tpl}, score {score:.2f})"
            for cid, tpl, score, line in self.kept
        ]
        out.append("REJECTED")
        out += [
            f"  line {line}: {tpl}: {reason}: {prompt[:100]}"
            for line, tpl, reason, prompt in self.rejected
        ]
        out.append("REMOVED FROM THE TEXT")
        for first, last, reason, texts in removed_spans(self.removed_lines):
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            n = f" ({len(texts)} lines)" if len(texts) > 1 else ""
            shown = texts[0][:80] if len(texts) == 1 else f"{texts[0][:60]} ... {texts[-1][:60]}"
            out.append(f"  {where}: {reason}{n}: {shown}")
        return "\n".join(out)


def removed_spans(
    removed: list[tuple[int, str, str]],
) -> list[tuple[int, int, str, list[str]]]:
    """Removed lines as spans: a run of lines left out for the same reason, at most one
    blank line apart, is one span (first line, last line, reason, texts)."""
    spans: list[tuple[int, int, str, list[str]]] = []
    for line, reason, text in removed:
        if spans and spans[-1][2] == reason and 0 <= line - spans[-1][1] <= 2:
            first, _, _, texts = spans[-1]
            spans[-1] = (first, line, reason, [*texts, text])
        else:
            spans.append((line, line, reason, [text]))
    return spans


_ELLIPSIS = " ... "
# where the original may hold a space that cleaning closed: before "'s" and before punctuation
_RESPACE_POINT = re.compile(r"(?<=\w[’'])(?=s\b)|(?<=\w)(?=[,;:!?.](?:\s|$))")


class SourceMatcher:
    """Makes each quote findable in the ORIGINAL file, as ``quiz check`` looks for it.

    Where cleaning changed the text (footnote markers, page furniture between two
    lines), the quote is split into the runs that do occur, joined by " ... ".
    """

    def __init__(self, raw: str) -> None:
        from quiz.deck.lint import normalize_passage

        self._norm = normalize_passage
        folded = normalize_passage(raw)
        self.variants = [
            folded,
            re.sub(r"(\w)- (\w)", r"\1-\2", folded),
            re.sub(r"(\w)- (\w)", r"\1\2", folded),
        ]

    def fit(self, quote: str) -> str:
        for variant in self.variants:
            if self._norm(quote) in variant:
                return quote
        respaced = self._respaced(quote)
        if respaced is not None:
            return respaced
        options = []
        for variant in self.variants:
            runs = self._runs(quote, variant)
            if runs is not None:
                covered = sum(len(r.split()) for r in runs)
                options.append((-covered, len(runs), _ELLIPSIS.join(runs)))
        return min(options)[2] if options else quote

    def _respaced(self, quote: str) -> str | None:
        """The quote with the spaces the original has before "'s" and punctuation, if it then occurs."""
        points = [m.start() for m in _RESPACE_POINT.finditer(quote)]
        if not points:
            return None
        bounds = [0, *points, len(quote)]
        segments = [quote[a:b] for a, b in pairwise(bounds)]
        pattern = re.compile(
            r"( ?)".join(re.escape(self._norm("x" + seg + "x")[1:-1]) for seg in segments)
            + r"(?!\.)"  # "efforts ." is not the start of "efforts ...."
        )
        for variant in self.variants:
            m = pattern.search(variant)
            if m is None:
                continue
            out = [segments[0]]
            for k, seg in enumerate(segments[1:], start=1):
                out.append(m.group(k) + seg)
            return "".join(out)
        return None

    def _runs(self, quote: str, variant: str) -> list[str] | None:
        tokens = quote.split()
        runs: list[str] = []
        pos = 0
        i = 0
        while i < len(tokens):
            at = variant.find(self._norm(tokens[i]), pos)
            if at < 0:
                i += 1  # a token cleaning produced (e.g. a joined hyphenation): skip it
                continue
            j = i + 1
            while j < len(tokens):
                nxt = variant.find(self._norm(" ".join(tokens[i : j + 1])), pos)
                if nxt < 0:
                    break
                at = nxt
                j += 1
            run = " ".join(tokens[i:j])
            runs.append(run)
            pos = at + len(self._norm(run))
            i = j
        return runs or None


def draft_to_card(d: Draft, matcher: SourceMatcher | None = None) -> AnyCard:
    data: dict[str, Any] = {
        "id": d.id,
        "type": d.type,
        "kind": d.kind,
        "section": d.section,
        "group": d.group,
        **d.fields,
        "source": {
            "quote": matcher.fit(d.quote) if matcher else d.quote,
            "section": d.section,
            "line": d.line,
        },
    }
    card = _CARD.validate_python(data)
    return card.model_copy(update={"tags": [f"{GEN_TAG}{card.content_hash()}"]})


def generator_fingerprint(card: AnyCard) -> str | None:
    for t in card.tags:
        if t.startswith(GEN_TAG):
            return t[len(GEN_TAG) :]
    return None


def is_untouched(card: AnyCard) -> bool:
    """Whether a card is exactly as the generator made it (not edited, not reviewed)."""
    fp = generator_fingerprint(card)
    return fp is not None and fp == card.content_hash() and not card.reviewed


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s or "deck")[:80].strip("-") or "deck"


@dataclass
class Generated:
    deck: Deck
    report: Report
    cleaned: CleanedText


def clean_report(doc: Extracted, *, appendices: bool = True) -> CleanedText:
    """A report as its reader made it, with front and back matter left out, cleaned into
    headed paragraphs: what the generator (and quiz curate's alternatives) work from."""
    text = doc.text
    note_refs = {
        n
        for _, reason, mark in doc.removed
        if reason == "footnote mark"
        for n in re.findall(r"\d{1,3}", mark)
    }
    structure = find_structure(
        text.replace("\r\n", "\n").replace("\r", "\n").split("\n"),
        doc.headings,
        appendices=appendices,
        note_refs=note_refs,
        furniture=doc.kind != "pdf",
    )
    cleaned = clean_text(
        text,
        headings=doc.headings,
        heuristic_headings=True,
        dropped=structure.dropped,
        hard_paragraphs=doc.kind in ("markdown", "html"),
        furniture=doc.kind == "text",
    )
    cleaned.removed = sorted([*doc.removed, *cleaned.removed], key=lambda r: r[0])
    return cleaned


def generate_full(
    text: str,
    *,
    source_name: str,
    deck_id: str | None = None,
    title: str | None = None,
    max_cards: int = DEFAULT_MAX_CARDS,
    progress: Callable[[str], None] | None = None,
    source_file: str | None = None,
    document: Extracted | None = None,
    appendices: bool = True,
) -> Generated:
    """Generate a deck and keep the cleaned text (used by ``--update``).

    ``document``: the report as its reader made it (PDF, Markdown, HTML); ``text`` is then
    its ``text``. ``appendices`` False leaves every appendix out."""
    say = progress or (lambda _msg: None)
    doc = document or Extracted(text)
    text = doc.text
    say("cleaning the text")
    cleaned = clean_report(doc, appendices=appendices)
    say("splitting sentences")
    sentences = split_sentences(cleaned)
    say(f"building cards from {len(sentences)} sentences")
    drafts = build_drafts(cleaned, sentences)
    score_drafts(drafts, sentences)
    say(f"gating {len(drafts)} drafts")
    passed, rejected = gate_and_dedupe(drafts, cleaned.text)
    chosen = select(passed, max_cards)
    report = Report(
        not_selected=len(passed) - len(chosen),
        removed_lines=cleaned.removed,
        sentences=len(sentences),
        sections=cleaned.sections,
    )
    report.rejected = [(d.line, d.template, reason, d.prompt) for d, reason in rejected]
    cards: list[AnyCard] = []
    matcher = SourceMatcher(text)
    for d in chosen:
        try:
            cards.append(draft_to_card(d, matcher))
        except ValueError as exc:  # a draft the deck model refuses
            report.rejected.append(
                (d.line, d.template, f"invalid card: {exc}".splitlines()[0], d.prompt)
            )
            continue
        report.kept.append((d.id, d.template, d.score, d.line))
    base = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source_name.replace("\\", "/").split("/")[-1])
    deck_title = (
        title
        or (document.title if document is not None else None)
        or (base.replace("-", " ").replace("_", " ").strip().capitalize() or "Generated deck")
    )
    deck = Deck(
        deck=deck_id or slug(base),
        title=deck_title,
        description=f"Generated by quiz generate from {source_file or source_name}; review before studying.",
        source=DeckSource(title=deck_title, file=source_file or source_name),
        cards=cards,
    )
    return Generated(deck, report, cleaned)


def generate(
    text: str,
    *,
    source_name: str,
    deck_id: str | None = None,
    title: str | None = None,
    max_cards: int = DEFAULT_MAX_CARDS,
) -> tuple[Deck, Report]:
    """A deck of the report's key facts and arguments, and a report of what was kept and why."""
    g = generate_full(
        text, source_name=source_name, deck_id=deck_id, title=title, max_cards=max_cards
    )
    return g.deck, g.report
