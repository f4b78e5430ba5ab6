"""A PDF's text layer as report text, without page furniture.

pypdfium2 (PDFium) reads the text layer: about 0.1 s for a 100-page report, where
pdfplumber (pdfminer) took 9.5 s on the same file (bench/bench_pdf.py). Each line keeps
its position and font size, so furniture is removed by position and repetition:

- running titles, headers and footers: the first or last lines of a page, or lines in
  the top/bottom margin, that recur (digits folded) on several pages;
- page numbers: a lone number ("12", "Page 3 of 40", "- 4 -", "iv") at a page's top or
  bottom;
- footnotes: the run of small-type lines at the bottom of a page that opens on a note
  number or mark;
- footnote references: superscript digits glued to a word ("decisions.4").

Paragraphs are separated by blank lines where the vertical gap, an indent or a short
last line shows a break, and large or bold short lines are marked as headings.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quiz.errors import QuizError

_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$|^[ivxlcdm]{1,7}$",
    re.IGNORECASE,
)
_SUPERSCRIPT_REF = re.compile(r"(?<=[A-Za-z.,;:!?\"”’)\]%])\d{1,6}(?=[\s.,;:)]|$)")
_NOTE_START = re.compile(r"^(?:(?:\d{1,3}|[*†‡§¶]|[a-z])[\s.)]|\d{1,3}(?=[A-Z“\"]))")
_TERMINAL = tuple('.!?:;”"’)')
ZONE = 0.075  # top and bottom margins where running titles and page numbers sit


@dataclass
class PdfLine:
    page: int
    text: str
    x0: float
    x1: float
    top: float  # distance from the top of the page to the line's top
    base: float  # distance from the top of the page to the line's baseline
    size: float
    bold: bool
    page_height: float
    drop: str | None = None


@dataclass
class Extracted:
    """A document's text as lines, with the lines known to be headings and what was removed."""

    text: str
    headings: set[int] = field(default_factory=set)  # 1-based line numbers of ``text``
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, text)
    kind: str = "text"
    title: str | None = None  # the document's own title (PDF metadata, HTML <title>, # heading)


_NOT_A_TITLE = re.compile(
    r"untitled|^microsoft\b|\.(?:docx?|pdf|html?|indd|rtf)\b|^(?:(?:table of )?contents|highlights|(?:executive )?summary|abstract|foreword|preface)$",
    re.IGNORECASE,
)


def title_or_none(text: str | None) -> str | None:
    """``text`` as a deck title when it reads as one: its first line, three words or more,
    at most 200 characters, not a file name, code or "Untitled Document"."""
    if not text:
        return None
    line = " ".join(re.split(r"[\r\n]", text.strip(), maxsplit=1)[0].split())
    words = re.findall(r"[A-Za-z]{2,}", line)
    if len(words) < 3 or not 8 <= len(line) <= 200 or _NOT_A_TITLE.search(line):
        return None
    return line


def _furniture_key(text: str) -> str:
    """A line with its numbers folded: 'Page 12 GAO-07-283' and 'Page iii GAO-07-283' match."""
    key = re.sub(r"\d+", "#", re.sub(r"[^\w#]+", " ", text.lower())).strip()
    key = re.sub(r"(?:(?<=^)|(?<=\bpage ))[ivxlc]{1,6}\b|\b[ivxlc]{1,6}(?=$)", "#", key)
    return key.strip("# ") or key  # '2 TITLE', 'TITLE 3' and '4 TITLE 5' are one running title


def _size(tp, i: int) -> float:  # type: ignore[no-untyped-def]
    """A character's type size: the height of its loose box (font ascent to descent), which
    also holds where a PDF sets every font at size 1 and scales it by the text matrix."""
    import pypdfium2 as pdfium

    try:
        _, bottom, _, top = tp.get_charbox(i, loose=True)
    except pdfium.PdfiumError:
        return 0.0
    return round(float(top - bottom), 2)


def _page_lines(doc, index: int) -> list[PdfLine]:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as raw

    page = doc[index]
    width, height = page.get_size()
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        if n <= 0:
            return []
        text = tp.get_text_range(0, n)
        out: list[PdfLine] = []
        pos = 0
        for part in re.split(r"(\r\n|\n|\r)", text):
            if part in ("\r\n", "\n", "\r"):
                pos += len(part)
                continue
            start, end = pos, pos + len(part)
            pos = end
            stripped = part.strip()
            if not stripped:
                continue
            i0 = start + (len(part) - len(part.lstrip()))
            i1 = start + len(part.rstrip()) - 1
            if i1 >= n or i0 >= n:
                continue
            mid = (i0 + i1) // 2
            letters = [k for k in range(i0, i1 + 1) if part[k - start].isalpha()]
            probes = (
                [letters[0], letters[len(letters) // 2], letters[-1]] if letters else [i0, mid, i1]
            )
            size = statistics.median(_size(tp, k) for k in probes)
            bold = raw.FPDFText_GetFontWeight(tp.raw, mid) >= 600
            l0, b0, r0, t0 = tp.get_charbox(i0)
            l1, b1, r1, t1 = tp.get_charbox(i1)
            line_text = part
            # superscript note references glued to words: smaller type than the line
            cuts = []
            for m in _SUPERSCRIPT_REF.finditer(part):
                # the small digits at the end of the run ("”48" + superscript "10")
                a = m.end()
                while a > m.start() and _size(tp, start + a - 1) < 0.8 * size:
                    a -= 1
                if a < m.end():
                    cuts.append((a, m.end()))
            for a, b in reversed(cuts):
                line_text = line_text[:a] + line_text[b:]
            origin_y = min(b0, b1)
            out.append(
                PdfLine(
                    page=index + 1,
                    text=" ".join(line_text.replace("\ufffe", "-").split()),
                    x0=min(l0, l1),
                    x1=max(r0, r1),
                    top=height - max(t0, t1),
                    base=height - origin_y,
                    size=float(size),
                    bold=bool(bold),
                    page_height=float(height),
                )
            )
        del width
        return out
    finally:
        tp.close()
        page.close()


def _mark_furniture(pages: list[list[PdfLine]]) -> None:
    real = [p for p in pages if p]
    if not real:
        return
    # lines at a page's edges: the first two and last two, and any in the margins
    edge: list[PdfLine] = []
    for lines in real:
        for k, ln in enumerate(lines):
            in_zone = ln.base < ln.page_height * ZONE or ln.top > ln.page_height * (1 - ZONE)
            if k < 2 or k >= len(lines) - 2 or in_zone:
                edge.append(ln)
    counts = Counter(_furniture_key(ln.text) for ln in edge)
    pages_with: dict[str, set[int]] = {}
    for ln in edge:
        pages_with.setdefault(_furniture_key(ln.text), set()).add(ln.page)
    need = 3 if len(real) >= 6 else max(2, (len(real) + 1) // 2)
    for ln in edge:
        in_zone = ln.base < ln.page_height * ZONE or ln.top > ln.page_height * (1 - ZONE)
        key = _furniture_key(ln.text)
        if _PAGE_NUMBER.match(ln.text.strip()):
            ln.drop = f"page {ln.page}: page number"
        elif len(pages_with[key]) >= need and counts[key] >= need and len(ln.text) <= 150:
            where = "running title" if ln.top < ln.page_height / 2 else "page footer"
            ln.drop = f"page {ln.page}: {where} (on {len(pages_with[key])} pages)"
        elif (
            in_zone
            and len(ln.text) <= 120
            and _PAGE_NUMBER.search(ln.text.split()[-1])
            and (len(pages_with[key]) >= 2)
        ):
            ln.drop = f"page {ln.page}: page footer"


def _mark_footnotes(pages: list[list[PdfLine]], body: float) -> None:
    for lines in pages:
        for ln in lines:  # a superscript note number that landed on a line of its own
            if ln.drop is None and re.fullmatch(r"\d{1,3}", ln.text) and ln.size < body * 0.8:
                ln.drop = f"page {ln.page}: footnote reference"
        kept = [ln for ln in lines if ln.drop is None]
        if not kept:
            continue
        # the run of small-type lines at the bottom of the page (lowest first)
        by_base = sorted(kept, key=lambda ln: ln.base)
        run: list[PdfLine] = []
        for ln in reversed(by_base):
            if ln.size <= body * 0.87 and ln.base > ln.page_height * 0.35:
                run.append(ln)
            else:
                break
        if not run:
            continue
        run.reverse()  # top first
        # the run starts at its first line that opens on a note mark
        starts = [k for k, ln in enumerate(run) if _NOTE_START.match(ln.text)]
        if not starts:
            continue
        for ln in run[starts[0] :]:
            ln.drop = f"page {ln.page}: footnote"


def _body_size(pages: list[list[PdfLine]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            sizes[round(ln.size, 1)] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def read_pdf(path: Path) -> Extracted:
    """The text layer of a PDF as lines of report text; furniture removed and listed."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise QuizError(f"not a readable PDF ({exc})", 1, where=path) from None
    try:
        pages = [_page_lines(doc, i) for i in range(len(doc))]
        try:
            meta_title = doc.get_metadata_dict().get("Title")
        except pdfium.PdfiumError:
            meta_title = None
    finally:
        doc.close()
    n_pages = len(pages)
    if not any(ln.text for lines in pages for ln in lines):
        raise QuizError(
            f"the PDF has no text layer ({n_pages} pages of images, a scan?): "
            "run OCR on it first, or give the text",
            1,
            where=path,
        )
    body = _body_size(pages)
    _mark_furniture(pages)
    _mark_footnotes(pages, body)
    out = _assemble(pages, body)
    if not out.text.strip():
        raise QuizError(
            "the PDF has no text layer beyond page headers, footers and notes "
            "(a scan?): run OCR on it first, or give the text",
            1,
            where=path,
        )
    out.title = title_or_none(meta_title)
    return out


def _assemble(pages: list[list[PdfLine]], body: float) -> Extracted:
    gaps = [
        b.base - a.base
        for lines in pages
        for a, b in itertools.pairwise(lines)
        if a.drop is None
        and b.drop is None
        and abs(a.size - b.size) < 0.08 * a.size
        and b.base - a.base > 0
    ]
    leading = statistics.median(gaps) if gaps else body * 1.2
    lefts = [
        round(ln.x0)
        for lines in pages
        for ln in lines
        if ln.drop is None and abs(ln.size - body) <= 0.08 * body
    ]
    left = Counter(lefts).most_common(1)[0][0] if lefts else 0
    rights = sorted(
        ln.x1
        for lines in pages
        for ln in lines
        if ln.drop is None and abs(ln.size - body) <= 0.08 * body
    )
    right = rights[int(len(rights) * 0.9)] if rights else 0

    out: list[str] = []
    headings: set[int] = set()
    removed: list[tuple[int, str, str]] = []
    prev: PdfLine | None = None
    last_heading = False
    empty_pages = [i + 1 for i, lines in enumerate(pages) if not lines]
    for lines in pages:
        first_on_page = True
        for ln in lines:
            if ln.drop is not None:
                removed.append((len(out) + 1, ln.drop, ln.text))
                continue
            if not ln.text:
                continue
            if (
                prev is not None
                and re.fullmatch(r"\d{1,3}", ln.text)
                and prev.text.endswith(_TERMINAL)
            ):
                out[-1] += " " + ln.text  # a note number wrapped onto a line of its own
                continue
            heading = _is_heading(ln, body)
            prev_heading = prev is not None and (_is_heading(prev, body) or last_heading)
            if (
                prev_heading
                and not heading
                and len(ln.text.split()) <= 10
                and not ln.text.endswith((".", ",", ";"))
                and (ln.size >= body * 1.12 or ln.bold)
            ):
                heading = True  # a heading's second line may start in lower case
            brk = prev is None or heading or prev_heading
            if (
                heading
                and prev_heading
                and not first_on_page
                and prev is not None
                and abs(ln.size - prev.size) <= 0.08 * prev.size
                and ln.bold == prev.bold
                and 0 < ln.base - prev.base <= 1.6 * max(ln.size, prev.size)
            ):
                brk = False  # the second line of a heading set on two lines
                cont = True
            else:
                cont = False
            if prev is not None and not brk and not cont:
                if first_on_page:
                    short = prev.x1 < right - 4 * body
                    indented = ln.x0 > left + 1.2 * body
                    brk = prev.text.endswith(_TERMINAL) and (short or indented)
                else:
                    gap = ln.base - prev.base
                    brk = (
                        gap > leading * 1.35
                        or abs(ln.size - prev.size) > 0.08 * max(ln.size, prev.size)
                        or (ln.x0 > left + 1.2 * body and prev.text.endswith(_TERMINAL))
                        or (prev.text.endswith(_TERMINAL) and prev.x1 < right - 6 * body)
                    )
            if brk and out:
                out.append("")
            text = ln.text
            if first_on_page:
                text = "\f" + text
                first_on_page = False
            out.append(text)
            if heading:
                headings.add(len(out))
            last_heading = heading
            prev = ln
    for p in empty_pages:
        removed.append((1, f"page {p}: no text layer (an image?)", ""))
    return Extracted("\n".join(out) + "\n", headings, removed, kind="pdf")


_DATE = re.compile(
    r"^(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(?:\d{1,2},\s+)?\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})$"
)


def _is_heading(ln: PdfLine, body: float) -> bool:
    words = ln.text.split()
    if not words or len(words) > 14 or ln.text.endswith((".", ",", ";")):
        return False
    if not re.search(r"[A-Za-z]{3,}", ln.text) or _DATE.match(ln.text):
        return False  # a chart's axis label, a number, a date
    if not (ln.text[:1].isupper() or ln.text[:1].isdigit()):
        return False
    return ln.size >= body * 1.12 or (ln.bold and ln.size >= body * 0.98 and len(words) <= 10)
