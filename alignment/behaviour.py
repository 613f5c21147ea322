"""Behavioural signals from message times alone: session length, late nights, usage trend, gaps.

These need no message text, so they are the signals a person can most easily check for
themselves. Everything is a pure function of the times and an injected ``now``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from pydantic import BaseModel, ConfigDict

from alignment.ledger.models import SessionRecord, as_utc
from alignment.ledger.sessions import SESSION_GAP, sessions_from_times

log = logging.getLogger(__name__)

LATE_NIGHT = (23, 5)
"""Local hours [start, end) counted as late at night; the window wraps past midnight."""
SESSION_FLOOR_MINUTES = 1.0
"""Minutes credited to every session on top of its span: a one-message visit still took time."""
TREND_MIN_DAYS = 14
"""Below this much history the usage trend is reported as ``new``."""

Trend = Literal["none", "new", "rising", "falling", "steady"]
DayPart = Literal["morning", "afternoon", "evening", "night"]
ZoneSource = Literal["given", "system", "utc_fallback"]


class Timed(Protocol):
    at: datetime


class BehaviourSignals(BaseModel):
    """What the timing of a person's messages says, as of ``now``."""

    model_config = ConfigDict(frozen=True)

    now: datetime
    timezone: str
    zone_source: ZoneSource
    in_session: bool
    session_minutes: float
    late_night_now: bool
    late_night_days_7: int
    minutes_today: float
    minutes_per_day_7: float
    minutes_per_day_30: float
    trend_7: float
    """Least-squares slope of minutes/day over the last 7 days (minutes/day per day)."""
    trend_30: float
    usage_ratio: float | None
    """Mean minutes/day of the last 7 days divided by that of the 23 days before."""
    trend: Trend
    days_active_7: int
    days_active_30: int
    visits_7: int
    median_session_minutes_30: float | None
    hours_since_previous_visit: float | None
    """In a session: the gap before it began. Otherwise: the time since the last message."""
    median_gap_hours_30: float | None
    usual_time_of_day: DayPart | None


# -- time zones -------------------------------------------------------------------------------


def _system_zone() -> tuple[tzinfo, str]:
    """The machine's zone, by IANA name when it can be found (so DST is right)."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name), name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    local = datetime.now().astimezone().tzinfo or UTC
    return local, str(local)


def resolve_zone(name: str | None, *, warn: bool = True) -> tuple[tzinfo, str, ZoneSource]:
    """Turn a zone setting into a tzinfo.

    No zone: the machine's own. An unknown or malformed zone: UTC, with a warning, because a
    wrong guess at someone's night is better than a crash.
    """
    if name is None or (isinstance(name, str) and not name.strip()):
        zone, label = _system_zone()
        return zone, label, "system"
    try:
        return ZoneInfo(str(name).strip()), str(name).strip(), "given"
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        if warn:
            log.warning("unknown time zone %r; using UTC for late-night and daily usage", name)
        return UTC, "UTC", "utc_fallback"


# -- helpers ----------------------------------------------------------------------------------


def _times(items: Iterable[datetime | Timed], now: datetime) -> list[datetime]:
    out = []
    for item in items:
        at = item if isinstance(item, datetime) else item.at
        at = as_utc(at, "message time")
        if at <= now:  # the future has not happened yet
            out.append(at)
    return sorted(out)


def is_late_night(at: datetime, zone: tzinfo, window: tuple[int, int] = LATE_NIGHT) -> bool:
    start, end = window
    hour = at.astimezone(zone).hour
    return hour >= start or hour < end if start > end else start <= hour < end


def _night_of(at: datetime, zone: tzinfo, window: tuple[int, int]) -> date:
    """The evening a late message belongs to: 01:00 on Tuesday is Monday night."""
    local = at.astimezone(zone)
    return local.date() - timedelta(days=1) if local.hour < window[1] else local.date()


def day_part(at: datetime, zone: tzinfo) -> DayPart:
    hour = at.astimezone(zone).hour
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 23:
        return "evening"
    return "night"


def session_minutes(s: SessionRecord) -> float:
    return s.duration_seconds / 60 + SESSION_FLOOR_MINUTES


def current_session(
    items: Iterable[datetime | Timed], now: datetime, gap: timedelta = SESSION_GAP
) -> SessionRecord | None:
    """The session still going at ``now`` (last message no more than ``gap`` ago), if any."""
    now = as_utc(now, "now")
    sessions = sessions_from_times(_times(items, now), gap)
    if sessions and now - sessions[-1].end <= gap:
        return sessions[-1]
    return None


def daily_minutes(
    sessions: Iterable[SessionRecord], zone: tzinfo, today: date, days: int
) -> list[float]:
    """Minutes of use per local day, oldest first, for the ``days`` days ending ``today``.

    A session counts on the local day it started.
    """
    first = today - timedelta(days=days - 1)
    out = [0.0] * days
    for s in sessions:
        d = s.start.astimezone(zone).date()
        if first <= d <= today:
            out[(d - first).days] += session_minutes(s)
    return out


def slope(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    fit = np.polyfit(np.arange(len(values), dtype=float), np.asarray(values, dtype=float), 1)
    return round(float(fit[0]), 6)  # drop float noise so "flat" reads as 0


def _trend(recent: float, earlier: float, history: timedelta | None) -> tuple[Trend, float | None]:
    ratio = recent / earlier if earlier > 0 else None
    if history is None:
        return "none", ratio
    if history < timedelta(days=TREND_MIN_DAYS):
        return "new", ratio
    if abs(recent - earlier) < 5:  # a few minutes a day either way is noise
        return "steady", ratio
    if ratio is None or ratio >= 1.5:
        return "rising", ratio
    if ratio <= 2 / 3:
        return "falling", ratio
    return "steady", ratio


# -- the signals ------------------------------------------------------------------------------


def behaviour_signals(
    items: Iterable[datetime | Timed],
    now: datetime | None = None,
    timezone: str | None = None,
    *,
    first_seen: datetime | None = None,
    late_night: tuple[int, int] = LATE_NIGHT,
) -> BehaviourSignals:
    """Compute the behavioural signals from message times (turns or datetimes).

    Pass at least the last 31 days of times; ``first_seen`` (the person's first message
    ever) lets the trend know about history older than what was passed.
    """
    now = as_utc(now or datetime.now(UTC), "now")
    zone, zone_name, source = resolve_zone(timezone)
    times = _times(items, now)
    sessions = sessions_from_times(times)
    today = now.astimezone(zone).date()

    live = sessions[-1] if sessions and now - sessions[-1].end <= SESSION_GAP else None
    month = daily_minutes(sessions, zone, today, 30)
    week = month[-7:]
    earlier = month[:-7]  # the 23 days before the last 7

    week_start = datetime.combine(today - timedelta(days=6), datetime.min.time(), zone)
    month_start = datetime.combine(today - timedelta(days=29), datetime.min.time(), zone)
    week_times = [x for x in times if x >= week_start]
    late_nights = {
        _night_of(x, zone, late_night) for x in week_times if is_late_night(x, zone, late_night)
    } - {today - timedelta(days=7)}  # 01:00 on the first day belongs to the night before it

    recent_sessions = [s for s in sessions if s.start >= month_start]
    gaps = [
        (b.start - a.end).total_seconds() / 3600
        for a, b in zip(sessions, sessions[1:], strict=False)
        if b.start >= month_start
    ]
    if live is not None:
        prev = sessions[-2] if len(sessions) > 1 else None
        prev_gap = (live.start - prev.end).total_seconds() / 3600 if prev else None
    else:
        prev_gap = (now - times[-1]).total_seconds() / 3600 if times else None

    first = min(
        [x for x in (first_seen, times[0] if times else None) if x is not None], default=None
    )
    recent_mean = sum(week) / 7
    # Days before the first message ever are not "less use", they are no relationship yet.
    first_day = first.astimezone(zone).date() if first else today
    month_first = today - timedelta(days=29)
    known = [m for i, m in enumerate(earlier) if month_first + timedelta(days=i) >= first_day]
    earlier_mean = sum(known) / len(known) if known else 0.0
    trend, ratio = _trend(recent_mean, earlier_mean, None if first is None else now - first)
    parts = Counter(day_part(x, zone) for x in times if x >= month_start)

    return BehaviourSignals(
        now=now,
        timezone=zone_name,
        zone_source=source,
        in_session=live is not None,
        session_minutes=(now - live.start).total_seconds() / 60 if live else 0.0,
        late_night_now=live is not None and is_late_night(now, zone, late_night),
        late_night_days_7=len(late_nights),
        minutes_today=month[-1],
        minutes_per_day_7=recent_mean,
        minutes_per_day_30=sum(month) / 30,
        trend_7=slope(week),
        trend_30=slope(month),
        usage_ratio=ratio,
        trend=trend,
        days_active_7=sum(1 for m in week if m > 0),
        days_active_30=sum(1 for m in month if m > 0),
        visits_7=sum(1 for s in sessions if s.start >= week_start),
        median_session_minutes_30=(
            statistics.median(session_minutes(s) for s in recent_sessions)
            if recent_sessions
            else None
        ),
        hours_since_previous_visit=prev_gap,
        median_gap_hours_30=statistics.median(gaps) if gaps else None,
        usual_time_of_day=parts.most_common(1)[0][0] if parts else None,
    )
