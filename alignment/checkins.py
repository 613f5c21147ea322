"""Opt-in wellbeing check-ins: the 3-item UCLA loneliness scale and the direct question.

The person answers at most once every two weeks, may skip any question or the whole thing,
and sees the results as a trend of their own. Nothing here decides whether or when to message
them, and no score ever escalates anything: only the crisis signals do that.

Scoring: the three UCLA items (lack companionship, left out, isolated) are answered
hardly ever (1), some of the time (2) or often (3); their total runs 3-9 and is only stored when
all three were answered. "How often do you feel lonely?" is stored on its own 1-5 scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from alignment.ledger.models import CheckinRecord, as_utc

CHECKIN_INTERVAL = timedelta(days=14)
UCLA3 = "ucla3"
DIRECT = "loneliness_direct"
INSTRUMENTS = (UCLA3, DIRECT)


class Question(BaseModel):
    """One check-in question with its answer choices (value, label)."""

    model_config = ConfigDict(frozen=True)

    key: str
    instrument: str
    text: str
    choices: tuple[tuple[int, str], ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(v for v, _ in self.choices)


UCLA_CHOICES = ((1, "Hardly ever"), (2, "Some of the time"), (3, "Often"))
DIRECT_CHOICES = (
    (1, "Never"),
    (2, "Hardly ever"),
    (3, "Occasionally"),
    (4, "Some of the time"),
    (5, "Often or always"),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        key="lack_companionship",
        instrument=UCLA3,
        text="How often do you feel that you lack companionship?",
        choices=UCLA_CHOICES,
    ),
    Question(
        key="left_out",
        instrument=UCLA3,
        text="How often do you feel left out?",
        choices=UCLA_CHOICES,
    ),
    Question(
        key="isolated",
        instrument=UCLA3,
        text="How often do you feel isolated from others?",
        choices=UCLA_CHOICES,
    ),
    Question(
        key="lonely",
        instrument=DIRECT,
        text="How often do you feel lonely?",
        choices=DIRECT_CHOICES,
    ),
)
_BY_KEY = {q.key: q for q in QUESTIONS}
RANGES = {UCLA3: (3.0, 9.0), DIRECT: (1.0, 5.0)}


class CheckinError(ValueError):
    """A check-in answer is not one of the allowed choices, or a key is unknown."""


class CheckinTooSoon(CheckinError):
    """The last check-in was less than two weeks ago; ``available_at`` says when the next is."""

    def __init__(self, available_at: datetime) -> None:
        self.available_at = available_at
        super().__init__(
            "check-ins are spaced at least two weeks apart; the next one is available from "
            f"{available_at:%Y-%m-%d %H:%M} UTC"
        )


class Scored(BaseModel):
    """What one instrument contributes to the ledger: item answers and the total."""

    model_config = ConfigDict(frozen=True)

    instrument: str
    answers: dict[str, float]
    score: float


class TrendPoint(BaseModel):
    """One point of the series the UI draws: when, what score, and the instrument's range."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    instrument: str
    score: float
    low: float
    high: float


def score(answers: Mapping[str, int | None]) -> list[Scored]:
    """Validate answers (None = skipped) and score each instrument that can be scored.

    The UCLA total needs all three items; a partial UCLA set is not stored at all, so a
    skipped item never turns into a lower score. The direct question stands on its own.
    """
    clean: dict[str, int] = {}
    for key, value in answers.items():
        question = _BY_KEY.get(key)
        if question is None:
            raise CheckinError(f"unknown check-in question {key!r}")
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in question.values:
            allowed = ", ".join(str(v) for v in question.values)
            raise CheckinError(f"answer to {key!r} must be one of {allowed}, got {value!r}")
        clean[key] = value
    out: list[Scored] = []
    ucla_keys = [q.key for q in QUESTIONS if q.instrument == UCLA3]
    if all(k in clean for k in ucla_keys):
        items = {k: float(clean[k]) for k in ucla_keys}
        out.append(Scored(instrument=UCLA3, answers=items, score=sum(items.values())))
    if "lonely" in clean:
        value = float(clean["lonely"])
        out.append(Scored(instrument=DIRECT, answers={"lonely": value}, score=value))
    return out


class CheckinLedger(Protocol):
    """The part of ``alignment.ledger.Ledger`` check-ins use."""

    def record_checkin(
        self,
        user_id: str,
        instrument: str,
        answers: Mapping[str, float],
        score: float,
        at: datetime | None = None,
    ) -> CheckinRecord: ...

    def checkins(
        self, user_id: str, instrument: str | None = None, since: datetime | None = None
    ) -> list[CheckinRecord]: ...


def last_checkin_at(ledger: CheckinLedger, user_id: str) -> datetime | None:
    times = [c.at for c in ledger.checkins(user_id) if c.instrument in INSTRUMENTS]
    return max(times) if times else None


def available_from(last: datetime | None) -> datetime | None:
    """When the next check-in may be offered (None: now)."""
    return None if last is None else as_utc(last, "last check-in") + CHECKIN_INTERVAL


def is_available(last: datetime | None, now: datetime) -> bool:
    start = available_from(last)
    return start is None or as_utc(now, "now") >= start


def record(
    ledger: CheckinLedger, user_id: str, answers: Mapping[str, int | None], now: datetime
) -> list[CheckinRecord]:
    """Score and store one check-in; returns what was stored (empty when all were skipped).

    Refuses (``CheckinTooSoon``) within two weeks of the last one. Storing a score triggers
    nothing else, by design.
    """
    now = as_utc(now, "now")
    last = last_checkin_at(ledger, user_id)
    if not is_available(last, now):
        raise CheckinTooSoon(available_from(last))  # type: ignore[arg-type]
    return [
        ledger.record_checkin(user_id, s.instrument, s.answers, s.score, at=now)
        for s in score(answers)
    ]


def series(records: list[CheckinRecord] | list[Any], instrument: str = UCLA3) -> list[TrendPoint]:
    """The scores of one instrument over time, oldest first (for the UI's trend chart)."""
    low, high = RANGES.get(instrument, (float("nan"), float("nan")))
    points = [
        TrendPoint(at=r.at, instrument=r.instrument, score=r.score, low=low, high=high)
        for r in records
        if r.instrument == instrument
    ]
    return sorted(points, key=lambda p: p.at)


def trend(ledger: CheckinLedger, user_id: str, instrument: str = UCLA3) -> list[TrendPoint]:
    """The person's own trend for ``instrument``; what the UI's check-in panel shows."""
    if instrument not in INSTRUMENTS:
        raise CheckinError(f"unknown instrument {instrument!r}; use one of {INSTRUMENTS}")
    return series(ledger.checkins(user_id, instrument=instrument), instrument)
