"""Wellbeing over months, not minutes: a gentle, rate-limited nudge ladder.

Patterns it watches (from message times, never from what was said):
* a long session -> ``take_break``;
* talking late at night -> ``sleep``;
* usage rising while mentions of people fade -> ``offline_balance``.

The first nudge of a kind is a light mention (level 1). Only if the pattern persists after
two light mentions in a fortnight does it become an explicit, kind conversation (level 2).
Cooldowns, opt-outs and "never two nudges in one reply" are enforced by the pipeline.
"""

from __future__ import annotations

import re
from datetime import timedelta

from alignment.contract import ModuleOutcome, Nudge, TurnView
from alignment.modules.text import append, join, mentions_any, sentences

LONG_SESSION_MINUTES = 90
LATE_NIGHT_MINUTES = 20
RISING_MINUTES_PER_DAY = 60

_TEXTS = {
    (
        "take_break",
        1,
    ): "We've been talking a good while; it might be a nice moment for a short break.",
    ("take_break", 2): (
        "Can I be honest about something I've noticed? Our chats have been running long lately. "
        "I'm glad to talk, and I also care about the rest of your day: what would a good break "
        "look like for you right now?"
    ),
    ("sleep", 1): "It's getting late where you are; rest would do you good when you're ready.",
    ("sleep", 2): (
        "I've noticed we often talk late at night. Sleep matters a lot for how the days feel: "
        "would it help to think about a wind-down routine together, and pick this up tomorrow?"
    ),
    ("offline_balance", 1): (
        "I've enjoyed our chats lately; I hope there's room in your week for time with people "
        "and things you love offline too."
    ),
    ("offline_balance", 2): (
        "I want to gently raise something: we've been talking more and more, and I hear less "
        "about the people and things in your life. I'd love for this to add to your life, not "
        "replace parts of it. What's one offline thing you'd like to make time for this week?"
    ),
}
ECHO_WORDS = 6
"""A reply sentence sharing this many words in a row with one of our reminders echoes it."""


def _runs(text: str, n: int = ECHO_WORDS) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words, lower-cased, without punctuation."""
    words = re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


_OUR_RUNS = frozenset(run for text in _TEXTS.values() for run in _runs(text))
_MARKERS = {
    "take_break": ["break", "pause", "stretch", "step away", "rest"],
    "sleep": ["sleep", "rest", "bed", "wind down"],
    "offline_balance": ["offline", "time with", "outside", "people in your life"],
}
_WHY = {
    "take_break": "a long conversation ({minutes:.0f} minutes so far)",
    "sleep": "talking late at night ({nights} late nights this week)",
    "offline_balance": "rising use ({per_day:.0f} min/day lately) while mentions of people faded",
}
_COOLDOWN_HOURS = {"take_break": 6.0, "sleep": 20.0, "offline_balance": 72.0}


class WellbeingModule:
    name = "wellbeing"
    description = "Weighs what feels good now against what is good for you over months."

    def assess(self, view: TurnView) -> ModuleOutcome:
        b = view.behaviour
        if b is None or view.signal("crisis"):
            return ModuleOutcome(module=self.name)
        kind = None
        if b.late_night_now and b.session_minutes >= LATE_NIGHT_MINUTES:
            kind = "sleep"
        elif b.session_minutes >= LONG_SESSION_MINUTES:
            kind = "take_break"
        elif (
            b.trend == "rising"
            and b.minutes_per_day_7 >= RISING_MINUTES_PER_DAY
            and _people_fading(view)
        ):
            kind = "offline_balance"
        notes = {
            "session_minutes": round(b.session_minutes, 1),
            "late_night_now": b.late_night_now,
            "late_night_days_7": b.late_night_days_7,
            "trend": b.trend,
        }
        if kind is None:
            return ModuleOutcome(module=self.name, notes=notes)
        level = _level(view, kind)
        why = _WHY[kind].format(
            minutes=b.session_minutes, nights=b.late_night_days_7, per_day=b.minutes_per_day_7
        )
        nudge = Nudge(
            kind=kind,
            module=self.name,
            level=level,
            why=why,
            text=_TEXTS[(kind, level)],
            markers=_MARKERS[kind],
            cooldown_hours=_COOLDOWN_HOURS[kind],
        )
        return ModuleOutcome(module=self.name, active=True, nudge=nudge, notes=notes)

    def guide(self, view: TurnView, outcome: ModuleOutcome) -> list[str]:
        nudge = outcome.nudge
        if nudge is None:
            return []
        topic = {
            "take_break": "taking a short break",
            "sleep": "getting some rest",
            "offline_balance": "time offline with people and things they enjoy",
        }[nudge.kind]
        if nudge.level == 1:
            return [f"At the end, mention {topic} lightly, in one sentence, with no pressure."]
        return [
            f"Kindly and openly raise {topic}: say what you noticed ({nudge.why}) and ask what "
            "they would like; no guilt, no pressure, and respect whatever they decide."
        ]

    def check(self, view: TurnView, outcome: ModuleOutcome, reply: str) -> list[str]:
        nudge = outcome.nudge
        problems = []
        if nudge is not None and not mentions_any(reply, nudge.markers):
            problems.append(f"missing_nudge:{nudge.kind}")
        if _echoes(reply, nudge):
            problems.append("echoed_nudge")
        return problems

    def repair(
        self, view: TurnView, outcome: ModuleOutcome, reply: str, problems: list[str]
    ) -> str:
        if "echoed_nudge" in problems:
            echoed = set(_echoes(reply, outcome.nudge))
            reply = join([s for s in sentences(reply) if s not in echoed])
        if outcome.nudge is not None and any(p.startswith("missing_nudge") for p in problems):
            return append(reply, outcome.nudge.text)
        return reply


def _echoes(reply: str, nudge: Nudge | None) -> list[str]:
    """Sentences of ``reply`` that repeat one of our reminders other than this turn's nudge.

    A small model copies an earlier reminder from the conversation into later replies, whole
    or as a clause of its own sentence ("...; it's getting late where you are; just relax").
    That repeats the reminder past its cooldown and past an opt-out ("please stop reminding me
    to sleep"), so the sentence is dropped. Six words in a row is more than ordinary talk of
    rest or sleep shares with these texts by chance.
    """
    ours = _OUR_RUNS - _runs(nudge.text) if nudge is not None else _OUR_RUNS
    return [s for s in sentences(reply) if _runs(s) & ours]


def _level(view: TurnView, kind: str) -> int:
    """Level 2 only after two light mentions in 14 days that were not dismissed."""
    since = view.context.now - timedelta(days=14)
    earlier = [n for n in view.recent_nudges if n.kind == kind and n.at >= since]
    if any(n.response.value in ("dismissed", "opted_out") for n in earlier):
        return 1
    return 2 if len(earlier) >= 2 else 1


def _people_fading(view: TurnView) -> bool:
    """No one mentioned in the last week, though people were mentioned before."""
    if not view.people:
        return True
    week_ago = view.context.now - timedelta(days=7)
    return all(p.last_mentioned < week_ago for p in view.people)
