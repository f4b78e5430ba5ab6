"""Text helpers the templates share: clause ends, case of the first word, linking words."""

from __future__ import annotations

import re
from collections.abc import Iterable

from quiz.generate.candidates import DEMONYMS, TITLES, is_country
from quiz.generate.clean import word_zipf
from quiz.generate.sentences import Sentence

_DISCOURSE = re.compile(
    r"^(?:(?:Moreover|Indeed|Thus|But|And|However|Nevertheless|Nonetheless|Certainly|Furthermore|"
    r"Also|Therefore|Hence|Yet|Instead|Meanwhile|Similarly|Likewise|Consequently|"
    r"In addition|In other words|For example|For instance|Of course|In fact|In turn|In return|"
    r"By contrast|In contrast|Separately|More broadly|More generally|More importantly|In short|"
    r"In sum|In summary|To be sure|At the same time|For its part|On the other hand|Ultimately|"
    r"Additionally|Importantly|Notably|Specifically|Accordingly|Even so|That said|After all|"
    r"Conversely|Admittedly|In particular|Besides|Above all|As such|Again|Ironically|Clearly|"
    r"Alternatively|Likewise|Similarly|In practice|In general|Generally|Typically|"
    r"As (?:noted|mentioned|discussed|described|stated|explained|shown) (?:earlier|above|before|"
    r"previously|below)|As a result|In any case|In any event|To that end|Toward that end)\b,?"
    r"|(?:Then|So|Still|Now|Finally|First|Second|Third|Further|Overall|Here|Today),"
    # a leading adverbial that only points back: "Given these realities," "In view of this,"
    r"|(?:Given|In view of|In light of|Because of|As a result of|Under) (?:this|these|that|those|such)\b[^,]{0,40},"
    r")\s+"
)
WS = re.compile(r"\s+")


def strip_discourse(text: str) -> str:
    """``text`` without the linking words it opens on ("But", "Thus,", "More broadly,")."""
    prev = None
    while prev != text:
        prev = text
        text = _DISCOURSE.sub("", text)
    return text


def body(text: str) -> str:
    """A clause without its final punctuation."""
    return text.strip().rstrip(".;:!?").rstrip()


def proper_words_of(sentences: Iterable[Sentence]) -> frozenset[str]:
    """Words written capitalised mid-sentence and never in lower case."""
    caps: set[str] = set()
    lower: set[str] = set()
    for s in sentences:
        for i, w in enumerate(re.findall(r"[A-Za-z][\w’'-]*", s.text)):
            if w[0].isupper() and i > 0:
                caps.add(w)
            elif w[0].islower():
                lower.add(w)
    return frozenset(w for w in caps if w.lower() not in lower)


def lower_first(text: str, proper_words: frozenset[str] = frozenset()) -> str:
    """Lowercase the first word unless it is a name or acronym."""
    m = re.match(r"([A-Za-z][\w’'-]*)", text)
    if not m:
        return text
    w = m.group(1)
    if (w.isupper() and len(w) > 1) or is_country(w) or w in DEMONYMS:
        return text
    if w in TITLES and re.match(r"[A-Za-z][\w’'-]*\s+[A-Z]", text):
        return text  # "Foreign Minister Wang", not "Foreign investment"
    if w in proper_words or (w[0].isupper() and word_zipf(w.lower()) < 3.0):
        return text
    if _capitalised_name(w):
        return text  # "Florida": a name even where only a sentence opens on it
    if w[0].isupper() and len(w) > 1 and not w[1:].islower():
        return text  # "McFaul", "eBay"; a lone "A" is the article
    return w[0].lower() + text[1:]


US_STATES = frozenset(
    [
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Georgia",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "Washington",
        "Wisconsin",
        "Wyoming",
    ]
)


def _capitalised_name(word: str) -> bool:
    """Whether a capitalised word is a place name even where it only opens sentences."""
    return word in US_STATES


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def question(text: str) -> str:
    return WS.sub(" ", body(text)).strip().rstrip(" —–-,") + "?"


def words(text: str) -> list[str]:
    return re.findall(r"[\w’'$%.-]+", text)


def balanced(text: str) -> bool:
    """Quotes and brackets in ``text`` are balanced (no clause cut inside a quotation)."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return False
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


ENUMERATOR = re.compile(
    r"^(?:(?:\d{1,2}|[a-hA-H])[.)]|\((?:\d{1,2}|[a-h]|[ivx]{1,4})\))\s+(?=[A-Z])"
)


def tidy_opening(text: str) -> tuple[str, int]:
    """A sentence shown on its own: without its list number ("a.", "(2)") or opening linking
    words, capitalised; and how many characters were cut from its start."""
    shown = strip_discourse(ENUMERATOR.sub("", text))
    cut = len(text) - len(shown)
    return (upper_first(shown) if cut else text), cut
