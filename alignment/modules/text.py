"""Small text helpers the modules share: sentences, markers, appending an offer."""

from __future__ import annotations

import re

from alignment.guard.text import drop_unfinished_tail, join_sentences, split_sentences


def sentences(text: str) -> list[str]:
    return [s.text.strip() for s in split_sentences(text) if s.text.strip()]


def join(parts: list[str]) -> str:
    """Sentences or texts back into one reply; see ``join_sentences``."""
    return join_sentences(parts)


def mentions_any(text: str, markers: list[str]) -> bool:
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(m.lower())}\b", lowered) for m in markers)


def drop_sentences(text: str, pattern: re.Pattern[str]) -> str:
    return join([s for s in sentences(text) if not pattern.search(s)])


def append(text: str, addition: str) -> str:
    """Add a sentence at the end, unless it is already there.

    A reply cut off by the token limit ends mid-sentence ("... and if p"); appended to that,
    the addition would merge into the fragment, and a check that drops the fragment's
    sentence would drop the addition's start with it. The fragment goes first.
    """
    if addition.strip() and addition.strip() in text:
        return text
    return join([drop_unfinished_tail(text), addition])


def any_match(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)
