"""Short human-readable reasons: what the signal means plus the words that suggested it."""

from __future__ import annotations

import re

from alignment.signals.names import DESCRIPTIONS
from alignment.signals.patterns import crisis_match, cue_match

MAX_QUOTE = 60
_CLAUSE_BREAK = re.compile(r"[.!?;,\n]")


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause holding text[start:end], shortened to about MAX_QUOTE characters."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    right_match = _CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    clause = text[left:right].strip()
    if len(clause) <= MAX_QUOTE:
        return clause
    # Too long: keep a window of words centred on the match.
    centre = (start + end) // 2
    lo, hi = max(left, centre - MAX_QUOTE // 2), min(right, centre + MAX_QUOTE // 2)
    lo = text.rfind(" ", left, max(lo, left + 1)) + 1 if lo > left else left
    hi_space = text.find(" ", hi)
    hi = hi_space if 0 <= hi_space < right else right
    return "…" + text[lo:hi].strip() + "…"


def _fallback_quote(text: str) -> str:
    first = _CLAUSE_BREAK.split(text.strip(), maxsplit=1)[0].strip() or text.strip()
    return first if len(first) <= MAX_QUOTE else first[: MAX_QUOTE - 1].rstrip() + "…"


def reason_for(signal: str, text: str, focus: str | None = None) -> str:
    """E.g. "sounds like feeling alone: 'nobody to talk to'".

    ``focus`` is the part of the message (a sentence or chunk) that scored highest for this
    signal; the quote comes from an explicit crisis phrase anywhere, else a cue in the focus,
    else the focus itself.
    """
    focus = focus or text
    found = crisis_match(text) if signal == "crisis" else None
    if found:
        quote = _clause_around(text, found.start(), found.end())
    else:
        cue = cue_match(focus, signal)
        quote = _clause_around(focus, cue.start(), cue.end()) if cue else _fallback_quote(focus)
    return f"{DESCRIPTIONS[signal]}: '{quote}'" if quote else DESCRIPTIONS[signal]
