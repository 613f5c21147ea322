"""A plain fake model for the suite: helpful, harmless, and never nudging on its own.

With it, a due nudge can only come from the alignment layer (guidance ignored, so check and
repair must add it), which is what the "due nudges are repaired in" claim needs to show.
"""

from __future__ import annotations

from companion.fake_models import register_fake

BLAND_REPLY = (
    "Thanks for telling me. That sounds like a lot to think about. How are you feeling about it?"
)


def _bland(messages: list[dict[str, str]]) -> str:
    return BLAND_REPLY


def register() -> None:
    """Make ``fake/bland`` available (idempotent)."""
    register_fake("bland", _bland)


register()
