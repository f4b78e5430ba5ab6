"""Gold recall of the development set: generate every report's deck and measure it.

Run from the repository root::

    python -m bench.recall_set [--out DIR] [--missed] [--only NAME]

Generates the deck of each report of ``tests/data/reports`` (the file its ``*.meta.yaml``
names) and of the seed report, as ``quiz generate REPORT -o DECK`` does, and prints per
list: gold recall within the first 150 cards, the argument share of the first 150, and
near-duplicate pairs in the first 150 (two cards whose own content words overlap by half
or more, or the same answer on overlapping passages). ``--out`` keeps the decks;
``--missed`` lists each list's missed facts.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from itertools import combinations
from pathlib import Path

import yaml

from quiz.cli.generate import _read_document
from quiz.deck.writer import write_deck
from quiz.generate.pipeline import DEFAULT_MAX_CARDS, generate_full
from quiz.generate.rank import content_stems
from tests.quality_tools import load_gold, measure_coverage

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "tests" / "data" / "reports"
SEED = REPO / "seeds" / "stent-2020-russia-and-china-axis-of-revisionists.txt"
GOLD = REPO / "tests" / "data" / "gold"
LIMIT = 150


def reports() -> list[tuple[str, Path, list[tuple[str, Path]]]]:
    """(name, report file, [(list name, gold file)]) for the set and the seed."""
    out = []
    for meta_path in sorted(REPORTS.glob("*.meta.yaml")):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        name = meta_path.name.removesuffix(".meta.yaml")
        out.append((name, REPORTS / meta["file"], [(name, REPORTS / meta["gold"])]))
    out.append(
        (
            "seed",
            SEED,
            [
                ("seed project", GOLD / "stent-2020-key-facts.yaml"),
                ("seed independent", GOLD / "stent-2020-key-facts-independent.yaml"),
            ],
        )
    )
    return out


def near_duplicates(cards: list) -> int:
    """Pairs of cards in ``cards`` that ask one point twice (content-overlap check)."""
    own = [content_stems(f"{c.prompt} {c.canonical_answer}") for c in cards]
    quote = [content_stems(c.source.quote if c.source else "") for c in cards]
    n = 0
    for i, j in combinations(range(len(cards)), 2):
        if len(own[i] & own[j]) / max(1, len(own[i] | own[j])) >= 0.5:
            n += 1
            continue
        a, b = cards[i].canonical_answer.casefold(), cards[j].canonical_answer.casefold()
        q = len(quote[i] & quote[j]) / max(1, len(quote[i] | quote[j]))
        if len(a) >= 4 and a == b and a not in ("true", "false") and q >= 0.2:
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.recall_set")
    p.add_argument("--out", type=Path, help="directory to keep the decks in")
    p.add_argument("--missed", action="store_true", help="list the missed facts")
    p.add_argument("--only", help="only reports whose name contains this")
    args = p.parse_args(argv)
    total_cov = total_facts = 0
    rows = []
    for name, path, lists in reports():
        if args.only and args.only not in name:
            continue
        t0 = time.perf_counter()
        doc = _read_document(path)
        gen = generate_full(
            doc.text,
            source_name=path.as_posix(),
            max_cards=DEFAULT_MAX_CARDS,
            source_file=os.path.relpath(path, REPO),
            document=doc,
        )
        cards = [c for c in gen.deck.cards if not c.retired]
        first = cards[:LIMIT]
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            write_deck(gen.deck, args.out / f"{name}.yaml", header="recall_set", replace=True)
        args_share = sum(1 for c in first if c.kind == "argument") / max(1, len(first))
        dups = near_duplicates(first)
        for list_name, gold in lists:
            facts = load_gold(gold)
            cov = measure_coverage(gen.deck.cards, facts, LIMIT)
            total_cov += len(cov.covered)
            total_facts += len(facts)
            rows.append(
                f"{list_name:42s} {len(cov.covered):3d}/{len(facts):3d} = {cov.ratio:4.0%}"
                f"  cards {len(cards):3d}  args {args_share:4.0%}  dups {dups}"
                f"  ({time.perf_counter() - t0:.1f}s)"
            )
            print(rows[-1], flush=True)
            if args.missed:
                by_id = {f.id: f for f in facts}
                for fid in cov.missed:
                    f = by_id[fid]
                    print(f"    MISSED {fid} [{f.kind}] {f.section}: {' / '.join(f.answer[:3])}")
                    print(f"        {f.quote[:200]}")
    print(f"{'TOTAL':42s} {total_cov:3d}/{total_facts:3d} = {total_cov / max(1, total_facts):4.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
