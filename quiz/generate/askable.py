"""Which answers are worth asking: not the report's ubiquitous names, stock phrases,
citations, offices, years inside names; and the rare-word gap used when nothing else is."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from quiz.generate.candidates import ORG_WORDS, STOPWORDS, TITLES, Span, is_country
from quiz.generate.clean import word_zipf
from quiz.generate.draft import Draft
from quiz.generate.sentences import Sentence


def frequent_surnames(sentences: list[Sentence]) -> set[str]:
    """Capitalised words in at least 6% of the sentences (and 5): a person so named is guessable."""
    counts: Counter[str] = Counter()
    for s in sentences:
        counts.update({w for w in re.findall(r"(?<!^)\b[A-Z][a-z]{2,}\b", s.text)})
    limit = max(5, 0.06 * len(sentences))
    return {w for w, n in counts.items() if n >= limit}


def frequent_person(answer: str, frequent: set[str]) -> bool:
    """Whether an answer is a person's full name (or titled surname: "President Petrov")
    whose surname the report keeps repeating."""
    tokens = core_name(answer).split()
    titled = len(tokens) == 1 and len(answer.split()) >= 2 and tokens[0][:1].isupper()
    if titled and not any(t in ORG_WORDS for t in answer.split()):
        return tokens[0] in frequent
    if not 2 <= len(tokens) <= 4 or not all(t[:1].isupper() or t.endswith(".") for t in tokens):
        return False
    return (
        tokens[-1] in frequent
        and not any(t in ORG_WORDS for t in tokens)
        and not is_country(" ".join(tokens))
    )


def topic_list(answer: str, topic_names: set[str], common: set[str]) -> bool:
    """Whether an answer only lists the report's ubiquitous names ("Putin and Xi"): asked
    even by role ("who are authoritarian leaders ...?"), it is guessed, not learnt.
    ``common`` holds names (surnames) the report uses all the time."""
    parts = [p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", answer.strip()) if p]

    def trivial(part: str) -> bool:
        tokens = core_name(part).split()
        if not tokens or not all(t[:1].isupper() for t in tokens):
            return False  # a clause, not a name
        return topic_answer(part, topic_names) or any(t in common for t in tokens)

    return len(parts) >= 2 and all(trivial(p) for p in parts)


def asks_role(d: Draft) -> bool:
    """Whether a draft asks for a name by its role in the argument (who said, whom blamed):
    then even the report's most mentioned name is worth asking."""
    return d.template == "who-said" or (
        d.type == "short"
        and d.kind == "argument"
        and d.prompt.startswith("According to the report")
    )


_NOUNISH = re.compile(
    r"(?:tion|sion|ment|ence|ance|ity|ism|ship|ness|ency|ancy|acy|ure|ogy|ics|ist|ies|"
    r"ions|ments|ences|ances|isms|ships|ists|ures)$"
)
_CONTENT = re.compile(r"(?<![\w’'-])([a-z][a-z-]{4,})(?![\w’'-])")


_ADJECTIVE_ENDS = ("al", "ic", "ive", "ous", "ary", "ible", "able", "ful", "less", "ant", "ent")


def keyword_spans(text: str, document: str = "") -> list[Span]:
    """The sentence's rarest content word, with its modifier: a gap when nothing else is.

    Most good cloze gaps are not names (Becker et al.); the least common word of a
    sentence is usually the one that carries its meaning.
    """
    best: tuple[float, int, int] | None = None
    quoted_depth = 0
    for m in _CONTENT.finditer(text):
        w = m.group(1)
        before = text[: m.start()]
        quoted_depth = before.count("“") - before.count("”") + before.count('"') % 2
        if quoted_depth > 0 or w in STOPWORDS:
            continue
        z = word_zipf(w)
        if z <= 0 or z >= 4.0:
            continue
        if not _NOUNISH.search(w) and (z >= 3.0 or w.endswith(("ly", "ed", "ing"))):
            continue  # a rare word may carry the point even without a noun ending ("inter-state")
        if best is None or z < best[0]:
            best = (z, m.start(), m.end())
    if best is None:
        return []
    _, start, end = best
    # widen to "modifier noun" / "noun of noun" when the neighbour is a content word
    prev = re.search(r"(?<![\w’'-])([a-z][a-z-]{3,})\s+$", text[:start])
    if (
        prev
        and prev.group(1) not in STOPWORDS
        and not prev.group(1).endswith(("ly", "ed", "es"))
        and word_zipf(prev.group(1)) < 5.0
        and (
            prev.group(1).endswith(_ADJECTIVE_ENDS)
            or document.count(f"{prev.group(1)} {text[start:end]}") >= 2
        )
    ):
        start = prev.start(1)  # "regime survival", not "providers immunization"
    nxt = re.match(r"\s+([a-z][a-z-]{3,})\b", text[end:])
    adjective = text[start:end].endswith(_ADJECTIVE_ENDS) and not _NOUNISH.search(text[start:end])
    if (
        nxt
        and nxt.group(1) not in STOPWORDS
        and (word_zipf(nxt.group(1)) < 4.6 or adjective)  # "nonmedical services", not "nonmedical"
        and not (nxt.group(1).endswith(("ed", "ly", "ing")))
    ):
        end = end + nxt.end(1)
    phrase = text[start:end]
    if len(phrase.split()) > 3:
        return []
    return [Span("term", phrase, start, end, etype="keyword")]


def collocation(sp: Span, text: str, document: str) -> bool:
    """Whether a keyword follows a word it follows three or more times in the report
    ("election ____" -> interference): the phrase gives it away."""
    before = re.search(r"([A-Za-z’']+)[\s-]+$", text[: sp.start])
    if not before:
        return False
    lowered = _lowered(document)
    if lowered.count(sp.text.lower()) < 3 or lowered.count(before.group(1).lower()) < 3:
        return False  # cannot follow anything three times (a fast test before the regex)
    pattern = re.compile(
        rf"\b{re.escape(before.group(1))}[\s-]+{re.escape(sp.text)}\b", re.IGNORECASE
    )
    found = pattern.finditer(document)
    return sum(1 for _ in zip(range(3), found, strict=False)) >= 3  # stops at the third


@lru_cache(maxsize=2)
def _lowered(document: str) -> str:
    return document.lower()


def stock_phrase(sp: Span, text: str, document: str) -> bool:
    """Whether the answer sits in a phrase the report repeats ("the 2016 presidential
    election"): asking it once more tests nothing."""
    after = re.match(r"\s+([\w’'-]+\s+[\w’'-]+)", text[sp.end :])
    if not after:
        return False
    return document.count(f"{sp.text} {after.group(1)}") >= 3


def core_name(name: str) -> str:
    """A name without its leading titles: "President Trump" -> "Trump", "Special Counsel" stays."""
    tokens = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).split()
    tokens[-1:] = [re.sub(r"[’']s$", "", tokens[-1])] if tokens else []

    def title(t: str) -> bool:
        return t in TITLES or t.split("-")[0] in TITLES

    while len(tokens) > 1 and title(tokens[0]) and not all(title(t) for t in tokens[1:]):
        tokens = tokens[1:]
    return " ".join(tokens)


def topic_entities(
    spans_by_sentence: list[list[Span]], sections: list[str] | None = None
) -> set[str]:
    """Names the whole report is about (the most mentioned): trivial answers, never asked.

    Names count without their titles ("President Trump" is "Trump"). A name in at least a
    third of a section's sentences (and in 4 or more) is that section's topic, trivial too.
    """
    counts: dict[str, int] = defaultdict(int)
    by_section: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    section_size: dict[str, int] = defaultdict(int)
    for i, spans in enumerate(spans_by_sentence):
        section = sections[i] if sections else ""
        section_size[section] += 1
        for name in {core_name(sp.text) for sp in spans if sp.kind == "entity"}:
            counts[name] += 1  # sentences naming it: the learner can guess it almost anywhere
            by_section[section][name] += 1
    if not counts:
        return set()
    limit = max(8, 0.1 * len(spans_by_sentence))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    topic = {name for name, n in ranked if n >= limit}
    if sections:
        for section, names in by_section.items():
            topic |= {
                name
                for name, n in names.items()
                if n >= 4 and n * 3 >= section_size[section] and len(name) > 1
            }
    return topic


def topic_answer(answer: str, topic_names: set[str]) -> bool:
    """Whether an answer is just one of the report's ubiquitous names."""
    return core_name(answer) in topic_names if answer.strip() else False


CITATION = re.compile(r"^(?:See|Cf\.|Id\.|Ibid)\b|§|\bet seq\b|\bNo\. \d")


def askable(sp: Span, text: str) -> bool:
    """Whether a span is worth a fact card (not inside a quotation or a name)."""
    before = text[: sp.start]
    inside_quote = before.count("“") > before.count("”") or before.count('"') % 2
    if inside_quote and sp.etype != "quoted":
        return False
    # a year that is part of a name ("Vostok 2018") is not asked
    if (
        sp.kind == "year"
        and re.search(r"[A-Z][\w)]*\s*$", before)
        and not re.search(
            r"\b(?:in|since|by|of|until|from|after|before|during)\s*$", before, re.IGNORECASE
        )
    ):
        return False
    if (
        sp.kind == "year"
        and not re.search(
            r"(?:\b(?:in|since|by|until|before|after|through|from|of|early|late|mid|around|the)\s+|^)$",
            before,
            re.IGNORECASE,
        )
        and not re.search(r"\bbetween\b[^,;]{0,30}\band\s+$", before)
    ):  # "between now and 2040"
        return False
    if re.match(r"\s*(?:ago|earlier|later)\b", text[sp.end :]) or sp.text.endswith(" ago"):
        return False  # "ten years ago": relative to when it was written, not a fact to learn
    if sp.kind == "entity":
        if sp.etype == "other" and len(sp.text.split()) == 1:
            return False
        if is_country(sp.text) and text.count(sp.text) > 1:
            return False
        if (
            len(sp.text.split()) == 1
            and word_zipf(sp.text.lower()) >= 4.5
            and not is_country(sp.text)
        ):
            return False  # a common word used as a name ("the Office"): too vague to ask
        if before.endswith("(") and len(sp.text.split()) == 1:
            return False
        if all(t in TITLES or t.split("-")[0] in TITLES for t in sp.text.split()):
            return False  # an office, not a name ("Special Counsel", "Attorney General")
        after = text[sp.end : sp.end + 6]
        if re.match(r"\s+and\s", after) or re.search(r"\sand\s+$", before[-6:]):
            return False  # one of a pair: asking it alone is ambiguous
    return True
