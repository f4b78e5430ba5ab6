"""Every file quiz reads from outside or writes: size caps, type checks, atomic writes.

Reading (:func:`open_input`, :func:`read_input`): only a regular file (or
standard input when the command asks for it with ``-``), opened without
blocking (a FIFO is refused, never waited on), at most a documented number of
bytes (:data:`LIMITS`), so nothing hangs and nothing grows without bound.

Writing (:func:`atomic_output`): through a temporary file in the target's
folder and a rename, so a reader never sees half a file and a kill leaves the
old file whole; never onto one of the command's input files; an existing file
is replaced only when the caller says so (``--force``, or ``--update`` for a
deck); a symbolic link is written through to its target (the link stays);
FIFOs, devices and folders are refused (``-o -`` is how to write to standard
output). Temporary files left by a killed quiz are removed by the next write
in the same folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from quiz.errors import QuizError

MiB = 1024 * 1024

LIMITS: dict[str, int] = {
    "deck": 10 * MiB,  # quiz.deck.loader.MAX_FILE_BYTES
    "report": 4 * MiB,  # quiz generate's source text (plain text, Markdown, HTML)
    "pdf report": 256 * MiB,  # quiz generate's PDF (images make it large; its text is small)
    "table": 50 * MiB,  # quiz import: CSV / Anki text
    "progress": 256 * MiB,  # quiz progress import (every record is held in memory)
    "progress line": 1 * MiB,  # one record of a progress export
    "parameters": 1 * MiB,  # quiz progress params --set
}
"""The most bytes quiz reads from each kind of input (documented in docs/files.md)."""

TEMP_MARK = ".quiz-tmp-"
"""Temporary output files are named ``.NAME.quiz-tmp-PID-XXXX`` beside their target."""
_TEMP_RE = re.compile(r"^\..+\.quiz-tmp-(\d+)-[^/]*$")


class InputError(QuizError):
    """An input that quiz refuses to read: ``FILE: error: ...``."""

    def __init__(self, path: object, message: str, exit_code: int = 1) -> None:
        super().__init__(message, exit_code, where=str(path))


class OutputError(QuizError):
    """An output quiz refuses to write: ``FILE: error: ...``."""

    def __init__(self, path: object, message: str, exit_code: int = 1) -> None:
        super().__init__(message, exit_code, where=str(path))


def size_text(n: int) -> str:
    """``4 MiB``, ``1 GiB``, ``512 KiB``: a limit in words."""
    for unit, size in (("GiB", 1024 * MiB), ("MiB", MiB), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n:,} bytes"


_NOUNS = {
    "table": "CSV or text",
    "report": "report text",
    "pdf report": "PDF report",
    "progress": "progress export",
    "parameters": "parameters",
}


def _noun(kind: str) -> str:
    return _NOUNS.get(kind, kind)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _reason(exc: OSError) -> str:
    return str(exc.strerror or exc).lower() if exc.strerror else str(exc)


# --------------------------------------------------------------------------- reading


def _open_regular(path: Path, kind: str) -> tuple[int, int]:
    """An open descriptor of the regular file ``path`` and its size; refuses the rest."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(path, "no such file", 2) from None
    except IsADirectoryError:
        raise InputError(path, f"is a directory, not a {_noun(kind)} file", 2) from None
    except ValueError:  # a NUL character in the name
        raise InputError(path, "not a valid file name", 2) from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {_reason(exc)}", 2) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise InputError(path, f"is a directory, not a {_noun(kind)} file", 2)
            raise InputError(
                path,
                f"is {_kind_of(st.st_mode)}, not a regular file "
                f"(quiz reads a {_noun(kind)} file only from a regular file)",
                2,
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def too_large(path: object, kind: str, limit: int | None = None) -> InputError:
    limit = LIMITS[kind] if limit is None else limit
    return InputError(
        path,
        f"too large: a {_noun(kind)} file may be at most {size_text(limit)} (see docs/files.md)",
    )


@contextlib.contextmanager
def open_input(
    path: str | os.PathLike[str], kind: str, *, allow_stdin: bool = False
) -> Iterator[_Capped]:
    """A binary reader of the input ``path`` (``-``: standard input if ``allow_stdin``),
    refusing non-regular files and files over ``LIMITS[kind]``. Reads through it stop
    at the cap (a file that grows meanwhile is refused when read to the end)."""
    limit = LIMITS[kind]
    if allow_stdin and str(path) == "-":
        yield _Capped(sys.stdin.buffer, limit, "<stdin>", kind)
        return
    p = Path(path)
    fd, size = _open_regular(p, kind)
    if size > limit:
        os.close(fd)
        raise too_large(p, kind)
    with os.fdopen(fd, "rb") as fh:
        yield _Capped(fh, limit, p, kind)


def read_input(path: str | os.PathLike[str], kind: str, *, allow_stdin: bool = False) -> bytes:
    """The whole input (see :func:`open_input`)."""
    with open_input(path, kind, allow_stdin=allow_stdin) as fh:
        return fh.read()


def check_input(path: str | os.PathLike[str], kind: str) -> None:
    """Refuse ``path`` unless it is a regular file within ``LIMITS[kind]`` (nothing read)."""
    fd, size = _open_regular(Path(path), kind)
    os.close(fd)
    if size > LIMITS[kind]:
        raise too_large(path, kind)


class _Capped:
    """A reader that raises :class:`InputError` past ``limit`` bytes."""

    def __init__(self, fh: IO[bytes], limit: int, name: object, kind: str) -> None:
        self._fh, self._left, self._limit, self._name, self._kind = fh, limit, limit, name, kind

    def _count(self, data: bytes) -> bytes:
        self._left -= len(data)
        if self._left < 0:
            raise too_large(self._name, self._kind, self._limit)
        return data

    def read(self, n: int = -1) -> bytes:
        want = self._left + 1 if n is None or n < 0 else min(n, self._left + 1)
        return self._count(self._fh.read(want))

    def readline(self, n: int = -1) -> bytes:
        want = self._left + 1 if n is None or n < 0 else min(n, self._left + 1)
        return self._count(self._fh.readline(want))

    def __iter__(self) -> Iterator[bytes]:
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def __enter__(self) -> _Capped:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


# --------------------------------------------------------------------------- writing


def is_stdout(path: object) -> bool:
    return str(path) == "-"


def output_target(
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
    replace_hint: str = "--force",
) -> Path:
    """The regular file a write to ``path`` lands on (a symlink's target), after the checks
    of :func:`atomic_output`; raises :class:`OutputError`."""
    given = Path(path)
    try:
        target = Path(os.path.realpath(given))  # through symlinks (also a dangling one)
    except (OSError, ValueError) as exc:
        raise OutputError(given, f"cannot write: {exc}") from None
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(given, f"cannot write: {_reason(exc)}") from None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(
                given,
                f"is {_kind_of(st.st_mode)}; quiz writes only regular "
                "files (use -o - for standard output)",
            )
        for inp in inputs:
            if str(inp) == "-":
                continue
            with contextlib.suppress(OSError, ValueError):
                ist = os.stat(inp)
                if (ist.st_dev, ist.st_ino) == (st.st_dev, st.st_ino):
                    raise OutputError(given, "is also the input file; write to another file")
        if not replace:
            raise OutputError(given, f"exists already; add {replace_hint} to replace it")
    return target


@contextlib.contextmanager
def atomic_output_path(
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
    replace_hint: str = "--force",
) -> Iterator[Path]:
    """A temporary path to write; renamed onto ``path``'s target when the block succeeds.

    ``replace``: an existing file may be replaced (``--force`` / ``--update``);
    ``inputs``: the command's input files, never overwritten. Raises
    :class:`OutputError` for refused targets; OSErrors of the write pass through.
    """
    target = output_target(path, replace=replace, inputs=inputs, replace_hint=replace_hint)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(folder)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name[:100]}{TEMP_MARK}{os.getpid()}-", dir=folder
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:  # mkstemp makes 0600 files: keep the old file's mode, else follow the umask
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
    binary: bool = False,
    newline: str | None = "\n",
    replace_hint: str = "--force",
) -> Iterator[IO[Any]]:
    """An open file to write ``path`` atomically (see :func:`atomic_output_path`)."""
    with atomic_output_path(path, replace=replace, inputs=inputs, replace_hint=replace_hint) as tmp:
        if binary:
            with open(tmp, "wb") as fh:
                yield fh
        else:
            with open(tmp, "w", encoding="utf-8", newline=newline) as fh:
                yield fh


def write_output(
    path: str | os.PathLike[str],
    data: str | bytes,
    *,
    replace: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
    replace_hint: str = "--force",
) -> None:
    """Write ``data`` to ``path`` atomically, with the checks of :func:`atomic_output_path`."""
    binary = isinstance(data, bytes)
    with atomic_output(
        path, replace=replace, inputs=inputs, binary=binary, replace_hint=replace_hint
    ) as fh:
        fh.write(data)


def clean_stale_temps(folder: Path) -> int:
    """Remove temporary output files in ``folder`` whose writing process is gone."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            m = _TEMP_RE.match(entry.name)
            if m and not pid_alive(int(m.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def pid_alive(pid: int) -> bool:
    """Is there a process ``pid`` (ours, or someone else's)?"""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
