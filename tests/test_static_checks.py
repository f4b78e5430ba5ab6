"""The static checks CI relies on, run as tests so that `pytest` alone is the whole check:
ruff lint, ruff format, the import-linter layering contracts and mypy over quiz/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    """The tool installed beside this Python (the test extra), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_lint_is_clean() -> None:
    r = _run(_tool("ruff"), "check", "--no-cache", ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_leaves_every_file_unchanged() -> None:
    r = _run(_tool("ruff"), "format", "--check", "--no-cache", ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_import_contracts_hold() -> None:
    r = _run(_tool("lint-imports"), "--no-cache")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def test_mypy_finds_no_errors() -> None:
    r = _run(sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert r.returncode == 0, r.stdout + r.stderr
