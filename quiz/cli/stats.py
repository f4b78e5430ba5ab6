"""``quiz stats`` (a learner's progress) and ``quiz report`` (instructors: learners and cards)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from quiz.cli import main
from quiz.cli.common import (
    DB_HELP,
    PROGRESS_HELP,
    Progress,
    cli_clock,
    existing_db_path,
    inert_json,
    resolve_learner,
)
from quiz.errors import QuizError, cannot_write
from quiz.wording import literal, percent, plural

if TYPE_CHECKING:
    from quiz.store import Store


def inert_csv(text: str) -> str:
    """CSV text with control characters in fields shown as escapes (``\\x1b``)."""
    from quiz.wording import literal

    return literal(text)


def shown(value: Any) -> Any:
    """Untrusted text as a Rich ``Text``: no markup, control characters escaped."""
    from rich.text import Text

    from quiz.wording import literal

    return Text(literal("" if value is None else value).replace("\n", " "))


def duration_text(ms: int) -> str:
    minutes = ms // 60_000
    if minutes == 0 and ms > 0:
        return f"{ms // 1000} s"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def plain_table(
    title: str, headers: list[str], rows: list[list[Any]], right: set[str], width: int
) -> str:
    """Rows as aligned text columns (untrusted text escaped, long cells cut with "…"): the
    first column and the text columns share what the numbers leave of ``width``."""
    from rich.cells import cell_len, set_cell_size

    from quiz.wording import literal

    cells = [[literal("" if c is None else str(c)).replace("\n", " ") for c in row] for row in rows]
    widths = [
        max([cell_len(h)] + [cell_len(row[i]) for row in cells]) for i, h in enumerate(headers)
    ]
    text_cols = [i for i, h in enumerate(headers) if h not in right]
    spare = width - sum(widths) - 2 * (len(headers) - 1)
    while spare < 0 and text_cols:  # narrow the widest text column until the line fits
        widest = max(text_cols, key=lambda i: widths[i])
        if widths[widest] <= max(8, cell_len(headers[widest])):
            break
        widths[widest] -= 1
        spare += 1

    def fit(text: str, i: int) -> str:
        if cell_len(text) > widths[i]:
            text = set_cell_size(text, widths[i] - 1) + "…"
        return text.rjust(widths[i]) if headers[i] in right else set_cell_size(text, widths[i])

    lines = [
        title,
        "  ".join(fit(h, i) for i, h in enumerate(headers)).rstrip(),
        "  ".join("─" * w for w in widths),
    ]
    lines += ["  ".join(fit(c, i) for i, c in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines)


def check_deck(store: Store, deck: str | None) -> None:
    if deck is None:
        return
    if not store.has_deck(deck):
        decks = store.deck_ids()
        raise QuizError(
            f"error: no deck {deck!r} in {store.path} (decks: {', '.join(decks) if decks else 'none'})"
        )


@main.command()
@click.option("--learner", help="Whose progress (default: you, or the only learner).")
@click.option("--deck", help="Only this deck id (default: every deck).")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (keys documented in docs/stats-json.md)."
)
def stats(learner: str | None, deck: str | None, db: Path | None, as_json: bool) -> None:
    """Your progress: activity, streaks, retention, mastery by section, forecast."""
    from quiz.stats import compute_stats
    from quiz.store import Store, database_failures

    clock = cli_clock()
    existing_db_path(db)
    store = Store.open(db, clock=clock, readonly=True)  # only reads: works on a read-only file
    try:
        with database_failures(store.path):
            name = resolve_learner(store, learner)
            check_deck(store, deck)
            now = clock()
            result = compute_stats(
                store.db, name, deck, now=now, study_day=store.study_day(name, deck)
            )
            prompts = _prompts(store, [(h.deck, h.card_id) for h in result.hardest])
    finally:
        store.close()
    if as_json:
        click.echo(inert_json(result.to_dict()))
        return
    print_stats(result, prompts)


def _prompts(store: Store, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Card prompts from the deck files the database knows, where readable."""
    from quiz.report import card_prompts

    return card_prompts({d: store.deck_path(d) for d, _ in keys}, keys)


def print_stats(s: Any, prompts: dict[tuple[str, str], str] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    title = Text("Progress of ")
    title.append_text(shown(s.learner))
    title.append(" · ")
    title.append_text(shown(s.deck) if s.deck else Text("all decks"))
    title.append(f" · study day {s.today.isoformat()} (starts {s.rollover_hour}:00, {s.timezone})")
    console.print(title)

    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column()
    summary.add_row(
        "Reviews",
        f"{s.total_reviews} in all; {sum(a.reviews for a in s.activity)} in the last 365 days",
    )
    summary.add_row(
        "Time studied", f"{duration_text(s.time_ms_last_365_days)} in the last 365 days"
    )
    summary.add_row(
        "Streak",
        f"{plural(s.streaks.current, 'day')} (longest {s.streaks.longest}; {plural(s.streaks.days_studied, 'day')} studied)",
    )
    summary.add_row("Predicted retention now", percent(s.predicted_retention))
    summary.add_row("Mastery", percent(s.overall_mastery))
    summary.add_row("Due today", f"{s.forecast[0].due if s.forecast else 0} (overdue {s.overdue})")
    console.print(summary)

    c = s.cards
    cards = Table(title="Cards")
    for col in ("New", "Learning", "Young", "Mature", "Suspended", "Total", "Leeches"):
        cards.add_column(col, justify="right")
    cards.add_row(
        *(str(v) for v in (c.new, c.learning, c.young, c.mature, c.suspended, c.total, c.leech))
    )
    console.print(cards)

    ret = Table(title="True retention (review answers not rated Again)")
    ret.add_column("Period")
    for col in ("Young", "Mature", "Total", "Answers"):
        ret.add_column(col, justify="right")
    for row in s.retention:
        ret.add_row(
            row.period.replace("_", " "),
            percent(row.young),
            percent(row.mature),
            percent(row.total),
            str(row.count),
        )
    console.print(ret)

    if s.mastery:
        m = Table(title="Mastery by section (expected share recalled now)")
        m.add_column("Section")
        if len(s.decks) > 1:
            m.add_column("Deck")
        m.add_column("Cards", justify="right")
        m.add_column("Seen", justify="right")
        m.add_column("Mastery", justify="right")
        m.add_column("")
        for sec in s.mastery:
            bar = "█" * round(sec.mastery * 20) + "·" * (20 - round(sec.mastery * 20))
            cells = [shown(sec.section)]
            if len(s.decks) > 1:
                cells.append(shown(sec.deck))
            cells += [str(sec.cards), str(sec.seen), percent(sec.mastery, 0), bar]
            m.add_row(*cells)
        console.print(m)

    recent = s.activity[-14:]
    act = Table(title="Last 14 days")
    act.add_column("Day")
    act.add_column("Reviews", justify="right")
    act.add_column("Time", justify="right")
    for a in recent:
        act.add_row(a.day.strftime("%a %d %b"), str(a.reviews), duration_text(a.time_ms))
    fc = Table(title="Due in the next 30 days")
    fc.add_column("Day")
    fc.add_column("Due", justify="right")
    for f in s.forecast[:14]:
        fc.add_row(f.day.strftime("%a %d %b"), str(f.due))
    fc.add_row(
        f"{s.forecast[14].day.strftime('%d %b')}–{s.forecast[-1].day.strftime('%d %b')}"
        if len(s.forecast) > 14
        else "later",
        str(sum(f.due for f in s.forecast[14:])),
    )
    grid = Table.grid(padding=(0, 4))
    grid.add_row(act, fc)
    console.print(grid)

    if s.hardest:
        h = Table(title="Hardest cards")
        h.add_column("Card", overflow="ellipsis", no_wrap=True, max_width=28)
        h.add_column(
            "Question", overflow="ellipsis", no_wrap=True, max_width=max(16, console.width - 58)
        )
        h.add_column("Lapses", justify="right", no_wrap=True, min_width=6)
        h.add_column("Again", justify="right", no_wrap=True, min_width=5)
        h.add_column("Recall now", justify="right", no_wrap=True, min_width=10)
        one_deck = len({c.deck for c in s.hardest}) <= 1
        for card in s.hardest:
            prompt = (prompts or {}).get((card.deck, card.card_id))
            name = card.card_id if one_deck else f"{card.deck}/{card.card_id}"
            h.add_row(
                shown(name),
                shown(prompt or ""),
                str(card.lapses),
                str(card.failures),
                percent(card.retrievability, 0),
            )
        console.print(h)


@main.command()
@click.option(
    "--db",
    "dbs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A progress database, or a folder of them (every *.db in it); repeat for one "
    "database per trainee (default: $QUIZ_DB or yours).",
)
@click.option("--deck", help="Only this deck id.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "html"]),
    default="table",
    show_default=True,
    help="html: one self-contained page to send (use with -o).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 1_000_000),
    default=30,
    show_default=True,
    help="Card rows shown in the table and the page (csv and json hold them all).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the csv, json or html report to this file (default or -: standard output).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--progress", "show_progress", is_flag=True, help=PROGRESS_HELP)
def report(
    dbs: tuple[Path, ...],
    deck: str | None,
    fmt: str,
    limit: int,
    output: Path | None,
    force: bool,
    show_progress: bool,
) -> None:
    """For instructors: each learner's progress, and the hardest or flagged cards first."""
    import json

    from quiz.files import is_stdout, output_target, write_output
    from quiz.report import build_report
    from quiz.store import default_db_path

    paths = list(dict.fromkeys(p for given in dbs for p in _databases(Path(given).expanduser())))
    if not dbs:
        paths = [default_db_path()]
    for p in paths:
        if not Path(p).exists():
            raise QuizError(f"{p}: error: no such progress database")
    if output is not None and is_stdout(output):
        output = None
    if output is not None:
        if fmt == "table":
            raise QuizError(
                "error: -o writes --format csv, json or html; the table is for the terminal", 2
            )
        output_target(output, replace=force, inputs=paths)  # refused before any work
    clock = cli_clock()
    with Progress("Reading progress databases", "databases", forced=show_progress) as progress:
        rep = build_report(paths, deck, now=clock(), on_progress=progress)
    if fmt == "html":
        from quiz.report_html import report_html

        html = report_html(rep, card_limit=limit)
    if output is not None:
        if fmt == "html":
            text = html
        elif fmt == "json":
            text = json.dumps(rep.to_dict(), indent=2, ensure_ascii=False) + "\n"
        else:
            text = rep.learners_csv() + "\n" + rep.cards_csv()
        try:
            write_output(output, text, replace=force, inputs=paths)
        except OSError as exc:
            raise cannot_write(output, exc) from None
        click.echo(f"wrote the {fmt} report to {literal(output)}", err=True)
        return
    if fmt == "json":
        click.echo(inert_json(rep.to_dict()))
    elif fmt == "csv":
        click.echo(inert_csv(rep.learners_csv()), nl=False)
        click.echo()
        click.echo(inert_csv(rep.cards_csv()), nl=False)
    elif fmt == "html":
        click.echo(html, nl=False)
    else:
        print_report(rep, limit)


def _databases(given: Path) -> list[Path]:
    """``given`` itself, or every ``*.db`` in it (sorted) when it is a folder."""
    if given.is_dir():
        found = sorted(p.resolve() for p in given.glob("*.db") if p.is_file())
        if not found:
            raise QuizError(f"{given}: error: no progress databases (*.db) in this folder")
        return found
    return [given.resolve()]


LARGE_CLASS = 200
"""From this many learners on, the learners table is printed as plain aligned columns:
rich lays out a table cell by cell (about a second per thousand rows)."""


def print_report(rep: Any, limit: int = 30) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    many = len(rep.sources) > 1
    headers = [
        "Learner",
        *(["Database"] if many else []),
        "Seen",
        "Reviews",
        "Ret. 30d",
        "Mastery",
        "Weakest",
        "Last studied",
        "Days",
    ]
    right = {"Seen", "Reviews", "Ret. 30d", "Mastery", "Days"}
    rows = []
    for r in rep.learners:
        weakest = (
            f"{r.weakest_section} ({percent(r.weakest_mastery, 0)})" if r.weakest_section else "—"
        )
        last = r.last_studied.strftime("%Y-%m-%d") if r.last_studied else "never"
        rows.append(
            [
                r.learner,
                *([r.source] if many else []),
                str(r.cards_seen),
                str(r.reviews),
                percent(r.retention_30d),
                percent(r.mastery),
                weakest,
                last,
                "—" if r.days_since is None else str(r.days_since),
            ]
        )
    title = f"Learners ({len(rep.learners)})"
    if len(rows) >= LARGE_CLASS:
        click.echo(plain_table(title, headers, rows, right, console.width))
    else:
        lt = Table(title=title)
        for h in headers:
            lt.add_column(h, justify="right" if h in right else "left")
        for row in rows:
            lt.add_row(
                *(cell if h in right else shown(cell) for h, cell in zip(headers, row, strict=True))
            )
        console.print(lt)

    decks = list(dict.fromkeys(c.deck for c in rep.cards))
    for deck_id in decks:  # one table per deck: whole card ids, one line per card
        cards = [c for c in rep.cards if c.deck == deck_id]
        title = "Cards" if len(decks) == 1 else f"Cards of {shown(deck_id).plain}"
        ct = Table(
            title=f"{title}, flagged and hardest first ({min(limit, len(cards))} of {len(cards)})"
        )
        id_width = min(40, max((len(c.card_id) for c in cards[:limit]), default=4))
        has_flags = any(c.flags for c in cards[:limit])
        # the question gets what the other columns leave (borders and padding: 3 per column)
        room = console.width - id_width - 8 - 6 - 8 - (30 if has_flags else 5) - 3 * 6 - 1
        ct.add_column("Card", no_wrap=True, min_width=id_width, max_width=id_width)
        ct.add_column("Question", no_wrap=True, overflow="ellipsis", max_width=max(20, room))
        ct.add_column("Answers", justify="right", no_wrap=True)
        ct.add_column("Failed", justify="right", no_wrap=True)
        ct.add_column("Avg time", justify="right", no_wrap=True)
        ct.add_column("Flags", overflow="fold", max_width=30 if has_flags else 5)  # rare: wrapped
        for c in cards[:limit]:
            flags = "; ".join(
                f"{f.learner}: {f.comment}" if f.comment else f.learner for f in c.flags
            )
            avg = "—" if c.avg_time_ms is None else f"{c.avg_time_ms / 1000:.1f} s"
            ct.add_row(
                shown(c.card_id),
                shown(c.prompt or ""),
                str(c.answers),
                percent(c.failure_rate, 0),
                avg,
                shown(flags),
            )
        console.print(ct)
