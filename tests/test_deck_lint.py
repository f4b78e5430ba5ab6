"""quiz check's rules beyond loading: source quotes, leaked answers, duplicates, deck ids."""

from __future__ import annotations

from pathlib import Path

from quiz.deck.lint import check_files, lint_deck, normalize_passage
from quiz.deck.loader import read_deck

SOURCE = """The China-Russia relationship has become an
increasingly robust, pragmatic strategic partnership
since 2014. China is Russia\u2019s number one trading partner and the second-
largest purchaser of Russian military hardware.
"""


def deck_file(tmp_path: Path, cards: str, source_file: str | None = "source.txt") -> Path:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    src = f"source:\n  title: S\n  file: {source_file}\n" if source_file else ""
    path = tmp_path / "d.yaml"
    path.write_text(f"deck: d\ntitle: T\n{src}cards:\n{cards}", encoding="utf-8")
    return path


def lint(path: Path) -> list[tuple[int | None, str, str, str | None]]:
    return [(p.line, p.severity, p.message, p.card_id) for p in lint_deck(read_deck(path))]


def test_quotes_match_across_line_breaks_hyphens_and_curly_quotes(tmp_path: Path) -> None:
    cards = "".join(
        f"  - {{id: c{i}, type: basic, question: 'Q{i}?', answer: 'A{i}', source: {{quote: \"{q}\"}}}}\n"
        for i, q in enumerate([
            "an increasingly robust, pragmatic strategic partnership since 2014",
            "China is Russia's number one trading partner",
            "the second-largest purchaser of Russian military hardware",
            "The China-Russia relationship ... since 2014.",
        ])
    )  # fmt: skip
    assert lint(deck_file(tmp_path, cards)) == []


def test_quote_not_in_source_is_an_error_at_the_quote(tmp_path: Path) -> None:
    path = deck_file(
        tmp_path,
        "  - id: a\n    type: basic\n    question: Q?\n    answer: A\n"
        "    source:\n      quote: Russia is China's number one trading partner\n",
    )
    assert lint(path) == [
        (12, "error", "source quote not found in source.txt: "
         "\"Russia is China's number one trading partner\"", "a"),
    ]  # fmt: skip


def test_windows_1252_source_is_read_as_quiz_generate_reads_it(tmp_path: Path) -> None:
    path = deck_file(tmp_path, "  - {id: a, type: basic, question: Q?, answer: A, "
                     "source: {quote: \"China is Russia\u2019s number one trading partner\"}}\n")  # fmt: skip
    (tmp_path / "source.txt").write_bytes(SOURCE.encode("cp1252"))
    assert lint(path) == []
    (tmp_path / "source.txt").write_bytes(
        SOURCE.replace("Russia\u2019s", "Russia's").encode("cp1252")
    )
    assert lint(path) == []  # curly and straight apostrophes match alike
    (tmp_path / "source.txt").write_bytes(SOURCE.replace("number one", "largest").encode("cp1252"))
    assert [p[1] for p in lint(path)] == ["error"]


def test_missing_source_file_is_an_error(tmp_path: Path) -> None:
    path = deck_file(tmp_path, "  - {id: a, type: basic, question: Q?, answer: A, source: {quote: x}}\n",
                     source_file="gone.txt")  # fmt: skip
    problems = lint(path)
    assert problems[0][:2] == (5, "error") and "source file 'gone.txt' not found" in problems[0][2]


def test_warnings(tmp_path: Path) -> None:
    q = "source: {quote: since 2014}"
    path = deck_file(
        tmp_path,
        f"  - {{id: leak, type: short, question: When did Russia annex Crimea in 2014?, answer: '2014', {q}}}\n"
        f"  - {{id: num, type: numeric, question: 'How many (about 10,900)?', answer: 10900, {q}}}\n"
        f"  - {{id: cloze, type: cloze, text: 'In {{{{2014}}}}, 2014 happened.', {q}}}\n"
        f"  - {{id: first, type: basic, question: What changed?, answer: Ties, {q}}}\n"
        f"  - {{id: dup, type: mcq, question: 'what  changed', choices: [a, b, c], answer: a, {q}}}\n"
        "  - {id: noquote, type: basic, question: Unsourced?, answer: Sure}\n"
        "  - {id: old, type: basic, question: Unsourced?, answer: Sure, retired: true}\n"
        f"  - {{id: fine, type: short, question: Who is the partner?, answer: China, {q}}}\n"
        f"  - {{id: tf, type: truefalse, statement: China is a partner., answer: true, {q}}}\n",
    )
    assert lint(path) == [
        (7, "warning", "answer '2014' appears in its own prompt", "leak"),
        (8, "warning", "answer '10,900' appears in its own prompt", "num"),
        (9, "warning", "answer '2014' appears in its own prompt", "cloze"),
        (11, "warning", "same prompt as card 'first' (line 10)", "dup"),
        (12, "warning", "no source quote", "noquote"),
    ]


def test_short_answers_inside_words_are_not_leaks(tmp_path: Path) -> None:
    path = deck_file(tmp_path, "  - {id: a, type: short, question: Which continent is Eurasian?, "
                               "answer: Asia, source: {quote: since 2014}}\n"
                               "  - {id: b, type: short, question: Which state is in the USSR?, "
                               "answer: US, source: {quote: since 2014}}\n")  # fmt: skip
    assert lint(path) == []


def test_prompt_giving_the_answer_away_by_stem_or_acronym_warns(tmp_path: Path) -> None:
    q = "source: {quote: since 2014}"
    path = deck_file(
        tmp_path,
        f"  - {{id: stem, type: short, question: Which regime tested missiles near North Korea's border?, answer: North Korean, {q}}}\n"
        f"  - {{id: nation, type: short, question: Which nation is Russian?, answer: Russia, {q}}}\n"
        f"  - {{id: acro, type: short, question: Which group did the SCO members form?, answer: Shanghai Cooperation Organization, {q}}}\n"
        f"  - {{id: full, type: short, question: What did the Shanghai Cooperation Organization found?, answer: SCO, {q}}}\n"
        f"  - {{id: cloze, type: cloze, text: 'The {{{{Collective Security Treaty Organization}}}} (CSTO) met.', {q}}}\n"
        f"  - {{id: asks, type: short, question: What does the acronym SCO stand for?, answer: Shanghai Cooperation Organization, {q}}}\n"
        f"  - {{id: fine, type: short, question: Which country is Korea's neighbour to the north?, answer: China, {q}}}\n",
    )
    assert lint(path) == [
        (
            7,
            "warning",
            "answer 'North Korean' is given away by 'North Korea' in its prompt (same stem)",
            "stem",
        ),
        (
            8,
            "warning",
            "answer 'Russia' is given away by 'Russian' in its prompt (same stem)",
            "nation",
        ),
        (
            9,
            "warning",
            "answer 'Shanghai Cooperation Organization' is given away by 'SCO' in its prompt (its acronym)",
            "acro",
        ),
        (
            10,
            "warning",
            "answer 'SCO' is given away by 'Shanghai Cooperation Organization' in its prompt (its full name)",
            "full",
        ),
        (
            11,
            "warning",
            "answer 'Collective Security Treaty Organization' is given away by 'CSTO' in its prompt (its acronym)",
            "cloze",
        ),
    ]


def test_check_files_counts_and_duplicate_deck_ids(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text(
        "deck: same\ntitle: One\ncards:\n  - {id: a, type: basic, question: Q, answer: A, source: {quote: q}}\n"
    )
    two = tmp_path / "sub" / "two.yaml"
    two.parent.mkdir()
    two.write_text("# comment\ndeck: same\ntitle: Two\ncards: []\n")
    report = check_files([one, two])
    assert [p.format() for p in report.problems] == [
        f"{two}:1:1: warning: deck has no cards",
        f"{two}:2:7: error: deck id 'same' is also used by {one}",
    ]
    assert (report.decks, report.errors, report.warnings) == (2, 1, 1)
    assert report.summary() == "2 decks, 1 card (basic 1); 1 error, 1 warning"


def test_normalize_passage() -> None:
    assert normalize_passage("\u201cA\u00a0 B\u201d \u2014 C\n") == '"a b" - c'


def test_every_error_of_a_file_in_one_pass_duplicate_id_after_a_bad_card(tmp_path: Path) -> None:
    """The first card with an id has its own error; the second card with that id is still
    reported as a duplicate, in the same run."""
    path = deck_file(
        tmp_path,
        "  - {id: twin, type: basic, question: '', answer: A, source: {quote: since 2014}}\n"
        "  - {id: twin, type: basic, question: Q?, answer: B, source: {quote: since 2014}}\n"
        "  - {id: other, type: mcq, question: Which?, choices: [a, a, b], answer: a}\n"
        "  - {id: other, type: basic, question: Which one?, answer: b}\n",
    )
    report = check_files([path])
    messages = [(p.line, p.message) for p in report.problems if p.severity == "error"]
    assert any("duplicate card id 'twin' (first used at line 7)" in m for _, m in messages)
    assert any("duplicate card id 'other' (first used at line 9)" in m for _, m in messages)
    assert report.errors >= 4, messages


def test_one_pass_header_error_and_duplicate_cards_still_get_their_quotes_checked(
    tmp_path: Path,
) -> None:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    path = tmp_path / "d.yaml"
    path.write_text(
        "deck: d\ntitle: T\nsource:\n  file: source.txt\ncards:\n"  # source.title missing
        "  - {id: a, type: basic, question: Q1?, answer: A, source: {quote: since 2014}}\n"
        "  - {id: a, type: basic, question: Q2?, answer: B, source: {quote: not in the source}}\n"
        "  - {id: b, type: basic, question: Q3?, answer: C, source: {quote: nor this}}\n",
        encoding="utf-8",
    )
    report = check_files([path])
    errors = [(p.line, p.message) for p in report.problems if p.severity == "error"]
    assert any("source.title" in m for _, m in errors)
    assert (7, "duplicate card id 'a' (first used at line 6)") in errors
    assert (7, "source quote not found in source.txt: 'not in the source'") in errors
    assert (8, "source quote not found in source.txt: 'nor this'") in errors
