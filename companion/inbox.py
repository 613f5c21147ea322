"""The person's inbox: messages the companion left while they were away, shown in the app.

Nothing is pushed outside the app. A message waits here until the person reads it in the UI
or with ``companion inbox``. Each message carries why it was written (reflection, check-in
invitation, an occasional note the person turned on). The inbox is a ``UserDataStore``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, ValidationError

from alignment.ledger import LedgerError
from alignment.ledger.engine import make_engine, write
from alignment.ledger.schema import UTCDateTime

MAX_TEXT = 2000
KINDS = ("reflection", "checkin", "proactive", "notice")


class InboxError(ValueError):
    """The inbox cannot do what was asked; the message says why."""


class InboxMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    text: str
    why: str
    created_at: datetime
    read_at: datetime | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None


_meta = sa.MetaData()
messages = sa.Table(
    "inbox_messages",
    _meta,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(32), nullable=False, unique=True),
    sa.Column("user_id", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("read_at", UTCDateTime),
    sa.Index("ix_inbox_user_created", "user_id", "created_at"),
)


def default_url(data_dir: str | Path) -> str:
    """The inbox shares the scheduler's database file by default."""
    return f"sqlite:///{Path(data_dir).expanduser() / 'jobs.sqlite3'}"


def _aware(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None:
        raise InboxError("inbox times must be timezone-aware")
    return at.astimezone(UTC)


class Inbox:
    """Per-person inbox over SQLite (default) or PostgreSQL; also a ``UserDataStore``."""

    name = "inbox"

    def __init__(self, url: str) -> None:
        try:
            self._engine = make_engine(url)
            _meta.create_all(self._engine)
        except (LedgerError, sa.exc.SQLAlchemyError) as exc:
            raise InboxError(f"cannot open the inbox at {url!r}: {exc}") from exc

    def close(self) -> None:
        self._engine.dispose()

    @staticmethod
    def _of(row: Any) -> InboxMessage:
        return InboxMessage(
            id=row.id,
            kind=row.kind,
            text=row.text,
            why=row.why,
            created_at=row.created_at,
            read_at=row.read_at,
        )

    def post(
        self, user_id: str, kind: str, text: str, why: str, at: datetime | None = None
    ) -> InboxMessage:
        """Leave a message for the person; it waits until they open the inbox."""
        if kind not in KINDS:
            raise InboxError(f"inbox message kind must be one of {', '.join(KINDS)}")
        text, why = (text or "").strip(), (why or "").strip()
        if not text or len(text) > MAX_TEXT:
            raise InboxError(f"an inbox message needs 1-{MAX_TEXT} characters of text")
        msg = InboxMessage(
            id=uuid.uuid4().hex, kind=kind, text=text, why=why or kind, created_at=_aware(at)
        )
        with write(self._engine) as conn:
            conn.execute(sa.insert(messages).values(user_id=user_id, **msg.model_dump()))
        return msg

    def messages(
        self, user_id: str, *, unread_only: bool = False, kind: str | None = None
    ) -> list[InboxMessage]:
        """This person's messages, oldest first."""
        c = messages.c
        cond = [c.user_id == user_id]
        if unread_only:
            cond.append(c.read_at.is_(None))
        if kind is not None:
            cond.append(c.kind == kind)
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(messages).where(*cond).order_by(c.created_at, c.seq))
            return [self._of(r) for r in rows]

    def unread(self, user_id: str) -> list[InboxMessage]:
        return self.messages(user_id, unread_only=True)

    def unread_count(self, user_id: str) -> int:
        c = messages.c
        q = sa.select(sa.func.count()).where(c.user_id == user_id, c.read_at.is_(None))
        with self._engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def mark_read(
        self, user_id: str, ids: list[str] | None = None, at: datetime | None = None
    ) -> int:
        """Mark the given messages (all unread ones when ``ids`` is None) read; returns how many."""
        c = messages.c
        cond = [c.user_id == user_id, c.read_at.is_(None)]
        if ids is not None:
            cond.append(c.id.in_(list(ids)))
        with write(self._engine) as conn:
            done = conn.execute(sa.update(messages).where(*cond).values(read_at=_aware(at)))
            return done.rowcount

    def delete(self, user_id: str, message_id: str) -> bool:
        c = messages.c
        with write(self._engine) as conn:
            gone = conn.execute(sa.delete(messages).where(c.user_id == user_id, c.id == message_id))
            return gone.rowcount > 0

    # -- UserDataStore -----------------------------------------------------------------------

    def export_user(self, user_id: str) -> dict[str, Any]:
        return {"messages": [m.model_dump(mode="json") for m in self.messages(user_id)]}

    def forget_user(self, user_id: str) -> int:
        with write(self._engine) as conn:
            return conn.execute(sa.delete(messages).where(messages.c.user_id == user_id)).rowcount

    def import_user(self, user_id: str, data: Any) -> int:
        """Restore exported messages; a message already there (same id) is replaced."""
        try:
            items = [InboxMessage.model_validate(m) for m in (data or {}).get("messages", [])]
        except (ValidationError, AttributeError) as exc:
            raise InboxError(f"not an inbox export: {exc}") from exc
        c = messages.c
        with write(self._engine) as conn:
            for m in items:
                owner = conn.execute(sa.select(c.user_id).where(c.id == m.id)).scalar_one_or_none()
                values = m.model_dump()
                if owner == user_id:
                    conn.execute(sa.delete(messages).where(c.id == m.id))
                elif owner is not None:
                    values["id"] = uuid.uuid4().hex
                conn.execute(sa.insert(messages).values(user_id=user_id, **values))
        return len(items)
