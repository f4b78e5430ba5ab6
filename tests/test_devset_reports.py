"""The development set of real reports (tests/data/reports) and the independent gold list.

Checks that every report has its metadata, that its file is the one described
(size, hash), and that every gold list is well formed and quotes its report.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
import yaml

try:
    from tests import quality_tools as qt
except ImportError:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    import quality_tools as qt  # type: ignore[no-redef]

REPORTS = qt.REPO / "tests" / "data" / "reports"
INDEPENDENT_GOLD = qt.REPO / "tests" / "data" / "gold" / "stent-2020-key-facts-independent.yaml"
META_KEYS = {
    "slug",
    "title",
    "author",
    "kind",
    "date",
    "format",
    "file",
    "pages",
    "bytes",
    "sha256",
    "source_url",
    "copied_from",
    "licence",
    "licence_statement",
    "gold",
}
METAS = sorted(REPORTS.glob("*.meta.yaml"))


def _meta(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_set_has_five_reports_of_the_required_formats() -> None:
    formats = Counter(_meta(p)["format"] for p in METAS)
    kinds = {_meta(p)["kind"] for p in METAS}
    assert len(METAS) >= 5
    assert len(kinds) == len(METAS)
    assert formats["pdf"] >= 2
    assert formats["markdown"] + formats["html"] >= 1


def test_set_stays_small() -> None:
    total = sum((REPORTS / _meta(p)["file"]).stat().st_size for p in METAS)
    assert total < 15_000_000


@pytest.mark.parametrize("meta_path", METAS, ids=lambda p: p.name.removesuffix(".meta.yaml"))
def test_report_file_matches_its_metadata(meta_path: Path) -> None:
    meta = _meta(meta_path)
    assert set(meta) >= META_KEYS
    assert meta["slug"] == meta_path.name.removesuffix(".meta.yaml")
    report = REPORTS / meta["file"]
    data = report.read_bytes()
    assert len(data) == meta["bytes"] < 3_000_000
    assert hashlib.sha256(data).hexdigest() == meta["sha256"]
    assert report.suffix == {"pdf": ".pdf", "markdown": ".md", "html": ".html"}[meta["format"]]
    if meta["format"] == "pdf":
        assert data.startswith(b"%PDF-")


@pytest.mark.parametrize("meta_path", METAS, ids=lambda p: p.name.removesuffix(".meta.yaml"))
def test_gold_list_is_well_formed_and_quotes_its_report(meta_path: Path) -> None:
    meta = _meta(meta_path)
    gold_path = REPORTS / meta["gold"]
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    assert (qt.REPO / gold["report"]).resolve() == (REPORTS / meta["file"]).resolve()
    text = qt.gold_source(gold_path)
    assert len(text.read_text(encoding="utf-8").split()) > 2000
    facts = qt.load_gold(gold_path)
    ids = [f.id for f in facts]
    assert 25 <= len(facts) <= 45
    assert len(set(ids)) == len(ids)
    assert all(f.answer and f.context and f.section for f in facts)
    kinds = Counter(f.kind for f in facts)
    assert kinds["argument"] / len(facts) >= 0.40
    assert qt.check_gold(gold_path) == []


def test_independent_gold_list_quotes_the_seed_and_spans_every_section() -> None:
    facts = qt.load_gold(INDEPENDENT_GOLD)
    assert qt.gold_source(INDEPENDENT_GOLD) == qt.SEED_REPORT.resolve()
    assert qt.check_gold(INDEPENDENT_GOLD) == []
    assert 25 <= len(facts) <= 45
    assert len({f.id for f in facts}) == len(facts)
    assert Counter(f.kind for f in facts)["argument"] / len(facts) >= 0.40
    headings = {qt.section_key(h) for h in qt.report_headings(qt.SEED_REPORT.read_text("utf-8"))}
    assert {qt.section_key(f.section) for f in facts} == headings
