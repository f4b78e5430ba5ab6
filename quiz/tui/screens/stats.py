"""The statistics screen: activity heatmap, reviews and forecast charts, retention, mastery.

It only presents :func:`quiz.stats.compute_stats`; every figure is computed
there. Section names and card ids come from data and are shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quiz.stats import Stats, compute_stats
from quiz.study.clock import Clock, system_clock
from quiz.tui.text import Builder, one_line
from quiz.tui.widgets.charts import BarChart, Heatmap, SectionBars, percent_bar
from quiz.tui.widgets.keybar import KeyBar
from quiz.wording import percent, plural

if TYPE_CHECKING:
    from quiz.store import Store

CHART_DAYS = 30


def _minutes(ms: int) -> str:
    if ms <= 0:
        return "0 min"
    minutes = ms / 60_000
    return f"{minutes:.0f} min" if minutes >= 1 else "<1 min"


class StatsScreen(Screen):
    """A learner's progress on one deck or all their decks."""

    CSS_PATH = "stats.tcss"
    HELP_TITLE = "Statistics"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("a", "toggle_scope", "This deck / all"),
        Binding("r", "refresh", "Refresh"),
        Binding("q", "back", "Back", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(
        self, store: Store, learner: str, deck_id: str | None = None, clock: Clock | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.learner = learner
        self.deck_id = deck_id
        self.home_deck = deck_id  # the deck ``a`` comes back to after showing all decks
        self.clock = clock or system_clock
        self.stats = self._compute()

    def _compute(self) -> Stats:
        study_day = self.store.study_day(self.learner, self.deck_id)
        return compute_stats(
            self.store.db, self.learner, self.deck_id, now=self.clock(), study_day=study_day
        )

    # --- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        s = self.stats
        yield Static(
            Builder()
            .add("Statistics", "bold")
            .add("  ·  ")
            .add(one_line(self.learner, 24))
            .add("  ·  ")
            .add(one_line(self.deck_id, 30) if self.deck_id else "all decks")
            .add(f"  ·  {s.today.strftime('%a %d %b %Y')}", "$text-muted")
            .build(),
            classes="title-bar",
        )
        with VerticalScroll(id="stats-body"):
            with Horizontal(id="stats-top"):
                yield Static(self._summary(), id="stats-summary", classes="panel")
                yield Static(self._cards(), id="stats-cards", classes="panel")
            with Vertical(classes="panel", id="stats-activity"):
                yield Static(Text("Activity · answers per study day, last 12 months", style="bold"))
                yield Heatmap([(a.day, a.reviews) for a in s.activity], weeks=53, id="heatmap")
            with Horizontal(id="stats-charts"):
                recent = s.activity[-CHART_DAYS:]
                with Vertical(classes="panel"):
                    yield Static(Text(f"Reviews · last {CHART_DAYS} days", style="bold"))
                    yield BarChart(
                        [a.reviews for a in recent],
                        recent[0].day.strftime("%d %b") if recent else "",
                        "today",
                        id="reviews-chart",
                    )
                with Vertical(classes="panel"):
                    yield Static(Text(f"Due · next {len(s.forecast)} days", style="bold"))
                    yield BarChart(
                        [f.due for f in s.forecast],
                        "today",
                        s.forecast[-1].day.strftime("%d %b") if s.forecast else "",
                        style="magenta",
                        id="forecast-chart",
                    )
            with Vertical(classes="panel", id="stats-retention"):
                yield Static(Text("True retention · review answers not rated Again", style="bold"))
                yield Static(self._retention(), id="retention-table")
            with Vertical(classes="panel", id="stats-mastery"):
                yield Static(Text("Mastery by section · expected share recalled now", style="bold"))
                if s.mastery:
                    yield SectionBars(
                        [(self._section_label(m), m.mastery) for m in s.mastery], id="mastery-bars"
                    )
                else:
                    yield Static(Text("No cards yet.", style="dim"))
            with Vertical(classes="panel", id="stats-hardest"):
                yield Static(
                    Text("Hardest cards · most lapses, most Again, lowest recall", style="bold")
                )
                yield Static(self._hardest(), id="hardest-list")
        yield KeyBar()

    def _section_label(self, m: Any) -> str:
        return m.section if len(self.stats.decks) <= 1 else f"{m.section} ({m.deck})"

    def _summary(self) -> Text:
        s = self.stats
        today = s.activity[-1] if s.activity else None
        out = Text()
        rows = [
            (
                "Today",
                f"{plural(today.reviews if today else 0, 'answer')}, "
                f"{_minutes(today.time_ms if today else 0)}",
            ),
            ("Streak", f"{plural(s.streaks.current, 'day')} (best {s.streaks.longest})"),
            ("Due today", f"{s.forecast[0].due if s.forecast else 0} ({s.overdue} overdue)"),
            ("Retention now", percent(s.predicted_retention, 0)),
            ("Retention 30d", percent(s.retention_for("last_30_days").total, 0)),
        ]
        for i, (label, value) in enumerate(rows):
            out.append(f"{label:<14}", style="bold")
            out.append(value)
            if i < len(rows) - 1:
                out.append("\n")
        out.append("\nMastery       ", style="bold")
        out.append_text(percent_bar(s.overall_mastery, 10))
        return out

    def _cards(self) -> Text:
        c = self.stats.cards
        out = Text()
        rows = [
            ("New", c.new, "blue"),
            ("Learning", c.learning, "red"),
            ("Young", c.young, "green"),
            ("Mature", c.mature, "bold green"),
            ("Suspended", c.suspended, "yellow"),
            ("Leeches", c.leech, "magenta"),
        ]
        total = max(1, c.total)
        for label, n, style in rows:
            out.append(f"{label:<10}", style="bold")
            out.append(f"{n:>6} ")
            out.append("█" * round(n / total * 12), style=style)
            out.append("\n")
        out.append(f"{'Total':<10}", style="bold")
        out.append(f"{c.total:>6}")
        return out

    def _retention(self) -> Table:
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("")
        for col in ("Young", "Mature", "Total", "Answers"):
            table.add_column(col, justify="right")
        for row in self.stats.retention:
            table.add_row(
                row.period.replace("_", " ").capitalize(),
                percent(row.young, 0),
                percent(row.mature, 0),
                percent(row.total, 0),
                str(row.count),
            )
        return table

    def _hardest(self) -> Text:
        out = Text()
        if not self.stats.hardest:
            out.append("No answers yet.", style="dim")
            return out
        shown = self.stats.hardest[:5]
        prompts = self._prompts(shown)
        for i, h in enumerate(shown):
            text = prompts.get((h.deck, h.card_id)) or h.card_id  # the question people read
            name = one_line(f"{h.deck}: {text}" if len(self.stats.decks) > 1 else text, 32)
            out.append(f"{name:<32}")
            out.append(
                f" Again {h.failures:>2} · lapses {h.lapses:>2} · recall "
                f"{percent(h.retrievability, 0):>4}",
                style="dim",
            )
            if i < min(5, len(self.stats.hardest)) - 1:
                out.append("\n")
        return out

    def _prompts(self, cards: list[Any]) -> dict[tuple[str, str], str]:
        """Card questions from the deck files the database knows (none where unreadable)."""
        from quiz.report import card_prompts

        try:
            paths = {h.deck: self.store.deck_path(h.deck) for h in cards}
            return card_prompts(paths, [(h.deck, h.card_id) for h in cards])
        except Exception:  # statistics still show, with card ids
            return {}

    # --- actions --------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scope":
            return self.home_deck is not None
        return True

    async def action_toggle_scope(self) -> None:
        """Switch between the deck the screen was opened for and all decks."""
        if self.home_deck is None:
            return
        self.deck_id = None if self.deck_id is not None else self.home_deck
        await self.action_refresh()

    async def action_refresh(self) -> None:
        self.stats = self._compute()
        await self.recompose()
