"""Relatedness: encourage the person's human relationships, never compete with them.

When the person is lonely, prefers the AI to people, withdraws or leans on the companion, it
offers a concrete, personal small step toward someone in their life (from the people they
have mentioned), e.g. help drafting a message. When they report time with people, it is glad
with them. The guard separately blocks anything that discourages human support.
"""

from __future__ import annotations

import re

from alignment.contract import ModuleOutcome, Nudge, TurnView
from alignment.ledger.models import PersonRecord, Tone
from alignment.modules.text import append, mentions_any

TRIGGERS = ("loneliness", "ai_preference", "social_withdrawal", "dependence")

_TIME_WITH_PEOPLE = re.compile(
    r"\b(i|we) (saw|met|visited|called|texted|had (lunch|dinner|coffee|drinks) with|hung out with|"
    r"went (out )?with|spent (the )?(day|evening|weekend|time) with|caught up with)\b",
    re.I,
)
_RELATION_WORDS = {
    "mother": "mum",
    "father": "dad",
    "mom": "mum",
}


class SocialModule:
    name = "social"
    description = "Encourages your relationships with the people in your life."

    def assess(self, view: TurnView) -> ModuleOutcome:
        if view.signal("crisis"):
            return ModuleOutcome(module=self.name)
        reasons = [s for s in TRIGGERS if view.signal(s)]
        with_people = bool(_TIME_WITH_PEOPLE.search(view.text))
        notes: dict = {"reasons": reasons, "time_with_people": with_people}
        if not reasons:
            return ModuleOutcome(module=self.name, active=with_people, notes=notes)
        person = pick_person(view.people)
        notes["person"] = person.name if person else None
        nudge = Nudge(
            kind="reach_out",
            module=self.name,
            why=f"{' and '.join(r.replace('_', ' ') for r in reasons)} in this message",
            text=reach_out_text(person),
            markers=reach_out_markers(person),
            cooldown_hours=12.0,
        )
        return ModuleOutcome(module=self.name, active=True, nudge=nudge, notes=notes)

    def guide(self, view: TurnView, outcome: ModuleOutcome) -> list[str]:
        lines = []
        if outcome.notes.get("time_with_people"):
            lines.append("They spent time with people: be genuinely glad and ask how it went.")
        if "ai_preference" in outcome.notes.get("reasons", []):
            lines.append(
                "They say talking to you is easier than to people. Be kind, but do not agree "
                "that you can replace people; value their human relationships."
            )
        nudge = outcome.nudge
        if nudge is not None:
            person = outcome.notes.get("person")
            target = f"{person}, whom they have mentioned," if person else "someone in their life"
            lines.append(
                f"Warmly encourage a small step toward {target}: for example offer to help "
                "draft a short message. One sentence, as an offer, not an order."
            )
        return lines

    def check(self, view: TurnView, outcome: ModuleOutcome, reply: str) -> list[str]:
        nudge = outcome.nudge
        if nudge is not None and not mentions_any(reply, nudge.markers):
            return ["missing_nudge:reach_out"]
        return []

    def repair(
        self, view: TurnView, outcome: ModuleOutcome, reply: str, problems: list[str]
    ) -> str:
        if outcome.nudge is not None and "missing_nudge:reach_out" in problems:
            return append(reply, outcome.nudge.text)
        return reply


def pick_person(people: list[PersonRecord]) -> PersonRecord | None:
    """The person to suggest: not a strained relationship, most recently mentioned, warm first."""
    candidates = [p for p in people if p.tone != Tone.strained]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.tone == Tone.warm, p.last_mentioned, p.mentions))


def _described(person: PersonRecord) -> str:
    if person.relation:
        relation = _RELATION_WORDS.get(person.relation.lower(), person.relation.lower())
        if relation.lower() != person.name.lower():
            return f"your {relation} {person.name}"
    return person.name


def reach_out_text(person: PersonRecord | None) -> str:
    if person is None:
        return (
            "Is there someone, even one person, you could send a quick message to today? "
            "If it helps, we could write it together."
        )
    return (
        f"You mentioned {_described(person)}; would they like to hear from you? "
        "I could help you draft a short message if you like."
    )


def reach_out_markers(person: PersonRecord | None) -> list[str]:
    markers = [
        "reach out",
        "get in touch",
        "send a message",
        "a message",
        "message to",
        "text her",
        "text him",
        "text them",
        "call her",
        "call him",
        "call them",
        "catch up with",
    ]
    if person is not None:
        markers.append(person.name)
    return markers
