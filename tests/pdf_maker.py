"""Small PDFs made at test time (reportlab): a report's paragraphs laid out on pages with a
running title, page numbers and footnotes, so the PDF reader can be checked against the text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

BODY_FONT, BODY_SIZE, LEADING = "Helvetica", 11, 14
HEAD_FONT, HEAD_SIZE = "Helvetica-Bold", 13
NOTE_SIZE = 8


@dataclass
class Block:
    text: str
    heading: bool = False
    footnote: str | None = None  # a footnote attached to the end of this paragraph


@dataclass
class Layout:
    running_title: str | None = "A Report on Things | Research Paper"
    footer: str = "Page {n}"  # "" for none
    width: float = letter[0]
    height: float = letter[1]
    margin: float = 72
    indent: float = 18  # first-line indent of a paragraph
    blocks: list[Block] = field(default_factory=list)
    document_title: str | None = None  # the PDF's metadata Title


def blocks_from_text(text: str) -> list[Block]:
    """Paragraphs separated by blank lines; a short first line without a final period (or an
    ALL-CAPS one) is a heading of its own."""
    out = []
    for para in text.split("\n\n"):
        lines = [ln.strip() for ln in para.strip().split("\n") if ln.strip()]
        if not lines:
            continue
        first = lines[0]
        if len(lines) > 1 and first.isupper() and lines[1][:1].isupper():
            out.append(Block(first, heading=True))
            lines = lines[1:]
        joined = ""
        for ln in lines:
            if joined.endswith("-") and not joined.endswith(" -"):
                joined += ln
            else:
                joined += (" " if joined else "") + ln
        heading = joined.isupper() and len(joined.split()) <= 10
        out.append(Block(joined, heading=heading))
    return out


def make_pdf(path: Path, layout: Layout, *, text_layer: bool = True) -> Path:
    c = canvas.Canvas(str(path), pagesize=(layout.width, layout.height), invariant=1)
    if layout.document_title is not None:
        c.setTitle(layout.document_title)
    usable = layout.width - 2 * layout.margin
    page = 1
    y = layout.height - layout.margin
    notes: list[str] = []
    note_no = 0

    def furniture() -> None:
        if not text_layer:
            return
        if layout.running_title:
            c.setFont("Helvetica-Oblique", 9)
            c.drawString(layout.margin, layout.height - 40, layout.running_title)
        if layout.footer:
            c.setFont(BODY_FONT, 9)
            c.drawCentredString(layout.width / 2, 30, layout.footer.format(n=page))

    def notes_height() -> float:
        return sum(len(simpleSplit(n, BODY_FONT, NOTE_SIZE, usable)) for n in notes) * 10 + (
            12 if notes else 0
        )

    def end_page() -> None:
        nonlocal page, y, notes
        if notes and text_layer:
            ny = layout.margin - 10 + notes_height() - 12
            for n in notes:
                for ln in simpleSplit(n, BODY_FONT, NOTE_SIZE, usable):
                    c.setFont(BODY_FONT, NOTE_SIZE)
                    c.drawString(layout.margin, ny, ln)
                    ny -= 10
        furniture()
        c.showPage()
        page += 1
        y = layout.height - layout.margin
        notes = []

    for block in layout.blocks:
        font, size = (HEAD_FONT, HEAD_SIZE) if block.heading else (BODY_FONT, BODY_SIZE)
        text = block.text
        if block.footnote:
            note_no += 1
        indent = 0 if block.heading else layout.indent
        lines = simpleSplit(text, font, size, usable - 10 - indent)
        if indent and len(lines) > 1:  # the first line is indented, the rest use the full width
            words = text.split()
            n_first = len(lines[0].split())
            lines = [
                " ".join(words[:n_first]),
                *simpleSplit(" ".join(words[n_first:]), font, size, usable - 10),
            ]
        for i, ln in enumerate(lines):
            extra = 0 if not block.footnote else 4 * 10
            if y - LEADING < layout.margin + notes_height() + extra:
                end_page()
            if text_layer:
                x = layout.margin + (indent if i == 0 else 0)
                c.setFont(font, size)
                c.drawString(x, y, ln)
                if block.footnote and i == len(lines) - 1:
                    c.setFont(BODY_FONT, 6)
                    c.drawString(x + c.stringWidth(ln, font, size) + 0.5, y + 4, str(note_no))
            else:
                c.rect(layout.margin, y, c.stringWidth(ln, font, size), 8, fill=1)
            y -= LEADING
        if block.footnote:
            notes.append(f"{note_no} {block.footnote}")
        y -= LEADING * (0.6 if not block.heading else 0.2)
    end_page()
    c.save()
    return path
