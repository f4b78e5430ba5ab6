"""A report file as text, whatever its format: PDF (text layer), Markdown, HTML or plain
text. ``quiz generate`` and ``quiz check`` (source quotes) read reports through here, so
both see the same words."""

from __future__ import annotations

from pathlib import Path

from quiz.errors import QuizError
from quiz.ingest.pdf import Extracted
from quiz.textfile import decode_report

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def kind_of(path: Path, data: bytes) -> str:
    """'pdf', 'markdown', 'html' or 'text', from the file's first bytes, then its name."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    low = head[:200].lower()
    if suffix in HTML_SUFFIXES or low.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_document(path: Path) -> Extracted:
    """The report at ``path`` as text lines; raises QuizError (one line) when it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise QuizError("no such file", 2, where=path) from None
    except IsADirectoryError:
        raise QuizError("is a folder, not a text file", 2, where=path) from None
    except OSError as exc:
        raise QuizError(f"cannot read: {exc.strerror or exc}", 2, where=path) from None
    return document_from_bytes(path, data)


def document_from_bytes(path: Path, data: bytes) -> Extracted:
    kind = kind_of(path, data)
    try:
        return _read(path, data, kind)
    except QuizError:
        raise
    except Exception as exc:  # a reader's bug or a malformed file: one line, never a traceback
        first = (str(exc).splitlines() or [""])[0][:200]
        raise QuizError(
            f"cannot read this {kind} file ({type(exc).__name__}: {first})", 1, where=path
        ) from exc


def _read(path: Path, data: bytes, kind: str) -> Extracted:
    if kind == "pdf":
        from quiz.ingest.pdf import read_pdf

        return read_pdf(path)
    if b"\x00" in data[:4096]:
        raise QuizError(
            "not a text file (binary data); quiz generate reads .txt, .md, .html and .pdf",
            1,
            where=path,
        )
    text = decode_report(data)
    if kind == "markdown":
        from quiz.ingest.markup import read_markdown

        return read_markdown(text)
    if kind == "html":
        from quiz.ingest.markup import read_html

        return read_html(text)
    return Extracted(text, kind="text")


def report_document(path: Path) -> Extracted:
    """The report a deck was generated from, read as ``quiz generate`` read it (a file that
    its reader refuses is read as plain text)."""
    data = path.read_bytes()
    try:
        return document_from_bytes(path, data)
    except QuizError:
        return Extracted(decode_report(data))


def report_text(path: Path) -> str:
    """The text a deck's source quotes are taken from (``quiz check`` matches against it)."""
    return report_document(path).text
