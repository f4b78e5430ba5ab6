"""Make a prompt name what it points back to: "the grouping" -> "the BRICS".

A sentence copied onto a card loses the sentences before it, so "this program", "the
grouping" or "these projects" no longer say what they are. The nearest earlier name of
the right kind (one whose last word is the noun, one written just before the noun, or,
for a body, the last organisation named) replaces the reference. What cannot be resolved
is left for ranking to push down (``unresolved``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quiz.generate.candidates import DEMONYMS, MONTHS, is_country

_BODY = (
    "grouping|group|organization|organisation|forum|bloc|alliance|body|agency|office|department|"
    "committee|commission|company|firm|corporation|institution|council|association|bank|"
    "administration|service|bureau|court|authority|coalition"
)
_THING = (
    "program|programme|initiative|project|scheme|plan|policy|strategy|act|law|legislation|bill|"
    "treaty|agreement|deal|pact|pipeline|bridge|exercise|drill|operation|summit|meeting|"
    "conference|event|study|survey|review|investigation|fund|facility|system|mission|campaign|"
    "partnership|relationship|framework|doctrine|rule|regulation|report"
)
# "the grouping", "this ambitious project", "these programs" (not "the program of", "the
# project that", nor part of a name "the Yamal project" or "the Office of Inspector General")
_REFERENCE = re.compile(
    rf"(?<![A-Za-z’'-])(?P<det>[Tt]he|[Tt]his|[Tt]hese|[Tt]hat|[Tt]hose)\s+"
    rf"(?P<adj>(?:(?!(?:the|a|an|that|this|these|those|its|their|which|who|and|or|of|to|in|on|by|for)\b)"
    rf"[a-z][a-z-]+(?<!ed)\s+)?)(?P<noun>(?:{_BODY}|{_THING})s?|(?:Office|Agency|Program|"
    rf"Department|Committee|Commission|Council|Campaign|Administration|Bureau))"
    r"(?![\w’'-])(?!\s+(?:of|that|which|who|whose|for|in which|[A-Z]))"
    # followed by a verb, a function word or punctuation: not a modifier ("pipeline infrastructure")
    r"(?=\s*(?:[,.;:?!)—–-]|$)|\s+(?:[a-z]+(?:ed|es|s)|is|was|are|were|has|have|had|will|would|"
    r"could|can|may|might|must|should|also|to|in|on|at|by|with|from|into|through|and|or|but|as|"
    r"began|begun|made|held|took|became|remains?|seems?|runs?)\b)"
)
_NAME = re.compile(
    r"[A-Z][\w-]+\s+\([A-Z][\w-]+\)\s+\d{4}\b|"  # "Vostok (East) 2018"
    r"(?:[A-Z][\w’'.&-]*[\w&]|[A-Z]{2,})(?:[’']s)?(?:\s+(?:(?:of|the|and|for)\s+)*"
    r"(?:[A-Z][\w’'.&-]*[\w&]|\d{4}))*"
)
_EVENT_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -]\([A-Z][a-z]+\))?[ -](?:1[89]|20)\d\d$")
_MONTHS = frozenset(MONTHS)
_EVENT_NOUNS = frozenset(
    ["exercise", "drill", "drills", "summit", "meeting", "conference", "games", "operation"]
)
_FIGURE_NOTE = re.compile(
    r"\s*\((?:see |as shown in )?(?:Table|Figure|Fig\.|Chart|Exhibit)s? [\w.-]*\d[\w.-]*"
    r"(?:\s*(?:and|,)\s*[\w.-]*\d[\w.-]*)*\)",
    re.IGNORECASE,
)
_BILL_NOUNS = frozenset(["bill", "legislation"])
_GROUP_NOUNS = frozenset(
    ["grouping", "group", "bloc", "forum", "alliance", "organization", "organisation", "coalition"]
)
_GROUP_HINT = re.compile(r"\b(?:Organization|Organisation|Forum|Alliance|Union|Group|Council)\b")
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "These",
        "That",
        "Those",
        "It",
        "In",
        "On",
        "At",
        "For",
        "By",
        "From",
        "With",
        "As",
        "But",
        "And",
        "However",
        "When",
        "While",
        "If",
        "Since",
        "After",
        "Before",
        "During",
        "Although",
        "Though",
        "Because",
        "Its",
        "Their",
        "Our",
        "We",
        "They",
        "He",
        "She",
        "A",
        "An",
        "According",
        "Also",
        "Yet",
        "Still",
        "Thus",
    ]
)


@dataclass(frozen=True)
class Resolved:
    text: str  # the prompt with its references named
    unresolved: int  # references left that point back without a name


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _names(context: str) -> list[tuple[int, str]]:
    """Capitalised names in ``context`` with their positions, in order."""
    out = []
    for m in _NAME.finditer(context):
        name = m.group(0)
        words = name.split()
        while words and words[0] in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        if len(name) < 2 or (len(words) == 1 and not name.isupper() and len(name) < 4):
            continue
        out.append((m.start() + m.group(0).find(name), name))
    return out


def antecedent(noun: str, context: str) -> str | None:
    """The nearest name in ``context`` that a reference to ``noun`` may stand for."""
    head = _singular(noun)
    group = head in _GROUP_NOUNS
    names = _names(context)
    for pos, name in reversed(names):
        if re.search(r"(?:\band|\b[A-Z][\w-]*,)\s*$", context[max(0, pos - 20) : pos]):
            continue  # the tail of a longer name ("Removal, Replacement, and Restoration ...")
        last = _singular(re.sub(r"[’']s$", "", name.split()[-1]))
        if last == head and len(name.split()) >= 2:
            return name  # "Bridge Investment Program" for "the program"
        if head in _BILL_NOUNS and re.search(r"\bAct(?: of (?:1[89]|20)\d\d)?$", name):
            # "the Medicare Education and Regulatory Fairness Act of 2001" for "the bill",
            # without the heading the name runs on from ("PROPOSED LEGISLATION The ...")
            return re.sub(r"^(?:.*\bThe\s+)?(?:[A-Z]{4,}\s+)*", "", name)
        after = context[pos + len(name) : pos + len(name) + len(noun) + 3]
        after = context[pos + len(name) : pos + len(name) + len(noun) + 20]
        plain = name in DEMONYMS or is_country(name) or name.lower() == head
        if noun[:1].islower() and not plain and re.match(rf"\s+{re.escape(head)}s?\b", after):
            return f"{name} {head}"  # "Yamal LNG project" for "the project"
        if head in _EVENT_NOUNS and _EVENT_NAME.match(name) and name.split()[0] not in _MONTHS:
            return f"{name} {head}"  # "the Tsentr (Center) 2019 exercise" for "the exercise"
    if group and noun[:1].islower():
        for _, name in reversed(names):
            if (name.isupper() and 2 <= len(name) <= 6) or _GROUP_HINT.search(name):
                return name  # "the BRICS" for "the grouping"
    return None


def resolve(prompt: str, context: str, answer: str = "", document: str = "") -> Resolved:
    """``prompt`` with "the/this/these + noun" replaced by the name it stands for in
    ``context`` (the few sentences before), unless the name is the card's answer. A
    capitalised short form ("the Office") is the report's own: looked up in ``document``,
    everything before the sentence. A pointer to a table or figure the card does not
    show ("(Table 3)", "(see Figure 1)") is left out."""
    prompt = _FIGURE_NOTE.sub("", prompt)
    unresolved = 0
    out: list[str] = []
    pos = 0
    for m in _REFERENCE.finditer(prompt):
        inside_gap = prompt.rfind("{{", 0, m.start()) > prompt.rfind("}}", 0, m.start())
        if inside_gap:
            continue
        noun = m.group("noun")
        plural = noun.lower().endswith("s") and _singular(noun) != noun.lower()
        det = m.group("det").lower()
        if (
            det == "the"
            and not m.group("adj")
            and noun[:1].islower()
            and not re.fullmatch(_BODY, _singular(noun))
            and _singular(noun)
            not in (
                "program",
                "programme",
                "project",
                "initiative",
                "exercise",
                "deal",
                "pipeline",
                "meeting",
                "grouping",
                "plan",
                "study",
                *_BILL_NOUNS,
            )
        ):
            continue  # "the partnership", "the law": too often used generically to rewrite
        if antecedent(noun, prompt[: m.start()]):
            continue  # named earlier in the prompt itself
        report_wide = noun[:1].isupper() or _singular(noun) in _BILL_NOUNS
        look_in = document or context if report_wide else context
        name = None if plural else antecedent(noun, look_in)
        if (
            name
            and answer
            and (name.casefold() in answer.casefold() or answer.casefold() in name.casefold())
        ):
            name = None  # naming it would give the answer away
        if name is None:
            if det != "the" or noun[:1].isupper() or m.group("adj"):
                unresolved += 1
            continue
        replacement = f"the {name}"
        if m.start() == 0 or prompt[: m.start()].rstrip().endswith((".", "?", "!", ":")):
            replacement = replacement[:1].upper() + replacement[1:]
        out.append(prompt[pos : m.start()])
        out.append(replacement)
        pos = m.end()
    out.append(prompt[pos:])
    return Resolved("".join(out), unresolved)
