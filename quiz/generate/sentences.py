"""Split cleaned paragraphs into sentences (pysbd, with fixes for its known misses)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quiz.generate.clean import CleanedText, is_word


@dataclass(frozen=True)
class Sentence:
    """One sentence of the cleaned text: ``cleaned.text[start:end]``."""

    text: str
    start: int
    end: int
    block: int  # index of its paragraph in CleanedText.blocks
    index: int  # position within its paragraph, 0-based
    para_sentences: int  # how many sentences its paragraph has
    section: str
    section_rank: int  # 0 for the first paragraph of a section, 1 for the next ...
    line: int  # original line of its first character
    quoted: bool  # the whole sentence lies inside a quotation
    noisy: bool  # extraction damage: junk tokens, unknown lowercase words


_ABBREV_END = re.compile(
    r"(?:\b(?:approx|e\.g|i\.e|cf|vs|Mr|Mrs|Ms|Dr|Prof|St|No|Nos|Gen|Sen|Rep|Gov|Lt|Col|Capt|"
    r"Fed|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Fig|Vol|pp|p|R|P)\."
    r"|\b[A-Z]\.)$"
)
_QUOTE_SPLIT = re.compile(r"(?<=[.!?][”\"’])\s+(?=[“\"‘]?[A-Z])")
_OPEN_QUOTES = '“"'
_JUNK_TOKEN = re.compile(
    r"\b[a-z]+[A-Z]{2}|[~|\\¥•{}]|[a-z][0-9][a-z]|[a-z]{2}[0-9]+[a-z]|[A-Za-z]*[il1]{6,}"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    # pysbd uses more regular expressions than the ``re`` module caches (512), so it
    # recompiles them for every paragraph; a larger cache makes splitting ~3x faster.
    if getattr(re, "_MAXCACHE", 4096) < 4096:
        re._MAXCACHE = 4096  # type: ignore[attr-defined]

    return pysbd.Segmenter(language="en", clean=False)


_CHUNK = 3000
_SAFE_BREAK = re.compile(r"(?<=[a-z0-9][.!?])[”\"’)]?\s+(?=[“\"]?[A-Z])")


def _chunks(text: str) -> list[tuple[int, int]]:
    """A very long paragraph cut at plain sentence ends into pieces pysbd handles quickly
    (its run time grows faster than the length of its input)."""
    if len(text) <= _CHUNK:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SAFE_BREAK.finditer(text):
        if m.start() - start >= _CHUNK and not _ABBREV_END.search(text[start : m.start()]):
            out.append((start, m.start()))
            start = m.end()
    out.append((start, len(text)))
    return out


def _split_paragraph(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of one paragraph."""
    spans: list[tuple[int, int]] = []
    for chunk_start, chunk_end in _chunks(text):
        chunk = text[chunk_start:chunk_end]
        cursor = 0
        for seg in _segmenter().segment(chunk):
            piece = seg.strip()
            if not piece:
                continue
            at = chunk.find(piece, cursor)
            if at < 0:
                continue
            spans.append((chunk_start + at, chunk_start + at + len(piece)))
            cursor = at + len(piece)
    # pysbd misses boundaries after closing quotes
    fixed: list[tuple[int, int]] = []
    for s, e in spans:
        pos = s
        for m in _QUOTE_SPLIT.finditer(text, s, e):
            fixed.append((pos, m.start()))
            pos = m.end()
        fixed.append((pos, e))
    # ... and splits after abbreviations such as "approx."
    merged: list[tuple[int, int]] = []
    for s, e in fixed:
        if (
            merged
            and _ABBREV_END.search(text[merged[-1][0] : merged[-1][1]])
            and text[s:e][:1].islower()
        ):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def is_noisy(text: str) -> bool:
    """Whether a sentence shows extraction damage (redactions, OCR junk, cut words)."""
    if _JUNK_TOKEN.search(text):
        return True
    if text[:1].islower():
        return True  # a fragment: the start of the sentence was lost
    rare_short = [
        w for w in _WORD.findall(text) if w.islower() and 2 <= len(w) <= 5 and not is_word(w, 2.5)
    ]
    if len(rare_short) >= 2:
        return True  # words cut by redactions ("Con ress", "ro ect")
    for w in _WORD.findall(text):
        if w[0].isupper() or len(w) < 2:
            continue
        core = w.replace("’", "'").split("'")[0]
        if len(core) >= 2 and not _known(core.lower()):
            return True
    return False


def _known(word: str) -> bool:
    if is_word(word, 1.0):
        return True
    for suffix in ("s", "es", "ed", "d", "ing", "ly", "er"):
        if (
            word.endswith(suffix)
            and len(word) - len(suffix) >= 3
            and is_word(word[: -len(suffix)], 1.0)
        ):
            return True
    return False


def _quote_depth_map(text: str) -> list[bool]:
    """For each character of a paragraph, whether it lies inside double quotes."""
    inside = False
    out = []
    for ch in text:
        if ch == "“":
            inside = True
        elif ch == "”":
            out.append(True)
            inside = False
            continue
        elif ch == '"':
            inside = not inside
            out.append(True)
            continue
        out.append(inside)
    return out


def split_sentences(cleaned: CleanedText) -> list[Sentence]:
    """Every sentence of every paragraph, in document order."""
    out: list[Sentence] = []
    section_rank: dict[str, int] = {}
    for block in cleaned.blocks:
        if block.kind != "paragraph":
            continue
        text = cleaned.text[block.start : block.end]
        rank = section_rank.get(block.section, 0)
        section_rank[block.section] = rank + 1
        spans = _split_paragraph(text)
        inside = _quote_depth_map(text)
        for i, (s, e) in enumerate(spans):
            sent = text[s:e]
            quoted = (bool(sent) and sent[0] in _OPEN_QUOTES + "‘" and all(inside[s:e])) or (
                s > 0 and all(inside[s:e])
            )
            out.append(
                Sentence(
                    text=sent,
                    start=block.start + s,
                    end=block.start + e,
                    block=block.index,
                    index=i,
                    para_sentences=len(spans),
                    section=block.section,
                    section_rank=rank,
                    line=cleaned.line_at(block.start + s),
                    quoted=quoted,
                    noisy=is_noisy(sent),
                )
            )
    return out
