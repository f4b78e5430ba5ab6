"""Cards on the report's own vocabulary: what an acronym stands for, a coined name."""

from __future__ import annotations

import re

from quiz.generate.candidates import acronym_definitions
from quiz.generate.draft import Context, Draft, make_draft
from quiz.generate.phrasing import tidy_opening


def acronym_drafts(ctx: Context) -> list[Draft]:
    out = []
    for long_form, short, _ in acronym_definitions(ctx.sent.text):
        if len(long_form.split()) < 2:
            continue
        fields = {
            "question": f"In the report, what does the acronym {short} stand for?",
            "answer": long_form,
            "accept": [f"the {long_form}"],
        }
        d = make_draft(ctx, "acronym", "fact", "short", fields, long_form)
        out.append(d)
    return out


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
