"""Forget and import for one person: the writes behind the ``UserDataStore`` protocol.

Export is plain reading and lives on ``Ledger``; these two change many tables at once and
run inside the caller's transaction, so they happen entirely or not at all.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa

from alignment.ledger import rows
from alignment.ledger import schema as t
from alignment.ledger.models import UserExport


def delete_person_rows(conn: sa.Connection, user_id: str) -> int:
    """Delete every row about ``user_id`` in every per-person table; returns the count."""
    return sum(
        conn.execute(sa.delete(table).where(table.c.user_id == user_id)).rowcount
        for table in t.PER_USER_TABLES
    )


def _replace(
    conn: sa.Connection, table: sa.Table, key: sa.ColumnElement[bool], values: dict
) -> None:
    conn.execute(sa.delete(table).where(key))
    conn.execute(sa.insert(table).values(**values))


def _insert_with_id(conn: sa.Connection, table: sa.Table, user_id: str, values: dict) -> None:
    """Insert a row with a random id; keep the id unless another person's row holds it."""
    owner = conn.execute(
        sa.select(table.c.user_id).where(table.c.id == values["id"])
    ).scalar_one_or_none()
    if owner == user_id:
        conn.execute(sa.delete(table).where(table.c.id == values["id"]))
    elif owner is not None:
        values = {**values, "id": uuid.uuid4().hex}
    conn.execute(sa.insert(table).values(user_id=user_id, **values))


def import_rows(conn: sa.Connection, user_id: str, export: UserExport, now: datetime) -> int:
    """Merge an export into ``user_id``'s rows; same keys are replaced. Returns rows written.

    Sessions are recomputed from the turns rather than trusted from the file.
    """
    tc, pc = t.turns.c, t.people.c
    for turn in export.turns:
        key = sa.and_(
            tc.user_id == user_id, tc.thread_id == turn.thread_id, tc.turn_id == turn.turn_id
        )
        _replace(conn, t.turns, key, {"user_id": user_id, **rows.turn_values(turn)})
    for person in export.people:
        values = rows.person_values(person)
        key = sa.and_(pc.user_id == user_id, pc.name_key == values["name_key"])
        _replace(conn, t.people, key, {"user_id": user_id, **values})
    for nudge in export.nudges:
        _insert_with_id(conn, t.nudges, user_id, rows.nudge_values(nudge))
    for checkin in export.checkins:
        _insert_with_id(conn, t.checkins, user_id, rows.checkin_values(checkin))
    prefs = export.preferences
    for module, enabled in prefs.modules.items():
        rows.set_module(conn, user_id, module, enabled)
    for kind in prefs.opted_out:
        rows.add_opt_out(conn, user_id, kind, now)
    rows.set_user_settings(
        conn,
        user_id,
        nudge_frequency=prefs.nudge_frequency,
        last_disclosed_at=export.last_disclosed_at,
    )
    rows.rebuild_sessions(conn, user_id)
    return (
        len(export.turns)
        + len(export.people)
        + len(export.nudges)
        + len(export.checkins)
        + len(prefs.modules)
        + len(prefs.opted_out)
        + 1
    )
