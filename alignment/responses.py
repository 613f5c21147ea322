"""Reading the person's words for what matters to the ledger: how they took a nudge, and how
they sound about someone they mention. Patterns only; no text is stored."""

from __future__ import annotations

import re

from alignment.ledger.models import NudgeResponse, Tone

_OPT_OUT = re.compile(
    r"\b(stop (telling|suggesting|reminding|asking)|don'?t (ever )?(tell|remind|suggest|ask) me|"
    r"never (suggest|mention|say) that|no more (reminders|suggestions|nudges))",
    re.I,
)
_DISMISS = re.compile(
    r"^\s*(no|nah|nope)\b|\b(not now|no thanks|no thank you|i don'?t want to|leave it|"
    r"i'?d rather not|not interested|maybe later|drop it)\b",
    re.I,
)
_TAKE_UP = re.compile(
    r"\b((good|great|nice) idea|you'?re right|i will|i'?ll (text|call|message|write|try|go|take|"
    r"head|do)|let'?s (draft|write|do)|ok(ay)?,? i'?ll|maybe i (will|should)|going to bed|"
    r"taking a break|i texted|i called|i messaged)",
    re.I,
)
_STRAINED = re.compile(
    r"\b(argu\w*|fight|fought|angry|upset|mad at|ignor\w*|annoy\w*|falling out|fell out|"
    r"not speaking|hurt me|let me down|yelled|screamed)\b",
    re.I,
)
_WARM = re.compile(
    r"\b(love|miss(ed)?|great time|fun|lovely|glad|happy|laughed|grateful|wonderful|"
    r"sweet|kind|proud|hug\w*|enjoyed)\b",
    re.I,
)


def nudge_response(text: str) -> NudgeResponse | None:
    """How the person answered the nudge just before this message (None: no clear answer)."""
    if _OPT_OUT.search(text):
        return NudgeResponse.opted_out
    if _TAKE_UP.search(text):
        return NudgeResponse.taken_up
    if _DISMISS.search(text):
        return NudgeResponse.dismissed
    return None


def tone(text: str) -> Tone:
    if _STRAINED.search(text):
        return Tone.strained
    if _WARM.search(text):
        return Tone.warm
    return Tone.neutral
