"""The end of a session: what was studied, how well, and what comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from quiz.deck.model import Deck
from quiz.study.states import rating_label
from quiz.tui.text import Builder, one_line
from quiz.tui.timefmt import duration_text, relative_text
from quiz.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from quiz.study.session import SessionSummary
    from quiz.tui.app import QuizApp


class SummaryScreen(Screen):
    """Session summary: cards studied, accuracy, time, and what is due next."""

    CSS_PATH = "summary.tcss"
    HELP_TITLE = "Session summary"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Done"),
        Binding("escape", "done", "Done", show=False),
        Binding("p", "practice", "Practice"),
        Binding("s", "stats", "Stats"),
        Binding("q", "done", "Done", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        deck: Deck,
        summary: SessionSummary | None,
        *,
        mode: str = "study",
        standalone: bool = False,
        nothing_due: bool = False,
        left_early: bool = False,
    ) -> None:
        super().__init__()
        self.deck = deck
        self.summary = summary
        self.mode = mode
        self.standalone = standalone
        self.nothing_due = nothing_due
        self.left_early = left_early

    @property
    def quiz_app(self) -> QuizApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(
            Builder()
            .add(one_line(self.deck.title, 60), "bold")
            .add("  ·  Session summary", "$text-muted")
            .build(),
            classes="title-bar",
        )
        with Vertical(id="summary-box"):
            yield Static(self._body(), id="summary-text")
        yield KeyBar()

    def _body(self) -> Content:
        s = self.summary
        out = Builder()
        if s is None:
            out.add("No summary available.", "$text-muted")
            return out.build()
        if s.cards_studied == 0 and self.left_early:
            out.add("Session left before any answer. ", "bold $accent")
            out.add("Your cards are still waiting.\n\n")
        elif s.cards_studied == 0:
            out.add("Nothing is due right now. ", "bold $success")
            out.add("Well done.\n\n")
        else:
            heading = {"exam": "Exam finished", "practice": "Practice finished"}
            title = heading.get(self.mode, "Session finished")
            if s.exam_total and s.cards_studied < s.exam_total:
                title = f"Exam stopped after {s.cards_studied} of {s.exam_total} questions"
            out.add(title, "bold $accent").add("\n\n")
        rows: list[tuple[str, str]] = [("Cards studied", str(s.cards_studied))]
        accuracy = s.accuracy
        if s.exam_score is not None:  # one figure: right answers out of the whole exam
            unanswered = s.exam_total - s.cards_studied
            detail = f"{s.correct} of {s.exam_total} right"
            if unanswered > 0:
                detail += f"; {unanswered} not answered count as wrong"
            rows.append(("Exam score", f"{s.exam_score * 100:.0f}%  ({detail})"))
        else:
            rows.append(
                (
                    "Accuracy",
                    f"—  (no typed or chosen answers{_self_rated(s.cards_studied)})"
                    if accuracy is None
                    else f"{accuracy * 100:.0f}%  ({s.correct} right, {s.wrong} wrong"
                    + _self_rated(s.cards_studied - s.correct - s.wrong)
                    + ")",
                )
            )
        rows.append(("Time", duration_text(s.time_ms)))
        if s.cards_studied:
            avg = s.time_ms / s.cards_studied if s.time_ms else 0
            rows.append(("Per card", duration_text(avg)))
        if s.by_rating:
            rows.append(
                (
                    "Ratings",
                    "  ".join(f"{rating_label(r)} {n}" for r, n in sorted(s.by_rating.items())),
                )
            )
        now = self.quiz_app.clock()
        rows.append(("Next card due", relative_text(s.next_due, now)))
        rows.append(("Due tomorrow", str(s.due_tomorrow)))
        for label, value in rows:
            out.add(f"{label:<15}", "$text-muted").add(value, "bold").add("\n")
        out.add("\n")
        out.add("p", "bold $accent")
        if self.nothing_due or (s.cards_studied == 0 and not self.left_early):
            out.add(" keep going in practice mode (your schedule does not change)\n")
        else:
            out.add(" practice more (schedule unchanged)\n")
        out.add("s", "bold $accent").add(" statistics   ")
        out.add("Enter", "bold $accent").add(
            " back to your decks" if not self.standalone else " quit"
        )
        return out.build()

    def action_done(self) -> None:
        if self.standalone or len(self.app.screen_stack) <= 2:
            self.app.exit()
            return
        self.app.pop_screen()

    def action_practice(self) -> None:
        from quiz.tui.screens.study import StudyScreen

        self.app.switch_screen(StudyScreen(self.deck, mode="practice", standalone=self.standalone))

    def action_stats(self) -> None:
        from quiz.tui.screens.home import open_stats

        open_stats(self.quiz_app, self.deck.deck)

    def action_quit(self) -> None:
        self.app.exit()


def _self_rated(n: int) -> str:
    """The cards rated by the trainee without a typed or chosen answer, which accuracy leaves out."""
    return f"; {n} self-rated, not counted" if n > 0 else ""
