"""Choice cards (multiple choice, true/false) and the same-kind options they offer."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from quiz.deck.model import format_number
from quiz.generate.candidates import ORG_WORDS, PLACE_WORDS, STOPWORDS, Span, is_country
from quiz.generate.draft import Context, Draft, Gap, make_draft, norm_sentence, stable_hash
from quiz.generate.phrasing import upper_first


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
        "Asia",
        "Europe",
        "Africa",
        "America",
        "Eurasia",
        "Arctic",
        "States",
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
_COUNTRY_ACRONYMS = frozenset(
    ["US", "USA", "UK", "UAE", "USSR", "PRC", "DPRK", "ROK", "FRG", "GDR"]
)
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
        value = sp.value
        _, tol = tolerance_for(sp)
        tol = max(tol, abs(value) * 0.1 if sp.kind not in ("year", "multiplier") else tol)
        cands = [p for p in pool if p.value is not None and abs(p.value - value) > tol]
        cands.sort(key=lambda p: (abs((p.value or 0) - value), p.text))
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


# --------------------------------------------------------------------------- choice card templates


def mcq_card(ctx: Context, gap: Gap) -> Draft | None:
    """The sentence with a blank and the answer among same-kind options from the report."""
    from quiz.generate.templates.facts import gap_ok

    sp, text = gap.span, gap.text
    if not reliable_kind(sp):
        return None
    wrong = distractors(sp, ctx.pools, gap.lead + text, gap.salt, need=3)
    if len(wrong) < 2:
        return None
    if not gap_ok(sp, gap.lead + gap.rest):
        return None
    q = gap.lead + text[: sp.start] + "____" + text[sp.end :]
    choices = [sp.text, *wrong]
    choices.sort(key=lambda c: stable_hash(gap.salt, c))
    fields = {"question": q, "choices": choices, "answer": sp.text}
    return make_draft(ctx, "mcq", "fact", "mcq", fields, sp.text, gap.with_prev)


def truefalse_card(ctx: Context, gap: Gap) -> Draft | None:
    """The sentence as stated (true) or with the span swapped for a same-kind value (false)."""
    sp, text = gap.span, gap.text
    if not reliable_kind(sp) or ctx.needs_context:
        return None
    flip = int(stable_hash(gap.salt, "tf", n=4), 16) % 2 == 0
    if flip and sp.kind == "entity":
        return None  # a swapped name makes an absurd statement more often than not
    if flip:
        wrong = [
            w
            for w in distractors(sp, ctx.pools, text, gap.salt, need=3)
            if sp.kind != "entity"
            or needs_article(w) == text[: sp.start].rstrip().lower().endswith("the")
        ]
        if not wrong:
            return None
        stmt = text[: sp.start] + wrong[0] + text[sp.end :]
        fields = {
            "statement": stmt, "answer": False,
            "explanation": f"False. The report says: {ctx.sent.text}",
        }  # fmt: skip
        return make_draft(ctx, "tf-swap", "fact", "truefalse", fields, sp.text, gap.with_prev)
    fields = {"statement": text, "answer": True}
    return make_draft(ctx, "tf-true", "fact", "truefalse", fields, sp.text, gap.with_prev)


def reliable_kind(sp: Span) -> bool:
    """Whether the span's kind is known well enough to draw options of the same kind."""
    return sp.kind != "entity" or sp.etype in ("person", "org", "place") or is_country(sp.text)


def claim_truefalse(ctx: Context, template: str, core: str, opposite: str, anchor: str) -> Draft:
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
    return make_draft(ctx, template, "argument", "truefalse", fields, anchor)
