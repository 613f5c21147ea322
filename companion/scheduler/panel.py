"""Plain-data functions for the UI's "Background" and "Check-in" panels.

The UI calls these with the ``Jobs`` service (``start_background_scheduler`` returns it) and
the ledger; each returns rows or a sentence to show, and raises only ``SchedulerError`` /
``CheckinError`` subclasses whose message can be shown as is.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alignment import checkins
from alignment.behaviour import resolve_zone
from companion.scheduler.prefs import parse_quiet
from companion.scheduler.service import Jobs

JOB_COLUMNS = ["id", "what", "next run", "writes to you", "why"]


def job_rows(jobs: Jobs, user_id: str) -> list[list[str]]:
    """One row per scheduled job (see ``JOB_COLUMNS``), times in the person's zone."""
    prefs = jobs.prefs(user_id)
    zone, _, _ = resolve_zone(prefs.timezone or jobs.ctx.default_timezone, warn=False)
    return [
        [
            j.id,
            j.title,
            "paused"
            if j.next_run is None
            else j.next_run.astimezone(zone).strftime("%a %d %b %H:%M"),
            "yes" if j.sends_you_something else "no",
            j.why,
        ]
        for j in jobs.list_jobs(user_id)
    ]


def cancel_job(jobs: Jobs, user_id: str, job_id: str) -> str:
    gone = jobs.cancel(user_id, job_id)
    return f"Cancelled: {', '.join(j.title for j in gone)}. You can turn it back on any time."


def care_settings(jobs: Jobs, user_id: str) -> dict[str, Any]:
    """The person's choices as plain values (quiet hours as 'HH:MM-HH:MM')."""
    p = jobs.prefs(user_id)
    return {
        "reflection": p.reflection,
        "checkins": p.checkins,
        "proactive": p.proactive,
        "consolidation": p.consolidation,
        "state": p.state,
        "max_per_week": p.max_per_week,
        "quiet_hours": f"{p.quiet_start:%H:%M}-{p.quiet_end:%H:%M}",
        "timezone": p.timezone,
    }


def update_care_settings(
    jobs: Jobs, user_id: str, *, quiet_hours: str | None = None, **changes: Any
) -> str:
    """Apply the panel's form; returns a confirmation sentence."""
    if quiet_hours is not None:
        changes["quiet_start"], changes["quiet_end"] = parse_quiet(quiet_hours)
    jobs.ensure_user(user_id)
    jobs.set_prefs(user_id, **changes)
    return "Saved. Your scheduled jobs now follow these choices."


def checkin_questions() -> list[dict[str, Any]]:
    """The four questions with their choices, for radio buttons (each may be left empty)."""
    return [
        {
            "key": q.key,
            "text": q.text,
            "choices": [{"value": v, "label": lab} for v, lab in q.choices],
        }
        for q in checkins.QUESTIONS
    ]


def submit_checkin(
    ledger: Any, user_id: str, answers: dict[str, int | None], now: datetime | None = None
) -> str:
    """Store a check-in from the panel; raises ``CheckinTooSoon`` within two weeks."""
    stored = checkins.record(ledger, user_id, answers, now or datetime.now(UTC))
    if not stored:
        return "Nothing saved; that is completely fine."
    return "Thank you. Saved; only you see these results, as a trend."


def checkin_series(ledger: Any, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """Both instruments' series for a line chart: {instrument: [{at, score, low, high}]}."""
    return {
        inst: [p.model_dump(mode="json") for p in checkins.trend(ledger, user_id, inst)]
        for inst in checkins.INSTRUMENTS
    }


def inbox_items(jobs: Jobs, user_id: str, *, mark_read: bool = True) -> list[dict[str, Any]]:
    """Unread messages (oldest first) as plain dicts; marks them read unless told not to."""
    waiting = jobs.ctx.inbox.unread(user_id)
    if mark_read and waiting:
        jobs.ctx.inbox.mark_read(user_id, [m.id for m in waiting])
    return [m.model_dump(mode="json") for m in waiting]
