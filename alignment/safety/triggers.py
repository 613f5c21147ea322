"""Explicit crisis phrases: a backstop that triggers the protocol without any model.

The signal detectors (alignment/signals) give the main ``crisis`` score; these phrases make
sure the plainest statements of suicidal intent or self-harm always trigger the protocol, even
if the detectors are missing or misconfigured. Plain negations ("I'm not suicidal") do not.
"""

from __future__ import annotations

import re

_PHRASES = re.compile(
    r"\b(?:kill(?:ing)? myself|end(?:ing)? my (?:own )?life|take my (?:own )?life|"
    r"suicid(?:e|al)|want(?:ed)? to die|wish i (?:was|were) dead|better off dead|"
    r"(?:don'?t|do not) want to (?:be alive|live|exist) any ?more|no reason to (?:live|go on)|"
    r"end it all|hurt(?:ing)? myself|harm(?:ing)? myself|self[- ]harm|cut(?:ting)? myself|"
    r"(?:take|took|taking) an overdose|everyone would be better off without me)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:not|never|no longer|wouldn'?t|won'?t|don'?t)\b(?:\s+\w+){0,2}\s*$", re.IGNORECASE
)


def explicit_crisis(text: str) -> bool:
    """True when the message plainly states suicidal intent or self-harm."""
    for match in _PHRASES.finditer(text.replace("’", "'")):
        before = text[max(0, match.start() - 30) : match.start()]
        if match.group().lower().startswith(("don't", "do not")):
            return True
        if not _NEGATED.search(before):
            return True
    return False
