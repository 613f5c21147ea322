"""What each kind of job does when it is due: thin functions over the stores and pure logic.

Each takes the job context, the person and ``now`` (the due time's clock) and returns a short
outcome for the run record: counts and reasons, never message text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from alignment import checkins
from alignment.ledger import Tone
from companion.scheduler import proactive, reflection
from companion.scheduler.guarding import vet
from companion.scheduler.prefs import CarePreferences, zone_of

if TYPE_CHECKING:
    from companion.scheduler.service import JobContext

log = logging.getLogger(__name__)

Handler = Callable[["JobContext", str, datetime, CarePreferences], str]

CHECKIN_INVITE = (
    "A short check-in is ready whenever you like: four questions about how connected you have "
    "been feeling, about a minute. Run `companion checkin` or open the Check-in tab. "
    "Skipping it is completely fine."
)


def consolidate(ctx: JobContext, user_id: str, now: datetime, prefs: CarePreferences) -> str:
    if ctx.memory is None:
        return "skipped: no memory store in this process"
    done = ctx.memory.consolidate(user_id, now=now)
    return ", ".join(f"{k}={v}" for k, v in sorted(done.items()))


def relationship_state(ctx: JobContext, user_id: str, now: datetime, prefs: CarePreferences) -> str:
    from alignment.state import build_state

    state = build_state(
        ctx.ledger, user_id, now=now, timezone=prefs.timezone or ctx.default_timezone
    )
    # Counts and labels only: memories are not copied into the snapshot.
    ctx.care.save_snapshot(user_id, state.model_dump(mode="json", exclude={"memories"}), now)
    return f"recomputed: {state.total_turns} turns, {state.total_sessions} sessions"


def _post(ctx: JobContext, user_id: str, kind: str, text: str, why: str, now: datetime) -> str:
    checked, flagged = vet(ctx.guard(), text)
    if checked is None:
        return f"stayed silent: the guard flagged {', '.join(flagged)}"
    ctx.inbox.post(user_id, kind, checked, why, at=now)
    return "delivered to inbox" + (f" after removing {', '.join(flagged)}" if flagged else "")


def weekly_reflection(ctx: JobContext, user_id: str, now: datetime, prefs: CarePreferences) -> str:
    if not prefs.reflection:
        return "skipped: weekly reflection is off"
    zone = zone_of(prefs, ctx.default_timezone)
    since = now - reflection.WEEK
    starts = [s.start for s in ctx.ledger.sessions(user_id, since=since)]
    people = [
        reflection.WeekPerson(
            name=p.name,
            first_mentioned=p.first_mentioned,
            last_mentioned=p.last_mentioned,
            mentions=p.mentions,
        )
        for p in ctx.ledger.people(user_id)
    ]
    text = reflection.compose(starts, people, now, zone)
    if text is None:
        return "skipped: no conversations this week"
    why = "You turned on the weekly reflection."
    return _post(ctx, user_id, "reflection", text, why, now)


def checkin_invite(ctx: JobContext, user_id: str, now: datetime, prefs: CarePreferences) -> str:
    if not prefs.checkins:
        return "skipped: check-ins are off"
    if not checkins.is_available(checkins.last_checkin_at(ctx.ledger, user_id), now):
        return "skipped: the last check-in was less than two weeks ago"
    if ctx.inbox.messages(user_id, unread_only=True, kind="checkin"):
        return "skipped: an invitation is already waiting"
    why = "You opted in to a check-in at most every two weeks."
    return _post(ctx, user_id, "checkin", CHECKIN_INVITE, why, now)


def occasional_note(ctx: JobContext, user_id: str, now: datetime, prefs: CarePreferences) -> str:
    zone = zone_of(prefs, ctx.default_timezone)
    sent = [m.created_at for m in ctx.inbox.messages(user_id, kind="proactive")]
    waiting = len(ctx.inbox.messages(user_id, unread_only=True, kind="proactive"))
    times = ctx.ledger.turn_times(user_id, since=now - timedelta(days=7))
    history = proactive.History(
        sent=sent, unread_waiting=waiting, last_active=max(times) if times else None
    )
    decision = proactive.decide(prefs, history, now, zone)
    if not decision.send:
        return f"stayed silent: {decision.why}"
    mentions = [
        proactive.Mention(
            name=p.name, last_mentioned=p.last_mentioned, strained=p.tone == Tone.strained
        )
        for p in ctx.ledger.people(user_id)
    ]
    text = proactive.compose(user_id, mentions, now)
    return _post(ctx, user_id, "proactive", text, decision.why[:1].upper() + decision.why[1:], now)


HANDLERS: dict[str, Handler] = {
    "consolidate-nightly": consolidate,
    "consolidate-quiet": consolidate,
    "relationship-state": relationship_state,
    "reflection": weekly_reflection,
    "checkin-invite": checkin_invite,
    "proactive": occasional_note,
}
