"""Where decks live and how a deck is named on the command line.

Decks are found in three places: the decks bundled with quiz (the
repository's ``decks/`` folder, or its copy inside an installed wheel), the
user's deck folder, and any extra files or folders given. A deck is named by
its file path or by its ``deck`` id.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from quiz.deck.loader import LoadResult, printable, read_deck
from quiz.deck.model import Deck
from quiz.errors import DeckError, QuizError, error_line

DECK_SUFFIXES = (".yaml", ".yml")

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../quiz
_WHEEL_DATA = _PACKAGE_DIR / "_data"  # where the wheel carries decks/ and seeds/


@dataclass(frozen=True)
class DeckRef:
    """A deck found on disk: its id, title and file. ``error`` is set for a broken file."""

    deck_id: str
    title: str
    path: Path
    card_count: int = 0
    error: str | None = None


def _first_existing(*candidates: Path) -> Path:
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


def bundled_decks_dir() -> Path:
    """The decks shipped with quiz (``decks/`` of the checkout, or inside the wheel)."""
    return _first_existing(_WHEEL_DATA / "decks", _PACKAGE_DIR.parent / "decks")


def bundled_seeds_dir() -> Path:
    """The source reports shipped with quiz (``seeds/``)."""
    return _first_existing(_WHEEL_DATA / "seeds", _PACKAGE_DIR.parent / "seeds")


def user_decks_dir() -> Path:
    """The user's own deck folder (may not exist yet); ``QUIZ_DECKS_DIR`` overrides it."""
    override = os.environ.get("QUIZ_DECKS_DIR")
    if override:
        return Path(override)
    return platformdirs.user_data_path("quiz") / "decks"


def deck_files(
    paths: Iterable[str | os.PathLike[str]], skipped: list[tuple[Path, str]] | None = None
) -> Iterator[Path]:
    """Deck files named by ``paths``: files as given, folders searched recursively.

    Hidden files and folders are skipped; a path that does not exist is
    yielded as is, so the loader reports it.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _folder_decks(path, recursive=True, skipped=skipped)
        else:
            yield path


def _folder_decks(
    folder: Path,
    recursive: bool,
    _seen: set[Path] | None = None,
    skipped: list[tuple[Path, str]] | None = None,
) -> Iterator[Path]:
    """Deck files in ``folder``; deck-named entries that cannot be decks (FIFOs, devices,
    symlink loops, dangling links) are added to ``skipped`` with the reason."""
    seen = _seen if _seen is not None else set()
    try:
        real = folder.resolve()
        if real in seen:  # a symlink loop, or a folder reached twice
            return
        seen.add(real)
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except (OSError, RuntimeError):
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        named = entry.suffix.lower() in DECK_SUFFIXES
        try:
            is_dir = entry.is_dir()
            is_deck = not is_dir and named and entry.is_file()
        except OSError as exc:
            if named and skipped is not None:
                skipped.append((entry, f"cannot read: {exc.strerror or exc}"))
            continue
        if is_dir and recursive:
            yield from _folder_decks(entry, recursive, seen, skipped)
        elif is_deck:
            yield entry
        elif named and not is_dir and skipped is not None:
            skipped.append((entry, _why_not_a_file(entry)))


def _why_not_a_file(path: Path) -> str:
    import errno
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "skipped: a symbolic link loop"
        return (
            "skipped: a dangling symbolic link" if path.is_symlink() else f"skipped: {exc.strerror}"
        )
    except RuntimeError:
        return "skipped: a symbolic link loop"
    if stat.S_ISFIFO(mode):
        return "skipped: a FIFO (named pipe), not a deck file"
    return "skipped: not a regular file"


_cache: dict[Path, tuple[tuple[int, int, int, int], LoadResult]] = {}


def read_deck_cached(path: Path) -> LoadResult:
    """``read_deck``, remembered until the file is replaced or its size or times change."""
    try:
        key = path.resolve()
        st = key.stat()
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
    except (OSError, ValueError, RuntimeError):
        return read_deck(path)
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    result = read_deck(path)
    _cache[key] = (stamp, result)
    return result


def _candidate_files(extra_paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    files: list[Path] = []
    bundled = bundled_decks_dir()
    if bundled.is_dir():
        files.extend(_folder_decks(bundled, recursive=False))
    user = user_decks_dir()
    if user.is_dir():
        files.extend(_folder_decks(user, recursive=True))
    files.extend(p for p in deck_files(extra_paths))
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def find_decks(
    extra_paths: Iterable[str | os.PathLike[str]] = (), include_broken: bool = False
) -> list[DeckRef]:
    """Every deck found: bundled, the user's folder, then ``extra_paths``.

    Files that fail to load are left out unless ``include_broken`` (then their
    ``error`` says why). Two files with the same deck id raise ``DeckError``
    naming both.
    """
    refs: list[DeckRef] = []
    owners: dict[str, Path] = {}
    for path in _candidate_files(extra_paths):
        result = read_deck_cached(path)
        if result.deck is None:
            if include_broken:
                first = min(result.errors, key=lambda p: (p.line or 0, p.col or 0))
                header = result.header
                refs.append(
                    DeckRef(header.deck if header else path.stem,
                            header.title if header else path.stem,
                            path, len(result.cards), first.format())
                )  # fmt: skip
            continue
        deck = result.deck
        if deck.deck in owners:
            line, col = result.position("deck") or (1, 1)
            clash = DeckError(
                printable(str(path)),
                f"deck id {deck.deck!r} is also used by {printable(str(owners[deck.deck]))}",
                line,
                col,
            )
            if not include_broken:
                raise clash
            refs.append(DeckRef(f"{deck.deck} ({path})", deck.title, path, 0, clash.message))
            continue
        owners[deck.deck] = path
        refs.append(DeckRef(deck.deck, deck.title, path, len(deck.active_cards)))
    return refs


MISSING_KEY = "missing:"
"""Deck ids of library entries whose file or folder is gone start with this."""


def find_library_decks(
    extra_paths: Iterable[str | os.PathLike[str]], library: Iterable[object]
) -> list[DeckRef]:
    """``find_decks`` over ``extra_paths`` and the deck library's entries (``LibraryEntry``),
    broken files included; an entry whose file or folder is gone is a ref with an error
    saying so and its path (its id starts with :data:`MISSING_KEY`)."""
    present: list[str | os.PathLike[str]] = list(extra_paths)
    missing: list[DeckRef] = []
    for entry in library:
        path = Path(entry.path)  # type: ignore[attr-defined]
        if entry.missing:  # type: ignore[attr-defined]
            title = entry.title or path.name  # type: ignore[attr-defined]
            missing.append(
                DeckRef(
                    MISSING_KEY + str(path),
                    title,
                    path,
                    0,
                    error_line(
                        "missing (moved or deleted). "
                        f"'quiz add NEW-PATH' if it moved; 'quiz remove {printable(str(path))}' "
                        "to take it off this list (progress is kept)",
                        printable(str(path)),
                    ),
                )
            )
        else:
            present.append(path)
    return find_decks(present, include_broken=True) + missing


def _looks_like_path(arg: str) -> bool:
    return (
        os.sep in arg
        or (os.altsep is not None and os.altsep in arg)
        or arg.lower().endswith(DECK_SUFFIXES)
        or arg.startswith(".")
    )


def resolve_deck(
    arg: str | os.PathLike[str], extra_paths: Iterable[str | os.PathLike[str]] = ()
) -> Deck:
    """The deck named by ``arg``: a deck file path, or the ``deck`` id of a deck found."""
    text = os.fspath(arg)
    path = Path(text)
    try:
        exists = path.exists()
    except (OSError, ValueError):  # a NUL in the name, a name too long
        exists = False
    if not exists and _looks_like_path(text):
        missing = DeckError(printable(text), "no such deck file")
        missing.exit_code = 2
        raise missing
    if exists:
        result = read_deck_cached(path) if path.is_file() else read_deck(path)
        if result.deck is None:
            first = min(result.errors, key=lambda p: (p.line or 0, p.col or 0))
            raise first.to_error()
        return result.deck
    refs = find_decks(extra_paths)
    for ref in refs:
        if ref.deck_id == text:
            result = read_deck_cached(ref.path)
            if result.deck is None:  # changed since it was found
                raise min(result.errors, key=lambda p: (p.line or 0, p.col or 0)).to_error()
            return result.deck
    ids = [r.deck_id for r in refs]
    close = difflib.get_close_matches(text, ids, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    known = f"; known decks: {', '.join(ids)}" if ids else "; no decks found"
    shown = text if len(text) <= 80 else text[:79] + "…"
    raise QuizError(f"no deck file or deck id {shown!r}{hint}{known}", exit_code=2)
