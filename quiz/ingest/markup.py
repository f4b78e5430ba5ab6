"""Markdown and HTML reports as plain report text.

Markdown (markdown-it-py, already a dependency of Textual): the output keeps the input's
line numbers (line N of the output is what is left of line N of the file), ``#`` headings
are known headings, and tables, images, code, HTML blocks, link targets, footnote marks
and LaTeX are removed (and listed).

HTML (selectolax, the Lexbor parser): the main content only (``<main>``, ``<article>`` or
the body without navigation, headers, footers, asides, scripts, forms and tables), one
block (heading, paragraph, list item) a paragraph.
"""

from __future__ import annotations

import re

from quiz.ingest.pdf import Extracted, title_or_none

_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]*?(?:\\[a-zA-Z]+|[\^_{}])[^$\n]*?\$|\\\(.+?\\\)", re.S)
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]]+\]|\$\s*\^\s*\{?\s*[\d,*†‡]{1,8}\s*\}?\s*\$")
_IMAGE_TEXT = re.compile(r"<!--.*?-->|\[(?:image|figure|picture|img)[^\]]*\]", re.I | re.S)
_INLINE_TAG = re.compile(r"<[^<>\n]{1,200}>")
_SUP = re.compile(r"<sup>.*?</sup>", re.I | re.S)


def read_markdown(text: str) -> Extracted:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    src_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = [""] * len(src_lines)
    headings: set[int] = set()
    removed: list[tuple[int, str, str]] = []
    tokens = md.parse(text)
    skip_until: str | None = None
    in_list = 0
    for k, tok in enumerate(tokens):
        if skip_until is not None:
            if tok.type == skip_until:
                skip_until = None
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif tok.type == "table_open":
            skip_until = "table_close"
            _note(removed, src_lines, tok.map, "table")
        elif tok.type in ("fence", "code_block"):
            _note(removed, src_lines, tok.map, "code block")
        elif tok.type == "html_block":
            _html_block(tok, src_lines, out, removed)
        elif tok.type == "heading_open" and tok.map:
            inline = tokens[k + 1]
            rendered = _inline(inline, removed, tok.map[0])
            title = " ".join(rendered.split())
            if title:
                out[tok.map[0]] = title
                headings.add(tok.map[0] + 1)
            skip_until = "heading_close"
        elif tok.type == "paragraph_open" and tok.map:
            inline = tokens[k + 1]
            a, b = tok.map
            why = _navigation(inline)
            if why:
                _note(removed, src_lines, tok.map, why)
                skip_until = "paragraph_close"
                continue
            pieces = _inline(inline, removed, tok.map[0]).split("\n")
            span = max(1, b - a)
            if len(pieces) > span:
                pieces = [*pieces[: span - 1], " ".join(pieces[span - 1 :])]
            for i, piece in enumerate(pieces):
                piece = " ".join(piece.split())
                if in_list and i == 0 and piece:
                    piece = "- " + piece
                out[a + i] = piece
            skip_until = "paragraph_close"
    first_h1 = next(
        (
            " ".join(_inline(tokens[k + 1], [], 0).split())
            for k, tok in enumerate(tokens)
            if tok.type == "heading_open" and tok.tag == "h1"
        ),
        None,
    )
    return Extracted(
        "\n".join(out), headings, removed, kind="markdown", title=title_or_none(first_h1)
    )


_METADATA = re.compile(r"^\s*[A-Z][\w ()/&'’-]{0,40}:\s*\S")


def _navigation(inline) -> str | None:  # type: ignore[no-untyped-def]
    """Why a paragraph is page furniture rather than report text: only links (navigation,
    'Download PDF', 'Share'), or a block of 'Field: value' metadata lines in bold."""
    children = inline.children or []
    depth = 0
    outside = ""
    n_links = 0
    for child in children:
        if child.type == "link_open":
            depth += 1
            n_links += 1
        elif child.type == "link_close":
            depth -= 1
        elif depth == 0 and child.type in ("text", "code_inline"):
            outside += child.content
    if n_links and not re.search(r"[A-Za-z]{3,}", re.sub(r"\((?:[^()]*)\)", "", outside)):
        return "links only (navigation)"
    lines = inline.content.split("\n")
    if lines and all(re.match(r"^\*\*[^*]{1,40}(?::\s*\*\*|\*\*\s*:)", ln) for ln in lines):
        return "metadata"
    return None


def _note(
    removed: list[tuple[int, str, str]], src: list[str], span: list[int] | None, reason: str
) -> None:
    if not span:
        return
    a, b = span
    first = next((src[i].strip() for i in range(a, min(b, len(src))) if src[i].strip()), "")
    removed.append((a + 1, f"{reason} (lines {a + 1}-{b})" if b - a > 1 else reason, first))


def _html_block(tok, src: list[str], out: list[str], removed) -> None:  # type: ignore[no-untyped-def]
    """An HTML block: a table, a comment or an image is removed; other blocks keep their text."""
    content = tok.content
    if not tok.map:
        return
    low = content.lower()
    if "<table" in low or "<td" in low or "<tr" in low or "</t" in low:
        _note(removed, src, tok.map, "HTML table")
        return
    if low.lstrip().startswith("<!--") or "<img" in low or "<figure" in low or "<svg" in low:
        _note(removed, src, tok.map, "HTML image or comment")
        return
    a, b = tok.map
    kept = False
    for i in range(a, min(b, len(src))):
        line = _SUP.sub("", src[i])
        line = " ".join(_INLINE_TAG.sub(" ", line).split())
        line = _entities(line)
        if line:
            out[i] = line
            kept = True
    if not kept:
        _note(removed, src, tok.map, "HTML markup")


def _entities(text: str) -> str:
    import html

    return html.unescape(text)


def _inline(inline, removed: list[tuple[int, str, str]], line0: int) -> str:  # type: ignore[no-untyped-def]
    parts: list[str] = []
    skip_sup = 0
    for child in inline.children or []:
        t = child.type
        if t == "html_inline":
            low = child.content.lower()
            if low.startswith("<sup"):
                skip_sup += 1
            elif low.startswith("</sup"):
                skip_sup = max(0, skip_sup - 1)
            elif low.startswith("<br"):
                parts.append(" ")
            continue
        if skip_sup:
            continue
        if t == "text" or t == "code_inline":
            parts.append(child.content)
        elif t in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif t == "image":
            removed.append((line0 + 1, "image", child.attrs.get("src", "") if child.attrs else ""))
    text = "".join(parts)
    for pat, reason in (
        (_FOOTNOTE_MARK, "footnote mark"),
        (_MATH, "LaTeX"),
        (_IMAGE_TEXT, "image placeholder"),
    ):
        for m in pat.finditer(text):
            removed.append((line0 + 1, reason, m.group(0)[:80]))
        # a formula cannot be read as words: it stays as a mark, and a card on its
        # sentence is dropped as debris
        text = pat.sub({"LaTeX": " [formula] ", "footnote mark": ""}.get(reason, " "), text)
    return text


# --------------------------------------------------------------------------- HTML

_SKIP = {
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg",
    "iframe", "button", "template", "select", "input", "figure", "img", "picture", "video",
    "audio", "canvas", "head", "menu", "dialog",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    "p", "li", "dd", "dt", "blockquote", "div", "section", "article", "main", "ul", "ol",
    "dl", "table", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "nav",
    "aside", "figure", "form", "body", "tr", "td", "th", "center",
}  # fmt: skip
_BOILERPLATE = re.compile(
    r"\b(?:nav|menu|breadcrumb|sidebar|footer|header|cookie|share|social|banner|skip)\b", re.I
)


def _layout_table(table) -> bool:  # type: ignore[no-untyped-def]
    """A table used for page layout: one of its cells holds a paragraph (40+ words) or
    block elements, rather than figures."""
    for cell in table.css("td, th"):
        if cell.css_first("p, h1, h2, h3, h4, h5, h6, ul, ol, div") is not None:
            return True
        if len((cell.text(deep=True, separator=" ") or "").split()) >= 40:
            return True
    return False


def _inside_data_table(node) -> bool:  # type: ignore[no-untyped-def]
    parent = node.parent
    while parent is not None:
        if parent.tag == "table":
            return not _layout_table(parent)
        parent = parent.parent
    return True


def read_html(text: str) -> Extracted:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(text)
    removed: list[tuple[int, str, str]] = []
    root = (
        tree.css_first("main")
        or tree.css_first("article")
        or tree.css_first("[role=main]")
        or tree.body
        or tree.root
    )
    if root is None:
        return Extracted("", set(), removed, kind="html")
    for node in root.css("sup"):
        if re.fullmatch(r"\s*\[?\d{1,3}\]?\s*", node.text() or ""):
            node.decompose()
    out: list[str] = []
    headings: set[int] = set()
    counts: dict[str, int] = {}

    def emit(kind: str, s: str) -> None:
        s = " ".join(s.split())
        if not s:
            return
        if out:
            out.append("")
        out.append(("- " + s) if kind == "li" else s)
        if kind == "heading":
            headings.add(len(out))

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        tag = node.tag
        if tag == "table" and _layout_table(node):
            for child in node.iter(include_text=False):
                walk(child)  # a page laid out in a table: its cells hold the report
            return
        if tag in ("tbody", "thead", "tr", "td", "th") and not _inside_data_table(node):
            if tag in ("td", "th") and not any(
                c.tag in _BLOCKS for c in node.iter(include_text=False)
            ):
                emit("p", node.text(deep=True, separator=""))
                return
            for child in node.iter(include_text=True):
                if child.tag == "-text":
                    s = child.text(deep=False)
                    if s and s.strip():
                        emit("p", s)
                else:
                    walk(child)
            return
        if tag in _SKIP or tag == "table":
            if tag not in ("script", "style", "head", "noscript"):
                counts[tag] = counts.get(tag, 0) + 1
            return
        attrs = node.attributes or {}
        marker = " ".join(str(attrs.get(a) or "") for a in ("class", "id", "role"))
        if tag in ("div", "section", "ul") and _BOILERPLATE.search(marker):
            counts["navigation"] = counts.get("navigation", 0) + 1
            return
        if tag in _HEADINGS:
            emit("heading", node.text(deep=True, separator=""))
            return
        has_block = any(child.tag in _BLOCKS for child in node.iter(include_text=False))
        if (
            tag
            in (
                "p",
                "li",
                "dd",
                "dt",
                "blockquote",
                "div",
                "td",
                "center",
                "section",
                "article",
                "main",
                "body",
            )
            and not has_block
        ):
            emit("li" if tag == "li" else "p", node.text(deep=True, separator=""))
            return
        if tag == "li":
            # the item's own text, then its nested blocks
            own = "".join(
                (c.text(deep=True, separator="") if c.tag not in _BLOCKS else "")
                for c in node.iter(include_text=True)
            )
            emit("li", own)
            for child in node.iter(include_text=False):
                if child.tag in _BLOCKS:
                    walk(child)
            return
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                s = child.text(deep=False)
                if s and s.strip():
                    emit("p", s)
            else:
                walk(child)

    walk(root)
    for tag, n in sorted(counts.items()):
        removed.append((1, f"HTML {tag} left out ({n})", ""))
    named = tree.css_first("title")
    h1 = root.css_first("h1")
    title = title_or_none(named.text() if named is not None else None) or title_or_none(
        h1.text() if h1 is not None else None
    )
    return Extracted("\n".join(out) + "\n", headings, removed, kind="html", title=title)
