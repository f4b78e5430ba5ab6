"""``quiz`` with no arguments: the home screen (prints decks until the TUI exists)."""

from __future__ import annotations


def run_home() -> None:
    import click

    click.echo("quiz: the TUI is not built yet")
