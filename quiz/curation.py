"""Curating a generated deck: walk its unreviewed cards, decide on each, undo.

Plain Python, no UI: ``quiz curate`` (the TUI screen) and its tests drive a
``Curation``. Every decision is written to the deck file at once:

- only the changed card's changed lines are rewritten (``quiz.deck.yamledit``),
  so comments, order and every other card stay as they were;
- the file is replaced atomically, and ``DECK.yaml.bak`` keeps the file as it was
  before the session's first change;
- the file is read back after each write and must load without errors.

Quitting at any moment loses nothing; a new ``Curation`` on the same file starts
at the first active card not yet reviewed. The queue is the deck's order: the
generator writes cards best-ranked first (``quiz.generate.rank.select``), and
``--update`` appends new cards after them.

What was decided is read back from the cards themselves: ``reviewed: true``
(accepted), ``retired: true`` (retired), and "edited" when a generated card's
content no longer matches the fingerprint the generator left in its tags
(``gen:...``). ``quiz generate --update`` keeps exactly these cards as they are
(``quiz.generate.update``), so every decision survives regeneration.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz.deck.loader import LoadResult, Problem, read_deck, validate_card
from quiz.deck.model import AnyCard, ClozeCard, Deck, McqCard, NumericCard, ShortCard, TrueFalseCard
from quiz.deck.writer import deck_to_data, write_text_atomic
from quiz.deck.yamledit import DELETE, YamlEditError, edit_card
from quiz.errors import QuizError, cannot_write
from quiz.generate.pipeline import generator_fingerprint
from quiz.ingest.pdf import Extracted

GAP = "____"
LIST_SEPARATOR = ";"
LONG_PROMPT_WORDS = 45
"""A prompt longer than this is flagged to the curator (reviewers reject overloaded cards)."""
NEAR_DUPLICATE = 90
"""rapidfuzz ratio (0-100) of two prompts, gaps left out, from which they are near-duplicates."""
_SAME_PROMPT = re.compile(r"same prompt as card '([^']+)'")


class EditRefused(QuizError):
    """An edit the deck model refuses; ``message`` is the model's own (as ``quiz check`` says it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, label=None)


# --------------------------------------------------------------------------- what was decided


def is_edited(card: AnyCard) -> bool:
    """Whether a generated card's content differs from what the generator wrote."""
    fp = generator_fingerprint(card)
    return fp is not None and fp != card.content_hash()


def template_of(card: AnyCard) -> str:
    """The generator template that made the card (its id's prefix), or ``hand-written``."""
    if generator_fingerprint(card) is None:
        return "hand-written"
    return card.id.rsplit("-", 1)[0]


def status_of(card: AnyCard) -> str:
    """``retired``, ``edited`` (reviewed after a change), ``accepted`` (as generated) or ``pending``."""
    if card.retired:
        return "retired"
    if not card.reviewed:
        return "pending"
    return "edited" if is_edited(card) else "accepted"


@dataclass
class Counts:
    """Cards by curation status."""

    accepted: int = 0
    edited: int = 0
    retired: int = 0
    pending: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def total(self) -> int:
        return self.accepted + self.edited + self.retired + self.pending

    @property
    def decided(self) -> int:
        return self.accepted + self.edited + self.retired

    @property
    def as_is_share(self) -> float | None:
        """Accepted as generated, out of the cards decided (None before any decision)."""
        return self.accepted / self.decided if self.decided else None


@dataclass
class CurationStats:
    """How a deck's cards were curated, overall, per card type and per generator template."""

    deck: str
    total: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=dict)
    by_template: dict[str, Counts] = field(default_factory=dict)

    def format(self) -> str:
        t = self.total
        lines = [
            f"{self.deck}: {t.total} cards; {t.accepted} accepted as-is, {t.edited} edited, "
            f"{t.retired} retired, {t.pending} not reviewed yet",
        ]
        share = t.as_is_share
        if share is not None:
            lines.append(
                f"usable as generated: {share * 100:.0f}% of the {t.decided} cards decided"
            )
        for title, groups in (("type", self.by_type), ("template", self.by_template)):
            lines.append("")
            lines.append(
                f"{'by ' + title:<16}{'cards':>6}{'as-is':>7}{'edited':>8}{'retired':>9}"
                f"{'pending':>9}{'as-is %':>9}"
            )
            for name, c in sorted(groups.items(), key=lambda kv: (-kv[1].total, kv[0])):
                pct = "—" if c.as_is_share is None else f"{c.as_is_share * 100:.0f}%"
                lines.append(
                    f"{name[:15]:<16}{c.total:>6}{c.accepted:>7}{c.edited:>8}{c.retired:>9}"
                    f"{c.pending:>9}{pct:>9}"
                )
        return "\n".join(lines)


def curation_stats(deck_id: str, cards: Iterable[AnyCard]) -> CurationStats:
    """Counts of accepted as-is, edited, retired and pending cards."""
    stats = CurationStats(deck_id)
    for card in cards:
        status = status_of(card)
        stats.total.add(status)
        stats.by_type.setdefault(card.type, Counts()).add(status)
        stats.by_template.setdefault(template_of(card), Counts()).add(status)
    return stats


# --------------------------------------------------------------------------- edit forms


@dataclass(frozen=True)
class EditForm:
    """The fields a curator edits, as text: which are shown and their labels."""

    prompt: str
    answer: str
    extra: str  # accepted answers, choices or tolerance (see ``extra_label``)
    explanation: str
    extra_label: str | None  # None: no third field for this card
    answer_editable: bool = True


def edit_form(card: AnyCard) -> EditForm:
    """The card's editable text: prompt, answer, accepted answers (or choices), explanation."""
    sep = f"{LIST_SEPARATOR} "
    explanation = card.explanation or ""
    if isinstance(card, ClozeCard):
        gaps = card.gaps
        if len(gaps) == 1:
            prompt = card.render(hints=False)
            return EditForm(prompt, gaps[0].answer, sep.join(gaps[0].alternatives), explanation,
                            "Also accepted")  # fmt: skip
        return EditForm(card.text, "", "", explanation, None, answer_editable=False)
    if isinstance(card, ShortCard):
        return EditForm(
            card.question, card.answer, sep.join(card.accept), explanation, "Also accepted"
        )
    if isinstance(card, McqCard):
        return EditForm(card.question, card.answer, sep.join(card.choices), explanation, "Choices")
    if isinstance(card, NumericCard):
        tol = "" if card.tolerance is None else str(card.tolerance)
        return EditForm(card.question, card.canonical_answer.split(" ")[0].replace(",", ""), tol,
                        explanation, "Tolerance")  # fmt: skip
    if isinstance(card, TrueFalseCard):
        return EditForm(card.statement, "true" if card.answer else "false", "", explanation, None)
    return EditForm(card.prompt, card.canonical_answer, "", explanation, None)


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def card_data(card: AnyCard) -> dict[str, Any]:
    """The card as the deck writer writes it (defaults left out)."""
    return deck_to_data(Deck(deck="x", title="x", cards=[card]))["cards"][0]


def edited_card(card: AnyCard, prompt: str, answer: str, extra: str, explanation: str) -> AnyCard:
    """The card with the form's text, validated by the deck model; ``EditRefused`` otherwise."""
    raw = card.model_dump(mode="json", exclude_none=True)
    raw["type"] = card.type
    if explanation.strip():
        raw["explanation"] = explanation
    else:
        raw.pop("explanation", None)
    if isinstance(card, ClozeCard):
        gaps = card.gaps
        if len(gaps) == 1 and GAP in prompt:
            hint = gaps[0].hint
            inner = "|".join([answer.strip() or " ", *_split_list(extra)])
            if hint:
                inner += f"::{hint}"
            raw["text"] = prompt.replace(GAP, "{{" + inner + "}}", 1)
        else:
            raw["text"] = prompt  # the {{gap}} markers written by hand
    elif isinstance(card, TrueFalseCard):
        raw["statement"] = prompt
        raw["answer"] = answer.strip().lower()
    else:
        raw["question"] = prompt
        raw["answer"] = answer.strip() if isinstance(card, NumericCard) else answer
        if isinstance(card, ShortCard):
            raw["accept"] = _split_list(extra)
        elif isinstance(card, McqCard):
            raw["choices"] = _split_list(extra)
        elif isinstance(card, NumericCard):
            if extra.strip():
                raw["tolerance"] = extra.strip()
            else:
                raw.pop("tolerance", None)
    new, messages = validate_card(raw)
    if new is None:
        raise EditRefused(messages[0] if messages else "the card is not valid")
    return new


# --------------------------------------------------------------------------- the source passage


@dataclass(frozen=True)
class Passage:
    """A card's source quote in the report, with the sentences around it."""

    before: str
    text: str
    after: str
    section: str | None
    line: int | None


class ReportIndex:
    """A report's text, cleaned and split as the generator does, and its candidate cards."""

    def __init__(self, report_text: str, document: Extracted | None = None) -> None:
        from quiz.generate.alternatives import Candidates

        self.candidates = Candidates(report_text, document)
        from quiz.deck.lint import normalize_passage

        self._norm = normalize_passage
        self._sentences = self.candidates.sentences
        self._keys = [normalize_passage(s.text) for s in self._sentences]

    def _find(self, fragment: str, start: int = 0) -> int | None:
        key = self._norm(fragment)[:60]
        if len(key) < 8:
            return None
        for i in range(start, len(self._keys)):
            if key in self._keys[i]:
                return i
        return None

    def passage(self, card: AnyCard) -> Passage | None:
        """The quote's sentences with one sentence before and after, from the same paragraph."""
        source = card.source
        quote = (source.quote or "") if source else ""
        parts = [p for p in re.split(r"\s*\.\.\.\s*|\s*…\s*", quote) if p.strip()]
        if not parts:
            return None
        first = self._find(parts[0])
        if first is None:
            return None
        last = first
        tail = parts[-1].split()[-8:]
        found = self._find(" ".join(tail), first) if len(parts[-1]) > 40 or len(parts) > 1 else None
        if found is not None and found - first <= 4:
            last = found
        sents = self._sentences
        block = sents[first].block
        before = sents[first - 1].text if first > 0 and sents[first - 1].block == block else ""
        after = (
            sents[last + 1].text
            if last + 1 < len(sents) and sents[last + 1].block == sents[last].block
            else ""
        )
        text = " ".join(s.text for s in sents[first : last + 1])
        return Passage(
            before, text, after, source.section if source else None, source.line if source else None
        )


# --------------------------------------------------------------------------- the session


def _fuzzy_key(prompt: str, normalize: Any) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", normalize(prompt.replace(GAP, " "))).split())


def _read_exact(path: Path) -> str:
    """The file's text with its own line endings (no newline translation)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


@dataclass(frozen=True)
class Change:
    """One decision, kept for undo: the card before and after, and the file text around it."""

    card_id: str
    action: str
    before: AnyCard
    after: AnyCard
    text_before: str
    text_after: str


@dataclass(frozen=True)
class CardWarning:
    """A ``quiz check`` finding about a card; ``other`` is the card it duplicates, if any."""

    severity: str
    message: str
    other: str | None = None


class Curation:
    """A curation session on one deck file."""

    def __init__(
        self, path: str | os.PathLike[str], source: str | os.PathLike[str] | None = None
    ) -> None:
        self.path = Path(path)
        self.undo_stack: list[Change] = []
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.backed_up = False
        self.text = ""
        self.result: LoadResult = self._load()
        self.source_path = Path(source) if source is not None else self._deck_source()
        self.report: ReportIndex | None = None

    # --- loading --------------------------------------------------------------
    def _load(self) -> LoadResult:
        from quiz.deck.lint import lint_deck

        try:
            self.text = _read_exact(self.path)
        except (OSError, UnicodeDecodeError):
            self.text = ""
        result = read_deck(self.path)
        if result.deck is None:
            raise min(result.errors, key=lambda p: (p.line or 0, p.col or 0)).to_error()
        self._problems = lint_deck(result)
        self._index = {c.id: i for i, c in enumerate(result.deck.cards)}
        return result

    def _deck_source(self) -> Path | None:
        src = self.deck.source
        if src is None or not src.file:
            return None
        return Path(src.file) if os.path.isabs(src.file) else self.path.parent / src.file

    def load_report(self) -> ReportIndex | None:
        """Read and index the source report (slow: about a second for a 40-page report)."""
        if self.report is None and self.source_path is not None:
            from quiz.ingest.reader import report_document

            try:
                # as quiz generate read it: a PDF's text layer, Markdown or HTML as text
                document = report_document(self.source_path)
            except OSError as exc:
                raise QuizError(
                    f"cannot read the report: {exc.strerror or exc}", where=self.source_path
                ) from None
            self.report = ReportIndex(document.text, document)
        return self.report

    @property
    def deck(self) -> Deck:
        assert self.result.deck is not None
        return self.result.deck

    @property
    def cards(self) -> list[AnyCard]:
        return self.deck.cards

    def card(self, card_id: str) -> AnyCard:
        return self.deck.cards[self._index[card_id]]

    # --- the queue --------------------------------------------------------------
    @staticmethod
    def is_pending(card: AnyCard) -> bool:
        return not card.retired and not card.reviewed

    def pending_ids(self) -> list[str]:
        """Active cards not reviewed yet, in the deck's (the generator's ranked) order."""
        return [c.id for c in self.cards if self.is_pending(c)]

    def first_pending(self) -> str | None:
        ids = self.pending_ids()
        return ids[0] if ids else None

    def next_pending(self, after: str | None, step: int = 1) -> str | None:
        """The next (or with ``step=-1`` previous) pending card after ``after``, wrapping round."""
        cards = self.cards
        if not cards:
            return None
        start = self._index.get(after, -1) if after is not None else -1
        n = len(cards)
        for k in range(1, n + 1):
            card = cards[(start + k * step) % n]
            if self.is_pending(card):
                return card.id
        return None

    def search(self, query: str, after: str | None = None) -> str | None:
        """The next card (any status) whose id, prompt, answer or explanation holds ``query``."""
        needle = query.casefold().strip()
        if not needle:
            return None
        cards = self.cards
        start = self._index.get(after, -1) if after is not None else -1
        n = len(cards)
        for k in range(1, n + 1):
            c = cards[(start + k) % n]
            hay = " ".join(
                [c.id, c.prompt, *c.accepted_answers, *(c.choice_list or []), c.explanation or ""]
            )
            if needle in hay.casefold():
                return c.id
        return None

    def progress(self) -> Counts:
        counts = Counts()
        for c in self.cards:
            counts.add(status_of(c))
        return counts

    def progress_line(self) -> str:
        c = self.progress()
        reviewed = c.accepted + c.edited
        return f"{reviewed} of {c.total} reviewed, {c.retired} retired"

    def stats(self) -> CurationStats:
        return curation_stats(self.deck.deck, self.cards)

    # --- warnings -----------------------------------------------------------------
    def warnings(self, card_id: str) -> list[CardWarning]:
        """``quiz check``'s findings for the card, a same-prompt twin named from both sides."""
        out: list[CardWarning] = []
        for p in self._problems:
            if p.card_id == card_id:
                m = _SAME_PROMPT.search(p.message)
                out.append(CardWarning(p.severity, p.message, m.group(1) if m else None))
            elif p.card_id is not None:
                m = _SAME_PROMPT.search(p.message)
                if m and m.group(1) == card_id:
                    out.append(
                        CardWarning(p.severity, f"same prompt as card {p.card_id!r}", p.card_id)
                    )
        return out

    def hints(self, card_id: str) -> list[CardWarning]:
        """What a reviewer would reject beyond ``quiz check``: a long prompt, another card on the
        same sentence, a near-duplicate prompt elsewhere (each names the other card)."""
        from rapidfuzz import fuzz

        from quiz.deck.lint import normalize_passage

        card = self.card(card_id)
        out: list[CardWarning] = []
        words = len(card.prompt.split())
        if words > LONG_PROMPT_WORDS:
            out.append(CardWarning("hint", f"long prompt: {words} words"))
        key = _fuzzy_key(card.prompt, normalize_passage)
        for other in self.cards:
            if other.id == card_id or other.retired:
                continue
            if card.group and other.group == card.group:
                out.append(CardWarning("hint", f"same sentence as card {other.id!r}", other.id))
            elif fuzz.ratio(key, _fuzzy_key(other.prompt, normalize_passage),
                            score_cutoff=NEAR_DUPLICATE) > 0:  # fmt: skip
                out.append(CardWarning("hint", f"near-duplicate of card {other.id!r}", other.id))
        return out

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    # --- decisions ----------------------------------------------------------------
    def accept(self, card_id: str) -> Change:
        return self._apply(card_id, "accept", lambda c: c.model_copy(update={"reviewed": True}))

    def retire(self, card_id: str) -> Change:
        return self._apply(card_id, "retire", lambda c: c.model_copy(update={"retired": True}))

    def restore(self, card_id: str) -> Change:
        return self._apply(card_id, "restore", lambda c: c.model_copy(update={"retired": False}))

    def edit(self, card_id: str, prompt: str, answer: str, extra: str, explanation: str) -> Change:
        """Change the card's text; ``EditRefused`` with the model's message when invalid."""
        return self._apply(
            card_id, "edit", lambda c: edited_card(c, prompt, answer, extra, explanation)
        )

    def replace(self, card_id: str, new: AnyCard, action: str = "replace") -> Change:
        """Make the card ask what ``new`` asks (another gap or type), keeping its id and history."""

        def swap(c: AnyCard) -> AnyCard:
            data = new.model_dump(mode="json", exclude_none=True)
            data.update(
                id=c.id,
                type=new.type,
                tags=list(c.tags),
                previous_ids=list(c.previous_ids),
                reviewed=False,
                retired=c.retired,
            )
            if c.explanation and not new.explanation:
                data["explanation"] = c.explanation
            card, messages = validate_card(data)
            if card is None:
                raise EditRefused(messages[0])
            return card

        return self._apply(card_id, action, swap)

    def _apply(self, card_id: str, action: str, change: Any) -> Change:
        self._sync()
        if card_id not in self._index:
            raise QuizError(f"card {card_id!r} is no longer in the deck", where=self.path)
        before = self.card(card_id)
        after = change(before)
        text_before = self.text
        text_after = self._write_card(before, after)
        record = Change(card_id, action, before, after, text_before, text_after)
        self.undo_stack.append(record)
        return record

    def undo(self) -> Change | None:
        """Take back the last decision (the file as it was when nothing changed since)."""
        if not self.undo_stack:
            return None
        record = self.undo_stack.pop()
        self._sync()
        if self.text == record.text_after:
            self._write_text(record.text_before)
        elif record.card_id in self._index:
            self._write_card(self.card(record.card_id), record.before)
        else:
            raise QuizError(
                f"card {record.card_id!r} is no longer in the deck; nothing undone",
                where=self.path,
            )
        return record

    # --- writing ------------------------------------------------------------------
    def _sync(self) -> None:
        """Re-read the file if something else changed it since we last wrote it."""
        try:
            current = _read_exact(self.path)
        except (OSError, UnicodeDecodeError) as exc:
            raise QuizError(
                f"cannot read: {getattr(exc, 'strerror', None) or exc}", where=self.path
            ) from None
        if current != self.text:
            self.result = self._load()

    def _write_card(self, before: AnyCard, after: AnyCard) -> str:
        old, new = card_data(before), card_data(after)
        changes: dict[str, Any] = {k: v for k, v in new.items() if old.get(k) != v}
        changes.update({k: DELETE for k in old if k not in new})
        if not changes:
            return self.text
        try:
            text = edit_card(self.text, before.id, changes)
        except YamlEditError as exc:
            raise QuizError(f"cannot change card {before.id!r}: {exc}", where=self.path) from None
        self._write_text(text)
        return text

    def _write_text(self, text: str) -> None:
        old_text, old_result = self.text, self.result
        try:
            if not self.backed_up:
                write_text_atomic(self.backup_path, old_text)
                self.backed_up = True
            write_text_atomic(self.path, text)
        except OSError as exc:
            raise cannot_write(self.path, exc) from None
        try:
            self.result = self._load()
        except QuizError:
            # never leave a deck that does not load: put the previous text back
            write_text_atomic(self.path, old_text)
            self.text, self.result = old_text, old_result
            self.result = self._load()
            raise


__all__ = [
    "GAP",
    "CardWarning",
    "Change",
    "Counts",
    "Curation",
    "CurationStats",
    "EditForm",
    "EditRefused",
    "Passage",
    "ReportIndex",
    "curation_stats",
    "edit_form",
    "edited_card",
    "is_edited",
    "status_of",
    "template_of",
]
