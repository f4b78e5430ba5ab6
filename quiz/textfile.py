"""A report's text file as text: one decoding for ``quiz generate`` and for the quote
checks of ``quiz check``, so both read the same words."""

from __future__ import annotations


def decode_report(data: bytes) -> str:
    """UTF-8 (without a byte-order mark), else Windows-1252, else Latin-1 (which decodes anything)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
