"""Session progress: a bar, the cards left in this session (new · learning · review) and
the time on the current card."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from quiz.study.session import Counts


def counts_content(counts: Counts | None, mode: str = "study") -> Content:
    """``New 12  Learning 3  Review 40`` (Anki's colours), or the cards left in practice/exam."""
    if counts is None:
        return Content("")
    if mode != "study":
        return Content.assemble((f"{counts.total} left", "bold"))
    return Content.assemble(
        (f"{counts.total} left", "bold"),
        ("   New ", "$text-muted"),
        (str(counts.new), "bold $primary"),
        ("  Learning ", "$text-muted"),
        (str(counts.learning), "bold $error"),
        ("  Review ", "$text-muted"),
        (str(counts.review), "bold $success"),
    )


class StudyProgress(Horizontal):
    """A progress bar for this session and the counts left today."""

    DEFAULT_CSS = """
    StudyProgress { height: 1; }
    StudyProgress ProgressBar { width: 1fr; }
    StudyProgress ProgressBar Bar { width: 1fr; }
    StudyProgress #counts { width: auto; padding: 0 0 0 2; }
    StudyProgress #card-time { width: auto; padding: 0 0 0 2; color: $text-muted; }
    """

    _time_text = ""
    _counts_text = ""

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="bar")
        yield Static("", id="counts")
        yield Static("", id="card-time", markup=False)

    def set_time(self, seconds: float | None) -> None:
        """Time on the current card (``⏱ 0:07``); blank when None."""
        if seconds is None:
            text = ""
        else:
            whole = max(0, int(seconds))
            text = f"⏱ {whole // 60}:{whole % 60:02d}"
        if text != self._time_text:  # the same text: nothing to lay out or paint
            self._time_text = text
            self.query_one("#card-time", Static).update(text)

    def set_progress(self, done: int, counts: Counts | None, mode: str = "study") -> None:
        """``done`` cards answered this session; ``counts`` left today."""
        left = counts.total if counts else 0
        bar = self.query_one(ProgressBar)
        bar.update(total=max(1, done + left), progress=done)
        content = counts_content(counts, mode)
        if content.plain != self._counts_text:  # the styles follow from the text
            self._counts_text = content.plain
            self.query_one("#counts", Static).update(content)
