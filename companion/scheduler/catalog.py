"""The kinds of background job, why each exists (in words for the person), and when it runs.

A job id is ``<kind>:<user id>`` (a retry adds ``:retry-N``), so every job belongs to exactly one
person and can be listed, explained and cancelled for them. Cancelling a job switches off
the feature behind it, so it is not quietly re-created.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from companion.scheduler.errors import UnknownJobError
from companion.scheduler.prefs import CarePreferences

QUIET_AFTER = timedelta(minutes=35)
"""A session counts as quiet 30 minutes after the last message; a little slack on top."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class JobKind:
    name: str
    feature: str
    title: str
    grace: timedelta
    sends_something: bool

    def why(self, prefs: CarePreferences) -> str:
        return _WHY[self.name](prefs)


def _clock(t) -> str:  # noqa: ANN001
    return t.strftime("%H:%M")


_WHY = {
    "consolidate-nightly": lambda p: (
        "Each night I tidy what I remember about you: I summarise finished conversations, "
        "merge repeats and let old minor details fade. Nothing is sent to you."
    ),
    "consolidate-quiet": lambda p: (
        "Our last conversation went quiet, so I file what I remember from it. "
        "Nothing is sent to you."
    ),
    "relationship-state": lambda p: (
        "Once a day I recompute the overview you see with `companion state` (how often we "
        "talk, what I noticed). Nothing is sent to you."
    ),
    "reflection": lambda p: (
        f"You asked for a weekly reflection in your inbox, on {WEEKDAYS[p.reflection_weekday]}s "
        f"at {_clock(p.reflection_time)}. Weeks without conversations are skipped."
    ),
    "checkin-invite": lambda p: (
        "You opted in to a short loneliness check-in, offered at most every two weeks in your "
        "inbox. It is always skippable and never changes how often I write."
    ),
    "proactive": lambda p: (
        f"You turned on occasional notes: at most {p.max_per_week} a week, never between "
        f"{_clock(p.quiet_start)} and {_clock(p.quiet_end)}. I often decide to stay silent."
    ),
}

KINDS: dict[str, JobKind] = {
    k.name: k
    for k in (
        JobKind(
            "consolidate-nightly",
            "consolidation",
            "Memory tidy-up (nightly)",
            timedelta(hours=6),
            False,
        ),
        JobKind(
            "consolidate-quiet",
            "consolidation",
            "Memory tidy-up (after a conversation)",
            timedelta(hours=12),
            False,
        ),
        JobKind(
            "relationship-state",
            "state",
            "Relationship overview refresh (daily)",
            timedelta(hours=6),
            False,
        ),
        JobKind("reflection", "reflection", "Weekly reflection", timedelta(hours=12), True),
        JobKind(
            "checkin-invite",
            "checkins",
            "Check-in invitation (every two weeks)",
            timedelta(days=1),
            True,
        ),
        JobKind(
            "proactive",
            "proactive",
            "Occasional note (only if appropriate)",
            timedelta(hours=1),
            True,
        ),
    )
}
RECURRING = (
    "consolidate-nightly",
    "relationship-state",
    "reflection",
    "checkin-invite",
    "proactive",
)


def job_id(kind: str, user_id: str) -> str:
    return f"{kind}:{user_id}"


def retry_id(base_id: str, attempt: int) -> str:
    """Each retry has its own id, so a retry that fails again does not replace itself."""
    return f"{base_id}:retry-{attempt}"


def is_retry(ident: str) -> bool:
    return ":retry-" in ident


def kind_of(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownJobError(f"unknown job kind {name!r}; one of: {', '.join(KINDS)}") from None


def _minute(user_id: str, salt: str) -> int:
    """A stable minute per person, so nightly jobs of many people do not all start at once."""
    return hashlib.sha256(f"{salt}:{user_id}".encode()).digest()[0] % 60


def recurring_trigger(
    kind: str, prefs: CarePreferences, zone: tzinfo, user_id: str, now: datetime
) -> BaseTrigger:
    """The trigger of a recurring job, anchored at ``now`` (so fake clocks work in tests)."""
    if kind == "consolidate-nightly":
        return CronTrigger(hour=3, minute=_minute(user_id, kind), timezone=zone, start_date=now)
    if kind == "relationship-state":
        return CronTrigger(hour=4, minute=_minute(user_id, kind), timezone=zone, start_date=now)
    if kind == "reflection":
        t = prefs.reflection_time
        return CronTrigger(
            day_of_week=prefs.reflection_weekday,
            hour=t.hour,
            minute=t.minute,
            timezone=zone,
            start_date=now,
        )
    if kind == "checkin-invite":
        return IntervalTrigger(weeks=2, start_date=now + timedelta(days=1), timezone=zone)
    if kind == "proactive":
        return IntervalTrigger(hours=3, start_date=now + timedelta(hours=3), timezone=zone)
    raise UnknownJobError(f"{kind!r} is not a recurring job")


def quiet_trigger(last_message_at: datetime) -> DateTrigger:
    return DateTrigger(run_date=last_message_at + QUIET_AFTER)
