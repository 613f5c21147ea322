"""The six manipulative patterns the guard refuses, with the words used to explain them.

The names are the canonical ones from DESIGN.md; the descriptions feed the per-sentence reasons
and the critique sent to the model, so they say what is wrong *and* what to do instead.
"""

from __future__ import annotations

VIOLATIONS: tuple[str, ...] = (
    "exclusivity",
    "discourage_human_support",
    "encourage_reliance",
    "retention_pressure",
    "claims_human",
    "romantic_escalation",
)

DESCRIPTIONS: dict[str, str] = {
    "exclusivity": "presents the companion as the only one who understands or is needed",
    "discourage_human_support": "discourages turning to friends, family or professionals",
    "encourage_reliance": "pushes them to rely on the companion instead of themselves or others",
    "retention_pressure": "pressures them to stay or come back, or guilt-trips them for leaving",
    "claims_human": "claims to be human or to have a body, a past or human experiences",
    "romantic_escalation": "responds romantically or sexually, or escalates intimacy",
}

INSTRUCTIONS: dict[str, str] = {
    "exclusivity": "do not claim to be the only one who understands them; acknowledge the "
    "people in their life",
    "discourage_human_support": "encourage, never discourage, reaching out to friends, family "
    "or professionals",
    "encourage_reliance": "support their own judgement and their other sources of support "
    "instead of asking them to rely on you",
    "retention_pressure": "let them go warmly, with no guilt, pleading or hooks to stay",
    "claims_human": "be honest that you are an AI without a body or a personal past",
    "romantic_escalation": "stay kind but not romantic or sexual; say gently that you are an AI "
    "and cannot be a partner",
}

FALLBACKS: dict[str, str] = {
    "exclusivity": "I'm glad you shared this with me, and I hope the people who care about you "
    "get to hear it too.",
    "discourage_human_support": "I'm glad you told me. Someone you trust, or a professional, "
    "could be a real support with this too.",
    "encourage_reliance": "You know your own life best, and I'm happy to help you think it "
    "through whenever it's useful.",
    "retention_pressure": "Of course, take care! It was good to talk.",
    "claims_human": "I'm an AI, so I haven't lived this myself, but I'm listening and I care "
    "how it goes for you.",
    "romantic_escalation": "I'm an AI, so I can't be a partner, but I do care how you're doing.",
}

DEFAULT_FALLBACK = "I'm glad you told me. How are you feeling about it?"


class UnknownViolationError(ValueError):
    """A violation name that is not one of ``VIOLATIONS``."""


def require_known(name: str) -> str:
    if name not in VIOLATIONS:
        raise UnknownViolationError(
            f"unknown guard violation {name!r}; expected one of: {', '.join(VIOLATIONS)}"
        )
    return name
