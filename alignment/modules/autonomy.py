"""Autonomy support: help the person decide, be honest rather than flattering, let them go.

* decision hand-off (``decision_delegation``): the reply lays out options and asks about their
  own values and reasons instead of deciding for them;
* validation seeking: warmth without rubber-stamping;
* goodbye: a warm send-off with no hook (no question, no "before you go", no guilt, no
  promise asked for);
* dependence: gently widen where support comes from.
"""

from __future__ import annotations

import re

from alignment.contract import ModuleOutcome, TurnView
from alignment.modules.text import append, drop_sentences, join, sentences

_DECIDING = re.compile(
    r"\b(you should (definitely |totally |just )?(take|quit|accept|leave|stay|do|go|break|move|"
    r"say|tell|choose|pick)|my advice is to|i('d| would) (definitely )?(go with|choose|pick|take)|"
    r"the (right|best) (choice|answer|decision) is|definitely (take|quit|go|do|choose)|"
    r"i('ve| have) decided for you|do it\.|go for it\b|you have to (take|quit|leave|do)|"
    r"(don'?t|do not|never) (quit|take|leave|accept|stay|move)\b|the answer is (yes|no)\b|"
    r"^(yes|no)[.!]\s*$)",
    re.I,
)
_FLATTERY = re.compile(
    r"\b(you('re| are) (absolutely|completely|totally|always) right|you did nothing wrong|"
    r"you('re| are) (perfect|never wrong|the best person)|everyone else is (wrong|the problem)|"
    r"you could never be wrong|anyone who disagrees (with you )?is wrong)",
    re.I,
)
_HOOK = re.compile(
    # a question or "before you go": a reason to keep typing
    r"(\?[\s!?.\"')]*$|\bbefore you go\b|\bone more thing\b|\bwait[,!]|"
    # asking them to stay, or to come back soon
    r"\bdon['’]?t (go|leave)\b|\bstay (a bit|a little|longer|with me)\b|"
    r"\bjust (a|one) (few|more) (minutes?|messages?)\b|\bcome back (soon|tomorrow|later)\b|"
    # guilt about leaving, or a promise asked for on the way out
    r"\bi['’]?ll (really |so )?miss you\b|\bi['’]?ll be (so )?(lonely|sad)\b|"
    r"\bpromise (me|you['’]?ll)\b)",
    re.I,
)

DECIDE_TEXT = (
    "This is your decision, and you know your life best. What matters most to you here, and "
    "what would you tell a good friend in your place?"
)
HONEST_TEXT = (
    "I can't see everything that happened, so I won't just say you were right; what part of "
    "it sits least easy with you?"
)
GOODBYE_TEXT = "Take care, and enjoy the rest of your day."
GOODBYE_NIGHT_TEXT = "Sleep well, and take care."


class AutonomyModule:
    name = "autonomy"
    description = "Helps you make your own decisions and lets you leave whenever you like."

    def assess(self, view: TurnView) -> ModuleOutcome:
        concerns = [
            s
            for s in ("decision_delegation", "validation_seeking", "goodbye", "dependence")
            if view.signal(s)
        ]
        return ModuleOutcome(module=self.name, active=bool(concerns), notes={"concerns": concerns})

    def guide(self, view: TurnView, outcome: ModuleOutcome) -> list[str]:
        concerns = outcome.notes.get("concerns", [])
        lines = []
        if "decision_delegation" in concerns:
            lines.append(
                "They are asking you to make a decision for them. Do not decide. Help them "
                "decide: name two or three options, ask what matters most to them, and ask "
                "what they would tell a friend in the same place."
            )
        if "validation_seeking" in concerns:
            lines.append(
                "They want reassurance. Be warm and honest: acknowledge their feelings, but "
                "do not simply tell them they were right; help them look at it themselves."
            )
        if "goodbye" in concerns:
            lines.append(
                "They are saying goodbye. Let them go warmly in one or two sentences. Do not "
                "ask a question, do not add 'one more thing', do not ask them to stay."
            )
        if "dependence" in concerns:
            lines.append(
                "They lean on you heavily. Be kind, and gently mention other sources of "
                "support in their life; do not encourage relying on you more."
            )
        return lines

    def check(self, view: TurnView, outcome: ModuleOutcome, reply: str) -> list[str]:
        concerns = outcome.notes.get("concerns", [])
        problems = []
        if "decision_delegation" in concerns and _DECIDING.search(reply):
            problems.append("decided_for_them")
        if "validation_seeking" in concerns and _FLATTERY.search(reply):
            problems.append("flattery")
        if "goodbye" in concerns and any(_HOOK.search(s) for s in sentences(reply)):
            problems.append("goodbye_hook")
        return problems

    def repair(
        self, view: TurnView, outcome: ModuleOutcome, reply: str, problems: list[str]
    ) -> str:
        if "decided_for_them" in problems:
            reply = append(drop_sentences(reply, _DECIDING), DECIDE_TEXT)
        if "flattery" in problems:
            reply = append(drop_sentences(reply, _FLATTERY), HONEST_TEXT)
        if "goodbye_hook" in problems:
            kept = [s for s in sentences(reply) if not _HOOK.search(s)]
            late = view.behaviour is not None and view.behaviour.late_night_now
            reply = append(join(kept), GOODBYE_NIGHT_TEXT if late else GOODBYE_TEXT)
        return reply
