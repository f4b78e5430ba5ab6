"""The verdict and the learner's answer compared with the canonical one."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from quiz.study.grading import Grade, Verdict
from quiz.tui.text import Builder

VERDICT_TEXT = {
    Verdict.CORRECT: ("✔ Right", "verdict-correct"),
    Verdict.CLOSE: ("≈ Close: you decide", "verdict-close"),
    Verdict.WRONG: ("✘ Wrong", "verdict-wrong"),
    Verdict.SELF: ("How well did you know it?", "verdict-self"),
}
EXTRA = "strike bold $error"
MISSING = "bold underline $success"


MIN_DIFF_SIMILARITY = 0.5
"""Below this share of letters in common, a character diff is noise (two unrelated words):
the answer is shown whole instead."""


def has_typos(grade: Grade) -> bool:
    """A typed answer accepted or close, but not letter for letter."""
    return any(span.op != "equal" for span in grade.diff)


def diff_similarity(grade: Grade) -> float:
    """Share of the two texts' letters the diff finds in common (0..1)."""
    same = sum(len(span.expected) for span in grade.diff if span.op == "equal")
    total = sum(len(span.given) + len(span.expected) for span in grade.diff)
    return 2 * same / total if total else 1.0


def feedback_content(grade: Grade) -> Content:
    """``You …`` and ``Answer …`` lines, with a character diff when a typed answer was off
    by a few letters (accepted typos too); unrelated answers are shown whole."""
    out = Builder()
    if grade.verdict is Verdict.SELF:
        out.add("Answer  ", "$text-muted").add(grade.canonical, "bold")
        return out.build()
    out.add("You     ", "$text-muted")
    show_diff = has_typos(grade) and diff_similarity(grade) >= MIN_DIFF_SIMILARITY
    if not grade.response.strip():
        out.add("(no answer)", "italic $text-muted")
    elif show_diff:
        for span in grade.diff:
            if span.op == "equal":
                out.add(span.given)
            elif span.op in ("delete", "replace"):
                out.add(span.given, EXTRA)
    else:
        out.add(grade.response)
    out.add("\n")
    out.add("Answer  ", "$text-muted")
    if show_diff:
        for span in grade.diff:
            if span.op == "equal":
                out.add(span.expected, "bold")
            elif span.op in ("insert", "replace"):
                out.add(span.expected, MISSING)
    else:
        out.add(grade.canonical, "bold")
    if grade.matched and grade.matched != grade.canonical:
        out.add("\n").add("Matched ", "$text-muted").add(grade.matched)
    return out.build()


class VerdictLine(Static):
    """Right / close / wrong, in the theme's colours."""

    DEFAULT_CSS = """
    VerdictLine { height: 1; text-style: bold; }
    VerdictLine.verdict-correct { color: $success; }
    VerdictLine.verdict-close { color: $warning; }
    VerdictLine.verdict-wrong { color: $error; }
    VerdictLine.verdict-self { color: $primary; }
    """

    def show(self, grade: Grade) -> None:
        label, css_class = VERDICT_TEXT.get(grade.verdict, (str(grade.verdict), ""))
        if grade.verdict is Verdict.CORRECT and has_typos(grade):
            label += " (typo accepted; see the difference below)"
        self.set_classes(css_class)
        self.update(Content(label))


class DiffView(Static):
    """The learner's answer against the canonical one."""

    DEFAULT_CSS = """
    DiffView { height: auto; }
    """

    def show(self, grade: Grade) -> None:
        self.update(feedback_content(grade))
