"""``e``: edit a card in its deck file with the learner's editor, from study or browse.

The app is suspended while ``$VISUAL``/``$EDITOR`` runs on the deck file at the card's
line; the file is then read back and validated (``quiz.deck.editing``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual.app import App, SuspendNotSupported

from quiz.deck.editing import EditResult, card_line, editor_command, read_back


def edit_card(app: App, path: Path, card_id: str, deck_id: str) -> EditResult | None:
    """Open ``path`` at card ``card_id`` in the editor; the deck read back afterwards, or
    None when no editor could be run (the user was told why)."""
    command = editor_command(path, card_line(path, card_id))
    try:
        before: bytes | None = path.read_bytes()
    except OSError:
        before = None

    def run() -> int:
        return subprocess.run(command, check=False).returncode

    try:
        try:
            with app.suspend():
                code = run()
        except SuspendNotSupported:
            if not app.is_headless:  # e.g. in a browser: there is no terminal to lend
                app.notify("Cannot open an editor here.", severity="error", markup=False)
                return None
            code = run()  # tests: the "editor" is a script that needs no terminal
    except OSError as exc:
        app.notify(
            f"Cannot run the editor {command[0]!r} ({exc.strerror or exc}); "
            "set $VISUAL or $EDITOR.",
            severity="error",
            markup=False,
            timeout=8,
        )
        return None
    if code != 0:
        app.notify(
            f"The editor exited with status {code}; reading the deck file back anyway.",
            severity="warning",
            markup=False,
        )
    try:
        unchanged = before is not None and path.read_bytes() == before
    except OSError:
        unchanged = False
    if unchanged:
        app.notify("No change: the deck file is as it was.", markup=False)
        return None
    return read_back(path, card_id, deck_id)
