"""The deck model: what a deck file holds, validated by pydantic.

A deck is one YAML file. Progress is keyed on the card ``id``, never on its
content, so instructors may edit wording freely.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

CARD_TYPES = ("basic", "short", "cloze", "numeric", "mcq", "truefalse")
CARD_KINDS = ("fact", "argument", "quote")

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
GAP_RE = re.compile(r"\{\{(.+?)\}\}", re.DOTALL)


def _scalar_to_str(value: Any) -> Any:
    """Accept YAML numbers where text is expected (``answer: 2014``); bools stay errors."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_scalar_to_str)]
NonEmptyText = Annotated[str, BeforeValidator(_scalar_to_str), Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class DeckSource(_Strict):
    """Where the deck's material comes from."""

    title: NonEmptyText
    author: Text | None = None
    publisher: Text | None = None
    published: Text | None = None
    url: Text | None = None
    file: Text | None = None  # path relative to the deck file


class CardSource(_Strict):
    """The passage a card was made from."""

    quote: Text | None = None
    section: Text | None = None
    line: int | None = Field(default=None, ge=1)


class CardBase(_Strict):
    """Fields every card has."""

    id: Annotated[str, BeforeValidator(_scalar_to_str), Field(pattern=ID_PATTERN)]
    kind: Literal["fact", "argument", "quote"] = "fact"
    section: Text | None = None
    tags: list[Text] = Field(default_factory=list)
    explanation: Text | None = None
    group: Text | None = None
    source: CardSource | None = None
    reviewed: bool = False
    retired: bool = False
    previous_ids: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(default_factory=list)

    # --- uniform views used by grading, export and the UI -------------------
    @property
    def prompt(self) -> str:
        """The question as shown, with cloze gaps as ``____``."""
        raise NotImplementedError

    @property
    def canonical_answer(self) -> str:
        """The canonical answer as text."""
        raise NotImplementedError

    @property
    def accepted_answers(self) -> list[str]:
        """Every answer accepted as correct, canonical first."""
        return [self.canonical_answer]

    @property
    def choice_list(self) -> list[str] | None:
        """Choices for mcq and truefalse cards, else None."""
        return None

    def content_hash(self) -> str:
        """A short hash of what the card asks and answers (not its id or flags)."""
        data = self.model_dump(
            exclude={"id", "reviewed", "retired", "previous_ids", "tags"}, mode="json"
        )
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


class BasicCard(CardBase):
    """Front and back; the learner grades themself."""

    type: Literal["basic"]
    question: NonEmptyText
    answer: NonEmptyText

    @property
    def prompt(self) -> str:
        return self.question

    @property
    def canonical_answer(self) -> str:
        return self.answer


class ShortCard(CardBase):
    """A typed answer, graded automatically."""

    type: Literal["short"]
    question: NonEmptyText
    answer: NonEmptyText
    accept: list[NonEmptyText] = Field(default_factory=list)

    @property
    def prompt(self) -> str:
        return self.question

    @property
    def canonical_answer(self) -> str:
        return self.answer

    @property
    def accepted_answers(self) -> list[str]:
        return [self.answer, *self.accept]


@dataclass(frozen=True)
class Gap:
    """One ``{{...}}`` gap of a cloze: its answer, alternatives and hint."""

    answer: str
    alternatives: tuple[str, ...] = ()
    hint: str | None = None

    @property
    def accepted(self) -> list[str]:
        return [self.answer, *self.alternatives]


def parse_gap(inner: str) -> Gap:
    """Parse the inside of ``{{answer|alt|alt::hint}}``."""
    body, _, hint = inner.partition("::")
    parts = [p.strip() for p in body.split("|")]
    return Gap(parts[0], tuple(p for p in parts[1:] if p), hint.strip() or None)


class ClozeCard(CardBase):
    """Text with one or more ``{{gap}}`` markers; each gap is typed."""

    type: Literal["cloze"]
    text: NonEmptyText

    @field_validator("text")
    @classmethod
    def _has_gap(cls, v: str) -> str:
        gaps = GAP_RE.findall(v)
        if not gaps:
            raise ValueError("cloze text has no {{gap}}")
        for inner in gaps:
            if not parse_gap(inner).answer:
                raise ValueError("cloze gap is empty")
        return v

    @property
    def gaps(self) -> list[Gap]:
        return [parse_gap(m) for m in GAP_RE.findall(self.text)]

    def render(self, fill: str | None = None, hints: bool = True) -> str:
        """The text with gaps blanked (``____`` or ``[hint]``), or filled with answers."""

        def sub(m: re.Match[str]) -> str:
            gap = parse_gap(m.group(1))
            if fill == "answer":
                return gap.answer
            if hints and gap.hint:
                return f"____ [{gap.hint}]"
            return "____"

        return GAP_RE.sub(sub, self.text)

    @property
    def prompt(self) -> str:
        return self.render(hints=False)

    @property
    def canonical_answer(self) -> str:
        return "; ".join(g.answer for g in self.gaps)

    @property
    def accepted_answers(self) -> list[str]:
        gaps = self.gaps
        if len(gaps) == 1:
            return gaps[0].accepted
        return [self.canonical_answer]


def parse_tolerance(value: str | float | int | None) -> tuple[float, bool]:
    """Return ``(amount, relative)``; ``"5%"`` is (0.05, True), ``2`` is (2.0, False)."""
    if value is None:
        return 0.0, False
    if isinstance(value, bool):
        raise ValueError("tolerance must be a number or a percentage like '5%'")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("tolerance must not be negative")
        return float(value), False
    s = str(value).strip()
    rel = s.endswith("%")
    try:
        amount = float(s.rstrip("%").strip())
    except ValueError:
        raise ValueError(f"tolerance {value!r} is not a number or a percentage like '5%'") from None
    if amount < 0:
        raise ValueError("tolerance must not be negative")
    return (amount / 100.0, True) if rel else (amount, False)


def format_number(x: float) -> str:
    """A number as people write it: ``2014``, ``107.5``, ``1,000,000``."""
    if float(x).is_integer():
        n = int(x)
        return f"{n:,}" if abs(n) >= 10000 else str(n)
    return f"{x:,.6f}".rstrip("0").rstrip(".")


class NumericCard(CardBase):
    """A number, graded within a tolerance."""

    type: Literal["numeric"]
    question: NonEmptyText
    answer: float
    unit: Text | None = None
    tolerance: float | str | None = None

    @field_validator("answer", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("answer must be a number")
        return v

    @field_validator("tolerance")
    @classmethod
    def _tol(cls, v: Any) -> Any:
        parse_tolerance(v)
        return v

    @property
    def tolerance_abs(self) -> float:
        """The tolerance as an absolute amount around the answer."""
        amount, rel = parse_tolerance(self.tolerance)
        return abs(self.answer) * amount if rel else amount

    @property
    def prompt(self) -> str:
        return self.question

    @property
    def canonical_answer(self) -> str:
        n = format_number(self.answer)
        return f"{n} {self.unit}" if self.unit else n


class McqCard(CardBase):
    """Pick one of 3 to 6 choices; shown shuffled."""

    type: Literal["mcq"]
    question: NonEmptyText
    choices: list[NonEmptyText] = Field(min_length=3, max_length=6)
    answer: NonEmptyText

    @model_validator(mode="after")
    def _answer_in_choices(self) -> McqCard:
        seen: set[str] = set()
        for c in self.choices:
            key = c.strip().casefold()
            if key in seen:
                raise ValueError(f"duplicate choice {c!r}")
            seen.add(key)
        if self.answer not in self.choices:
            raise ValueError(f"answer {self.answer!r} is not one of the choices")
        return self

    @property
    def prompt(self) -> str:
        return self.question

    @property
    def canonical_answer(self) -> str:
        return self.answer

    @property
    def choice_list(self) -> list[str] | None:
        return list(self.choices)


class TrueFalseCard(CardBase):
    """A statement to judge true or false."""

    type: Literal["truefalse"]
    statement: NonEmptyText
    answer: bool

    @model_validator(mode="after")
    def _explained_when_false(self) -> TrueFalseCard:
        if self.answer is False and not (self.explanation or "").strip():
            raise ValueError("a false statement needs an explanation giving the true one")
        return self

    @property
    def prompt(self) -> str:
        return self.statement

    @property
    def canonical_answer(self) -> str:
        return "True" if self.answer else "False"

    @property
    def choice_list(self) -> list[str] | None:
        return ["True", "False"]


Card = Annotated[
    BasicCard | ShortCard | ClozeCard | NumericCard | McqCard | TrueFalseCard,
    Field(discriminator="type"),
]
AnyCard = BasicCard | ShortCard | ClozeCard | NumericCard | McqCard | TrueFalseCard


class Deck(_Strict):
    """One deck file."""

    deck: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
    title: NonEmptyText
    description: Text = ""
    source: DeckSource | None = None
    cards: list[Card] = Field(default_factory=list)
    _path: Path | None = PrivateAttr(None)

    @property
    def path(self) -> Path | None:
        """The file the deck was loaded from (None when built in memory)."""
        return self._path

    @property
    def active_cards(self) -> list[AnyCard]:
        """Cards that are studied (not retired)."""
        return [c for c in self.cards if not c.retired]

    def card(self, card_id: str) -> AnyCard | None:
        for c in self.cards:
            if c.id == card_id:
                return c
        return None
