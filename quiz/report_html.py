"""``quiz report --format html``: the instructor's report as one self-contained page.

No scripts, no fonts or images from elsewhere: CSS and SVG are inline, and a
Content-Security-Policy forbids the page to load anything, so it can be mailed
and opened offline. Every text that comes from a database or a deck (learner
names, sections, prompts, flag comments) is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from quiz.report import ClassDay, Report
from quiz.wording import percent

CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1f23; background: #fff; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #d0d7de; }
p.meta { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.flagged td { background: #fff8c5; }
.flags { color: #9a6700; }
table.heat td { padding: 0; width: 2.6em; height: 1.4em; text-align: center; font-size: 0.75em;
                border: 1px solid #fff; }
table.heat th.section { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
                        font-weight: normal; }
table.heat td.name { text-align: left; padding: 0 0.6em; font-size: 1em; white-space: nowrap; }
.legend span { display: inline-block; width: 2.4em; text-align: center; font-size: 0.75em; }
svg text { font: 11px system-ui, sans-serif; fill: #57606a; }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _t(value: Any) -> str:
    """Untrusted text, escaped for HTML text and attribute values."""
    return escape("" if value is None else str(value), quote=True)


def _heat_colour(mastery: float | None) -> str:
    """White (never studied) through red (0%) and yellow to green (100%)."""
    if mastery is None:
        return "#f6f8fa"
    m = max(0.0, min(1.0, mastery))
    if m < 0.5:  # red -> yellow
        r, g, b = 215, int(48 + (190 - 48) * m / 0.5), 39
    else:  # yellow -> green
        k = (m - 0.5) / 0.5
        r, g, b = int(215 - (215 - 26) * k), int(190 - (190 - 152) * k), int(39 + (80 - 39) * k)
    return f"#{r:02x}{g:02x}{b:02x}"


def report_html(rep: Report, card_limit: int = 30) -> str:
    """The whole page."""
    deck = f" · deck {_t(rep.deck)}" if rep.deck else ""
    total_reviews = sum(r.reviews for r in rep.learners)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>quiz class report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Class report</h1>",
        f'<p class="meta">Generated {_t(rep.generated_at.strftime("%Y-%m-%d %H:%M UTC"))}{deck} · '
        f"{len(rep.learners)} learners in {len(rep.sources)} database"
        f"{'s' if len(rep.sources) != 1 else ''} · {total_reviews} answers</p>",
        _learners_table(rep),
        _cards_table(rep, card_limit),
        _heat_map(rep),
        _retention_chart(rep.days),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _learners_table(rep: Report) -> str:
    many = len(rep.sources) > 1
    head = (
        ["Learner"]
        + (["Database"] if many else [])
        + [
            "Seen",
            "Reviews",
            "Retention 30 d",
            "Mastery",
            "Weakest section",
            "Last studied",
            "Days since",
        ]
    )
    numeric = {"Seen", "Reviews", "Retention 30 d", "Mastery", "Days since"}
    rows = []
    for r in rep.learners:
        weakest = (
            f"{r.weakest_section} ({percent(r.weakest_mastery, 0)})" if r.weakest_section else "—"
        )
        cells = (
            [_t(r.learner)]
            + ([_t(r.source)] if many else [])
            + [
                str(r.cards_seen),
                str(r.reviews),
                percent(r.retention_30d),
                percent(r.mastery),
                _t(weakest),
                r.last_studied.strftime("%Y-%m-%d") if r.last_studied else "never",
                "—" if r.days_since is None else str(r.days_since),
            ]
        )
        rows.append(_row(cells, [h in numeric for h in head]))
    return (
        f'<h2 id="learners-title">Learners ({len(rep.learners)})</h2>'
        f'<table id="learners">{_head(head, numeric)}<tbody>{"".join(rows)}</tbody></table>'
    )


def _cards_table(rep: Report, limit: int) -> str:
    shown = rep.cards[:limit]
    one_deck = len({c.deck for c in rep.cards}) <= 1
    head = ["Card", "Question", "Section", "Answers", "Learners", "Failed", "Avg time", "Flags"]
    numeric = {"Answers", "Learners", "Failed", "Avg time"}
    rows = []
    for c in shown:
        flags = "; ".join(f"{f.learner}: {f.comment}" if f.comment else f.learner for f in c.flags)
        cells = [
            _t(c.card_id if one_deck else f"{c.deck}/{c.card_id}"),
            _t(c.prompt or ""),
            _t(c.section or ""),
            str(c.answers),
            str(c.learners),
            percent(c.failure_rate, 0),
            "—" if c.avg_time_ms is None else f"{c.avg_time_ms / 1000:.1f} s",
            f'<span class="flags">{_t(flags)}</span>' if flags else "",
        ]
        rows.append(_row(cells, [h in numeric for h in head], "flagged" if c.flags else None))
    flagged = sum(1 for c in rep.cards if c.flags)
    return (
        f'<h2 id="cards-title">Flagged and hardest cards ({len(shown)} of {len(rep.cards)}; '
        f"{flagged} flagged)</h2>"
        f'<table id="cards">{_head(head, numeric)}<tbody>{"".join(rows)}</tbody></table>'
    )


def _heat_map(rep: Report) -> str:
    sections: dict[str, None] = {}
    for cells in rep.sections.values():
        for cell in cells:
            sections.setdefault(cell.section, None)
    names = list(sections)
    if not names:
        return '<h2 id="heat-title">Mastery by section</h2><p>No cards studied yet.</p>'
    head = (
        ["<tr><th>Learner</th>"]
        + [f'<th class="section" title="{_t(s)}">{_t(s)}</th>' for s in names]
        + ["</tr>"]
    )
    rows = []
    seen_names: dict[str, int] = {}
    for r in rep.learners:
        seen_names[r.learner] = seen_names.get(r.learner, 0) + 1
    for r in rep.learners:
        by_section = {c.section: c for c in rep.sections.get((r.learner, r.source), [])}
        label = f"{r.learner} ({r.source})" if seen_names[r.learner] > 1 else r.learner
        tds = [f'<td class="name">{_t(label)}</td>']
        for s in names:
            found = by_section.get(s)
            value = found.mastery if found is not None and found.seen else None
            text = "" if found is None else f"{round(found.mastery * 100)}"
            tip = f"{r.learner} · {s}: " + (
                "not in their decks"
                if found is None
                else f"{percent(found.mastery, 0)} mastery, {found.seen} of {found.cards} cards seen"
            )
            colour = _heat_colour(value) if found is not None else "#ffffff"
            tds.append(f'<td style="background:{colour}" title="{_t(tip)}">{text}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    legend = "".join(
        f'<span style="background:{_heat_colour(v / 10)}">{v * 10}%</span>' for v in range(11)
    )
    return (
        '<h2 id="heat-title">Mastery by section (expected share recalled now)</h2>'
        f'<p class="legend">{legend} <span style="background:{_heat_colour(None)}">unseen</span></p>'
        f'<table class="heat" id="heat"><thead>{"".join(head)}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _retention_chart(days: Sequence[ClassDay], width: int = 760, height: int = 220) -> str:
    """Daily class true retention (line) over answers per day (bars), as inline SVG."""
    title = '<h2 id="retention-title">Retention over time (UTC days, study answers to review cards)</h2>'
    if not days:
        return title + "<p>No answers yet.</p>"
    first, last = days[0].day, days[-1].day
    span = max(1, (last - first).days)
    left, right, top, bottom = 40, 10, 10, 30
    w, h = width - left - right, height - top - bottom
    most = max(d.answers for d in days) or 1
    bar_w = max(1.0, w / (span + 1) - 1)

    def x(day: Any) -> float:
        return left + w * (day - first).days / span if span else left + w / 2

    bars = "".join(
        f'<rect x="{x(d.day) - bar_w / 2:.1f}" y="{top + h - h * d.answers / most:.1f}" '
        f'width="{bar_w:.1f}" height="{h * d.answers / most:.1f}" fill="#d0d7de">'
        f"<title>{d.day.isoformat()}: {d.answers} answers</title></rect>"
        for d in days
    )
    points = [(x(d.day), top + h - h * d.retention, d) for d in days if d.retention is not None]
    line = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
    dots = "".join(
        f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="#0969da"><title>{d.day.isoformat()}: '
        f"{percent(d.retention, 0)} retained ({d.passed} of {d.passed + d.failed})</title></circle>"
        for px, py, d in points
    )
    grid = "".join(
        f'<line x1="{left}" x2="{left + w}" y1="{top + h - h * v:.1f}" y2="{top + h - h * v:.1f}" '
        f'stroke="#eaeef2"/><text x="{left - 4}" y="{top + h - h * v + 4:.1f}" '
        f'text-anchor="end">{round(v * 100)}%</text>'
        for v in (0, 0.25, 0.5, 0.75, 1)
    )
    labels = (
        f'<text x="{left}" y="{height - 8}">{first.isoformat()}</text>'
        f'<text x="{left + w}" y="{height - 8}" text-anchor="end">{last.isoformat()}</text>'
    )
    svg = (
        f'<svg id="retention" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Class retention per day">'
        f"{grid}{bars}"
        + (
            f'<polyline fill="none" stroke="#0969da" stroke-width="1.5" points="{line}"/>'
            if line
            else ""
        )
        + f"{dots}{labels}</svg>"
    )
    weeks = _weekly(days)
    table = "".join(
        f'<tr><td>{_t(week)}</td><td class="n">{n}</td><td class="n">{percent(ret, 0)}</td></tr>'
        for week, n, ret in weeks
    )
    return (
        title + '<p class="meta">Grey bars: answers per day. Blue line: the share of study '
        "answers to cards in the review state not rated Again.</p>"
        + svg
        + '<details><summary>By week</summary><table id="weeks"><thead><tr><th>Week</th>'
        '<th class="n">Answers</th><th class="n">Retention</th></tr></thead><tbody>'
        + table
        + "</tbody></table></details>"
    )


def _weekly(days: Iterable[ClassDay]) -> list[tuple[str, int, float | None]]:
    weeks: dict[str, list[int]] = {}
    for d in days:
        year, week, _ = d.day.isocalendar()
        acc = weeks.setdefault(f"{year}-W{week:02d}", [0, 0, 0])
        acc[0] += d.answers
        acc[1] += d.passed
        acc[2] += d.failed
    return [(k, n, p / (p + f) if p + f else None) for k, (n, p, f) in weeks.items()]


def _head(names: Sequence[str], numeric: set[str]) -> str:
    return (
        "<thead><tr>"
        + "".join(
            f'<th class="n">{_t(n)}</th>' if n in numeric else f"<th>{_t(n)}</th>" for n in names
        )
        + "</tr></thead>"
    )


def _row(cells: Sequence[str], numeric: Sequence[bool], css: str | None = None) -> str:
    """A row of cells already escaped."""
    cls = f' class="{css}"' if css else ""
    return (
        f"<tr{cls}>"
        + "".join(
            f'<td class="n">{c}</td>' if n else f"<td>{c}</td>"
            for c, n in zip(cells, numeric, strict=True)
        )
        + "</tr>"
    )
