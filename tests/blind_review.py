"""Blind review of generated cards: a seeded random sample, shown as a trainee sees it.

The reviewer gets a file with the sampled cards (prompt, choices, the accepted
answers, explanation, source passage) and, for the duplicate and give-away
checks, the prompts and answers of every card of the first ``limit``; never the
generator's template, rank or earlier labels. Labels come back as YAML and are
summed per report.

    python -m tests.blind_review sample DECK.yaml --seed 2026 [--limit 150] [--size 30] -o SHEET.md
        (also writes SHEET.key.yaml: card number -> id, kept from the reviewer)
    python -m tests.blind_review summary LABELS.yaml [LABELS.yaml ...]

Labels file::

    deck: path/to/deck.yaml
    seed: 2026
    labels:
    - n: 1
      label: as-is | edit | reject
      trivia: false
      near_duplicate: false
      reason: one line
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from quiz.deck.loader import load_deck
from quiz.deck.model import AnyCard, McqCard, NumericCard, TrueFalseCard

RUBRIC = """\
Label each card with exactly one of:
- as-is: a careful instructor would hand it to a trainee unchanged: grammatical; self-contained
  (it names what it refers to; no "this program", "the grouping" left unnamed); one clear answer
  that the accepted answers match; not given away by its own prompt or by a neighbouring card;
  worth knowing about this report, not trivia.
- edit: fixable by changing about 10 words or fewer.
- reject: anything else.
Also mark trivia: true (not worth a trainee's time: an acronym expansion, who said it in a
newspaper, a detail nobody needs) and near_duplicate: true (another card of the list below asks
the same fact, or gives this answer away).
"""


def sample(
    cards: Sequence[AnyCard], seed: int, limit: int = 150, size: int = 30
) -> list[tuple[int, AnyCard]]:
    """``size`` cards drawn at random (``seed``) from the first ``limit`` active cards, with
    their 1-based position, in position order."""
    first = [c for c in cards if not c.retired][:limit]
    picks = sorted(random.Random(seed).sample(range(len(first)), min(size, len(first))))
    return [(i + 1, first[i]) for i in picks]


def render(card: AnyCard) -> str:
    """The card as a trainee meets it, then its answer side."""
    lines = [f"Type: {card.type}", f"Question: {card.prompt}"]
    if isinstance(card, McqCard):
        lines += [f"  {chr(65 + k)}. {choice}" for k, choice in enumerate(card.choices)]
    if isinstance(card, TrueFalseCard):
        lines.append("  (true or false?)")
    answers = card.accepted_answers  # a numeric card's already carry its unit
    if isinstance(card, NumericCard) and card.tolerance:
        answers = [f"{answers[0]} (within {card.tolerance})", *answers[1:]]
    lines.append(f"Answer: {answers[0]}")
    if len(answers) > 1:
        lines.append(f"Also accepted: {'; '.join(answers[1:])}")
    if card.explanation:
        lines.append(f"Explanation: {card.explanation}")
    if card.source and card.source.quote:
        where = f" (section: {card.source.section})" if card.source.section else ""
        lines.append(f"Source passage{where}: {card.source.quote}")
    return "\n".join(lines)


def sheet(deck_path: Path, seed: int, limit: int, size: int) -> tuple[str, list[dict[str, object]]]:
    """The reviewer's sheet, and the key (card number -> id, position) kept apart from it:
    ids name the generator's templates, which the reviewer must not see."""
    deck = load_deck(deck_path)
    title = deck.title
    picked = sample(deck.cards, seed, limit, size)
    out = [f"# Blind review: {title}", "", RUBRIC, f"## The {len(picked)} cards to label", ""]
    key: list[dict[str, object]] = []
    for n, (pos, card) in enumerate(picked, 1):
        out += [f"### Card {n} (position {pos})", "", render(card), ""]
        key.append({"n": n, "id": card.id, "position": pos, "type": card.type, "kind": card.kind})
    out += [f"## Every card of the first {limit} (for duplicates and give-aways)", ""]
    for pos, card in enumerate([c for c in deck.cards if not c.retired][:limit], 1):
        out.append(f"{pos}. {card.prompt}  => {card.canonical_answer}")
    return "\n".join(out) + "\n", key


def summary(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text())
    labels = data["labels"]
    n = len(labels)
    count = {k: sum(1 for x in labels if x["label"] == k) for k in ("as-is", "edit", "reject")}
    trivia = sum(1 for x in labels if x.get("trivia"))
    dup = sum(1 for x in labels if x.get("near_duplicate"))
    return {
        "deck": data.get("deck"),
        "cards": n,
        "as_is": count["as-is"] / n,
        "as_is_or_edit": (count["as-is"] + count["edit"]) / n,
        "reject": count["reject"] / n,
        "trivia": trivia / n,
        "near_duplicate": dup / n,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sample")
    p.add_argument("deck", type=Path)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--limit", type=int, default=150)
    p.add_argument("--size", type=int, default=30)
    p.add_argument("-o", "--output", type=Path)
    p = sub.add_parser("summary")
    p.add_argument("labels", type=Path, nargs="+")
    args = ap.parse_args(argv)
    if args.cmd == "sample":
        text, key = sheet(args.deck, args.seed, args.limit, args.size)
        if args.output:
            args.output.write_text(text)
            meta = {"deck": str(args.deck), "seed": args.seed, "limit": args.limit, "cards": key}
            args.output.with_suffix(".key.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
        else:
            sys.stdout.write(text)
        return 0
    for path in args.labels:
        s = summary(path)
        print(
            f"{path.name}: {s['cards']} cards, as-is {s['as_is']:.0%}, as-is or edit "
            f"{s['as_is_or_edit']:.0%}, reject {s['reject']:.0%}, trivia {s['trivia']:.0%}, "
            f"near-duplicate {s['near_duplicate']:.0%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
