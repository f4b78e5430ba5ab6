"""The one debris detector (quiz.ingest.debris), and a scan of every card generated from
every report we have: tests/data/reports/, the bundled seed, and ../shared/seeds and
../shared/corpus. Every deck must have 0 debris and pass quiz check with 0 errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.deck.loader import load_deck
from quiz.ingest.debris import find_debris
from quiz.ingest.reader import HTML_SUFFIXES, MARKDOWN_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("# Appendix III: Comments from the Agency", "markdown heading"),
        ("</td></tr></table> # Appendix III: Comments", "html tag"),
        ("| State | Amount |", "table markup"),
        ("|---|---|", "table markup"),
        ("The ratio is $\\frac{a}{b}$ overall.", "latex"),
        ("where $x_i$ is the share", "latex"),
        ("![Figure 1](fig1.png) shows the trend", "image placeholder"),
        ("<!-- image --> The agency", "image placeholder"),
        ("[image: chart of funding] The agency", "image placeholder"),
        ("See [the site](https://a.gov/x) for more.", "markdown link"),
        ("Contact us at (202) 512-3841 for copies.", "phone number"),
        ("Call 202-512-6000 today.", "phone number"),
        ("Call 1-800-424-5454 today.", "phone number"),
        ("Washington, DC 20548", "postal code"),
        ("Washington, D.C. 20548-0001", "postal code"),
        ("London SW1A 2AA", "postal code"),
        ("Visit https://www.gao.gov/fraudnet/ now.", "url"),
        ("Visit www.example.org now.", "url"),
        ("Details are on gao.gov for all.", "url"),
        ("Write to gomezj@gao.gov today.", "e-mail"),
        ("as shown on Page 12 of the report", "page number"),
        ("the agencies reviewed12 programs", "footnote number"),
        ("grants to states in fiscal year 2021.1 Most of the money", "footnote number"),
        ("how many dollars 4 0 0?", "letter-spacing"),
        ("the R E P O R T says", "letter-spacing"),
        ("a **bold** claim", "markdown emphasis"),
        ("broken (cid:173) text", "extraction debris"),
        ("\uf0b7 a symbol-font bullet", "extraction debris"),
    ],
)
def test_detects_each_kind_of_debris(text: str, kind: str) -> None:
    kinds = {d.kind for d in find_debris(text)}
    assert kind in kinds, (text, kinds)


@pytest.mark.parametrize(
    "text",
    [
        "Bilateral trade rose to $107 billion in 2018, and to $110 billion in 2019.",
        "China and Russia signed a $400 billion deal in May 2014.",
        "The G20 met in Osaka; the Su-35 and S-400 were sold to China in 2015.",
        "The SCO's eight members account for 80% of Eurasia's landmass.",
        "The U.S. National Security Strategy of 2017 names revisionist powers.",
        "Section 3.2 covers fiscal years 2019-2021 and 1,200 sites.",
        "Plan A or plan B: the choice is yours.",
        "COVID-19 cost 4.5 million jobs; the figure was 12.3% in 2020.",
        "He said: “We are allies.” 2019 was the year of the 70th anniversary.",
        "Fill the gap: Russia agreed in ____ to sell S-400 systems.",
        "The exercise Vostok-2018 involved 300,000 troops.",
        "In 2019, 55 percent of respondents said yes.",
    ],
)
def test_clean_text_has_no_debris(text: str) -> None:
    assert find_debris(text) == []


def _reports() -> list[Path]:
    """The development set (each report named by its .meta.yaml), ../shared's reports, the
    bundled seed and the Markdown fixture."""
    import yaml

    found: list[Path] = []
    devset = ROOT / "tests" / "data" / "reports"
    for meta in sorted(devset.glob("*.meta.yaml")):
        name = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("file")
        if name and (devset / name).is_file():
            found.append(devset / name)
    # their reference texts too: raw pdftotext output, furniture and all
    found += sorted((devset / "text").glob("*.txt"))
    suffixes = {".txt", ".pdf", *MARKDOWN_SUFFIXES, *HTML_SUFFIXES}
    for folder in (SHARED / "seeds", SHARED / "corpus"):
        if folder.is_dir():
            found += sorted(
                p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
            )
    found.append(ROOT / "seeds" / "stent-2020-russia-and-china-axis-of-revisionists.txt")
    found += sorted((ROOT / "tests" / "data" / "ingest").glob("*.md"))
    return found


@pytest.mark.parametrize("report", _reports(), ids=lambda p: p.name)
def test_every_report_gives_a_deck_without_debris_that_passes_check(
    report: Path, tmp_path: Path
) -> None:
    src = tmp_path / report.name
    src.write_bytes(report.read_bytes())
    out = tmp_path / "deck.yaml"
    runner = CliRunner()
    r = runner.invoke(main, ["generate", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    deck = load_deck(out)
    assert deck.cards
    dirty = []
    for card in deck.cards:
        texts = [card.prompt, *card.accepted_answers, getattr(card, "explanation", None) or ""]
        texts += [str(c) for c in getattr(card, "choices", None) or []]
        for t in texts:
            for d in find_debris(t.replace("____", " ")):
                dirty.append((card.id, d.kind, d.text))
    assert dirty == []
    r = runner.invoke(main, ["check", str(out)])
    assert r.exit_code == 0, r.output
