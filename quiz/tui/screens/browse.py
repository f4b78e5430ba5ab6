"""Browse: every card of a deck in a table, searchable and filterable; suspend and unsuspend."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from quiz.deck.model import CARD_KINDS, CARD_TYPES, Deck
from quiz.errors import QuizError
from quiz.study.catalog import FILTER_STATES, CardFilter, CardRow, ReviewEntry, filter_rows
from quiz.study.states import rating_label
from quiz.tui.text import Builder, cell, one_line, theme_color
from quiz.tui.timefmt import duration_text, relative_text
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.question import add_prompt

if TYPE_CHECKING:
    from quiz.tui.app import QuizApp

TABLE_COLUMNS = (
    ("prompt", "Question", None),
    ("type", "Type", 9),
    ("state", "State", 22),
    ("due", "Due", 4),
)
"""The card list; the card id is in the detail below (questions are what people read)."""
FIXED_WIDTH = sum(w or 0 for _k, _l, w in TABLE_COLUMNS) + 2 * len(TABLE_COLUMNS) + 4
"""Columns, their padding, the table's margins and its scroll bar."""


def _due_cell(row: CardRow, now: datetime) -> Text:
    if row.state == "new" or row.due is None:
        return Text("—", style="dim")
    delta = row.due - now
    if delta.total_seconds() <= 0:
        return Text("due", style="bold")
    seconds = delta.total_seconds()
    if seconds < 3600:
        return Text(f"{max(1, round(seconds / 60))}m")
    if seconds < 86400:
        return Text(f"{round(seconds / 3600)}h")
    return Text(f"{round(seconds / 86400)}d")


class CardTable(DataTable):
    """The cards; Enter practices the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Practice card"),
    ]


class BrowseScreen(Screen):
    """Every card of the deck: search, filter, see a card's history, suspend or unsuspend."""

    CSS_PATH = "browse.tcss"
    HELP_TITLE = "Browse"
    KEY_BAR_SPARE = ("back",)
    """Left out of a narrow key bar: Esc goes back everywhere (and Help says so)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "back_q", "Back", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("at", "toggle_suspend", "(Un)suspend", key_display="@"),
        Binding("e", "edit", "Edit"),
        Binding("p", "practice", "Practice these"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, deck: Deck) -> None:
        super().__init__()
        self.deck = deck
        self.rows: list[CardRow] = []
        self.shown: list[CardRow] = []
        self.filter = CardFilter()

    @property
    def quiz_app(self) -> QuizApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(
            Builder()
            .add("Browse  ", "bold $accent")
            .add(one_line(self.deck.title, 50), "bold")
            .add(f"  ·  {one_line(self.quiz_app.learner, 30)}", "$text-muted")
            .build(),
            classes="title-bar",
        )
        sections = sorted({c.section for c in self.deck.active_cards if c.section})
        with Horizontal(id="filters"):
            yield Input(placeholder="search text…", id="search")
            yield Select(
                [(Content(one_line(s, 40)), s) for s in sections],
                prompt="section",
                id="section",
            )
            yield Select([(t, t) for t in CARD_TYPES], prompt="type", id="type")
            yield Select([(k, k) for k in CARD_KINDS], prompt="kind", id="kind")
            yield Select([(s, s) for s in FILTER_STATES], prompt="state", id="state")
        table: DataTable = CardTable(id="cards", cursor_type="row", zebra_stripes=True)
        for key, label, width in TABLE_COLUMNS:
            table.add_column(label, key=key, width=width or self._prompt_width())
        yield table
        with VerticalScroll(id="card-detail"):
            yield Static("", id="detail-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.apply_filter())
        self.query_one("#detail-text", Static).update(Builder().add("Loading…").build())
        self.query_one("#cards", DataTable).focus()
        self.load_rows()

    def _load(self) -> list[CardRow]:
        from quiz.study.catalog import card_rows

        app = self.quiz_app
        app.store.sync_deck(self.deck)
        return card_rows(app.store, self.deck, app.learner)

    @work(exclusive=True, group="browse-load")
    async def load_rows(self, keep: str | None = None) -> None:
        try:
            self.rows = await self.quiz_app.db.call(self._load)
        except QuizError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.apply_filter(keep)

    def _prompt_width(self) -> int:
        """Room for the question column so every column fits the screen."""
        return max(20, self.app.size.width - FIXED_WIDTH)

    def on_resize(self) -> None:
        """Fit the question column to the new width (and keep the cursor's card)."""
        table = self.query_one("#cards", DataTable)
        width = self._prompt_width()
        column = table.columns.get("prompt")  # type: ignore[call-overload]
        if column is not None and column.width != width and self.rows:
            column.width = width
            row = self.current()
            self.apply_filter(row.card_id if row else None)

    def apply_filter(self, keep: str | None = None) -> None:
        now = self.quiz_app.clock()
        self.shown = filter_rows(self.rows, self.filter, now)
        table = self.query_one("#cards", DataTable)
        table.clear()
        warn = theme_color(self.app, "warning", "yellow")
        error = theme_color(self.app, "error", "red")
        for row in self.shown:
            table.add_row(
                cell(row.card.prompt, self._prompt_width()),
                cell(row.card.type),
                cell(
                    row.status(now), 22, warn if row.suspended else (error if row.flagged else "")
                ),
                _due_cell(row, now),
                key=row.card_id,
            )
        if keep is not None:
            for i, row in enumerate(self.shown):
                if row.card_id == keep:
                    table.move_cursor(row=i)
                    break
        self.sub_title = f"{len(self.shown)} of {len(self.rows)} cards"
        if not self.shown:
            self.query_one("#detail-text", Static).update(
                Builder().add("No card matches these filters.", "$text-muted").build()
            )
        else:
            self.show_detail()

    # --- filters -----------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.filter.text = event.value
            self.apply_filter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.query_one("#cards", DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.BLANK else str(event.value)
        if event.select.id == "section":
            self.filter.section = value
        elif event.select.id == "type":
            self.filter.type = value
        elif event.select.id == "kind":
            self.filter.kind = value
        elif event.select.id == "state":
            self.filter.states = {value} if value else set()
        self.apply_filter()

    # --- detail ------------------------------------------------------------------
    def current(self) -> CardRow | None:
        table = self.query_one("#cards", DataTable)
        if not self.shown or table.cursor_row is None:
            return None
        index = table.cursor_row
        return self.shown[index] if 0 <= index < len(self.shown) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current()
        if row is None:
            return
        from quiz.tui.screens.study import StudyScreen

        self.app.push_screen(StudyScreen(self.deck, mode="practice", practice_cards=[row.card_id]))

    def show_detail(self) -> None:
        row = self.current()
        if row is not None:
            self.load_history(row)

    def _history(self, card_id: str) -> list[ReviewEntry]:
        from quiz.study.catalog import card_history

        app = self.quiz_app
        return card_history(app.store, app.learner, self.deck.deck, card_id)

    @work(exclusive=True, group="browse-detail")
    async def load_history(self, row: CardRow) -> None:
        try:
            history = await self.quiz_app.db.call(self._history, row.card_id)
        except Exception as exc:
            self.notify(f"{type(exc).__name__}: {exc}", severity="error", markup=False)
            history = []
        self.query_one("#detail-text", Static).update(self._detail(row, history))

    def _detail(self, row: CardRow, history: list[ReviewEntry]) -> Content:
        now = self.quiz_app.clock()
        card = row.card
        out = Builder()
        out.add(card.id, "bold $accent").add(f"  {card.type} · {card.kind}", "$text-muted")
        if card.section:
            out.add(f" · § {one_line(card.section, 50)}", "$text-muted")
        out.add("\n")
        add_prompt(out, card, "bold")
        out.add("\n").add("Answer  ", "$text-muted").add(card.canonical_answer)
        out.add("\n").add("State   ", "$text-muted").add(row.status(now))
        if row.state != "new":
            out.add(f"   reps {row.reps} · lapses {row.lapses}", "$text-muted")
            out.add("\n").add("Due     ", "$text-muted").add(relative_text(row.due, now))
        if row.flagged:
            out.add("\n").add("Flagged ", "$error").add(row.flag_comment or "(no comment)")
        out.add("\n\n").add("History", "bold")
        if not history:
            out.add("  no answers yet", "$text-muted")
        for entry in reversed(history[-20:]):
            local = relative_when(entry.reviewed_at)
            out.add(f"\n  {local}  ", "$text-muted")
            out.add(f"{rating_label(entry.rating):<5}", "bold")
            out.add(f"  {entry.verdict or '':<7} ", "$text-muted")
            out.add(one_line(entry.answer or "", 40))
            extra = [entry.mode] if entry.mode != "study" else []
            if entry.duration_ms:
                extra.append(duration_text(entry.duration_ms))
            if extra:
                out.add(f"  ({', '.join(extra)})", "$text-muted")
        return out.build()

    # --- actions -----------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input | Select):
            self.query_one("#cards", DataTable).focus()
            return
        self.app.pop_screen()

    def action_back_q(self) -> None:
        """q: back, like Esc, except in the search box (where it is a letter)."""
        self.action_back()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)  # letters go into the search box
        return not (typing and action in ("back_q", "edit", "practice", "toggle_suspend"))

    def action_edit(self) -> None:
        row = self.current()
        if row is None:
            return
        if self.deck.path is None:
            self.notify("This deck has no file to edit.", markup=False)
            return
        from quiz.tui.editor import edit_card

        result = edit_card(self.app, self.deck.path, row.card_id, self.deck.deck)
        if result is None:
            return
        if result.deck is None:
            self.notify(
                f"{result.error}\nNothing changed here; e to edit again.",
                severity="error",
                markup=False,
                timeout=12,
            )
            return
        self.deck = result.deck
        self.notify(
            "Saved; progress kept."
            if result.card is not None
            else "Saved. The card is no longer in the deck (removed, renamed or retired).",
            markup=False,
        )
        self.load_rows(row.card_id)

    @work(exclusive=True, group="browse-load")
    async def action_toggle_suspend(self) -> None:
        row = self.current()
        if row is None:
            return
        from quiz.study.catalog import set_suspended

        app = self.quiz_app
        try:
            await app.db.call(
                set_suspended,
                app.store,
                app.learner,
                self.deck.deck,
                row.card_id,
                not row.suspended,
            )
        except Exception as exc:
            self.notify(f"{type(exc).__name__}: {exc}", severity="error", markup=False)
            return
        self.notify(
            f"{'Unsuspended' if row.suspended else 'Suspended'}: {one_line(row.card.prompt, 60)}",
            markup=False,
        )
        self.rows = await app.db.call(self._load)
        self.apply_filter(keep=row.card_id)

    def action_practice(self) -> None:
        if not self.shown:
            self.notify("No cards to practice.", markup=False)
            return
        from quiz.tui.screens.study import StudyScreen

        ids = [r.card_id for r in self.shown]
        self.app.push_screen(StudyScreen(self.deck, mode="practice", practice_cards=ids))

    def on_screen_resume(self) -> None:
        row = self.current()
        self.load_rows(row.card_id if row else None)


def relative_when(when: datetime) -> str:
    """A review time in local time: ``2026-03-02 10:00``."""
    from quiz.tui.timefmt import local_time

    return f"{local_time(when):%Y-%m-%d %H:%M}"
