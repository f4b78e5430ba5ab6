"""Argument cards: causes, results, contrasts, recommendations, predictions, claims.

Each template is a small function of the sentence's context and its ``Claim``; they
run in the order of ``ARGUMENT_TEMPLATES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from quiz.generate.candidates import (
    DEMONYMS,
    ORG_WORDS,
    STOPWORDS,
    TITLES,
    is_country,
    starts_vague,
)
from quiz.generate.clean import word_zipf
from quiz.generate.draft import Context, Draft, make_draft
from quiz.generate.gate import several_for_subject, squash
from quiz.generate.phrasing import ENUMERATOR, balanced, body, strip_discourse, upper_first, words
from quiz.generate.templates.choices import claim_truefalse

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
    r"\s+(?P<modal>will|could|may|might)\s+(?:(?P<adv0>significantly|greatly|also|eventually|"
    r"ultimately|further)\s+)?(?P<vp>(?!not\b|be\b|have\b|take\b|make\b|want\b|wish\b|need\b).{8,})$"
)
_KEY_IS = re.compile(
    r"^(?P<np>(?:[Tt]he|[A-Z][\w-]*’s|One) (?:\w+ )?(?:key|main|principal|central|primary|biggest|"
    r"most important|major|chief|real|only|leading|largest|greatest|highest|lowest|smallest|"
    r"strongest|best|worst|(?:most|least) (?:often |commonly |frequently |widely )?[a-z]{4,}) "
    r"[^,;“\"]{3,80}?)\s+(?P<verb>is|are|was|were|remains)\s+(?P<rest>(?!(?:in|on|at|by|not)\b).{5,})$"
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
_PSEUDO_CLEFT = re.compile(
    r"^What (?P<pred>(?:remains|is|was) [a-z][\w ]{2,30}?) is (?P<rest>.{10,})$"
)
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


_FINDING_BASE = {
    "established": "establish", "determined": "determine", "concluded": "conclude",
    "found": "find", "showed": "show", "confirmed": "confirm", "assessed": "assess",
    "identified": "identify", "revealed": "reveal",
}  # fmt: skip
_FINDING = re.compile(r"\b(?P<verb>" + "|".join(_FINDING_BASE) + r")\s+that\b")


_NEGATION = re.compile(
    r"\b(did|does|do|was|were|is|are|has|have|had|could|would|will|should)\s+not\b|\bcannot\b"
    r"|\b(is|are|was|were|does|do|did|has|have|had|could|would|should)n[’']t\b|\b(?:can|won)[’']t\b",
    re.IGNORECASE,
)
_AFFIRM = {"cannot": "can", "can’t": "can", "can't": "can", "won’t": "will", "won't": "will"}


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


def _intro(ctx: Context, m: re.Match[str]) -> str:
    """A leading adverbial clause ("As the BRI develops, ") kept as context, lowercased."""
    intro = (m.groupdict().get("intro") or "").strip()
    if not intro or starts_vague(intro) or len(words(intro)) > 12:
        return ""
    return ctx.lower(intro.rstrip(",")) + ", "


def _clause_ok(ctx: Context, text: str, min_words: int = 5, max_words: int = 45) -> bool:
    if _SUBORDINATOR_START.match(text.strip()):
        return False
    first = (words(text) or [""])[0]
    if (
        first.lower().endswith("ing")
        and first not in ctx.proper_words
        and word_zipf(first.lower()) >= 2.5
    ):
        return False  # a participle clause ("Seeking to assuage ..."), not a claim
    n = len(words(text))
    if n < min_words or n > max_words:
        return False
    if starts_vague(text) or not balanced(text):
        return False
    return not text.rstrip().endswith("?")


def _answer_clause_ok(ctx: Context, text: str, min_words: int = 5) -> bool:
    """A clause fit to be an answer: as ``_clause_ok``, but it may open on a pronoun whose
    name the question gives ("Russia can project power, but it remains ...")."""
    if re.match(r"(?:it|they|he|she|its|their)\b", text.strip()):
        return _clause_ok(ctx, "X" + text.strip()[text.strip().find(" ") :], min_words)
    return _clause_ok(ctx, text, min_words)


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
    return make_draft(ctx, template, "argument", ctype, fields, answer_key or a, with_prev)


@dataclass
class Claim:
    """One sentence as the argument templates read it."""

    text: str  # without final punctuation
    core: str  # without leading linking words and parenthetical connectives

    @classmethod
    def of(cls, sentence: str) -> Claim:
        text = body(ENUMERATOR.sub("", sentence))
        return cls(text, upper_first(_PARENTHETICAL.sub("", strip_discourse(text))))


Found = list["Draft | None"]


# --------------------------------------------------------------------------- causes and results


def cause_within(ctx: Context, c: Claim) -> Found:
    """ "X, because Y" -> what explains why X?"""
    m = _CAUSE_IN.match(c.core)
    if not (m and _clause_ok(ctx, m.group("effect")) and balanced(m.group("cause"))):
        return []
    eff = body(m.group("effect"))
    q = f"According to the report, what explains why {ctx.lower(eff)}?"
    return [_arg(ctx, "cause", q, m.group("cause"))]


def cause_lead(ctx: Context, c: Claim) -> Found:
    """ "Because Y, X" -> what explains why X?"""
    m = _CAUSE_LEAD.match(c.core)
    if not (m and _clause_ok(ctx, m.group("effect"))):
        return []
    q = f"According to the report, what explains why {ctx.lower(body(m.group('effect')))}?"
    return [_arg(ctx, "cause", q, m.group("cause"))]


def cause_next(ctx: Context, c: Claim) -> Found:
    """ "X. This is because Y" -> what explains why X?"""
    m = _CAUSE_NEXT.match(c.core)
    prev = ctx.prev
    if not (m and prev is not None and not prev.quoted):
        return []
    eff = strip_discourse(body(prev.text))
    if not _clause_ok(ctx, eff):
        return []
    q = f"According to the report, what explains why {ctx.lower(eff)}?"
    return [_arg(ctx, "cause-next", q, m.group("cause"), with_prev=True)]


def result_within(ctx: Context, c: Claim) -> Found:
    """ "As a result of Y, X" -> what was one consequence of Y?"""
    m = _RESULT_IN.match(c.core)
    if not (m and _clause_ok(ctx, m.group("effect"), 4)):
        return []
    q = f"According to the report, what was one consequence of {ctx.lower(m.group('cause'))}?"
    return [_arg(ctx, "result", q, upper_first(m.group("effect")))]


def result_next(ctx: Context, c: Claim) -> Found:
    """ "Y. As a result, X" -> what follows from the fact that Y?"""
    m = _RESULT_NEXT.match(c.text)
    prev = ctx.prev
    if not (m and prev is not None and not prev.quoted):
        return []
    cause = strip_discourse(body(prev.text))
    if not (_clause_ok(ctx, cause) and _clause_ok(ctx, m.group("effect"), 4, 60)):
        return []
    q = f"According to the report, what follows from the fact that {ctx.lower(cause)}?"
    return [_arg(ctx, "result-next", q, upper_first(m.group("effect")), with_prev=True)]


# --------------------------------------------------------------------------- contrasts


def contrast_next(ctx: Context, c: Claim) -> Found:
    """ "X. However, Y" -> what qualification does the report attach to X?"""
    m = _CONTRAST_NEXT.match(c.text)
    prev = ctx.prev
    if not (m and prev is not None and not prev.quoted):
        return []
    claim = strip_discourse(body(prev.text))
    if re.match(r"[Tt]he fact that ", claim):
        claim = ""
    q = m.group("q")
    if not (_clause_ok(ctx, claim) and len(words(q)) >= 4 and balanced(q)):
        return []
    question = f"What qualification does the report attach to the claim that {ctx.lower(claim)}?"
    return [_arg(ctx, "contrast-next", question, upper_first(q), with_prev=True)]


def contrast_within(ctx: Context, c: Claim) -> Found:
    """ "X, but Y" / "X, while Y" -> what qualification (or contrast) goes with X?"""
    m = _CONTRAST_IN.match(c.core)
    if not (
        m
        and _clause_ok(ctx, m.group("a"), 6)
        and _answer_clause_ok(ctx, m.group("b"), 5)
        and balanced(m.group("a"))
    ):
        return []
    lead_q = (
        "What contrast does the report draw with the claim that"
        if m.group("mk") in ("while", "whereas")
        else "What qualification does the report attach to the claim that"
    )
    return [
        _arg(ctx, "contrast", f"{lead_q} {ctx.lower(m.group('a'))}?", upper_first(m.group("b")))
    ]


def concession(ctx: Context, c: Claim) -> Found:
    """ "Although Y, X" -> what qualification goes with X; "While Y, X" -> what contrasts with Y?"""
    m = _CONCESSION.match(c.core)
    if not (
        m
        and _clause_ok(ctx, m.group("b"), 5)
        and balanced(m.group("a"))
        and not re.match(r"[a-z]+(?:ing|ed)\b", m.group("a"))
    ):
        return []
    mk = m.group("mk")
    if mk in ("While", "Whereas"):
        q = f"According to the report, what contrasts with the fact that {ctx.lower(m.group('a'))}?"
        return [_arg(ctx, "contrast", q, upper_first(m.group("b")))]
    if mk == "Despite":
        return []
    q = (
        "What qualification does the report attach to the claim that "
        f"{ctx.lower(body(m.group('b')))}?"
    )
    return [_arg(ctx, "concession", q, upper_first(m.group("a")))]


# --------------------------------------------------------------------------- recommendations, predictions


def how_could_or_should(ctx: Context, c: Claim) -> Found:
    """ "X could V by Y" -> how could X V?; else "X should V" -> what should X do?"""
    m = _HOW_COULD.match(c.core)
    if m and not starts_vague(m.group("subj")):
        q = f"According to the report, how could {ctx.lower(m.group('subj'))} {m.group('vp')}?"
        return [_arg(ctx, "how-could", q, "by " + m.group("how"))]
    m = _MODAL.match(c.core)
    if not (m and not starts_vague(m.group("subj")) and " that " not in m.group("intro")):
        return []
    subj, vp = m.group("subj"), m.group("vp")
    if re.match(r"be\b", vp):
        if not _subject_askable(subj, m.group("modal"), vp):
            return []
        q = f"According to the report, what {m.group('modal')} {vp}?"
        return [_arg(ctx, "subject-what", q, subj)]
    if not (balanced(vp) and _clause_ok(ctx, subj + " " + vp, 4)):
        return []
    reported = _REPORTED.match(subj)
    if reported:
        # someone else's recommendation: "X argued that Y should ..."
        question_text = (
            f"According to the report, what did {ctx.lower(reported.group('who'))} "
            f"{_REPORT_BASE[reported.group('verb')]} {reported.group('whom')} "
            f"{m.group('modal')} do?"
        )
    elif " that " in f" {subj} ":
        return []
    else:
        question_text = f"What does the report say {ctx.lower(subj)} {m.group('modal')} do?"
        verb_object = _VERB_OBJECT.match(vp)
        specific = not re.match(r"(?:an?|any|each|every|some)\s", subj, re.IGNORECASE)
        if (
            verb_object
            and specific
            and several_for_subject(ctx.lower(subj), _squashed(ctx.cleaned.text))
        ):
            # "what should the United States do?" has several answers in the report: ask
            # what it should re-examine, with the object as the answer
            verb = verb_object.group("verb")
            question_text = f"What does the report say {ctx.lower(subj)} {m.group('modal')} {verb}?"
            return [_arg(ctx, "recommend", question_text, verb_object.group("obj"))]
    return [_arg(ctx, "recommend", question_text, vp)]


# a verb and its object ("re-examine the wisdom of ..."), not "be", "do", "also ...", "and"
_VERB_OBJECT = re.compile(
    r"(?P<verb>(?!(?:be|do|have|make|take|get|also|not|continue|try|seek|begin|start)\b)"
    r"[a-z][a-z-]{2,})\s+(?P<obj>(?:the|a|an|its|their|his|her|our|this|these|those|such|"
    r"all|any|more|new|clear)\s+[^,;]{8,}.*)$"
)


@lru_cache(maxsize=2)
def _squashed(text: str) -> str:
    return squash(text)


_HOW_BY = re.compile(
    r"^(?P<subj>(?:The |the )?[A-Z][\w’'-]*(?:\s+(?!by\b)[\w’'-]+){0,7}?)\s+"
    r"(?P<verb>(?:reduc|increas|improv|ensur|allow|enabl|mak|creat|lower|rais|protect|prevent|"
    r"support|sav|limit|address|achiev|avoid|mitigat|speed|cut|boost|strengthen|weaken|promot|"
    r"encourag|driv|maintain|manag|control|meet|keep|gain|build|fund|pay|financ|offset|minimiz|"
    r"maximiz|minimis|maximis|expand|extend|accelerat|help|lessen|lift|curb|cover|reach|serv)"
    r"(?:es|s))\s+(?P<obj>(?!by\b)[^,;:“\"]{4,80}?)\s+by\s+(?P<how>[a-z]+ing\b.{6,})$"
)


def _base_verb(verb: str) -> str:
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes")):
        return verb[:-2]
    return verb[:-1]


def how_by(ctx: Context, c: Claim) -> Found:
    """ "X reduces risk by doing Y" -> how does X reduce risk?"""
    m = _HOW_BY.match(c.core)
    if not m or starts_vague(m.group("subj")) or _SUBORDINATE.search(m.group("subj")):
        return []
    verb = m.group("verb")
    if verb in ("is", "has", "does", "was", "thus", "this", "its", "less", "process"):
        return []
    if not (balanced(m.group("obj")) and balanced(m.group("how"))):
        return []
    q = (
        f"According to the report, how does {ctx.lower(m.group('subj'))} {_base_verb(verb)} "
        f"{m.group('obj')}?"
    )
    return [_arg(ctx, "how-could", q, "by " + m.group("how"))]


def predict(ctx: Context, c: Claim) -> Found:
    """ "X will V" -> what will X do (or be)?"""
    m = _WILL.match(c.core)
    if not (
        m
        and not starts_vague(m.group("subj"))
        and len(words(m.group("subj"))) <= 10
        and not (_SUBORDINATE.search(m.group("subj")))
        and not _SUBORDINATOR_START.match(m.group("subj"))
        and not re.match(r"(?i)even\b", m.group("subj"))
        and not re.search(r"\b(?:how|why|whether|where)\b", m.group("subj"))
    ):
        return []
    subj, vp, modal = m.group("subj"), m.group("vp"), m.group("modal")
    if modal != "will" and re.search(r"\b(?:it|they|we|you|he|she)\b", subj, re.IGNORECASE):
        return []
    if m.group("adv0"):
        vp = m.group("adv0") + " " + vp
    adv_m = re.match(r"(likely|probably|eventually|inevitably|also|soon|certainly|only)\s+", vp)
    adv = ""
    if adv_m:
        adv, vp = adv_m.group(1) + " ", vp[adv_m.end() :]
    if not (balanced(subj) and balanced(vp)):
        return []
    intro = _intro(ctx, m)
    if re.match(r"(?:be|become)\b", vp):
        verb = vp.split()[0]
        q = f"According to the report, {intro}what {modal} {ctx.lower(subj)} {adv}{verb}?"
        return [_arg(ctx, "predict", q, vp[len(verb) :].strip())]
    q = f"According to the report, {intro}what {modal} {ctx.lower(subj)} {adv}do?"
    return [_arg(ctx, "predict", q, vp)]


# --------------------------------------------------------------------------- who and what


def blame(ctx: Context, c: Claim) -> Found:
    """ "X blamed Y for Z" -> whom did X blame for Z?"""
    m = _BLAME.search(c.core)
    if not (m and not starts_vague(m.group("subj")) and balanced(m.group("what"))):
        return []
    verb = "blame" if m.group("verb") == "blamed" else "accuse"
    prep = "for" if verb == "blame" else "of"
    what = body(re.split(r"\s+and\s+vowed\b|,\s", m.group("what"))[0])
    if len(words(what)) < 2:
        return []
    q = f"According to the report, whom did {ctx.lower(m.group('subj'))} {verb} {prep} {what}?"
    return [_arg(ctx, "subject-what", q, m.group("obj"))]


def pseudo_cleft(ctx: Context, c: Claim) -> Found:
    """ "What remains unknown is X" -> what remains unknown?"""
    m = _PSEUDO_CLEFT.match(c.core)
    if not (m and _clause_ok(ctx, m.group("rest"), 4, 40)):
        return []
    return [
        _arg(ctx, "key-is", f"According to the report, what {m.group('pred')}?", m.group("rest"))
    ]


def fact_means(ctx: Context, c: Claim) -> Found:
    """ "The fact that X means that Y" -> what does the fact that X mean?"""
    m = _FACT_MEANS.match(c.core)
    if not (m and balanced(m.group("x")) and _clause_ok(ctx, m.group("y"), 4, 40)):
        return []
    verb = m.group("verb")
    base = verb[:-1] if verb.endswith("s") else verb
    q = f"According to the report, what does the fact that {m.group('x')} {base}?"
    return [_arg(ctx, "result", q, upper_first(m.group("y")))]


_SUPERLATIVE = re.compile(
    r"\b(?:only|leading|largest|greatest|highest|lowest|smallest|strongest|best|worst|most|least)\b"
)
_KEY_WORDS = re.compile(r"\b(?:key|main|principal|central|primary|biggest|major|chief|real)\b")


def _names_its_scope(np: str) -> bool:
    """A superlative names what it ranks among ("the only measure of success of an Agile
    project", "China's main interest"); "the most common requirements" does not say whose."""
    if _KEY_WORDS.search(np) or not _SUPERLATIVE.search(np):
        return True
    first, _, rest = np.partition(" ")
    if first.endswith(("’s", "'s")):
        return True  # "Russia's largest trading partner"
    return bool(re.search(r"\b(?:of|for|in|among|between|on)\b", rest)) or any(
        w[:1].isupper() for w in words(rest)
    )


def key_is_or_subject(ctx: Context, c: Claim, found_any: bool) -> Found:
    """ "The key X is Y" -> what is the key X?; failing every other template, an emphatic
    "X enabled Y" -> what enabled Y?"""
    m = _KEY_IS.match(c.core)
    if (
        m
        and balanced(m.group("np"))
        and not re.search(r"\b(?:is|are|was|were)\b", m.group("np"))
        and _names_its_scope(m.group("np"))
    ):
        q = f"According to the report, what {m.group('verb')} {ctx.lower(m.group('np'))}?"
        return [_arg(ctx, "key-is", q, m.group("rest"))]
    if found_any:
        return []
    m = _SUBJ_VERB.match(c.core)
    if not (m and not starts_vague(m.group("subj")) and balanced(m.group("subj"))):
        return []
    subj = m.group("subj")
    if re.match(r"(?:Perhaps|Maybe|Probably|Possibly|Arguably|[A-Z][a-z]+ly)\b", subj) or re.search(
        r"\bthan\b", subj
    ):
        return []  # "Perhaps more important than fraudulent billings": no subject to ask for
    plural = bool(re.search(r"\band\b", subj))
    verb = m.group("verb")
    if not plural:
        verb = {"have": "has", "are": "is", "were": "was", "account for": "accounts for"}.get(
            verb, verb
        )
    rest_ok = len(words(m.group("rest"))) <= 28 and not re.search(
        r",\s+(?:but|and|yet|so)\s+(?:[A-Z]|it\b|they\b|this\b)", m.group("rest")
    )
    content = [
        w
        for w in words(subj)
        if w.lower() not in STOPWORDS
        and not re.fullmatch(r"first|second|third|last|other|latter|former|next", w.lower())
    ]
    if not (
        1 <= len(words(subj)) <= 16
        and content
        and _emphatic(c.core)
        and rest_ok
        and not _SUBORDINATE.search(subj)
    ):
        return []
    if not _subject_askable(subj, verb, m.group("rest")):
        return []
    who = "who" if _is_person_np(subj) else "what"
    q = f"According to the report, {who} {verb} {m.group('rest')}?"
    return [_arg(ctx, "subject-what", q, subj)]


_GENERIC_DET = re.compile(
    r"(?:The|A|An|Every|Each|This|That|Such|All|Most|Some|One|Another|Other)\s", re.IGNORECASE
)
_ADVERB_START = re.compile(r"(?:Often|Also|Only|Still|Even|Thus|Then|Now|Again|Generally)\b")
_COPULA = frozenset(["is", "are", "was", "were"])
_PREPOSITION_START = re.compile(r"(?:in|through|at|on|by|with|from|of|for|about|to)\s")


def _subject_askable(subj: str, verb: str, rest: str) -> bool:
    """Whether a sentence's subject makes a fair answer to "what <verb> <rest>?": not a
    generic noun the question cannot point to ("The format", "A contract", "The system"), not
    a clause ("CMS generally agreed that more"), and the rest reads after "what is" ("is
    through exclusion of providers" does not)."""
    if _ADVERB_START.match(subj) or re.search(r"\b(?:that|which|who|whom)\b", subj):
        return False
    if verb in _COPULA and _PREPOSITION_START.match(rest):
        return False
    content = [w for w in words(subj)[1:] if w.lower() not in STOPWORDS]  # after "The"
    named = any(w[:1].isupper() for w in words(subj)[1:]) or any(
        w.isupper() and len(w) >= 2 for w in words(subj)
    )
    return not (_GENERIC_DET.match(subj) and len(content) <= 1 and not named)


# --------------------------------------------------------------------------- stated or opposite


# "more costly than", "much less important to Russia than": a comparison the report makes
_COMPARATIVE = re.compile(
    r"\b(more|less|higher|lower|larger|smaller|better|worse|greater|fewer)\s+(?![\d$])(?:[a-z][\w-]*\s+){1,4}?than\b"
)
_OPPOSITE = {
    "more": "less", "less": "more", "higher": "lower", "lower": "higher",
    "larger": "smaller", "smaller": "larger", "better": "worse", "worse": "better",
    "greater": "smaller", "fewer": "more",
}  # fmt: skip


def stated_or_opposite(ctx: Context, c: Claim) -> Found:
    """True/false on a claim: "it is (un)likely that", a single negation, or a finding."""
    core = c.core
    m = _UNLIKELY.search(core)
    if m:
        claim = core[m.end() :].strip()  # "it is unlikely that" opens on an empty "it"
        if not (
            _clause_ok(ctx, claim, 4)
            and len(words(core)) >= 6
            and not starts_vague(core[: m.start()] or claim)
        ):
            return []
        swapped = (
            core[: m.start()]
            + ("it is likely that" if m.group("neg") else "it is unlikely that")
            + core[m.end() :]
        )
        return [claim_truefalse(ctx, "unlikely", core, swapped, m.group(0))]
    neg = _NEGATION.search(core)
    if neg and re.match(r"(?:Do|Does|Did)\s+not\b|Don’t|Don't", core):
        return []  # an imperative ("Do not let ..."): its opposite is no claim
    if neg:
        single = len(_NEGATION.findall(core)) == 1 and not re.search(
            r"\b(?:nor|neither|never|no|none|nothing|without)\b", core, re.IGNORECASE
        )
        follows = core[neg.end() : neg.end() + 14].lower()
        if re.match(r"\s*(?:always|only|just|necessarily|even|merely|yet)\b", follows):
            single = False  # "did not always": removing "not" does not state the opposite
        if not (
            single
            and _clause_ok(ctx, core, 6, 50)
            and not starts_vague(core)
            and not core.endswith("?")
        ):
            return []
        # a negative finding ("did not establish"): true as stated, false with "not" removed
        kept = _AFFIRM.get(neg.group(0).lower()) or neg.group(1) or neg.group(2)
        affirmed = core[: neg.start()] + kept + core[neg.end() :]
        return [claim_truefalse(ctx, "negation", core, affirmed, neg.group(0))]
    cmp = list(_COMPARATIVE.finditer(core))
    if (
        len(cmp) == 1
        and not _FINDING.search(core)
        and _clause_ok(ctx, core, 6, 45)
        and not starts_vague(core)
        and not core.endswith("?")
        and not re.search(r",\s+(?:which|who|whose)\b[^,]*$", core[: cmp[0].start()])
    ):
        # a comparison ("X is more costly than Y"): true as stated, false turned round
        m = cmp[0]
        turned = core[: m.start(1)] + _OPPOSITE[m.group(1).lower()] + core[m.end(1) :]
        return [claim_truefalse(ctx, "comparison", core, turned, m.group(0))]
    f = _FINDING.search(core)
    if not (f and _clause_ok(ctx, core, 6, 50) and not starts_vague(core)):
        return []
    if re.search(r"\b(?:states|says|notes|explains|describes)\s+that\b", core[: f.start()]):
        return []  # a finding inside a report of it: its negation reads as a riddle
    # a finding ("the investigation established that ..."): false when negated
    negated = (
        core[: f.start("verb")]
        + "did not "
        + _FINDING_BASE[f.group("verb")]
        + core[f.end("verb") :]
    )
    return [claim_truefalse(ctx, "finding", core, negated, f.group("verb"))]


_DEFINES = re.compile(
    r"^(?P<term>(?:[Tt]he\s+(?:term\s+)?)?[“\"]?[A-Za-z][\w’'-]*(?:\s+[\w’'-]+){0,5}?[”\"]?)"
    r"(?:,[^,]{3,60},)?\s+(?P<verb>refers to|is defined as|are defined as|means|is the term for|"
    r"describes)\s+(?P<rest>.{12,})$"
)
_LEADS_TO = re.compile(
    r"^(?P<cause>(?:The |the )?[A-Z][^,;:“\"]{8,90}?)\s+(?P<verb>led to|leads to|has led to|have led to|"
    r"resulted in|results in|has resulted in|contributed to|contributes to|caused|causes)\s+"
    r"(?P<effect>.{10,})$"
)


def definition(ctx: Context, c: Claim) -> Found:
    """ "X refers to Y" -> what does X refer to? (the report's own terms, defined)"""
    m = _DEFINES.match(c.core)
    if not m or starts_vague(m.group("term")) or not balanced(m.group("term")):
        return []
    term = m.group("term").strip()
    if len(words(term)) > 6 or not _clause_ok(ctx, m.group("rest"), 3, 45):
        return []
    base = {"refers to": "refer to", "means": "mean", "describes": "describe"}.get(m.group("verb"))
    q = (
        f"According to the report, what does {ctx.lower(term)} {base}?"
        if base
        else f"According to the report, how is {ctx.lower(term)} defined?"
    )
    return [_arg(ctx, "define", q, m.group("rest"))]


def leads_to(ctx: Context, c: Claim) -> Found:
    """ "X led to Y" -> what did X lead to?"""
    m = _LEADS_TO.match(c.core)
    if not m or starts_vague(m.group("cause")) or _SUBORDINATE.search(m.group("cause")):
        return []
    if re.match(r"by\b", m.group("effect")):
        return []  # "The problems caused by X are ...": a participle, not a cause
    if not (balanced(m.group("cause")) and _clause_ok(ctx, m.group("effect"), 3, 40)):
        return []
    verb = m.group("verb")
    present = verb.endswith("s") or verb.startswith("ha")
    aux = "does" if present else "did"
    base = {"led to": "lead to", "leads to": "lead to", "has led to": "lead to",
            "have led to": "lead to", "resulted in": "result in", "results in": "result in",
            "has resulted in": "result in", "contributed to": "contribute to",
            "contributes to": "contribute to", "caused": "cause", "causes": "cause"}[verb]  # fmt: skip
    q = f"According to the report, what {aux} {ctx.lower(m.group('cause'))} {base}?"
    return [_arg(ctx, "result", q, m.group("effect"))]


_ENABLED = re.compile(
    r"^(?P<subj>(?:The |the )?[A-Z][^,;:“\"—]{3,90}?)\s+(?:(?P<aux>has|have|had)\s+)?"
    r"(?P<verb>enabled|allowed|helped|permitted|forced|pushed|encouraged|prompted)\s+"
    r"(?P<obj>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}|(?:the|its|their)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?)"
    r"\s+to\s+(?P<vp>[a-z][^;]{10,})$"
)
_ENABLED_BASE = {"enabled": "enable", "allowed": "allow", "helped": "help", "permitted": "permit",
                 "forced": "force", "pushed": "push", "encouraged": "encourage",
                 "prompted": "prompt"}  # fmt: skip


def enabled_to(ctx: Context, c: Claim) -> Found:
    """ "The partnership has enabled Russia to re-emerge as X" -> what has the partnership
    enabled Russia to do?"""
    m = _ENABLED.match(c.core)
    if not m or starts_vague(m.group("subj")) or _SUBORDINATE.search(m.group("subj")):
        return []
    subj = m.group("subj")
    if not (balanced(subj) and _subject_askable(subj, "has", m.group("vp"))):
        return []
    if not _clause_ok(ctx, m.group("vp"), 3, 35):
        return []
    verb, aux = m.group("verb"), m.group("aux")
    head = (
        f"{aux} {ctx.lower(subj)} {verb}" if aux else f"did {ctx.lower(subj)} {_ENABLED_BASE[verb]}"
    )
    q = f"According to the report, what {head} {m.group('obj')} to do?"
    return [_arg(ctx, "result", q, m.group("vp"))]


_RULE = re.compile(
    r"^(?P<subj>(?:The |the |A |An )?[A-Z“\"][^,;:]{3,90}?)\s+(?P<verb>requires|prohibits|forbids|"
    r"authorizes|mandates|bars|bans|allows|permits|obliges|directs|establishes|subjects)\s+"
    r"(?P<rest>.{10,})$"
)
_RULE_BASE = {"requires": "require", "prohibits": "prohibit", "forbids": "forbid",
              "authorizes": "authorize", "mandates": "mandate", "bars": "bar", "bans": "ban",
              "allows": "allow", "permits": "permit", "obliges": "oblige", "directs": "direct",
              "establishes": "establish", "subjects": "subject"}  # fmt: skip


def rule(ctx: Context, c: Claim) -> Found:
    """ "The Anti-kickback Statute forbids X" -> what does the Anti-kickback Statute forbid?"""
    m = _RULE.match(c.core)
    if not m or starts_vague(m.group("subj")) or _SUBORDINATE.search(m.group("subj")):
        return []
    if not (balanced(m.group("subj")) and _clause_ok(ctx, m.group("rest"), 3, 40)):
        return []
    q = f"According to the report, what does {ctx.lower(m.group('subj'))} {_RULE_BASE[m.group('verb')]}?"
    return [_arg(ctx, "define", q, m.group("rest"))]


_IMPERATIVE = (
    "Reduce|Improve|Establish|Require|Develop|Ensure|Address|Enhance|Expand|Consider|Provide|"
    "Clarify|Strengthen|Issue|Implement|Create|Use|Take|Work|Direct|Coordinate|Monitor|Assess|"
    "Evaluate|Revise|Update|Identify|Increase|Promote|Adopt|Pursue|Continue|Seek|Publish|Conduct|"
    "Designate|Allow|Encourage|Support|Prioritize|Limit|Eliminate|Amend|Determine|Review|Collect|"
    "Share|Maintain|Educate|Train|Define|Set|Make|Build|Extend|Engage|Invest|Enforce|Mandate|"
    "Develop|Track|Report|Prepare|Finalize|Incorporate|Align|Streamline|Modify|Remove|Verify"
)
_ACTION = re.compile(
    rf"^(?P<verb>{_IMPERATIVE})\s+(?P<obj>.{{8,}}?)"
    r"(?:\s+by\s+(?P<how>[a-z][^;]{10,})|\s+(?:in order\s+)?to\s+(?P<goal>(?:improve|reduce|ensure|"
    r"prevent|protect|increase|address|strengthen|enhance|help|promote|monitor|identify|limit|"
    r"avoid|support|better|make)\b.{8,}))?$"
)
_ACTION_INTENT = re.compile(
    rf"^(?P<verb>{_IMPERATIVE})\s+(?P<obj>.{{8,}}?)\s+(?P<marker>with the (?:intent|aim|goal|purpose) "
    r"of|so as to|in order to)\s+(?P<goal>[a-z][^;]{10,}?)\.?$"
)
_RECOMMENDS = re.compile(
    r"\b(?:[Ww]e|[A-Z]{2,6}|[Tt]he report)\s+(?:also\s+)?recommends?(?:ed)?\s+that\s+(?:the\s+)?"
    r"(?P<who>[A-Z][\w&’'-]*(?:\s+(?:of\s+)?[A-Z][\w&’'-]*){0,5})"
)


_RECOMMEND_THAT = re.compile(
    r"^(?:[Ww]e|[A-Z]{2,6}|[Tt]he (?:report|study|[A-Z][\w-]+))\s+(?:also\s+|therefore\s+)?"
    r"(?:recommends?|recommended|is recommending|are recommending|urges?|urged)\s+that\s+(?:the\s+)?"
    r"(?P<who>[A-Z][\w’'&-]*(?:\s+(?:of|the|and|for|on|[A-Z][\w’'&-]*)){0,8}?)"
    r"(?:,[^,]{3,60},)?\s+(?P<vp>(?!(?:of|the|and|for|on|in)\b)(?:not\s+)?[a-z]+\b.{10,})$"
)


def recommendation(ctx: Context, c: Claim) -> Found:
    """ "We recommend that the Secretary of Energy take the lead ..." -> what does the report
    recommend that the Secretary of Energy do?"""
    m = _RECOMMEND_THAT.match(c.core)
    if not m or not _clause_ok(ctx, m.group("vp"), 4, 45):
        return []
    vp = m.group("vp")
    if re.match(r"(?:is|are|was|were|has|have|had|will|would|should|can|could|may|must)\b", vp):
        return []  # a statement after "that", not a recommended action
    who = m.group("who")
    q = f"What does the report recommend that {'the ' if ' ' in who else ''}{who} do?"
    return [_arg(ctx, "recommend", q, vp)]


def recommended_action(ctx: Context, c: Claim) -> Found:
    """An action in a list of recommendations ("a. Reduce X by establishing Y", under "we
    recommend that CMS take the following actions") -> how should CMS reduce X?"""
    m = _ACTION.match(c.core)
    intent = (
        _ACTION_INTENT.match(c.core) if not (m and (m.group("how") or m.group("goal"))) else None
    )
    if not m and not intent:
        return []
    start = ctx.sent.start
    window = ctx.cleaned.text[max(0, start - 5000) : start]
    found = list(_RECOMMENDS.finditer(window))
    if not found:
        return []  # whose action it is must be named: "we recommend that CMS ..."
    who = found[-1].group("who")
    if intent:  # "Monitor X with the intent of reducing Y" -> what should DOE do with the intent of reducing Y?
        q = (
            f"According to the report's recommendations, what should "
            f"{'the ' if ' ' in who else ''}{who} do "
            f"{intent.group('marker')} {intent.group('goal')}?"
        )
        return [_arg(ctx, "recommend", q, f"{intent.group('verb').lower()} {intent.group('obj')}")]
    assert m is not None
    verb = m.group("verb").lower()
    obj = m.group("obj")
    if m.group("how"):
        q = f"According to the report's recommendations, how should {who} {verb} {obj}?"
        return [_arg(ctx, "recommend", q, "by " + m.group("how"))]
    if m.group("goal"):
        q = f"According to the report's recommendations, what should {who} do to {m.group('goal')}?"
        return [_arg(ctx, "recommend", q, f"{verb} {obj}")]
    return []


ArgumentTemplate = Callable[[Context, Claim], Found]
# in this order; ``key_is_or_subject`` and ``stated_or_opposite`` come after them
ARGUMENT_TEMPLATES: tuple[ArgumentTemplate, ...] = (
    cause_within,
    cause_lead,
    cause_next,
    result_within,
    result_next,
    contrast_next,
    contrast_within,
    concession,
    how_could_or_should,
    how_by,
    predict,
    blame,
    pseudo_cleft,
    fact_means,
    recommended_action,
    recommendation,
    definition,
    leads_to,
    enabled_to,
    rule,
)


_FRAME = re.compile(
    r"^(?P<who>(?:[A-Z][\w’'.-]*|most|some|many)(?:\s+[\w’'.-]+){0,6}?)\s+(?:also\s+|generally\s+)?"
    r"(?P<verb>estimated?|estimates|expects?|expected|projects?|projected|predicts?|predicted|"
    r"believes?|believed|argues?|argued|finds?|found|concludes?|concluded|says?|said|suggests?|"
    r"suggested|warns?|warned|notes?|noted|reports?|reported|asserts?|asserted|contends?|"
    r"maintains?|stress(?:es|ed)?|insists?|insisted|agrees?|agreed)\s+that\s+(?P<rest>.{20,})$",
    re.IGNORECASE,
)
# templates that read only the sentence itself, so they also read a reported claim
_FRAMED_TEMPLATES: tuple[ArgumentTemplate, ...] = (
    cause_within,
    cause_lead,
    result_within,
    contrast_within,
    concession,
    how_could_or_should,
    predict,
)


def reported_claim(ctx: Context, c: Claim) -> Found:
    """A claim someone states ("Most studies estimate that oil production will peak ..."):
    the templates read the claim, and the question names who makes it ("According to most
    studies, what will oil production do?")."""
    m = _FRAME.match(c.core)
    if not m or "," in m.group("who") or starts_vague(m.group("who")):
        return []
    who = ctx.lower(m.group("who"))
    if who.lower() in ("it", "they", "he", "she", "this", "that", "which"):
        return []
    inner = Claim.of(upper_first(m.group("rest")))
    out: Found = []
    for template in _FRAMED_TEMPLATES:
        for d in template(ctx, inner):
            if d is None:
                continue
            q = str(d.fields.get("question", ""))
            if q.startswith("According to the report, "):
                q = f"According to {who}, " + q[len("According to the report, ") :]
            elif q.startswith("What does the report say "):
                q = f"According to {who}, what does " + q[len("What does the report say ") :]
            else:
                continue
            d.fields["question"] = q
            out.append(d)
    return out


def argument_drafts(ctx: Context) -> list[Draft]:
    """Cause, result, contrast, recommendation, prediction and emphasis cards."""
    if ctx.sent.quoted:
        return []
    sentence = ctx.sent.text
    if ctx.it_names and sentence.startswith("It "):
        sentence = ctx.it_names + sentence[2:]  # "It is the junior partner" -> "Russia is ..."
    claim = Claim.of(sentence)
    out: Found = []
    for template in ARGUMENT_TEMPLATES:
        out.extend(template(ctx, claim))
    out.extend(key_is_or_subject(ctx, claim, found_any=any(out)))
    out.extend(stated_or_opposite(ctx, claim))
    if not any(out):
        out.extend(reported_claim(ctx, claim))
    return [d for d in out if d is not None]
