"""Clean text extracted from a PDF into headed paragraphs, mapping every character to its line.

Rules: page numbers, repeated page headers/footers, stray URLs and extraction debris
(``(cid:173)``, control characters) are removed; wrapped lines and paragraphs split by
page breaks are joined; end-of-line hyphenation is undone only when the joined word is
a word; footnote markers glued to words, numbers, punctuation and quotes are stripped;
ALL-CAPS and short title-case lines become section headings.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from quiz.generate.mapped import MappedText

# --------------------------------------------------------------------------- words


@lru_cache(maxsize=65536)
def word_zipf(word: str) -> float:
    """How common an English word is (Zipf scale, 0 = unknown)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def is_word(word: str, threshold: float = 1.0) -> bool:
    return word_zipf(word.lower()) >= threshold


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Block:
    """A paragraph or heading of the cleaned text: ``text[start:end]``."""

    kind: str  # "heading" | "paragraph"
    start: int
    end: int
    section: str
    index: int


@dataclass
class CleanedText:
    """The cleaned text, its blocks, and a map from each character to its original line."""

    text: str
    blocks: list[Block]
    char_lines: list[int]
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, text)

    def line_at(self, offset: int) -> int:
        """The original line (1-based) of the character at ``offset``."""
        if not self.char_lines:
            return 1
        offset = min(max(offset, 0), len(self.char_lines) - 1)
        return self.char_lines[offset]

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph"]

    @property
    def sections(self) -> list[str]:
        seen: dict[str, None] = {}
        for b in self.blocks:
            seen.setdefault(b.section, None)
        return list(seen)


# --------------------------------------------------------------------------- patterns

_CID = re.compile(r"\(cid:\d+\)")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
# control and invisible characters, and private-use glyphs (PDF symbol-font bullets, icons)
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff\u00ad\ue000-\uf8ff]"
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?\d{1,4}(?:\s+(?:of|/)\s+\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$|^[ivxlcdm]{1,6}$",
    re.IGNORECASE,
)
_LONE_DOT = re.compile(r"(?:(?<=\s)|^)[·•▪■●](?=\s|$)|(?<=\s)[·•](?=\w)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = '.!?:;”"’)»'
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "over",
        "per",
        "the",
        "to",
        "up",
        "via",
        "vs",
        "with",
    ]
)

# footnote markers (applied to whole paragraphs)
_FN_YEAR = re.compile(r"\b((?:1[5-9]|20)\d\d[.!?])\d{1,3}(?=\s+[A-Z“\"‘(]|\s*$)")
_FN_WORD = re.compile(r"(?<=[A-Za-z\)\]%])([.,;:?!])\d{1,3}(?=\s|$)")
_FN_QUOTE = re.compile(r"(?<=[\w.,!?;:])([”\"’])\d{1,3}(?=[\s,.;:]|$)")
_FN_GLUED = re.compile(r"(?<=[a-z]{3})\d{1,3}(?=[\s,.;:]|$)")
_FN_SPACED = re.compile(r"([.!?][”\"’]?)\s+\d{1,3}(?=\s+[A-Z“\"]|\s*$)")
_TRAILING_MARK = re.compile(r"(?<=[.!?:;”\"’)])\s?\d{1,3}$")
# PDF-extraction spacing artefacts: "IRA' s" (apostrophe-s split off), "Clinton ." (a space
# before sentence punctuation), "Clinton .in" (a mangled quote mark read as a lone period).
_SPLIT_POSSESSIVE = re.compile(r"(?<=\w)([’'])\s+(s)\b")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[A-Za-z0-9)\]%”\"’]) +([,;:!?]|\.(?!\.))(?=\s|$)")
_STRAY_DOT = re.compile(r"(?<=[A-Za-z]) \.(?=[a-z])")
_HYPHEN_END = re.compile(r"([A-Za-z]+)-$")
_WORD_START = re.compile(r"^([A-Za-z]+)")


_BULLET = re.compile(r"^\s*[-*–•·▪◦●■]\s+")


# OCR letter-spacing: "$4 0 0 million" -> "$400 million", "R E P O R T" -> "REPORT"
_SPACED_DIGITS = re.compile(r"(?<![\w.,])\d(?: \d){2,}(?![\w.,]\d)")
_SPACED_CAPS = re.compile(r"(?<![\w.])[A-Z](?: [A-Z]){3,}(?![\w.])")


def _unspace(s: str) -> str:
    s = _SPACED_DIGITS.sub(lambda m: m.group(0).replace(" ", ""), s)
    return _SPACED_CAPS.sub(lambda m: m.group(0).replace(" ", ""), s)


def _normalise_line(raw: str) -> tuple[str, bool, bool]:
    """One line with debris removed and spaces collapsed; whether it starts a page; whether
    it is a bulleted item."""
    page_break = "\f" in raw
    s = unicodedata.normalize("NFC", raw.replace("\f", " "))
    bullet = bool(_BULLET.match(s))
    if bullet:
        s = _BULLET.sub("", s, count=1)
    s = _CID.sub("", _ANSI.sub("", s))
    s = _CONTROL.sub("", s.replace("\f", " ").replace("\t", " "))
    s = _URL.sub(" ", s)
    s = _LONE_DOT.sub(" ", s)
    s = _unspace(_SPACES.sub(" ", s).strip())
    return s, page_break, bullet


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"[^\w#]+", " ", line.lower())).strip()


def _is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 3 or len(line) > 90 or len(line.split()) > 12:
        return False
    upper = sum(1 for c in letters if c.isupper())
    if upper / len(letters) < 0.85:
        return False
    return not (line[-1] in ".,;" or not line[0].isalnum())


def _is_title_heading(line: str, prev: str | None, nxt: str | None, blank_after: bool) -> bool:
    words = line.split()
    if not (1 <= len(words) <= 10) or len(line) > 80:
        return False
    if not re.search(r"[A-Za-z]{3,}", line):
        return False  # a number, a figure's axis value: not a heading
    if not blank_after and len(words) > 5:
        return False
    if line[-1] in _TERMINAL or line[-1] in ",-–—" or not (line[0].isupper() or line[0].isdigit()):
        return False
    if prev is not None and prev and prev[-1] not in _TERMINAL:
        return False
    if nxt is None or not nxt[:1].isupper():
        return False
    content = [w for w in words if w.lower().strip("():,") not in _SMALL_WORDS]
    if not content:
        return False
    caps = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
    if caps / len(content) < 0.99:
        return False
    last = words[-1].lower()
    return last not in _SMALL_WORDS


def heading_title(text: str) -> str:
    """A heading as a section name: numbering dropped, ALL-CAPS headings in title case."""
    text = re.sub(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s+(?=\S)", "", text) or text
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) < 0.85:
        return text
    words = []
    for i, w in enumerate(text.split()):
        low = w.lower()
        if "." in w.strip(".") or (len(w) <= 3 and w.isupper() and not is_word(low, 3.5)):
            words.append(w)  # U.S., UN, EU
        elif i > 0 and low in _SMALL_WORDS:
            words.append(low)
        else:
            words.append("-".join(p[:1].upper() + p[1:] for p in low.split("-")))
    return " ".join(words)


# --------------------------------------------------------------------------- hyphenation


def _join_hyphenated(
    first: str, second: str, doc_words: Counter[str], doc_hyphens: set[str]
) -> bool:
    """Whether ``first-`` + ``second`` at a line end is one word broken by the line."""
    joined = (first + second).lower()
    pair = f"{first}-{second}".lower()
    if pair in doc_hyphens:
        return False
    if doc_words.get(joined, 0) > 0:
        return True
    if word_zipf(joined) < 1.0:
        return False
    both_words = (
        len(first) >= 3 and len(second) >= 3 and is_word(first, 2.5) and is_word(second, 2.5)
    )
    if both_words:
        return word_zipf(joined) >= 3.0
    return True


# --------------------------------------------------------------------------- main


@dataclass
class _Line:
    no: int
    text: str
    page_break: bool
    blank: bool
    drop: str | None = None  # reason
    bullet: bool = False


def _mark_furniture(lines: list[_Line], repeated: bool = True) -> None:
    """Mark page numbers and headers/footers that recur across pages (``repeated`` False:
    only lines without letters or digits; the reader already removed furniture)."""
    n = len(lines)

    def standalone(i: int) -> bool:
        before = i == 0 or lines[i - 1].blank or lines[i].page_break
        after = i == n - 1 or lines[i + 1].blank or lines[i + 1].page_break
        return before and after

    def near_break(i: int) -> bool:
        return any(lines[j].page_break for j in range(max(0, i - 2), min(n, i + 3)))

    candidates: list[int] = []
    for i, ln in enumerate(lines):
        if ln.blank:
            continue
        if not any(c.isalnum() for c in ln.text):
            ln.drop = "debris"
            continue
        if not repeated:
            continue
        if _PAGE_NUMBER.match(ln.text) and (standalone(i) or near_break(i)):
            ln.drop = "page number"
            continue
        sentence_like = ln.text[-1] in ".!?" and len(ln.text.split()) >= 5
        if len(ln.text) <= 120 and (standalone(i) or ln.page_break) and not sentence_like:
            candidates.append(i)

    if not candidates:
        return
    keys = [_furniture_key(lines[i].text) for i in candidates]
    counts = Counter(keys)
    unique = sorted(k for k in counts if len(k) >= 6)
    cluster_size = dict(counts)
    if 1 < len(unique) <= 1500:
        from rapidfuzz import fuzz, process

        for key in unique:
            matches = process.extract(key, unique, scorer=fuzz.ratio, score_cutoff=60, limit=None)
            cluster_size[key] = sum(counts[m[0]] for m in matches)
    for i, key in zip(candidates, keys, strict=True):
        if (cluster_size.get(key, 0) >= 3 and not _is_caps_heading(lines[i].text)) or (
            cluster_size.get(key, 0) >= 3 and counts[key] >= 3
        ):
            lines[i].drop = "page header/footer"


def clean_text(
    raw: str,
    *,
    headings: frozenset[int] | set[int] = frozenset(),
    heuristic_headings: bool = True,
    dropped: dict[int, str] | None = None,
    hard_paragraphs: bool = False,
    furniture: bool = True,
) -> CleanedText:
    """Clean ``raw`` (a report as extracted from a PDF) into headed paragraphs.

    ``headings``: line numbers the reader knows to be headings (Markdown ``#``, large type
    in a PDF); with ``heuristic_headings`` False no other line is taken for one.
    ``dropped``: lines the structure pass left out (line number -> reason).
    ``hard_paragraphs``: a blank line always ends a paragraph (Markdown, HTML), even after a
    line without final punctuation.
    ``furniture`` False: the reader removed page furniture by position, so lines are not
    dropped for recurring (headings recur in contents lists and running titles).
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[_Line] = []
    for no, rawline in enumerate(raw.split("\n"), start=1):
        text, pb, bullet = _normalise_line(rawline)
        lines.append(_Line(no, text, pb, not text, bullet=bullet))
    structure_removed: list[tuple[int, str, str]] = []
    if dropped:
        for ln in lines:
            reason = dropped.get(ln.no)
            if reason is not None and not ln.blank:
                # left out as front/back matter: it also ends the paragraph before it
                structure_removed.append((ln.no, reason, ln.text))
                ln.text, ln.blank, ln.bullet = "", True, False
    _mark_furniture(lines, repeated=furniture)
    removed = sorted(
        [*structure_removed, *((ln.no, ln.drop, ln.text) for ln in lines if ln.drop)],
        key=lambda r: r[0],
    )
    kept = [ln for ln in lines if not ln.drop]

    # words and hyphenated pairs seen inside lines: evidence for hyphenation decisions
    doc_words: Counter[str] = Counter()
    doc_hyphens: set[str] = set()
    for ln in kept:
        for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", ln.text):
            if "-" in w:
                parts = w.lower().split("-")
                doc_hyphens.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
            else:
                doc_words[w.lower()] += 1

    # group lines into raw blocks: heading lines and paragraph line runs
    blocks: list[tuple[str, list[_Line]]] = []
    current: list[_Line] = []
    pending_blank = False

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(("paragraph", current))
            current = []

    content = [ln for ln in kept]
    for idx, ln in enumerate(content):
        if ln.blank:
            pending_blank = True
            continue
        prev = current[-1].text if current else None
        nxt = None
        blank_after = False
        for later in content[idx + 1 :]:
            if not later.blank:
                nxt = later.text
                break
            blank_after = True
        prev_text = prev if prev is not None else ("." if not blocks else None)
        known = ln.no in headings
        heading = known or (
            heuristic_headings
            and (
                _is_caps_heading(ln.text)
                or _is_title_heading(ln.text, prev_text or ".", nxt, blank_after)
            )
        )
        prev_end = _TRAILING_MARK.sub("", prev) if prev else prev
        if heading and (known or not prev_end or prev_end[-1] in _TERMINAL or pending_blank):
            flush()
            if (
                blocks
                and blocks[-1][0] == "heading"
                and not pending_blank_after_heading(blocks[-1][1][-1], ln)
                and (heuristic_headings or not known)
            ):
                blocks[-1][1].append(ln)
            else:
                blocks.append(("heading", [ln]))
            pending_blank = False
            continue
        if current and ln.bullet:
            flush()  # each bulleted item is a paragraph of its own
        if current and pending_blank:
            last = _TRAILING_MARK.sub("", current[-1].text) or current[-1].text
            continues = last[-1] not in _TERMINAL or ln.text[:1].islower()
            if hard_paragraphs or not continues:
                flush()
        current.append(ln)
        pending_blank = False
    flush()

    out = MappedText()
    out_blocks: list[Block] = []
    section = "Opening"
    joined = []
    for kind, blines in blocks:
        mt = _join_lines(blines, doc_words, doc_hyphens)
        if kind == "paragraph":
            mt = _strip_footnotes(mt)
        mt = mt.sub(_SPACES, " ").strip()
        joined.append((kind, _fix_spacing(mt)))
    # a heading used 4+ times ('Recommendation' over each boxed recommendation) is a label:
    # its text stays out of the cards, but the section stays the one it sits in
    titles = Counter(heading_title(mt.text) for kind, mt in joined if kind == "heading" and mt.text)
    for kind, mt in joined:
        if not mt.text:
            continue
        if kind == "heading" and titles[heading_title(mt.text)] < 4:
            section = heading_title(mt.text)
        if out.text:
            out.append("\n\n")
        start = len(out)
        out.append(mt)
        out_blocks.append(Block(kind, start, len(out), section, len(out_blocks)))
    return CleanedText(out.text, out_blocks, out.lines, removed)


def pending_blank_after_heading(prev: _Line, ln: _Line) -> bool:
    """Whether two heading lines are separate headings (a blank line or more between)."""
    return ln.no - prev.no > 1


def _join_lines(blines: list[_Line], doc_words: Counter[str], doc_hyphens: set[str]) -> MappedText:
    out = MappedText()
    for ln in blines:
        piece = MappedText.from_line(ln.text, ln.no)
        if not out.text:
            out.append(piece)
            continue
        m = _HYPHEN_END.search(out.text)
        w = _WORD_START.match(ln.text)
        if m and w and out.text.endswith("-") and not out.text.endswith("--"):
            if _join_hyphenated(m.group(1), w.group(1), doc_words, doc_hyphens):
                out = out.slice(0, len(out) - 1)
            out.append(piece)
            continue
        if out.text.endswith(("—", "–")) or ln.text.startswith(("—", "–")):
            out.append(" ", ln.no)
            out.append(piece)
            continue
        out.append(" ", ln.no)
        out.append(piece)
    return out


def _fix_spacing(mt: MappedText) -> MappedText:
    """Closes the spaces PDF extraction leaves inside possessives and before punctuation."""
    mt = mt.sub(_SPLIT_POSSESSIVE, lambda m: m.group(1) + m.group(2))
    mt = mt.sub(_STRAY_DOT, " ")
    return mt.sub(_SPACE_BEFORE_PUNCT, r"\1")


def close_spacing(text: str) -> str:
    """``text`` with the extraction spacing artefacts closed, as the cleaner closes them."""
    text = _SPLIT_POSSESSIVE.sub(lambda m: m.group(1) + m.group(2), text)
    text = _STRAY_DOT.sub(" ", text)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


# "(See Appendix A for related authorities.)": a pointer inside the document, not a fact
_CROSS_REF = re.compile(
    r"\s*\((?:see|refer to|cf\.)\s+(?:also\s+)?(?:the\s+)?(?:app(?:endix|endices|\.)|annex|"
    r"table|figure|fig\.|chapter|section|sections|page|pages|p\.|pp\.|subpart|part|"
    r"enclosure|attachment|box|note|notes|footnote|endnote)\b[^()]{0,300}\)",
    re.IGNORECASE,
)


def _strip_footnotes(mt: MappedText) -> MappedText:
    mt = mt.sub(_CROSS_REF, "")
    mt = mt.sub(_FN_YEAR, r"\1")
    mt = mt.sub(_FN_WORD, r"\1")
    mt = mt.sub(_FN_QUOTE, r"\1")
    mt = mt.sub(_FN_GLUED, "")
    mt = mt.sub(_FN_SPACED, r"\1")
    return mt
