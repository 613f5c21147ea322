"""Split a person's message times into sessions.

A session is a run of messages where no two neighbours are more than ``SESSION_GAP`` apart.
It is a pure function so the ledger and the behavioural signals agree on what a session is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from alignment.ledger.models import SessionRecord

SESSION_GAP = timedelta(minutes=30)


def sessions_from_times(
    times: Iterable[datetime], gap: timedelta = SESSION_GAP
) -> list[SessionRecord]:
    """Sessions (oldest first) covering ``times``; a gap of exactly ``gap`` stays in one session."""
    ordered = sorted(times)
    out: list[SessionRecord] = []
    if not ordered:
        return out
    start = end = ordered[0]
    count = 1
    for t in ordered[1:]:
        if t - end > gap:
            out.append(SessionRecord(start=start, end=end, turns=count))
            start, count = t, 0
        end = t
        count += 1
    out.append(SessionRecord(start=start, end=end, turns=count))
    return out
