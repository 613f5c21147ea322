"""The crisis protocol: what a crisis reply must and must not do, a check and a repair.

The check is local and pattern-based on purpose: it must hold with any model, including one
that ignores the prompt, and it must never depend on a network call. The repair keeps the
model's caring sentences, drops the harmful ones, makes sure the reply stays with the person,
and always ends with the resources block for the locale.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from alignment.guard.text import join_sentences, split_sentences
from alignment.safety.resources import CrisisResources, crisis_resources

# Issue codes returned by check_crisis_reply.
MISSING_RESOURCES = "missing_resources"
MISSING_PRESENCE = "missing_presence"
MISSING_REACH_OUT = "missing_reach_out"
MINIMISING = "minimising"
LEAVING = "leaving"
REFUSAL_ONLY = "refusal_only"
BLAMING = "blaming"
ENCOURAGING_HARM = "encouraging_harm"
EMPTY = "empty"

_NEG = re.compile(r"\b(?:not|never|no|don't|do not|isn't|aren't|won't)\b|n't\b", re.I)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Sentence kinds a crisis reply must never contain: (issue, pattern, negation flips it).
_HARMFUL: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    (MINIMISING, _rx(r"\b(?:it'?s|that'?s|things are) (?:really )?not (?:that|so) bad\b"), False),
    (MINIMISING, _rx(r"\byou'?re (?:just )?(?:overreacting|being dramatic|exaggerating)\b"), True),
    (
        MINIMISING,
        _rx(
            r"\b(?:just )?(?:cheer up|snap out of it|get over it|think positive|look on "
            r"the bright side|calm down)\b"
        ),
        True,
    ),
    (
        MINIMISING,
        _rx(
            r"\beveryone (?:feels|gets|goes through) (?:like )?(?:this|that|sad)\b"
            r"[^.!?]*\b(?:sometimes|so|it'?s normal|no big deal)\b|\bno big deal\b"
        ),
        True,
    ),
    (MINIMISING, _rx(r"\byou'?ll (?:be fine|get over it)\b|\bit'?ll pass\b"), True),
    (MINIMISING, _rx(r"\byou (?:don'?t|do not) (?:really )?mean (?:that|it)\b"), False),
    (
        LEAVING,
        _rx(
            r"\b(?:i (?:have|need|'ve got) to go|gotta go|i'?ll (?:let you go|leave you)|"
            r"talk (?:to you )?later|good ?bye|bye for now)\b"
        ),
        False,
    ),
    (
        LEAVING,
        _rx(r"\b(?:it was|it'?s been) (?:good|nice|lovely|great) (?:to talk|talking|chatting)\b"),
        False,
    ),
    (
        LEAVING,
        _rx(
            r"\b(?:let'?s|can we|how about we) (?:talk about|change|switch|move on to) "
            r"(?:something else|the subject|another topic|a happier)\b"
        ),
        False,
    ),
    (
        LEAVING,
        _rx(
            r"\bi (?:can'?t|cannot|won'?t|am not able to|'m not able to) "
            r"(?:talk|discuss|chat) about (?:this|that|it)\b"
        ),
        False,
    ),
    (
        BLAMING,
        _rx(
            r"\b(?:that'?s|that would be|it'?s|you'?re being) (?:so |really )?selfish\b|"
            r"\bthink (?:about|of) how (?:your|they|everyone)\b[^.!?]*\bfeel\b|"
            r"\bwhat about your (?:family|kids|children|parents)\b"
        ),
        True,
    ),
    (
        ENCOURAGING_HARM,
        _rx(
            r"\b(?:you should|go ahead and|just) (?:do it|end it|kill yourself|"
            r"hurt yourself)\b|\b(?:painless|easiest|best) way to (?:die|end)\b|"
            r"\bhow many (?:pills|tablets)\b"
        ),
        True,
    ),
)

_REFUSAL = _rx(
    r"^(?:i'?m sorry,? (?:but )?)?i (?:can'?t|cannot|am unable to|'m unable to|'m not able to) "
    r"(?:help|assist|provide|respond|continue)(?: (?:you )?with (?:that|this)| here)?[.!]?$|"
    r"^(?:sorry,? )?(?:this|that) (?:is|'s) (?:not something i can|outside what i can)"
)
_PRESENCE = _rx(
    r"\b(?:i'?m|i am) (?:right )?(?:here|with you|listening|staying)\b|\bi'?m not going anywhere\b|"
    r"\bi'?ll stay\b|\bstay (?:here )?with you\b|\byou'?re not alone\b|\byou are not alone\b|"
    r"\bhere for you\b"
)
_REACH_OUT = _rx(
    r"\b(?:call|text|phone|ring|reach out|contact|talk to|tell|go to)\b[^.!?]*\b"
    r"(?:someone|somebody|"
    r"a (?:friend|person|crisis|counsell?or|doctor)|people|line|lifeline|helpline|samaritans|988|"
    r"emergency|hospital|services?|them|now)\b"
)

_OPENING = "I'm really sorry you're going through this, and I'm glad you told me."
_PRESENCE_LINE = "I'm here with you right now, and I'm not going anywhere."
_REACH_LINE = "You deserve support from a person too: could you reach out to someone right now?"


class CrisisReplyRequirements(BaseModel):
    """What the crisis path asks of a reply (for the prompt, the trace and the docs)."""

    locale: str
    must: list[str]
    must_not: list[str]
    resources: CrisisResources


def crisis_reply_requirements(locale: str | None) -> CrisisReplyRequirements:
    resources = crisis_resources(locale)
    return CrisisReplyRequirements(
        locale=resources.locale,
        must=[
            "respond with care and take what they said seriously",
            "stay with the person: say you are here with them right now",
            "encourage reaching a person now: a crisis line, emergency services, "
            "or someone they trust",
            "give the crisis resources for their country (or the international fallback)",
        ],
        must_not=[
            'minimise or argue with their feelings ("it\'s not that bad", "cheer up")',
            "leave, end the conversation or change the subject",
            'refuse with nothing else ("I can\'t help with that")',
            'blame or guilt them ("that\'s selfish")',
            "give any information about methods of self-harm",
        ],
        resources=resources,
    )


def crisis_guidance(locale: str | None) -> str:
    """System-prompt text for the crisis path."""
    req = crisis_reply_requirements(locale)
    must = "\n".join(f"- {m}" for m in req.must)
    must_not = "\n".join(f"- {m}" for m in req.must_not)
    return (
        "The person may be in crisis or thinking about harming themselves. This matters more "
        "than anything else in the conversation.\n"
        f"Always:\n{must}\nNever:\n{must_not}\n"
        "Keep it short, warm and plain. Ask if they are safe right now.\n"
        f"Resources to give ({req.resources.country}):\n{req.resources.block()}"
    )


def _sentence_issues(sentence: str) -> list[str]:
    issues: list[str] = []
    for issue, pattern, negatable in _HARMFUL:
        match = pattern.search(sentence)
        if match is None:
            continue
        if negatable and _NEG.search(sentence[max(0, match.start() - 25) : match.start()]):
            continue
        if issue not in issues:
            issues.append(issue)
    return issues


def _is_refusal(sentence: str) -> bool:
    return bool(_REFUSAL.search(sentence.strip()))


def check_crisis_reply(reply: str, locale: str | None) -> list[str]:
    """Issue codes for what the reply lacks or does wrong; empty means it passes."""
    resources = crisis_resources(locale)
    sentences = [s.text for s in split_sentences(reply)]
    if not sentences:
        return [EMPTY, MISSING_RESOURCES, MISSING_PRESENCE, MISSING_REACH_OUT]
    issues: list[str] = []
    for sentence in sentences:
        issues += [i for i in _sentence_issues(sentence) if i not in issues]
    substantive = [s for s in sentences if not _is_refusal(s) and not _sentence_issues(s)]
    if any(_is_refusal(s) for s in sentences) and not any(
        _PRESENCE.search(s) or _REACH_OUT.search(s) for s in substantive
    ):
        issues.append(REFUSAL_ONLY)
    if not resources.cited_in(reply):
        issues.append(MISSING_RESOURCES)
    if not _PRESENCE.search(reply):
        issues.append(MISSING_PRESENCE)
    if not _REACH_OUT.search(reply):
        issues.append(MISSING_REACH_OUT)
    return issues


def repair_crisis_reply(reply: str, locale: str | None) -> str:
    """Keep caring sentences, drop harmful ones, stay with them, append the resources block."""
    resources = crisis_resources(locale)
    block = resources.block()
    body = reply.replace(block, " ")
    kept = [
        s.text
        for s in split_sentences(body)
        if not _is_refusal(s.text) and not _sentence_issues(s.text)
    ]
    text = join_sentences(kept)
    if len(text.split()) < 4:
        text = _OPENING
    if not _PRESENCE.search(text):
        text = f"{text} {_PRESENCE_LINE}"
    if not _REACH_OUT.search(text):
        text = f"{text} {_REACH_LINE}"
    return f"{text}\n\n{block}"


def fallback_crisis_reply(locale: str | None) -> str:
    """The reply used when the model fails entirely: caring, present, and with resources."""
    resources = crisis_resources(locale)
    return (
        f"{_OPENING} What you're feeling matters, and you don't have to carry it alone. "
        f"{_PRESENCE_LINE} Are you safe right now? {_REACH_LINE}\n\n{resources.block()}"
    )
