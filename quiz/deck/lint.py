"""Check decks beyond validity: source quotes, leaked answers, duplicates.

``lint_deck`` adds the checks of ``quiz check`` to what loading found;
``check_files`` runs loading and linting over many files and also refuses
two files that claim the same ``deck`` id.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from quiz.deck.loader import LoadResult, Problem, printable, read_deck
from quiz.deck.model import CARD_TYPES, AnyCard, format_number
from quiz.wording import plural

__all__ = ["CheckReport", "Problem", "check_files", "lint_deck"]

MAX_SOURCE_BYTES = 50 * 1024 * 1024
"""Source files larger than this are not searched for quotes."""

_FOLD = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "`": "'",
     "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00ad": None, "…": "..."}
)  # fmt: skip
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\[\.\.\.\])\s*")
_LINE_HYPHEN = re.compile(r"(\w)- (\w)")


def normalize_passage(text: str) -> str:
    """Text folded for quote matching: NFKC, straight quotes and dashes, one space, casefolded."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return " ".join(text.split()).casefold()


class _SourceText:
    """A source file's text in the forms a quote may be matched against."""

    def __init__(self, text: str, name: str = "") -> None:
        self.name = name
        folded = normalize_passage(text)
        # a word broken over two lines: "second-\nlargest" may be quoted either way
        self.variants = {
            folded,
            _LINE_HYPHEN.sub(r"\1-\2", folded),
            _LINE_HYPHEN.sub(r"\1\2", folded),
        }

    def contains(self, quote: str) -> bool:
        """True when every part of the quote (parts split at "...") occurs, in order."""
        parts = [p for p in _ELLIPSIS.split(normalize_passage(quote)) if p.strip(" .")]
        if not parts:
            return True
        for variant in self.variants:
            start = 0
            for part in parts:
                found = variant.find(part.strip(), start)
                if found < 0:
                    break
                start = found + len(part.strip())
            else:
                return True
        return False


def _read_source(path: Path) -> str:
    if not path.is_file():
        raise FileNotFoundError(path)
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise ValueError("source file too large")
    from quiz.ingest.reader import report_text

    return report_text(path)


def lint_deck(result: LoadResult) -> list[Problem]:
    """The check problems of one loaded deck (not those found while loading)."""
    shown = printable(str(result.path))
    problems: list[Problem] = []
    if result.header is None and not result.cards:
        return problems
    source = _load_source(result, shown, problems)

    seen_prompts: dict[str, tuple[str, int]] = {}
    duplicates = {index for index, _ in result.duplicate_cards}
    for index, card in sorted([*result.cards, *result.duplicate_cards], key=lambda ic: ic[0]):
        line, col = result.card_position(index) or (None, None)
        quote = card.source.quote if card.source else None
        if not (quote or "").strip():
            if not card.retired and index not in duplicates:
                problems.append(Problem(shown, line, col, "warning", "no source quote", card.id))
        elif source is not None and not source.contains(quote or ""):
            qline, qcol = result.card_position(index, "source", "quote") or (line, col)
            problems.append(
                Problem(shown, qline, qcol, "error",
                        f"source quote not found in {source.name}: "
                        f"{_excerpt(quote or '')!r}", card.id)
            )  # fmt: skip
        if card.retired or index in duplicates:
            continue  # a card whose id is taken: its errors only (it has one already)
        leaked = _answer_in_prompt(card)
        given = None if leaked else giveaway(card)
        if leaked or given:
            pline, pcol = result.card_position(index, _prompt_field(card)) or (line, col)
            message = (
                f"answer {_excerpt(leaked)!r} appears in its own prompt"
                if leaked
                else f"answer {_excerpt(given[0])!r} is given away by {given[1]!r} in its prompt "  # type: ignore[index]
                f"({given[2]})"  # type: ignore[index]
            )
            problems.append(Problem(shown, pline, pcol, "warning", message, card.id))
        key = _prompt_key(card.prompt)
        if key in seen_prompts:
            other, other_line = seen_prompts[key]
            pline, pcol = result.card_position(index, _prompt_field(card)) or (line, col)
            problems.append(
                Problem(shown, pline, pcol, "warning",
                        f"same prompt as card {other!r} (line {other_line})", card.id)
            )  # fmt: skip
        else:
            seen_prompts[key] = (card.id, line or 0)
    if result.header is not None and not result.raw_cards and result.ok:
        problems.append(Problem(shown, 1, 1, "warning", "deck has no cards"))
    return problems


def _load_source(result: LoadResult, shown: str, problems: list[Problem]) -> _SourceText | None:
    """The deck's ``source.file`` text, or None (adding an error when it cannot be read)."""
    header = result.header
    rel = header.source.file if header is not None and header.source is not None else None
    rel = rel or result.source_file  # a header with another error still names its source
    if not rel:
        return None
    path = (result.path.parent / rel) if not os.path.isabs(rel) else Path(rel)
    line, col = result.position("source", "file") or (None, None)
    try:
        return _SourceText(_read_source(path), rel)
    except FileNotFoundError:
        msg = f"source file {rel!r} not found (looked for {path})"
    except (OSError, ValueError) as exc:
        msg = f"source file {rel!r} cannot be read: {exc}"
    problems.append(Problem(shown, line, col, "error", msg))
    return None


def _prompt_field(card: AnyCard) -> str:
    return {"cloze": "text", "truefalse": "statement"}.get(card.type, "question")


def _prompt_key(prompt: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", normalize_passage(prompt)).split())


def _contains_word(haystack: str, needle: str) -> bool:
    needle = normalize_passage(needle)
    if len(needle) < 2:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def _answer_in_prompt(card: AnyCard) -> str | None:
    """An accepted answer that the prompt itself gives away, if any."""
    if card.type == "truefalse":
        return None
    if card.type == "cloze":
        prompt = normalize_passage(card.render(hints=True))
        for gap in card.gaps:
            for answer in gap.accepted:
                if _contains_word(prompt, answer):
                    return answer
        return None
    prompt = normalize_passage(card.prompt)
    answers: list[str] = list(card.accepted_answers)
    if card.type == "numeric":
        answers = [format_number(card.answer), f"{card.answer:g}"]
        if float(card.answer).is_integer():
            answers.append(str(int(card.answer)))
    for answer in answers:
        if _contains_word(prompt, answer):
            return answer
    return None


_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MINOR = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "de",
        "du",
        "la",
        "le",
        "des",
    ]
)


def initials(name: str) -> str:
    """'Shanghai Cooperation Organization' -> 'SCO' (minor words skipped); '' for one word."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    if len(words) < 2:
        return ""
    letters = [w[0] for w in words if w.lower() not in _MINOR and w[:1].isalpha()]
    return "".join(letters).upper() if len(letters) >= 2 else ""


def same_stem(a: str, b: str) -> bool:
    """'Korea'/'Korean', 'China'/'Chinese', 'sanction'/'sanctions': one word with a short
    ending the other lacks. Different words, both 4+ letters."""
    a, b = a.lower().replace("’", "'").split("'")[0], b.lower().replace("’", "'").split("'")[0]
    if a == b or min(len(a), len(b)) < 4:
        return False
    p = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        p += 1
    short, long_ = sorted((len(a), len(b)))
    return p >= 4 and p >= short - 1 and long_ - p <= 4


def giveaway(card: AnyCard) -> tuple[str, str, str] | None:
    """(answer, what in the prompt, why) when the prompt gives an accepted answer away by its
    acronym, its full name, or a word of the same stem ('North Korea' for 'North Korean')."""
    if card.type == "truefalse":
        return None
    if card.type == "cloze":
        prompt = card.render(hints=True)
        answers = [a for gap in card.gaps for a in gap.accepted]
    elif card.type == "numeric":
        return None
    else:
        prompt = card.prompt
        answers = list(card.accepted_answers)
    tokens = [re.sub(r"['’]s?$", "", t) for t in _WORD_RE.findall(prompt)]
    asks_expansion = re.search(r"\b(?:acronym|abbreviation|stands? for)\b", prompt, re.I)
    for answer in answers:
        acro = initials(answer)
        if (
            len(acro) >= 2
            and not asks_expansion
            and re.search(rf"(?<![\w-]){re.escape(acro)}s?(?![\w-])", prompt)
        ):
            return answer, acro, "its acronym"
        if re.fullmatch(r"[A-Z]{2,6}", answer.strip()):
            for k in range(len(tokens)):
                for n in range(2, 8):
                    phrase = " ".join(tokens[k : k + n])
                    if (
                        initials(phrase) == answer.strip()
                        and phrase.split()[-1][:1].isupper()
                        and phrase.split()[0][:1].isupper()
                    ):
                        return answer, phrase, "its full name"
        words = [w for w in _WORD_RE.findall(answer) if w.lower() not in _MINOR]
        if not words or len(words) > 4:
            continue
        matched: list[str] = []
        for w in words:
            same = next((t for t in tokens if t.lower() == w.lower()), None)
            stem = next((t for t in tokens if same_stem(t, w)), None)
            if stem is not None:
                matched.append(stem)
            elif same is not None and len(words) > 1:
                matched.append(same)
            else:
                break
        else:
            if any(same_stem(m, w) for m, w in zip(matched, words, strict=True)):
                return answer, " ".join(matched), "same stem"
    return None


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- many files


@dataclass
class CheckReport:
    """What ``quiz check`` found over a set of deck files."""

    problems: list[Problem] = field(default_factory=list)
    decks: int = 0
    files: int = 0
    cards_by_type: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    def summary(self) -> str:
        """One line: decks, cards by type, errors, warnings."""
        cards = sum(self.cards_by_type.values())
        by_type = ", ".join(
            f"{t} {self.cards_by_type[t]}" for t in CARD_TYPES if self.cards_by_type[t]
        )
        line = f"{plural(self.decks, 'deck')}, {plural(cards, 'card')}"
        if by_type:
            line += f" ({by_type})"
        return line + f"; {plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"


def check_files(files: Iterable[str | os.PathLike[str]]) -> CheckReport:
    """Load and lint each file; two files with the same ``deck`` id is an error."""
    report = CheckReport()
    owners: dict[str, str] = {}
    for file in files:
        report.files += 1
        result = read_deck(file)
        problems = list(result.problems) + lint_deck(result)
        if result.header is not None:
            deck_id = result.header.deck
            if deck_id in owners:
                line, col = result.position("deck") or (1, 1)
                problems.append(
                    Problem(printable(str(file)), line, col, "error",
                            f"deck id {deck_id!r} is also used by {owners[deck_id]}")
                )  # fmt: skip
            else:
                owners[deck_id] = printable(str(file))
            report.decks += 1
        report.cards_by_type.update(card.type for _, card in result.cards)
        report.problems.extend(sorted(problems, key=lambda p: (p.line or 0, p.col or 0)))
    return report
