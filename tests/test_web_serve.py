"""``quiz serve``: the study app in a real (headless) chromium, studied with the keyboard."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from browser import headless_chromium
from click.testing import CliRunner

from quiz.cli import main
from quiz.cli.serve import app_command, is_loopback

DECK = """\
deck: web-three
title: Three cards in a browser
cards:
  - id: web-one
    type: basic
    question: One?
    answer: one
  - id: web-two
    type: basic
    question: Two?
    answer: two
  - id: web-three
    type: basic
    question: Three?
    answer: three
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def query(db: Path, sql: str) -> list[tuple]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:  # tables not made yet
        return []
    finally:
        conn.close()


def test_study_three_cards_in_a_browser(tmp_path):
    deck = tmp_path / "web-three.yaml"
    deck.write_text(DECK, encoding="utf-8")
    db = tmp_path / "progress.db"
    port = free_port()
    env = {
        **os.environ,
        "QUIZ_TZ": "UTC",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    env.pop("QUIZ_DB", None)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quiz",
            "serve",
            "--port",
            str(port),
            "--db",
            str(db),
            "--learner",
            "webber",
            "--deck",
            str(deck),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:

        def listening() -> bool:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        wait_for(listening, 30, "quiz serve to listen")
        with headless_chromium() as browser:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.goto(f"http://127.0.0.1:{port}/")
            # the app process starts when the page opens its websocket; it has begun a
            # study session once the session row is written
            wait_for(
                lambda: query(db, "SELECT 1 FROM sessions WHERE learner = 'webber'"),
                60,
                "the study session to start in the browser",
            )
            page.locator(".xterm").first.click()
            for answered in (1, 2, 3):
                time.sleep(0.3)
                page.keyboard.press("Space")  # reveal the answer
                time.sleep(0.3)
                page.keyboard.press("3")  # Good
                wait_for(
                    lambda n=answered: query(db, "SELECT count(*) FROM reviews")[0][0] >= n,
                    20,
                    f"review {answered} to be written",
                )
            page.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    rows = query(
        db, "SELECT learner, deck, card_id, rating, mode FROM reviews ORDER BY reviewed_at"
    )
    assert rows == [
        ("webber", "web-three", "web-one", 3, "study"),
        ("webber", "web-three", "web-two", 3, "study"),
        ("webber", "web-three", "web-three", 3, "study"),
    ]


def test_serve_refuses_another_host_without_public():
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "has no login" in result.output and "--public" in result.output


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.4.5.6", True),
        ("0.0.0.0", False),
        ("192.168.1.2", False),
        ("example.org", False),
        ("::", False),
    ],
)
def test_loopback_hosts(host, local):
    assert is_loopback(host) is local


def test_app_command_quotes_every_argument(tmp_path):
    odd = tmp_path / "my progress; rm -rf ~.db"
    cmd = app_command(odd, "o'brien", deck="deck id", python="/usr/bin/python3")
    import shlex

    assert shlex.split(cmd) == [
        "/usr/bin/python3",
        "-m",
        "quiz",
        "study",
        "deck id",
        "--db",
        str(odd.resolve()),
        "--learner",
        "o'brien",
    ]


def test_public_host_warns_that_there_is_no_login(monkeypatch, tmp_path):
    import textual_serve.server

    served = {}

    class FakeServer:
        def __init__(self, command, host, port, **kwargs):
            served.update(command=command, host=host, port=port, **kwargs)

        def serve(self):
            served["served"] = True

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    result = CliRunner().invoke(
        main,
        [
            "serve",
            "--host",
            "192.0.2.7",
            "--port",
            "8123",
            "--public",
            "--db",
            str(tmp_path / "p.db"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "no login" in result.stderr
    assert served["served"] and served["host"] == "192.0.2.7" and served["port"] == 8123
    assert served["public_url"] == "http://192.0.2.7:8123"
    assert "--db" in served["command"]


def test_serve_a_missing_deck_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--deck", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such deck file" in result.output and "Traceback" not in result.output
