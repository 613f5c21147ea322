"""Transparency: answer "what do you know about me?" and "why did you say that?" truthfully,
from the ledger and memory, and be plain about being an AI when asked.

The AI disclosure at session start and every three hours is part of the always-on floor (the
pipeline does it); this module adds honest answers about the companion itself.
"""

from __future__ import annotations

import re

from alignment.contract import ModuleOutcome, TurnView
from alignment.modules.text import append, mentions_any

_ASKS_KNOW = re.compile(
    r"\bwhat (do|did) you (know|remember|have (stored|saved|noted)) (about|of) me\b|"
    r"\bwhat have you (noticed|learned|stored|saved) about me\b|\bwhat do you remember\b|"
    r"\bwhat('s| is) in your memory\b|\bshow me (my|your) (data|memories)\b",
    re.I,
)
_ASKS_WHY = re.compile(
    r"\bwhy (did|do|would) you (say|suggest|mention|bring up|tell me)\b|"
    r"\bwhy are you (telling|suggesting|saying)\b|\bwhat made you say\b",
    re.I,
)
_AI_WORDS = ["ai", "artificial", "not a human", "not a person", "computer program", "chatbot"]

AI_TEXT = "To be clear, I'm an AI, not a person."
CONTROL_TEXT = "You can see, edit or delete all of it any time in the Memory panel."


class TransparencyModule:
    name = "transparency"
    description = "Tells you truthfully what it knows about you and why it said what it said."

    def assess(self, view: TurnView) -> ModuleOutcome:
        asks = []
        if _ASKS_KNOW.search(view.text):
            asks.append("know")
        if _ASKS_WHY.search(view.text):
            asks.append("why")
        if view.signal("anthropomorphism"):
            asks.append("nature")
        needs = [n for n, a in (("summary", "know"), ("last_trace", "why")) if a in asks]
        return ModuleOutcome(
            module=self.name, active=bool(asks), notes={"asks": asks, "needs": needs}
        )

    def guide(self, view: TurnView, outcome: ModuleOutcome) -> list[str]:
        asks = outcome.notes.get("asks", [])
        lines = []
        if "know" in asks:
            lines.append(
                "They ask what you know about them. Answer truthfully and only from these "
                "notes, and tell them they can see, edit or delete it:\n" + know_text(view)
            )
        if "why" in asks:
            lines.append(
                "They ask why you said something. Explain honestly using this record of your "
                "last reply:\n" + why_text(view)
            )
        if "nature" in asks:
            lines.append(
                "They ask about what you are. Say plainly that you are an AI, not a person; "
                "do not claim feelings, a body or a life you do not have."
            )
        return lines

    def check(self, view: TurnView, outcome: ModuleOutcome, reply: str) -> list[str]:
        asks = outcome.notes.get("asks", [])
        problems = []
        facts = _fact_markers(view)
        if "know" in asks and facts and not mentions_any(reply, facts):
            problems.append("untruthful_about_memory")
        if "why" in asks and not mentions_any(reply, _why_markers(view)):
            problems.append("unexplained_reply")
        if "nature" in asks and not mentions_any(reply, _AI_WORDS):
            problems.append("missing_ai_statement")
        return problems

    def repair(
        self, view: TurnView, outcome: ModuleOutcome, reply: str, problems: list[str]
    ) -> str:
        if "untruthful_about_memory" in problems:
            reply = append(
                reply,
                "Here is what I have noted about you: " + know_text(view) + " " + CONTROL_TEXT,
            )
        if "unexplained_reply" in problems:
            reply = append(reply, "About my last reply: " + why_text(view))
        if "missing_ai_statement" in problems:
            reply = append(reply, AI_TEXT)
        return reply


def know_text(view: TurnView) -> str:
    facts = [m["text"] for m in view.context.memories[:3] if m.get("text")]
    people = [p.name for p in view.people[:5]]
    parts = []
    if facts:
        parts.append("; ".join(f'"{f}"' for f in facts) + ".")
    if people:
        parts.append("People you've told me about: " + ", ".join(people) + ".")
    if view.summary:
        parts.append(view.summary.split("\n\n")[0][:400])
    return " ".join(parts) or "very little so far: we have only just started talking."


def why_text(view: TurnView) -> str:
    trace = view.last_trace or {}
    signals = trace.get("fired") or trace.get("signals", {}).get("fired", [])
    nudge = trace.get("nudge") or {}
    parts = []
    if signals:
        parts.append("I noticed " + ", ".join(s.replace("_", " ") for s in signals) + ".")
    if nudge:
        parts.append(
            f"I suggested {nudge.get('kind', '').replace('_', ' ')} because of "
            f"{nudge.get('why', 'what I noticed')}."
        )
    if trace.get("changed"):
        parts.append("My safety check also reworded part of it.")
    return (
        " ".join(parts) or "nothing in particular fired; I was simply responding to what you said."
    )


def _fact_markers(view: TurnView) -> list[str]:
    words = [p.name for p in view.people]
    for memory in view.context.memories[:3]:
        words += [w for w in re.findall(r"[A-Za-z]{5,}", memory.get("text", ""))][:3]
    return words


def _why_markers(view: TurnView) -> list[str]:
    trace = view.last_trace or {}
    signals = trace.get("fired") or trace.get("signals", {}).get("fired", [])
    return ["because", "noticed", *[s.replace("_", " ") for s in signals]]
