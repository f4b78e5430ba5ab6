"""Cards on the report's own vocabulary: a coined name ("known as the Big Two").

What an acronym stands for is not asked: trivia, not a point of the report."""

from __future__ import annotations

import re

from quiz.generate.draft import Context, Draft, make_draft
from quiz.generate.phrasing import tidy_opening

_DEFINITION = re.compile(
    r"\b(?P<mk>(?:now |also )?(?:known as|dubbed|termed|so-called))\s+(?:the\s+)?"
    r"(?P<name>[“\"]?[A-Z][\w’'-]*(?:\s+(?:of|the|and|for)?\s*[A-Z][\w’'-]*){0,4}[”\"]?)"
)


def definition_drafts(ctx: Context) -> list[Draft]:
    text = tidy_opening(ctx.sent.text)[0]
    if ctx.needs_context:
        return []
    out = []
    for m in _DEFINITION.finditer(text):
        name = m.group("name").strip('“”"')
        if not name or len(name.split()) > 5:
            continue
        s = text.find(name, m.start("name"))
        rest = text[:s] + text[s + len(name) :]
        if name.lower() in rest.lower():
            continue
        cloze = text[:s] + "{{" + name + "::name}}" + text[s + len(name) :]
        out.append(make_draft(ctx, "define", "fact", "cloze", {"text": cloze}, name))
    return out
