"""Converting between table rows and models, and the writes shared by the API and import.

Every function takes an open connection and the person's ``user_id``; none of them opens a
transaction of its own, so callers compose them inside one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from alignment.ledger import schema as t
from alignment.ledger.models import (
    CheckinRecord,
    ModulePreferences,
    NudgeRecord,
    NudgeResponse,
    PersonRecord,
    Tone,
    TurnRecord,
)
from alignment.ledger.sessions import SESSION_GAP, sessions_from_times

# -- rows to models ---------------------------------------------------------------------------


def turn_of(r: sa.Row[Any]) -> TurnRecord:
    return TurnRecord(
        turn_id=r.turn_id,
        thread_id=r.thread_id,
        at=r.at,
        scores=r.scores,
        fired=r.fired,
        trace=r.trace,
    )


def person_of(r: sa.Row[Any]) -> PersonRecord:
    return PersonRecord(
        name=r.name,
        relation=r.relation,
        first_mentioned=r.first_mentioned,
        last_mentioned=r.last_mentioned,
        tone=Tone(r.tone),
        mentions=r.mentions,
    )


def nudge_of(r: sa.Row[Any]) -> NudgeRecord:
    return NudgeRecord(
        id=r.id,
        kind=r.kind,
        module=r.module,
        why=r.why,
        at=r.at,
        response=NudgeResponse(r.response),
        responded_at=r.responded_at,
    )


def checkin_of(r: sa.Row[Any]) -> CheckinRecord:
    return CheckinRecord(
        id=r.id, instrument=r.instrument, answers=r.answers, score=r.score, at=r.at
    )


# -- models to rows ---------------------------------------------------------------------------


def turn_values(rec: TurnRecord) -> dict[str, Any]:
    values = rec.model_dump(mode="json")  # JSON-safe scores, fired and trace
    values["at"] = rec.at
    return values


def person_values(rec: PersonRecord) -> dict[str, Any]:
    return {
        "name": rec.name,
        "name_key": rec.name.casefold(),
        "relation": rec.relation,
        "first_mentioned": rec.first_mentioned,
        "last_mentioned": rec.last_mentioned,
        "tone": rec.tone.value,
        "mentions": rec.mentions,
    }


def nudge_values(rec: NudgeRecord) -> dict[str, Any]:
    return rec.model_dump() | {"response": rec.response.value}


def checkin_values(rec: CheckinRecord) -> dict[str, Any]:
    return rec.model_dump()


# -- shared writes ----------------------------------------------------------------------------


def rebuild_sessions(
    conn: sa.Connection, user_id: str, lo: datetime | None = None, hi: datetime | None = None
) -> None:
    """Recompute the sessions touching [lo, hi] from the turns; all of them without bounds.

    Sessions are disjoint and more than the gap apart, so only those within a gap of the
    changed span can merge or split; everything else stays as it is.
    """
    s = t.sessions.c
    mine = s.user_id == user_id
    turns_of_user = t.turns.c.user_id == user_id
    if lo is None or hi is None:
        conn.execute(sa.delete(t.sessions).where(mine))
        window = turns_of_user
    else:
        near = sa.and_(mine, s.ended_at >= lo - SESSION_GAP, s.started_at <= hi + SESSION_GAP)
        rows = conn.execute(sa.select(s.id, s.started_at, s.ended_at).where(near)).all()
        lo = min([lo, *(r.started_at for r in rows)])
        hi = max([hi, *(r.ended_at for r in rows)])
        if rows:
            conn.execute(sa.delete(t.sessions).where(s.id.in_([r.id for r in rows])))
        window = sa.and_(turns_of_user, t.turns.c.at >= lo, t.turns.c.at <= hi)
    times = conn.execute(sa.select(t.turns.c.at).where(window)).scalars().all()
    fresh = [
        {"user_id": user_id, "started_at": x.start, "ended_at": x.end, "turns": x.turns}
        for x in sessions_from_times(times)
    ]
    if fresh:
        conn.execute(sa.insert(t.sessions), fresh)


def read_preferences(conn: sa.Connection, user_id: str) -> ModulePreferences:
    m, o, u = t.module_settings.c, t.nudge_optouts.c, t.user_settings.c
    modules = conn.execute(
        sa.select(m.module, m.enabled).where(m.user_id == user_id).order_by(m.module)
    ).all()
    kinds = conn.execute(sa.select(o.kind).where(o.user_id == user_id).order_by(o.kind))
    freq = conn.execute(
        sa.select(u.nudge_frequency).where(u.user_id == user_id)
    ).scalar_one_or_none()
    return ModulePreferences(
        modules={r.module: bool(r.enabled) for r in modules},
        opted_out=list(kinds.scalars()),
        nudge_frequency=freq or "normal",
    )


def set_module(conn: sa.Connection, user_id: str, module: str, enabled: bool) -> None:
    m = t.module_settings.c
    where = sa.and_(m.user_id == user_id, m.module == module)
    if conn.execute(sa.update(t.module_settings).where(where).values(enabled=enabled)).rowcount:
        return
    conn.execute(
        sa.insert(t.module_settings).values(user_id=user_id, module=module, enabled=enabled)
    )


def add_opt_out(conn: sa.Connection, user_id: str, kind: str, at: datetime) -> None:
    o = t.nudge_optouts.c
    exists = conn.execute(sa.select(o.kind).where(o.user_id == user_id, o.kind == kind)).first()
    if exists is None:
        conn.execute(sa.insert(t.nudge_optouts).values(user_id=user_id, kind=kind, at=at))


def set_user_settings(conn: sa.Connection, user_id: str, **values: Any) -> None:
    """Update the person's single settings row (nudge frequency, last disclosure)."""
    u = t.user_settings.c
    if conn.execute(
        sa.update(t.user_settings).where(u.user_id == user_id).values(**values)
    ).rowcount:
        return
    conn.execute(sa.insert(t.user_settings).values(user_id=user_id, **values))


def last_disclosure(conn: sa.Connection, user_id: str) -> datetime | None:
    u = t.user_settings.c
    q = sa.select(u.last_disclosed_at).where(u.user_id == user_id)
    return conn.execute(q).scalar_one_or_none()
