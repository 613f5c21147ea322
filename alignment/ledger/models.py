"""Pydantic models for every row the ledger hands out.

The ledger stores numbers and labels about a person, never what they wrote: a turn keeps
signal scores, the names of signals that fired and the turn's trace, not the message text.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

ALWAYS_ON = frozenset({"safety", "guard"})
"""Parts no setting switches off: the crisis protocol and the output guard."""

NudgeFrequency = Literal["low", "normal", "high"]


def as_utc(value: datetime, what: str = "timestamp") -> datetime:
    """Return ``value`` in UTC; a naive datetime is refused because its zone is a guess."""
    if not isinstance(value, datetime):
        raise TypeError(f"{what} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{what} must be timezone-aware (got naive {value.isoformat()})")
    return value.astimezone(UTC)


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Tone(StrEnum):
    """How the person sounded the last time they mentioned someone."""

    warm = "warm"
    strained = "strained"
    neutral = "neutral"


class NudgeResponse(StrEnum):
    """What the person did with a nudge."""

    pending = "pending"
    taken_up = "taken_up"
    dismissed = "dismissed"
    opted_out = "opted_out"


class FiredSignals(_Row):
    """One turn's time and the signals that fired in it (a slim view of ``TurnRecord``)."""

    at: datetime
    fired: list[str] = Field(default_factory=list)

    @field_validator("at")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return as_utc(v, "turn time")


class TurnRecord(_Row):
    turn_id: str
    thread_id: str
    at: datetime
    scores: dict[str, float] = Field(default_factory=dict)
    fired: list[str] = Field(default_factory=list)
    trace: dict[str, Any] = Field(default_factory=dict)

    @field_validator("at")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return as_utc(v, "turn time")

    @field_validator("scores")
    @classmethod
    def _finite(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k, s in v.items() if not math.isfinite(s)]
        if bad:
            raise ValueError(f"signal scores must be finite numbers: {bad}")
        return v


class SessionRecord(_Row):
    """A stretch of use with no gap longer than the session gap (30 minutes)."""

    # ``duration_seconds`` is in every dump; reading a dump back must accept it.
    model_config = ConfigDict(frozen=True, extra="ignore")

    start: datetime
    end: datetime
    turns: int

    @field_validator("start", "end")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return as_utc(v, "session time")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duration_seconds(self) -> float:
        return (self.end - self.start).total_seconds()


class LedgerStats(_Row):
    """Counts over a person's whole history, without loading all of it."""

    turns: int = 0
    sessions: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None


class PersonRecord(_Row):
    """Someone in the person's life they have told the companion about."""

    name: str
    relation: str | None = None
    first_mentioned: datetime
    last_mentioned: datetime
    tone: Tone = Tone.neutral
    mentions: int = Field(1, ge=1)

    @field_validator("first_mentioned", "last_mentioned")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return as_utc(v, "mention time")


class NudgeRecord(_Row):
    id: str
    kind: str
    module: str
    why: str
    at: datetime
    response: NudgeResponse = NudgeResponse.pending
    responded_at: datetime | None = None

    @field_validator("at", "responded_at")
    @classmethod
    def _utc(cls, v: datetime | None) -> datetime | None:
        return None if v is None else as_utc(v, "nudge time")


class CheckinRecord(_Row):
    """One answered check-in questionnaire (e.g. a short loneliness scale)."""

    id: str
    instrument: str
    answers: dict[str, float]
    score: float
    at: datetime

    @field_validator("at")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return as_utc(v, "check-in time")


class ModulePreferences(_Row):
    """What the person chose about the alignment modules.

    ``modules`` holds only explicit choices; a module never mentioned is on.
    """

    modules: dict[str, bool] = Field(default_factory=dict)
    opted_out: list[str] = Field(default_factory=list)
    nudge_frequency: NudgeFrequency = "normal"

    def is_enabled(self, module: str) -> bool:
        return module in ALWAYS_ON or self.modules.get(module, True)

    def allows(self, nudge_kind: str) -> bool:
        return nudge_kind not in self.opted_out


class CrisisReferralCount(_Row):
    """Anonymous tally for public reporting: a day, a locale and a number, nothing else."""

    day: date
    locale: str
    count: int


class UserExport(_Row):
    """Everything the ledger holds about one person (the anonymous crisis tally excluded)."""

    format: Literal["ledger/1"] = "ledger/1"
    sessions: list[SessionRecord] = Field(default_factory=list)
    turns: list[TurnRecord] = Field(default_factory=list)
    people: list[PersonRecord] = Field(default_factory=list)
    nudges: list[NudgeRecord] = Field(default_factory=list)
    checkins: list[CheckinRecord] = Field(default_factory=list)
    preferences: ModulePreferences = Field(default_factory=ModulePreferences)
    last_disclosed_at: datetime | None = None

    @field_validator("last_disclosed_at")
    @classmethod
    def _utc(cls, v: datetime | None) -> datetime | None:
        return None if v is None else as_utc(v, "disclosure time")
