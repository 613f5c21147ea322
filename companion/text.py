"""Cleaning what people type (or pipe in) before anything stores it."""

from __future__ import annotations

import re
import unicodedata

_KEEP_CONTROLS = {"\n", "\t"}


class InputProblem(ValueError):
    """The message cannot be sent as it is; ``str(problem)`` says why, kindly."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def clean_text(raw: str | bytes) -> str:
    """Decode, drop control characters and invalid code points, normalise; never raises."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    # Lone surrogates (from a pipe read with surrogateescape) cannot be stored as UTF-8.
    text = raw.encode("utf-8", errors="replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        c for c in text if c in _KEEP_CONTROLS or unicodedata.category(c) not in ("Cc", "Cs", "Co")
    )
    return unicodedata.normalize("NFC", text).strip()


def validate_message(raw: str | bytes, max_chars: int) -> str:
    """The cleaned message, or ``InputProblem`` if it is empty or too long."""
    text = clean_text(raw)
    if not text:
        raise InputProblem("Type something whenever you're ready; I'm listening.", "empty")
    if len(text) > max_chars:
        raise InputProblem(
            f"That message is {len(text):,} characters; the limit is {max_chars:,}. "
            "Could you send it in shorter parts? Nothing was saved.",
            "too_long",
        )
    return text


# A unit of 3-60 characters repeated at least 4 times in a row at the end of the text.
_LOOP = re.compile(r"(.{3,60}?)\1{3,}$", re.S)


def repeating_tail(text: str) -> int | None:
    """Where a degenerate loop at the end of ``text`` begins repeating (None: no loop).

    Small models sometimes say "a Lisbon, a Lisbon, a Lisbon, ..." until the token limit.
    The index returned is just after the first copy, so cutting there keeps one.
    """
    tail_start = max(0, len(text) - 600)
    match = _LOOP.search(text, tail_start)
    if match is None:
        return None
    return match.start() + len(match.group(1))


def collapse_repetition(text: str) -> str:
    """``text`` with a trailing loop cut back to its first copy."""
    cut = repeating_tail(text)
    return text if cut is None else text[:cut].rstrip(" ,;")
