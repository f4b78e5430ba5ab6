"""The study app: ``QuizApp`` and the two ways in (``quiz`` and ``quiz study``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from quiz.deck.model import Deck
from quiz.study.clock import Clock, system_clock
from quiz.tui.db import DbThread

if TYPE_CHECKING:
    from quiz.store import Store


class QuizApp(App):
    """quiz in the terminal: pick a deck, study it, browse it, see your progress."""

    CSS_PATH = "app.tcss"
    TITLE = "quiz"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help (also while typing)", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        store: Store,
        db: DbThread,
        learner: str,
        db_path: str | Path | None = None,
        clock: Clock | None = None,
        extra_paths: Sequence[str | Path] = (),
        study_deck: Deck | None = None,
        mode: str = "study",
        exam_size: int | None = None,
        practice_cards: list[str] | None = None,
        new_limit: int | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.db = db
        self.learner = learner
        self.db_path = db_path
        self.clock: Clock = clock or system_clock
        self.extra_paths = tuple(extra_paths)
        self.study_deck = study_deck
        self.start_mode = mode
        self.start_exam_size = exam_size
        self.start_practice_cards = practice_cards
        self.new_limit = new_limit
        self.seed = seed
        self._main_thread_store: Store | None = None
        self.crash: str | None = None  # one line about an internal error, if one stopped the app

    def on_mount(self) -> None:
        if self.study_deck is not None:
            from quiz.tui.screens.study import StudyScreen

            self.push_screen(
                StudyScreen(
                    self.study_deck,
                    mode=self.start_mode,
                    exam_size=self.start_exam_size,
                    practice_cards=self.start_practice_cards,
                    standalone=True,
                )
            )
        else:
            from quiz.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())

    # --- help, palette ---------------------------------------------------------
    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every binding of the current screen, then Textual's own."""
        from quiz.tui.screens.help import screen_bindings

        titles: set[str] = set()
        for _where, binding, owner in screen_bindings(screen):
            if not binding.description or binding.description.casefold() in titles:
                continue  # one entry per command (Esc and q both "Back": once)
            titles.add(binding.description.casefold())
            key = binding.key_display or self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"press {key}",
                partial(self._run_binding, owner, binding.action),
            )
        for command in super().get_system_commands(screen):
            if command.title.casefold() not in titles:  # Textual's own Quit, Help, ...
                titles.add(command.title.casefold())
                yield command

    async def _run_binding(self, owner: DOMNode, action: str) -> None:
        """Run a binding's action as its key would: on the widget or screen that owns it."""
        await self.run_action(action, owner)

    # --- internal errors: a line for the user, the details in a file ----------
    def _fatal_error(self) -> None:
        """Stop on an unexpected error without printing a traceback (it goes to a log file)."""
        from quiz.crashlog import crash_line, write_crash_log

        error = self._exception
        self.crash = (
            crash_line(error, write_crash_log(error)) + ". Every answer you rated is saved."
        )
        self._close_messages_no_wait()

    # --- the store on the UI thread, for screens that read it directly ---------
    def main_thread_store(self) -> Store:
        """A second connection to the database, for screens that query on the UI thread."""
        if self._main_thread_store is None:
            from quiz.store import Store

            self._main_thread_store = Store.open(self.db_path, clock=self.clock)
        return self._main_thread_store

    async def on_unmount(self) -> None:
        if self._main_thread_store is not None:
            _close(self._main_thread_store)


def _run(app: QuizApp) -> None:
    """Run the app; an internal error becomes one line (QuizError) instead of a traceback."""
    from quiz.errors import QuizError

    app.run()
    if app.crash:
        raise QuizError(app.crash, exit_code=70)


def _close(store: Store) -> None:
    close = getattr(store, "close", None)
    if callable(close):
        close()


def _open_store(db: DbThread, path: str | Path | None, clock: Clock) -> Store:
    from quiz.store import Store

    return db.call_sync(Store.open, path, clock=clock)


def _remember(store: Store, path: Path) -> None:
    """``quiz --decks PATH``: keep PATH in the deck library (it stays on home)."""
    if not path.exists():
        return  # home shows the error; nothing worth remembering
    deck_id = title = None
    if path.is_file():
        from quiz.deck.discovery import read_deck_cached

        result = read_deck_cached(path)
        header = result.deck or result.header
        if header is not None:
            deck_id, title = header.deck, header.title
    store.add_to_library(path, deck=deck_id, title=title, added_by="decks")


def _launch(
    db: str | Path | None, clock: Clock | None, learner: str | None, **app_options: Any
) -> None:
    """Open the store on its own thread, run a ``QuizApp`` with ``app_options``, close everything."""
    from quiz.store import default_learner

    clock = clock or system_clock
    thread = DbThread()
    try:
        store = _open_store(thread, db, clock)
        for path in app_options.get("extra_paths", ()):
            thread.call_sync(_remember, store, Path(path))
        app = QuizApp(
            store=store,
            db=thread,
            learner=learner or default_learner(),
            db_path=db,
            clock=clock,
            **app_options,
        )
        try:
            _run(app)
        finally:
            thread.call_sync(_close, store)
    finally:
        thread.shutdown()


def run_app(
    extra_paths: Sequence[str | Path] = (),
    learner: str | None = None,
    db: str | Path | None = None,
    *,
    clock: Clock | None = None,
) -> None:
    """``quiz`` with no arguments: the home screen with every deck found."""
    _launch(db, clock, learner, extra_paths=extra_paths)


def run_study(
    deck_path: str | Path,
    learner: str | None = None,
    db: str | Path | None = None,
    mode: str = "study",
    exam: int | None = None,
    *,
    new_limit: int | None = None,
    practice_cards: list[str] | None = None,
    clock: Clock | None = None,
) -> None:
    """``quiz study DECK``: straight into a session on one deck (``practice_cards``: only
    these cards, in practice mode)."""
    from quiz.deck.discovery import resolve_deck
    from quiz.store.library import present_paths

    deck = resolve_deck(str(deck_path), present_paths(db))
    if exam is not None:
        mode = "exam"
    _launch(
        db,
        clock,
        learner,
        study_deck=deck,
        mode=mode,
        exam_size=exam,
        new_limit=new_limit,
        practice_cards=practice_cards,
    )


class CurateApp(QuizApp):
    """``quiz curate``: the curation screen on its own (no progress database needed)."""

    TITLE = "quiz curate"

    def __init__(self, curation: Any) -> None:
        super().__init__(store=None, db=None, learner="")  # type: ignore[arg-type]
        self.curation = curation

    # Textual calls every class's on_mount; this one needs the event to stop QuizApp's
    def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]
        from quiz.tui.screens.curate import CurateScreen

        event.prevent_default()  # not QuizApp's home screen
        self.push_screen(CurateScreen(self.curation, standalone=True))


def run_curate(deck_path: str | Path, source: str | Path | None = None) -> None:
    """``quiz curate DECK``: walk the deck's unreviewed cards; every decision is saved at once."""
    from quiz.curation import Curation

    _run(CurateApp(Curation(deck_path, source)))
