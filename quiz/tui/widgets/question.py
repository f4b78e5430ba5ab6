"""The question being asked: a quiet line of context, then the prompt."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from quiz.deck.model import GAP_RE, AnyCard, ClozeCard, parse_gap
from quiz.tui.text import Builder, one_line

TYPE_LABELS = {
    "basic": "recall, then reveal",
    "short": "type the answer",
    "cloze": "fill the gap",
    "numeric": "type a number",
    "mcq": "pick one",
    "truefalse": "true or false?",
}


def gap_label(index: int) -> str:
    """How gap number ``index`` (0-based) is shown in the prompt and beside its input."""
    return f"({index + 1})"


def add_prompt(out: Builder, card: AnyCard, style: str = "") -> None:
    """Append the prompt; cloze gaps blanked and numbered when there are several."""
    if not isinstance(card, ClozeCard):
        out.add(card.prompt, style)
        return
    many = len(card.gaps) > 1
    pos = 0
    for i, match in enumerate(GAP_RE.finditer(card.text)):
        out.add(card.text[pos : match.start()], style)
        gap = parse_gap(match.group(1))
        out.add(f"{gap_label(i)}_____" if many else "_____", f"{style} $accent".strip())
        if gap.hint:
            out.add(f" [{gap.hint}]", f"{style} italic".strip())
        pos = match.end()
    out.add(card.text[pos:], style)


def context_line(card: AnyCard, queue: str | None = None) -> str:
    """``§ Section · fact · type the answer · new``: shown quietly above the prompt."""
    parts: list[str] = []
    if card.section:
        parts.append("§ " + one_line(card.section, 50))
    parts.append(card.kind)
    parts.append(TYPE_LABELS.get(card.type, card.type))
    if queue:
        parts.append(queue)
    return " · ".join(parts)


def question_content(card: AnyCard, queue: str | None = None, flagged: bool = False) -> Content:
    out = Builder()
    if flagged:
        out.add("⚑ flagged", "bold $warning").add(" · ", "$text-muted")
    out.add(context_line(card, queue), "$text-muted")
    out.add("\n\n")
    add_prompt(out, card, "bold")
    return out.build()


class QuestionView(Static):
    """Shows the context line and the prompt of one card."""

    DEFAULT_CSS = """
    QuestionView { height: auto; }
    """

    def show(self, card: AnyCard, queue: str | None = None, flagged: bool = False) -> None:
        """Display ``card`` (marked when it is flagged for the instructor)."""
        self.update(question_content(card, queue, flagged))
