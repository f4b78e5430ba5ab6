"""Generate every deck of the set and count, in each deck's first 150 cards, the patterns a
blind review rejects; print gold recall beside them (the cost of a precision change).

    python -m tests.quality_patterns OUT_DIR [--corpus PATH]   (from the repository root)
    NOGEN=1 ...   count decks already in OUT_DIR;  ONLY=SLUG ...   one report

The counters are regular expressions, deliberately crude: a trend on the whole set, not
labels (they also count some good cards, e.g. 'The Office of Inspector General ...').
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from quiz.deck.loader import load_deck

REPO = Path(os.environ.get("REPO", Path(__file__).resolve().parent.parent))
PY = sys.executable
QUIZ = [sys.executable, "-m", "quiz"]
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "decks-measured").resolve()
CORPUS = (
    Path(sys.argv[sys.argv.index("--corpus") + 1])
    if "--corpus" in sys.argv
    else (REPO.parent / "shared/corpus/special-counsel-report-vol1-intro.txt")
)
OUT.mkdir(parents=True, exist_ok=True)
REPORTS = []
for meta in sorted((REPO / "tests/data/reports").glob("*.meta.yaml")):
    m = yaml.safe_load(meta.read_text())
    REPORTS.append(
        (
            m["slug"],
            REPO / "tests/data/reports" / m["file"],
            REPO / "tests/data/reports" / f"{m['slug']}.gold.yaml",
        )
    )
REPORTS.append(("seed", REPO / "seeds/stent-2020-russia-and-china-axis-of-revisionists.txt", None))
if CORPUS.exists():
    REPORTS.append(("corpus", CORPUS, None))
only = os.environ.get("ONLY")


FILLER_END = re.compile(
    r"\b(?:in|of|to|for|on|at|by|with|within|from|outside|inside|into|than|as|about)$", re.I
)
ADVERB = re.compile(r"^\w+ly\b", re.I)
VERBISH = re.compile(
    r"^(?:[a-z]+(?:ed|ing)|is|are|was|were|be|has|have|had)\b(?!\s+\w+(?:tion|ment|ness|ity)\b)"
)
GENERIC_SUBJ = re.compile(
    r"(?:say|says|may|should|could|might|can|will|must|does|do)\s+(?:the United States|an? (?:agency|grantee|state|program|project|company|country|official)|states|agencies|grantees|they|it|he|she|we|you|municipalities|states or municipalities)\s+(?:should\s+|also\s+|may\s+)?do\?",
    re.I,
)
BROKEN_CASE = re.compile(
    r"(?:what|why|how|who|whom|when)\s+(?:\w+\s+){0,4}?(?:A|An|The|Foreign|Some|Many|Most|This|These|Such)\s+[a-z]",
    re.U,
)
CUT_CLAUSE = re.compile(
    r"\b(?:always|not|also|only|often|sometimes|still|never|the|a|an|of|to|and|or|be)\?$", re.I
)
UNRESOLVED_OPEN = re.compile(
    r"^(?:[“\"‘(]*)(?:it|they|these|those|this|that|such|the (?:area|project|meeting|program|agency|grouping|office|figure|table|report's|effort|efforts|study|plan|case|company|firm|bill|physician|defendant|owner|state|projects?|law|rule|proposal)s?)\b",
    re.I,
)
FIGURE = re.compile(
    r"\b(?:as (?:the|this) (?:figure|table|chart|graph) shows|figure \d|table \d|see (?:figure|table))",
    re.I,
)
TABLE_FRAG = re.compile(
    r"\((?:[Dd]ollars|[Ii]n) (?:in )?(?:thousands|millions|billions)\)|\bFY \d{4} ____|(?:[A-Z][a-z]+ [A-Z][a-z]+, (?:____, )?){2,}|^[^.?!]*[^.?!”\"’)\s]\s*$"
)
TRIVIA_NUM = re.compile(
    r"how many (?:dollars|months|years|days)\b.*\b(?:sentenced|ordered|pay|paid|restitution|fine|cost them|prison|probation|per day)|\b(?:sentenced|restitution|probation|prison)\b.*how many",
    re.I,
)


def content_term(ans: str) -> bool:
    a = ans.strip()
    if re.search(r"\d", a) or re.search(r"\b[A-Z]", a):
        return True
    words = a.split()
    if FILLER_END.search(a) or ADVERB.match(a) or VERBISH.match(a):
        return False
    if (
        len(words) == 1
        and re.search(r"(?:ive|ous|able|ible|al|ic|ful|ed|ly)$", a)
        and not re.search(r"(?:tion|ment|ness|ity|ism|ist|ance|ence)$", a)
    ):
        return False
    return not (
        words
        and re.search(r"(?:ly|ed)$", words[0])
        and len(words) >= 2
        and not re.search(r"(?:tion|ment|ness|ity|ance|ence|ism|s)$", words[-1])
    )


def cloze_answer(card):
    if card.type != "cloze":
        return None
    m = re.search(r"\{\{(.+?)\}\}", card.text)
    return m.group(1).split("::")[0].split("|")[0] if m else None


def norm(s):
    return re.sub(r"[^a-z0-9 ]", "", s.lower()).strip()


def count(deck_path):
    deck = load_deck(deck_path)
    cards = [c for c in deck.cards if not c.retired]
    first = cards[:150]
    c = Counter()
    ex = {}

    def hit(k, card, text=None):
        c[k] += 1
        ex.setdefault(k, []).append(text or card.prompt)

    answers = Counter()
    for card in first:
        p = card.prompt
        ca = cloze_answer(card)
        if ca is not None and not content_term(ca):
            hit("cloze-noncontent", card, f"[{ca}] {p}")
        if GENERIC_SUBJ.search(p):
            hit("vague-arg", card)
        if BROKEN_CASE.search(p) and card.type in ("short", "basic"):
            hit("broken-case", card)
        if card.type in ("short", "basic") and CUT_CLAUSE.search(p.strip()):
            hit("cut-clause", card)
        body = re.sub(r"^(?:According to [^,]+,|True or false:)\s*", "", p).lstrip("_ ")
        if UNRESOLVED_OPEN.match(body):
            hit("unresolved-open", card)
        if FIGURE.search(p):
            hit("figure-ref", card)
        if TABLE_FRAG.search(p):
            hit("table-frag", card)
        if TRIVIA_NUM.search(p):
            hit("case-trivia", card)
        if card.type == "truefalse" and re.search(
            r"\bdid identify\b.*\bany\b|\b(?:did|does|is|was|were|has|have) (?!not)\w+ (?:any|either|yet)\b",
            p,
        ):
            hit("tf-negation", card)
        for a in card.accepted_answers[:1]:
            answers[norm(str(a))] += 0 if card.type == "truefalse" else 1
    dup = sum(n - 1 for a, n in answers.items() if n > 1 and a)
    c["dup-answers"] = dup
    ex["dup-answers"] = [a for a, n in answers.items() if n > 1 and a]
    return len(cards), c, ex


KEYS = [
    "vague-arg",
    "broken-case",
    "cut-clause",
    "cloze-noncontent",
    "case-trivia",
    "table-frag",
    "unresolved-open",
    "figure-ref",
    "tf-negation",
    "dup-answers",
]


def main():
    rows = []
    allex = {}
    for slug, src, gold in REPORTS:
        if only and only not in slug:
            continue
        deck = OUT / f"{slug}.yaml"
        if not os.environ.get("NOGEN"):
            r = subprocess.run(
                [*QUIZ, "generate", str(src), "-o", str(deck), "--force"],
                cwd=REPO,
                capture_output=True,
                text=True,
            )
            if r.returncode:
                print(slug, "FAILED", r.stderr[-500:])
                continue
        n, c, ex = count(deck)
        allex[slug] = ex
        cov = ["-m", "tests.quality_tools", "coverage", str(deck)] + (
            ["--gold", str(gold)] if gold else []
        )
        if slug == "corpus":
            recall = "-"
        else:
            r = subprocess.run([PY, *cov], cwd=REPO, capture_output=True, text=True)
            m = re.search(r"(\d+)\s*/\s*(\d+)", r.stdout)
            recall = f"{m.group(1)}/{m.group(2)}" if m else r.stdout[-200:] + r.stderr[-300:]
        rows.append((slug[:14], n, recall, [c[k] for k in KEYS]))
    print(f"{'report':14} {'cards':>5} {'recall':>6} " + " ".join(f"{k[:9]:>9}" for k in KEYS))
    tot = [0] * len(KEYS)
    for slug, n, recall, vals in rows:
        tot = [a + b for a, b in zip(tot, vals, strict=True)]
        print(f"{slug:14} {n:5} {recall:>6} " + " ".join(f"{v:9}" for v in vals))
    print(f"{'TOTAL':14} {'':5} {'':6} " + " ".join(f"{v:9}" for v in tot))
    (OUT / "examples.json").write_text(json.dumps(allex, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
