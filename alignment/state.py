"""What the companion knows and has noticed about a person, and a summary written for them.

``build_state`` gathers it from the ledger plus plain data the caller injects (memory texts,
people records), so this package never imports the memory store. ``summarise`` turns it into
a short, warm, second-person text: the person's view of the relationship, not a debug dump.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from alignment.behaviour import BehaviourSignals, behaviour_signals, resolve_zone
from alignment.ledger import (
    CheckinRecord,
    Ledger,
    ModulePreferences,
    NudgeRecord,
    NudgeResponse,
    PersonRecord,
    Tone,
)
from alignment.ledger.models import as_utc

NOTICE_DAYS = 7
NUDGE_DAYS = 30
HISTORY_DAYS = 31
MAX_MEMORIES = 10
MAX_NUDGES = 5
UNREMARKABLE = frozenset({"goodbye"})
"""Signals that fire on ordinary turns and say nothing about how someone is doing."""


class SignalNotice(BaseModel):
    """A signal that fired on ``days`` distinct local days out of the last ``window_days``."""

    model_config = ConfigDict(frozen=True)

    signal: str
    days: int
    window_days: int
    last_seen: datetime


class KnownPerson(BaseModel):
    """Someone in the person's life, from the ledger or injected by the caller."""

    model_config = ConfigDict(frozen=True)

    name: str
    relation: str | None = None
    tone: Tone | None = None
    mentions: int | None = None
    last_mentioned: datetime | None = None


class RelationshipState(BaseModel):
    """Everything the transparency summary is written from."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    generated_at: datetime
    is_new: bool
    first_seen: datetime | None = None
    total_turns: int = 0
    total_sessions: int = 0
    behaviour: BehaviourSignals
    memories: list[str] = Field(default_factory=list)
    noticed: list[SignalNotice] = Field(default_factory=list)
    nudges: list[NudgeRecord] = Field(default_factory=list)
    people: list[KnownPerson] = Field(default_factory=list)
    checkins: list[CheckinRecord] = Field(default_factory=list)
    preferences: ModulePreferences = Field(default_factory=ModulePreferences)


def _known(person: PersonRecord | KnownPerson | Mapping[str, Any]) -> KnownPerson:
    if isinstance(person, KnownPerson):
        return person
    if isinstance(person, PersonRecord):
        return KnownPerson(
            name=person.name,
            relation=person.relation,
            tone=person.tone,
            mentions=person.mentions,
            last_mentioned=person.last_mentioned,
        )
    return KnownPerson.model_validate(dict(person))


def merge_people(
    recorded: Iterable[PersonRecord],
    extra: Iterable[PersonRecord | KnownPerson | Mapping[str, Any]],
) -> list[KnownPerson]:
    """Ledger people first; injected people fill gaps (same name, any case, is one person)."""
    merged: dict[str, KnownPerson] = {}
    for p in [*map(_known, recorded), *map(_known, extra)]:
        key = p.name.strip().casefold()
        old = merged.get(key)
        if old is None:
            merged[key] = p
        else:
            filled = {k: v for k, v in p.model_dump().items() if getattr(old, k) is None}
            merged[key] = old.model_copy(update=filled)
    return list(merged.values())


def noticed_signals(
    turns: Iterable[Any], now: datetime, zone: tzinfo, days: int = NOTICE_DAYS
) -> list[SignalNotice]:
    """For each signal that fired in the last ``days`` local days: on how many of them."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    seen: dict[str, set[Any]] = {}
    last: dict[str, datetime] = {}
    for turn in turns:
        local_day = turn.at.astimezone(zone).date()
        if not first <= local_day <= today:
            continue
        for name in turn.fired:
            if name in UNREMARKABLE:
                continue
            seen.setdefault(name, set()).add(local_day)
            last[name] = max(last.get(name, turn.at), turn.at)
    notices = [
        SignalNotice(signal=n, days=len(d), window_days=days, last_seen=last[n])
        for n, d in seen.items()
    ]
    return sorted(notices, key=lambda x: (-x.days, x.signal))


def _latest_per_instrument(checkins: Iterable[CheckinRecord]) -> list[CheckinRecord]:
    latest: dict[str, CheckinRecord] = {}
    for c in checkins:
        if c.instrument not in latest or c.at >= latest[c.instrument].at:
            latest[c.instrument] = c
    return sorted(latest.values(), key=lambda c: c.instrument)


def build_state(
    ledger: Ledger,
    user_id: str,
    *,
    memories: Iterable[str] = (),
    people: Iterable[PersonRecord | KnownPerson | Mapping[str, Any]] = (),
    now: datetime | None = None,
    timezone: str | None = None,
) -> RelationshipState:
    """Gather the relationship state for ``user_id`` as of ``now``."""
    now = as_utc(now or datetime.now(UTC), "now")
    zone, _, _ = resolve_zone(timezone)
    stats = ledger.stats(user_id)
    times = ledger.turn_times(user_id, since=now - timedelta(days=HISTORY_DAYS))
    recent = ledger.fired_signals(user_id, since=now - timedelta(days=NOTICE_DAYS + 1))
    texts = [m.strip() for m in memories if isinstance(m, str) and m.strip()]
    known = merge_people(ledger.people(user_id), people)
    nudges = ledger.nudges(user_id, since=now - timedelta(days=NUDGE_DAYS))
    checkins = _latest_per_instrument(ledger.checkins(user_id))
    return RelationshipState(
        user_id=user_id,
        generated_at=now,
        is_new=stats.turns == 0 and not (texts or known or nudges or checkins),
        first_seen=stats.first_seen,
        total_turns=stats.turns,
        total_sessions=stats.sessions,
        behaviour=behaviour_signals(times, now, timezone, first_seen=stats.first_seen),
        memories=texts,
        noticed=noticed_signals(recent, now, zone),
        nudges=nudges,
        people=known,
        checkins=checkins,
        preferences=ledger.preferences(user_id),
    )


# -- the summary ------------------------------------------------------------------------------

SIGNAL_PHRASES = {
    "loneliness": "mentioned feeling lonely",
    "distress": "sounded low or stressed",
    "crisis": "said things that made me worried for your safety",
    "ai_preference": "said you would rather talk to me than to people",
    "social_withdrawal": "talked about pulling back from people",
    "dependence": "said you rely on me a lot",
    "decision_delegation": "asked me to make a decision for you",
    "validation_seeking": "looked to me for reassurance",
    "romantic_attachment": "talked about romantic feelings toward me",
    "anthropomorphism": "talked about me as if I were a person",
}

NUDGE_PHRASES = {
    "reach_out": "get in touch with someone you trust",
    "take_break": "take a break",
    "break": "take a break",
    "sleep": "get some sleep",
    "decide_yourself": "make that decision in your own way",
    "professional_help": "talk to a professional",
    "checkin": "answer a short check-in",
    "activity": "do something you enjoy away from the screen",
}

RESPONSE_PHRASES = {
    NudgeResponse.taken_up: "You took it up.",
    NudgeResponse.dismissed: "You let it pass, which is completely fine.",
    NudgeResponse.opted_out: "You asked me not to suggest that again, and I won't.",
    NudgeResponse.pending: "You haven't said either way.",
}

MODULE_PHRASES = {
    "autonomy": "support for making your own choices",
    "wellbeing": "wellbeing suggestions",
    "social": "encouragement to connect with people",
    "transparency": "these summaries",
}

TONE_PHRASES = {Tone.warm: "you sounded warm about them", Tone.strained: "things sounded strained"}

_MINUTES_WORDS = ((1, "a minute or so"), (5, "a few minutes"))


def _words(name: str) -> str:
    return name.replace("_", " ").replace("-", " ").strip()


def _minutes(m: float) -> str:
    for limit, words in _MINUTES_WORDS:
        if m <= limit:
            return words
    if m < 90:
        return f"about {round(m)} minutes"
    return f"about {m / 60:.1f} hours".replace(".0 hours", " hours")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _day(at: datetime, zone: tzinfo, now: datetime) -> str:
    d, today = at.astimezone(zone), now.astimezone(zone).date()
    if d.date() == today:
        return "today"
    if d.date() == today - timedelta(days=1):
        return "yesterday"
    return f"{d:%a} {d.day} {d:%b}"


def _talking(b: BehaviourSignals) -> list[str]:
    lines = []
    if b.days_active_7 == 0:
        return ["We haven't talked in the past week."]
    days = "every day" if b.days_active_7 == 7 else f"on {b.days_active_7} of the last 7 days"
    lines.append(f"We have talked {days}, {_minutes(b.minutes_per_day_7)} a day on average.")
    if b.trend == "rising":
        lines.append("That is more than in the weeks before.")
    elif b.trend == "falling":
        lines.append("That is less than in the weeks before.")
    if b.median_session_minutes_30 is not None and b.usual_time_of_day is not None:
        when = (
            "late at night" if b.usual_time_of_day == "night" else f"in the {b.usual_time_of_day}"
        )
        lines.append(
            f"Our conversations usually last {_minutes(b.median_session_minutes_30)}, "
            f"mostly {when}."
        )
    if b.late_night_days_7:
        nights = "one night" if b.late_night_days_7 == 1 else f"{b.late_night_days_7} nights"
        lines.append(f"On {nights} this past week we were still talking late.")
    if b.in_session and b.session_minutes >= 60:
        lines.append(f"Right now we have been talking for {_minutes(b.session_minutes)}.")
    return lines


def _noticed(state: RelationshipState, zone: tzinfo) -> list[str]:
    lines = []
    for n in state.noticed:
        span = f"on {n.days} of the last {n.window_days} days"
        phrase = SIGNAL_PHRASES.get(n.signal)
        if phrase:
            lines.append(f"You have {phrase} {span}.")
        else:
            lines.append(f"Something I keep track of as “{_words(n.signal)}” came up {span}.")
    for c in state.checkins:
        lines.append(
            f"Your latest {_words(c.instrument)} check-in "
            f"({_day(c.at, zone, state.generated_at)}) came to {c.score:g}."
        )
    return lines


def _encouraged(state: RelationshipState, zone: tzinfo) -> list[str]:
    lines = []
    for n in state.nudges[-MAX_NUDGES:]:
        what = NUDGE_PHRASES.get(n.kind)
        offer = f"I suggested you {what}" if what else f"I offered a nudge about {_words(n.kind)}"
        why = n.why.strip().rstrip(".")
        when = _day(n.at, zone, state.generated_at)
        answer = RESPONSE_PHRASES[n.response]
        lines.append(f"{when[:1].upper()}{when[1:]}: {offer}, because {why}. {answer}")
    return lines


def _relation(relation: str | None) -> str | None:
    """'my sister' and 'Sister' both read as 'your sister'."""
    if not relation:
        return None
    words = relation.strip().split()
    if words and words[0].lower() in ("my", "your", "a", "the"):
        words = words[1:]
    return " ".join(words).lower() or None


def _people(state: RelationshipState) -> list[str]:
    lines = []
    for p in state.people:
        relation = _relation(p.relation)
        who = f"{p.name}, your {relation}" if relation else p.name
        bits = []
        if p.mentions:
            bits.append(f"you have mentioned them {_times(p.mentions)}")
        if p.tone in TONE_PHRASES:
            bits.append(f"last time {TONE_PHRASES[p.tone]}")
        lines.append(f"{who}: {'; '.join(bits)}." if bits else f"{who}.")
    return lines


def _choices(prefs: ModulePreferences) -> list[str]:
    lines = []
    off = [MODULE_PHRASES.get(m, _words(m)) for m, on in prefs.modules.items() if not on]
    if off:
        lines.append(f"You switched off {', '.join(off)}.")
    if prefs.opted_out:
        kinds = [NUDGE_PHRASES.get(k, _words(k)) for k in prefs.opted_out]
        lines.append(f"You asked me not to suggest: {'; '.join(kinds)}.")
    if prefs.nudge_frequency != "normal":
        more = "fewer" if prefs.nudge_frequency == "low" else "more"
        lines.append(f"You asked for {more} suggestions than usual.")
    return lines


def _section(title: str, lines: list[str], bullets: bool = True) -> str:
    body = "\n".join(f"- {x}" if bullets else x for x in lines)
    return f"{title}\n{body}"


def summarise(state: RelationshipState) -> str:
    """A short, plain-language summary of the relationship, written to the person."""
    zone, _, _ = resolve_zone(state.behaviour.timezone, warn=False)
    if state.is_new:
        return (
            "We have only just met, so there is nothing much here yet.\n"
            "As we talk, this is where you will see what I remember about you, how we have "
            "been talking, anything I have noticed or suggested, and the people you tell me "
            "about. You can ask me to change or forget any of it at any time."
        )
    parts = []
    memories = state.memories[:MAX_MEMORIES]
    if memories:
        more = len(state.memories) - len(memories)
        extra = [f"…and {more} more."] if more > 0 else []
        parts.append(_section("What I remember about you", memories + extra))
    else:
        none_yet = ["I am not holding any memories about you yet."]
        parts.append(_section("What I remember about you", none_yet, bullets=False))
    parts.append(_section("How we have been talking", _talking(state.behaviour), bullets=False))
    noticed = _noticed(state, zone)
    if noticed:
        parts.append(_section("What I have noticed", noticed))
    encouraged = _encouraged(state, zone)
    if encouraged:
        parts.append(_section("What I have encouraged, and why", encouraged))
    people = _people(state)
    if people:
        parts.append(_section("The people in your life you have told me about", people))
    choices = _choices(state.preferences)
    if choices:
        parts.append(_section("Your choices", choices, bullets=False))
    parts.append(
        "If any of this is wrong, tell me. You can ask me to forget any of it, "
        "and turn my suggestions down or off whenever you like."
    )
    return "\n\n".join(parts)
