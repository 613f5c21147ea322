"""The relationship dashboard's data: the plain-language summary and one table per chart.

Pure functions of ledger records and a time zone, so they are tested without a browser. Each
table covers every day of the window (zeros included), so a chart never silently skips days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo

import pandas as pd

from alignment.behaviour import is_late_night, resolve_zone, session_minutes
from alignment.ledger import Ledger, NudgeRecord, SessionRecord, TurnRecord
from alignment.state import build_state, summarise

DAYS = 14
UNREMARKABLE = frozenset({"goodbye"})  # fires on ordinary turns; says nothing about wellbeing
OUTCOME_WORDS = {
    "pending": "no answer yet",
    "taken_up": "taken up",
    "dismissed": "let pass",
    "opted_out": "turned off",
}


def _days(today: date, days: int) -> list[date]:
    return [today - timedelta(days=days - 1 - i) for i in range(days)]


def daily_usage(
    sessions: Iterable[SessionRecord], zone: tzinfo, today: date, days: int = DAYS
) -> pd.DataFrame:
    """Conversations (sessions) started per local day and their total minutes."""
    counts: dict[date, int] = defaultdict(int)
    minutes: dict[date, float] = defaultdict(float)
    for s in sessions:
        d = s.start.astimezone(zone).date()
        counts[d] += 1
        minutes[d] += session_minutes(s)
    rows = [
        {"day": d.isoformat(), "conversations": counts[d], "minutes": round(minutes[d], 1)}
        for d in _days(today, days)
    ]
    return pd.DataFrame(rows)


def late_night_share(
    times: Iterable[datetime], zone: tzinfo, today: date, days: int = DAYS
) -> pd.DataFrame:
    """Per local day, the percentage of messages sent late at night (23:00-05:00)."""
    total: dict[date, int] = defaultdict(int)
    late: dict[date, int] = defaultdict(int)
    for at in times:
        d = at.astimezone(zone).date()
        total[d] += 1
        late[d] += is_late_night(at, zone)
    rows = [
        {
            "day": d.isoformat(),
            "late-night %": round(100 * late[d] / total[d], 1) if total[d] else 0.0,
        }
        for d in _days(today, days)
    ]
    return pd.DataFrame(rows)


def signal_trends(
    turns: Iterable[TurnRecord], zone: tzinfo, today: date, days: int = DAYS
) -> pd.DataFrame:
    """Per local day and signal, the day's highest score (0 on quiet days; signals that
    never rose are left out)."""
    first = today - timedelta(days=days - 1)
    best: dict[tuple[date, str], float] = {}
    for turn in turns:
        d = turn.at.astimezone(zone).date()
        if d < first or d > today:
            continue
        for name, score in turn.scores.items():
            if name in UNREMARKABLE:
                continue
            key = (d, name)
            best[key] = max(best.get(key, 0.0), float(score))
    names = sorted({n for (_, n), s in best.items() if s >= 0.05})
    days_seen = _days(today, days) if names else []
    rows = [
        {
            "day": d.isoformat(),
            "signal": n.replace("_", " "),
            "score": round(best.get((d, n), 0), 3),
        }
        for d in days_seen
        for n in names
    ]
    return pd.DataFrame(rows, columns=["day", "signal", "score"])


def nudge_outcomes(nudges: Iterable[NudgeRecord]) -> pd.DataFrame:
    """How many nudges of each kind were given, and what the person did with them."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for n in nudges:
        counts[
            (n.kind.replace("_", " "), OUTCOME_WORDS.get(n.response.value, n.response.value))
        ] += 1
    rows = [{"kind": k, "outcome": o, "nudges": c} for (k, o), c in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["kind", "outcome", "nudges"])


def headline(sessions: list[SessionRecord], turns: int, memories: int, nudges: list) -> str:
    taken = sum(1 for n in nudges if n.response.value == "taken_up")
    minutes = [session_minutes(s) for s in sessions]
    avg = sum(minutes) / len(minutes) if minutes else 0
    cards = [
        (str(len(sessions)), "conversations"),
        (f"{avg:.0f} min", "average length"),
        (str(turns), "messages"),
        (str(memories), "memories kept"),
        (f"{taken}/{len(nudges)}", "suggestions taken up"),
    ]
    return "".join(
        f'<div class="stat"><div class="stat-value">{v}</div>'
        f'<div class="stat-label">{k}</div></div>'
        for v, k in cards
    )


class DashboardData:
    """Everything the dashboard shows for one person, as of ``now``."""

    def __init__(
        self,
        ledger: Ledger,
        user_id: str,
        memories: list[str],
        people: list,
        timezone: str | None,
        now: datetime | None = None,
        days: int = DAYS,
    ) -> None:
        now = now or datetime.now(UTC)
        zone, _, _ = resolve_zone(timezone, warn=False)
        today = now.astimezone(zone).date()
        since = now - timedelta(days=days + 1)
        sessions = ledger.sessions(user_id, since=since)
        turns = ledger.turns(user_id, since=since)
        nudges = ledger.nudges(user_id, since=since)
        state = build_state(
            ledger, user_id, memories=memories, people=people, now=now, timezone=timezone
        )
        self.summary = summarise(state)
        self.usage = daily_usage(sessions, zone, today, days)
        self.late_night = late_night_share([t.at for t in turns], zone, today, days)
        self.signals = signal_trends(turns, zone, today, days)
        self.nudges = nudge_outcomes(nudges)
        self.cards = headline(sessions, len(turns), len(memories), nudges)
