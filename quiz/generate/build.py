"""Turn sentences and their candidates into card drafts of every type."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from quiz.deck.model import format_number
from quiz.generate.candidates import (
    DEMONYMS,
    ORG_WORDS,
    PLACE_WORDS,
    STOPWORDS,
    TITLES,
    Span,
    acronym_definitions,
    argument_markers,
    entity_type,
    find_spans,
    is_country,
    starts_vague,
)
from quiz.generate.clean import CleanedText, word_zipf
from quiz.generate.sentences import Sentence

ARGUMENT_TEMPLATES = frozenset(
    [
        "cause",
        "cause-next",
        "result",
        "result-next",
        "contrast",
        "contrast-next",
        "concession",
        "recommend",
        "how-could",
        "predict",
        "key-is",
        "subject-what",
        "unlikely",
        "negation",
        "finding",
    ]
)


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


# --------------------------------------------------------------------------- text helpers

_DISCOURSE = re.compile(
    r"^(?:Moreover|Indeed|Thus|But|And|However|Nevertheless|Nonetheless|Certainly|Furthermore|"
    r"Also|Therefore|Hence|Still|Yet|Instead|Meanwhile|Similarly|Likewise|Consequently|"
    r"In addition|In other words|For example|Of course|In fact|In turn|In return|By contrast|"
    r"Then|So|Finally|First|Second|Third|Separately|Further|Overall)\b,?\s+"
)
_WS = re.compile(r"\s+")


def strip_discourse(text: str) -> str:
    prev = None
    while prev != text:
        prev = text
        text = _DISCOURSE.sub("", text)
    return text


def body(text: str) -> str:
    """A clause without its final punctuation."""
    return text.strip().rstrip(".;:!?").rstrip()


PROPER_WORDS: set[str] = set()  # words the current document only ever writes capitalised


def learn_proper_words(sentences: list[Sentence]) -> None:
    """Collect words written capitalised mid-sentence and never in lower case."""
    caps: set[str] = set()
    lower: set[str] = set()
    for s in sentences:
        for i, w in enumerate(re.findall(r"[A-Za-z][\w’'-]*", s.text)):
            if w[0].isupper() and i > 0:
                caps.add(w)
            elif w[0].islower():
                lower.add(w)
    PROPER_WORDS.clear()
    PROPER_WORDS.update(w for w in caps if w.lower() not in lower)


def lower_first(text: str) -> str:
    """Lowercase the first word unless it is a name or acronym."""
    m = re.match(r"([A-Za-z][\w’'-]*)", text)
    if not m:
        return text
    w = m.group(1)
    if (w.isupper() and len(w) > 1) or is_country(w) or w in DEMONYMS or w in TITLES:
        return text
    if w in PROPER_WORDS or (w[0].isupper() and word_zipf(w.lower()) < 3.0):
        return text
    if w[0].isupper() and not w[1:].islower():
        return text
    return w[0].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def question(text: str) -> str:
    return _WS.sub(" ", body(text)).strip().rstrip(" —–-,") + "?"


def words(text: str) -> list[str]:
    return re.findall(r"[\w’'$%.-]+", text)


def balanced(text: str) -> bool:
    """Quotes and brackets in ``text`` are balanced (no clause cut inside a quotation)."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return False
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


# --------------------------------------------------------------------------- distractor pools


@dataclass
class Pools:
    """Same-kind values from the whole report, for distractors."""

    by_kind: dict[str, list[Span]]
    entity_counts: dict[str, int]

    @classmethod
    def build(cls, spans_by_sentence: list[list[Span]]) -> Pools:
        by_kind: dict[str, list[Span]] = defaultdict(list)
        counts: dict[str, int] = defaultdict(int)
        seen: set[tuple[str, str]] = set()
        for spans in spans_by_sentence:
            for sp in spans:
                key = pool_key(sp)
                counts[sp.text] += 1
                if (key, sp.text.lower()) in seen:
                    continue
                seen.add((key, sp.text.lower()))
                by_kind[key].append(sp)
        return cls(dict(by_kind), dict(counts))


def pool_key(sp: Span) -> str:
    if sp.kind == "entity":
        if is_country(sp.text):
            return "entity:country"
        shape = "acr" if re.fullmatch(r"[A-Z][A-Z&.]{1,9}", sp.text) else "name"
        return f"entity:{sp.etype}:{shape}"
    if sp.kind in ("money", "count"):
        return f"{sp.kind}:{(sp.unit or '').split()[-1].lower() if sp.unit else ''}:{scale_of(sp)}"
    return sp.kind


def scale_of(sp: Span) -> str:
    for s in ("trillion", "billion", "million", "thousand"):
        if sp.unit and s in sp.unit:
            return s
    return ""


def tolerance_for(sp: Span) -> tuple[float | str | None, float]:
    """The card tolerance and its absolute amount."""
    v = sp.value or 0.0
    if sp.kind == "year":
        return 0, 0.0
    if sp.kind == "percent":
        return 1, 1.0
    if sp.kind == "multiplier":
        return 0, 0.0
    if v.is_integer() and abs(v) < 20:
        return 0, 0.0
    return "5%", abs(v) * 0.05


def _alias(a: str, b: str) -> bool:
    """Whether two names may refer to the same thing (never use one as a distractor for the other)."""
    x, y = a.casefold().strip(), b.casefold().strip()
    if x == y or x in y or y in x:
        return True
    tx = {t for t in re.findall(r"[a-z0-9]+", x) if t not in STOPWORDS}
    ty = {t for t in re.findall(r"[a-z0-9]+", y) if t not in STOPWORDS}
    if tx & ty:
        return True
    ini_x = "".join(t[0] for t in re.findall(r"[A-Za-z]+", a) if t[0].isupper())
    ini_y = "".join(t[0] for t in re.findall(r"[A-Za-z]+", b) if t[0].isupper())
    return a.replace(".", "") == ini_y or b.replace(".", "") == ini_x


def needs_article(name: str) -> bool:
    """Names that take "the" ("the United States"), so a bare swap would read wrong."""
    first = name.split()[0]
    last = name.split()[-1]
    place_with_article = last in PLACE_WORDS and last not in (
        "Asia", "Europe", "Africa", "America", "Eurasia", "Arctic", "States"
    )
    return (
        first in ("United", "Soviet", "European", "Russian", "Chinese")
        or name in ("West", "East", "North", "South", "Arctic")
        or (place_with_article and len(name.split()) >= 2)
        or last in ORG_WORDS
    )


def replace_number(span_text: str, value: float) -> str:
    """``$107 billion`` with another value: ``$25 billion``."""
    m = re.search(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", span_text)
    if not m:
        return span_text
    if "," in m.group(0):
        num = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    else:
        num = format_number(value).replace(",", "")
    return span_text[: m.start()] + num + span_text[m.end() :]


# Country abbreviations are places, not organisations: never offered among organisations.
_COUNTRY_ACRONYMS = frozenset(["US", "USA", "UK", "UAE", "USSR", "PRC", "DPRK", "ROK", "FRG", "GDR"])
# Single organisation words that name one institution on their own ("Congress"); any other bare
# head word ("Office", "Campaign") is a back-reference ("the Office"), not a name to choose.
_STANDALONE_ORG_WORDS = frozenset(["Congress", "Senate", "Duma", "Parliament"])


def wrong_kind_option(cand: str, answer: str) -> bool:
    """Whether an entity is no option for ``answer``: a bare org head word or a country acronym."""
    bare = cand.replace(".", "")
    if bare in _COUNTRY_ACRONYMS and answer.replace(".", "") not in _COUNTRY_ACRONYMS:
        return not is_country(answer)
    return cand in ORG_WORDS and cand not in _STANDALONE_ORG_WORDS and answer != cand


def distractors(sp: Span, pools: Pools, sentence: str, salt: str, need: int = 3) -> list[str]:
    """Up to ``need`` wrong options of the same kind: from the report first, then scaled numbers."""
    out: list[str] = []
    answer = sp.text
    in_sentence = sentence.lower()

    def ok(cand: str) -> bool:
        if any(cand.casefold() == o.casefold() for o in out):
            return False
        if sp.kind == "entity":
            return (
                not _alias(cand, answer)
                and not wrong_kind_option(cand, answer)
                and cand.lower() not in in_sentence
            )
        return cand.lower() != answer.lower()

    pool = pools.by_kind.get(pool_key(sp), [])
    if sp.value is not None:
        _, tol = tolerance_for(sp)
        tol = max(tol, abs(sp.value) * 0.1 if sp.kind not in ("year", "multiplier") else tol)
        cands = [p for p in pool if p.value is not None and abs(p.value - sp.value) > tol]
        cands.sort(key=lambda p: (abs((p.value or 0) - sp.value), p.text))
        for p in cands:
            text = p.text if sp.kind != "count" else replace_number(answer, p.value or 0)
            if sp.kind == "multiplier":
                text = _multiplier_text(answer, int(p.value or 0))
            if sp.kind in ("money", "percent", "count") and p.unit != sp.unit:
                text = replace_number(answer, p.value or 0)
            if ok(text) and text.lower() not in in_sentence:
                out.append(text)
            if len(out) >= need:
                return out
        # scaled numbers, then offsets
        if sp.kind == "year":
            steps = [3, -4, 7, -9, 12, -15, 5]
            values = [sp.value + d for d in steps]
        elif sp.kind == "multiplier":
            values = [sp.value + d for d in (2, -2 if sp.value > 3 else 4, 5)]
        else:
            values = [sp.value * f for f in (2, 0.5, 3, 1.5, 0.25, 4)]
        for v in values:
            if v <= 0 or abs(v - sp.value) <= tol:
                continue
            if sp.kind == "year" and v > 2100:
                continue
            v = round(v, 1) if not float(v).is_integer() else v
            if sp.kind == "multiplier":
                text = _multiplier_text(answer, int(v))
            else:
                text = replace_number(answer, v)
            if ok(text):
                out.append(text)
            if len(out) >= need:
                break
        return out
    # entities and dates: others from the report, most frequent first, deterministic
    if sp.kind == "date":

        def month_year(t: str) -> tuple[str, str]:
            m = re.search(r"([A-Z][a-z]+)\D*((?:1[5-9]|20)\d\d)", t)
            return (m.group(1), m.group(2)) if m else ("", t)

        own = month_year(answer)
        full = bool(re.search(r"\d{1,2},", answer))
        cands_text = [p.text for p in pool if month_year(p.text) != own]
        cands_text.sort(
            key=lambda t: (bool(re.search(r"\d{1,2},", t)) != full, stable_hash(salt, t))
        )
        taken: set[tuple[str, str]] = set()
        uniq = []
        for t in cands_text:
            if month_year(t) not in taken:
                taken.add(month_year(t))
                uniq.append(t)
        cands_text = uniq
    else:
        cands_text = sorted(
            {p.text for p in pool},
            key=lambda t: (-pools.entity_counts.get(t, 0), stable_hash(salt, t)),
        )
    for t in cands_text:
        if ok(t) and t.lower() not in in_sentence:
            out.append(t)
        if len(out) >= need:
            break
    return out


_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                 9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen"}  # fmt: skip


def _number_word(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))


def _multiplier_text(answer: str, n: int) -> str:
    """``n`` written like ``answer``: "eight times" -> "four times", "fourfold" -> "twofold"."""
    digits = bool(re.search(r"\d", answer))
    num = str(n) if digits else _number_word(n)
    return f"{num} times" if "times" in answer.lower() else f"{num}fold"


# --------------------------------------------------------------------------- fact cards

_PREP_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|until|before|after|from|through|of|to|between|during|around|about|"
    r"over|under|below|above|than|at|for|upwards of|reached|reach|hit)\s+(?:(?:early|mid|late)-?\s?)?)$",
    re.IGNORECASE,
)


def wh_phrase(sp: Span) -> str:
    if sp.kind == "year":
        return "what year"
    if sp.kind == "date":
        if re.search(r"\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z]", sp.text):
            return "what date"
        return "what month and year"
    if sp.kind == "percent":
        return "what percentage"
    if sp.kind == "multiplier":
        return "how many times"
    if sp.kind == "money":
        unit = sp.unit or "money"
        return f"how many {unit}" if scale_of(sp) or unit.endswith("s") else "how much"
    if sp.kind == "count":
        return f"how many {sp.unit}"
    if sp.etype == "person":
        return "who"
    if is_country(sp.text):
        return "which country"
    if sp.etype == "org":
        return "which organization"
    return "what"


_NOT_MODIFIERS = {
    "of", "in", "on", "at", "by", "for", "with", "to", "from", "into", "over", "under", "about",
    "against", "between", "as", "than", "and", "or", "but", "is", "was", "are", "were", "has",
    "had", "have", "said", "says", "said,",
}  # fmt: skip


def echo_question(sentence: str, sp: Span) -> str | None:
    """The sentence asked as a question about ``sp``: the span becomes a wh-phrase in place.

    A leading adverbial holding the span ("In 2011, ...") moves to the end, so no
    inversion is needed. Returns None when no grammatical question can be made.
    """
    text = body(sentence)
    start, end = sp.start, sp.end
    if text[:start].count("(") > text[:start].count(")"):
        return None  # inside a parenthesis: a wh-phrase there reads badly
    wh = wh_phrase(sp)
    before = text[:start]
    after = text[end:]
    # "a $3 billion deal" -> "a deal worth how many billion dollars"
    m_art = re.search(r"\b(a|an)\s+$", before)
    if sp.kind == "multiplier" and m_art:
        return None
    if sp.kind in ("money", "count", "percent") and m_art:
        m_noun = re.match(r"\s+([a-z][\w-]*)", after)
        if not m_noun:
            return None
        before = before[: m_art.start()] + "a "
        after = " " + m_noun.group(1) + " worth " + wh + after[m_noun.end() :]
        wh = ""
        q = before + after
        return question(upper_first(strip_discourse(q)))
    # leading "In 2011," / "On July 23, 2019" / "Since 2009,"
    lead = re.match(r"^((?:In|On|Since|By|During|Until|From|At the end of|Between)\s+)$", before)
    if lead:
        m_comma = re.match(r"^,?\s+", after)
        rest = after[m_comma.end() :] if m_comma else after
        if not rest or (not rest[:1].isupper() and not rest[:1].isalpha()):
            return None
        clause = rest.rstrip(",")
        prep = lead.group(1).strip().lower()
        return question(f"{upper_first(clause)}, {prep} {wh}")
    if sp.kind == "entity":
        # include titles before a person ("Foreign Minister Sergey Lavrov")
        m_title = re.search(r"((?:(?:[A-Z][\w.-]*)\s+)*)$", before)
        if m_title and m_title.group(1):
            lead_words = m_title.group(1).split()
            while lead_words and (lead_words[0] in TITLES or lead_words[0] in DEMONYMS):
                break
            if all(w in TITLES or w in DEMONYMS or w.rstrip(".") in TITLES for w in lead_words):
                before = before[: m_title.start()]
        before_s = before.rstrip()
        if before_s.lower().endswith(" the") or before_s.lower() == "the":
            before = before_s[:-3]
    if before and not before.endswith(" "):
        return None
    if wh == "what" and re.search(r"\b(?:a|an)\s+$", before):
        before = re.sub(r"\b(?:a|an)\s+$", "", before)
    m_mod = re.search(r"\b(?:the|a|an|its|their|his|her|our)\s+([a-z][a-z-]*)\s+$", before, re.I)
    if m_mod and m_mod.group(1).lower() not in _NOT_MODIFIERS:
        return None  # "the first ____ in Beijing": a wh-word inside a noun phrase is no question
    if after.startswith(("’s", "'s")) and wh in ("who", "what"):
        wh = "whose" if wh == "who" else "what's"
        after = after[2:]
        if wh == "what's":
            return None
    q = before + wh + after
    q = strip_discourse(q)
    if q.startswith(wh) or not q[:1].isupper():
        q = upper_first(q)
    return question(q)


def accept_for(sp: Span) -> list[str]:
    """Other ways to write the answer."""
    out: list[str] = []
    t = sp.text
    if sp.kind == "term" and re.search(r"[“”\"]", t):
        out.append(re.sub(r"[“”\"]", "", t))
    if sp.etype == "currency":  # "the ruble and the yuan": "ruble and yuan" too
        bare = re.sub(r"\bthe ", "", t)
        out += [bare, re.sub(r"^(?:[A-Z][\w.]* )", "", bare)]
    if sp.kind == "money":
        stripped = t.lstrip("$€£¥").strip()
        out.append(stripped)
        if scale_of(sp):
            out.append(f"{stripped} {sp.unit.split()[-1] if sp.unit else ''}".strip())
    elif sp.kind == "percent":
        num = re.sub(r"\s?(%|percent|per cent)$", "", t)
        out += [f"{num}%", f"{num} percent"]
    elif sp.kind == "entity":
        if sp.etype == "person" and len(t.split()) >= 2:
            out.append(t.split()[-1])
        elif len(t.split()) >= 2 and not is_country(t):
            out.append("the " + t)
    return [a for a in dict.fromkeys(out) if a and a != t]


def gap_ok(sp: Span, prompt_without_gap: str) -> bool:
    ws = sp.text.split()
    if not ws or len(ws) > 5:
        return False
    if sp.text.lower() in STOPWORDS:
        return False
    # the same answer elsewhere in the prompt gives it away
    return sp.text.lower() not in prompt_without_gap.lower()


def _hint(sp: Span) -> str:
    return {
        "year": "year", "date": "date", "percent": "%", "money": "amount", "count": "number",
        "multiplier": "how many times",
    }.get(sp.kind, "")  # fmt: skip


@dataclass
class Context:
    """A sentence with what comes before it in its paragraph."""

    sent: Sentence
    prev: Sentence | None
    cleaned: CleanedText

    @property
    def needs_context(self) -> bool:
        return starts_vague(self.sent.text)

    def quote_span(self, with_prev: bool) -> tuple[str, int]:
        s = self.prev if with_prev and self.prev else self.sent
        return self.cleaned.text[s.start : self.sent.end], s.start

    @property
    def lead(self) -> str:
        """Context shown before a vague sentence: the previous sentence."""
        if self.needs_context and self.prev is not None:
            return self.prev.text + " "
        return ""


def _draft(
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
        sentence_key=norm_sentence(quote),
    )  # fmt: skip


def fact_drafts(
    ctx: Context, spans: list[Span], pools: Pools, all_types: bool = False
) -> list[Draft]:
    """Cloze, short, numeric, mcq and true/false cards about the spans of one sentence.

    One card per span (the first type that works), or with ``all_types`` every type
    that works (the other candidates a curator may switch to).
    """
    sent = ctx.sent
    text = sent.text
    lead = ctx.lead
    with_prev = bool(lead)
    if ctx.needs_context and not lead:
        return []
    out: list[Draft] = []
    argumentative = bool(
        {"cause", "result", "contrast", "recommendation", "prediction"}
        & set(argument_markers(text))
    )
    for sp in spans:
        if sp.kind == "entity" and len(sp.text) < 3:
            continue
        if sp.kind == "entity" and sp.start == 0 and sentence_gerund(sp.text):
            continue  # "Peeling Russia away ...": a capitalised verb, not a name
        if sp.kind == "entity" and re.search(r"\bAccording to (?:the\s+)?$", text[: sp.start]):
            continue  # the source of a statement: asked by "Who said", not as a gap
        if sp.kind == "entity" and (part_of_longer_name(text, sp) or dotted_initials_in(sp.text, text)):
            continue  # "Republican ____ Convention": the rest of the name gives it away
        salt = norm_sentence(text) + sp.text
        rest = text[: sp.start] + text[sp.end :]
        kinds = _types_for(sp)
        # the card type depends on the answer, not the wording, so a reworded passage keeps it
        choice = int(stable_hash(sp.text, sent.section, n=6), 16)
        ordered = kinds[choice % len(kinds) :] + kinds[: choice % len(kinds)]
        for ctype in ordered:
            d = _fact_card(ctype, ctx, sp, pools, salt, lead, with_prev, rest)
            if d is not None:
                d.bonus = span_value(sp, pools, at_start=sp.start == 0)
                if sp.kind == "entity" and answer_echoed(sp.text, rest):
                    d.bonus -= 0.5  # "Russia's actions ... part of the ____ (Russian Federation)"
                if sp.etype == "keyword":
                    d.template = "keyword"  # ranked last: only fills a deck short of cards
                elif sp.kind in ("entity", "term") and argumentative:
                    d.kind = "argument"  # the card tests a claim the report argues
                out.append(d)
                if not all_types:
                    break
    return out


def part_of_longer_name(text: str, sp: Span) -> bool:
    """Whether a name is glued to another capitalised word (not a title) that the gap would leave."""
    before = re.search(r"[^.!?:;\s]\s([A-Z][a-z]+)\s$", text[: sp.start])
    if before and before.group(1).lower() not in STOPWORDS:
        word = before.group(1)
        if word not in TITLES and word not in DEMONYMS and not is_country(word):
            return True
    return bool(re.match(r"\s[A-Z][a-z]{2,}\b", text[sp.end :]))


def dotted_initials_in(answer: str, text: str) -> bool:
    """Whether ``text`` spells the answer's initials with dots ("U.S." for "United States")."""
    initials = "".join(w[0] for w in answer.split() if w[:1].isupper())
    return len(initials) >= 2 and bool(re.search(rf"\b{re.escape('.'.join(initials))}\.", text))


def answer_echoed(answer: str, rest: str) -> bool:
    """Whether a word of the answer (by its stem) is also in the rest of the sentence: a hint."""
    word = r"[A-Za-z]{4,}|\b[A-Z]{2,3}\b"  # acronyms too: "BRI Forum" ... "the BRI"
    stems = {w.lower()[:5] for w in re.findall(word, answer)}
    rest_stems = {w.lower()[:5] for w in re.findall(word, rest)}
    initials = "".join(w[0] for w in answer.split() if w[:1].isupper())
    if len(initials) >= 2 and re.search(rf"\b{re.escape(initials)}\b", rest):
        return True  # "The ____ (CEC) manages ...": the acronym spells the answer
    if dotted_initials_in(answer, rest):
        return True
    return bool(stems & rest_stems)


def sentence_gerund(name: str) -> bool:
    """Whether a capitalised run opens on a verb's -ing form ("Peeling", "Seeking"), not a name."""
    first = name.split()[0]
    if not first.endswith("ing") or first in PROPER_WORDS or len(first) < 6:
        return False
    stem = first[:-3].lower()
    return any(word_zipf(w) >= 3.0 for w in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""))


def span_value(sp: Span, pools: Pools, at_start: bool = False) -> float:
    """How much a span is worth asking: quantities most; the report's own topic names least."""
    if sp.kind in ("money", "percent", "count", "multiplier"):
        return 1.4
    freq = pools.entity_counts.get(sp.text, 0)
    if sp.kind in ("date", "year"):
        # a year the report mentions again and again dates no one fact
        return 0.7 - min(max(freq - 1, 0), 4) * 0.1
    if sp.kind == "term":
        return {"quoted": 1.3, "keyword": 0.2}.get(sp.etype or "", 1.0)
    base = 0.4 if sp.etype in ("person", "org") else 0.0
    if len(sp.text.split()) >= 2:
        base += 0.3
    if freq <= 1 and not at_start and sp.etype != "person":  # people: asked by "Who said"
        return base + 0.4  # named once: the name is this passage's own fact
    return base - min(freq, 10) * 0.12


def _types_for(sp: Span) -> list[str]:
    if sp.kind == "term":
        return ["cloze"]
    if sp.kind in ("money", "percent", "count", "multiplier"):
        return ["numeric", "mcq", "cloze", "truefalse", "numeric"]
    if sp.kind in ("year", "date"):
        return (
            ["mcq", "short", "cloze", "truefalse"]
            if sp.kind == "year"
            else ["cloze", "mcq", "truefalse"]
        )
    return ["cloze", "short", "mcq", "truefalse"]


def _fact_card(
    ctype: str,
    ctx: Context,
    sp: Span,
    pools: Pools,
    salt: str,
    lead: str,
    with_prev: bool,
    rest: str,
) -> Draft | None:
    text = ctx.sent.text
    if ctype == "cloze":
        if not gap_ok(sp, lead + rest):
            return None
        alts = accept_for(sp)
        inner = "|".join([sp.text, *alts])
        hint = _hint(sp)
        if hint:
            inner += f"::{hint}"
        cloze = lead + text[: sp.start] + "{{" + inner + "}}" + text[sp.end :]
        return _draft(ctx, "cloze", "fact", "cloze", {"text": cloze}, sp.text, with_prev)
    if ctype == "short":
        if sp.kind == "entity" and sp.etype not in ("person", "org", "place") and not is_country(sp.text):
            return None
        if text[sp.end : sp.end + 1] == "," and text[: sp.start].endswith(", "):
            return None  # one item of a list: "X, who, and Z" reads badly
        if re.match(r",\s*(?:Jr|Sr|II|III|IV)\b", text[sp.end :]):
            return None  # "Robert S. Mueller, III": the suffix would dangle
        if re.search(r"\bAccording to (?:the\s+)?$", text[: sp.start]):
            return None  # the source of a statement: asked by "Who said" instead
        q = echo_question(text, sp)
        if q is None or sp.text.lower() in q.lower():
            return None
        fields = {"question": lead + q, "answer": sp.text}
        if accept_for(sp):
            fields["accept"] = accept_for(sp)
        return _draft(ctx, "short", "fact", "short", fields, sp.text, with_prev)
    if ctype == "numeric":
        if sp.value is None:
            return None
        q = echo_question(text, sp)
        if q is None:
            return None
        tol, _ = tolerance_for(sp)
        unit = sp.unit if sp.kind not in ("year",) else None
        fields: dict[str, Any] = {"question": lead + q, "answer": sp.value}
        if unit:
            fields["unit"] = unit
        if tol:
            fields["tolerance"] = tol
        return _draft(ctx, "numeric", "fact", "numeric", fields, sp.text, with_prev)
    reliable = sp.kind != "entity" or sp.etype in ("person", "org", "place") or is_country(sp.text)
    if ctype in ("mcq", "truefalse") and not reliable:
        return None
    if ctype == "mcq":
        wrong = distractors(sp, pools, lead + text, salt, need=3)
        if len(wrong) < 2:
            return None
        if not gap_ok(sp, lead + rest):
            return None
        q = lead + text[: sp.start] + "____" + text[sp.end :]
        choices = [sp.text, *wrong]
        choices.sort(key=lambda c: stable_hash(salt, c))
        fields = {"question": q, "choices": choices, "answer": sp.text}
        return _draft(ctx, "mcq", "fact", "mcq", fields, sp.text, with_prev)
    if ctype == "truefalse":
        if ctx.needs_context:
            return None
        flip = int(stable_hash(salt, "tf", n=4), 16) % 2 == 0
        if flip and sp.kind == "entity":
            return None  # a swapped name makes an absurd statement more often than not
        if flip:
            wrong = [
                w
                for w in distractors(sp, pools, text, salt, need=3)
                if sp.kind != "entity"
                or needs_article(w) == text[: sp.start].rstrip().lower().endswith("the")
            ]
            if not wrong:
                return None
            stmt = text[: sp.start] + wrong[0] + text[sp.end :]
            fields = {
                "statement": stmt, "answer": False,
                "explanation": f"False. The report says: {text}",
            }  # fmt: skip
            return _draft(ctx, "tf-swap", "fact", "truefalse", fields, sp.text, with_prev)
        fields = {"statement": text, "answer": True}
        return _draft(ctx, "tf-true", "fact", "truefalse", fields, sp.text, with_prev)
    return None


# --------------------------------------------------------------------------- acronyms, definitions


def acronym_drafts(ctx: Context) -> list[Draft]:
    out = []
    for long_form, short, _ in acronym_definitions(ctx.sent.text):
        if len(long_form.split()) < 2:
            continue
        fields = {
            "question": f"In the report, what does the acronym {short} stand for?",
            "answer": long_form,
            "accept": [f"the {long_form}"],
        }
        d = _draft(ctx, "acronym", "fact", "short", fields, long_form)
        out.append(d)
    return out


_DEFINITION = re.compile(
    r"\b(?P<mk>(?:now |also )?(?:known as|dubbed|termed|so-called))\s+(?:the\s+)?"
    r"(?P<name>[“\"]?[A-Z][\w’'-]*(?:\s+(?:of|the|and|for)?\s*[A-Z][\w’'-]*){0,4}[”\"]?)"
)


def definition_drafts(ctx: Context) -> list[Draft]:
    text = ctx.sent.text
    if ctx.needs_context:
        return []
    out = []
    for m in _DEFINITION.finditer(text):
        name = m.group("name").strip('“”"')
        if not name or len(name.split()) > 5:
            continue
        s = text.find(name, m.start("name"))
        rest = text[:s] + text[s + len(name) :]
        if name.lower() in rest.lower():
            continue
        cloze = text[:s] + "{{" + name + "::name}}" + text[s + len(name) :]
        out.append(_draft(ctx, "define", "fact", "cloze", {"text": cloze}, name))
    return out


# --------------------------------------------------------------------------- argument cards

_CAUSE_IN = re.compile(
    r"^(?P<effect>.{25,}?),?\s+(?P<mk>(?:in (?:large )?part |partly |largely |mainly |primarily |"
    r"mostly |not least )?(?:because(?: of)?|due (?:in part )?to|driven by|owing to))\s+(?P<cause>.{8,})$"
)
_CAUSE_LEAD = re.compile(r"^Because (?P<cause>[^,]{10,}), (?P<effect>.{20,})$")
_CAUSE_NEXT = re.compile(
    r"^(?:This|That|It)\s+(?:is|was)\s+(?:in (?:large )?part |partly |largely |mainly |primarily |"
    r"mostly |probably )?(?P<mk>because(?: of)?|due to|in response to|a result of)\s+(?P<cause>.{8,})$"
)
_RESULT_IN = re.compile(r"^As a (?:result|consequence) of (?P<cause>[^,]{8,}), (?P<effect>.{15,})$")
_RESULT_NEXT = re.compile(
    r"^(?:As a result|Consequently|Therefore|As a consequence|Thus|Hence),\s+(?P<effect>.{15,})$"
)
_CONTRAST_NEXT = re.compile(
    r"^(?:However|Nevertheless|Nonetheless|But|Yet|Still|That said|Even so),?\s+(?P<q>.{15,})$"
)
_CONTRAST_IN = re.compile(
    r"^(?P<a>[^“\"]{30,}?),\s+(?P<mk>but|although|though|while|whereas|yet)\s+(?P<b>.{20,})$"
)
_CONCESSION = re.compile(
    r"^(?P<mk>Although|Though|Even though|While|Whereas|Despite)\s+(?P<a>[^,]{15,}),\s+(?P<b>.{20,})$"
)
_MODAL = re.compile(
    r"^(?P<intro>(?:[A-Z][^,]{0,60},\s+)*)(?P<subj>(?:the\s+|The\s+)?[A-Z][\w.’'-]*(?:\s+[\w.’'-]+){0,6}?)"
    r"\s+(?P<modal>should|must|ought to|needs to|need to)\s+(?P<vp>.{10,})$"
)
_HOW_COULD = re.compile(
    r"^(?P<intro>(?:[A-Z][^,]{0,60},\s+)*)(?P<subj>(?:the\s+|The\s+)?[A-Z][\w.’'-]*(?:\s+[\w.’'-]+){0,5}?)"
    r"\s+could\s+(?P<vp>[^,]{5,90}?)\s+by\s+(?P<how>.{10,})$"
)
_WILL = re.compile(
    r"^(?P<intro>(?:[A-Z][^,]{0,60},\s+)?)(?P<subj>(?:the\s+|The\s+)?[A-Z][^,;:“\"]{2,70}?)"
    r"\s+will\s+(?P<vp>(?!not\b).{8,})$"
)
_KEY_IS = re.compile(
    r"^(?P<np>(?:[Tt]he|[A-Z][\w-]*’s) (?:\w+ )?(?:key|main|principal|central|primary|biggest|"
    r"most important|major|chief|real) [^,;“\"]{3,80}?)\s+(?P<verb>is|are|was|were|remains)\s+(?P<rest>.{5,})$"
)
_SUBJ_VERB = re.compile(
    r"^(?P<subj>(?:The |the )?[A-Z][^,;:“\"—]{3,90}?)\s+"
    r"(?P<verb>has|have|had|is|are|was|were|represents|remains|provides|enabled|enables|"
    r"allowed|allows|pushed|drove|led|made|gave|gives|created|helped|shows|showed|"
    r"accounts for|account for|constitutes?)\s+(?P<rest>.{12,})$"
)
_REPORT_BASE = {
    "argued": "argue", "suggested": "suggest", "said": "say", "recommended": "recommend",
    "urged": "urge", "proposed": "propose", "insisted": "insist", "warned": "warn",
    "believe": "believe", "believes": "believe", "argue": "argue", "argues": "argue",
}  # fmt: skip
_REPORTED = re.compile(
    r"^(?P<who>.{3,60}?)\s+(?:have\s+|has\s+)?(?:recently\s+)?(?P<verb>"
    + "|".join(_REPORT_BASE)
    + r")\s+that\s+(?P<whom>.{2,50})$"
)
_BLAME = re.compile(
    r"(?:^|,\s+)(?P<subj>[A-Z][\w’' -]{3,60}?)\s+(?P<verb>blamed|accused)\s+"
    r"(?P<obj>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})\s+(?:for|of)\s+(?P<what>.{6,})$"
)
_PSEUDO_CLEFT = re.compile(r"^What (?P<pred>(?:remains|is|was) [a-z][\w ]{2,30}?) is (?P<rest>.{10,})$")
_FACT_MEANS = re.compile(
    r"^The fact that (?P<x>.{10,120}?) (?P<verb>means|shows|suggests|indicates|demonstrates) "
    r"that (?P<y>.{10,})$"
)
_UNLIKELY = re.compile(r"\bit is (?P<neg>un)?likely that\b", re.IGNORECASE)


_SUBORDINATOR_START = re.compile(
    r"^(?:(?i:while|although|though|if|when|as|since|whereas|because|unless|even|whether|and|"
    r"or|but|nor|that|which)"
    r"|[a-z]+ing)\b"
)


_PARENTHETICAL = re.compile(
    r",\s*(?:by contrast|however|therefore|in turn|of course|for example|for instance|"
    r"in other words|moreover|indeed|in fact|thus)\s*,",
    re.IGNORECASE,
)


def _intro(m: re.Match[str]) -> str:
    """A leading adverbial clause ("As the BRI develops, ") kept as context, lowercased."""
    intro = (m.groupdict().get("intro") or "").strip()
    if not intro or starts_vague(intro) or len(words(intro)) > 12:
        return ""
    return lower_first(intro.rstrip(",")) + ", "


def _clause_ok(text: str, min_words: int = 5, max_words: int = 45) -> bool:
    if _SUBORDINATOR_START.match(text.strip()):
        return False
    first = (words(text) or [""])[0]
    if first.lower().endswith("ing") and first not in PROPER_WORDS and word_zipf(first.lower()) >= 2.5:
        return False  # a participle clause ("Seeking to assuage ..."), not a claim
    n = len(words(text))
    if n < min_words or n > max_words:
        return False
    if starts_vague(text) or not balanced(text):
        return False
    return not text.rstrip().endswith("?")


def _arg(
    ctx: Context,
    template: str,
    q: str,
    a: str,
    with_prev: bool = False,
    answer_key: str | None = None,
) -> Draft | None:
    a = body(a).strip()
    a = re.sub(r"^(?:that|the fact that)\s+", "", a)
    if len(words(a)) < 2:
        return None
    ctype = "basic" if len(words(a)) > 6 else "short"
    fields: dict[str, Any] = {"question": q, "answer": upper_first(a) if ctype == "basic" else a}
    if ctype == "basic":
        fields["explanation"] = f"The report says: {ctx.quote_span(with_prev)[0]}"
    return _draft(ctx, template, "argument", ctype, fields, answer_key or a, with_prev)


def argument_drafts(ctx: Context) -> list[Draft]:
    """Cause, result, contrast, recommendation, prediction and emphasis cards."""
    sent, prev = ctx.sent, ctx.prev
    if sent.quoted:
        return []
    text = body(sent.text)
    core = _PARENTHETICAL.sub("", strip_discourse(text))
    out: list[Draft | None] = []

    m = _CAUSE_IN.match(core)
    if m and _clause_ok(m.group("effect")) and balanced(m.group("cause")):
        eff = body(m.group("effect"))
        out.append(
            _arg(
                ctx,
                "cause",
                f"According to the report, what explains why {lower_first(eff)}?",
                m.group("cause"),
            )
        )
    m = _CAUSE_LEAD.match(core)
    if m and _clause_ok(m.group("effect")):
        out.append(
            _arg(
                ctx,
                "cause",
                "According to the report, what explains why "
                f"{lower_first(body(m.group('effect')))}?",
                m.group("cause"),
            )
        )
    m = _CAUSE_NEXT.match(core)
    if m and prev is not None and not prev.quoted:
        eff = strip_discourse(body(prev.text))
        if _clause_ok(eff):
            out.append(
                _arg(
                    ctx,
                    "cause-next",
                    f"According to the report, what explains why {lower_first(eff)}?",
                    m.group("cause"),
                    with_prev=True,
                )
            )
    m = _RESULT_IN.match(core)
    if m and _clause_ok(m.group("effect"), 4):
        out.append(
            _arg(
                ctx,
                "result",
                "According to the report, what was one consequence of "
                f"{lower_first(m.group('cause'))}?",
                upper_first(m.group("effect")),
            )
        )
    m = _RESULT_NEXT.match(text)
    if m and prev is not None and not prev.quoted:
        cause = strip_discourse(body(prev.text))
        if _clause_ok(cause) and _clause_ok(m.group("effect"), 4, 60):
            out.append(
                _arg(
                    ctx,
                    "result-next",
                    "According to the report, what follows from the fact "
                    f"that {lower_first(cause)}?",
                    upper_first(m.group("effect")),
                    with_prev=True,
                )
            )
    m = _CONTRAST_NEXT.match(text)
    if m and prev is not None and not prev.quoted:
        claim = strip_discourse(body(prev.text))
        if re.match(r"[Tt]he fact that ", claim):
            claim = ""
        q = m.group("q")
        if _clause_ok(claim) and len(words(q)) >= 4 and balanced(q):
            out.append(
                _arg(
                    ctx,
                    "contrast-next",
                    "What qualification does the report attach to the "
                    f"claim that {lower_first(claim)}?",
                    upper_first(q),
                    with_prev=True,
                )
            )
    m = _CONTRAST_IN.match(core)
    if m and _clause_ok(m.group("a"), 6) and _clause_ok(m.group("b"), 5) and balanced(m.group("a")):
        lead_q = (
            "What contrast does the report draw with the claim that"
            if m.group("mk") in ("while", "whereas")
            else "What qualification does the report attach to the claim that"
        )
        out.append(
            _arg(ctx, "contrast", f"{lead_q} {lower_first(m.group('a'))}?", upper_first(m.group("b")))
        )
    m = _CONCESSION.match(core)
    if (
        m
        and _clause_ok(m.group("b"), 5)
        and balanced(m.group("a"))
        and not re.match(r"[a-z]+(?:ing|ed)\b", m.group("a"))
    ):
        mk = m.group("mk")
        if mk in ("While", "Whereas"):
            q = f"According to the report, what contrasts with the fact that {lower_first(m.group('a'))}?"
            out.append(_arg(ctx, "contrast", q, upper_first(m.group("b"))))
        elif mk != "Despite":
            q = (
                "What qualification does the report attach to the claim that "
                f"{lower_first(body(m.group('b')))}?"
            )
            out.append(_arg(ctx, "concession", q, upper_first(m.group("a"))))
    m = _HOW_COULD.match(core)
    if m and not starts_vague(m.group("subj")):
        subj = m.group("subj")
        out.append(
            _arg(
                ctx,
                "how-could",
                f"According to the report, how could {lower_first(subj)} {m.group('vp')}?",
                "by " + m.group("how"),
            )
        )
    else:
        m = _MODAL.match(core)
        if m and not starts_vague(m.group("subj")) and " that " not in m.group("intro"):
            subj, vp = m.group("subj"), m.group("vp")
            if re.match(r"be\b", vp):
                out.append(
                    _arg(
                        ctx,
                        "subject-what",
                        f"According to the report, what {m.group('modal')} {vp}?",
                        subj,
                    )
                )
            elif balanced(vp) and _clause_ok(subj + " " + vp, 4):
                reported = _REPORTED.match(subj)
                if reported:
                    # someone else's recommendation: "X argued that Y should ..."
                    question_text = (
                        f"According to the report, what did {lower_first(reported.group('who'))} "
                        f"{_REPORT_BASE[reported.group('verb')]} {reported.group('whom')} "
                        f"{m.group('modal')} do?"
                    )
                elif " that " in f" {subj} ":
                    question_text = ""
                else:
                    question_text = (
                        f"What does the report say {lower_first(subj)} {m.group('modal')} do?"
                    )
                if question_text:
                    out.append(_arg(ctx, "recommend", question_text, vp))
    m = _WILL.match(core)
    if (
        m
        and not starts_vague(m.group("subj"))
        and len(words(m.group("subj"))) <= 10
        and not (_SUBORDINATE.search(m.group("subj")))
    ):
        subj, vp = m.group("subj"), m.group("vp")
        adv_m = re.match(r"(likely|probably|eventually|inevitably|also|soon|certainly|only)\s+", vp)
        adv = ""
        if adv_m:
            adv, vp = adv_m.group(1) + " ", vp[adv_m.end() :]
        if balanced(subj) and balanced(vp):
            if re.match(r"(?:be|become)\b", vp):
                verb = vp.split()[0]
                out.append(
                    _arg(
                        ctx,
                        "predict",
                        f"According to the report, {_intro(m)}what will {lower_first(subj)} {adv}{verb}?",
                        vp[len(verb) :].strip(),
                    )
                )
            else:
                out.append(
                    _arg(
                        ctx,
                        "predict",
                        f"According to the report, {_intro(m)}what will {lower_first(subj)} {adv}do?",
                        vp,
                    )
                )
    m = _BLAME.search(core)
    if m and not starts_vague(m.group("subj")) and balanced(m.group("what")):
        verb = "blame" if m.group("verb") == "blamed" else "accuse"
        prep = "for" if verb == "blame" else "of"
        what = body(re.split(r"\s+and\s+vowed\b|,\s", m.group("what"))[0])
        if len(words(what)) >= 2:
            out.append(
                _arg(
                    ctx,
                    "subject-what",
                    f"According to the report, whom did {lower_first(m.group('subj'))} {verb} "
                    f"{prep} {what}?",
                    m.group("obj"),
                )
            )
    m = _PSEUDO_CLEFT.match(core)
    if m and _clause_ok(m.group("rest"), 4, 40):
        out.append(_arg(ctx, "key-is", f"According to the report, what {m.group('pred')}?", m.group("rest")))
    m = _FACT_MEANS.match(core)
    if m and balanced(m.group("x")) and _clause_ok(m.group("y"), 4, 40):
        out.append(_arg(ctx, "result", "According to the report, what does the fact that "
                        f"{m.group('x')} {m.group('verb')[:-1] if m.group('verb').endswith('s') else m.group('verb')}?",
                        upper_first(m.group("y"))))
    m = _KEY_IS.match(core)
    if m and balanced(m.group("np")):
        out.append(
            _arg(
                ctx,
                "key-is",
                f"According to the report, what {m.group('verb')} {lower_first(m.group('np'))}?",
                m.group("rest"),
            )
        )
    elif not any(out):
        m = _SUBJ_VERB.match(core)
        if m and not starts_vague(m.group("subj")) and balanced(m.group("subj")):
            subj = m.group("subj")
            plural = bool(re.search(r"\band\b", subj))
            verb = m.group("verb")
            if not plural:
                verb = {
                    "have": "has",
                    "are": "is",
                    "were": "was",
                    "account for": "accounts for",
                }.get(verb, verb)
            rest_ok = len(words(m.group("rest"))) <= 28 and not re.search(
                r",\s+(?:but|and|yet|so)\s+(?:[A-Z]|it\b|they\b|this\b)", m.group("rest")
            )
            content = [
                w
                for w in words(subj)
                if w.lower() not in STOPWORDS
                and not re.fullmatch(r"first|second|third|last|other|latter|former|next", w.lower())
            ]
            if (
                1 <= len(words(subj)) <= 9
                and content
                and _emphatic(core)
                and rest_ok
                and not _SUBORDINATE.search(subj)
            ):
                who = "who" if _is_person_np(subj) else "what"
                out.append(
                    _arg(
                        ctx,
                        "subject-what",
                        f"According to the report, {who} {verb} {m.group('rest')}?",
                        subj,
                    )
                )
    m = _UNLIKELY.search(core)
    if m and _clause_ok(core, 6) and not starts_vague(core):
        swapped = (
            core[: m.start()]
            + ("it is likely that" if m.group("neg") else "it is unlikely that")
            + core[m.end() :]
        )
        out.append(_claim_truefalse(ctx, "unlikely", core, swapped, m.group(0)))
    elif not m:
        neg = _NEGATION.search(core)
        single = len(_NEGATION.findall(core)) == 1 and not re.search(
            r"\b(?:nor|neither|never|no|none|nothing|without)\b", core, re.IGNORECASE
        )
        follows = core[neg.end() : neg.end() + 14].lower() if neg else ""
        if re.match(r"\s*(?:always|only|just|necessarily|even|merely|yet)\b", follows):
            single = False  # "did not always": removing "not" does not state the opposite
        if (
            neg
            and single
            and _clause_ok(core, 6, 50)
            and not starts_vague(core)
            and not core.endswith("?")
        ):
            # a negative finding ("did not establish"): true as stated, false with "not" removed
            affirmed = core[: neg.start()] + _AFFIRM.get(neg.group(0).lower(), neg.group(1)) + core[neg.end() :]
            out.append(_claim_truefalse(ctx, "negation", core, affirmed, neg.group(0)))
        elif not neg:
            f = _FINDING.search(core)
            if f and _clause_ok(core, 6, 50) and not starts_vague(core):
                # a finding ("the investigation established that ..."): false when negated
                negated = (
                    core[: f.start("verb")]
                    + "did not "
                    + _FINDING_BASE[f.group("verb")]
                    + core[f.end("verb") :]
                )
                out.append(_claim_truefalse(ctx, "finding", core, negated, f.group("verb")))
    return [d for d in out if d is not None]


def _claim_truefalse(ctx, template: str, core: str, opposite: str, anchor: str):
    """A true/false card on a claim: the claim as stated, or (chosen by a stable hash)
    its ``opposite`` with the claim as the explanation."""
    stmt = upper_first(core) + "."
    if int(stable_hash(norm_sentence(core), template, n=4), 16) % 2 == 0:
        fields = {
            "statement": upper_first(opposite) + ".",
            "answer": False,
            "explanation": f"False. The report says: {stmt}",
        }
    else:
        fields = {"statement": stmt, "answer": True}
    return _draft(ctx, template, "argument", "truefalse", fields, anchor)


_FINDING_BASE = {
    "established": "establish", "determined": "determine", "concluded": "conclude",
    "found": "find", "showed": "show", "confirmed": "confirm", "assessed": "assess",
    "identified": "identify", "revealed": "reveal",
}  # fmt: skip
_FINDING = re.compile(
    r"\b(?P<verb>" + "|".join(_FINDING_BASE) + r")\s+that\b"
)


_NEGATION = re.compile(
    r"\b(did|does|do|was|were|is|are|has|have|had|could|would|will|should)\s+not\b|\bcannot\b",
    re.IGNORECASE,
)
_AFFIRM = {"cannot": "can"}


_EMPHASIS = re.compile(
    r"\b(?:most|key|main|largest|first|only|central|principal|primary|major|important|"
    r"pushed|closer|enabled|driver|achievement|challenge|threat|pillar|largest|greatest|biggest|"
    r"leading|top|number one)\b",
    re.IGNORECASE,
)


def _emphatic(text: str) -> bool:
    return bool(_EMPHASIS.search(text))


_SUBORDINATE = re.compile(
    r"\b(?:when|that|which|who|if|because|while|whose|where|what|although|whereas|has|have|is|"
    r"are|was|were)\b|\b(?:and|or|but)$",
    re.IGNORECASE,
)


def _is_person_np(np: str) -> bool:
    tokens = [t for t in np.split() if t != "and"]
    if (
        tokens
        and all(t[:1].isupper() and not t.isupper() and t != "The" for t in tokens)
        and not any(is_country(t) or t in ORG_WORDS or t in DEMONYMS for t in tokens)
    ):
        return True
    return any(t in TITLES for t in np.split()) and not re.search(
        r"\b(?:policy|policies|the)\b", np
    )


# --------------------------------------------------------------------------- quotes

_SAY = (r"(?:said|says|warned|stressed|argued|noted|observed|declared|stated|wrote|claimed|"
        r"revealed|clarified|elaborated(?: further)?|put it|added|insisted|explained|"
        r"has said|has called|told [^,“\"]{2,40}|remarked|concluded)")  # fmt: skip
_SPEAKER = (
    r"(?P<speaker>(?:[A-Z][\w.’'-]*|of|the|and|for)(?:\s+(?:[A-Z][\w.’'-]*|of|the|and|for)){0,8})"
)
_QUOTE_INLINE = re.compile(
    rf"{_SPEAKER}\s+{_SAY}(?P<bridge>(?:\s+that)?[^“\"]{{0,60}}?)[,:]?\s*[“\"](?P<q>[^”\"]{{15,}})[”\"]"
)
_QUOTE_AS = re.compile(
    rf"^As\s+(?:the\s+)?{_SPEAKER}\s+{_SAY}[,:]?\s*[“\"](?P<q>[^”\"]{{15,}})[”\"]"
)
_ACCORDING = re.compile(rf"^According to (?:the\s+)?{_SPEAKER},\s+(?P<q>.{{15,}})$")
_INTRO_COLON = re.compile(rf"(?:^|\s)(?:the\s+)?{_SPEAKER}\s+{_SAY}(?:\s+that)?(?:[^:]{{0,80}})?:$")
_ACCORDING_COLON = re.compile(rf"^(?:According to|As)\s+(?:the\s+)?{_SPEAKER}(?:\s+{_SAY})?:$")


_ROLE_COLON = re.compile(
    r"(?:^|,\s+|\bAccording to\s+)(?P<speaker>(?:a|an|one)\s+(?:[\w-]+\s+){0,3}"
    r"(?:official|expert|diplomat|analyst|scholar|observer|officer|spokesman|spokeswoman|"
    r"adviser|advisor|minister|general|commander))(?:\s+\w+){0,2}:$"
)


def _speaker_name(raw: str) -> tuple[str, list[str]] | None:
    """The speaker's name and accepted alternatives; None when too vague to ask."""
    tokens = raw.split()
    if tokens and tokens[0] in ("a", "an", "one") and any(t[:1].isupper() for t in tokens):
        # an unnamed source described by role: "a senior Chinese official"
        return raw.strip(), [" ".join(tokens[1:])]
    while tokens and tokens[0] in ("As", "as", "According", "to", "the", "The"):
        tokens.pop(0)
    # a role rather than a name: "the President of the Russian Academy of Sciences"
    if len(tokens) >= 3 and tokens[0] in TITLES and tokens[1] == "of":
        role = " ".join(tokens)
        return "the " + role, [role]
    while tokens and (
        tokens[0] in ("the", "The", "and", "of") or tokens[0] in TITLES or tokens[0] in DEMONYMS
    ):
        tokens.pop(0)
    while tokens and tokens[-1] in ("the", "of", "and", "for"):
        tokens.pop()
    if not tokens or not tokens[0][:1].isupper():
        return None
    if "of" in tokens[1:]:
        cut = tokens.index("of")
        head = tokens[:cut]
        if (
            len(head) >= 2
            and all(t[:1].isupper() for t in head)
            and not any(t in ORG_WORDS for t in head)
        ):
            tokens = head
    name = " ".join(tokens)
    if is_country(name) or len(name) < 3:
        return None
    if len(tokens) == 1 and word_zipf(name.lower()) >= 4.0:
        return None
    accept = []
    if raw.strip() != name:
        accept.append(raw.strip())
    if (
        len(tokens) >= 2
        and all(t[:1].isupper() for t in tokens)
        and not any(t in ORG_WORDS for t in tokens)
        and entity_type(" ".join(tokens), []) == "person"
    ):
        accept.append(tokens[-1])
    return name, accept


def _excerpt(q: str, limit: int = 30) -> str:
    ws = q.split()
    if len(ws) <= limit:
        return q.strip()
    cut = " ".join(ws[:limit])
    m = re.search(r"^(.{40,}[.!?])\s", cut)
    return (m.group(1) if m else cut.rstrip(",;:")) + " …"


def quote_drafts(ctx: Context, next_para_first: Sentence | None, pools: Pools) -> list[Draft]:
    """ "Who said ...?" cards for quotations with a named speaker."""
    sent = ctx.sent
    text = sent.text
    found: list[tuple[str, str, bool, str]] = []  # speaker, quote, with_next, bridge words
    if not sent.quoted:
        for pat in (_QUOTE_AS, _QUOTE_INLINE):
            m = pat.search(text)
            if m:
                bridge = m.groupdict().get("bridge") or ""
                bridge = bridge.strip().rstrip(",:").strip()
                if bridge and (len(bridge.split()) > 8 or not balanced(bridge)):
                    bridge = ""
                found.append((m.group("speaker"), m.group("q"), False, bridge))
                break
        if not found:
            m = _ACCORDING.match(text)
            if m and "“" not in m.group("speaker"):
                found.append((m.group("speaker"), body(m.group("q")), False, "that"))
        if (
            not found
            and next_para_first is not None
            and next_para_first.quoted
            and text.endswith(":")
        ):
            m = _INTRO_COLON.search(text) or _ACCORDING_COLON.match(text) or _ROLE_COLON.search(text)
            if m:
                found.append((m.group("speaker"), next_para_first.text.strip('“”" '), True, ""))
    out = []
    for raw_speaker, q, with_next, bridge in found:
        named = _speaker_name(raw_speaker)
        if named is None:
            continue
        name, accept = named
        excerpt = _excerpt(q.strip().strip('“”"'))
        if name.lower() in excerpt.lower() or len(excerpt.split()) < 4:
            continue
        shown = excerpt.rstrip(".")
        if bridge == "that" and not q.lstrip().startswith(("“", '"')) and "“" not in q[:1]:
            question_text = f"According to the report, who stated that {lower_first(shown)}?"
        elif bridge:
            question_text = f"Who said {bridge} “{shown}”?"
        elif shown[:1].islower():
            question_text = f"Who said: “… {shown}”?"
        else:
            question_text = f"Who said: “{shown}”?"
        quote_text = text
        qstart = sent.start
        if with_next and next_para_first is not None:
            quote_text = text + " " + next_para_first.text
        fields: dict[str, Any] = {"question": question_text, "answer": name}
        ctype = "short"
        people = [p.text for p in pools.by_kind.get("entity:person", [])]
        wrong = [p for p in people if not _alias(p, name) and p.lower() not in excerpt.lower()]
        wrong = sorted(dict.fromkeys(wrong), key=lambda t: stable_hash(name, t))[:3]
        if len(wrong) >= 2 and int(stable_hash(name, excerpt, n=4), 16) % 2 == 0:
            ctype = "mcq"
            choices = sorted([name, *wrong], key=lambda c: stable_hash(excerpt, c))
            fields = {"question": question_text, "choices": choices, "answer": name}
        elif accept:
            fields["accept"] = accept
        d = Draft(
            template="who-said", kind="quote", type=ctype, fields=fields, answer=name,
            quote=_WS.sub(" ", quote_text), quote_start=qstart, section=sent.section,
            line=sent.line, block=sent.block, sentence_key=norm_sentence(quote_text),
        )  # fmt: skip
        out.append(d)
    return out


# --------------------------------------------------------------------------- all drafts


def build_drafts(
    cleaned: CleanedText, sentences: list[Sentence], all_types: bool = False
) -> list[Draft]:
    """Every card draft the report supports (many; ranking keeps the best).

    ``all_types``: every card type a fact span supports, not only the first that works.
    """
    usable = [s for s in sentences if not s.noisy]
    learn_proper_words(usable)
    spans = [find_spans(s.text) if not s.quoted else [] for s in usable]
    pools = Pools.build(spans)
    topic_names = topic_entities(spans, [s.section for s in usable])
    drafts: list[Draft] = []
    by_block: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(usable):
        by_block[s.block].append(i)
    for i, s in enumerate(usable):
        prev = (
            usable[i - 1]
            if i > 0 and usable[i - 1].block == s.block and not usable[i - 1].noisy
            else None
        )
        nxt_para = None
        if i + 1 < len(usable) and usable[i + 1].block != s.block and usable[i + 1].index == 0:
            nxt_para = usable[i + 1]
        ctx = Context(s, prev, cleaned)
        drafts.extend(quote_drafts(ctx, nxt_para, pools))
        if s.quoted or len(words(s.text)) < 5 or s.text.rstrip().endswith(("?", ":")):
            continue
        if _CITATION.search(s.text):
            continue
        drafts.extend(acronym_drafts(ctx))
        drafts.extend(definition_drafts(ctx))
        before_count = len(drafts)
        drafts.extend(argument_drafts(ctx))
        fact_spans = [
            sp
            for sp in spans[i]
            if _askable(sp, s.text)
            and not _topic_answer(sp.text, topic_names)
            and not _stock_phrase(sp, s.text, cleaned.text)
        ]
        if not fact_spans and len(drafts) == before_count:
            fact_spans = [  # nothing else to ask about this sentence
                sp for sp in keyword_spans(s.text) if not _collocation(sp, s.text, cleaned.text)
            ]
        drafts.extend(fact_drafts(ctx, fact_spans, pools, all_types))
    frequent = frequent_surnames(usable)
    return [
        d
        for d in drafts
        if _asks_role(d)
        or not (_topic_answer(d.answer, topic_names) or _frequent_person(d.answer, frequent))
    ]


def frequent_surnames(sentences: list[Sentence]) -> set[str]:
    """Capitalised words in at least 6% of the sentences (and 5): a person so named is guessable."""
    counts: Counter[str] = Counter()
    for s in sentences:
        counts.update({w for w in re.findall(r"(?<!^)\b[A-Z][a-z]{2,}\b", s.text)})
    limit = max(5, 0.06 * len(sentences))
    return {w for w, n in counts.items() if n >= limit}


def _frequent_person(answer: str, frequent: set[str]) -> bool:
    """Whether an answer is a person's full name whose surname the report keeps repeating."""
    tokens = core_name(answer).split()
    if not 2 <= len(tokens) <= 4 or not all(t[:1].isupper() or t.endswith(".") for t in tokens):
        return False
    return tokens[-1] in frequent and not any(
        t in ORG_WORDS for t in tokens
    ) and not is_country(" ".join(tokens))


def _asks_role(d: Draft) -> bool:
    """Whether a draft asks for a name by its role in the argument (who said, whom blamed):
    then even the report's most mentioned name is worth asking."""
    return d.template == "who-said" or (
        d.type == "short" and d.kind == "argument" and d.prompt.startswith("According to the report")
    )


_NOUNISH = re.compile(
    r"(?:tion|sion|ment|ence|ance|ity|ism|ship|ness|ency|ancy|acy|ure|ogy|ics|ist|ies|"
    r"ions|ments|ences|ances|isms|ships|ists|ures)$"
)
_CONTENT = re.compile(r"(?<![\w’'-])([a-z][a-z-]{4,})(?![\w’'-])")


def keyword_spans(text: str) -> list[Span]:
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
        if quoted_depth > 0 or w in STOPWORDS or not _NOUNISH.search(w):
            continue
        z = word_zipf(w)
        if z <= 0 or z >= 4.0:
            continue
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
    ):
        start = prev.start(1)
    nxt = re.match(r"\s+([a-z][a-z-]{3,})\b", text[end:])
    if nxt and nxt.group(1) not in STOPWORDS and word_zipf(nxt.group(1)) < 4.6 and not (
        nxt.group(1).endswith(("ed", "ly", "ing"))
    ):
        end = end + nxt.end(1)
    phrase = text[start:end]
    if len(phrase.split()) > 3:
        return []
    return [Span("term", phrase, start, end, etype="keyword")]


def _collocation(sp: Span, text: str, document: str) -> bool:
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


def _stock_phrase(sp: Span, text: str, document: str) -> bool:
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


def _topic_answer(answer: str, topic_names: set[str]) -> bool:
    """Whether an answer is just one of the report's ubiquitous names."""
    return core_name(answer) in topic_names if answer.strip() else False


_CITATION = re.compile(r"^(?:See|Cf\.|Id\.|Ibid)\b|§|\bet seq\b|\bNo\. \d")


def _askable(sp: Span, text: str) -> bool:
    """Whether a span is worth a fact card (not inside a quotation or a name)."""
    before = text[: sp.start]
    inside_quote = before.count("“") > before.count("”") or before.count('"') % 2
    if inside_quote and sp.etype != "quoted":
        return False
    # a year that is part of a name ("Vostok 2018") is not asked
    if (
        sp.kind == "year"
        and re.search(r"[A-Z][\w)]*\s*$", before)
        and not re.search(r"\b(?:in|since|by|of|until|from|after|before|during)\s*$", before, re.IGNORECASE)
    ):
        return False
    if sp.kind == "year" and not re.search(
        r"(?:\b(?:in|since|by|until|before|after|through|from|of|early|late|mid|around|the)\s+|^)$",
        before,
        re.IGNORECASE,
    ):
        return False
    if re.match(r"\s*(?:ago|earlier|later)\b", text[sp.end :]) or sp.text.endswith(" ago"):
        return False  # "ten years ago": relative to when it was written, not a fact to learn
    if sp.kind == "entity":
        if sp.etype == "other" and len(sp.text.split()) == 1:
            return False
        if is_country(sp.text) and text.count(sp.text) > 1:
            return False
        if len(sp.text.split()) == 1 and word_zipf(sp.text.lower()) >= 4.5 and not is_country(sp.text):
            return False  # a common word used as a name ("the Office"): too vague to ask
        if before.endswith("(") and len(sp.text.split()) == 1:
            return False
        if all(t in TITLES or t.split("-")[0] in TITLES for t in sp.text.split()):
            return False  # an office, not a name ("Special Counsel", "Attorney General")
        after = text[sp.end : sp.end + 6]
        if re.match(r"\s+and\s", after) or re.search(r"\sand\s+$", before[-6:]):
            return False  # one of a pair: asking it alone is ambiguous
    return True
