"""Quote cards: "Who said ...?" for a quotation with a named speaker."""

from __future__ import annotations

import re
from typing import Any

from quiz.generate.answers import person_forms
from quiz.generate.candidates import DEMONYMS, ORG_WORDS, TITLES, entity_type, is_country
from quiz.generate.clean import word_zipf
from quiz.generate.draft import Context, Draft, norm_sentence, stable_hash
from quiz.generate.phrasing import WS as _WS
from quiz.generate.phrasing import balanced, body, lower_first
from quiz.generate.sentences import Sentence
from quiz.generate.templates.choices import _alias

_SAY = (r"(?:said|says|warned|stressed|argued|noted|observed|declared|stated|wrote|claimed|"
        r"revealed|clarified|elaborated(?: further)?|put it|added|insisted|explained|"
        r"has said|has called|told [^,“\"]{2,40}|remarked|concluded)")  # fmt: skip
_SPEAKER = (
    r"(?P<speaker>(?:[A-Z][\w.’'-]*|of|the|and|for)(?:\s+(?:[A-Z][\w.’'-]*|of|the|and|for)){0,8})"
)
_QUOTE_INLINE = re.compile(
    rf"{_SPEAKER}\s+{_SAY}(?P<bridge>(?:\s+that)?[^“\"]{{0,60}}?)[,:]?\s*[“\"](?P<q>[^”\"]{{15,}})[”\"]"
)
_QUOTE_AS = re.compile(
    rf"^As\s+(?:the\s+)?{_SPEAKER}\s+{_SAY}[,:]?\s*[“\"](?P<q>[^”\"]{{15,}})[”\"]"
)
_ACCORDING = re.compile(rf"^According to (?:the\s+)?{_SPEAKER},\s+(?P<q>.{{15,}})$")
_INTRO_COLON = re.compile(rf"(?:^|\s)(?:the\s+)?{_SPEAKER}\s+{_SAY}(?:\s+that)?(?:[^:]{{0,80}})?:$")
_ACCORDING_COLON = re.compile(rf"^(?:According to|As)\s+(?:the\s+)?{_SPEAKER}(?:\s+{_SAY})?:$")


_ROLE_COLON = re.compile(
    r"(?:^|,\s+|\bAccording to\s+)(?P<speaker>(?:a|an|one)\s+(?:[\w-]+\s+){0,3}"
    r"(?:official|expert|diplomat|analyst|scholar|observer|officer|spokesman|spokeswoman|"
    r"adviser|advisor|minister|general|commander))(?:\s+\w+){0,2}:$"
)


def _speaker_name(raw: str) -> tuple[str, list[str]] | None:
    """The speaker's name and accepted alternatives; None when too vague to ask."""
    tokens = raw.split()
    if tokens and tokens[0] in ("a", "an", "one") and any(t[:1].isupper() for t in tokens):
        # an unnamed source described by role: "a senior Chinese official"
        return raw.strip(), [" ".join(tokens[1:])]
    while tokens and tokens[0] in ("As", "as", "According", "to", "the", "The"):
        tokens.pop(0)
    # a role rather than a name: "the President of the Russian Academy of Sciences"
    if len(tokens) >= 3 and tokens[0] in TITLES and tokens[1] == "of":
        role = " ".join(tokens)
        return "the " + role, [role]
    while tokens and (
        tokens[0] in ("the", "The", "and", "of") or tokens[0] in TITLES or tokens[0] in DEMONYMS
    ):
        tokens.pop(0)
    while tokens and tokens[-1] in ("the", "of", "and", "for"):
        tokens.pop()
    if not tokens or not tokens[0][:1].isupper():
        return None
    if "of" in tokens[1:]:
        cut = tokens.index("of")
        head = tokens[:cut]
        if (
            len(head) >= 2
            and all(t[:1].isupper() for t in head)
            and not any(t in ORG_WORDS for t in head)
        ):
            tokens = head
    name = " ".join(tokens)
    if is_country(name) or len(name) < 3:
        return None
    if len(tokens) == 1 and word_zipf(name.lower()) >= 4.0:
        return None
    accept = []
    if raw.strip() != name:
        accept.append(raw.strip())
    if (
        len(tokens) >= 2
        and all(t[:1].isupper() for t in tokens)
        and not any(t in ORG_WORDS for t in tokens)
        and entity_type(" ".join(tokens), []) == "person"
    ):
        accept += person_forms(" ".join(tokens))
    return name, accept


_PUBLICATION = frozenset(
    [
        "Times",
        "Post",
        "Journal",
        "News",
        "Herald",
        "Gazette",
        "Tribune",
        "Economist",
        "Magazine",
        "Daily",
        "Weekly",
        "Press",
        "Telegraph",
        "Guardian",
        "Observer",
        "Independent",
        "Reuters",
        "Bloomberg",
        "Interfax",
        "Xinhua",
        "TASS",
        "Izvestia",
        "Kommersant",
        "Pravda",
    ]
)
_DOCUMENT = frozenset(
    [
        "Strategy",
        "Report",
        "Study",
        "Survey",
        "Statement",
        "Declaration",
        "Communique",
        "Doctrine",
        "Concept",
        "Review",
        "Treaty",
        "Act",
        "Law",
        "Resolution",
        "Plan",
        "Memorandum",
        "Letter",
    ]
)


def _speaker_kind(name: str) -> str | None:
    """ "document" for a document quoted ("Which document warned ...?"), "person" for someone
    worth asking "who said", None for a newspaper or an organisation: who-said for the
    Financial Times is trivia, not a point of the report."""
    tokens = name.split()
    if not tokens:
        return None
    if tokens[-1] in _DOCUMENT:
        return "document"
    if len(tokens) >= 3 and tokens[0] == "the" and tokens[1] in TITLES:
        return "person"  # a role: "the President of the Russian Academy of Sciences"
    if any(t in _PUBLICATION or t in ORG_WORDS for t in tokens):
        return None
    if tokens[0] not in ("a", "an", "one", "the") and entity_type(name, []) == "org":
        return None
    return "person"


def _excerpt(q: str, limit: int = 30) -> str:
    ws = q.split()
    if len(ws) <= limit:
        return q.strip()
    cut = " ".join(ws[:limit])
    m = re.search(r"^(.{40,}[.!?])\s", cut)
    return (m.group(1) if m else cut.rstrip(",;:")) + " …"


def quote_drafts(ctx: Context, next_para_first: Sentence | None) -> list[Draft]:
    """ "Who said ...?" cards for quotations with a named speaker."""
    sent = ctx.sent
    text = sent.text
    found: list[tuple[str, str, bool, str]] = []  # speaker, quote, with_next, bridge words
    if not sent.quoted:
        for pat in (_QUOTE_AS, _QUOTE_INLINE):
            m = pat.search(text)
            if m:
                bridge = m.groupdict().get("bridge") or ""
                bridge = bridge.strip().rstrip(",:").strip()
                if bridge and (len(bridge.split()) > 8 or not balanced(bridge)):
                    bridge = ""
                found.append((m.group("speaker"), m.group("q"), False, bridge))
                break
        if not found:
            m = _ACCORDING.match(text)
            if m and "“" not in m.group("speaker"):
                found.append((m.group("speaker"), body(m.group("q")), False, "that"))
        if (
            not found
            and next_para_first is not None
            and next_para_first.quoted
            and text.endswith(":")
        ):
            m = (
                _INTRO_COLON.search(text)
                or _ACCORDING_COLON.match(text)
                or _ROLE_COLON.search(text)
            )
            if m:
                found.append((m.group("speaker"), next_para_first.text.strip('“”" '), True, ""))
    out = []
    for raw_speaker, q, with_next, bridge in found:
        named = _speaker_name(raw_speaker)
        if named is None:
            continue
        name, accept = named
        kind = _speaker_kind(name)
        if kind is None:
            continue
        excerpt = _excerpt(q.strip().strip('“”"'))
        if name.lower() in excerpt.lower() or len(excerpt.split()) < 4:
            continue
        shown = excerpt.rstrip(".")
        if bridge == "that" and not q.lstrip().startswith(("“", '"')) and "“" not in q[:1]:
            question_text = (
                f"According to the report, who stated that {lower_first(shown, ctx.proper_words)}?"
            )
        elif bridge:
            question_text = f"Who said {bridge} “{shown}”?"
        elif shown[:1].islower():
            question_text = f"Who said: “… {shown}”?"
        else:
            question_text = f"Who said: “{shown}”?"
        if kind == "document":
            question_text = question_text.replace("Who said", "Which document said", 1).replace(
                "who stated", "which document stated", 1
            )
            accept = [a for a in [*accept, f"the {name}"] if a != name]
        quote_text = text
        qstart = sent.start
        if with_next and next_para_first is not None:
            quote_text = text + " " + next_para_first.text
        fields: dict[str, Any] = {"question": question_text, "answer": name}
        ctype = "short"
        people = [p.text for p in ctx.pools.by_kind.get("entity:person", [])]
        wrong = [p for p in people if not _alias(p, name) and p.lower() not in excerpt.lower()]
        wrong = sorted(dict.fromkeys(wrong), key=lambda t: stable_hash(name, t))[:3]
        if (
            kind == "person"
            and len(wrong) >= 2
            and int(stable_hash(name, excerpt, n=4), 16) % 2 == 0
        ):
            ctype = "mcq"
            choices = sorted([name, *wrong], key=lambda c: stable_hash(excerpt, c))
            fields = {"question": question_text, "choices": choices, "answer": name}
        elif accept:
            fields["accept"] = accept
        d = Draft(
            template="who-said", kind="quote", type=ctype, fields=fields, answer=name,
            quote=_WS.sub(" ", quote_text), quote_start=qstart, section=sent.section,
            line=sent.line, block=sent.block, sentence_key=norm_sentence(quote_text),
        )  # fmt: skip
        out.append(d)
    return out
