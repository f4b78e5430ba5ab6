"""Measures of generation quality: the gold list of key facts and how a deck covers it.

A card *covers* a gold fact when the card's answer matches one of the fact's
answer terms (normalised text; numbers compared by value) and either the card's
prompt plus source quote contains every one of the fact's context terms, or the
card's source quote overlaps the fact's quote.

Command line (run from the repository root)::

    python -m tests.quality_tools coverage DECK.yaml [--limit 150] [--gold GOLD.yaml] [--commit C]
    python -m tests.quality_tools sample DECK.yaml [--limit 150] [--size 50] [--commit C]
    python -m tests.quality_tools check-gold [--gold GOLD.yaml]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from quiz.deck.model import (
    AnyCard,
    BasicCard,
    ClozeCard,
    Deck,
    McqCard,
    NumericCard,
    ShortCard,
    TrueFalseCard,
)

REPO = Path(__file__).resolve().parent.parent
SEED_REPORT = REPO / "seeds" / "stent-2020-russia-and-china-axis-of-revisionists.txt"
GOLD_FACTS = REPO / "tests" / "data" / "gold" / "stent-2020-key-facts.yaml"
RAW_DECK = REPO / "seeds" / "stent-2020-russia-china.raw-deck.yaml"
BUNDLED_DECK = REPO / "decks" / "stent-2020-russia-china.yaml"

COVERAGE_LIMIT = 150
COVERAGE_TARGET = 0.80
KINDS = ("fact", "argument", "quote")

# --------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------

_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_EOL_HYPHEN = re.compile(r"(?<=\w)-\s+(?=\w)")
_SPACES = re.compile(r"\s+")


def collapse_wrapping(text: str) -> str:
    """Text with line wrapping collapsed: one space between words, hyphens at line ends kept."""
    text = unicodedata.normalize("NFC", text)
    text = _EOL_HYPHEN.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def fold_typography(text: str) -> str:
    """Curly quotes, dashes and no-break spaces folded to their plain ASCII forms."""
    return text.translate(_QUOTE_FOLD)


_ARTICLES = re.compile(r"^(the|a|an)\s+")
_NON_WORD = re.compile(r"[^\w%$.,]+")


def normalise(text: str) -> str:
    """Text reduced for comparison: casefolded, punctuation and quotes dropped, spaces collapsed."""
    t = fold_typography(unicodedata.normalize("NFKC", text)).casefold()
    t = t.replace("'s ", " ").replace("’s ", " ")
    t = _NON_WORD.sub(" ", t)
    # keep "." and "," only inside numbers ("6.3", "1,000"); "u.s." becomes "us"
    t = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", t)
    t = re.sub(r"(?<=[a-z])\.(?=[a-z])", "", t)
    t = _SPACES.sub(" ", t).strip()
    return _ARTICLES.sub("", t)


def contains_term(haystack: str, term: str) -> bool:
    """Whether normalised ``term`` occurs in normalised ``haystack`` starting at a word boundary."""
    h, t = normalise(haystack), normalise(term)
    if not t:
        return False
    return re.search(r"(?<!\w)" + re.escape(t), h) is not None


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
    "twice": 2,
    "double": 2,
    "fourfold": 4,
    "threefold": 3,
    "twofold": 2,
    "fivefold": 5,
    "tenfold": 10,
}
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])(?:\s*([a-z]+))?")


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text``, scale words applied ("$107 billion" is 1.07e11)."""
    t = fold_typography(text).casefold()
    values: list[float] = []
    for m in _NUMBER.finditer(t):
        value = float(m.group(1).replace(",", ""))
        scale = _SCALES.get(m.group(2) or "")
        values.append(value * scale if scale else value)
    for word in re.findall(r"[a-z]+", t):
        if word in _WORD_NUMBERS:
            values.append(float(_WORD_NUMBERS[word]))
    return values


def single_number(text: str) -> float | None:
    """The one number written in ``text``, or None when there is none or several."""
    values = numbers_in(text)
    return values[0] if len(values) == 1 else None


def _same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# --------------------------------------------------------------------------
# Gold facts
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldFact:
    """One key fact or argument of a report, as an instructor would list it."""

    id: str
    kind: str
    category: str
    section: str
    answer: tuple[str, ...]
    context: tuple[tuple[str, ...], ...]
    quote: str


def load_gold(path: Path = GOLD_FACTS) -> list[GoldFact]:
    """The gold facts of a gold-list YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts = []
    for raw in data["facts"]:
        context = tuple(
            tuple(str(a) for a in term) if isinstance(term, list) else (str(term),)
            for term in raw.get("context") or []
        )
        facts.append(
            GoldFact(
                id=str(raw["id"]),
                kind=str(raw["kind"]),
                category=str(raw.get("category", "")),
                section=str(raw["section"]),
                answer=tuple(str(a) for a in raw["answer"]),
                context=context,
                quote=str(raw["quote"]),
            )
        )
    return facts


def gold_source(path: Path = GOLD_FACTS) -> Path:
    """The report file a gold list was made from."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return (REPO / data["source"]).resolve()


def report_headings(text: str) -> list[str]:
    """The section headings of a report: runs of upper-case lines (a heading may wrap)."""
    headings: list[str] = []
    pending: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        is_heading = (
            bool(s)
            and len(s) <= 60
            and s.upper() == s
            and any(c.isalpha() for c in s)
            and not s.startswith("HTTP")
        )
        if is_heading:
            pending.append(s)
        elif pending:
            headings.append(" ".join(pending))
            pending = []
    if pending:
        headings.append(" ".join(pending))
    return headings


def section_key(name: str) -> str:
    """A section name reduced for comparison ("MILITARY TIES" == "Military Ties")."""
    return normalise(name)


# --------------------------------------------------------------------------
# Cards
# --------------------------------------------------------------------------


def load_deck(path: Path, commit: str | None = None) -> Deck:
    """A deck file validated by the deck model; at ``commit`` (read with git) when given."""
    if commit is None:
        text = path.read_text(encoding="utf-8")
    else:
        rel = path.resolve().relative_to(REPO).as_posix()
        text = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{commit}:{rel}"],
            check=True,
            capture_output=True,
            text=True,
            encoding="utf-8",
        ).stdout
    return Deck.model_validate(yaml.safe_load(text))


def card_answers(card: AnyCard) -> list[str]:
    """What a card asks the learner to produce, as text (true/false: the true statement)."""
    if isinstance(card, ClozeCard):
        return [alt for gap in card.gaps for alt in gap.accepted]
    if isinstance(card, ShortCard):
        return list(card.accepted_answers)
    if isinstance(card, NumericCard):
        return [card.canonical_answer]
    if isinstance(card, McqCard | BasicCard):
        return [card.answer]
    if isinstance(card, TrueFalseCard):
        return [card.statement] if card.answer else [card.explanation or ""]
    return [card.canonical_answer]


def card_numbers(card: AnyCard) -> list[float]:
    """The values a numeric card accepts: the bare answer and the answer scaled by its unit."""
    if not isinstance(card, NumericCard):
        return []
    values = [card.answer]
    for word in re.findall(r"[a-z]+", (card.unit or "").casefold()):
        if word in _SCALES:
            values.append(card.answer * _SCALES[word])
    return values


def card_context(card: AnyCard) -> str:
    """The card's prompt and its source quote: where the context terms must appear."""
    quote = card.source.quote if card.source and card.source.quote else ""
    return f"{card.prompt}\n{quote}"


def answer_matches(answer: str, term: str) -> bool:
    """Whether a card answer gives a gold answer term (numbers by value)."""
    a_num, t_num = single_number(answer), single_number(term)
    if a_num is not None and t_num is not None:
        return _same_number(a_num, t_num)
    a, t = normalise(answer), normalise(term)
    if not a or not t:
        return False
    if a == t:
        return True
    # the term inside a longer answer ("in part because the United States ...")
    if re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", a):
        return True
    # a shorter answer that is most of the term ("Power of Siberia" for "the Power of Siberia")
    if re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", t):
        return len(a.split()) >= max(1, round(0.6 * len(t.split())))
    return len(a) >= 5 and SequenceMatcher(None, a, t).ratio() >= 0.9


def quotes_overlap(card_quote: str, fact_quote: str) -> bool:
    """Whether two passages share a long common stretch of text."""
    a, b = normalise(card_quote), normalise(fact_quote)
    if not a or not b:
        return False
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= min(60, int(0.6 * min(len(a), len(b))))


def covers(card: AnyCard, fact: GoldFact) -> bool:
    """Whether ``card`` tests ``fact``: its answer matches and its context identifies the fact."""
    answers = card_answers(card)
    numbers = card_numbers(card)
    matched = any(answer_matches(a, t) for a in answers for t in fact.answer)
    if not matched and numbers:
        term_values = [single_number(t) for t in fact.answer]
        matched = any(tv is not None and _same_number(v, tv) for v in numbers for tv in term_values)
    if not matched:
        return False
    text = card_context(card)
    if all(any(contains_term(text, alt) for alt in term) for term in fact.context):
        return True
    quote = card.source.quote if card.source and card.source.quote else ""
    return bool(quote) and quotes_overlap(quote, fact.quote)


@dataclass
class Coverage:
    """Which gold facts the measured cards cover, and by which cards."""

    covered: dict[str, list[str]] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    cards_measured: int = 0

    @property
    def ratio(self) -> float:
        total = len(self.covered) + len(self.missed)
        return len(self.covered) / total if total else 0.0


def measure_coverage(
    cards: Sequence[AnyCard], facts: Iterable[GoldFact], limit: int = COVERAGE_LIMIT
) -> Coverage:
    """Coverage of ``facts`` by the first ``limit`` active cards."""
    measured = [c for c in cards if not c.retired][:limit]
    result = Coverage(cards_measured=len(measured))
    for fact in facts:
        hits = [c.id for c in measured if covers(c, fact)]
        if hits:
            result.covered[fact.id] = hits
        else:
            result.missed.append(fact.id)
    return result


def label_sample(cards: Sequence[AnyCard], limit: int = 150, size: int = 50) -> list[AnyCard]:
    """The fixed labelling sample: every k-th active card of the first ``limit`` (k = limit // size)."""
    first = [c for c in cards if not c.retired][:limit]
    step = max(1, len(first) // size)
    return first[::step][:size]


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def _describe(card: AnyCard) -> str:
    answer = card.canonical_answer
    return f"[{card.type}/{card.kind}] {card.prompt}  => {answer}"


def _cmd_coverage(args: argparse.Namespace) -> int:
    deck = load_deck(Path(args.deck), args.commit)
    facts = load_gold(Path(args.gold))
    result = measure_coverage(deck.cards, facts, args.limit)
    by_id = {f.id: f for f in facts}
    print(f"deck: {args.deck} ({result.cards_measured} cards measured)")
    print(f"covered {len(result.covered)}/{len(facts)} = {result.ratio:.0%}")
    print("\nCOVERED")
    for fid, cards in result.covered.items():
        print(f"  {fid}: {', '.join(cards[:4])}{' ...' if len(cards) > 4 else ''}")
    print("\nMISSED")
    for fid in result.missed:
        f = by_id[fid]
        print(f"  {fid} [{f.kind}] {f.section}: {' / '.join(f.answer[:3])}")
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    deck = load_deck(Path(args.deck), args.commit)
    for i, card in enumerate(label_sample(deck.cards, args.limit, args.size), 1):
        quote = card.source.quote if card.source else ""
        print(f"{i:2d}. {card.id} {_describe(card)}")
        if isinstance(card, McqCard):
            print(f"    choices: {card.choices}")
        if card.explanation:
            print(f"    explanation: {card.explanation}")
        print(f"    quote: {quote}")
    return 0


def check_gold(path: Path = GOLD_FACTS) -> list[str]:
    """Problems with a gold list: quotes not in the report, terms not in the quote, bad kinds."""
    problems = []
    report = collapse_wrapping(gold_source(path).read_text(encoding="utf-8"))
    for f in load_gold(path):
        if collapse_wrapping(f.quote) not in report:
            problems.append(f"{f.id}: quote is not a passage of the report")
        if f.kind not in KINDS:
            problems.append(f"{f.id}: unknown kind {f.kind!r}")
        if not any(contains_term(f.quote, a) for a in f.answer):
            problems.append(f"{f.id}: no answer term occurs in its quote")
    return problems


def _cmd_check_gold(args: argparse.Namespace) -> int:
    problems = check_gold(Path(args.gold))
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.quality_tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("coverage", help="gold facts covered and missed by a deck")
    p.add_argument("deck")
    p.add_argument("--limit", type=int, default=COVERAGE_LIMIT)
    p.add_argument("--gold", default=str(GOLD_FACTS))
    p.add_argument("--commit", help="read the deck as it was at this git commit")
    p.set_defaults(run=_cmd_coverage)
    p = sub.add_parser("sample", help="print the fixed labelling sample of a deck")
    p.add_argument("deck")
    p.add_argument("--limit", type=int, default=150)
    p.add_argument("--size", type=int, default=50)
    p.add_argument("--commit", help="read the deck as it was at this git commit")
    p.set_defaults(run=_cmd_sample)
    p = sub.add_parser("check-gold", help="check the gold list against its report")
    p.add_argument("--gold", default=str(GOLD_FACTS))
    p.set_defaults(run=_cmd_check_gold)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
