"""Import cards from Anki text exports and spreadsheet CSV into a quiz deck.

:func:`import_file` reads the file (:mod:`quiz.interop.import_rows`), gives
each row its card id and merges it into the existing deck
(:mod:`quiz.interop.merge`): cards are updated in place and keep their
instructor-only fields (``reviewed``, ``retired``, ``previous_ids``, ``group``,
``source``); cards missing from the file are kept; bad rows are reported and
skipped. Nothing is written here: the caller writes the deck.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from quiz.deck.model import AnyCard, Card, Deck
from quiz.errors import QuizError
from quiz.interop.import_rows import (
    ImportRow,
    RowProblem,
    parse_rows,
    read_import_text,
    split_list,
    split_tags,
)
from quiz.interop.merge import IdResolver, content_id, guid_id, merge_card

_CARD_ADAPTER: TypeAdapter[Any] = TypeAdapter(Card)
_DECK_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class ImportReport:
    """What an import did, card ids by outcome."""

    path: str
    source_format: str = "csv"
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notices: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """Rows skipped as bad."""
        return len(self.problems)

    @property
    def imported(self) -> int:
        """Cards read from the file."""
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def problem_lines(self) -> list[str]:
        """``FILE:LINE: message`` for every skipped row."""
        return [f"{self.path}:{p.line}: {p.message}" for p in self.problems]

    def notice_lines(self) -> list[str]:
        """``FILE:LINE: message`` for rows merged only in part."""
        return [f"{self.path}:{p.line}: note: {p.message}" for p in self.notices]


class NoCardsImported(QuizError):
    """The file held no usable card; ``report`` lists the rows that were skipped."""

    def __init__(self, report: ImportReport, message: str, where: str | None = None) -> None:
        super().__init__(message, where=where, label=None)
        self.report = report


def slugify_deck_id(text: str) -> str:
    """A valid deck id made from a name: lower case, words joined by ``-``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    return slug or "imported"


def _card_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"][1:] if not isinstance(p, int))
    msg = err["msg"].removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg


def _load_existing(existing: Path | None) -> Deck | None:
    if existing is None or not existing.exists():
        return None
    from quiz.deck.loader import load_deck

    return load_deck(existing)


def _common_deck_name(rows: list[ImportRow]) -> str:
    """The Anki deck the rows share (``Parent`` for ``Parent::A`` and ``Parent::B``).

    When rows come from several subdecks, each subdeck's name becomes the
    section of its cards that have none.
    """
    names = list(dict.fromkeys(r.deck_name for r in rows if r.deck_name))
    if len(names) <= 1:
        return names[0].split("::")[-1].strip() if names else ""
    parts = [name.split("::") for name in names]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) > 1:
            break
        common.append(level[0])
    for row in rows:
        sub = row.deck_name.split("::")[len(common) :]
        if sub and "section" not in row.data:
            row.data["section"] = "::".join(sub).strip()
    return common[-1].strip() if common else ""


def _collect_cards(
    rows: list[ImportRow], old_deck: Deck | None, ids: IdResolver, report: ImportReport
) -> list[AnyCard]:
    """The deck's cards after the import: existing ones updated in place, new ones after."""
    old_cards = {c.id: c for c in old_deck.cards} if old_deck else {}
    imported: dict[str, AnyCard] = {}
    first_line_of: dict[str, int] = {}
    for row in rows:
        card_id = ids.resolve(row)
        if card_id is None:
            report.problems.append(RowProblem(row.line, f"invalid card id {row.data['id']!r}"))
            continue
        if card_id in first_line_of:
            report.problems.append(
                RowProblem(row.line, f"duplicate of line {first_line_of[card_id]} (card {card_id})")
            )
            continue
        row.data["id"] = card_id
        try:
            card = _CARD_ADAPTER.validate_python(row.data)
        except ValidationError as exc:
            report.problems.append(RowProblem(row.line, _card_error(exc)))
            continue
        first_line_of[card_id] = row.line
        old = old_cards.get(card_id)
        if old is None:
            imported[card_id] = card
            report.added.append(card_id)
            continue
        merged, notice = merge_card(old, row, card)
        if notice:
            report.notices.append(RowProblem(row.line, notice))
        imported[card_id] = merged
        (report.unchanged if merged == old else report.updated).append(card_id)

    cards: list[AnyCard] = []
    for card in old_deck.cards if old_deck else []:
        if card.id in imported:
            cards.append(imported.pop(card.id))
        else:
            cards.append(card)
            report.kept.append(card.id)
    cards.extend(imported.values())
    return cards


def import_file(
    path: str | Path,
    deck_id: str | None = None,
    existing: Path | None = None,
    *,
    title: str | None = None,
) -> tuple[Deck, ImportReport]:
    """Read an Anki text export or a CSV into a deck, merged into ``existing`` if given.

    Raises QuizError (one line) if the file is not readable text or yields no cards
    (:class:`NoCardsImported`, carrying the report). Bad rows are skipped and listed
    in the report. Nothing is written: the caller writes the deck.
    """
    path = Path(path)
    if deck_id is not None and not _DECK_ID_RE.match(deck_id):
        raise QuizError(
            f"invalid deck id {deck_id!r}: use lower-case letters, digits and '-' (e.g. my-deck)",
            label=None,
        )
    text = read_import_text(path)
    old_deck = _load_existing(Path(existing) if existing is not None else None)
    report = ImportReport(str(path))
    parsed = parse_rows(text)
    rows = parsed.rows
    report.problems.extend(parsed.problems)
    report.source_format = parsed.source_format
    report.ignored_columns = parsed.ignored_columns

    anki_deck = _common_deck_name(rows)
    declared_id = parsed.declared_deck_id
    target_id = (
        deck_id
        or (old_deck.deck if old_deck else None)
        or (declared_id if _DECK_ID_RE.match(declared_id) else None)
        or slugify_deck_id(anki_deck or path.stem)
    )
    cards = _collect_cards(rows, old_deck, IdResolver(old_deck, target_id), report)
    report.problems.sort(key=lambda p: p.line)
    if report.imported == 0:
        detail = f" ({report.skipped} bad rows skipped)" if report.skipped else ""
        raise NoCardsImported(report, f"no cards found{detail}", where=str(path))

    deck_title = title or (old_deck.title if old_deck else "") or anki_deck
    if not deck_title:
        stem = re.sub(r"[\s_-]+", " ", path.stem).strip()
        deck_title = (stem[:1].upper() + stem[1:]) or target_id
    deck = Deck(
        deck=target_id,
        title=deck_title,
        description=old_deck.description if old_deck else f"Imported from {path.name}.",
        source=old_deck.source if old_deck else None,
        cards=cards,
    )
    return deck, report


__all__ = [
    "ImportReport",
    "NoCardsImported",
    "RowProblem",
    "content_id",
    "guid_id",
    "import_file",
    "split_list",
    "split_tags",
]
