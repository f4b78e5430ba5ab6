"""The layering rules hold at run time, not only in import-linter's static view."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "quiz.study.session",
    "quiz.study.queue",
    "quiz.study.grading",
    "quiz.store",
    "quiz.deck.loader",
    "quiz.deck.lint",
    "quiz.generate.pipeline",
    "quiz.generate.alternatives",
    "quiz.deck.yamledit",
    "quiz.curation",
    "quiz.stats",
    "quiz.report",
    "quiz.progress_io",
]


def test_importing_the_core_loads_no_user_interface() -> None:
    """No Textual, Rich or front-end module (click is loaded by sqlite-utils itself)."""
    code = (
        "import sys\n"
        f"for m in {CORE!r}: __import__(m)\n"
        "ui = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')"
        " or m.startswith(('quiz.tui', 'quiz.cli')))\n"
        "print(','.join(ui))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the core pulled in: {out.stdout.strip()}"


def test_the_core_list_is_importable_and_real() -> None:
    """Guard against the check above passing because a module name is misspelt."""
    code = f"import sys\nfor m in {CORE!r}: __import__(m)\nprint(len(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
