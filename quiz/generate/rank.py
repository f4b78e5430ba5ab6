"""Score card drafts and pick the best, spread across paragraphs and sections."""

from __future__ import annotations

import math
import re
from collections import Counter

from quiz.generate.candidates import HEDGES, argument_markers, starts_vague
from quiz.generate.draft import Draft
from quiz.generate.sentences import Sentence

_SUMMARY = re.compile(
    r"\b(?:summary|overview|introduction|conclusions?|key findings|findings|recommendations?|"
    r"implications|abstract|highlights|what \w+ found|results in brief|in brief|key takeaways|"
    r"bottom line|main points|matters? for congressional consideration)\b",
    re.IGNORECASE,
)
# parts of a report that hold procedure, not its points
_PROCEDURE = re.compile(
    r"\b(?:scope and methodology|methodology|methods|objectives?, scope|acknowledg(?:e)?ments?|"
    r"agency comments|related \w+ products|contacts?|staff acknowledgments|appendix|appendices|"
    r"glossary|abbreviations|references|bibliography|endnotes|notes)\b",
    re.IGNORECASE,
)
# a sentence about the document itself (its figures, tables, pages), not about its subject
_NAVIGATION = re.compile(
    r"\b(?:see (?:fig|figure|table|app|appendix|section|page|chapter)|figure \d|table \d|fig\. \d|"
    r"source: |appendix [IVX\d]|section [IVX\d]+ of|pages? \d|volume \d)",
    re.IGNORECASE,
)
TEMPLATE_WEIGHT = {
    "cause": 2.6, "cause-next": 2.6, "result": 2.2, "result-next": 1.5, "contrast": 1.8,
    "contrast-next": 1.8, "concession": 1.5, "recommend": 2.4, "how-could": 2.4, "predict": 1.5,
    "key-is": 2.4, "subject-what": 1.4, "unlikely": 1.6, "negation": 1.5, "comparison": 1.5, "finding": 1.4, "who-said": 2.4, "acronym": 2.0,
    "define": 1.6, "numeric": 1.3, "mcq": 1.4, "cloze": 1.2, "short": 1.3, "tf-true": 0.8,
    "tf-swap": 1.0, "keyword": 0.8,
}  # fmt: skip


# a thing the prompt points back to without naming it: "these projects", "this ambitious
# project", "the same exercise", a year given only relative to when the report was written
_VAGUE_REFERENCE = re.compile(
    r"\b(?:(?:these|those|this)\s+(?!who\b|which\b|that\b|are\b|were\b)"
    r"(?:[a-z]+\s+)?[a-z]{3,}s?\b(?!\s+(?:is|was|year|week|month)\b)"
    r"|the\s+same\s+[a-z]+|(?:last|this|next|that)\s+(?:year|month|week|spring|summer|autumn|fall|winter)"
    r"|\bthat\s+(?:foreign\s+|same\s+|particular\s+)?(?:government|trip|proposal|meeting|period|"
    r"country|company|program|project|plan|effort|report|decision|event|time|day|person|man|woman)\b"
    r"|^(?:The|the)\s+(?:friend|associate|lawyer|official|officer|adviser|advisor|businessman|man|"
    r"woman|individual|person|source|executive)\b)",
    re.IGNORECASE,
)
VAGUE_REFERENCE_PENALTY = 1.5


def vague_reference(prompt: str) -> bool:
    """Whether a prompt points back to something it does not name ("these projects", "Last year")."""
    return bool(_VAGUE_REFERENCE.search(prompt))


_NUMBER = re.compile(r"\d[\d,.]*")
OVERLOAD_PENALTY = 0.6


def overloaded(d: Draft) -> bool:
    """Whether a card asks too much at once: a fact prompt stating 3+ other numbers, or an
    answer that is a whole long clause (over 25 words)."""
    if len(d.answer.split()) > 25:
        return True
    if d.kind != "fact" or d.type == "truefalse":
        return False
    answer_numbers = set(_NUMBER.findall(d.answer))
    others = [n for n in _NUMBER.findall(d.prompt) if n not in answer_numbers]
    return len(others) >= 3


MAX_SAME_ANSWER = 2

_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "they",
        "which",
        "who",
        "what",
        "how",
        "why",
        "when",
        "will",
        "would",
        "could",
        "should",
        "not",
        "no",
        "but",
        "than",
        "more",
        "most",
        "also",
        "into",
        "about",
        "over",
        "under",
        "between",
        "after",
        "before",
        "during",
        "such",
        "according",
        "report",
    ]
)


def content_stems(text: str) -> frozenset[str]:
    """The content words of a text, cut to six letters: what two passages share when they
    make the same point."""
    return frozenset(
        w[:6]
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if len(w) > 2 and w not in _FUNCTION_WORDS
    )


def _answer_key(d: Draft) -> str:
    a = d.answer.casefold().strip()
    return "" if a in ("true", "false") or len(a) < 4 else a


def _same_words(a: str, b: str) -> bool:
    """Whether two answers share most of their content words ("post-West world order",
    "post-West global order")."""
    x, y = content_stems(a), content_stems(b)
    return len(x) >= 2 and len(y) >= 2 and len(x & y) * 3 >= 2 * max(len(x), len(y))


def near_duplicate(
    d: Draft, c: Draft, stems: dict[str, tuple[frozenset[str], frozenset[str]]]
) -> bool:
    """Whether two cards ask one fact twice, or one gives the other away: the same point
    restated (the summary and the body), the same answer on overlapping passages, or one
    card's answer written out in the other's prompt about the same passage."""
    (a_own, a_all), (b_own, b_all) = stems[d.id], stems[c.id]
    if len(a_own & b_own) / max(1, len(a_own | b_own)) >= 0.5:
        return True
    overlap = len(a_all & b_all) / max(1, len(a_all | b_all))
    ka, kb = _answer_key(d), _answer_key(c)
    if ka and kb and (ka == kb or _same_words(ka, kb)) and overlap >= 0.2:
        return True  # "post-West world order" and "post-West global order"
    gives = (ka and ka in c.prompt.casefold()) or (kb and kb in d.prompt.casefold())
    return bool(gives) and overlap >= 0.25


MIN_SCORE = 1.0
KEYWORD_FLOOR = 3.5  # a rare-word gap competes with other cards only on a sentence this good  # below this a draft only fills a deck the report cannot fill otherwise


_CITATION_LIKE = re.compile(
    r"available at|Washington, D\.C\.|\bpp?\.\s*\d|\bet al\.|\bJournal\b|\bPress\b|\bVol\.|"
    r"\([A-Z][a-z]+ \d{4}\)|\((?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)[^)]{0,12}\d{4}\)|GAO-\d\d-\d+|[A-Z]\. [A-Z][a-z]+, [A-Z]"
)


_SOURCE_NOTE = re.compile(
    r"\b(?:Accessed|Retrieved|Last accessed) (?:on )?[A-Z][a-z]+ \d|\bavailable at\b|"
    r"\((?:A|OEI|OAS|OIG)-\d\d-\d\d-\d{3,}\)|\bSee (?:also )?(?:appendix|page|figure|table)\b",
    re.IGNORECASE,
)


def sentence_score(s: Sentence, heading_words: set[str]) -> float:
    """How worth asking about a sentence is, from simple features."""
    score = 0.0
    if _SUMMARY.search(s.section):
        score += 2.0
    if s.section_rank == 0:
        score += 1.0
    if s.index == 0:
        score += 0.6
    nums = len(re.findall(r"\d[\d,.]*", s.text))  # numbers, not digits
    score += min(nums, 2) * 0.25
    if nums >= 5 and nums > 0.2 * len(s.text.split()):
        score -= 1.0  # a table row or a list of figures run into prose
    caps = len(re.findall(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+", s.text))
    score += min(caps, 6) * 0.1
    score += 0.5 * min(len(argument_markers(s.text)), 3)
    text_words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", s.text)}
    score += 0.3 * min(len(text_words & heading_words), 3)
    if len(_CITATION_LIKE.findall(s.text)) >= 2 or _SOURCE_NOTE.search(s.text):
        score -= 2.0  # a bibliography entry or source note, not a point of the report
    if starts_vague(s.text):
        score -= 1.2
    n = len(s.text.split())
    if n < 8 or n > 55:
        score -= 1.5
    elif n > 40:
        score -= 0.6
    return score


_CASE_DETAIL = re.compile(
    r"\b(?:was|were|is|are) (?:sentenced|convicted|indicted|excluded for|ordered to pay|fined)\b|"
    r"\bpleaded guilty\b|\bpled guilty\b|\bagreed to pay\b|\bto (?:settle|resolve) (?:the )?"
    r"(?:allegations|claims|charges)\b|\bpaid the (?:United States|government|state)\b|"
    r"\b(?:months|years) (?:in prison|imprisonment|of incarceration)\b",
    re.IGNORECASE,
)
_SPEAKER_HERE = re.compile(r"\b(?:I|me|my|you|your)\b|\bYou\b")


def importance(sentences: list[Sentence]) -> dict[int, float]:
    """How central each sentence is to the whole document, by its start: restated in
    another section (a claim of the summary or the conclusion that the body repeats), made
    of the report's recurring terms, or about the report itself (navigation) or its method.
    """
    stems = [content_stems(s.text) for s in sentences]
    df: Counter[str] = Counter()
    for st in stems:
        df.update(st)
    n = max(1, len(sentences))
    # the report's key terms: recurring, but not in nearly every sentence
    key = {w: math.log(c) for w, c in df.items() if 3 <= c <= max(3, n * 0.25)}
    postings: dict[str, list[int]] = {}
    for i, st in enumerate(stems):
        for w in st:
            if w in key:
                postings.setdefault(w, []).append(i)
    out: dict[int, float] = {}
    for i, s in enumerate(sentences):
        st = stems[i]
        score = 0.0
        # restated elsewhere: the best overlap with a sentence of another section
        shared: Counter[int] = Counter()
        for w in st:
            for j in postings.get(w, ()):
                if j != i and sentences[j].section != s.section:
                    shared[j] += 1
        best = max((k / max(1, len(st | stems[j])) for j, k in shared.items()), default=0.0)
        if best >= 0.3:
            score += 1.0
        elif best >= 0.2:
            score += 0.5
        if st:
            score += min(0.8, sum(key.get(w, 0.0) for w in st) / (len(st) * 3.0))
        if _NAVIGATION.search(s.text):
            score -= 1.5
        if _CASE_DETAIL.search(s.text):
            score -= 1.5  # one case among many (a sentence, a fine, a settlement): a detail
        if _SPEAKER_HERE.search(s.text):
            score -= 1.5  # "I will provide summary comments here", "You asked us": the occasion
        if _PROCEDURE.search(s.section):
            score -= 1.0
        out[s.start] = score
    return out


def score_drafts(drafts: list[Draft], sentences: list[Sentence]) -> None:
    """Set ``draft.score`` for every draft."""
    by_start = {s.start: s for s in sentences}
    central = importance(sentences)
    section_words: dict[str, set[str]] = {}
    for s in sentences:
        section_words.setdefault(
            s.section, {w.lower() for w in re.findall(r"[A-Za-z]{4,}", s.section)}
        )
    for d in drafts:
        found = by_start.get(d.quote_start)
        base = sentence_score(found, section_words.get(d.section, set())) if found else 0.0
        base += central.get(d.quote_start, 0.0)
        if d.template == "who-said":
            base = max(base, 1.0)  # the speaker's short lead-in sentence is not the point
        w = TEMPLATE_WEIGHT.get(d.template, 1.0)
        hedge = 0.6 if d.kind == "fact" and HEDGES.search(d.quote) else 0.0
        n_words = len(d.prompt.split())
        length_pen = 1.0 if n_words > 60 else 0.5 if n_words > 45 else 0.0
        vague = VAGUE_REFERENCE_PENALTY if vague_reference(d.prompt) or d.unresolved else 0.0
        overload = OVERLOAD_PENALTY if overloaded(d) else 0.0
        d.score = round(base + w + d.bonus - hedge - length_pen - vague - overload, 4)


SUMMARY_WEIGHT = 3.0
SECTION_SPREAD = 2.0  # score a section's next card gives up so that other sections come round


def summary_weight(section: str) -> float:
    """How much more of the deck a summary, findings, conclusions or recommendations section
    gets than its size alone would give it: that is where a report states its points."""
    return SUMMARY_WEIGHT if _SUMMARY.search(section) else 1.0


def select(drafts: list[Draft], max_cards: int, argument_share: float = 0.35) -> list[Draft]:
    """The best drafts under caps per sentence, paragraph and section, in document order.

    Argument cards are picked first up to ``argument_share`` of ``max_cards`` so the deck
    asks about the report's reasoning, not only its numbers.
    """
    ordered = sorted(drafts, key=lambda d: (-d.score, d.quote_start, d.id))
    section_size = Counter(d.section for d in drafts)
    total = max(1, sum(section_size.values()))
    section_cap = {
        sec: max(3, math.ceil(max_cards * n / total * 1.6 * summary_weight(sec)))
        for sec, n in section_size.items()
    }
    per_block: Counter[int] = Counter()
    block_drafts = Counter(d.block for d in drafts)
    per_section: Counter[str] = Counter()
    per_sentence: Counter[str] = Counter()
    per_answer: Counter[str] = Counter()  # the same answer over and over tests little
    chosen: list[Draft] = []
    chosen_ids: set[str] = set()
    stems = {d.id: (content_stems(d.own or d.quote), content_stems(d.quote)) for d in drafts}

    def try_take(d: Draft, block_cap: int) -> bool:
        if d.id in chosen_ids or len(chosen) >= max_cards:
            return False
        if any(near_duplicate(d, c, stems) for c in chosen):
            return False
        cap = max(block_cap, math.ceil(block_drafts[d.block] * 0.2))  # long paragraphs hold more
        uncapped = block_cap >= 10_000
        if not uncapped and (
            per_block[d.block] >= cap or per_section[d.section] >= section_cap[d.section]
        ):
            return False
        if per_sentence[d.group] >= 1:
            return False  # one card per passage: a second one asks it again or gives it away
        if d.kind == "fact" and per_answer[d.answer.casefold()] >= MAX_SAME_ANSWER:
            return False
        chosen.append(d)
        chosen_ids.add(d.id)
        per_block[d.block] += 1
        per_section[d.section] += 1
        per_sentence[d.group] += 1
        per_answer[d.answer.casefold()] += 1
        return True

    arg_target = math.ceil(max_cards * argument_share)
    best_of_group: dict[str, float] = {}
    for d in ordered:
        best_of_group.setdefault(d.group, d.score)
    # an argument card goes first unless its passage has a much better card of another kind
    args = [d for d in ordered if d.kind == "argument" and d.score >= best_of_group[d.group] - 0.5]
    for d in args:
        if sum(1 for c in chosen if c.kind == "argument") >= arg_target:
            break
        try_take(d, 3)

    def filler(d: Draft) -> bool:
        """A draft that scored next to nothing, or a rare-word gap on a sentence of no weight
        (on a key sentence it is often the only card there is)."""
        return d.score < MIN_SCORE or (d.template == "keyword" and d.score < KEYWORD_FLOOR)

    fillers = [d for d in ordered if filler(d)]
    ordered = [d for d in ordered if not filler(d)]
    for block_cap in (4, 6, 10):
        for d in ordered:
            if len(chosen) >= max_cards:
                break
            try_take(d, block_cap)
    for d in ordered:  # a short report: the caps that spread a long one need not leave room empty
        if len(chosen) >= max_cards:
            break
        try_take(d, 10_000)
    for d in fillers:  # rare-word gaps only where the report offers nothing better
        if len(chosen) >= max_cards:
            break
        if d.score >= MIN_SCORE:  # a draft that scored next to nothing is left out
            try_take(d, 10)
    # keep the share of argument cards even where caps got in the way
    min_args = math.ceil(min(len(chosen), max_cards) * 0.32)
    spare = [d for d in args if d.id not in chosen_ids]
    while sum(1 for c in chosen if c.kind == "argument") < min_args and spare:
        new = spare.pop(0)
        others = [c for c in chosen if c.group == new.group or near_duplicate(new, c, stems)]
        if any(c.kind == "argument" for c in others):
            continue
        for c in others:  # the argument card takes the place of a fact card on its passage
            chosen.remove(c)
        facts = [c for c in chosen if c.kind != "argument"]
        if len(chosen) >= max_cards and facts:
            drop = min(facts, key=lambda c: (c.score, c.id))
            chosen.remove(drop)
        chosen.append(new)
        chosen_ids.add(new.id)
    return interleave_sections(chosen)


def interleave_sections(chosen: list[Draft]) -> list[Draft]:
    """Best first, taking each section's next-best card in turn (sections in report order).

    The first cards of the deck then cover the whole report, which matters when a
    learner (or an instructor reviewing) only gets through the first part of it.
    """
    order: dict[str, int] = {}
    for d in sorted(chosen, key=lambda d: d.quote_start):
        order.setdefault(d.section, len(order))
    queues: dict[str, list[Draft]] = {sec: [] for sec in order}
    seen_groups: set[str] = set()
    firsts: list[Draft] = []
    seconds: list[Draft] = []
    for d in sorted(chosen, key=lambda d: (-d.score, d.quote_start, d.id)):
        (seconds if d.group in seen_groups else firsts).append(d)
        seen_groups.add(d.group)
    for d in firsts + seconds:  # a second card on a passage comes after every first card
        queues[d.section].append(d)
    # larger sections come round more often, by the square root of their size: every
    # section is reached early, the richest ones are not starved
    keyed: list[tuple[float, int, int, Draft]] = []
    for sec, queue in queues.items():
        weight = (math.sqrt(len(queue)) or 1.0) * summary_weight(sec)
        for i, d in enumerate(queue):
            # the card's own worth, less a little for each better card of its section ahead
            keyed.append((SECTION_SPREAD * (i + 0.5) / weight - d.score, order[sec], i, d))
    keyed.sort(key=lambda k: (k[0], k[1], k[2]))
    return [k[3] for k in keyed]
