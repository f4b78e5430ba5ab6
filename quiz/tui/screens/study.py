"""The study screen: one card at a time, answer, see why, rate."""

from __future__ import annotations

from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from quiz.deck.model import (
    BasicCard,
    ClozeCard,
    Deck,
    McqCard,
    NumericCard,
    ShortCard,
    TrueFalseCard,
)
from quiz.errors import QuizError
from quiz.tui.text import Builder, literal, one_line
from quiz.tui.widgets.answer_input import TypedAnswer
from quiz.tui.widgets.choices import ChoiceList, TrueFalseChoice
from quiz.tui.widgets.diff_view import DiffView, VerdictLine
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.progress import StudyProgress
from quiz.tui.widgets.question import QuestionView
from quiz.tui.widgets.rating_bar import RatingBar
from quiz.tui.widgets.source_passage import SourcePassage

if TYPE_CHECKING:
    from quiz.study.session import AnswerResult, CardView, Counts
    from quiz.tui.app import QuizApp

State = Literal["loading", "question", "answer", "done"]
SLOW_DB_SECONDS = 0.5
"""A database call slower than this (e.g. another program holds a lock) is announced."""

RATING_NOTES = {
    "practice": "practice: your schedule does not change",
    "exam": "exam: one attempt per card; Enter for the next",
}
MODE_TITLES = {"study": "Study", "practice": "Practice (schedule unchanged)", "exam": "Exam"}


class RevealPrompt(Static, can_focus=True):
    """A basic card: recall the answer, then Space (or Enter) shows it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "screen.reveal", "Reveal", key_display="space"),
        Binding("enter", "screen.reveal", "Reveal", show=False),
    ]


class StudyScreen(Screen):
    """Asks the cards of a study, practice or exam session, one at a time."""

    CSS_PATH = "study.tcss"
    HELP_TITLE = "Study"

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """As Screen's, without repainting the whole screen on each change of focus (twice a
    card): the widgets that gain or lose focus restyle and repaint themselves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "back_q", "Back", show=False),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo_typing", "Undo", key_display="^z", priority=True),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("at", "suspend", "Suspend", key_display="@"),
        Binding("exclamation_mark", "flag", "Flag", key_display="!"),
        Binding("e", "edit", "Edit"),
        Binding("i", "type_answer", "Type answer", show=False),
        Binding("down", "scroll_card('down')", "Scroll the card", show=False),
        Binding("up", "scroll_card('up')", "Scroll up", show=False),
        Binding("pagedown", "scroll_card('page_down')", "Page down", show=False),
        Binding("pageup", "scroll_card('page_up')", "Page up", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        deck: Deck,
        *,
        mode: str = "study",
        exam_size: int | None = None,
        practice_cards: list[str] | None = None,
        standalone: bool = False,
    ) -> None:
        super().__init__()
        self.deck = deck
        self.mode = mode
        self.exam_size = exam_size
        self.practice_cards = practice_cards
        self.standalone = standalone
        self.session: Any = None
        self.view: CardView | None = None
        self.result: AnswerResult | None = None
        self.counts: Counts | None = None
        self.state: State = "loading"
        self.busy = False
        self.done = 0
        self._leave_warned = False
        self._picked: int | None = None
        self._finishing = False
        self._esc_hint_shown = False

    @property
    def quiz_app(self) -> QuizApp:
        return self.app  # type: ignore[return-value]

    # --- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = Builder().add(one_line(self.deck.title, 60), "bold")
        title.add(f"  ·  {MODE_TITLES.get(self.mode, self.mode)}", "$text-muted")
        title.add(f"  ·  {one_line(self.quiz_app.learner, 30)}", "$text-muted")
        yield Static(title.build(), classes="title-bar", id="study-title")
        yield StudyProgress(id="progress")
        with VerticalScroll(id="card-area"):
            yield QuestionView(id="question")
            with Vertical(id="answer-area"):
                yield TypedAnswer(id="typed")
                yield ChoiceList(id="choices")
                yield TrueFalseChoice(id="truefalse")
                yield RevealPrompt(
                    Builder()
                    .add("Recall the answer, then press ")
                    .add("Space", "bold $accent")
                    .add(" to reveal it.")
                    .build(),
                    id="reveal",
                    classes="hint",
                )
            with Vertical(id="feedback"):
                yield VerdictLine(id="verdict")
                yield DiffView(id="diff")
                yield Static(id="explanation")
                yield SourcePassage(id="source")
        with Vertical(id="rating-area"):
            yield RatingBar(RATING_NOTES.get(self.mode, ""), id="ratings")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#feedback").display = False
        self.query_one("#rating-area").display = False
        for widget in self.query("#answer-area > *"):
            widget.display = False
        self.query_one("#question", QuestionView).update(Builder().add("Loading…").build())
        self._shown_at: Any = None  # when the current card was shown (app clock)
        self._answer_seconds: float | None = None
        self.set_interval(1.0, self._tick)
        self.start_session()

    def _tick(self) -> None:
        """Time on the current card, until it is answered."""
        progress = self.query_one(StudyProgress)
        if self._answer_seconds is not None:
            progress.set_time(self._answer_seconds)
        elif self._shown_at is not None and self.state == "question":
            progress.set_time((self.quiz_app.clock() - self._shown_at).total_seconds())

    # --- engine calls (all on the database thread) ----------------------------
    async def _call(self, fn: Any, *args: Any, **kwargs: Any) -> tuple[bool, Any]:
        """Run an engine call on the database thread; errors become a notification."""
        slow = self.set_timer(
            SLOW_DB_SECONDS,
            lambda: self.notify("Waiting for the database…", markup=False, timeout=3),
        )
        try:
            return True, await self.quiz_app.db.call(fn, *args, **kwargs)
        except Exception as exc:
            self._report(exc)
        finally:
            slow.stop()
        return False, None

    def _report(self, exc: Exception) -> None:
        """An engine error as a notification: never a traceback in front of a learner."""
        if isinstance(exc, QuizError):
            self.notify(exc.message, severity="error", markup=False, timeout=8)
        else:
            self.notify(
                f"Something went wrong: {type(exc).__name__}: {exc}",
                severity="error",
                markup=False,
                timeout=8,
            )

    def _make_session(self) -> Any:
        from quiz.study.session import StudySession

        app = self.quiz_app
        return StudySession(
            app.store,
            self.deck,
            app.learner,
            self.mode,  # type: ignore[arg-type]
            clock=app.clock,
            new_limit=app.new_limit,
            exam_size=self.exam_size,
            practice_cards=self.practice_cards,
            seed=app.seed,
        )

    @work(exclusive=True, group="study")
    async def start_session(self) -> None:
        ok, session = await self._call(self._make_session)
        if not ok:
            self.state = "done"
            self.query_one("#question", QuestionView).update(
                Builder().add("Could not start the session. Esc to go back.").build()
            )
            return
        self.session = session
        await self._load_next()

    def _next_and_counts(self) -> tuple[CardView | None, Counts]:
        return self.session.next_card(), self.session.counts()

    def _rate_then_next(
        self, rating: int
    ) -> tuple[bool, tuple[CardView | None, Counts] | Exception]:
        """Commit the rating, then the next card and counts: one trip to the database thread.

        An error in the rating propagates (nothing was rated); an error after it is
        returned, as the rating is committed either way.
        """
        self.session.rate(rating)
        try:
            return True, self._next_and_counts()
        except Exception as exc:
            return False, exc

    async def _load_next(self) -> None:
        """Ask the engine for the next card and show it (or finish)."""
        self.busy = True
        self.state = "loading"
        try:
            ok, value = await self._call(self._next_and_counts)
            if ok:
                await self._show_next(*value)
        finally:
            self.busy = False
            self.refresh_bindings()

    async def _show_next(self, view: CardView | None, counts: Counts) -> None:
        """Show ``view`` with the counts left (or finish when there is no next card)."""
        self.counts = counts
        self.query_one(StudyProgress).set_progress(self.done, counts, self.mode)
        if view is None:
            await self._finish()
            return
        await self._show_question(view)

    async def _show_question(self, view: CardView, typed_before: list[str] | None = None) -> bool:
        """Set the screen up for ``view`` in place (no widget is mounted for a card that
        fits the boxes already there), drawn as one frame even when a cloze needs more.

        ``typed_before``: what was typed in this card's boxes, put back when the card still
        has that many boxes. Returns whether it was put back.
        """
        kept = False
        with self.app.batch_update():
            self.view = view
            self.result = None
            self._shown_at = self.quiz_app.clock()
            self._answer_seconds = None
            self.query_one(StudyProgress).set_time(0)
            self._leave_warned = False
            self._picked = None
            card = view.card
            self.query_one("#question", QuestionView).show(card, view.queue, view.flagged)
            self.query_one("#feedback").display = False
            self.query_one("#rating-area").display = False
            typed = self.query_one("#typed", TypedAnswer)
            choices = self.query_one("#choices", ChoiceList)
            truefalse = self.query_one("#truefalse", TrueFalseChoice)
            reveal = self.query_one("#reveal", RevealPrompt)
            widget: Any
            if isinstance(card, McqCard):
                choices.set_choices(view.choices or list(card.choices))
                widget = choices
            elif isinstance(card, TrueFalseCard):
                truefalse.set_choices(["True", "False"])
                widget = truefalse
            elif isinstance(card, ShortCard | ClozeCard | NumericCard):
                await typed.set_card(card)
                kept = bool(typed_before) and typed.fill(typed_before or [])
                widget = typed
            else:
                widget = reveal
            for other in (typed, choices, truefalse, reveal):
                other.display = other is widget
            self.state = "question"
            # Focus now, not after the next message (Widget.focus): the focus styles, the key bar
            # and the new card then reach the screen in the same frame.
            self.set_focus(widget.first_empty() if isinstance(widget, TypedAnswer) else widget)
            self.query_one("#card-area", VerticalScroll).scroll_home(animate=False)
        return kept

    async def _show_answer(self, result: AnswerResult) -> None:
        assert self.view is not None
        self.result = result
        self._leave_warned = False
        if self._shown_at is not None:
            self._answer_seconds = (self.quiz_app.clock() - self._shown_at).total_seconds()
            self.query_one(StudyProgress).set_time(self._answer_seconds)
        card = self.view.card
        # "You …" below shows what was typed; room for the source. Hidden, the boxes take
        # no keys, so they stay enabled (disabling restyles them twice a card, for nothing).
        self.query_one("#typed", TypedAnswer).display = False
        for choices in (
            self.query_one("#choices", ChoiceList),
            self.query_one("#truefalse", TrueFalseChoice),
        ):
            if choices.display:
                choices.mark(self._picked, result.grade.canonical)
            choices.disabled = True
        self.query_one("#reveal", RevealPrompt).display = False
        self.query_one("#feedback").display = True
        self.query_one("#verdict", VerdictLine).show(result.grade)
        self.query_one("#diff", DiffView).show(result.grade)
        explanation = self.query_one("#explanation", Static)
        explanation.display = bool((card.explanation or "").strip())
        explanation.update(literal(card.explanation or "", "italic"))
        self.query_one("#source", SourcePassage).show(card)
        bar = self.query_one("#ratings", RatingBar)
        bar.set_options(result.options, result.suggested)
        self.query_one("#rating-area").display = True
        self.set_focus(bar)
        self.state = "answer"
        self.refresh_bindings()

    async def _finish(self, left: bool = False) -> None:
        """The summary: ``left`` when the trainee leaves with cards still to study."""
        if self._finishing:
            return
        self._finishing = True
        self.state = "done"
        ok, summary = await self._call(self.session.summary)
        await self._call(self.session.close)
        from quiz.tui.screens.summary import SummaryScreen

        self.app.switch_screen(
            SummaryScreen(
                self.deck,
                summary if ok else None,
                mode=self.mode,
                standalone=self.standalone,
                nothing_due=self.done == 0 and not left,
                left_early=left,
            )
        )

    # --- answering -----------------------------------------------------------
    async def _submit(self, response: Any) -> None:
        if self.state != "question" or self.busy or self.session is None:
            return
        self.busy = True
        try:
            ok, result = await self._call(self.session.submit, response)
            if ok:
                await self._show_answer(result)
        finally:
            self.busy = False

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run engine work as a worker: this screen keeps handling events while it waits."""
        self.run_worker(work, group="study-action")

    def on_typed_answer_submitted(self, event: TypedAnswer.Submitted) -> None:
        self._spawn(self._submit(event.value))

    def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        self._picked = event.index
        if isinstance(self.view.card if self.view else None, TrueFalseCard):
            self._spawn(self._submit(event.index == 0))
        else:
            self._spawn(self._submit(event.text))

    def action_reveal(self) -> None:
        self._spawn(self._reveal())

    async def _reveal(self) -> None:
        if self.state != "question" or self.busy or self.session is None:
            return
        if not isinstance(self.view.card if self.view else None, BasicCard):
            return
        self.busy = True
        try:
            ok, result = await self._call(self.session.reveal)
            if ok:
                await self._show_answer(result)
        finally:
            self.busy = False

    def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        self._spawn(self.rate(event.rating))

    async def rate(self, rating: int) -> None:
        """Commit the rating, then (only then) show the next card."""
        if self.state != "answer" or self.busy or self.session is None:
            return
        self.busy = True
        try:
            ok, value = await self._call(self._rate_then_next, rating)
            if not ok:  # not rated: the answer stays on screen
                return
            self.done += 1
            self.state = "loading"
            shown, next_value = value
            if not shown:
                self._report(next_value)
                return
            await self._show_next(*next_value)
        finally:
            self.busy = False
            if self.state != "answer":
                self.refresh_bindings()

    # --- actions on the current card ------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)
        if action in ("undo", "undo_typing") and self.mode == "exam":
            return False  # one attempt per card
        if action == "undo_typing":  # Ctrl+Z: shown only while typing, where u is a letter
            return typing
        if action in ("undo", "back_q") and typing:
            return False  # a letter in the answer box (Esc leaves the box first)
        if action == "undo":
            return True if self.state in ("question", "answer") else None
        if action in ("bury", "suspend", "flag", "edit"):
            if typing:
                return False
            return True if self.state in ("question", "answer") else None
        if action == "type_answer":
            return self.state == "question"
        return True

    def action_undo_typing(self) -> None:
        self._spawn(self._undo())

    def action_undo(self) -> None:
        self._spawn(self._undo())

    async def _undo(self) -> None:
        if self.busy or self.session is None:
            return
        if not self.session.can_undo:
            self.notify("Nothing to undo yet in this session.", markup=False)
            return
        self.busy = True
        ok, value = await self._call(self._undo_in_db, self.view)
        self.busy = False
        if not ok:
            return
        undone, flagged = value
        if not undone:
            self.notify("Nothing to undo.", markup=False)
            return
        from quiz.study.session import UNDO_NAMES

        if undone == "rate":
            self.done = max(0, self.done - 1)
        self.notify(f"Undone: the last {UNDO_NAMES[undone]}.", markup=False)
        if flagged is not None:  # a flag on the card still shown: only its mark changes
            self._set_flagged(flagged)
            return
        await self._load_next()

    def _undo_in_db(self, shown: CardView | None) -> tuple[str | None, bool | None]:
        """Undo; for a flag on the card still shown, also whether it is still flagged."""
        undone = self.session.undo()
        if undone == "flag" and shown is not None and self.session.next_card() is shown:
            return undone, self.session.is_flagged(shown.card.id)
        return undone, None

    def _set_flagged(self, flagged: bool) -> None:
        if self.view is not None:
            self.query_one("#question", QuestionView).show(self.view.card, self.view.queue, flagged)

    async def _card_action(self, method: str, message: str, *args: Any) -> bool:
        if self.busy or self.session is None or self.state not in ("question", "answer"):
            return False
        self.busy = True
        ok, _ = await self._call(getattr(self.session, method), *args)
        self.busy = False
        if ok:
            self.notify(message, markup=False)
        return ok

    def action_bury(self) -> None:
        self._spawn(self._skip_card("bury", "Buried until tomorrow."))

    def action_suspend(self) -> None:
        self._spawn(self._skip_card("suspend", "Suspended: unsuspend it from Browse."))

    async def _skip_card(self, method: str, message: str) -> None:
        if await self._card_action(method, message):
            await self._load_next()

    def action_flag(self) -> None:
        if self.busy or self.session is None or self.state not in ("question", "answer"):
            return
        from quiz.tui.screens.flag import FlagScreen

        assert self.view is not None
        card = self.view.card
        self.app.push_screen(FlagScreen(card.id, card.prompt), self._flag_done)

    def _flag_done(self, comment: str | None) -> None:
        if comment is None:  # cancelled
            self._refocus()
            return
        self._spawn(self._flag(comment.strip() or None))

    async def _flag(self, comment: str | None) -> None:
        if await self._card_action("flag", "Flagged for your instructor (u undoes).", comment):
            self._set_flagged(True)
        self._refocus()

    def action_edit(self) -> None:
        if self.busy or self.session is None or self.view is None:
            return
        path = self.deck.path
        if path is None:
            self.notify("This deck has no file to edit.", markup=False)
            return
        typed = self.query_one("#typed", TypedAnswer)
        typed_before = (
            typed.values
            if isinstance(self.view.card, ShortCard | ClozeCard | NumericCard) and typed.has_text
            else []
        )
        self._spawn(self._edit(self.view.card.id, Path(path), typed_before))

    async def _edit(self, card_id: str, path: Path, typed_before: list[str]) -> None:
        """Edit the card; the edited card is asked again, with what was typed when it fits."""
        from quiz.tui.editor import edit_card

        result = edit_card(self.app, path, card_id, self.deck.deck)
        if result is None:
            self._refocus()
            return
        if result.deck is None:
            self.notify(
                f"{result.error}\nThe card is unchanged here; e to edit again.",
                severity="error",
                markup=False,
                timeout=12,
            )
            self._refocus()
            return
        self.busy = True
        ok, view = await self._call(self.session.use_deck, result.deck)
        self.busy = False
        if not ok:
            return
        self.deck = result.deck
        if view is None:
            self.notify("The card is no longer in the deck file; on to the next.", markup=False)
            await self._load_next()
            return
        kept = await self._show_question(view, typed_before)
        message = "Saved. The edited card, to answer again; its progress is kept."
        if kept:
            message += " Your typed answer is back in the box."
        elif typed_before:
            answer = one_line(" / ".join(v for v in typed_before if v.strip()), 40)
            message += f" Your typed answer ({answer}) no longer fits its boxes: type it again."
        self.notify(message, markup=False)

    def action_scroll_card(self, how: str) -> None:
        """Arrows and PgUp/PgDn scroll a card too long for the window (e.g. at 80x24)."""
        area = self.query_one("#card-area", VerticalScroll)
        getattr(area, f"scroll_{how}")(animate=False)

    def action_type_answer(self) -> None:
        self._refocus()

    def on_click(self) -> None:
        """A click on the page moves the focus to the card's scrolling area, or nowhere (a
        browser user's first click into the page under ``quiz serve`` does): give it back to
        the answer, so Space, Enter and the rating keys go on working."""
        if self.focused is None or isinstance(self.focused, ScrollableContainer):
            self._refocus()

    def _refocus(self) -> None:
        if self.state == "answer":
            for bar in self.query(RatingBar):
                bar.focus()
            return
        for widget in self.query("#answer-area > *"):
            if widget.display:
                if isinstance(widget, TypedAnswer):
                    widget.focus_first()
                else:
                    widget.focus()
                return

    def action_back_q(self) -> None:
        """q: the same as Esc, except in the answer box (where it is a letter)."""
        self.action_back()

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and self.state == "question":
            self.set_focus(None)
            if not self._esc_hint_shown:  # once a session is enough
                self._esc_hint_shown = True
                self.notify(
                    "Out of the answer box: u - @ ! e ? act on the card; "
                    "i to type again, Esc again to leave.",
                    markup=False,
                    timeout=4,
                )
            return
        typed = self.query_one("#typed", TypedAnswer)
        if self.state == "question" and typed.display and typed.has_text and not self._leave_warned:
            self._leave_warned = True
            self.notify(
                "Your typed answer is not checked yet. Esc again to leave without it.",
                severity="warning",
                markup=False,
            )
            return
        if self.state == "answer" and not self._leave_warned:
            self._leave_warned = True
            self.notify(
                "This answer is not recorded until you rate it (1-4 or Enter). "
                "Esc again to leave without it.",
                severity="warning",
                markup=False,
            )
            return
        if self.busy:
            return
        if self.session is None:
            self._leave_without_session()
            return
        self._spawn(self._finish(left=self.state != "done"))

    def _leave_without_session(self) -> None:
        if self.standalone:
            self.app.exit()
        else:
            self.app.pop_screen()
