"""Benchmark ``quiz generate`` on a 100-page PDF, as whole processes (median of 3).

Target: under 10 s. The PDF is made here with reportlab (running title, page numbers,
footnotes) from the seed report, repeated with numbers and paragraph order varied (as
bench_generate.py varies its 1 MB text), until it fills 100 pages. Also times text-layer
extraction alone with pypdfium2 (used) and pdfplumber (when installed), the comparison
that chose pypdfium2.

    /work/venv/bin/python bench/bench_pdf.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_generate import big_text  # noqa: E402

from tests.pdf_maker import Layout, blocks_from_text, make_pdf  # noqa: E402

QUIZ = [sys.executable, "-m", "quiz"]
PAGES = 100


def hundred_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    text = big_text(400_000)
    blocks = blocks_from_text(text)
    for i, b in enumerate(blocks):
        if not b.heading and i % 4 == 0:
            b.footnote = "Author's interview with an official, 2019; see also the annex."
    lo, hi = 1, len(blocks)
    while lo < hi:  # the fewest blocks that fill PAGES pages
        mid = (lo + hi) // 2
        make_pdf(path, Layout(blocks=blocks[:mid]))
        if len(pdfium.PdfDocument(str(path))) >= PAGES:
            hi = mid
        else:
            lo = mid + 1
    make_pdf(path, Layout(blocks=blocks[:lo]))
    return len(pdfium.PdfDocument(str(path)))


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return elapsed


def extraction(pdf: Path) -> None:
    import pypdfium2 as pdfium

    start = time.perf_counter()
    doc = pdfium.PdfDocument(str(pdf))
    for i in range(len(doc)):
        doc[i].get_textpage().get_text_range()
    print(f"  text layer only, pypdfium2: {time.perf_counter() - start:.2f} s")
    try:
        import pdfplumber
    except ImportError:
        print("  pdfplumber not installed: not compared")
        return
    start = time.perf_counter()
    with pdfplumber.open(str(pdf)) as p:
        for page in p.pages:
            page.extract_text()
    print(f"  text layer only, pdfplumber: {time.perf_counter() - start:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        pages = hundred_pages(pdf)
        out = Path(tmp) / "deck.yaml"
        baseline = statistics.median(_time([*QUIZ, "--version"]) for _ in range(args.runs))
        times = [
            _time([*QUIZ, "generate", str(pdf), "-o", str(out), "--force"])
            for _ in range(args.runs)
        ]
        med = statistics.median(times)
        print(f"startup baseline (quiz --version): {baseline:.2f} s")
        print(
            f"{pages}-page PDF ({pdf.stat().st_size // 1024} KB): median {med:.2f} s of "
            f"{', '.join(f'{t:.2f}' for t in times)} (target < 10 s) {'OK' if med < 10 else 'SLOW'}"
        )
        extraction(pdf)


if __name__ == "__main__":
    main()
