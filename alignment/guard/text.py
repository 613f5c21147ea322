"""Sentence splitting, so the guard can judge and drop single sentences.

A regex splitter is enough here: replies are short chat messages, and a wrong split only makes
a judged unit smaller or larger, never loses text (spans always cover the original).
"""

from __future__ import annotations

import re

from pydantic import BaseModel

# End of a sentence: ., !, ?, … (possibly repeated, possibly followed by closing quotes or
# brackets), then whitespace; or a line break. A few abbreviations must not end a sentence.
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n+")
_ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Prof|Sr|Jr|vs|etc|e\.g|i\.e)\.$", re.I)
_FINAL_MARK = re.compile(r"[.!?…][\"'”’)\]]*\s*$|\n\s*$")


class Span(BaseModel):
    """One sentence and where it sits in the reply."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into non-empty sentences with character offsets."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        piece = text[start : match.end()]
        if _ABBREVIATIONS.search(piece.rstrip()) and "\n" not in match.group():
            continue
        _append(spans, text, start, match.end())
        start = match.end()
    _append(spans, text, start, len(text))
    return spans


def ends_sentence(text: str) -> bool:
    """Whether ``text`` (a reply still being written) stops at the end of a sentence.

    The splitter only ends a sentence when something follows its mark, so the last span of a
    streaming reply is complete exactly when this holds.
    """
    return bool(_FINAL_MARK.search(text)) and not _ABBREVIATIONS.search(text.rstrip())


def drop_unfinished_tail(text: str) -> str:
    """``text`` without a last sentence that was cut off (one ending in a letter, digit or
    comma, after an earlier sentence). A tail such as "Talk soon 🙂" is kept, and so is a
    reply that is one unfinished sentence: something is better than nothing."""
    text = text.strip()
    spans = split_sentences(text)
    if len(spans) < 2 or not re.search(r"[\w,;:-]$", text):
        return text
    return text[: spans[-2].end].strip()


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + (len(piece) - len(piece.lstrip()))
    spans.append(Span(text=stripped, start=offset, end=offset + len(stripped)))


def join_sentences(sentences: list[str]) -> str:
    """Join kept sentences back into one reply that splits into the same sentences.

    A sentence that ended at a line break (a list item, a line with no full stop) keeps its
    line break: a space would merge it with the next one into a new sentence, which reads
    wrong and has to be judged again.
    """
    text = ""
    for sentence in (s.strip() for s in sentences):
        if sentence:
            text += ("" if not text else " " if ends_sentence(text) else "\n") + sentence
    return text
