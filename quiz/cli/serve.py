"""``quiz serve``: the same study app in a web browser, through textual-serve.

Each browser tab that connects starts its own ``quiz`` process (the app as in a
terminal, drawn by Textual's web driver) on the same progress database.
The app has no login: whoever reaches the address studies as the learner it
was started for, so it binds to this machine only unless told otherwise.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

import click

from quiz.cli import main
from quiz.cli.common import DB_HELP
from quiz.errors import QuizError

WEB_EXTRA_HINT = "pip install 'quiz[web]'"


def is_loopback(host: str) -> bool:
    """Does ``host`` name this machine only (``localhost``, 127.0.0.0/8, ``::1``)?"""
    name = host.strip().strip("[]").lower()
    if name in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def app_command(
    db: Path | None,
    learner: str | None,
    decks: tuple[Path, ...] = (),
    deck: str | None = None,
    python: str | None = None,
) -> str:
    """The shell command textual-serve runs for each browser connection: this quiz's home
    screen, or ``quiz study DECK`` when ``deck`` is given, with the options given to
    ``quiz serve`` (every argument quoted)."""
    argv = [python or sys.executable, "-m", "quiz"]
    if deck is not None:
        argv += ["study", deck]
    if db is not None:
        argv += ["--db", str(Path(db).expanduser().resolve())]
    if learner is not None:
        argv += ["--learner", learner]
    if deck is None:
        for folder in decks:
            argv += ["--decks", str(Path(folder).expanduser().resolve())]
    return shlex.join(argv)


def deck_file(deck: str, decks: tuple[Path, ...]) -> str:
    """The deck file ``deck`` names (a path, or the id of a deck found with ``decks``), as an
    absolute path for the app processes; a missing or broken deck raises its one-line error."""
    from quiz.deck.discovery import find_decks, resolve_deck

    found = resolve_deck(deck, decks)
    path = Path(deck).expanduser()
    if path.is_file():
        return str(path.resolve())
    for ref in find_decks(decks):
        if ref.deck_id == found.deck:
            return str(Path(ref.path).resolve())
    return deck


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this machine needs --public.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--public", is_flag=True, help="Allow a --host other machines can reach (the app has no login)."
)
@click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), envvar="QUIZ_DB", help=DB_HELP
)
@click.option("--learner", help="Who studies in the browser (default: your user name).")
@click.option(
    "--decks",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A deck file or folder to show on the home screen (repeatable).",
)
@click.option(
    "--deck",
    help="Open straight into studying this deck (a file or deck id), as 'quiz study DECK' does.",
)
def serve(
    host: str,
    port: int,
    public: bool,
    db: Path | None,
    learner: str | None,
    decks: tuple[Path, ...],
    deck: str | None,
) -> None:
    """The study app in a web browser: open the address it prints."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise QuizError(f"error: quiz serve needs the web extra: {WEB_EXTRA_HINT}") from None
    if learner is not None and not learner.strip():
        raise QuizError("error: --learner must not be empty", exit_code=2)
    if deck is not None:  # a wrong deck is one line here, not an error in the browser
        deck = deck_file(deck, decks)
    if not is_loopback(host):
        if not public:
            raise QuizError(
                f"error: --host {host} lets other machines in, and quiz serve has no login; "
                "add --public to do it anyway",
                exit_code=2,
            )
        click.echo(
            f"warning: serving on {host}:{port} with no login: anyone who can reach this "
            "address studies as this learner and changes their progress",
            err=True,
        )
    url_host = host
    if host in ("0.0.0.0", "::", ""):  # every interface: the browser needs this machine's name
        import socket

        url_host = socket.getfqdn()
    if ":" in url_host:
        url_host = f"[{url_host}]"
    server = Server(
        app_command(db, learner, decks, deck),
        host=host,
        port=port,
        title="quiz",
        public_url=f"http://{url_host}:{port}",
    )
    server.serve()
