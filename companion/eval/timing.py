"""Scenario time: ``start`` and per-turn ``at`` specs turned into aware UTC datetimes.

Specs: ``"day 3 02:10"`` (day 1 is the scenario's first day), ``"+25m"`` / ``"+2h"`` /
``"+1d"`` (after the previous turn). A turn without ``at`` comes one minute after the one
before it. Every scenario starts on the same fixed Monday, so runs are reproducible.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

EPOCH = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
DEFAULT_STEP = timedelta(minutes=1)

_DAY = re.compile(r"^day\s+(\d{1,3})\s+(\d{1,2}):(\d{2})$", re.I)
_OFFSET = re.compile(r"^\+\s*(\d{1,4})\s*(m|min|h|d)$", re.I)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days"}


class TimeSpecError(ValueError):
    """A time spec that is not ``day N HH:MM`` or ``+N(m|h|d)``."""


def parse_day(spec: str) -> datetime:
    match = _DAY.match(spec.strip())
    if not match:
        raise TimeSpecError(f"{spec!r} is not 'day N HH:MM'")
    day, hour, minute = (int(g) for g in match.groups())
    if day < 1 or hour > 23 or minute > 59:
        raise TimeSpecError(f"{spec!r}: day starts at 1, hours 0-23, minutes 0-59")
    return EPOCH + timedelta(days=day - 1, hours=hour, minutes=minute)


def next_time(spec: str | None, previous: datetime | None, start: datetime) -> datetime:
    """The time of a turn, given its spec and the previous turn's time (None: first turn)."""
    if spec is None:
        return start if previous is None else previous + DEFAULT_STEP
    spec = spec.strip()
    offset = _OFFSET.match(spec)
    if offset:
        amount, unit = int(offset.group(1)), offset.group(2).lower()
        base = start if previous is None else previous
        return base + timedelta(**{_UNITS[unit]: amount})
    return parse_day(spec)


def turn_times(start_spec: str, specs: list[str | None]) -> list[datetime]:
    """All turn times of a scenario; they must never go back in time."""
    start = parse_day(start_spec)
    times: list[datetime] = []
    for i, spec in enumerate(specs, 1):
        at = next_time(spec, times[-1] if times else None, start)
        if times and at < times[-1]:
            raise TimeSpecError(f"turn {i} ({spec!r}) is earlier than the turn before it")
        times.append(at)
    return times


class ScenarioClock:
    """The turn clock the companion reads: set to each turn's time before the turn runs."""

    def __init__(self, now: datetime = EPOCH) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
