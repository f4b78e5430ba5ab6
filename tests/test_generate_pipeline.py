"""Generation end to end: the seed report, the noisy corpus report, ids, update, CLI."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.deck.loader import load_deck
from quiz.deck.model import ClozeCard, Deck, McqCard, NumericCard
from quiz.generate.clean import clean_text, close_spacing
from quiz.generate.gate import squash
from quiz.generate.pipeline import generate, generate_full, is_untouched
from quiz.generate.update import merge_decks

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "stent-2020-russia-and-china-axis-of-revisionists.txt"
RAW_DECK = ROOT / "seeds" / "stent-2020-russia-china.raw-deck.yaml"
CORPUS = ROOT.parent / "shared" / "corpus" / "special-counsel-report-vol1-intro.txt"


@pytest.fixture(scope="module")
def seed_deck() -> Deck:
    deck, _ = generate(
        SEED.read_text(encoding="utf-8"),
        source_name=SEED.name,
        deck_id="stent-2020-russia-china-raw",
    )
    return deck


@pytest.fixture(scope="module")
def corpus_run():
    if not CORPUS.exists():
        pytest.skip("corpus report not available")
    return generate_full(CORPUS.read_text(encoding="utf-8"), source_name=CORPUS.name)


def quote_parts_in(quote: str, cleaned: str) -> bool:
    """Every ' ... '-separated part of the quote occurs in the cleaned text, in order.

    The quote follows the original file, so its extraction spacing ("IRA' s") is closed first.
    """
    pos = 0
    text = squash(cleaned)
    for part in close_spacing(quote).split(" ... "):
        at = text.find(squash(part), pos)
        if at < 0:
            return False
        pos = at + len(squash(part))
    return True


def answer_in_quote(card, quote: str) -> bool:
    q = squash(quote)
    if isinstance(card, NumericCard):
        n = card.answer
        forms = {
            f"{n:g}",
            f"{n:,.0f}",
            f"{n:,.1f}",
            str(int(n)) if float(n).is_integer() else f"{n}",
        }
        words = {
            2: "two",
            3: "three",
            4: "four",
            5: "five",
            6: "six",
            7: "seven",
            8: "eight",
            9: "nine",
            10: "ten",
        }
        if n in words:
            forms.add(words[int(n)])
        return any(f.lower() in q for f in forms)
    if card.type == "truefalse":
        return True
    return squash(card.accepted_answers[0]) in q


def check_gate(deck: Deck, cleaned: str) -> None:
    for card in deck.cards:
        assert card.source and card.source.quote and card.source.line and card.source.section
        assert card.section and card.group and card.kind
        assert quote_parts_in(card.source.quote, cleaned), card.id
        if card.type != "truefalse":
            assert answer_in_quote(card, close_spacing(card.source.quote).replace(" ... ", " ")), (
                card.id
            )
        if isinstance(card, ClozeCard):
            (gap,) = card.gaps
            assert len(gap.answer.split()) <= 5
            assert gap.answer.lower() not in card.prompt.lower()
        if isinstance(card, McqCard):
            assert 3 <= len(card.choices) <= 4


def test_seed_deck_is_large_valid_and_mixed(seed_deck: Deck) -> None:
    cards = seed_deck.cards
    assert 120 <= len(cards) <= 200  # one card per passage: a 6,000-word report gives ~150
    types = Counter(c.type for c in cards)
    assert {"cloze", "short", "numeric", "mcq", "truefalse"} <= set(types)
    kinds = Counter(c.kind for c in cards)
    assert kinds["argument"] / len(cards) >= 0.30
    assert kinds["quote"] >= 1
    assert len({c.id for c in cards}) == len(cards)
    sections = {c.section for c in cards}
    assert len(sections) >= 8  # every part of the report is covered
    check_gate(seed_deck, clean_text(SEED.read_text(encoding="utf-8")).text)


def test_seed_lines_point_to_the_original_file(seed_deck: Deck) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for card in seed_deck.cards:
        quote = card.source.quote
        first_word = re.findall(r"[A-Za-z]{3,}", quote)[0]
        window = " ".join(lines[card.source.line - 1 : card.source.line + 1])
        assert first_word in window, (card.id, card.source.line, first_word)


def test_known_argument_templates_appear(seed_deck: Deck) -> None:
    prompts = [c.prompt for c in seed_deck.cards]
    assert any(p.startswith("According to the report, what explains why") for p in prompts)
    assert any(p.startswith("What qualification does the report attach") for p in prompts)
    assert any(p.startswith("Who said") for p in prompts)


def test_no_vague_or_dangling_prompts(seed_deck: Deck) -> None:
    for card in seed_deck.cards:
        p = card.prompt
        assert not re.match(r"(This|That|It|They) (is|was) (in part )?because ____", p)
        assert not re.search(r"what explains why (this|that|it|they)\b", p, re.IGNORECASE)


def test_raw_deck_is_reproduced_byte_for_byte(tmp_path: Path) -> None:
    if not RAW_DECK.exists():
        pytest.skip("raw deck not committed yet")
    out = tmp_path / "seeds" / RAW_DECK.name
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / SEED.name).write_bytes(SEED.read_bytes())
    r = CliRunner().invoke(
        main,
        [
            "generate",
            str(tmp_path / "seeds" / SEED.name),
            "-o",
            str(out),
            "--deck-id",
            "stent-2020-russia-china-raw",
        ],
    )
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == RAW_DECK.read_bytes()


def test_generated_decks_pass_quiz_check(tmp_path: Path) -> None:
    runner = CliRunner()
    sources = [SEED] + ([CORPUS] if CORPUS.exists() else [])
    for src in sources:
        out = tmp_path / f"{src.stem}.yaml"
        r = runner.invoke(main, ["generate", str(src), "-o", str(out)])
        assert r.exit_code == 0, r.output
        r = runner.invoke(main, ["check", str(out)])
        assert r.exit_code == 0, r.output
        assert "0 errors" in r.output


def test_corpus_report_has_no_furniture_in_cards(corpus_run) -> None:
    deck = corpus_run.deck
    assert len(deck.cards) >= 25
    check_gate(deck, corpus_run.cleaned.text)
    raw_lines = CORPUS.read_text(encoding="utf-8").splitlines()
    short_lines = Counter(line.strip() for line in raw_lines if 0 < len(line.strip()) <= 80)
    repeated = {line for line, n in short_lines.items() if n >= 3 and len(line) > 3}
    for card in deck.cards:
        shown = " ".join(
            [card.prompt, card.canonical_answer, *(card.choice_list or []), card.explanation or ""]
        )
        assert "(cid:" not in shown
        assert not re.search(r"https?://|www\.", shown)
        assert not re.search(r"\s\d{1,3}\s*$", card.prompt)
        assert not re.search(r"[~¥•]|[il1]{7,}", shown), card.id
        for line in repeated:
            assert line not in shown, (card.id, line)


def test_ids_are_stable_under_unrelated_edits(seed_deck: Deck) -> None:
    text = SEED.read_text(encoding="utf-8")
    # change one paragraph (the Arctic one) and append an unrelated one
    edited = text.replace(
        "The latest area for energy cooperation is in the Arctic",
        "The newest area for energy work is the Arctic",
    ) + ("\n\nIn 2031, Mongolia joined a new regional forum on water rights.\n")
    deck2, _ = generate(edited, source_name=SEED.name, deck_id="stent-2020-russia-china-raw")
    ids1 = {c.id for c in seed_deck.cards}
    ids2 = {c.id for c in deck2.cards}
    assert len(ids1 & ids2) / len(ids1) >= 0.9
    again, _ = generate(text, source_name=SEED.name, deck_id="stent-2020-russia-china-raw")
    assert [c.id for c in again.cards] == [c.id for c in seed_deck.cards]


def test_update_keeps_instructor_work_and_retires_gone_passages(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    src = tmp_path / "report.txt"
    src.write_text(text, encoding="utf-8")
    deck_path = tmp_path / "deck.yaml"
    runner = CliRunner()
    r = runner.invoke(main, ["generate", str(src), "-o", str(deck_path)])
    assert r.exit_code == 0, r.output
    deck = load_deck(deck_path)
    # the instructor edits one card, marks one reviewed
    edited_id, reviewed_id = deck.cards[0].id, deck.cards[1].id
    raw = deck_path.read_text(encoding="utf-8")
    first = deck.cards[0]
    old_prompt = first.question if hasattr(first, "question") else first.text
    new_prompt = old_prompt + " (as worded by the instructor)"
    assert new_prompt != old_prompt
    data = Deck.model_validate(deck.model_dump())
    cards = list(data.cards)
    key = "question" if hasattr(first, "question") else "text"
    cards[0] = cards[0].model_copy(update={key: new_prompt})
    cards[1] = cards[1].model_copy(update={"reviewed": True})
    from quiz.deck.writer import write_deck

    write_deck(data.model_copy(update={"cards": cards}), deck_path)
    assert raw != deck_path.read_text(encoding="utf-8")
    # the report changes: the Yamal passage disappears, a new paragraph appears
    gone = [c for c in deck.cards if "Yamal" in (c.source.quote or "")]
    assert gone
    lines = [ln for ln in text.splitlines(keepends=True) if "Yamal" not in ln]
    new_text = (
        "".join(lines) + "\n\nIn 2031, Mongolia signed a $9 billion deal to build a railway.\n"
    )
    src.write_text(new_text, encoding="utf-8")
    r = runner.invoke(main, ["generate", str(src), "--update", str(deck_path)])
    assert r.exit_code == 0, r.output
    merged = load_deck(deck_path)
    by_id = {c.id: c for c in merged.cards}
    assert getattr(by_id[edited_id], key) == new_prompt
    assert by_id[reviewed_id].reviewed
    for c in gone:
        assert by_id[c.id].retired
    assert len(merged.cards) >= len(deck.cards)  # nothing deleted
    assert any(
        "Mongolia" in (c.source.quote or "")
        for c in merged.cards
        if c.id not in {x.id for x in deck.cards}
    )
    untouched = [c for c in merged.cards if is_untouched(c)]
    assert untouched


def test_reworded_passage_links_new_card_to_retired_one() -> None:
    text = SEED.read_text(encoding="utf-8")
    old_deck, _ = generate(text, source_name=SEED.name)
    target = next(c for c in old_deck.cards if "more than eight times" in c.source.quote)
    edited = text.replace("more than eight times the size", "well over eight times the size")
    assert edited != text
    g = generate_full(edited, source_name=SEED.name)
    merged, rep = merge_decks(old_deck, g.deck, g.cleaned.text)
    by_id = {c.id: c for c in merged.cards}
    assert by_id[target.id].retired
    successors = [c for c in merged.cards if target.id in c.previous_ids]
    assert len(successors) == 1 and not successors[0].retired
    assert successors[0].id in rep.relinked


def test_merge_is_idempotent_on_unchanged_text(seed_deck: Deck) -> None:
    cleaned = clean_text(SEED.read_text(encoding="utf-8")).text
    merged, rep = merge_decks(seed_deck, seed_deck, cleaned)
    assert [c.id for c in merged.cards] == [c.id for c in seed_deck.cards]
    assert not rep.added and not rep.retired


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(
        main, ["generate", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "d.yaml")]
    )
    assert r.exit_code != 0 and "no such file" in r.output and "Traceback" not in r.output
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    r = runner.invoke(main, ["generate", str(binary), "-o", str(tmp_path / "d.yaml")])
    assert r.exit_code != 0 and "not a text file" in r.output
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    r = runner.invoke(main, ["generate", str(empty), "-o", str(tmp_path / "d.yaml")])
    assert r.exit_code != 0 and "empty" in r.output
    assert not (tmp_path / "d.yaml").exists()
    ok = tmp_path / "ok.txt"
    ok.write_text("The plan cost $5 billion in 2019 because the team failed.\n", encoding="utf-8")
    r = runner.invoke(
        main, ["generate", str(ok), "-o", str(tmp_path / "d.yaml"), "--deck-id", "Bad ID"]
    )
    assert r.exit_code == 2 and "--deck-id" in r.output and len(r.output.strip().splitlines()) == 1
    ok.write_text("The plan cost $5 billion in 2019 because the team failed.\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    r = runner.invoke(main, ["generate", str(ok), "-o", str(blocker / "d.yaml")])
    assert r.exit_code != 0 and "cannot write" in r.output and "Traceback" not in r.output


def test_hostile_text_never_crashes(tmp_path: Path) -> None:
    text = (
        "[bold]Markup[/] and $var and \x1b[31mANSI\x1b[0m reached $5 billion in 2019.\n\n"
        "“Unclosed quote because of (brackets in 2020.\n\n" + "x" * 5000 + "\n\n"
        "THE END\nIt is 50% done, because the plan failed.\n"
    )
    deck, _ = generate(text, source_name="hostile.txt")
    Deck.model_validate(deck.model_dump())
    for card in deck.cards:
        assert "\x1b" not in card.prompt


def test_report_lists_kept_and_rejected(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        main,
        ["generate", str(SEED), "-o", str(tmp_path / "d.yaml"), "--max-cards", "40", "--report"],
    )
    assert r.exit_code == 0, r.output
    assert "KEPT" in r.output and "REJECTED" in r.output
    assert len(load_deck(tmp_path / "d.yaml").cards) == 40
