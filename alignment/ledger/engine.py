"""Opening the database and running write transactions safely from several threads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from alignment.ledger.errors import LedgerError

_WRITE = "ledger_write"
_REHEARSING: ContextVar[bool] = ContextVar("ledger_rehearsing", default=False)


def default_url(data_dir: str | Path) -> str:
    """The embedded default: one SQLite file in the data directory."""
    return f"sqlite:///{Path(data_dir).expanduser() / 'ledger.sqlite3'}"


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and write-locking transactions."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise LedgerError(f"not a database URL: {url!r}") from exc
    kwargs: dict[str, Any] = {}
    sqlite = parsed.get_backend_name() == "sqlite"
    in_memory = sqlite and parsed.database in (None, "", ":memory:")
    if sqlite:
        # Gradio's worker threads share the engine; SQLAlchemy's pool, not SQLite's thread
        # check, keeps each connection to one thread at a time.
        kwargs["connect_args"] = {"check_same_thread": False}
        if in_memory:
            kwargs["poolclass"] = StaticPool  # one shared in-memory database (tests)
        else:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        raise LedgerError(f"no database driver for {parsed.drivername!r}: {exc}") from exc
    if sqlite:
        _tune_sqlite(engine, wal=not in_memory)
    return engine


def _tune_sqlite(engine: sa.Engine, wal: bool) -> None:
    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # SQLAlchemy, not the sqlite3 module, decides when a transaction begins (below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if wal:
            cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            # With WAL, NORMAL can lose the last commits on power loss, never the file.
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # A write transaction takes the write lock up front, so two threads that read then
        # write wait for each other instead of failing on a lock upgrade or losing an update.
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def lock_user(conn: sa.Connection, user_id: str) -> None:
    """On PostgreSQL, serialise writes about one person for the rest of the transaction."""
    if conn.dialect.name == "postgresql":
        key = sa.func.hashtext(f"ledger:{user_id}")
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


@contextmanager
def write(engine: sa.Engine, user_id: str | None = None) -> Iterator[sa.Connection]:
    """A read-write transaction, committed on success and rolled back on any error.

    SQLite: the transaction holds the write lock from its start. PostgreSQL: it takes a
    per-person advisory lock, so read-then-write updates of one person's rows (a mention
    count, session boundaries) never interleave.
    """
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin() as transaction:
            if user_id is not None:
                lock_user(conn, user_id)
            yield conn
            if _REHEARSING.get():
                transaction.rollback()


@contextmanager
def rehearsal() -> Iterator[None]:
    """Within this block, on this thread only, every ``write`` is rolled back, never committed.

    Running a turn's statements once this way prepares them (SQLAlchemy compiles each
    statement shape once per engine) without storing anything.
    """
    token = _REHEARSING.set(True)
    try:
        yield
    finally:
        _REHEARSING.reset(token)
