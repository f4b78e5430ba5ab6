"""Reading reports: PDF (text layer, furniture), Markdown, HTML; front and back matter;
quiz generate's refusal to overwrite. PDFs are made at test time (tests/pdf_maker.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from quiz.cli import main
from quiz.generate.pipeline import generate_full
from quiz.ingest.debris import find_debris
from quiz.ingest.reader import read_document
from quiz.ingest.structure import find_structure
from tests.pdf_maker import Block, Layout, blocks_from_text, make_pdf

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "stent-2020-russia-and-china-axis-of-revisionists.txt"
AUDIT_MD = ROOT / "tests" / "data" / "ingest" / "audit-style.md"
NOTE = "Interview with an official, Moscow, 2019. See also the annex."


def seed_blocks() -> list[Block]:
    blocks = blocks_from_text(SEED.read_text(encoding="utf-8"))
    for i, b in enumerate(blocks):
        if not b.heading and i % 5 == 0:
            b.footnote = NOTE
    return blocks


def card_key(card) -> tuple[str, str, str, str]:  # type: ignore[no-untyped-def]
    return (card.id, card.type, card.prompt, card.section)


# --------------------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Block]]:
    blocks = seed_blocks()
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    return make_pdf(path, Layout(blocks=blocks)), blocks


def test_pdf_gives_the_same_cards_as_its_text_minus_furniture(seed_pdf) -> None:  # type: ignore[no-untyped-def]
    pdf, blocks = seed_pdf
    text_version = "\n\n".join(b.text for b in blocks) + "\n"
    from_text = generate_full(text_version, source_name="report.txt").deck
    doc = read_document(pdf)
    from_pdf = generate_full(doc.text, source_name="report.pdf", document=doc).deck
    assert len(from_text.cards) >= 100  # a real deck, not an empty match
    assert [card_key(c) for c in from_pdf.cards] == [card_key(c) for c in from_text.cards]


def test_pdf_furniture_is_removed_and_listed(seed_pdf) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = seed_pdf
    doc = read_document(pdf)
    assert doc.kind == "pdf"
    assert "A Report on Things" not in doc.text
    assert "Page 3" not in doc.text
    assert "Interview with an official" not in doc.text
    reasons = " ".join(r for _, r, _ in doc.removed)
    assert "running title" in reasons and "page number" in reasons and "footnote" in reasons
    # the headings of the report are known headings (bold, larger type)
    lines = doc.text.split("\n")
    assert {lines[n - 1].lstrip("\f") for n in doc.headings} >= {
        "EXECUTIVE SUMMARY",
        "INTRODUCTION",
    }
    # superscript note numbers are not glued to the words
    assert "annex.1" not in doc.text


def test_scanned_pdf_is_one_clear_error_and_no_deck(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "scan.pdf", Layout(blocks=seed_blocks()[:20]), text_layer=False)
    out = tmp_path / "d.yaml"
    r = CliRunner().invoke(main, ["generate", str(pdf), "-o", str(out)])
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "no text layer" in lines[0] and lines[0].startswith(str(pdf))
    assert not out.exists()


def test_not_a_pdf_with_pdf_name_is_read_as_what_it_is(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage that is not a PDF body")
    r = CliRunner().invoke(main, ["generate", str(broken), "-o", str(tmp_path / "d.yaml")])
    assert r.exit_code == 1 and "not a readable PDF" in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_generate_cli_on_pdf_then_check_finds_quotes_in_the_pdf(seed_pdf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = seed_pdf
    src = tmp_path / "report.pdf"
    src.write_bytes(pdf.read_bytes())
    out = tmp_path / "deck.yaml"
    r = CliRunner().invoke(main, ["generate", str(src), "-o", str(out), "--report"])
    assert r.exit_code == 0, r.output
    assert "page 2: running title" in r.output
    r = CliRunner().invoke(main, ["check", str(out)])
    assert r.exit_code == 0, r.output
    assert "0 errors" in r.output


# --------------------------------------------------------------------------- Markdown


def test_markdown_headings_sections_and_no_markup_in_cards(tmp_path: Path) -> None:
    doc = read_document(AUDIT_MD)
    assert doc.kind == "markdown"
    gen = generate_full(doc.text, source_name=AUDIT_MD.name, document=doc)
    sections = {c.section for c in gen.deck.cards}
    assert "Background" in sections and "Grants Reached Fewer Communities Than Planned" in sections
    assert not sections & {"Abbreviations", "Contents", "Opening"}
    for card in gen.deck.cards:
        text = " ".join(
            [card.prompt, *card.accepted_answers, card.source.quote if card.source else ""]
        )
        assert find_debris(text) == [], (card.id, find_debris(text))
        for word in (
            "Orders may be paid",
            "20548",
            "Honorable",
            "fig1.png",
            "<td>",
            "frac",
            "epa.gov",
        ):
            assert word not in text, (card.id, word)
    # the line numbers are the Markdown file's
    lines = AUDIT_MD.read_text(encoding="utf-8").split("\n")
    for card in gen.deck.cards:
        first_word = card.source.quote.split()[0]
        assert first_word in lines[card.source.line - 1], card.id


def test_markdown_report_lists_every_removed_span_and_why(tmp_path: Path) -> None:
    src = tmp_path / "audit.md"
    src.write_bytes(AUDIT_MD.read_bytes())
    out = tmp_path / "deck.yaml"
    r = CliRunner().invoke(main, ["generate", str(src), "-o", str(out), "--report"])
    assert r.exit_code == 0, r.output
    removed = r.output.split("REMOVED FROM THE TEXT", 1)[1]
    for reason, text in [
        (
            "table of contents (4 lines)",
            "Letter 1 ... Appendix I: Objectives, Scope, and Methodology 31",
        ),
        ("abbreviation list (4 lines)", "Abbreviations ... WIFIA Water Infrastructure Finance"),
        ("copyright notice", "not subject to copyright"),
        ("letter address block", "The Honorable"),
        ("address", "Washington, DC 20548"),
        ("letter salutation", "Dear Madam Chairman:"),
        ("letter closing", "Sincerely yours,"),
        ("back matter (5 lines)", "GAO Contact and Staff Acknowledgments ... Contact: Website"),
        (
            "letter address block (4 lines)",
            "The Honorable Shelley Moore Capito ... United States Senate",
        ),
        ("table", "| Letter | 1 |"),
        ("HTML table", "<table>"),
        ("image", "fig1.png"),
        ("LaTeX", "frac"),
    ]:
        assert any(reason in ln and text in ln for ln in removed.splitlines()), (reason, text)
    assert "debris in the card: image placeholder" in r.output  # the formula's sentence
    r = CliRunner().invoke(main, ["check", str(out)])
    assert r.exit_code == 0, r.output


def test_no_appendices_leaves_the_appendix_out(tmp_path: Path) -> None:
    doc = read_document(AUDIT_MD)
    lines = doc.text.split("\n")
    kept = find_structure(lines, doc.headings, appendices=True)
    left = find_structure(lines, doc.headings, appendices=False)
    appendix_line = next(
        i for i, ln in enumerate(lines, 1) if ln.startswith("This report examines")
    )
    assert appendix_line not in kept.dropped
    assert left.dropped[appendix_line] == "appendix (--no-appendices)"
    gen = generate_full(doc.text, source_name="a.md", document=doc, appendices=False)
    assert all("Appendix" not in c.section for c in gen.deck.cards)
    assert "We reviewed grant files" not in gen.cleaned.text  # nothing can be asked from it
    # kept by default: the appendix text reaches the generator (which ranks a method
    # appendix low, so this small report may ask nothing from it)
    kept_gen = generate_full(doc.text, source_name="a.md", document=doc)
    assert "We reviewed grant files" in kept_gen.cleaned.text


def test_structure_keeps_body_text_of_the_seed_report() -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert find_structure(lines).dropped == {}


def test_abbreviation_list_without_heading_is_not_a_section() -> None:
    text = (
        "Introduction\n\nThe agency met its goals in 2020.\n\n"
        "BRI Belt and Road Initiative\nSCO Shanghai Cooperation Organization\n"
        "EAEU Eurasian Economic Union\nPLA People's Liberation Army\n\n"
        "The Shanghai Cooperation Organization was founded in 2001 by six states.\n"
    )
    st = find_structure(text.split("\n"))
    assert {st.dropped.get(n) for n in (5, 6, 7, 8)} == {"abbreviation list"}
    assert st.acronyms["SCO"] == "Shanghai Cooperation Organization"
    assert 10 not in st.dropped and 3 not in st.dropped


# --------------------------------------------------------------------------- HTML


def test_html_main_content_only(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    page.write_text(
        "<!doctype html><html><head><title>T</title><script>var x = 1;</script></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/about'>About us</a></nav>"
        "<header><p>Site banner with a slogan that is long enough to matter.</p></header>"
        "<main><h1>The Pipeline Report</h1>"
        "<p>In May 2014, Russia and China signed a <b>$400 billion</b> deal to build a gas pipeline,"
        " dubbed <a href='https://x.org'>Power of Siberia</a>.<sup>12</sup></p>"
        "<table><tr><td>Year</td><td>Volume</td></tr></table>"
        "<h2>Findings</h2><ul><li>The pipeline began deliveries in December 2019.</li></ul>"
        "</main><footer><p>Copyright 2024 Example Org. Contact us at info@example.org.</p></footer>"
        "</body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert doc.kind == "html"
    assert (
        "In May 2014, Russia and China signed a $400 billion deal to build a gas pipeline, dubbed Power of Siberia."
        in doc.text
    )
    for junk in ("Home", "banner", "Copyright", "var x", "Volume", "12", "<"):
        assert junk not in doc.text, junk
    lines = doc.text.split("\n")
    assert {lines[n - 1] for n in doc.headings} == {"The Pipeline Report", "Findings"}
    out = tmp_path / "d.yaml"
    r = CliRunner().invoke(main, ["generate", str(page), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert CliRunner().invoke(main, ["check", str(out)]).exit_code == 0


# --------------------------------------------------------------------------- overwriting


def test_generate_refuses_to_replace_an_existing_deck(tmp_path: Path) -> None:
    src = tmp_path / "r.txt"
    src.write_bytes(SEED.read_bytes())
    deck = tmp_path / "deck.yaml"
    deck.write_text("hand-edited\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["generate", str(src), "-o", str(deck)])
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and f"--update {deck}" in lines[0] and "--force" in lines[0]
    assert deck.read_text(encoding="utf-8") == "hand-edited\n"
    r = CliRunner().invoke(main, ["generate", str(src), "-o", str(deck), "--force"])
    assert r.exit_code == 0, r.output
    assert deck.read_text(encoding="utf-8").startswith("# Generated")


def test_generate_never_writes_onto_its_input(tmp_path: Path) -> None:
    src = tmp_path / "r.txt"
    src.write_bytes(SEED.read_bytes())
    for extra in ([], ["--force"]):
        r = CliRunner().invoke(main, ["generate", str(src), "-o", str(src), *extra])
        assert r.exit_code == 1 and "is also the input file" in r.output
    assert src.read_bytes() == SEED.read_bytes()


def test_html_page_laid_out_in_a_table_keeps_its_text_and_drops_data_tables(tmp_path: Path) -> None:
    page = tmp_path / "layout.html"
    page.write_text(
        "<html><body><table><tr><td><a href='/'>Home</a></td><td>"
        "<h2>Findings</h2><p>The agency recovered $1.5 billion in fiscal year 2004 from providers "
        "that billed Medicare for services never delivered, according to the annual report.</p>"
        "<table><tr><td>Year</td><td>Amount</td></tr><tr><td>2004</td><td>1.5</td></tr></table>"
        "</td></tr></table></body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert "The agency recovered $1.5 billion in fiscal year 2004" in doc.text
    assert "Amount" not in doc.text
    assert any("table" in reason for _, reason, _ in doc.removed)


def test_removed_lines_are_reported_as_spans() -> None:
    from quiz.generate.pipeline import removed_spans

    removed = [
        (3, "toc", "a"),
        (4, "toc", "b"),
        (6, "toc", "c"),
        (7, "copyright", "d"),
        (20, "toc", "e"),
    ]
    assert removed_spans(removed) == [
        (3, 6, "toc", ["a", "b", "c"]),
        (7, 7, "copyright", ["d"]),
        (20, 20, "toc", ["e"]),
    ]


def test_markdown_from_a_pdf_converter_loses_its_page_furniture_and_footnotes() -> None:
    """Numbered headings, page footers repeated with their number, superscript note marks
    in LaTeX, footnote paragraphs, a figure with its table and source note, contact lines."""
    src = ROOT / "tests" / "data" / "ingest" / "converted-report.md"
    doc = read_document(src)
    gen = generate_full(doc.text, source_name=src.name, document=doc, appendices=False)
    assert {c.section for c in gen.deck.cards} == {"Introduction", "Findings", "Recommendations"}
    for card in gen.deck.cards:
        text = " ".join([card.prompt, *card.accepted_answers])
        for junk in (
            "OIG-22-017",
            "Page",
            "database as of",
            "monitoring guidance",
            "555-0142",
            "formula",
        ):
            assert junk not in text, (card.id, junk)
    reasons = {r for _, r, _ in gen.report.removed_lines}
    assert {
        "footnote",
        "footnote mark",
        "page header/footer (repeated 5 times)",
        "figure or table (caption to source note)",
        "contact details",
        "appendix (--no-appendices)",
    } <= reasons


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("t.md", b"| a | b |\n|---|---|\n| 1 | 2 |\n", "no report text in it"),
        ("n.html", b"<html><body><nav>Home</nav></body></html>", "no report text in it"),
        ("bad.pdf", b"%PDF-1.4\n%%EOF", "not a readable PDF"),
        ("e.md", b"", "the file is empty"),
    ],
)
def test_unusable_reports_are_one_line_errors(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    src = tmp_path / name
    src.write_bytes(data)
    r = CliRunner().invoke(main, ["generate", str(src), "-o", str(tmp_path / "d.yaml")])
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith(f"{src}: error:")
    assert not (tmp_path / "d.yaml").exists()


def test_boilerplate_rules_leave_report_sentences_alone() -> None:
    text = (
        "The court moved to order the release of the documents in 2019, without permission from the agency.\n\n"
        "Many countries subscribe to the principle of non-interference in the internal affairs of other states.\n\n"
        "The program served 1,200 households in 2019\nand 1,450 households in 2020\nacross 14 counties in 2021\n\n"
        "Orders may be paid for using American Express, Discover Card, MasterCard, Visa, check, or money order.\n\n"
        "To order copies, call (202) 512-6000 or visit www.gao.gov.\n\n"
        "Copyright 2020 Brookings. No part may be reproduced without written permission.\n"
    )
    st = find_structure(text.split("\n"))
    assert st.dropped == {
        9: "ordering information",
        11: "ordering information",
        13: "copyright notice",
    }


def test_staff_acknowledgments_are_back_matter() -> None:
    text = (
        "In addition to the contact named above, Mark Gaffigan, Acting Director; Frank Rusco, "
        "Assistant Director; Godwin Agbara; Vipin Arora; and Rebecca Sandulli made key "
        "contributions to this report.\n\n"
        "Ann Lee; Bo Chen; Carla Diaz; Dan Evans; Eve Fox; Gus Hall; and Ida Jones.\n\n"
        "Russia, China; the United States; Europe; Japan; India; and Brazil: all depend on trade.\n"
    )
    st = find_structure(text.split("\n"))
    assert st.dropped == {1: "staff acknowledgments", 3: "staff acknowledgments"}


def test_curate_shows_passages_of_a_pdf_report(seed_pdf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from quiz.curation import Curation

    pdf, _ = seed_pdf
    src = tmp_path / "report.pdf"
    src.write_bytes(pdf.read_bytes())
    deck = tmp_path / "deck.yaml"
    assert CliRunner().invoke(main, ["generate", str(src), "-o", str(deck)]).exit_code == 0
    cur = Curation(deck)
    index = cur.load_report()
    assert index is not None
    found = sum(index.passage(card) is not None for card in cur.cards)
    assert found >= 0.95 * len(cur.cards), found


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (
            "Crude Oil: Uncertainty about Future Oil Supply\rsecond line",
            "Crude Oil: Uncertainty about Future Oil Supply",
        ),
        ("Untitled Document", None),
        ("Microsoft Word - draft7.docx", None),
        ("OIG10315", None),
    ],
)
def test_a_generated_deck_takes_the_documents_own_title(
    tmp_path: Path, meta: str, expected: str | None
) -> None:
    """A PDF's metadata title, else the file name; likewise <title> or the first h1 of HTML
    and the first '# ' heading of Markdown (an instructor should not see 'Gao 07 283')."""
    pdf = make_pdf(
        tmp_path / "gao-07-283.pdf", Layout(blocks=seed_blocks()[:40], document_title=meta)
    )
    out = tmp_path / "deck.yaml"
    r = CliRunner().invoke(main, ["generate", str(pdf), "-o", str(out)])
    assert r.exit_code == 0, r.output
    title = yaml.safe_load(out.read_text(encoding="utf-8"))["title"]
    assert title == (expected or "Gao 07 283")


def test_html_and_markdown_titles(tmp_path: Path) -> None:
    from quiz.ingest.markup import read_html, read_markdown

    page = "<html><head><title>{t}</title></head><body><h1>{h}</h1><p>Text here.</p></body></html>"
    assert read_html(page.format(t="Bridges and Roads in Review", h="x")).title == (
        "Bridges and Roads in Review"
    )
    assert read_html(page.format(t="Untitled Document", h="The Audit of Grants Today")).title == (
        "The Audit of Grants Today"
    )
    assert read_html(page.format(t="OIG10315", h="TABLE OF CONTENTS")).title is None
    md = read_markdown("# Highway Bridges: Conditions and Issues\n\nSome text.\n\n## Part\n")
    assert md.title == "Highway Bridges: Conditions and Issues"
