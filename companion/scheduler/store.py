"""The scheduler's own tables: people's care preferences, completed runs, and state snapshots.

``job_runs`` is what makes a job run once per due time: before running, a worker claims the
(job, due time) pair; after a restart a pair that is already done is skipped. A claim that is
still running is respected for ``LEASE``, so two scheduler processes do not both run it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from alignment.ledger import LedgerError
from alignment.ledger.engine import make_engine, write
from alignment.ledger.schema import UTCDateTime
from companion.scheduler.errors import SchedulerError
from companion.scheduler.prefs import CarePreferences

LEASE = timedelta(hours=1)
RunStatus = Literal["running", "done", "failed"]

_meta = sa.MetaData()
care_prefs = sa.Table(
    "care_preferences",
    _meta,
    sa.Column("user_id", sa.String(128), primary_key=True),
    sa.Column("prefs", sa.JSON, nullable=False),
    sa.Column("enrolled_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
job_runs = sa.Table(
    "job_runs",
    _meta,
    sa.Column("job_id", sa.String(191), primary_key=True),
    sa.Column("due", UTCDateTime, primary_key=True),
    sa.Column("user_id", sa.String(128)),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime),
    sa.Column("outcome", sa.String(500)),
    sa.Index("ix_job_runs_user", "user_id"),
)
state_snapshots = sa.Table(
    "state_snapshots",
    _meta,
    sa.Column("user_id", sa.String(128), primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("state", sa.JSON, nullable=False),
)
PER_USER = (care_prefs, job_runs, state_snapshots)


class JobRun(BaseModel):
    """One (job, due time) pair and what happened to it; the outcome never holds message text."""

    model_config = ConfigDict(frozen=True)

    job_id: str
    due: datetime
    kind: str
    status: RunStatus
    attempts: int
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str | None = None


def default_url(data_dir: Any) -> str:
    from pathlib import Path

    return f"sqlite:///{Path(data_dir).expanduser() / 'jobs.sqlite3'}"


class CareStore:
    """Preferences, run records and snapshots over one SQLAlchemy engine (SQLite/PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = make_engine(url)
            _meta.create_all(self.engine)
        except (LedgerError, sa.exc.SQLAlchemyError) as exc:
            raise SchedulerError(f"cannot open the job database at {url!r}: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    # -- preferences ---------------------------------------------------------------------------

    def enrolled(self, user_id: str) -> bool:
        """Does this person have a preferences row (i.e. jobs may run for them)?"""
        q = sa.select(care_prefs.c.user_id).where(care_prefs.c.user_id == user_id)
        with self.engine.connect() as conn:
            return conn.execute(q).first() is not None

    def user_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return sorted(conn.execute(sa.select(care_prefs.c.user_id)).scalars())

    def prefs(self, user_id: str) -> CarePreferences:
        q = sa.select(care_prefs.c.prefs).where(care_prefs.c.user_id == user_id)
        with self.engine.connect() as conn:
            raw = conn.execute(q).scalar_one_or_none()
        return CarePreferences() if raw is None else CarePreferences.model_validate(raw)

    def save_prefs(self, user_id: str, prefs: CarePreferences, now: datetime) -> CarePreferences:
        c = care_prefs.c
        data = prefs.model_dump(mode="json")
        with write(self.engine) as conn:
            found = conn.execute(sa.select(c.user_id).where(c.user_id == user_id)).first()
            if found is None:
                conn.execute(
                    sa.insert(care_prefs).values(
                        user_id=user_id, prefs=data, enrolled_at=now, updated_at=now
                    )
                )
            else:
                conn.execute(
                    sa.update(care_prefs)
                    .where(c.user_id == user_id)
                    .values(prefs=data, updated_at=now)
                )
        return prefs

    # -- runs ----------------------------------------------------------------------------------

    def claim(
        self, job_id: str, due: datetime, kind: str, user_id: str | None, now: datetime
    ) -> bool:
        """Take the (job, due) pair for running; False when it is done or someone else holds it."""
        try:
            return self._claim(job_id, due, kind, user_id, now)
        except sa.exc.IntegrityError:  # another worker inserted the same pair first
            return False

    def _claim(
        self, job_id: str, due: datetime, kind: str, user_id: str | None, now: datetime
    ) -> bool:
        c = job_runs.c
        key = sa.and_(c.job_id == job_id, c.due == due)
        with write(self.engine) as conn:
            row = conn.execute(sa.select(job_runs).where(key)).first()
            if row is None:
                conn.execute(
                    sa.insert(job_runs).values(
                        job_id=job_id,
                        due=due,
                        user_id=user_id,
                        kind=kind,
                        status="running",
                        attempts=1,
                        started_at=now,
                    )
                )
                return True
            if row.status == "done":
                return False
            if row.status == "running" and now - row.started_at < LEASE:
                return False
            conn.execute(
                sa.update(job_runs)
                .where(key)
                .values(status="running", attempts=row.attempts + 1, started_at=now)
            )
            return True

    def finish(
        self, job_id: str, due: datetime, status: RunStatus, outcome: str, now: datetime
    ) -> None:
        c = job_runs.c
        with write(self.engine) as conn:
            conn.execute(
                sa.update(job_runs)
                .where(c.job_id == job_id, c.due == due)
                .values(status=status, outcome=outcome[:500], finished_at=now)
            )

    def run(self, job_id: str, due: datetime) -> JobRun | None:
        c = job_runs.c
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(job_runs).where(c.job_id == job_id, c.due == due)).first()
        return None if row is None else _run_of(row)

    def runs(self, user_id: str | None = None, job_id: str | None = None) -> list[JobRun]:
        c = job_runs.c
        cond = []
        if user_id is not None:
            cond.append(c.user_id == user_id)
        if job_id is not None:
            cond.append(c.job_id == job_id)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(job_runs).where(*cond).order_by(c.due, c.job_id))
            return [_run_of(r) for r in rows]

    # -- relationship state snapshots ----------------------------------------------------------

    def save_snapshot(self, user_id: str, state: dict[str, Any], now: datetime) -> None:
        c = state_snapshots.c
        with write(self.engine) as conn:
            conn.execute(sa.delete(state_snapshots).where(c.user_id == user_id))
            conn.execute(sa.insert(state_snapshots).values(user_id=user_id, at=now, state=state))

    def snapshot(self, user_id: str) -> tuple[datetime, dict[str, Any]] | None:
        c = state_snapshots.c
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(state_snapshots).where(c.user_id == user_id)).first()
        return None if row is None else (row.at, dict(row.state))

    # -- the person's rows ---------------------------------------------------------------------

    def export_rows(self, user_id: str) -> dict[str, Any]:
        found = self.snapshot(user_id)
        return {
            "enrolled": self.enrolled(user_id),
            "preferences": self.prefs(user_id).model_dump(mode="json"),
            "runs": [r.model_dump(mode="json") for r in self.runs(user_id)],
            "state_snapshot": None
            if found is None
            else {"at": found[0].isoformat(), "state": found[1]},
        }

    def delete_rows(self, user_id: str) -> int:
        with write(self.engine) as conn:
            return sum(
                conn.execute(sa.delete(t).where(t.c.user_id == user_id)).rowcount for t in PER_USER
            )


def _run_of(row: Any) -> JobRun:
    return JobRun(
        job_id=row.job_id,
        due=row.due,
        kind=row.kind,
        status=row.status,
        attempts=row.attempts,
        started_at=row.started_at,
        finished_at=row.finished_at,
        outcome=row.outcome,
    )


def utcnow() -> datetime:
    return datetime.now(UTC)
