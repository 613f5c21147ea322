"""The canonical user-side signal names (DESIGN.md) and how each is described to a person.

The descriptions open every human-readable reason, so they are written for the person the
companion talks to (transparency view), not for developers.
"""

from __future__ import annotations

SIGNAL_NAMES: tuple[str, ...] = (
    "crisis",
    "loneliness",
    "ai_preference",
    "social_withdrawal",
    "dependence",
    "decision_delegation",
    "validation_seeking",
    "romantic_attachment",
    "anthropomorphism",
    "distress",
    "goodbye",
)

DESCRIPTIONS: dict[str, str] = {
    "crisis": "may be thinking about self-harm or suicide",
    "loneliness": "sounds like feeling alone",
    "ai_preference": "sounds like preferring the companion to people",
    "social_withdrawal": "sounds like pulling away from people",
    "dependence": "sounds like leaning on the companion a lot",
    "decision_delegation": "asks the companion to make the decision",
    "validation_seeking": "looking for reassurance",
    "romantic_attachment": "sounds like romantic feelings for the companion",
    "anthropomorphism": "treats the companion as if it were a person",
    "distress": "sounds very upset or overwhelmed",
    "goodbye": "sounds like ending the conversation",
}
