"""The opt-in weekly reflection: a short look back at the week, written to the person.

It counts conversations and the people they mentioned; it never includes check-in scores
and it asks for nothing. A week without conversations gets no reflection at all (a note
saying "we didn't talk" would be a nudge to come back).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from pydantic import BaseModel, ConfigDict

WEEK = timedelta(days=7)


class WeekPerson(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    first_mentioned: datetime
    last_mentioned: datetime
    mentions: int


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def compose(
    session_starts: list[datetime], people: list[WeekPerson], now: datetime, zone: tzinfo
) -> str | None:
    """The reflection for the 7 days up to ``now``, or None when there is nothing to reflect on."""
    start = now - WEEK
    week = [s for s in session_starts if start <= s <= now]
    if not week:
        return None
    days = {s.astimezone(zone).date() for s in week}
    last = now.astimezone(zone)
    lines = [
        f"Your week up to {last:%A} {last.day} {last:%B}: we talked {_times(len(week))}, "
        f"on {len(days)} {'day' if len(days) == 1 else 'different days'}."
    ]
    named = []
    for p in sorted(people, key=lambda p: (-p.mentions, p.name.casefold())):
        if not start <= p.last_mentioned <= now:
            continue
        # Mentions are counted over all time; only a person first named this week has a
        # count that belongs to this week.
        named.append(f"{p.name} {_times(p.mentions)}" if p.first_mentioned >= start else p.name)
    if named:
        lines.append(f"You mentioned {_join(named[:5])}.")
    lines.append("This is just a look back; there is nothing you need to do with it.")
    return " ".join(lines)
