"""Home: the learner, their decks with what is due today, and the way into everything."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from quiz.deck.discovery import MISSING_KEY
from quiz.errors import QuizError
from quiz.study.catalog import DeckOverview
from quiz.tui.text import Builder, cell, one_line, theme_color
from quiz.tui.widgets.keybar import KeyBar
from quiz.tui.widgets.mastery_bar import mastery_content

if TYPE_CHECKING:
    from quiz.deck.model import Deck
    from quiz.tui.app import QuizApp

COLUMNS = (
    ("deck", "Deck", None),
    ("cards", "Cards", 7),
    ("new", "New", 4),
    ("learning", "Learn", 5),
    ("due", "Due", 4),
    ("retention", "Retain", 6),
    ("mastery", "Mastery", 11),
)


def _count_cell(value: int | None, style: str) -> Text:
    """A right-aligned count; dim when zero or unknown."""
    if value is None:
        return Text("—", style="dim", justify="right")
    return Text(str(value), style=style if value else "dim", justify="right")


def _percent_cell(value: float | None) -> Text:
    if value is None:
        return Text("—", style="dim", justify="right")
    return Text(f"{value * 100:.0f}%", justify="right")


def _mastery_cell(value: float | None, colour: str = "green") -> Text:
    if value is None:
        return Text("—", style="dim")
    filled = round(max(0.0, min(1.0, value)) * 6)
    text = Text("█" * filled, style=colour)
    text.append("░" * (6 - filled), style="dim")
    text.append(f" {value * 100:3.0f}%")
    return text


def open_stats(app: QuizApp, deck_id: str | None) -> None:
    """Push the statistics screen for ``deck_id`` or every deck."""
    from quiz.tui.screens.stats import StatsScreen

    try:
        screen = StatsScreen(app.main_thread_store(), app.learner, deck_id, clock=app.clock)
    except QuizError as exc:
        app.notify(exc.message, severity="error", markup=False)
        return
    app.push_screen(screen)


def _unreviewed(deck: Deck) -> int:
    """Active generated cards no instructor has reviewed yet (what curation walks through).

    Cards written by hand carry no generator fingerprint (a ``gen:`` tag) and are not
    counted: the hint is for decks that came out of ``quiz generate``."""
    return sum(
        1
        for c in deck.cards
        if not c.retired and not c.reviewed and any(t.startswith("gen:") for t in c.tags)
    )


class DeckTable(DataTable):
    """The decks; Enter studies the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Study"),
    ]


class HomeScreen(Screen):
    """Your decks: what is new, in learning and due today; pick one to study."""

    CSS_PATH = "home.tcss"
    HELP_TITLE = "Home"
    KEY_BAR_SPARE = ("learner",)
    """Left out of a narrow key bar: the header says "(l to switch)"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study"),
        Binding("p", "practice", "Practice"),
        Binding("x", "exam", "Exam"),
        Binding("b", "browse", "Browse"),
        Binding("c", "curate", "Curate", show=False),  # offered in the deck detail when it applies
        Binding("s", "stats", "Stats"),
        Binding("l", "learner", "Learner"),
        Binding("o", "options", "Options"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("q", "quit", "Quit"),
        Binding("escape", "esc_hint", "", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.decks: dict[str, Deck] = {}
        self.errors: dict[str, str] = {}
        self.paths: dict[str, Path] = {}
        self.overviews: dict[str, DeckOverview] = {}
        self.loaded = False  # every deck found has been loaded once

    @property
    def quiz_app(self) -> QuizApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(self._title(), classes="title-bar", id="home-title")
        table: DataTable = DeckTable(id="decks", cursor_type="row", zebra_stripes=True)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield Static("", id="deck-detail")
        yield KeyBar()

    def _title(self):
        return (
            Builder()
            .add("quiz", "bold $accent")
            .add("   learner ", "$text-muted")
            .add(one_line(self.quiz_app.learner, 40), "bold")
            .add("  (l to switch)", "$text-muted")
            .build()
        )

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.query_one("#deck-detail", Static).update(
            Builder().add("Looking for decks…", "$text-muted").build()
        )
        self.load_decks()

    def _theme_changed(self, _theme: object) -> None:
        for deck_id, overview in list(self.overviews.items()):
            self._set_row(deck_id, overview)

    def on_screen_resume(self) -> None:
        self.query_one("#home-title", Static).update(self._title())
        if self.loaded:
            self.refresh_counts()

    # --- loading -------------------------------------------------------------
    def _find(self) -> list[Any]:
        from quiz.deck.discovery import find_library_decks

        app = self.quiz_app
        return find_library_decks(app.extra_paths, app.store.library())

    def _load_one(self, ref: Any) -> tuple[Deck | None, DeckOverview | None, str | None]:
        from quiz.deck.discovery import read_deck_cached
        from quiz.study.catalog import deck_overview

        app = self.quiz_app
        if getattr(ref, "error", None):
            return None, None, ref.error
        try:
            result = read_deck_cached(Path(ref.path))
            deck = result.deck
            if deck is None:
                return None, None, "; ".join(p.format() for p in result.errors[:1])
            return deck, deck_overview(app.store, deck, app.learner, app.clock()), None
        except QuizError as exc:
            return None, None, exc.message

    def _overview(self, deck: Deck) -> DeckOverview:
        from quiz.study.catalog import deck_overview

        app = self.quiz_app
        return deck_overview(app.store, deck, app.learner, app.clock())

    @work(exclusive=True, group="home-load")
    async def load_decks(self) -> None:
        self.loaded = False
        try:
            await self._load_decks()
        finally:
            self.loaded = True

    async def _load_decks(self) -> None:
        db = self.quiz_app.db
        table = self.query_one("#decks", DataTable)
        try:
            refs = await db.call(self._find)
        except QuizError as exc:
            self.query_one("#deck-detail", Static).update(
                Builder().add(exc.message, "$error").build()
            )
            return
        except Exception as exc:
            self.query_one("#deck-detail", Static).update(
                Builder().add(f"Could not look for decks: {exc}", "$error").build()
            )
            return
        table.clear()
        self.decks.clear()
        self.errors.clear()
        for ref in refs:
            self.paths[ref.deck_id] = Path(ref.path)
            table.add_row(
                cell(ref.title, self._title_width()),
                *(Text("…", style="dim") for _ in COLUMNS[1:]),
                key=ref.deck_id,
            )
        if not refs:
            self._show_empty()
            return
        self._show_detail()
        for ref in refs:
            try:
                deck, overview, error = await db.call(self._load_one, ref)
            except Exception as exc:  # a broken store must not take the screen down
                deck, overview, error = None, None, f"{type(exc).__name__}: {exc}"
            if deck is not None and overview is not None:
                self.decks[ref.deck_id] = deck
                self._set_row(ref.deck_id, overview)
            else:
                self.errors[ref.deck_id] = error or "cannot load"
                gone = ref.deck_id.startswith(MISSING_KEY)
                table.update_cell(
                    ref.deck_id,
                    "cards",
                    Text(
                        "missing" if gone else "error", style=theme_color(self.app, "error", "red")
                    ),
                )
                for key, _label, _width in COLUMNS[2:]:  # nothing to count: not "still loading"
                    table.update_cell(ref.deck_id, key, Text(""))
            self._show_detail()

    @work(exclusive=True, group="home-refresh")
    async def refresh_counts(self) -> None:
        for deck_id, deck in list(self.decks.items()):
            try:
                overview = await self.quiz_app.db.call(self._overview, deck)
            except Exception as exc:
                self.notify(f"{type(exc).__name__}: {exc}", severity="error", markup=False)
                return
            self._set_row(deck_id, overview)
        self._show_detail()

    def _title_width(self) -> int:
        """Room for deck titles so every column fits (80 columns and up)."""
        return max(16, min(60, self.app.size.width - 54))

    def on_resize(self) -> None:
        """Titles re-cut to the new width, so every column fits (80 columns and up)."""
        table = self.query_one("#decks", DataTable)
        for deck_id, overview in list(self.overviews.items()):
            table.update_cell(
                deck_id, "deck", cell(overview.title, self._title_width()), update_width=True
            )

    def _set_row(self, deck_id: str, o: DeckOverview) -> None:
        self.overviews[deck_id] = o
        table = self.query_one("#decks", DataTable)
        table.update_cell(deck_id, "deck", cell(o.title, self._title_width()))
        table.update_cell(deck_id, "cards", Text(str(o.cards), justify="right"))
        app = self.app
        new, learning, due = (
            "bold " + theme_color(app, "primary", "blue"),
            "bold " + theme_color(app, "error", "red"),
            "bold " + theme_color(app, "success", "green"),
        )
        table.update_cell(deck_id, "new", _count_cell(o.new, new))
        table.update_cell(deck_id, "learning", _count_cell(o.learning, learning))
        table.update_cell(deck_id, "due", _count_cell(o.due, due))
        table.update_cell(deck_id, "retention", _percent_cell(o.retention))
        table.update_cell(
            deck_id, "mastery", _mastery_cell(o.mastery, theme_color(app, "success", "green"))
        )

    def _show_empty(self) -> None:
        try:
            from quiz.deck.discovery import user_decks_dir

            where = str(user_decks_dir())
        except Exception:
            where = "your decks folder"
        self.query_one("#deck-detail", Static).update(
            Builder()
            .add("No decks found.\n", "bold")
            .add("Put deck files (.yaml) in ")
            .add(where, "$accent")
            .add(", or start quiz with --decks PATH.")
            .build()
        )

    # --- selection -------------------------------------------------------------
    def selected_id(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:
            return None
        return str(key.value) if key.value is not None else None

    def selected_deck(self) -> Deck | None:
        deck_id = self.selected_id()
        if deck_id is None:
            return None
        if deck_id in self.errors:
            self.notify(self.errors[deck_id], severity="error", markup=False, timeout=8)
            return None
        deck = self.decks.get(deck_id)
        if deck is None:
            self.notify("Still loading this deck…", markup=False)
        return deck

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_study()

    def _show_detail(self) -> None:
        deck_id = self.selected_id()
        detail = self.query_one("#deck-detail", Static)
        if deck_id is None:
            return
        out = Builder()
        if deck_id in self.errors:
            gone = deck_id.startswith(MISSING_KEY)
            out.add("Deck file missing\n" if gone else "Cannot load this deck\n", "bold $error")
            out.add(self.errors[deck_id])
            detail.update(out.build())
            return
        deck = self.decks.get(deck_id)
        if deck is None:
            detail.update(out.add("Loading…", "$text-muted").build())
            return
        out.add(one_line(deck.title), "bold")
        if deck.source is not None:
            src = deck.source
            by = ", ".join(one_line(x) for x in (src.author, src.publisher, src.published) if x)
            out.add("\n").add(one_line(src.title), "italic")
            if by:
                out.add(f" — {by}", "$text-muted")
        if deck.description.strip():
            out.add("\n").add(one_line(deck.description, 160), "$text-muted")
        o = self.overviews.get(deck_id)
        if o is not None:
            out.add("\n\n").add("Mastery  ", "$text-muted").add_content(
                mastery_content(o.mastery, 30)
            )
            left = (o.new or 0) + (o.learning or 0) + (o.due or 0)
            if o.new is not None:
                if left:
                    out.add(f"\n{left} cards to study today. ", "bold").add("Enter to start.")
                else:
                    out.add("\nNothing due today. ", "bold $success").add(
                        "p practices any cards without changing the schedule."
                    )
            if o.due_tomorrow is not None:
                out.add("\nDue tomorrow: ", "$text-muted").add(str(o.due_tomorrow), "bold")
        unreviewed = _unreviewed(deck)
        if unreviewed:
            out.add(f"\n{unreviewed} cards not reviewed by an instructor yet. ", "$warning").add(
                "c to curate them.", "$text-muted"
            )
        detail.update(out.build())

    # --- actions -----------------------------------------------------------------
    def action_study(self) -> None:
        deck = self.selected_deck()
        if deck is None:
            return
        from quiz.tui.screens.study import StudyScreen

        self.app.push_screen(StudyScreen(deck, mode="study"))

    def action_practice(self) -> None:
        deck = self.selected_deck()
        if deck is None:
            return
        from quiz.tui.screens.study import StudyScreen

        self.app.push_screen(StudyScreen(deck, mode="practice"))

    def action_exam(self) -> None:
        deck = self.selected_deck()
        if deck is None:
            return
        from quiz.tui.screens.flag import AskNumberScreen
        from quiz.tui.screens.study import StudyScreen

        total = len(deck.active_cards)
        if total == 0:
            self.notify("This deck has no cards to ask.", markup=False)
            return

        def start(n: int | None) -> None:
            if n is not None:
                self.app.push_screen(StudyScreen(deck, mode="exam", exam_size=n))

        self.app.push_screen(
            AskNumberScreen(
                f"Exam: how many questions? (the deck has {total})", min(20, total), total
            ),
            start,
        )

    def action_browse(self) -> None:
        deck = self.selected_deck()
        if deck is None:
            return
        from quiz.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(deck))

    def action_curate(self) -> None:
        deck = self.selected_deck()
        if deck is None:
            return
        if not _unreviewed(deck):
            self.notify("Every card of this deck is reviewed.", markup=False)
            return
        if deck.path is None:
            self.notify("This deck has no file to curate.", markup=False)
            return
        from quiz.curation import Curation
        from quiz.tui.screens.curate import CurateScreen

        try:
            curation = Curation(deck.path)
        except QuizError as exc:
            self.notify(exc.message, severity="error", markup=False, timeout=8)
            return

        def reload(_result: object) -> None:
            self.load_decks()

        self.app.push_screen(CurateScreen(curation), reload)

    def action_stats(self) -> None:
        open_stats(self.quiz_app, self.selected_id())

    def action_options(self) -> None:
        from quiz.tui.screens.options import OptionsScreen

        self.app.push_screen(OptionsScreen(self.selected_id()))

    def action_learner(self) -> None:
        from quiz.tui.screens.learner import LearnerScreen

        def switch(name: str | None) -> None:
            if name and name != self.quiz_app.learner:
                self.quiz_app.learner = name
                self.notify(f"Now studying as {one_line(name, 40)}", markup=False)
                self.query_one("#home-title", Static).update(self._title())
                self.load_decks()

        self.app.push_screen(LearnerScreen(self.quiz_app.learner), switch)

    def action_refresh(self) -> None:
        self.load_decks()

    def action_esc_hint(self) -> None:
        """Esc goes back a step; on home there is nowhere to go back to."""
        self.notify("This is the first screen: q quits quiz.", markup=False, timeout=3)

    def action_quit(self) -> None:
        self.app.exit()
