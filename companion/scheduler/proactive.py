"""Occasional messages the person turned on: whether to send one now, and what it says.

``decide`` is a pure function of the person's choices, what was already sent and ``now``:
off unless opted in, never in quiet hours (in the person's zone, across midnight), never
more than their weekly cap over the last 7 days, spaced out, and silent when there is no
reason to write (we talked recently, an earlier note is still unread). Check-in scores are
not an input, on purpose: they never drive contact.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, tzinfo

from pydantic import BaseModel, ConfigDict, Field

from companion.scheduler.prefs import CarePreferences, in_quiet_hours

WEEK = timedelta(days=7)
RECENTLY_TALKED = timedelta(days=2)
TOPIC_WINDOW = timedelta(days=7)


class History(BaseModel):
    """What the decision needs to know about the past; all times aware."""

    model_config = ConfigDict(frozen=True)

    sent: list[datetime] = Field(default_factory=list)
    unread_waiting: int = 0
    last_active: datetime | None = None


class Decision(BaseModel):
    model_config = ConfigDict(frozen=True)

    send: bool
    why: str


def spacing(max_per_week: int) -> timedelta:
    """The least time between two notes, so a cap of 3 is not spent on three days in a row."""
    return WEEK / max(1, max_per_week)


def _clock(t) -> str:  # noqa: ANN001
    return t.strftime("%H:%M")


def decide(prefs: CarePreferences, history: History, now: datetime, zone: tzinfo) -> Decision:
    """May the companion leave an occasional note now? Always says why."""
    if not prefs.proactive:
        return Decision(send=False, why="occasional messages are off until you turn them on")
    local = now.astimezone(zone)
    if in_quiet_hours(local, prefs.quiet_start, prefs.quiet_end):
        window = f"{_clock(prefs.quiet_start)}-{_clock(prefs.quiet_end)}"
        return Decision(send=False, why=f"it is within your quiet hours ({window})")
    last_week = [t for t in history.sent if now - WEEK < t <= now]
    if len(last_week) >= prefs.max_per_week:
        return Decision(
            send=False,
            why=f"you chose at most {prefs.max_per_week} a week and {len(last_week)} went out "
            "in the last 7 days",
        )
    if last_week and now - max(last_week) < spacing(prefs.max_per_week):
        return Decision(send=False, why="the last note was recent; notes are spread over the week")
    if history.unread_waiting:
        return Decision(send=False, why="an earlier note is still unread; no need to add another")
    if history.last_active is not None and now - history.last_active < RECENTLY_TALKED:
        return Decision(send=False, why="we talked recently, so there is nothing to add")
    return Decision(
        send=True, why=f"you turned on occasional notes (at most {prefs.max_per_week} a week)"
    )


# -- the note itself --------------------------------------------------------------------------

_ABOUT_SOMEONE = (
    "You mentioned {name} this week. I hope things with them are going well. No need to reply.",
    "I was glad to hear about {name}. Hope you two get some good time together soon. "
    "No need to reply.",
)
_GENERAL = (
    "Hope your week is treating you kindly. If something you're looking forward to is coming "
    "up, I hope it goes well. No need to reply.",
    "A small note to say I hope the days are going gently. Whatever you're up to, enjoy it. "
    "No need to reply.",
)


class Mention(BaseModel):
    """Someone the person talked about, as the note may refer to them."""

    model_config = ConfigDict(frozen=True)

    name: str
    last_mentioned: datetime
    strained: bool = False


def _pick(options: tuple[str, ...], seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return options[digest[0] % len(options)]


def compose(user_id: str, mentions: list[Mention], now: datetime) -> str:
    """A gentle, no-pressure note; names someone from this week when there is someone to name.

    People the person sounded strained about are left out: an unprompted note is not the place.
    """
    recent = [m for m in mentions if now - m.last_mentioned <= TOPIC_WINDOW and not m.strained]
    seed = f"{user_id}:{now.date().isoformat()}"
    if recent:
        name = max(recent, key=lambda m: m.last_mentioned).name
        return _pick(_ABOUT_SOMEONE, seed).format(name=name)
    return _pick(_GENERAL, seed)
