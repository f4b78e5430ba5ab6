"""Curate a generated deck: each unreviewed card with its source, accept, retire or fix it.

A thin screen over ``quiz.curation.Curation``: every key is one decision that
the domain writes to the deck file at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from quiz.curation import Curation, EditRefused, edit_form, status_of, template_of
from quiz.deck.model import AnyCard, McqCard
from quiz.errors import QuizError
from quiz.tui.text import Builder, one_line, visible
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.question import add_prompt, context_line
from quiz.tui.widgets.source_passage import answer_needles, answer_words, find_spans

STATUS_LABELS = {
    "pending": ("not reviewed", "$warning"),
    "accepted": ("accepted", "$success"),
    "edited": ("accepted, edited", "$success"),
    "retired": ("retired", "$error"),
}
ACTION_WORDS = {
    "accept": "accept",
    "retire": "retire",
    "restore": "restore",
    "edit": "edit",
    "gap": "gap move",
    "type": "type change",
}


def gap_window(prompt: str, width: int = 90) -> str:
    """The prompt on one line, cut to ``width`` around its ``____`` so the gap stays in view."""
    text = one_line(prompt)
    if len(text) <= width:
        return text
    at = text.find("____")
    if at < 0:
        return one_line(text, width)
    start = max(0, min(at - width // 2, len(text) - width))
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


class AlternativeList(OptionList):
    """The generator's other cards for this sentence: Enter or 1-9 picks one, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "screen.cancel", "Cancel"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)),
    ]

    def action_pick(self, index: int) -> None:
        if index < self.option_count:
            self.highlighted = index
            self.action_select()


class CurateScreen(Screen):
    """Walks the deck's unreviewed cards, best-ranked first; every key writes the deck file."""

    CSS_PATH = "curate.tcss"
    HELP_TITLE = "Curate"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("x", "retire", "Retire"),
        Binding("e", "edit", "Edit"),
        Binding("g", "gap", "Gap"),
        Binding("t", "change_type", "Type"),
        Binding("u", "undo", "Undo"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("n", "next", "Next (skip)", show=False),
        Binding("p", "previous", "Prev", show=False),
        Binding("escape", "cancel", "Back", show=False),
        Binding("q", "leave", "Quit"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, curation: Curation, *, standalone: bool = False) -> None:
        super().__init__()
        self.curation = curation
        self.standalone = standalone
        self.current: str | None = curation.first_pending()
        self.mode = "card"  # card | edit | pick | search
        self.picking: str = ""  # "gap" or "type" while choosing
        self.alternatives: list = []
        self.report_state = "none" if curation.source_path is None else "loading"
        self.report_error: str | None = None

    # --- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._title(), classes="title-bar", id="curate-title")
        yield Static("", id="curate-progress")
        with VerticalScroll(id="curate-body"):
            yield Static("", id="card-view")
            with Vertical(id="edit-form"):
                yield Static("", id="edit-title")
                yield Static("Prompt", classes="edit-label", id="label-prompt", markup=False)
                yield Input(id="edit-prompt")
                yield Static("Answer", classes="edit-label", id="label-answer", markup=False)
                yield Input(id="edit-answer")
                yield Static("Also accepted", classes="edit-label", id="label-extra", markup=False)
                yield Input(id="edit-extra")
                yield Static(
                    "Explanation", classes="edit-label", id="label-explanation", markup=False
                )
                yield Input(id="edit-explanation")
                yield Static("", id="edit-error")
                yield Static(
                    "Enter saves · Tab next field · Esc cancels · separate answers with ;",
                    classes="hint",
                    markup=False,
                )
            yield Static("", id="pick-title")
            yield AlternativeList(id="alternatives")
            yield Static("", id="passage")
            yield Static("", id="warnings")
        yield Input(
            placeholder="search prompts, answers and ids; Enter finds the next", id="search"
        )
        yield KeyBar()

    def _title(self) -> Content:
        deck = self.curation.deck
        return (
            Builder()
            .add("Curate", "bold $accent")
            .add("  ·  ")
            .add(one_line(deck.title, 60), "bold")
            .add("  ·  ")
            .add(one_line(self.curation.path.name, 40), "$text-muted")
            .build()
        )

    def on_mount(self) -> None:
        for widget_id in ("#edit-form", "#pick-title", "#alternatives", "#search"):
            self.query_one(widget_id).display = False
        self.show_card()
        if self.report_state == "loading":
            self.load_report()

    @work(thread=True, exclusive=True, group="curate-report")
    def load_report(self) -> None:
        try:
            self.curation.load_report()
            state, error = "ready", None
        except QuizError as exc:
            state, error = "error", exc.message
        except Exception as exc:  # a report the generator cannot read: still curate
            state, error = "error", f"cannot index the report: {type(exc).__name__}: {exc}"
        self.app.call_from_thread(self._report_loaded, state, error)

    def _report_loaded(self, state: str, error: str | None) -> None:
        self.report_state, self.report_error = state, error
        if self.mode == "card":
            self.show_card()

    # --- drawing --------------------------------------------------------------------
    def show_card(self) -> None:
        self.query_one("#curate-progress", Static).update(self._progress())
        card = self._card()
        view = self.query_one("#card-view", Static)
        if card is None:
            view.update(self._done())
            self.query_one("#passage", Static).update("")
            self.query_one("#warnings", Static).update("")
            self.query_one("#passage").display = False
            self.query_one("#warnings").display = False
            return
        view.update(self._card_content(card))
        passage = self._passage(card)
        self.query_one("#passage", Static).update(passage or "")
        self.query_one("#passage").display = passage is not None
        warnings = self._warnings(card)
        self.query_one("#warnings", Static).update(warnings or "")
        self.query_one("#warnings").display = warnings is not None

    def _card(self) -> AnyCard | None:
        if self.current is None:
            return None
        try:
            return self.curation.card(self.current)
        except KeyError:
            self.current = self.curation.first_pending()
            return self.curation.card(self.current) if self.current else None

    def _progress(self) -> Content:
        c = self.curation.progress()
        out = Builder().add(self.curation.progress_line(), "bold")
        out.add(f" · {c.pending} to go", "$text-muted")
        card = self._card()
        if card is not None:
            label, style = STATUS_LABELS[status_of(card)]
            out.add("  ·  this card: ", "$text-muted").add(label, style)
        return out.build()

    def _done(self) -> Content:
        c = self.curation.progress()
        return (
            Builder()
            .add("Every card is decided.\n\n", "bold $success")
            .add(f"{c.accepted} accepted as generated, {c.edited} edited, {c.retired} retired.\n")
            .add(
                "/ finds a card to look at again, u takes back the last decision, q leaves.",
                "$text-muted",
            )
            .build()
        )

    def _card_content(self, card: AnyCard) -> Content:
        out = Builder()
        where = context_line(card)
        out.add(where, "$text-muted").add(f" · {template_of(card)} · {card.id}", "$text-muted")
        out.add("\n\n")
        add_prompt(out, card, "bold")
        choices = card.choice_list
        if isinstance(card, McqCard) and choices:
            out.add("\n")
            for i, choice in enumerate(choices, start=1):
                style = "bold $success" if choice == card.answer else ""
                out.add(f"\n  {i} ", "$text-muted").add(choice, style)
        out.add("\n\n")
        out.add("Answer    ", "$text-muted").add(card.canonical_answer, "bold $success")
        others = card.accepted_answers[1:]
        if others:
            out.add("\nAccepted  ", "$text-muted").add(" · ".join(others))
        if card.explanation:
            out.add("\nExplains  ", "$text-muted").add(one_line(card.explanation, 400))
        return out.build()

    def _passage(self, card: AnyCard) -> Content | None:
        source = card.source
        quote = (source.quote or "") if source else ""
        if not quote.strip():
            return Builder().add("No source quote: nobody can check this card against the report.",
                                 "$warning").build()  # fmt: skip
        passage = None
        report = self.curation.report
        if report is not None:
            passage = report.passage(card)
        out = Builder()
        needles = answer_needles(card)
        if passage is not None:
            if passage.before:
                out.add(passage.before + " ", "$text-muted")
            self._highlighted(out, passage.text, card, needles)
            if passage.after:
                out.add(" " + passage.after, "$text-muted")
        else:
            self._highlighted(out, quote, card, needles)
        where = []
        if source and source.section:
            where.append("§ " + one_line(source.section, 60))
        if source and source.line:
            where.append(f"line {source.line}")
        if self.report_state == "loading":
            where.append("reading the report…")
        elif self.report_state == "error" and self.report_error:
            where.append(self.report_error)
        elif self.report_state == "none":
            where.append("no report: give --source REPORT for the sentences around it")
        if where:
            out.add("\n").add(" · ".join(where), "$text-muted", newlines=False)
        return out.build()

    @staticmethod
    def _highlighted(out: Builder, text: str, card: AnyCard, needles: list[str]) -> None:
        spans = find_spans(text, needles)
        if not spans and card.type != "truefalse":
            spans = find_spans(text, answer_words(card))
        pos = 0
        for start, end in spans:
            out.add(text[pos:start])
            out.add(text[start:end], "bold $text-accent on $accent-muted")
            pos = end
        out.add(text[pos:])

    def _warnings(self, card: AnyCard) -> Content | None:
        found = self.curation.warnings(card.id) + self.curation.hints(card.id)
        if not found:
            return None
        out = Builder()
        for i, w in enumerate(found):
            if i:
                out.add("\n")
            mark, style = {"error": ("✘ ", "bold $error"), "warning": ("⚠ ", "bold $warning")}.get(
                w.severity, ("· ", "bold $text-muted")
            )
            out.add(mark, style)
            out.add(w.message)
            if w.other:
                try:
                    other = self.curation.card(w.other)
                except KeyError:
                    continue
                out.add("\n    ").add(w.other, "$text-muted").add(": ")
                out.add(one_line(other.prompt, 300), "italic")
                out.add(f"  → {one_line(other.canonical_answer, 60)}", "$text-muted")
        return out.build()

    _CARD_ACTIONS = frozenset(
        ["accept", "retire", "edit", "gap", "change_type", "undo", "search", "next", "previous"]
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Decisions are hidden while a panel (edit, choices, search) is open."""
        return not (action in self._CARD_ACTIONS and self.mode != "card")

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        self.refresh_bindings()

    # --- moving -----------------------------------------------------------------------
    def _go(self, card_id: str | None) -> None:
        self.current = card_id
        self.query_one("#curate-body", VerticalScroll).scroll_home(animate=False)
        self.show_card()

    def _ready(self) -> AnyCard | None:
        """The current card when a decision can be taken now (card mode, a card shown)."""
        if self.mode != "card":
            return None
        return self._card()

    def _decide(self, decision: Callable[[str], object], card_id: str) -> bool:
        """Run one of the curation's decisions; a failed write is shown, nothing is lost."""
        try:
            decision(card_id)
        except QuizError as exc:
            self.notify(exc.message, severity="error", markup=False, timeout=8)
            self.show_card()
            return False
        return True

    # --- actions ------------------------------------------------------------------------
    def action_accept(self) -> None:
        card = self._ready()
        if card is None:
            return
        if card.retired:
            self.notify("This card is retired: x brings it back.", markup=False)
            return
        if self._decide(self.curation.accept, card.id):
            self._go(self.curation.next_pending(card.id))

    def action_retire(self) -> None:
        card = self._ready()
        if card is None:
            return
        if card.retired:
            if self._decide(self.curation.restore, card.id):
                self.notify("Card brought back.", markup=False)
                self.show_card()
            return
        if self._decide(self.curation.retire, card.id):
            self._go(self.curation.next_pending(card.id))

    def action_next(self) -> None:
        if self.mode == "card":
            self._go(self.curation.next_pending(self.current) or self.current)

    def action_previous(self) -> None:
        if self.mode == "card":
            self._go(self.curation.next_pending(self.current, step=-1) or self.current)

    def action_undo(self) -> None:
        if self.mode != "card":
            return
        try:
            record = self.curation.undo()
        except QuizError as exc:
            self.notify(exc.message, severity="error", markup=False, timeout=8)
            return
        if record is None:
            self.notify("Nothing to undo.", markup=False)
            return
        self.notify(f"Undone: {ACTION_WORDS.get(record.action, record.action)} of {record.card_id}",
                    markup=False)  # fmt: skip
        self._go(record.card_id)

    # edit ---------------------------------------------------------------------------
    def action_edit(self) -> None:
        card = self._ready()
        if card is None:
            return
        form = edit_form(card)
        self._set_mode("edit")
        values = {
            "prompt": form.prompt,
            "answer": form.answer,
            "extra": form.extra,
            "explanation": form.explanation,
        }
        for name, value in values.items():
            box = self.query_one(f"#edit-{name}", Input)
            box.value = value
            box.cursor_position = len(value)
        self.query_one("#label-prompt", Static).update(
            "Prompt (keep ____ where the gap goes)" if "____" in form.prompt else "Prompt"
        )
        self.query_one("#label-answer").display = form.answer_editable
        self.query_one("#edit-answer").display = form.answer_editable
        self.query_one("#label-extra").display = form.extra_label is not None
        self.query_one("#edit-extra").display = form.extra_label is not None
        if form.extra_label:
            self.query_one("#label-extra", Static).update(form.extra_label)
        self.query_one("#edit-error", Static).update("")
        self.query_one("#edit-title", Static).update(
            Builder()
            .add("Edit ", "bold")
            .add(card.id, "bold $accent")
            .add(f" · {card.type}", "$text-muted")
            .build()
        )
        self.query_one("#card-view").display = False
        self.query_one("#edit-form").display = True
        self.query_one("#edit-prompt", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "search":
            self._search(event.value)
            return
        if self.mode != "edit" or self.current is None:
            return
        values = [
            self.query_one(f"#edit-{n}", Input).value
            for n in ("prompt", "answer", "extra", "explanation")
        ]
        try:
            self.curation.edit(self.current, *values)
        except EditRefused as exc:
            self.query_one("#edit-error", Static).update(
                Builder().add("✘ ", "bold $error").add(exc.message, "$error").build()
            )
            return
        except QuizError as exc:
            self.notify(exc.message, severity="error", markup=False, timeout=8)
            return
        self._close_panels()
        self.notify("Saved. a accepts the card as edited.", markup=False)

    # gap move, type change ----------------------------------------------------------
    def action_gap(self) -> None:
        self._pick("gap")

    def action_change_type(self) -> None:
        self._pick("type")

    def _pick(self, what: str) -> None:
        card = self._ready()
        if card is None:
            return
        if self.report_state == "loading":
            self.notify("Still reading the report: try again in a moment.", markup=False)
            return
        report = self.curation.report
        if report is None:
            self.notify(self.report_error or "No report to take other gaps from: give --source REPORT.",
                        markup=False, severity="warning")  # fmt: skip
            return
        cands = report.candidates
        options = cands.gap_moves(card) if what == "gap" else cands.type_changes(card)
        if not options:
            self.notify(
                "The generator has no other gap for this sentence."
                if what == "gap"
                else "This sentence supports no other card type for this answer.",
                markup=False,
            )
            return
        self.picking, self.alternatives = what, options
        self._set_mode("pick")
        title = "Move the gap to:" if what == "gap" else "Ask it as:"
        self.query_one("#pick-title", Static).update(
            Builder()
            .add(title, "bold")
            .add("  Enter or 1-9 picks · Esc cancels", "$text-muted")
            .build()
        )
        picker = self.query_one("#alternatives", AlternativeList)
        picker.clear_options()
        for i, alt in enumerate(options, start=1):
            line = Text(f"{i} " if i < 10 else "  ", style="bold")
            line.append(f"{alt.type:<8}", style="dim")
            line.append(visible(alt.answer, newlines=False), style="bold")
            line.append("  " + gap_window(alt.card.prompt), style="italic")
            picker.add_option(Option(line))
        picker.highlighted = 0
        self.query_one("#pick-title").display = True
        picker.display = True
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.mode != "pick" or self.current is None:
            return
        alt = self.alternatives[event.option_index]
        action = self.picking
        try:
            self.curation.replace(self.current, alt.card, action=action)
        except QuizError as exc:
            self.notify(exc.message, severity="error", markup=False, timeout=8)
            return
        self._close_panels()
        what = f"gap on {one_line(alt.answer, 40)}" if action == "gap" else f"now a {alt.type} card"
        self.notify(f"Changed: {what}. a accepts it.", markup=False)

    # search ---------------------------------------------------------------------------
    def action_search(self) -> None:
        if self.mode != "card":
            return
        self._set_mode("search")
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    def _search(self, query: str) -> None:
        found = self.curation.search(query, self.current)
        if found is None:
            self.notify(f"No card holds {one_line(query, 40)!r}.", markup=False)
            return
        self.current = found
        self.show_card()

    # leaving --------------------------------------------------------------------------
    def _close_panels(self) -> None:
        self._set_mode("card")
        for widget_id in ("#edit-form", "#pick-title", "#alternatives", "#search"):
            self.query_one(widget_id).display = False
        self.query_one("#card-view").display = True
        self.set_focus(None)
        self.show_card()

    def action_cancel(self) -> None:
        if self.mode != "card":
            self._close_panels()
            return
        self.action_leave()

    def action_leave(self) -> None:
        if self.mode != "card":
            self._close_panels()
            return
        if self.standalone:
            self.app.exit()
        else:
            self.dismiss(None)
