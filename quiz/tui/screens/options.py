"""Deck options: daily limits, desired retention, steps, maximum interval, leech threshold,
custom study, and a workload chart to choose a retention by."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from quiz.errors import QuizError
from quiz.study.options import EDITABLE, DeckOptions, OptionError, check
from quiz.tui.text import Builder, one_line
from quiz.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from quiz.store import Store
    from quiz.tui.app import QuizApp

LABELS = {
    "new_per_day": "New cards a day",
    "reviews_per_day": "Reviews a day",
    "desired_retention": "Desired retention",
    "learning_steps": "Learning steps",
    "relearning_steps": "Relearning steps",
    "maximum_interval": "Maximum interval (days)",
    "leech_threshold": "Leech threshold (lapses)",
}


def option_text(options: DeckOptions, name: str) -> str:
    """An option's value as typed in its field."""
    value = options.to_json()[name]
    if isinstance(value, list):
        return ",".join(value) or "none"
    return str(value)


SIM_DAYS = 180
SIM_RETENTIONS = (0.75, 0.80, 0.85, 0.90, 0.95)
BAR = 18  # the chart line fits in the options box at 80 columns


def workload_chart(results: list[Any], current: float | None = None) -> Text:
    """Minutes a day (bars) and knowledge at the end, one line per desired retention."""
    days = results[0].days if results else 0
    cards = results[0].cards if results else 0
    text = Text(
        f"Workload · next {days} days, {cards} cards · minutes a day (bar) and cards "
        "known at the end\n",
        style="bold",
    )
    top = max((r.minutes_per_day for r in results), default=0.0) or 1.0
    for r in results:
        mark = "▸" if current is not None and abs(r.desired_retention - current) < 1e-9 else " "
        filled = round(r.minutes_per_day / top * BAR)
        text.append(f"{mark}{r.desired_retention:.2f} ")
        text.append("█" * filled, style="green")
        text.append("░" * (BAR - filled), style="dim")
        text.append(
            f" {r.minutes_per_day:5.1f} min  {r.reviews_per_day:5.1f} answers/day  "
            f"{r.knowledge:5.0f} known ({r.knowledge_share * 100:.0f}%)\n"
        )
    return text


def _load(store: Store, learner: str, deck: str | None, now: Any) -> tuple[DeckOptions, int]:
    opts = store.options(learner, deck)
    day = store.study_day(learner, deck).day_of(now).isoformat()
    return opts, opts.new_limit_on(day)


class OptionsScreen(Screen):
    """A learner's options for one deck (or all their decks); Ctrl+S saves."""

    CSS_PATH = "options.tcss"
    HELP_TITLE = "Options"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, deck_id: str | None) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.shown: dict[str, str] = {}
        self.options: DeckOptions | None = None

    @property
    def quiz_app(self) -> QuizApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        where = one_line(self.deck_id, 40) if self.deck_id else "all decks"
        yield Static(
            Builder()
            .add("Options", "bold")
            .add("  ·  ")
            .add(one_line(self.quiz_app.learner, 24))
            .add("  ·  ")
            .add(where)
            .build(),
            classes="title-bar",
        )
        with VerticalScroll(id="options-body"):
            with Vertical(id="options-form", classes="panel"):
                for name in EDITABLE:
                    with Horizontal(classes="option-row"):
                        yield Label(LABELS[name], classes="option-label")
                        yield Input(id=f"opt-{name}", classes="option-input", compact=True)
                if self.deck_id:
                    with Horizontal(classes="option-row"):
                        yield Label("Custom study: more new today", classes="option-label")
                        yield Input(
                            placeholder="e.g. 10",
                            id="opt-extra-new",
                            classes="option-input",
                            compact=True,
                        )
                yield Static("", id="options-today", markup=False)
                with Horizontal(id="options-buttons"):
                    yield Button("Save", id="options-save", variant="primary")
                    yield Button("Back", id="options-back")
            yield Static("", id="options-sim", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()
        self.simulate()

    @work(exclusive=True, group="simulate")
    async def simulate(self) -> None:
        """Fill the workload chart: the simulator at a few retentions (off the UI thread)."""
        import asyncio

        from quiz.study.simulate import learner_profile, simulate_retentions

        app = self.quiz_app
        panel = self.query_one("#options-sim", Static)
        panel.update(Text(f"Workload · simulating {SIM_DAYS} days…", style="bold"))

        def inputs(store: Store) -> tuple[Any, Any, Any]:
            return (
                store.simulation_cards(app.learner, self.deck_id),
                learner_profile(store, app.learner, self.deck_id),
                store.options(app.learner, self.deck_id),
            )

        try:
            cards, profile, opts = await app.db.call(inputs, app.store)
            if not cards:
                panel.update(Text("Workload · no cards to simulate yet", style="bold"))
                return
            results = await asyncio.to_thread(
                simulate_retentions,
                cards,
                SIM_RETENTIONS,
                days=SIM_DAYS,
                options=opts,
                profile=profile,
                start=app.clock(),
            )
        except QuizError as exc:
            panel.update(Text(exc.message))
            return
        panel.update(workload_chart(results, current=opts.desired_retention))

    @work(exclusive=True)
    async def load(self) -> None:
        app = self.quiz_app
        try:
            opts, today = await app.db.call(
                _load, app.store, app.learner, self.deck_id, app.clock()
            )
        except QuizError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.options = opts
        for name in EDITABLE:
            text = option_text(opts, name)
            self.shown[name] = text
            self.query_one(f"#opt-{name}", Input).value = text
        self._today(opts, today)
        self.query_one("#opt-new_per_day", Input).focus()

    def _today(self, opts: DeckOptions, today: int) -> None:
        extra = today - opts.new_per_day
        line = f"New cards today: {today}" + (f" (custom study +{extra})" if extra else "")
        self.query_one("#options-today", Static).update(line)

    def changes(self) -> dict[str, Any]:
        """The fields edited since loading, checked (raises OptionError on the first bad one)."""
        out: dict[str, Any] = {}
        for name in EDITABLE:
            text = self.query_one(f"#opt-{name}", Input).value.strip()
            if text != self.shown.get(name):
                out[name] = check(name, text)
        return out

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "options-save":
            self.action_save()
        else:
            self.action_back()

    def action_save(self) -> None:
        try:
            changes = self.changes()
            extra = 0
            if self.deck_id:
                text = self.query_one("#opt-extra-new", Input).value.strip()
                if text:
                    extra = check("new_per_day", text)
        except OptionError as exc:
            self.notify(exc.detail, severity="error", markup=False)
            return
        self.save(changes, extra)

    @work(exclusive=True, group="save")
    async def save(self, changes: dict[str, Any], extra: int) -> None:
        app = self.quiz_app

        def write(store: Store) -> tuple[DeckOptions, int]:
            if changes:
                store.set_options(app.learner, self.deck_id, **changes)
            if extra and self.deck_id:  # custom study is offered for one deck only
                store.add_new_today(app.learner, self.deck_id, extra, app.clock())
            return _load(store, app.learner, self.deck_id, app.clock())

        try:
            opts, today = await app.db.call(write, app.store)
        except QuizError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.options = opts
        for name in EDITABLE:
            self.shown[name] = option_text(opts, name)
            self.query_one(f"#opt-{name}", Input).value = self.shown[name]
        if self.deck_id:
            self.query_one("#opt-extra-new", Input).value = ""
        self._today(opts, today)
        if changes:
            self.simulate()
        saved = len(changes) + (1 if extra else 0)
        self.notify("Saved." if saved else "Nothing changed.", markup=False)

    def action_back(self) -> None:
        self.dismiss()
