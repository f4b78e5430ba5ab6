"""Fact cards: a gap (cloze), a question (short, numeric) on one span of a sentence.

Each card type is a small function in ``FACT_CARDS``; ``fact_drafts`` tries them in a
stable order per answer and keeps the first that can be made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from quiz.generate.answers import name_forms
from quiz.generate.candidates import (
    DEMONYMS,
    STOPWORDS,
    TITLES,
    Span,
    argument_markers,
    is_country,
    starts_vague,
)
from quiz.generate.clean import word_zipf
from quiz.generate.draft import Context, Draft, Gap, make_draft, norm_sentence, stable_hash
from quiz.generate.phrasing import body, question, strip_discourse, tidy_opening, upper_first
from quiz.generate.templates.choices import (
    Pools,
    mcq_card,
    scale_of,
    tolerance_for,
    truefalse_card,
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


def accept_for(sp: Span, acronyms: dict[str, str] | None = None) -> list[str]:
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
        out += name_forms(t, acronyms or {}, person=sp.etype == "person")
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


def fact_drafts(ctx: Context, spans: list[Span], all_types: bool = False) -> list[Draft]:
    """Cloze, short, numeric, mcq and true/false cards about the spans of one sentence.

    One card per span (the first type that works), or with ``all_types`` every type
    that works (the other candidates a curator may switch to).
    """
    sent = ctx.sent
    text, cut = tidy_opening(sent.text)  # "But China ..." is shown as "China ..."
    spans = [
        replace(sp, start=sp.start - cut, end=sp.end - cut)
        for sp in spans
        if sp.start >= cut and not (cut and sp.start == cut and sp.text[:1].islower())
    ]
    lead = ctx.lead
    owner = _owner(ctx, text)
    if owner:  # "Its eight members ..." -> "The SCO's eight members ...": no lead needed
        text = f"The {owner}’s " + text[4:]
        shift = len(f"The {owner}’s ") - len("Its ")
        spans = [replace(sp, start=sp.start + shift, end=sp.end + shift) for sp in spans]
        lead = ""
    elif ctx.it_names and text.startswith("It "):  # "It is the junior partner" -> "Russia is ..."
        owner = ctx.it_names
        text = owner + text[2:]
        shift = len(owner) - 2
        spans = [replace(sp, start=sp.start + shift, end=sp.end + shift) for sp in spans]
    with_prev = bool(lead)
    if ctx.needs_context and not lead and not owner:
        return []
    if lead and ctx.prev is not None and starts_vague(ctx.prev.text):
        return []  # the sentence shown before leans on another one in turn ("Its ... Its ...")
    out: list[Draft] = []
    argumentative = bool(
        {"cause", "result", "contrast", "recommendation", "prediction", "definition"}
        & set(argument_markers(text))
    ) or bool(_FINDS.search(text))
    for sp in spans:
        if sp.kind == "entity" and len(sp.text) < 3:
            continue
        if sp.kind == "entity" and sp.start == 0 and sentence_gerund(sp.text, ctx.proper_words):
            continue  # "Peeling Russia away ...": a capitalised verb, not a name
        if sp.kind == "entity" and (
            re.search(r"\bAccording to (?:the\s+)?$", text[: sp.start])
            or _SPEAKS.match(text[sp.end :])
        ):
            continue  # the source of a statement: asked by "Who said" (a person), not as a gap
        if sp.kind == "entity" and (
            part_of_longer_name(text, sp) or dotted_initials_in(sp.text, text)
        ):
            continue  # "Republican ____ Convention": the rest of the name gives it away
        salt = norm_sentence(sent.text) + sp.text
        shown = _without_own_acronym(text, sp, ctx.doc.acronyms)
        rest = shown[: sp.start] + shown[sp.end :]
        if sp.kind == "entity" and _acronym_in(sp.text, rest, ctx.doc.acronyms):
            continue  # "The ____ (CEC) manages ...": the acronym spells the answer
        kinds = _types_for(sp)
        # the card type depends on the answer, not the wording, so a reworded passage keeps it
        choice = int(stable_hash(sp.text, sent.section, n=6), 16)
        ordered = kinds[choice % len(kinds) :] + kinds[: choice % len(kinds)]
        if sp.kind in ("money", "percent", "count") and (
            _RANGE_START.match(shown[sp.end :]) or _RANGE_END.search(shown[: sp.start])
        ):
            continue  # "from ____ to $3,500": one end of a range is no fact on its own
        gap = Gap(sp, shown, salt, lead, with_prev, rest)
        for ctype in ordered:
            d = FACT_CARDS[ctype](ctx, gap)
            if d is not None:
                d.bonus = span_value(sp, ctx.pools, at_start=sp.start == 0, text=shown)
                if in_opening_frame(shown, sp) and (
                    _SPAN_FRAME.match(shown) or not dated_event(sp, shown)
                ):
                    d.bonus -= FRAME_PENALTY  # "Since ____, seven audits found $582 million"
                if side_detail(shown, sp):
                    d.bonus -= DETAIL_PENALTY  # "(usually 5-9 people, including ____, ...)"
                if sp.kind == "entity" and answer_echoed(sp.text, rest):
                    d.bonus -= 0.5  # "Russia's actions ... part of the ____ (Russian Federation)"
                if sp.etype == "keyword":
                    d.template = "keyword"  # ranked last: only fills a deck short of cards
                elif sp.kind == "term" and argumentative:
                    d.kind = "argument"  # the card tests a claim the report argues
                out.append(d)
                if not all_types:
                    break
    return out


_RANGE_START = re.compile(r"\s*(?:to|and|-|–)\s*(?:about\s+)?[$€£]?\d")
_RANGE_END = re.compile(
    r"\d[\d,.]*(?:\s*(?:million|billion|percent|%))?\s*(?:to|and|-|–)\s*(?:about\s+)?$"
)
_FINDS = re.compile(
    r"\b(?:found|determined|concluded|established|estimated?|projects?|projected|showed|shows|"
    r"demonstrated|identified|assessed)\s+that\b"
)
_SPEAKS = re.compile(
    r",?\s+(?:has\s+|had\s+)?(?:said|says|observed|wrote|writes|noted|notes|reported|reports|"
    r"stated|states|argued|argues|warned|warns|claimed|claims|remarked|put it)\b"
)


def _without_own_acronym(text: str, sp: Span, acronyms: dict[str, str]) -> str:
    """The sentence without the acronym the report defines right after the answer:
    "the Caspian Energy Council (CEC) manages" is asked as "the ____ manages", and
    "(CEC, a body of five states)" keeps only "(a body of five states)"; the acronym is then
    an accepted answer, not a hint."""
    m = re.match(r"\s*\(([A-Z][A-Za-z&.]{1,9})(\)|,\s*)", text[sp.end :])
    initials = "".join(w[0] for w in sp.text.split() if w[:1].isupper())
    if sp.kind != "entity" or not m or m.group(1) not in (acronyms.get(sp.text), initials):
        return text
    if m.group(2) == ")":
        return text[: sp.end] + text[sp.end + m.end() :]
    return text[: sp.end] + " (" + text[sp.end + m.end() :]


def _acronym_in(answer: str, rest: str, acronyms: dict[str, str]) -> bool:
    """Whether the rest of the prompt spells the answer by its acronym or long form."""
    other = acronyms.get(answer)
    if other and re.search(rf"(?<![\w-]){re.escape(other)}(?![\w-])", rest):
        return True
    initials = "".join(w[0] for w in answer.split() if w[:1].isupper())
    return len(initials) >= 2 and bool(re.search(rf"\b{re.escape(initials)}\b", rest))


def _owner(ctx: Context, text: str) -> str | None:
    """The organisation an opening "Its" stands for: the one acronym the three sentences
    before name (the report's own short name for it, "the SCO"); None if not exactly one."""
    if not text.startswith("Its "):
        return None
    start = ctx.sent.start
    before = ctx.cleaned.text[max(0, start - 700) : start]
    names = {m.group(0) for m in re.finditer(r"\b[A-Z]{2,6}\b", before)}
    names = {n for n in names if ctx.doc.acronyms.get(n) and not is_country(n)}
    return names.pop() if len(names) == 1 else None


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


def sentence_gerund(name: str, proper_words: frozenset[str] = frozenset()) -> bool:
    """Whether a capitalised run opens on a verb's -ing form ("Peeling", "Seeking"), not a name."""
    first = name.split()[0]
    if not first.endswith("ing") or first in proper_words or len(first) < 6:
        return False
    stem = first[:-3].lower()
    return any(
        word_zipf(w) >= 3.0
        for w in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else "")
    )


_EVENT = re.compile(
    r"\b(?:founded|established|created|formed|announced|launched|signed|began|begun|started|"
    r"held|fought|engaged|invaded|annexed|collapsed?|adopted|introduced|enacted|passed|"
    r"completed|opened|elected|appointed|joined|ratified|approved|issued|published|released|"
    r"took place|broke out|ended|expired?s?|war|treaty|agreement|summit|election|crisis)\b",
    re.IGNORECASE,
)


def dated_event(sp: Span, text: str) -> bool:
    """Whether a year or date dates an event of the sentence ("founded in 2002", "in 2013
    announced", "a border war in 1969"): then the date is the fact to ask."""
    if sp.kind not in ("year", "date"):
        return False
    window = text[max(0, sp.start - 45) : sp.end + 45]
    return bool(_EVENT.search(window))


# an opening phrase that sets the time, place or condition of the claim that follows
_FRAME_OPENING = re.compile(
    r"(?:Since|In|For|During|By|As of|After|Before|Until|Through|Over|From|Between|Even though|"
    r"Although|Though|While|Whereas|When|Despite|Unlike|Like|Compared (?:with|to))\s"
)
# a frame that spans a period ("Since 2009", "For FY 2000"): it never dates the event
_SPAN_FRAME = re.compile(r"(?:Since|For|As of|Over|Through|During)\s")
FRAME_PENALTY = 1.2


def in_opening_frame(text: str, sp: Span) -> bool:
    """Whether a span lies in the sentence's opening frame ("Since 2009, ...", "For FY 2000,
    ...", "Even though the United States is the third-largest producer, ..."): the setting of
    the claim, not the claim; the main clause after the first comma holds the point."""
    if not _FRAME_OPENING.match(text):
        return False
    comma = text.find(", ")
    return 0 < comma < 160 and sp.end <= comma and len(text[comma:].split()) >= 5


DETAIL_PENALTY = 0.6
_FIGURE_IN = re.compile(
    r"\d[\d,.]*\s*(?:%|percent|million|billion|trillion)?\s+(?:in|by)\s+(?:FY\s*)?$"
)
_LIST_LEAD = re.compile(r"\b(?:including|includes|include|included|such as)\s+(?:the\s+)?$")


def side_detail(text: str, sp: Span) -> bool:
    """Whether a span is a side detail of its sentence: inside parentheses, one item of an
    "including X, Y, and Z" list, or the year that dates a figure ("49,253 in ____")."""
    before = text[: sp.start]
    if before.count("(") > before.count(")"):
        return True
    if sp.kind in ("year", "date") and _FIGURE_IN.search(before):
        return True
    after = text[sp.end : sp.end + 3]
    return (
        bool(_LIST_LEAD.search(before)) and after.startswith(",") and "such as" not in before[-9:]
    )


def span_value(sp: Span, pools: Pools, at_start: bool = False, text: str = "") -> float:
    """How much a span is worth asking: quantities and dated events most; names the
    report mentions once (trivia more often than not) and its own topic names least."""
    if sp.kind in ("money", "percent", "count", "multiplier"):
        return 1.1
    freq = pools.entity_counts.get(sp.text, 0)
    if sp.kind in ("date", "year"):
        # a year the report mentions again and again dates no one fact
        value = 0.7 - min(max(freq - 1, 0), 4) * 0.15
        return value + (1.0 if dated_event(sp, text) else 0.0)
    if sp.kind == "term":
        return {"quoted": 1.3, "keyword": 0.2}.get(sp.etype or "", 1.0)
    base = 0.2 if sp.etype in ("person", "org") else 0.0
    if len(sp.text.split()) >= 2:
        base += 0.3
    if freq <= 1 and not at_start and sp.etype != "person":  # people: asked by "Who said"
        return base + 0.3  # named once: this passage's own name (a detail as often as not)
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


def cloze_card(ctx: Context, gap: Gap) -> Draft | None:
    sp, text = gap.span, gap.text
    if not gap_ok(sp, gap.lead + gap.rest):
        return None
    alts = accept_for(sp, ctx.doc.acronyms)
    inner = "|".join([sp.text, *alts])
    hint = _hint(sp)
    if hint:
        inner += f"::{hint}"
    cloze = gap.lead + text[: sp.start] + "{{" + inner + "}}" + text[sp.end :]
    return make_draft(ctx, "cloze", "fact", "cloze", {"text": cloze}, sp.text, gap.with_prev)


def short_card(ctx: Context, gap: Gap) -> Draft | None:
    sp, text = gap.span, gap.text
    if (
        sp.kind == "entity"
        and sp.etype not in ("person", "org", "place")
        and not is_country(sp.text)
    ):
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
    fields: dict[str, Any] = {"question": gap.lead + q, "answer": sp.text}
    if accept_for(sp, ctx.doc.acronyms):
        fields["accept"] = accept_for(sp, ctx.doc.acronyms)
    return make_draft(ctx, "short", "fact", "short", fields, sp.text, gap.with_prev)


def numeric_card(ctx: Context, gap: Gap) -> Draft | None:
    sp = gap.span
    if sp.value is None:
        return None
    q = echo_question(gap.text, sp)
    if q is None:
        return None
    tol, _ = tolerance_for(sp)
    unit = sp.unit if sp.kind not in ("year",) else None
    fields: dict[str, Any] = {"question": gap.lead + q, "answer": sp.value}
    if unit:
        fields["unit"] = unit
    if tol:
        fields["tolerance"] = tol
    return make_draft(ctx, "numeric", "fact", "numeric", fields, sp.text, gap.with_prev)


FactCard = Callable[[Context, Gap], "Draft | None"]
FACT_CARDS: dict[str, FactCard] = {
    "cloze": cloze_card,
    "short": short_card,
    "numeric": numeric_card,
    "mcq": mcq_card,
    "truefalse": truefalse_card,
}
