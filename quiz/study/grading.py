"""Grading: is an answer right?

Verdicts and the rating each suggests (the learner may pick any of the four):

- ``CORRECT`` suggests Good (3).
- ``CLOSE`` suggests Hard (2): the answer is nearly right (a larger typo, a
  name without its first name, a number without its unit or scale, part of a
  long answer) and the learner decides. Anki users read Hard as "recalled,
  with difficulty"; if they judge it a miss they press Again.
- ``WRONG`` suggests Again (1).
- ``SELF`` (basic cards) suggests Good (3); the learner grades themself.

Typed answers (short, cloze gaps, numeric typed as text) are compared with
every accepted alternative and the best verdict wins:

1. Normalised text equal (``quiz.study.answers.normalize``: NFKC, casefold, no
   diacritics, quotes and dashes unified, leading articles dropped, spaces
   collapsed, trailing punctuation stripped): correct.
2. Contradictions are wrong whatever the similarity: a negation on one side
   only ("not"), a hedge the answer does not make ("2014 or 2015"), opposite
   qualifiers ("under 90%" for "over 90%"), "Jr."/"Sr." the answer does not
   have, a different number ("$40 billion" for "$400 billion", 2015 for 2014)
   or a different code ("S-300" for "S-400").
   Quantities compare by value: "$400 billion", "400bn", "400 billion dollars"
   and "US$0.4 trillion" are equal; "8 times", "eight times", "eightfold" too;
   "25%", "25 percent", "a quarter", "1/4" too. A number without its scale or
   unit ("107" for "$107 billion") is close.
3. An acronym of the answer's words ("BRI", "CSTO") is correct, both ways
   (two-letter ones only in capitals). The same letters and digits with other
   spacing or punctuation ("Wei Feng He", "Xi'an") are correct.
4. Answers under 5 characters need an exact match of their content (no fuzz).
5. Otherwise words are matched one to one, absorbing typos (rapidfuzz OSA
   distance: 1 edit from 5 letters, with the same first letter below 7, 2 from
   9; two swapped letters in a 3-4 letter word; another form of the word,
   "Russia"/"Russian", "threat"/"threaten"). All words present: correct. Extra words
   ("the Power of Siberia pipeline"): correct, unless they add another list
   item ("Russia and China" for "China"). Missing words: close when at least
   half are there, wrong when a whole list item is missing ("Russia" for
   "Russia and China"). Some words replaced: close when three quarters match
   and ``fuzz.ratio`` is at least 75, when half of a long answer (4+ words)
   matches, when each replaced word is a near miss (``fuzz.ratio`` >= 78,
   "Blagovesensk"), or when a two-word name keeps its surname ("Michael
   Gorbachev"); otherwise wrong.

Numeric cards parse the typed number ("1,500", "1.5 million", "1.5m", "$2bn",
"25%", "eight"; units ignored): correct within ``tolerance_abs``, close within
twice the tolerance (or, with no tolerance, when the response rounds to the
answer at the answer's precision: 107.3 for 107), else wrong; a response with
no number, or two different numbers, is wrong. A card unit with a scale word
("billion USD") is the unit a bare number is read in.

Multiple choice compares the chosen text with the answer; true/false accepts a
bool or t/f/true/false/yes/no/y/n/1/0.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from quiz.deck.model import (
    AnyCard,
    BasicCard,
    ClozeCard,
    McqCard,
    NumericCard,
    ShortCard,
    TrueFalseCard,
)
from quiz.study.answers import (
    _SCALES,
    ARTICLES,
    MAX_ANSWER_CHARS,
    Analysis,
    Quantity,
    analyse,
    normalize,
    stem,
)


class Verdict(StrEnum):
    CORRECT = "correct"
    CLOSE = "close"  # the learner decides
    WRONG = "wrong"
    SELF = "self"  # basic cards: self-graded


SUGGESTED_RATING: dict[Verdict, int] = {
    Verdict.CORRECT: 3,
    Verdict.CLOSE: 2,
    Verdict.WRONG: 1,
    Verdict.SELF: 3,
}
"""The rating each verdict suggests (1 Again, 2 Hard, 3 Good)."""

_RANK = {Verdict.WRONG: 0, Verdict.CLOSE: 1, Verdict.CORRECT: 2}


@dataclass(frozen=True)
class DiffSpan:
    """One run of a character diff between the learner's answer and the canonical one.

    For a response that matched an accepted alternative (correct or close) the diff
    is against that alternative; the ``expected`` parts always join into an
    accepted answer, the ``given`` parts into the response.
    """

    op: str  # "equal" | "insert" (missing from the learner's answer) | "delete" (extra) | "replace"
    given: str
    expected: str


@dataclass(frozen=True)
class Grade:
    """The verdict on one response."""

    verdict: Verdict
    suggested_rating: int  # 1 Again for wrong, 2 Hard for close, 3 Good for correct/self
    response: str  # what the learner typed or chose, as text
    canonical: str  # the canonical answer as text
    diff: list[DiffSpan] = field(default_factory=list)  # empty unless typed
    matched: str | None = None  # the accepted answer that matched, if any

    @property
    def correct(self) -> bool | None:
        if self.verdict is Verdict.SELF:
            return None
        return self.verdict is Verdict.CORRECT


# ------------------------------------------------------------------ public API


def grade(card: AnyCard, response: Any) -> Grade:
    """Grade a response to a card.

    ``response`` is a ``str`` for short/numeric/mcq, a ``str`` or ``list[str]``
    (one per gap) for cloze, a ``bool`` (or "t"/"f"/"true"/"false") for truefalse,
    and ``None`` for basic (self-graded).
    """
    if isinstance(card, BasicCard):
        return Grade(Verdict.SELF, SUGGESTED_RATING[Verdict.SELF], _as_text(response), card.answer)
    if isinstance(card, ShortCard):
        text = _as_text(response)
        person = asks_for_person(card.question, "")
        context = " ".join([card.question, (card.source.quote if card.source else None) or ""])
        verdict, target = match_typed(card.accepted_answers, text, person=person, context=context)
        return _typed_grade(verdict, text, card.canonical_answer, target)
    if isinstance(card, ClozeCard):
        return _grade_cloze(card, response)
    if isinstance(card, NumericCard):
        text = _as_text(response)
        canonical = card.canonical_answer
        return _typed_grade(grade_number(card, text), text, canonical, canonical)
    if isinstance(card, McqCard):
        return _grade_mcq(card, response)
    if isinstance(card, TrueFalseCard):
        return _grade_truefalse(card, response)
    raise TypeError(f"cannot grade a {type(card).__name__}")


_PERSON_QUESTION = re.compile(
    r"\b(?:who|whom|whose)\b|\bwhich\b[^?]{0,60}?\b(?:leader|president|minister|official|"
    r"spokes(?:man|woman|person)|journalist|general|author|scholar|expert|analyst|diplomat|"
    r"ambassador|premier|chairman|secretary|senator|person|commander|counsel|director|head|"
    r"founder|chief|officer|candidate|politician|businessman|oligarch|executive)s?\b",
    re.IGNORECASE,
)
_PERSON_BEFORE = re.compile(
    r"\b(?:President|Premier|Chairman|General|Minister|minister|spokes(?:man|woman|person)|"
    r"Secretary|Senator|leader|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|journalist|official|ambassador|"
    r"Ambassador|counsel|Counsel|director|Director|chief|Chief|founder|CEO)\s*$"
)
_PERSON_AFTER = re.compile(
    r"^\s*(?:,[^,]{0,60},\s*)?(?:said|says|told|argued|wrote|warned|declared|stated|stressed|"
    r"added|noted|claimed|explained|announced)\b"
)


def asks_for_person(before: str, after: str) -> bool:
    """Whether a question (or the text around a gap) asks for a person: 'Who ...?', 'Which
    minister ...?', 'President ____', '____ said'."""
    if not after and _PERSON_QUESTION.search(before):
        return True
    return bool(_PERSON_BEFORE.search(before) or (after and _PERSON_AFTER.match(after)))


_DEFINITION = re.compile(
    r"\b((?:[A-Z][\w’'.-]*\s+(?:(?:of|and|for|the|on|in|de|to)\s+)*){1,9}?[A-Z][\w’'.-]*)"
    r"\s+\((?:the\s+)?([A-Z][A-Za-z&]{1,9})\)"
)


def defined_acronyms(text: str) -> list[tuple[str, str]]:
    """(full name, acronym) pairs a text defines: 'the Eurasian Economic Union (EAEU)'.
    The acronym's letters must appear, in order, as initials of the name's words."""
    out = []
    for m in _DEFINITION.finditer(text):
        name, acro = m.group(1).strip(), m.group(2)
        words = re.split(r"[\s-]+", name)
        # keep the shortest tail of the name whose initials can spell the acronym
        for k in range(len(words) - 1, -1, -1):
            tail = words[k:]
            if _spells(acro, tail):
                out.append((" ".join(tail), acro))
                break
    return out


def _spells(acro: str, words: list[str]) -> bool:
    """Whether ``acro`` can stand for ``words``: it starts with the first word's initial,
    every content word's initial is among its letters in order, and its letters occur in
    order in the name ('EAEU' for Eurasian Economic Union, 'UNSC' for U.N. Security Council)."""
    letters = [c.lower() for c in acro if c.isalpha()]
    content = [
        w for w in words if w.lower() not in ("of", "and", "for", "the", "on", "in", "de", "to")
    ]
    if not letters or not content or content[0][:1].lower() != letters[0]:
        return False
    rest = iter(letters)
    if not all(w[:1].lower() in rest for w in content):
        return False
    joined = iter("".join(w.lower() for w in words))
    return all(c in joined for c in letters)


def match_typed(
    accepted: Sequence[str], response: str, *, person: bool = False, context: str = ""
) -> tuple[Verdict, str]:
    """The best verdict of ``response`` against any accepted answer, and the answer to
    show against it: the one matched (correct or close), else the canonical (first) one.
    ``person``: the question asks for a person, so a surname alone is right.
    ``context``: the card's own text (prompt, source quote): an acronym it defines for an
    accepted answer is accepted too, and the full name for an accepted acronym."""
    canonical = accepted[0] if accepted else ""
    best = (Verdict.WRONG, -1.0, canonical)
    variants = _with_variants(accepted)
    if context:
        keys = {normalize(a): a for a in accepted}
        for name, acro in defined_acronyms(context):
            if normalize(name) in keys:
                variants.append((keys[normalize(name)], acro))
            if normalize(acro) in keys:
                variants.append((keys[normalize(acro)], name))
    for alt, variant in variants:
        verdict, score = match_answer(variant, response, person=person)
        if (_RANK[verdict], score) > (_RANK[best[0]], best[1]):
            best = (verdict, score, alt)
        if verdict is Verdict.CORRECT and score >= 100:
            break
    return best[0], (canonical if best[0] is Verdict.WRONG else best[2])


_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)")
_GAP = re.compile(r"\{\{.+?\}\}")


def _with_variants(accepted: Sequence[str]) -> list[tuple[str, str]]:
    """(accepted answer, text to compare): each answer, then the forms its brackets allow.

    "Collective Security Treaty Organization (CSTO)" also accepts the name alone
    and "CSTO"; "Vostok (East) 2018" also accepts "Vostok 2018".
    """
    out = [(a, a) for a in accepted]
    for a in accepted:
        inner = _PARENTHETICAL.findall(a)
        if not inner:
            continue
        bare = _PARENTHETICAL.sub("", a).strip()
        if bare:
            out.append((a, bare))
        for text in inner:
            token = text.strip()
            if token.isalpha() and token.isupper() and 2 <= len(token) <= 8:
                out.append((a, token))
    return out


def diff(given: str, expected: str) -> list[DiffSpan]:
    """A character diff of the learner's answer against the expected one, ignoring case."""
    given = given[:MAX_ANSWER_CHARS]
    a = [c.casefold() for c in given]
    b = [c.casefold() for c in expected]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        DiffSpan(op, given[i1:i2], expected[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


# -------------------------------------------------------------- typed answers


def match_answer(expected: str, response: str, *, person: bool = False) -> tuple[Verdict, float]:
    """Compare one accepted answer with a typed response: (verdict, similarity 0-100).
    ``person``: the answer is a person's name, and its surname alone is right."""
    e = analyse(expected)
    r = analyse(response)
    if not r.normalized:
        # an answer that is only punctuation ("?") must be typed as it is
        same = bool(r.text.strip()) and r.text.strip() == e.text.strip()
        return (Verdict.CORRECT, 100.0) if same else (Verdict.WRONG, 0.0)
    if e.normalized == r.normalized:
        return Verdict.CORRECT, 100.0
    sim = max(fuzz.ratio(e.key, r.key), fuzz.ratio(e.sorted_key, r.sorted_key))

    if e.negated != r.negated or (r.hedged and not e.hedged):
        return Verdict.WRONG, sim
    if r.generation - e.generation:
        return Verdict.WRONG, sim  # "Donald Trump Jr." is another person
    if _opposite(e.qualifiers, r.qualifiers):
        return Verdict.WRONG, sim
    if _is_acronym_of(e, r) or _is_acronym_of(r, e):
        return Verdict.CORRECT, 99.0  # an exact alternative, if any, is preferred
    if (person or e.family_first) and _surname_alone(e, r):
        return Verdict.CORRECT, 98.0  # "Putin" for "Vladimir Putin", "Xi" for "Xi Jinping"

    q_status = _compare_quantities(e.quantities, r.quantities)
    if q_status == "conflict":
        return Verdict.WRONG, sim

    cap = Verdict.CORRECT
    if q_status in ("loose", "missing"):
        cap = Verdict.CLOSE
    if ({"up", "down"} & r.qualifiers) and not ({"up", "down"} & e.qualifiers):
        cap = Verdict.CLOSE  # "above 50%" when the answer says just "50%"
    if e.generation - r.generation:
        cap = Verdict.CLOSE  # "Trump" for "Donald Trump Jr."

    if e.spelled and (e.compact == r.compact or e.spelled == r.spelled):
        return _cap(Verdict.CORRECT, cap if q_status != "missing" else Verdict.CORRECT), 100.0

    pairs, loose_codes = _match_words(e.words, r.words)
    if loose_codes:
        cap = Verdict.CLOSE
    missing = [w for i, w in enumerate(e.words) if i not in pairs]
    matched_r = set(pairs.values())
    extra = [w for j, w in enumerate(r.words) if j not in matched_r]
    if any(w in e.codes for w in missing) and any(w in r.codes for w in extra):
        return Verdict.WRONG, sim  # a different identifier: "S-300" for "S-400"
    if q_status == "missing" and not e.words:
        return Verdict.WRONG, sim  # the answer is a number and none was given

    if len(e.normalized) < 5:
        exact_missing = [w for w in e.words if w not in r.words]
        exact_extra = [w for w in r.words if w not in e.words]
        verdict = _short_verdict(exact_missing, exact_extra, e, r)
        return _cap(verdict, cap), sim

    parts_ok, part_missing = _parts_covered(e, r, pairs)
    if part_missing:
        # "Russia" for "Russia and China"; "Paris" for "Paris, France" is close
        return (Verdict.WRONG if e.listed else _cap(Verdict.CLOSE, cap)), sim
    n_expected = len(e.words)
    frac = (n_expected - len(missing)) / n_expected if n_expected else 1.0

    if not missing and not extra:
        verdict = Verdict.CORRECT if parts_ok else Verdict.CLOSE
    elif not missing:
        if _adds_list_item(e, r, matched_r):
            return (Verdict.WRONG if r.listed else _cap(Verdict.CLOSE, cap)), sim
        if len(extra) <= max(2, n_expected) and parts_ok:
            verdict = Verdict.CORRECT
        else:
            verdict = Verdict.CLOSE
    elif not extra:
        verdict = Verdict.CLOSE if frac >= 0.5 else Verdict.WRONG
    elif _adds_list_item(e, r, matched_r) and r.listed:
        verdict = Verdict.WRONG
    elif (
        (frac >= 0.75 and sim >= 75)
        or (n_expected >= 4 and frac >= 0.5)  # a long answer, half of it in other words
        or (len(extra) <= len(missing) + 1 and _near_misses(missing, extra))
        or _same_surname(e, r, pairs)
    ):
        verdict = Verdict.CLOSE
    else:
        verdict = Verdict.WRONG
    return _cap(verdict, cap), sim


def _near_misses(missing: list[str], extra: list[str]) -> bool:
    """Every missing word was typed, misspelt beyond a typo ("Blagovesensk")."""
    left = list(extra)
    for w in missing:
        if any(c.isdigit() for c in w):
            return False
        best = max(left, key=lambda g: fuzz.ratio(w, g), default=None)
        if best is None or len(w) < 5 or fuzz.ratio(w, best) < 78:
            return False
        left.remove(best)
    return True


def _same_surname(e: Analysis, r: Analysis, pairs: dict[int, int]) -> bool:
    """A two-word name with the right surname and another form of the first name."""
    if not e.name_surname or len(e.words) != 2 or len(r.words) != 2:
        return False
    return 1 in pairs and 0 not in pairs and e.words[0][:1] == r.words[0][:1]


_TITLES = frozenset(
    {"president", "premier", "chairman", "general", "minister", "prime", "secretary",
     "senator", "governor", "mr", "mrs", "ms", "dr", "prof", "sir", "king", "queen"}
)  # fmt: skip


def _surname_alone(e: Analysis, r: Analysis) -> bool:
    """The response is the surname of the expected person's name, alone or after a title
    ("Putin", "President Xi"; "Mao" for "Mao Zedong"); not for "Jr." names."""
    if not e.name_surname or e.generation or r.generation or r.quantities or r.negated:
        return False
    typed = [w for w in r.raw_words if w not in _TITLES]
    return len(typed) == 1 and stem(typed[0]) == e.name_surname and len(e.raw_words) >= 2


def _cap(verdict: Verdict, cap: Verdict) -> Verdict:
    return verdict if _RANK[verdict] <= _RANK[cap] else cap


def _short_verdict(missing: list[str], extra: list[str], e: Analysis, r: Analysis) -> Verdict:
    """Answers under 5 characters: exact content, or close when only words were added."""
    if not (e.words or e.quantities):
        return Verdict.WRONG  # only symbols ("?", "[/]"): the exact text was not typed
    if not missing and not extra:
        return Verdict.CORRECT
    if not missing and r.words:
        return Verdict.CLOSE
    return Verdict.WRONG


def _opposite(a: frozenset[str], b: frozenset[str]) -> bool:
    return ("up" in a and "down" in b) or ("down" in a and "up" in b)


def _is_acronym_of(short: Analysis, long: Analysis) -> bool:
    """``short`` is one token spelling the initials of ``long``'s words.

    Two-letter acronyms count only when written in capitals ("NY"), so that a
    short answer like "Xi" is not taken for initials.
    """
    tokens = [w for w in short.raw_words if w not in ARTICLES]  # "the SCO"
    if len(tokens) != 1 or short.quantities or short.codes:
        return False
    token = tokens[0]
    if len(token) == 2 and not _written_in_capitals(short.text):
        return False
    return 2 <= len(token) <= 8 and token in long.initials


def _written_in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _compare_quantities(expected: Sequence[Quantity], given: Sequence[Quantity]) -> str:
    """match | loose (unit or scale left out) | missing | extra | conflict."""
    left = list(given)
    status = "match"
    missing: list[Quantity] = []
    for q in expected:
        hit = next((g for g in left if q.same_as(g)), None)
        if hit is None:
            hit = next((g for g in left if q.loosely_same_as(g)), None)
            if hit is not None:
                status = "loose"
        if hit is None:
            missing.append(q)
        else:
            left.remove(hit)
    if missing and left:
        return "conflict"
    if missing:
        return "missing"
    if left:
        classes = {q.kind_class for q in expected}
        # another amount of the same kind is a hedge ("$400bn and $40bn"); a date is detail
        if any(g.kind_class in classes for g in left):
            return "conflict"
        return "extra" if status == "match" else status
    return status


_DERIVED_SUFFIXES = frozenset(
    {"s", "es", "n", "an", "ian", "ese", "d", "ed", "ing", "er", "en", "al", "ic", "ism", "ist"}
)
"""Endings that make another form of the same word: "Russia"/"Russian", "threat"/"threaten"."""


def word_matches(expected: str, given: str) -> bool:
    """One word of the answer matches one typed word, allowing a typo."""
    if expected == given:
        return True
    if any(c.isdigit() for c in expected + given):
        return False
    if len(given) < 3:
        return False
    short, long = sorted((expected, given), key=len)
    if len(short) >= 5 and long.startswith(short) and long[len(short) :] in _DERIVED_SUFFIXES:
        return True
    n = len(expected)
    if n < 5:
        return n >= 3 and _one_swap(expected, given)  # "Far Esat" for "Far East"
    limit = 2 if n >= 9 else 1
    d = min(
        OSA.distance(expected, given, score_cutoff=limit),
        OSA.distance(expected.rstrip("s"), given.rstrip("s"), score_cutoff=limit),
    )
    if d > limit:
        return False
    return n >= 7 or expected[0] == given[0]  # "Gambia" is not a typo for "Zambia"


def _one_swap(a: str, b: str) -> bool:
    """``b`` is ``a`` with two neighbouring letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


def _match_words(expected: Sequence[str], given: Sequence[str]) -> tuple[dict[int, int], bool]:
    """Pair expected words with typed words one to one: exact first, then typos.

    Returns the pairs (expected index -> typed index) and whether a code matched
    only as a prefix ("Tu-95" for "Tu-95MS").
    """
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for i, w in enumerate(expected):
        for j, g in enumerate(given):
            if j not in used and g == w:
                pairs[i] = j
                used.add(j)
                break
    loose_codes = False
    for i, w in enumerate(expected):
        if i in pairs:
            continue
        for j, g in enumerate(given):
            if j in used:
                continue
            if word_matches(w, g):
                pairs[i] = j
                used.add(j)
                break
            if _code_prefix(w, g):
                pairs[i] = j
                used.add(j)
                loose_codes = True
                break
    return pairs, loose_codes


def _code_prefix(expected: str, given: str) -> bool:
    """``given`` is ``expected`` without its trailing letters ("tu95" for "tu95ms")."""
    if not (any(c.isdigit() for c in expected) and given and given[-1].isdigit()):
        return False
    return expected.startswith(given) and expected[len(given) :].isalpha()


def _parts_covered(e: Analysis, r: Analysis, pairs: dict[int, int]) -> tuple[bool, bool]:
    """(every list item of the answer found within one typed item, some item missing entirely)."""
    if len(e.parts) < 2:
        return True, False
    e_index = _part_index(e)
    r_index = _part_index(r)
    ok = True
    for p in range(len(e.parts)):
        members = [i for i, part in enumerate(e_index) if part == p]
        hits = [pairs[i] for i in members if i in pairs]
        if not hits:
            return False, True
        if len(hits) < len(members) or len({r_index[j] for j in hits}) != 1:
            ok = False
    return ok, False


def _part_index(a: Analysis) -> list[int]:
    """For each of ``a.words``, the list item it belongs to."""
    out: list[int] = []
    for p, part in enumerate(a.parts):
        out.extend([p] * len(part))
    return out


def _adds_list_item(e: Analysis, r: Analysis, matched_r: set[int]) -> bool:
    """The response lists an item the answer does not have ("Russia and China" for "China")."""
    if len(r.parts) < 2 or len(r.parts) <= len(e.parts):
        return False
    r_index = _part_index(r)
    return any(
        all(j not in matched_r for j, p in enumerate(r_index) if p == k)
        for k in range(len(r.parts))
    )


# ------------------------------------------------------------------ numeric


def grade_number(card: NumericCard, response: str) -> Verdict:
    """Grade a typed number against a numeric card's answer and tolerance."""
    text = response[:MAX_ANSWER_CHARS]
    unit_scale, unit_percent = 1.0, False
    if card.unit:
        unit = normalize(card.unit)
        unit_words = unit.replace("%", " % ").split()
        unit_percent = "%" in unit_words or "percent" in unit_words or "per cent" in unit
        unit_scale = next((_SCALES[w] for w in unit_words if w in _SCALES and len(w) > 1), 1.0)
        cleaned = normalize(text)
        if unit and unit != "%":
            cleaned = re.sub(rf"(?<![a-z]){re.escape(unit)}(?![a-z])", " ", cleaned)
        text = cleaned
    quantities = analyse(text).quantities
    if not quantities:
        return Verdict.WRONG
    target = card.answer * unit_scale
    values = {_number_value(q, unit_scale, unit_percent, target) for q in quantities}
    if len(values) != 1:
        return Verdict.WRONG
    value = values.pop()
    tolerance = card.tolerance_abs * unit_scale
    error = abs(value - target)
    eps = 1e-9 * max(1.0, abs(target))
    if error <= tolerance + eps:
        return Verdict.CORRECT
    if tolerance > 0:
        return Verdict.CLOSE if error <= 2 * tolerance + eps else Verdict.WRONG
    return (
        Verdict.CLOSE if error < _half_last_place(card.answer) * unit_scale - eps else Verdict.WRONG
    )


def _number_value(q: Quantity, unit_scale: float, unit_percent: bool, target: float) -> float:
    """The typed amount in base units; a bare number is read in the card's unit
    ("200" for "billion USD" is 200e9) unless written out in full ("200,000,000,000")."""
    if q.kind == "percent":
        return q.mantissa * q.scale if unit_percent else q.value
    if q.kind == "fraction":
        return q.value * 100 if unit_percent else q.value
    if q.scale != 1.0:
        return q.value
    in_unit = q.mantissa * unit_scale
    return min((in_unit, q.mantissa), key=lambda v: abs(v - target))


def _half_last_place(answer: float) -> float:
    """Half a unit in the last written place: 0.5 for 2014, 0.05 for 6.3."""
    if float(answer).is_integer():
        return 0.5
    exponent = Decimal(repr(float(answer))).as_tuple().exponent
    if not isinstance(exponent, int):
        return 0.0
    return 0.5 * math.pow(10, exponent)


# --------------------------------------------------------------- other types


def _grade_cloze(card: ClozeCard, response: Any) -> Grade:
    gaps = card.gaps
    answers = _split_cloze_response(response, len(gaps))
    verdicts: list[Verdict] = []
    targets: list[str] = []
    spans = [m.span() for m in _GAP.finditer(card.text)]
    for k, (gap, text) in enumerate(zip(gaps, answers, strict=True)):
        person = False
        if k < len(spans):
            before = _GAP.sub(" ", card.text[max(0, spans[k][0] - 60) : spans[k][0]])
            after = _GAP.sub(" ", card.text[spans[k][1] : spans[k][1] + 80])
            person = asks_for_person(before, after) or (gap.hint or "").lower() in (
                "person",
                "who",
                "name",
            )
        context = (card.source.quote if card.source else None) or ""
        verdict, target = match_typed(gap.accepted, text, person=person, context=context)
        verdicts.append(verdict)
        targets.append(target)
    overall = min(verdicts, key=lambda v: _RANK[v])
    given = "; ".join(answers)
    expected = "; ".join(targets)
    matched = expected if overall is Verdict.CORRECT else None
    return Grade(
        overall,
        SUGGESTED_RATING[overall],
        given,
        card.canonical_answer,
        diff(given, expected),
        matched,
    )


def _split_cloze_response(response: Any, n_gaps: int) -> list[str]:
    """One string per gap; a single string is split on ';' (or '|', a line break, ',')
    when the card has several gaps and that gives one piece per gap."""
    if isinstance(response, list | tuple):
        answers = [_as_text(x) for x in response]
    else:
        text = _as_text(response)
        answers = [text]
        if n_gaps > 1:
            for sep in (";", "|", "\n", ","):
                pieces = [p.strip() for p in text.split(sep)]
                if len(pieces) == n_gaps:
                    answers = pieces
                    break
    answers = answers[:n_gaps]
    answers.extend([""] * (n_gaps - len(answers)))
    return answers


def _grade_mcq(card: McqCard, response: Any) -> Grade:
    text = _as_text(response)
    if text in card.choices:
        ok = text == card.answer
    else:
        ok = bool(normalize(text)) and normalize(text) == normalize(card.answer)
    return _choice_grade(ok, text, card.answer)


_TRUE_WORDS = frozenset({"t", "true", "yes", "y", "1", "correct", "right"})
_FALSE_WORDS = frozenset({"f", "false", "no", "n", "0", "incorrect", "wrong"})


def parse_truth(response: Any) -> bool | None:
    """A true/false response as a bool, or None when it is neither."""
    if isinstance(response, bool):
        return response
    if isinstance(response, int) and response in (0, 1):
        return bool(response)
    text = normalize(_as_text(response))
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    return None


def _grade_truefalse(card: TrueFalseCard, response: Any) -> Grade:
    truth = parse_truth(response)
    text = _as_text(response) if truth is None else ("True" if truth else "False")
    return _choice_grade(truth is card.answer, text, card.canonical_answer)


# ------------------------------------------------------------------ helpers


def _as_text(response: Any) -> str:
    if response is None:
        return ""
    if isinstance(response, str):
        return response
    if isinstance(response, bool):
        return "True" if response else "False"
    if isinstance(response, list | tuple):
        return "; ".join(_as_text(x) for x in response)
    try:
        return str(response)
    except Exception:  # an object that cannot be shown is no answer
        return ""


def _typed_grade(verdict: Verdict, response: str, canonical: str, target: str) -> Grade:
    """A typed answer's grade, with a diff against ``target``."""
    matched = target if verdict is Verdict.CORRECT else None
    spans = diff(response, target)
    return Grade(verdict, SUGGESTED_RATING[verdict], response, canonical, spans, matched)


def _choice_grade(ok: bool, response: str, canonical: str) -> Grade:
    """A chosen answer's grade (mcq, true/false): no diff."""
    verdict = Verdict.CORRECT if ok else Verdict.WRONG
    matched = canonical if ok else None
    return Grade(verdict, SUGGESTED_RATING[verdict], response, canonical, [], matched)
