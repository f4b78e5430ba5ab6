"""Plain mode: a study session line by line on stdin/stdout (no TUI).

For screen-reader users, scripts and tests. Every line is plain text; card
text is printed literally with control characters made visible, so a deck
cannot move the cursor or recolour the terminal. ``recorded: ID rating N`` is
printed only after the review is committed.
"""

from __future__ import annotations

from typing import Any, TextIO

from quiz.deck.model import BasicCard, ClozeCard, McqCard, TrueFalseCard
from quiz.errors import QuizError
from quiz.study.grading import Grade, Verdict
from quiz.study.scheduling import RATING_LABELS, interval_text
from quiz.study.session import AnswerResult, CardView, StudySession
from quiz.wording import literal, plural

TRUE_WORDS = {"t", "true", "y", "yes", "1"}
FALSE_WORDS = {"f", "false", "n", "no", "0"}
VERDICT_TEXT = {
    Verdict.CORRECT: "correct",
    Verdict.CLOSE: "close (you decide)",
    Verdict.WRONG: "wrong",
    Verdict.SELF: "answer",
}


class _Quit(Exception):
    """End of input or ``q``: leave the session cleanly."""


class PlainRunner:
    """Runs one :class:`StudySession` over text streams."""

    def __init__(self, session: StudySession, stdin: TextIO, stdout: TextIO) -> None:
        self.session = session
        self.stdin = stdin
        self.stdout = stdout

    # --- io ------------------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if line == "":
            self.say()
            raise _Quit
        # Undecodable bytes arrive as lone surrogates: make them U+FFFD, storable text.
        line = line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return line.rstrip("\r\n")

    # --- the loop ------------------------------------------------------------
    def run(self) -> int:
        """Study until no card is left, ``q`` or end of input; returns the exit code."""
        try:
            while True:
                view = self.session.next_card()
                if view is None:
                    self.say(self._finished_text())
                    break
                self._ask_card(view)
        except _Quit:
            pass
        self._print_summary()
        return 0

    def _finished_text(self) -> str:
        if self.session.mode != "study":
            return "No more cards in this session."
        learning = self.session.counts().learning
        if learning:
            nxt = self.session.queue.next_due(self.session.clock())
            when = f" (next in {interval_text(nxt - self.session.clock())})" if nxt else ""
            return f"No more cards for now; {learning} learning card(s) due later today{when}."
        return "No more cards due today."

    def _header(self, view: CardView) -> str:
        c = self.session.counts()
        card = view.card
        kind = view.queue
        if self.session.mode == "study":
            left = f"new {c.new}, learning {c.learning}, review {c.review}"
        elif self.session.mode == "exam":
            left = f"question {view.position} of {self.session.exam_total}"
        else:
            left = f"{c.review} left"
        return f"--- card {view.position} [{literal(card.id)}] {kind} ({left})"

    def _ask_card(self, view: CardView) -> None:
        card = view.card
        self.say(self._header(view))
        if card.section:
            self.say(f"section: {literal(card.section)}")
        prompt = card.render(hints=True) if isinstance(card, ClozeCard) else card.prompt
        self.say(literal(prompt))
        if view.choices and isinstance(card, McqCard):
            for i, choice in enumerate(view.choices, 1):
                self.say(f"  {i}. {literal(choice)}")
        result = self._get_answer(view)
        if result is None:
            return  # undone, buried or suspended: the loop picks the next card
        self._show_result(view, result)
        self._get_rating(view, result)

    def _command(self, line: str) -> bool:
        """Handle ``q``/``u``/``b``/``s`` typed where an answer is expected. True if handled."""
        cmd = line.strip().lower()
        if cmd == "q":
            raise _Quit
        if cmd == "u":
            self._undo()
            return True
        return False

    def _undo(self) -> None:
        if self.session.undo():
            view = self.session.next_card()
            self.say(f"undone: {literal(view.card.id) if view else ''}")
        else:
            self.say("nothing to undo")

    def _get_answer(self, view: CardView) -> AnswerResult | None:
        card = view.card
        while True:
            if isinstance(card, BasicCard):
                line = self.ask("Press Enter to show the answer: ")
                cmd = line.strip().lower()
                if cmd in ("q", "u"):
                    self._command(cmd)
                    return None
                return self.session.reveal()
            if isinstance(card, McqCard):
                line = self.ask(f"answer (1-{len(view.choices or [])}): ")
                if self._command(line):
                    return None
                response: Any = self._mcq_response(view, line)
            elif isinstance(card, TrueFalseCard):
                line = self.ask("answer (t/f): ")
                if self._command(line):
                    return None
                word = line.strip().casefold()
                response = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
                if response is None:
                    self.say("please type t (true) or f (false)")
                    continue
            else:
                gaps = len(card.gaps) if isinstance(card, ClozeCard) else 1
                hint = f"answer ({gaps} gaps, separated by ';'): " if gaps > 1 else "answer: "
                line = self.ask(hint)
                if self._command(line):
                    return None
                response = [p.strip() for p in line.split(";")] if gaps > 1 else line
            if response is None:
                continue
            try:
                return self.session.submit(response)
            except QuizError as exc:
                self.say(literal(exc.message))

    def _mcq_response(self, view: CardView, line: str) -> str | None:
        choices = view.choices or []
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(choices):
            return choices[int(text) - 1]
        for choice in choices:
            if text and text.casefold() == choice.strip().casefold():
                return choice
        self.say(f"please type a number from 1 to {len(choices)}")
        return None

    def _show_result(self, view: CardView, result: AnswerResult) -> None:
        grade: Grade = result.grade
        card = view.card
        verdict = VERDICT_TEXT.get(grade.verdict, str(grade.verdict))
        if grade.verdict is Verdict.SELF:
            self.say(f"answer: {literal(grade.canonical)}")
        else:
            self.say(f"{verdict}: you answered {literal(grade.response)!s}")
            self.say(f"correct answer: {literal(grade.canonical)}")
        if isinstance(card, ClozeCard):
            self.say(literal(card.render(fill="answer")))
        if card.explanation:
            self.say(f"explanation: {literal(card.explanation)}")

    def _get_rating(self, view: CardView, result: AnswerResult) -> None:
        session = self.session
        if len(result.options) == 1:  # an exam answer the verdict scores: no question to ask
            session.rate(None)
            self._ack(view)
            return
        options = "  ".join(
            f"{o.rating} {o.label}" + (f" {o.interval_text}" if o.interval_text else "")
            for o in result.options
        )
        suggested = f"{result.suggested} {RATING_LABELS[result.suggested]}"
        while True:
            line = self.ask(f"rate: {options}  [Enter = {suggested}, u = undo, q = quit]: ")
            cmd = line.strip().lower()
            if cmd == "q":
                raise _Quit
            if cmd == "u":
                self._undo()
                return
            if cmd in ("b", "s") and session.mode == "exam":
                self.say("an exam question cannot be buried or suspended")
                continue
            if cmd == "b":
                session.bury()
                self.say(f"buried: {literal(view.card.id)}")
                return
            if cmd == "s":
                session.suspend()
                self.say(f"suspended: {literal(view.card.id)}")
                return
            if cmd == "":
                rating = None
            elif cmd in ("1", "2", "3", "4"):
                rating = int(cmd)
            else:
                self.say("please type 1, 2, 3 or 4 (or Enter, u, q)")
                continue
            session.rate(rating)
            self._ack(view)
            return

    def _ack(self, view: CardView) -> None:
        record = self.session.last_record
        if record is None:
            return
        self.say(f"recorded: {literal(record.card_id)} rating {record.rating}")
        if record.leech:
            self.say(f"leech: {literal(record.card_id)} has lapsed {record.after.lapses} times")

    def _print_summary(self) -> None:
        s = self.session.summary()
        self.say(f"studied {plural(s.cards_studied, 'card')}: {s.correct} correct, {s.wrong} wrong")
        if s.exam_score is not None:
            self.say(
                f"exam score: {round(s.exam_score * 100)}% ({s.correct} of {s.exam_total} right)"
            )
        if self.session.mode == "study":
            self.say(f"due tomorrow: {s.due_tomorrow}")


def run_plain(session: StudySession, stdin: TextIO, stdout: TextIO) -> int:
    """Run ``session`` in plain mode; returns the exit code (0)."""
    return PlainRunner(session, stdin, stdout).run()
