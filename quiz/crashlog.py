"""Unexpected errors: the traceback goes to a log file, the person reads one line."""

from __future__ import annotations

import os
import traceback

from quiz.wording import literal


def debug_requested() -> bool:
    """Is ``QUIZ_DEBUG`` set (to anything but ``0``/empty), asking for tracebacks?"""
    return os.environ.get("QUIZ_DEBUG", "").strip() not in ("", "0")


def write_crash_log(error: BaseException | None) -> str | None:
    """Append ``error``'s traceback to quiz's crash log; its path, or None if it cannot be written."""
    detail = "".join(traceback.format_exception(error)) if error else "unknown error"
    try:
        import platformdirs

        folder = platformdirs.user_state_path("quiz")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "crash.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(detail + "\n")
        return str(path)
    except OSError:
        return None


def crash_line(error: BaseException | None, where: str | None) -> str:
    """``error: quiz stopped on an internal error (Type: message); details in PATH``."""
    summary = f"{type(error).__name__}: {error}" if error else "unknown error"
    summary = literal(" ".join(summary.split()))
    line = f"error: quiz stopped on an internal error ({summary[:200]})"
    if where:
        line += f"; details in {where}"
    return line
