"""Front and back matter of a report, recognised on its lines and left out of the deck.

Tables of contents, abbreviation lists, letters' address blocks and closings, ordering
and contact boilerplate, copyright notices, reference lists, and (on request) appendices.
Each removed line gets a reason, listed by ``quiz generate --report``. The rules look at
the shape of lines (a number at the end, an acronym then a name, a postal code), never at
one report's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quiz.ingest.debris import EMAIL, PHONE, POSTAL, URLISH

_TERMINAL = tuple(".!?;")
_TOC_ENTRY = re.compile(
    r"^(?:(?:[IVX]+|\d+(?:\.\d+)*|[A-Z])[.)]?\s+)?[A-Z“\"‘(][^.!?]{1,110}?"
    r"(?:(?:\s*\.{2,}\s*|\s*…+\s*)(?:\d{1,4}|[ivxlc]{1,6})|\s+\d{1,4})$"  # roman only after leaders
)
_ABBREV_ENTRY = re.compile(
    r"^(?P<abbr>[A-Z][A-Za-z0-9&/.\-]{0,10}[A-Z0-9]s?)(?:\s*[:=–—-]\s*|\s+)"
    r"(?P<name>[A-Z][\w'’.,&/()\-]*(?:\s+[\w'’.,&/()\-]+){0,12})$"
)
_SECTION_KINDS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"^(?:table of )?contents$|^(?:list of )?(?:figures|tables|illustrations|exhibits|"
            r"appendixes|appendices|charts|maps)(?: and (?:tables|figures))?$",
            re.I,
        ),
        "table of contents",
    ),
    (
        re.compile(
            r"^(?:list of )?(?:abbreviations|acronyms)(?: and (?:abbreviations|acronyms|terms))?$|"
            r"^glossary(?: of (?:terms|acronyms|abbreviations))?$",
            re.I,
        ),
        "abbreviation list",
    ),
    (
        re.compile(
            r"^(?:references|bibliography|works cited|endnotes|notes|sources|footnotes)$", re.I
        ),
        "references",
    ),
    (
        re.compile(
            r"^(?:obtaining copies\b.*|order(?:ing)? (?:by|information)\b.*|how to order\b.*|"
            r"connect with\b.*|to report fraud\b.*|congressional relations|public affairs|"
            r"strategic planning and external liaison|contacts?|contact (?:us|information)|"
            r".*\bcontacts? and staff acknowledgments|staff acknowledgments|acknowledge?ments|"
            r"copyright(?: notice)?|about (?:this|the) (?:report|publisher)|"
            r"(?:please )?print on recycled paper)$",
            re.I,
        ),
        "back matter",
    ),
]
_APPENDIX = re.compile(r"^(?:#+\s*)?(?:appendix|annex)\b(?:\s+[IVXLC\dA-Z]+\b)?", re.I)
_COPYRIGHT = re.compile(
    r"©|\ball rights reserved\b|\bnot subject to copyright\b|\bcopyright (?:©|\(c\)|\d{4})|"
    r"\bmay be reproduced and distributed\b",
    re.I,
)
# needs a word of reproduction beside it: 'entered without permission' is report text
_PERMISSION = re.compile(r"\bwithout (?:the )?(?:prior )?(?:written |express )?permission\b", re.I)
_REPRODUCTION = re.compile(
    r"\b(?:reproduc\w*|copied|copying|republish\w*|reprint\w*|copyright\w*)\b", re.I
)
_ORDERING = re.compile(
    r"\bavailable at no charge\b|\bsending copies of this report\b|\bcontact points for\b|"
    r"\borders? (?:may|can|should) be (?:placed|paid|sent|made)\b|\bobtaining copies\b|"
    r"\bpaid for using\b|\bvisa, mastercard\b|\bprice of each\b|\bcall for additional information\b",
    re.I,
)
# weaker cues ('to order', 'subscribe to'): ordering only with a phone, e-mail or web address
_ORDERING_WEAK = re.compile(
    r"\bto order\b|\bfree copies\b|\bsubscribe\b|\bemail updates\b|\bTDD\b|\bcopies (?:are|may be) (?:available|obtained|ordered)\b",
    re.I,
)
_CONTRIBUTORS = re.compile(
    r"\bmade (?:key |major |significant |important )?contributions to this (?:report|testimony|study|review)\b|"
    r"\b(?:key |major )?contributors to this (?:report|testimony|study|review)\b|"
    r"\bstaff (?:members )?who made (?:key )?contributions\b",
    re.I,
)


def _names_list(text: str) -> bool:
    """'Mark Gaffigan, Acting Director; Frank Rusco; Godwin Agbara; ...': mostly names."""
    parts = [p.strip() for p in text.split(";") if p.strip()]
    named = sum(
        1 for p in parts if re.match(r"^(?:and\s+)?[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+", p)
    )
    return named >= 0.7 * len(parts)


_CONTACT_WORDS = re.compile(
    r"\b(?:contact|phone|telephone|fax|e-?mail|call|inquiries|website|web site|press|"
    r"media|write to|automated answering)\b",
    re.I,
)
_HONORABLE = re.compile(r"\b(?:The Honorable|Honorable)\b")
_SALUTATION = re.compile(r"^(?:Dear\s+[^,]{2,60}[:,]|To whom it may concern[:,]?)$", re.I)
_CLOSING = re.compile(
    r"^(?:sincerely(?: yours)?|respectfully(?: yours)?|yours (?:truly|sincerely)|regards),?$", re.I
)


@dataclass
class Structure:
    """What the structure pass found: lines to leave out (with reasons), acronyms defined."""

    dropped: dict[int, str] = field(default_factory=dict)  # 1-based line -> reason
    acronyms: dict[str, str] = field(
        default_factory=dict
    )  # "SCO" -> "Shanghai Cooperation Organization"


@dataclass
class _Block:
    lines: list[int]  # 1-based line numbers
    texts: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.texts)

    @property
    def first(self) -> int:
        return self.lines[0]


def _blocks(lines: list[str]) -> list[_Block]:
    out: list[_Block] = []
    cur: _Block | None = None
    for no, raw in enumerate(lines, start=1):
        t = " ".join(raw.replace("\f", " ").split())
        if not t:
            cur = None
            continue
        if cur is None:
            cur = _Block([], [])
            out.append(cur)
        cur.lines.append(no)
        cur.texts.append(t)
    return out


def _heading_text(text: str) -> str:
    text = re.sub(r"^#{1,6}\s*", "", text)
    text = re.sub(r"^(?:[IVX]+|\d+(?:\.\d+)*|[A-Z])[.)]\s+", "", text)
    return text.strip(" :.*_")


def _heading_like(block: _Block, headings: set[int]) -> bool:
    if any(n in headings for n in block.lines):
        return True
    if len(block.lines) > 2:
        return False
    t = block.text
    words = t.split()
    return (
        1 <= len(words) <= 12
        and t[:1].isupper()
        and not t.endswith((*_TERMINAL, ","))
        and sum(w[:1].isupper() for w in words if len(w) > 3)
        >= max(1, len([w for w in words if len(w) > 3]) - 1)
    )


_LOOSE_ABBREV = re.compile(r"^[A-Z][A-Za-z0-9&/.\-]{1,10}(?:\s+\S.*)?$")


def _section_entry(kind: str, block: _Block) -> bool:
    """Whether a block continues a contents list or an abbreviation list."""
    if kind == "table of contents":
        hits = sum(bool(_TOC_ENTRY.match(t) or _toc_title(t)) for t in block.texts)
        return hits * 2 >= len(block.texts)
    if kind == "abbreviation list":
        # under an 'Abbreviations' heading expansions may be lower case ('EOR enhanced oil
        # recovery') or on the next line ('CO2' / 'carbon dioxide')
        return all(
            acronym_entry(t)
            or (_LOOSE_ABBREV.match(t) and len(t.split()) <= 10 and not t.endswith(_TERMINAL))
            or (t[:1].islower() and len(t.split()) <= 6 and not t.endswith(_TERMINAL))
            for t in block.texts
        )
    return False


def _toc_title(t: str) -> bool:
    """A contents entry without a page number: a short bulleted title ('- Bridge Inspection')."""
    t = t.strip()
    if not t.startswith(("- ", "* ", "• ")):
        return False
    body = t[2:].strip()
    return 1 <= len(body.split()) <= 16 and not body.endswith((";", ",")) and body[:1].isupper()


def _short_line(t: str) -> bool:
    return len(t.split()) <= 10 and not t.endswith(_TERMINAL)


def acronym_entry(text: str) -> tuple[str, str] | None:
    """("SCO", "Shanghai Cooperation Organization") from an abbreviation-list line."""
    m = _ABBREV_ENTRY.match(text.strip())
    if not m:
        return None
    abbr, name = m.group("abbr"), m.group("name").rstrip(" .,;")
    if sum(c.isupper() for c in abbr) < 2 or len(name.split()) < 2 or name.endswith(_TERMINAL):
        return None
    return abbr, name


def find_structure(
    lines: list[str],
    headings: set[int] | None = None,
    *,
    appendices: bool = True,
    note_refs: set[str] | None = None,
    furniture: bool = True,
) -> Structure:
    """Front and back matter among ``lines`` (the reader's output, one string a line).
    ``note_refs``: note numbers whose reference marks the reader removed ('$^{2}$').
    ``furniture``: look for page numbers and repeated headers/footers (not in a PDF, whose
    reader removed them by position)."""
    headings = headings or set()
    st = Structure()
    blocks = _blocks(lines)

    def drop(block: _Block, reason: str) -> None:
        for n in block.lines:
            st.dropped.setdefault(n, reason)

    # 1. sections named as front/back matter: the heading and what follows, to the next heading
    i = 0
    while i < len(blocks):
        b = blocks[i]
        kind = None
        if _heading_like(b, headings) and len(b.lines) <= 2:
            for title in {_heading_text(b.text), _heading_text(b.texts[0])}:  # 'ENDNOTES' / '1'
                kind = kind or next((k for pat, k in _SECTION_KINDS if pat.match(title)), None)
        if kind is None:
            i += 1
            continue
        drop(b, kind)
        j = i + 1
        while j < len(blocks):
            nb = blocks[j]
            entry = _section_entry(kind, nb) or (
                # a wrapped entry ('... Challenges in' / 'Mitigating ... 29') before an entry
                kind == "table of contents"
                and len(nb.texts) <= 2
                and all(_short_line(t) for t in nb.texts)
                and j + 1 < len(blocks)
                and _section_entry(kind, blocks[j + 1])
            )
            if not entry and _heading_like(nb, headings) and len(nb.lines) <= 2:
                break
            if not entry and kind in ("table of contents", "abbreviation list"):
                break  # a list ends where its entries end
            if kind == "abbreviation list":
                for t in nb.texts:
                    e = acronym_entry(t)
                    if e:
                        st.acronyms.setdefault(*e)
            drop(nb, kind)
            j += 1
        i = j

    # 2. runs recognised by their shape, wherever they are
    _runs(blocks, st, lambda t: bool(_TOC_ENTRY.match(t)), "table of contents", per_line=True)
    _runs(blocks, st, lambda t: acronym_entry(t) is not None, "abbreviation list", per_line=True)
    for n in list(st.dropped):
        if st.dropped[n] == "abbreviation list":
            e = acronym_entry(" ".join(lines[n - 1].split()))
            if e:
                st.acronyms.setdefault(*e)

    _letters(blocks, st, headings)
    _figures(lines, st)
    if furniture:
        _page_furniture(blocks, st)
    _footnote_blocks(lines, blocks, st, note_refs or set())
    for b in blocks:
        if b.first in st.dropped:
            continue
        if len(b.texts) == 1 and _DATE_LINE.match(b.text):
            drop(b, "date line")
        elif _CAPTION.match(b.texts[0]) and len(b.text.split()) <= 40:
            drop(b, "figure or table caption")
        elif _SOURCE_NOTE.match(b.texts[0]):
            drop(b, "figure or table source note")
        elif _CROSS_REFERENCE.match(b.text):
            drop(b, "cross-reference")
    for b in blocks:
        text = b.text
        words = len(text.split())
        if b.first in st.dropped:
            continue
        contact = bool(PHONE.search(text) or EMAIL.search(text) or URLISH.search(text))
        if words <= 120 and (
            _COPYRIGHT.search(text) or (_PERMISSION.search(text) and _REPRODUCTION.search(text))
        ):
            drop(b, "copyright notice")
        elif words <= 200 and (
            _CONTRIBUTORS.search(text) or (text.count(";") >= 6 and _names_list(text))
        ):
            drop(b, "staff acknowledgments")
        elif words <= 150 and (_ORDERING.search(text) or (contact and _ORDERING_WEAK.search(text))):
            drop(b, "ordering information")
        elif (
            (PHONE.search(text) or EMAIL.search(text))
            and ((words <= 60 and _CONTACT_WORDS.search(text)) or _mostly_contact(text))
        ) or _mostly_contact(text):
            drop(b, "contact details")

    # 3. appendices, on request: from the first appendix heading to the end
    if not appendices:
        started = False
        for b in blocks:
            if not started and b.first not in st.dropped and _heading_like(b, headings):
                started = bool(_APPENDIX.match(_heading_text(b.text)))
            if started:
                for n in b.lines:
                    st.dropped.setdefault(n, "appendix (--no-appendices)")
    return st


_DATE_LINE = re.compile(
    r"^(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(?:\d{1,2},\s+)?\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})\.?$"
)
_CROSS_REFERENCE = re.compile(r"^\f?\((?:see|refer to)\b[^()]*\)\.?$", re.I)
_CAPTION = re.compile(
    r"^\f?(?:Figure|Fig\.|Table|Exhibit|Chart|Graph|Map)\s+[A-Z]?-?\d+[a-z]?[.:]\s", re.I
)
_SOURCE_NOTE = re.compile(r"^\f?(?:Sources?|Notes?|Data source)\s*:", re.I)


def _figures(lines: list[str], st: Structure) -> None:
    """A figure or table laid out as text (axis labels, cells): from its caption to its
    'Source:' line, when the lines between are short. The caption and the source note go
    with it."""
    n = len(lines)
    i = 0
    while i < n:
        if not _CAPTION.match(lines[i].strip()) or (i + 1) in st.dropped:
            i += 1
            continue
        end = None
        for j in range(i + 1, min(n, i + 200)):
            t = lines[j].strip()
            if _SOURCE_NOTE.match(t):
                end = j
                break
            if _CAPTION.match(t):
                break
        if end is None:
            i += 1
            continue
        inside = [lines[k].strip() for k in range(i + 1, end) if lines[k].strip()]
        words = [len(t.split()) for t in inside]
        sentences = sum(1 for t in inside if len(t.split()) >= 9 and t.endswith("."))
        if inside and (sum(words) / len(words) > 7 or sentences > 3):
            i = end + 1  # prose between a caption and a note: not a laid-out figure
            continue
        # the note paragraph runs to the next blank line
        stop = end
        while stop + 1 < n and lines[stop + 1].strip():
            stop += 1
        # labels laid out after the note (PDF content order): a run of 3+ short lines
        k = stop + 1
        short: list[int] = []
        while k < n:
            t = lines[k].strip().lstrip("\f")
            label = not re.search(r"[A-Za-z]{3,}", t)  # numbers: an axis, a row of values
            if t and not label and (len(t.split()) > 6 or t.endswith((".", "?", "!", ":", ";"))):
                break
            if t:
                short.append(k)
            k += 1
        if len(short) >= 3:
            stop = short[-1]
        for k in range(i, stop + 1):
            if lines[k].strip():
                st.dropped.setdefault(k + 1, "figure or table (caption to source note)")
        i = stop + 1


_LONE_PAGE_NUMBER = re.compile(
    r"^\f?(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?$|^\f?[-–—]\s*\d{1,4}\s*[-–—]$",
    re.I,
)


def _folded(text: str) -> str:
    key = re.sub(r"\d+", "#", re.sub(r"[^\w#]+", " ", text.lower())).strip()
    return key.strip("# ") or key


def _page_furniture(blocks: list[_Block], st: Structure) -> None:
    """Page furniture a converter left in the text (Markdown or text made from a PDF): a
    lone page number, and a short line standing alone that recurs with only its number
    changing ('GAO-20-123 Page 5') 3+ times, or without a number 5+ times."""
    singles = [b for b in blocks if len(b.texts) == 1 and len(b.text) <= 120]
    counts: dict[str, int] = {}
    for b in singles:
        counts[_folded(b.text)] = counts.get(_folded(b.text), 0) + 1
    for b in singles:
        if b.first in st.dropped:
            continue
        t = b.text.replace("\f", "").strip()
        if _LONE_PAGE_NUMBER.match(t):
            st.dropped[b.first] = "page number"
            continue
        n = counts[_folded(b.text)]
        has_number = bool(re.search(r"\d", t))
        key = _folded(b.text)
        if (
            re.search(r"[a-z]{2}", key)
            and ((has_number and n >= 3) or n >= 5)
            and not t.endswith(_TERMINAL)
        ):
            st.dropped[b.first] = f"page header/footer (repeated {n} times)"


_NOTE_REF = re.compile(
    r"\$\s*\^\s*\{?\s*(\d{1,3})\s*\}?\s*\$|<sup>\s*\[?(\d{1,3})\]?\s*</sup>|\[\^(\d{1,3})\]"
    r"|(?<=[a-z])[.,;:”\"’)]?(\d{1,3})(?=\s|$)"
)
_NOTE_TEXT = re.compile(r"^\f?(\d{1,3})\s+(?=[A-Z“\"(])")


def _footnote_blocks(
    lines: list[str], blocks: list[_Block], st: Structure, known: set[str]
) -> None:
    """Footnotes a converter left as paragraphs ('2 See the agency's guidance, revised in
    2016.'): a block opening on a number that the text uses as a note reference
    ('2016.$^{2}$', '<sup>2</sup>', 'reported.2'), in a run of such notes or under 60 words."""
    refs: set[str] = set(known)
    for ln in lines:
        for m in _NOTE_REF.finditer(ln):
            refs.add(next(g for g in m.groups() if g))
    if not refs:
        return
    for b in blocks:
        note = _NOTE_TEXT.match(b.texts[0])
        if note is None or b.first in st.dropped or note.group(1) not in refs:
            continue
        if len(b.text.split()) <= 60:
            for n in b.lines:
                st.dropped.setdefault(n, "footnote")


def _mostly_contact(text: str) -> bool:
    rest = EMAIL.sub(" ", PHONE.sub(" ", URLISH.sub(" ", POSTAL.sub(" ", text))))
    letters = sum(c.isalpha() for c in rest)
    found = len(PHONE.findall(text)) + len(EMAIL.findall(text)) + len(URLISH.findall(text))
    return (found >= 1 and letters < 40) or (found >= 3 and letters < 25 * found)


def _runs(blocks: list[_Block], st: Structure, is_entry, reason: str, *, per_line: bool) -> None:  # type: ignore[no-untyped-def]
    """Three or more entry lines in a row (blank lines allowed between) are a list of ``reason``."""
    run: list[int] = []

    def close() -> None:
        if len(run) >= 3:
            for n in run:
                st.dropped.setdefault(n, reason)
        run.clear()

    for b in blocks:
        for n, t in zip(b.lines, b.texts, strict=True):
            if is_entry(t):
                run.append(n)
            else:
                close()
    close()


def _letters(blocks: list[_Block], st: Structure, headings: set[int]) -> None:
    """A letter's address block (short lines with 'Honorable' or a postal code, up to the
    salutation) and its closing (Sincerely yours, and the signature lines after it)."""
    for k, b in enumerate(blocks):
        if len(b.texts) == 1 and _SALUTATION.match(b.text):
            # the address block: the short-line blocks right before the salutation
            j = k - 1
            span: list[_Block] = []
            while (
                j >= 0
                and all(_short_line(t) for t in blocks[j].texts)
                and len(blocks[j].texts) <= 6
            ):
                span.append(blocks[j])
                j -= 1
                if len(span) >= 8:
                    break
            if (
                any(_HONORABLE.search(s.text) or POSTAL.search(s.text) for s in span)
                or len(span) >= 2
            ):
                for s in span:
                    for n in s.lines:
                        st.dropped.setdefault(n, "letter address block")
            for n in b.lines:
                st.dropped.setdefault(n, "letter salutation")
        elif any(_HONORABLE.search(t) for t in b.texts) and all(_short_line(t) for t in b.texts):
            for n in b.lines:
                st.dropped.setdefault(n, "letter address block")
        elif (
            all(_short_line(t) for t in b.texts)
            and POSTAL.search(b.text)
            and len(b.text.split()) <= 30
        ):
            for n in b.lines:
                st.dropped.setdefault(n, "address")
        elif _CLOSING.match(b.texts[0]):
            span = [b]
            j = k + 1
            while (
                j < len(blocks)
                and len(span) < 3
                and not any(n in headings for n in blocks[j].lines)
                and len(blocks[j].texts) <= 4
                and all(_short_line(t) for t in blocks[j].texts)
            ):
                span.append(blocks[j])
                j += 1
            for s in span:
                for n in s.lines:
                    st.dropped.setdefault(n, "letter closing")
