"""The ledger's tables, in SQLAlchemy Core so the same code runs on SQLite and PostgreSQL.

Every per-person table carries ``user_id`` and every query filters on it. The crisis tally
is the one table without it, on purpose: it is an anonymous count for public reporting.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (portable) and hands back timezone-aware UTC datetimes."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the ledger stores timezone-aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


ID = 128  # length of user, thread, turn and other identifiers
metadata = sa.MetaData()


def _user() -> sa.Column[str]:
    return sa.Column("user_id", sa.String(ID), nullable=False)


sessions = sa.Table(
    "ledger_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _user(),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=False),
    sa.Column("turns", sa.Integer, nullable=False),
    sa.Index("ix_ledger_sessions_user_start", "user_id", "started_at"),
)

turns = sa.Table(
    "ledger_turns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _user(),
    sa.Column("thread_id", sa.String(ID), nullable=False),
    sa.Column("turn_id", sa.String(ID), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("scores", sa.JSON, nullable=False),
    sa.Column("fired", sa.JSON, nullable=False),
    sa.Column("trace", sa.JSON, nullable=False),
    sa.UniqueConstraint("user_id", "thread_id", "turn_id", name="uq_ledger_turns_key"),
    sa.Index("ix_ledger_turns_user_at", "user_id", "at"),
)

people = sa.Table(
    "ledger_people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _user(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("name_key", sa.String(200), nullable=False),
    sa.Column("relation", sa.String(200)),
    sa.Column("first_mentioned", UTCDateTime, nullable=False),
    sa.Column("last_mentioned", UTCDateTime, nullable=False),
    sa.Column("tone", sa.String(16), nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False),
    sa.UniqueConstraint("user_id", "name_key", name="uq_ledger_people_name"),
)

nudges = sa.Table(
    "ledger_nudges",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),  # keeps insert order
    sa.Column("id", sa.String(32), nullable=False, unique=True),
    _user(),
    sa.Column("kind", sa.String(ID), nullable=False),
    sa.Column("module", sa.String(ID), nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("response", sa.String(16), nullable=False),
    sa.Column("responded_at", UTCDateTime),
    sa.Index("ix_ledger_nudges_user_at", "user_id", "at"),
)

checkins = sa.Table(
    "ledger_checkins",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),  # keeps insert order
    sa.Column("id", sa.String(32), nullable=False, unique=True),
    _user(),
    sa.Column("instrument", sa.String(ID), nullable=False),
    sa.Column("answers", sa.JSON, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_ledger_checkins_user_at", "user_id", "at"),
)

module_settings = sa.Table(
    "ledger_module_settings",
    metadata,
    sa.Column("user_id", sa.String(ID), primary_key=True),
    sa.Column("module", sa.String(ID), primary_key=True),
    sa.Column("enabled", sa.Boolean, nullable=False),
)

nudge_optouts = sa.Table(
    "ledger_nudge_optouts",
    metadata,
    sa.Column("user_id", sa.String(ID), primary_key=True),
    sa.Column("kind", sa.String(ID), primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
)

user_settings = sa.Table(
    "ledger_user_settings",
    metadata,
    sa.Column("user_id", sa.String(ID), primary_key=True),
    sa.Column("nudge_frequency", sa.String(16), nullable=False, default="normal"),
    sa.Column("last_disclosed_at", UTCDateTime),
)

crisis_referrals = sa.Table(
    "ledger_crisis_referrals",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("locale", sa.String(16), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

PER_USER_TABLES = (
    sessions,
    turns,
    people,
    nudges,
    checkins,
    module_settings,
    nudge_optouts,
    user_settings,
)
