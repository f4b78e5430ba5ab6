"""How many key presses curating 50 generated cards takes in ``quiz curate`` (a Pilot script).

The 50 cards are the labelled sample of the bundled raw deck
(tests/data/gold/stent-2020-raw-sample-labels.yaml, latest round: every 3rd card
of the first 150), taken from the raw deck as committed at that round's generator
commit (``git show``). Each card gets the decision its label asks for:

- ``as-is``: ``a``;
- ``reject``: ``x``;
- ``edit``: the edit the label's reason describes (EDITS below: a gap moved with
  ``g``, or the prompt/answer/choices typed in the edit form), then ``a``.

Typed edits are made in the real Input widgets with the keys an editor would use:
word jumps (ctrl+left/right) and arrows to reach the change, ctrl+w / backspace /
ctrl+k to delete, then one key per character typed. The script checks every
field ends up exactly as intended and that the deck passes ``quiz check``.

    python bench/curate_keys.py          # prints the counts
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
import tempfile
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quiz.curation import Curation  # noqa: E402
from quiz.deck.lint import check_files  # noqa: E402
from quiz.deck.loader import load_deck  # noqa: E402
from quiz.deck.writer import write_deck  # noqa: E402

RAW = ROOT / "seeds" / "stent-2020-russia-china.raw-deck.yaml"
REPORT = ROOT / "seeds" / "stent-2020-russia-and-china-axis-of-revisionists.txt"
LABELS = ROOT / "tests" / "data" / "gold" / "stent-2020-raw-sample-labels.yaml"

# The edit each "edit" label's reason asks for: field -> new text, ("gap", answer) to move
# the gap to a generator candidate, or "retire" where the reason says to keep the other card.
EDITS: dict[str, object] = {
    "cloze-9221dd3c8d": {  # gap regime survival
        "prompt": "Putin and Xi are authoritarian leaders whose primary preoccupation is personal and ____.",
        "answer": "regime survival",
    },
    "mcq-7490851208": {  # gap the number only
        "prompt": "There are upwards of ____ Chinese university students in the United States.",
        "answer": "350,000",
        "extra": "350,000; 175,000; 25,000; 700,000",
    },
    "cloze-7df57f0cf1": {  # gap 'abstained'
        "prompt": "Beijing has also backed Russia’s actions in Ukraine, although it ____ in the U.N. "
        "General Assembly vote condemning Russia’s annexation of Crimea and it does not "
        "recognize Crimea as part of the Russian Federation.",
        "answer": "abstained",
        "extra": "",
    },
    "cloze-737368453b": {  # the claim: the visions are very different
        "prompt": "Chinese and Russian visions of the “post-West” global order they both espouse are very ____.",
        "answer": "different",
        "extra": "",
    },
    "mcq-944e6a91c6": {  # journalists as distractors
        "extra": "Edgar Snow; Walter Lippmann; Harrison Salisbury; Walter Cronkite",
    },
    "numeric-e7411d0bf5": {  # shorten
        "prompt": "Since 2009, China has been Russia’s largest trading partner. Their bilateral trade "
        "has risen to how many billion dollars in 2018?",
    },
    "cloze-9b614510b7": {  # shorten: drop the previous sentence
        "prompt": "Russia and China have said that they will negotiate a new military agreement "
        "reflecting broader cooperation, including ____.",
    },
    "cloze-781c96c166": ("gap", "the United States"),  # the point: both blamed the U.S.
    "cloze-4a5873674e": {  # name the challenge
        "prompt": "One future area of challenge for the partnership is the impact that China’s ____ "
        "will have on Russian political and economic interests.",
    },
    "subject-what-5980f33f0b": {  # ask what it enabled Russia to become
        "prompt": "According to the report, the Sino-Russian partnership has enabled Russia to "
        "re-emerge as what?",
        "answer": "An independent center of international power",
    },
    "who-said-34485794fd": {  # a document, not a person
        "prompt": "Which U.S. document said: “The central challenge to U.S. prosperity and security "
        "is the reemergence of long-term, strategic competition by what the National Security "
        "Strategy classifies as revisionist powers. …”?",
    },
    "who-said-2bb1d293dd": {  # end the quote at 'security partnership'
        "prompt": "Who said that “The drills reflect a much broader, longer-term [trend towards] the "
        "two largest Eurasian countries accommodating each other’s interests and forming a "
        "meaningful security partnership”?",
    },
    "numeric-a693faeb2a": {  # name Yamal LNG
        "prompt": "China stepped in with a loan worth how many billion dollars and became partners "
        "in the Yamal LNG project?",
    },
    "key-is-13b8d034c2": {  # say what it is about
        "prompt": "According to the report, what remains unknown about future Sino-Russian cooperation?",
    },
    "tf-true-18b841bab6": {  # name the BRICS
        "prompt": "Since its first formal meeting in 2009, the BRICS has sought to institutionalize "
        "itself as an international economic organization that provides an alternative to "
        "U.S.-dominated institutions.",
    },
    "cause-732db50b4f": {  # name the deal, shorter stem
        "prompt": "According to the report, why was Beijing able to get a cheap price and equities "
        "in the May 2014 Power of Siberia gas deal?",
    },
    "cloze-19f3cd6ace": "retire",  # repeats #42's claim: keep one
}
FIELDS = ("prompt", "answer", "extra", "explanation")
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _offsets(tokens: list[str]) -> list[int]:
    """Character offset of each token, and of the end."""
    out = [0]
    for t in tokens:
        out.append(out[-1] + len(t))
    return out


def raw_deck_at(commit: str, folder: Path) -> Path:
    """The raw deck as committed when the labels were made (the generator has moved on
    since, and its cards with it); the current file when git cannot give it."""
    import subprocess

    rel = RAW.relative_to(ROOT).as_posix()
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{rel}"], capture_output=True)
    if shown.returncode != 0:
        print(f"git cannot show {rel} at {commit}: using the current raw deck", file=sys.stderr)
        return RAW
    path = folder / f"raw-{commit}.yaml"
    path.write_bytes(shown.stdout)
    return path


def sample_deck(folder: Path) -> tuple[Path, dict[str, str]]:
    """The 50 labelled cards of the raw deck, as a generated deck file beside its report."""
    rounds = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["rounds"]
    labels = {entry["id"]: entry["label"] for entry in rounds[-1]["labels"]}
    raw = load_deck(raw_deck_at(str(rounds[-1]["generator_commit"]), folder))
    deck = raw.model_copy(update={"cards": [c for c in raw.cards if c.id in labels]})
    shutil.copy(REPORT, folder / REPORT.name)
    path = folder / "deck.yaml"
    write_deck(deck, path, header=f"Generated by quiz generate from {REPORT.name}.")
    return path, labels


class Keys:
    """Presses keys through Pilot and counts them, by kind."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.count: Counter[str] = Counter()

    async def press(self, kind: str, *keys: str) -> None:
        self.count[kind] += len(keys)
        await self.pilot.press(*keys)

    async def _try(self, box, key: str, ok) -> bool:
        """Press ``key`` if it lands where ``ok`` wants (a person sees where a word ends)."""
        value, cursor = box.value, box.cursor_position
        await self.pilot.press(key)
        if ok(box):
            self.count["edit: move/delete"] += 1
            return True
        box.value, box.cursor_position = value, cursor
        await self.pilot.pause()
        return False

    async def move(self, box, target: int) -> None:
        here = box.cursor_position
        if 0 < target < here and target < here - target:
            await self.press("edit: move/delete", "home")  # nearer the start: jump there first
        elif here < target < len(box.value) and len(box.value) - target < target - here:
            await self.press("edit: move/delete", "end")
        while box.cursor_position != target:
            here = box.cursor_position
            if target == len(box.value) and here != target:
                await self.press("edit: move/delete", "end")
            elif target == 0:
                await self.press("edit: move/delete", "home")
            elif target > here:
                if not await self._try(
                    box, "ctrl+right", lambda b, here=here: here < b.cursor_position <= target
                ):
                    await self.press("edit: move/delete", "right")
            elif not await self._try(
                box, "ctrl+left", lambda b, here=here: target <= b.cursor_position < here
            ):
                await self.press("edit: move/delete", "left")

    async def delete_back_to(self, box, start: int) -> None:
        while box.cursor_position > start:
            here = box.cursor_position
            if not await self._try(
                box, "ctrl+w", lambda b, here=here: start <= b.cursor_position < here
            ):
                await self.press("edit: move/delete", "backspace")

    async def retype(self, box, target: str) -> None:
        """Turn the Input's text into ``target``, change by change from the end."""
        old = box.value
        a, b = _TOKEN.findall(old), _TOKEN.findall(target)
        a_at, b_at = _offsets(a), _offsets(b)
        ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        for tag, t1, t2, u1, u2 in reversed(ops):
            if tag == "equal":
                continue
            i1, i2, j1, j2 = a_at[t1], a_at[t2], b_at[u1], b_at[u2]
            if i2 == len(box.value) and i2 > i1:
                await self.move(box, i1)
                await self.press("edit: move/delete", "ctrl+k")
            elif i1 == 0 and i2 > 0:
                await self.move(box, i2)
                await self.press("edit: move/delete", "ctrl+u")
            else:
                await self.move(box, i2)
                await self.delete_back_to(box, i1)
            text = target[j1:j2]
            if text:
                box.insert_text_at_cursor(text)  # one key per character typed
                self.count["edit: typing"] += len(text)
                await self.pilot.pause()
        assert box.value == target, (box.value, target)


async def curate(path: Path, labels: dict[str, str]) -> Counter[str]:
    from textual.widgets import Input

    from quiz.tui.app import CurateApp

    app = CurateApp(Curation(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        keys = Keys(pilot)
        screen = app.screen
        cur = screen.curation
        done = 0
        while screen.current is not None and cur.is_pending(cur.card(screen.current)):
            card_id = screen.current
            label = labels[card_id]
            edit = EDITS.get(card_id) if label == "edit" else None
            if label == "as-is":
                await keys.press("decision", "a")
            elif label == "reject" or edit == "retire":
                await keys.press("decision", "x")
            elif isinstance(edit, tuple):
                moves = cur.report.candidates.gap_moves(cur.card(card_id))
                index = next(i for i, m in enumerate(moves) if m.answer == edit[1])
                await keys.press("gap move", "g", str(index + 1))
                await keys.press("decision", "a")
            else:
                assert isinstance(edit, dict), card_id
                await keys.press("edit: open/save/fields", "e")
                fields = [f for f in FIELDS if screen.query_one(f"#edit-{f}", Input).display]
                position = 0
                for name in FIELDS:
                    if name not in edit:
                        continue
                    steps = fields.index(name) - position
                    if steps:
                        await keys.press("edit: open/save/fields", *["tab"] * steps)
                    position = fields.index(name)
                    box = screen.query_one(f"#edit-{name}", Input)
                    assert box.has_focus, name
                    await keys.retype(box, edit[name])
                await keys.press("edit: open/save/fields", "enter")
                assert screen.mode == "card", screen.query_one("#edit-error").render()
                await keys.press("decision", "a")
            done += 1
        await keys.press("decision", "q")
    keys.count["cards"] = done
    return keys.count


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="curate-keys-") as tmp:
        path, labels = sample_deck(Path(tmp))
        count = asyncio.run(curate(path, labels))
        report = check_files([path])
        assert report.errors == 0, [p.format() for p in report.problems]
        stats = Curation(path).stats()
        cards = count.pop("cards")
        total = sum(count.values())
        print(f"cards curated: {cards}; key presses: {total} ({total / cards:.1f} per card)")
        for kind, n in sorted(count.items()):
            print(f"  {kind:<24}{n:>6}")
        print(f"quiz check: {report.summary()}")
        print(stats.format().splitlines()[0])


if __name__ == "__main__":
    main()
