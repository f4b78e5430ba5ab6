"""How a quiz card looks as an Anki note: ids, GUIDs, tags, cloze syntax, field text.

Shared by the ``.apkg`` and text exporters and by the importer, so that both
directions agree on every mapping.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable

from quiz.deck.model import GAP_RE, AnyCard, ClozeCard, McqCard, TrueFalseCard, parse_gap

ANKI_ID_MIN = 1 << 30
ANKI_ID_MAX = 1 << 31
"""genanki's recommended range for model and deck ids."""

QUIZ_ID_FIELD = "Quiz ID"
"""Field in quiz's Anki note types holding the card id, so Anki exports round-trip."""

FAMILY_OF_TYPE = {
    "basic": "basic",
    "short": "short",
    "numeric": "short",
    "cloze": "cloze",
    "mcq": "choice",
    "truefalse": "choice",
}
"""The Anki note type family (basic, short, cloze, choice) of each quiz card type."""

MODEL_FIELDS: dict[str, tuple[str, ...]] = {
    "basic": ("Front", "Back", "Explanation", "Source", QUIZ_ID_FIELD),
    "short": ("Front", "Back", "Explanation", "Source", QUIZ_ID_FIELD),
    "cloze": ("Text", "Explanation", "Source", QUIZ_ID_FIELD),
    "choice": ("Question", "Options", "Answer", "Explanation", "Source", QUIZ_ID_FIELD),
}
"""The fields of quiz's Anki note type for each family, in order."""

ANKI_CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_TAG_DROP_RE = re.compile(r"[^\w:.\-/+&@#]")
_OPTION_LETTERS = "ABCDEF"


def stable_anki_id(*parts: str) -> int:
    """A fixed integer id in Anki's valid range, derived from ``parts``."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return ANKI_ID_MIN + int.from_bytes(digest[:8], "big") % (ANKI_ID_MAX - ANKI_ID_MIN)


def deck_anki_id(deck_id: str) -> int:
    """The Anki deck id for a quiz deck."""
    return stable_anki_id("quiz", "deck", deck_id)


def model_anki_id(deck_id: str, family: str) -> int:
    """The Anki note type (model) id for one card family of a quiz deck."""
    return stable_anki_id("quiz", "model", deck_id, family)


def model_name(deck_id: str, family: str) -> str:
    """The Anki note type name for one card family of a quiz deck."""
    return f"quiz {family} ({deck_id})"


def note_guid(deck_id: str, card_id: str) -> str:
    """The Anki note GUID of a card: fixed by deck and card id, never by content."""
    from genanki import guid_for

    return guid_for(deck_id, card_id)


def slug_tag(text: str) -> str:
    """``text`` as one Anki tag: no spaces, no quotes or commas."""
    slug = re.sub(r"\s+", "-", text.strip())
    slug = _TAG_DROP_RE.sub("", slug)
    return slug.strip("-:")


def anki_tags(card: AnyCard) -> list[str]:
    """Anki tags for a card: its tags, ``section::<section>`` and ``kind::<kind>``."""
    tags: list[str] = [slug_tag(t) for t in card.tags]
    if card.section and slug_tag(card.section):
        tags.append(f"section::{slug_tag(card.section)}")
    tags.append(f"kind::{card.kind}")
    return _unique(t for t in tags if t)


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def html_text(text: str) -> str:
    """Plain text as an HTML field: escaped, newlines as ``<br>``."""
    return html.escape(text).replace("\r\n", "\n").replace("\n", "<br>")


def plain_text(text: str) -> str:
    """Plain text unchanged (for files that declare ``#html:false``)."""
    return text


def cloze_to_anki(text: str, escape: Callable[[str], str] = plain_text) -> str:
    """Quiz cloze text (``{{answer|alt::hint}}``) in Anki syntax (``{{c1::answer::hint}}``).

    Each gap becomes its own cloze number, so Anki asks one gap per card.
    Alternatives have no Anki equivalent and are left out.
    """
    out: list[str] = []
    pos = 0
    for number, match in enumerate(GAP_RE.finditer(text), start=1):
        out.append(escape(text[pos : match.start()]))
        gap = parse_gap(match.group(1))
        inner = f"c{number}::{escape(gap.answer)}"
        if gap.hint:
            inner += f"::{escape(gap.hint)}"
        out.append("{{" + inner + "}}")
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def cloze_from_anki(text: str) -> str:
    """Anki cloze text (``{{c1::answer::hint}}``) in quiz syntax (``{{answer::hint}}``)."""

    def sub(m: re.Match[str]) -> str:
        answer, hint = m.group(2).strip(), (m.group(3) or "").strip()
        return "{{" + (f"{answer}::{hint}" if hint else answer) + "}}"

    return ANKI_CLOZE_RE.sub(sub, text)


def option_label(index: int) -> str:
    """``A``, ``B``, ... for the n-th option."""
    return _OPTION_LETTERS[index] if index < len(_OPTION_LETTERS) else str(index + 1)


def option_lines(card: McqCard | TrueFalseCard) -> list[str]:
    """The options of a choice card as ``A. text`` lines."""
    choices = card.choice_list or []
    return [f"{option_label(i)}. {c}" for i, c in enumerate(choices)]


def answer_line(card: McqCard | TrueFalseCard) -> str:
    """The correct option as ``B. text``."""
    choices = card.choice_list or []
    index = choices.index(card.canonical_answer)
    return f"{option_label(index)}. {card.canonical_answer}"


def source_text(card: AnyCard) -> str:
    """The source quote shown on the back of a card, or ``""``."""
    if card.source and card.source.quote:
        return card.source.quote
    return ""


def front_text(card: AnyCard) -> str:
    """The front of a card as plain text (cloze in Anki syntax, choices listed)."""
    if isinstance(card, ClozeCard):
        return cloze_to_anki(card.text)
    if isinstance(card, McqCard):
        return card.question + "\n\n" + "\n".join(option_lines(card))
    if isinstance(card, TrueFalseCard):
        return "True or false? " + card.statement
    return card.prompt


def back_text(card: AnyCard) -> str:
    """The back of a card as plain text: the answer (for cloze, the explanation)."""
    if isinstance(card, ClozeCard):
        return card.explanation or ""
    if isinstance(card, McqCard | TrueFalseCard):
        return answer_line(card)
    return card.canonical_answer
