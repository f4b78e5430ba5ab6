"""One detector for text that must never reach a card: markup, contact details, page
furniture and extraction damage. Used by the structure pass, by the generator's gate
(a card with debris is dropped and counted) and by the tests that scan whole decks."""

from __future__ import annotations

import re
from dataclasses import dataclass

PHONE = re.compile(
    r"(?<![\w$.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w,.]\d)"
    r"|(?<![\w$])1-\d{3}-\d{3}-\d{4}\b|(?<![\w$])\+\d{1,3}(?:[\s.-]\d{1,4}){3,5}\b"
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
URLISH = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|com|org|edu|net|mil|int|io)"
    r"(?:/\S*)?\b(?!\.\w)",
    re.I,
)
POSTAL = re.compile(
    r"\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|"
    r"S[CD]|T[NX]|UT|V[TA]|W[AVIY]|D\.C\.)\,?\s+\d{5}(?:-\d{4})?\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}\b"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("markdown heading", re.compile(r"(?:^|\s)#{1,6}\s+\S")),
    (
        "html tag",
        re.compile(r"</?(?:[a-z][a-z0-9]*)(?:\s[^<>]*)?/?>|&(?:nbsp|amp|lt|gt|quot|#\d+);", re.I),
    ),
    ("table markup", re.compile(r"\|\s*:?-{3,}|\|[^|\n]{1,80}\|[^|\n]{1,80}\|")),
    (
        "latex",
        re.compile(
            r"\$[^$\n]{0,60}?(?:\\[a-zA-Z]+|\^|_\{|(?<=[A-Za-z])_[A-Za-z0-9])[^$\n]{0,60}?\$|\\(?:frac|mathrm|text|times|cdot|left|right|begin|end)\b|\\\(|\\\["
        ),
    ),
    (
        "image placeholder",
        re.compile(
            r"!\[[^\]]*\]\([^)]*\)|<!--.*?-->|\[(?:image|figure|picture|img|formula|equation)[^\]]*\]|\((?:image|picture)\)",
            re.I,
        ),
    ),
    ("markdown link", re.compile(r"\[[^\]]+\]\([^)\s]+\)|\[\^\w+\]")),
    ("markdown emphasis", re.compile(r"\*\*\S|\S\*\*|(?<![\w_])__(?=[A-Za-z])")),
    ("url", URLISH),
    ("e-mail", EMAIL),
    ("phone number", PHONE),
    ("postal code", POSTAL),
    ("page number", re.compile(r"\bPage \d{1,4}(?: of \d{1,4})?\b|(?<!\w)p\. ?\d{1,4}\b(?=\s*$)")),
    (
        "footnote number",
        re.compile(
            r"(?<=[a-z]{3})\d{1,3}(?=[\s,;:]|\.(?:\s|$)|$)"
            r"|(?<=[a-z][.,;:!?”\"’)])\d{1,3}(?=\s+[A-Z“\"]|\s*$)"
            r"|(?<=\b(?:19|20)\d\d[.;:])\d{1,3}(?=\s+[A-Z“\"])"
        ),
    ),
    (
        "letter-spacing",
        re.compile(r"(?<![\w.,])\d(?: \d){2,}(?![\w.,])|(?<!\w)(?:[A-Za-z] ){3,}[A-Za-z](?!\w)"),
    ),
    (
        "extraction debris",
        re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b-\x1f\x7f\ue000-\uf8ff]|\ufffd|\ufffe"),
    ),
]


@dataclass(frozen=True)
class Debris:
    kind: str
    text: str


def find_debris(text: str) -> list[Debris]:
    """Every piece of debris in ``text`` (empty when it is clean)."""
    out: list[Debris] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            out.append(Debris(kind, m.group(0)))
    return out


def first_debris(text: str) -> Debris | None:
    found = find_debris(text)
    return found[0] if found else None
