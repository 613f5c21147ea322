"""What the person chose about time-based care: opt-ins, weekly cap, quiet hours, time zone.

Everything that reaches out to the person is off until they turn it on. Background upkeep
(memory tidying, recomputing the overview) is on by default and can be cancelled.
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from companion.scheduler.errors import PreferenceError

OPT_INS = ("reflection", "checkins", "proactive")
"""Features that send the person something; all default to off."""
UPKEEP = ("consolidation", "state")
"""Quiet background work that sends nothing; on by default, cancellable."""
FEATURES = OPT_INS + UPKEEP


class CarePreferences(BaseModel):
    """One person's choices; stored as JSON so new fields get defaults on old rows."""

    model_config = ConfigDict(extra="ignore")

    reflection: bool = False
    checkins: bool = False
    proactive: bool = False
    consolidation: bool = True
    state: bool = True
    max_per_week: int = Field(2, ge=1, le=7)
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)
    timezone: str | None = None
    reflection_weekday: int = Field(6, ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    reflection_time: time = time(18, 0)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
        return value.strip()


def parse_quiet(text: str) -> tuple[time, time]:
    """'22:00-08:00' -> (22:00, 08:00). The window may cross midnight; equal ends are refused."""
    try:
        start_s, end_s = (part.strip() for part in text.split("-"))
        start, end = time.fromisoformat(start_s), time.fromisoformat(end_s)
    except ValueError:
        raise PreferenceError(
            f"quiet hours must look like 22:00-08:00 (24-hour clock), got {text!r}"
        ) from None
    if start == end:
        raise PreferenceError("quiet hours need a start and an end that differ")
    return start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)


def in_quiet_hours(local: datetime | time, start: time, end: time) -> bool:
    """Is this local wall-clock time inside [start, end)? Handles windows across midnight."""
    at = local.time() if isinstance(local, datetime) else local
    at = at.replace(tzinfo=None)
    if start < end:
        return start <= at < end
    return at >= start or at < end


def zone_of(prefs: CarePreferences, default: str | None = None) -> tzinfo:
    """The person's zone: their own choice, else the deployment's, else the machine's."""
    from alignment.behaviour import resolve_zone

    zone, _, _ = resolve_zone(prefs.timezone or default, warn=False)
    return zone
