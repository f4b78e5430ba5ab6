"""Turn sentences and their candidates into card drafts of every type.

The templates live in ``quiz.generate.templates``, one module per family: facts
(cloze, short, numeric), choices (mcq, true/false), arguments, quotes and definitions.
Everything they need about the document travels in a ``Doc`` built here once per run.
"""

from __future__ import annotations

import re

from quiz.generate.answers import acronym_map
from quiz.generate.askable import (
    CITATION,
    askable,
    asks_role,
    collocation,
    core_name,
    frequent_person,
    frequent_surnames,
    keyword_spans,
    stock_phrase,
    topic_answer,
    topic_entities,
    topic_list,
)
from quiz.generate.candidates import Span, find_spans, is_country
from quiz.generate.clean import CleanedText
from quiz.generate.draft import Context, Doc, Draft, name_sentences
from quiz.generate.phrasing import ENUMERATOR, balanced, proper_words_of, words
from quiz.generate.references import resolve
from quiz.generate.sentences import Sentence, is_noisy
from quiz.generate.templates.arguments import argument_drafts
from quiz.generate.templates.choices import Pools
from quiz.generate.templates.definitions import definition_drafts
from quiz.generate.templates.facts import fact_drafts
from quiz.generate.templates.quotes import quote_drafts

__all__ = ["Draft", "balanced", "build_drafts"]


def build_drafts(
    cleaned: CleanedText, sentences: list[Sentence], all_types: bool = False
) -> list[Draft]:
    """Every card draft the report supports (many; ranking keeps the best).

    ``all_types``: every card type a fact span supports, not only the first that works
    (the other candidates a curator may switch to).
    """
    # a list item ("a. Reduce ...") reads as a fragment only because of its letter
    usable = [
        s
        for s in sentences
        if not s.noisy or (ENUMERATOR.match(s.text) and not is_noisy(ENUMERATOR.sub("", s.text)))
    ]
    spans = [find_spans(s.text) if not s.quoted else [] for s in usable]
    doc = Doc(
        cleaned=cleaned,
        proper_words=proper_words_of(usable),
        pools=Pools.build(spans),
        name_sentences=name_sentences(usable),
        acronyms=acronym_map(s.text for s in usable),
    )
    topic_names = topic_entities(spans, [s.section for s in usable])
    frequent = frequent_surnames(usable)
    # names in 3% of the sentences: too common to be the answer of a list ("Putin and Xi")
    common = {w for w, n in doc.name_sentences.items() if n >= max(4, 0.03 * len(usable))}

    def worth_asking(d: Draft) -> bool:
        """Not an answer the learner guesses: the report's ubiquitous names, unless asked by
        role (who said, whom blamed), and never a list of them ("Putin and Xi")."""
        if topic_list(d.answer, topic_names, frequent | common):
            return False
        return asks_role(d) or not (
            topic_answer(d.answer, topic_names) or frequent_person(d.answer, frequent)
        )

    drafts: list[Draft] = []
    for i, s in enumerate(usable):
        first = len(drafts)
        prev = (
            usable[i - 1]
            if i > 0 and usable[i - 1].block == s.block and not usable[i - 1].noisy
            else None
        )
        nxt_para = None
        if i + 1 < len(usable) and usable[i + 1].block != s.block and usable[i + 1].index == 0:
            nxt_para = usable[i + 1]
        ctx = Context(s, prev, doc)
        drafts.extend(quote_drafts(ctx, nxt_para))
        if s.quoted or len(words(s.text)) < 5 or s.text.rstrip().endswith(("?", ":")):
            continue
        if CITATION.search(s.text):
            continue
        drafts.extend(definition_drafts(ctx))
        arguments = [d for d in argument_drafts(ctx) if worth_asking(d)]
        drafts.extend(arguments)
        fact_spans = [
            sp
            for sp in spans[i]
            if askable(sp, s.text)
            and not topic_answer(sp.text, topic_names)
            and not stock_phrase(sp, s.text, cleaned.text)
            and not frequent_person(sp.text, frequent)
        ]
        fact_spans += name_lists(s.text, spans[i], fact_spans)
        if not fact_spans and not arguments:
            fact_spans = [  # nothing else to ask about this sentence
                sp
                for sp in keyword_spans(s.text, cleaned.text)
                if not collocation(sp, s.text, cleaned.text)
            ]
        drafts.extend(fact_drafts(ctx, fact_spans, all_types))
        before = context_before(usable, i)
        for d in drafts[first:]:
            name_references(d, before, cleaned.text[: s.start])
    return [d for d in drafts if worth_asking(d)]


_NAME = r"(?:the\s+)?[A-Z][\w.’'-]*(?:\s+(?:of\s+)?[A-Z][\w.’'-]*){0,3}"
_NAME_LIST = re.compile(rf"(?<![\w,])(?:{_NAME},\s+){{0,4}}{_NAME},?\s+and\s+{_NAME}(?![\w(])")


def name_lists(text: str, found: list[Span], asked: list[Span]) -> list[Span]:
    """Lists of names ("such as India and Vietnam", "—Saudi Arabia, Kuwait, and Mexico—") as
    one answer: a name of a pair alone is ambiguous, so it is never asked on its own. At least
    one item must be a name the candidates found; never at the start (the sentence's subject)."""
    out = []
    for m in _NAME_LIST.finditer(text):
        if m.start() == 0 or any(m.start() <= sp.start < m.end() for sp in asked):
            continue
        listed = m.group(0).rstrip(".")
        items = re.split(r",\s*(?:and\s+)?|\s+and\s+", listed)
        if not 2 <= len(items) <= 5:
            continue
        at = m.start()
        names = {
            core_name(sp.text) for sp in found if sp.kind == "entity" and at <= sp.start < m.end()
        }
        if not all(core_name(item) in names or is_country(core_name(item)) for item in items):
            continue  # "Free and Open Source Software", "Oil Exploration and Production": one name
        out.append(Span("entity", listed, at, at + len(listed), etype="list"))
    return out


def context_before(sentences: list[Sentence], i: int, n: int = 3) -> str:
    """The text of up to ``n`` sentences before sentence ``i`` in its section."""
    here = sentences[i]
    prior = [s for s in sentences[max(0, i - n) : i] if s.section == here.section]
    return " ".join(s.text for s in prior)


def name_references(d: Draft, context: str, document: str) -> None:
    """Name in the prompt what "the grouping", "this program" stand for, from the sentences
    before; count what stays unnamed."""
    key = (
        "question" if "question" in d.fields else "statement" if "statement" in d.fields else "text"
    )
    prompt = d.fields.get(key)
    if not isinstance(prompt, str):
        return
    done = resolve(prompt, context, d.answer, document)
    d.fields[key] = done.text
    d.unresolved = done.unresolved
