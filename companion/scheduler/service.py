"""``Jobs``: one scheduler with a persistent job store, and everything the CLI and UI ask of it.

One process runs the scheduler (``companion serve`` on one machine, or ``companion worker``
when several app processes share the stores); other processes open the same job store
*paused*, so they can list, add and cancel jobs without running any. Due times are
idempotent: the run record (``CareStore.claim``) lets each (job, due time) pair run once,
even across restarts. All time comes from an injected clock, so tests never sleep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.date import DateTrigger
from pydantic import BaseModel, ConfigDict, ValidationError

from companion.inbox import Inbox
from companion.scheduler import catalog
from companion.scheduler.errors import PreferenceError, SchedulerError, UnknownJobError
from companion.scheduler.guarding import TextGuard
from companion.scheduler.handlers import HANDLERS
from companion.scheduler.prefs import FEATURES, CarePreferences, parse_quiet
from companion.scheduler.runtime import (
    FUNC_REF,
    MAX_ATTEMPTS,
    DueTimeExecutor,
    backoff,
    install,
    release,
)
from companion.scheduler.store import CareStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
JOB_TABLE = "companion_jobs"
PROCESS_RETRY_SECONDS = 30.0
HEARTBEAT_SECONDS = 60


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _heartbeat() -> None:
    """Wakes the scheduler every minute, so jobs added by other processes are seen."""


class SafeScheduler(BackgroundScheduler):
    """A background scheduler whose loop survives any error (e.g. a job store hiccup)."""

    _closing = False

    def shutdown(self, wait: bool = True) -> None:
        # APScheduler flips the state to stopped and then wakes its thread, which would run
        # one more round, even for a paused scheduler, and submit due jobs to executors
        # that are already shut down. No new round starts once closing has begun.
        self._closing = True
        super().shutdown(wait=wait)

    def _process_jobs(self) -> float | None:
        if self._closing:
            return None
        try:
            return super()._process_jobs()
        except Exception as exc:  # the loop must go on; the next round retries
            log.warning("scheduler round failed (%s); retrying soon", type(exc).__name__)
            return PROCESS_RETRY_SECONDS


def build_scheduler(url: str, *, workers: int = 2) -> SafeScheduler:
    """A scheduler over the persistent store at ``url`` (not started)."""
    from alignment.ledger import LedgerError
    from alignment.ledger.engine import make_engine

    try:
        engine = make_engine(url)
        store = SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)
    except (LedgerError, Exception) as exc:
        raise SchedulerError(f"cannot open the job store at {url!r}: {exc}") from exc
    return SafeScheduler(
        jobstores={"default": store, "local": MemoryJobStore()},
        executors={"default": DueTimeExecutor(max_workers=workers)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=UTC,
    )


@dataclass
class JobContext:
    """What job functions work with; every part is injectable for tests."""

    care: CareStore
    inbox: Inbox
    ledger: Any
    memory: Any | None = None
    guard_factory: Callable[[], TextGuard] | None = None
    clock: Clock = _utcnow
    default_timezone: str | None = None
    _guard: TextGuard | None = field(default=None, repr=False)

    def guard(self) -> TextGuard:
        if self._guard is None:
            if self.guard_factory is None:
                raise SchedulerError("no output guard configured; messages cannot be vetted")
            self._guard = self.guard_factory()
        return self._guard


class JobInfo(BaseModel):
    """A scheduled job as the person sees it: what, when, why, and whether it writes to them."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    title: str
    why: str
    next_run: datetime | None
    sends_you_something: bool
    feature: str


class RunResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    job_id: str
    due: datetime
    outcome: str


def _parse_due(due: str | datetime) -> datetime:
    value = datetime.fromisoformat(due) if isinstance(due, str) else due
    if value.tzinfo is None:
        raise SchedulerError(f"due time {due!r} has no time zone")
    return value.astimezone(UTC)


class Jobs:
    """The scheduler plus the person-facing operations; also a ``UserDataStore`` named jobs."""

    name = "jobs"

    def __init__(self, ctx: JobContext, scheduler: BaseScheduler) -> None:
        self.ctx = ctx
        self.scheduler = scheduler

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, *, paused: bool = False) -> Jobs:
        """Start the scheduler (paused: job store access only, nothing runs here).

        Only a running service becomes the one ``run_job`` uses in this process, so a paused
        service opened by the UI or the CLI never takes jobs over from the running one.
        """
        if not paused:
            install(self)
        if self.scheduler.state == STATE_STOPPED:
            self.scheduler.start(paused=paused)
        if not paused:
            self.scheduler.add_job(
                _heartbeat,
                "interval",
                seconds=HEARTBEAT_SECONDS,
                id="heartbeat",
                jobstore="local",
                replace_existing=True,
            )
        return self

    def shutdown(self, wait: bool = True) -> None:
        if self.scheduler.state != STATE_STOPPED:
            self.scheduler.shutdown(wait=wait)
        release(self)

    def close(self) -> None:
        """Stop the scheduler (waiting for running jobs) and release the databases."""
        self.shutdown(wait=True)
        self.ctx.care.close()
        self.ctx.inbox.close()

    @property
    def running(self) -> bool:
        from apscheduler.schedulers.base import STATE_RUNNING

        return self.scheduler.state == STATE_RUNNING

    def _now(self, now: datetime | None) -> datetime:
        return (now or self.ctx.clock()).astimezone(UTC)

    # -- adding and finding jobs ---------------------------------------------------------------

    def _add(
        self,
        kind: str,
        user_id: str,
        trigger: BaseTrigger,
        now: datetime,
        *,
        ident: str | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        spec = catalog.kind_of(kind)
        base = catalog.job_id(kind, user_id)
        first = trigger.get_next_fire_time(None, now)
        if first is None:
            return
        self.scheduler.add_job(
            FUNC_REF,
            trigger=trigger,
            args=[base, kind, user_id],
            kwargs=kwargs or {},
            id=ident or base,
            name=spec.title,
            jobstore="default",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(spec.grace.total_seconds()),
            next_run_time=first,
        )

    def _user_jobs(self, user_id: str) -> list[Any]:
        return [
            j
            for j in self.scheduler.get_jobs(jobstore="default")
            if len(j.args) >= 3 and j.args[2] == user_id
        ]

    def _remove(self, job_ids: list[str]) -> int:
        gone = 0
        for jid in job_ids:
            try:
                self.scheduler.remove_job(jid, jobstore="default")
                gone += 1
            except JobLookupError:
                pass
        return gone

    def _remove_user_jobs(self, user_id: str, feature: str | None = None) -> int:
        ids = [
            j.id
            for j in self._user_jobs(user_id)
            if feature is None or catalog.kind_of(j.args[1]).feature == feature
        ]
        return self._remove(ids)

    # -- enrolment and preferences -------------------------------------------------------------

    def ensure_user(self, user_id: str, now: datetime | None = None) -> CarePreferences:
        """Enrol a person (default choices: upkeep on, everything that writes to them off)."""
        now = self._now(now)
        if not self.ctx.care.enrolled(user_id):
            self.ctx.care.save_prefs(user_id, CarePreferences(), now)
            self.sync_user(user_id, now)
        return self.ctx.care.prefs(user_id)

    def sync_user(
        self, user_id: str, now: datetime | None = None, reschedule: bool = False
    ) -> None:
        """Make the person's recurring jobs match their choices."""
        from companion.scheduler.prefs import zone_of

        now = self._now(now)
        prefs = self.ctx.care.prefs(user_id)
        zone = zone_of(prefs, self.ctx.default_timezone)
        present = {j.id for j in self._user_jobs(user_id)}
        for kind in catalog.RECURRING:
            jid = catalog.job_id(kind, user_id)
            if not getattr(prefs, catalog.KINDS[kind].feature):
                self._remove([i for i in present if i == jid or i.startswith(f"{jid}:retry-")])
                continue
            if jid in present and not reschedule:
                continue
            self._add(
                kind, user_id, catalog.recurring_trigger(kind, prefs, zone, user_id, now), now
            )
        if not prefs.consolidation:
            self._remove_user_jobs(user_id, "consolidation")

    def prefs(self, user_id: str) -> CarePreferences:
        return self.ctx.care.prefs(user_id)

    def set_prefs(
        self, user_id: str, now: datetime | None = None, **changes: Any
    ) -> CarePreferences:
        """Change the person's choices (validated) and reschedule their jobs to match."""
        now = self._now(now)
        old = self.ctx.care.prefs(user_id)
        try:
            new = CarePreferences.model_validate({**old.model_dump(), **changes})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
            )
            raise PreferenceError(f"invalid choice: {problems}") from None
        self.ctx.care.save_prefs(user_id, new, now)
        # Only a change of timing (zone, quiet hours, cap, reflection slot) moves existing
        # jobs; switching one feature on or off leaves the others' schedules alone.
        changed = {k for k in CarePreferences.model_fields if getattr(old, k) != getattr(new, k)}
        self.sync_user(user_id, now, reschedule=bool(changed - set(FEATURES)))
        return new

    def opt_in(
        self,
        user_id: str,
        feature: str,
        *,
        max_per_week: int | None = None,
        quiet: str | None = None,
        timezone: str | None = None,
        weekday: int | None = None,
        at: str | None = None,
        now: datetime | None = None,
    ) -> CarePreferences:
        """Turn a feature on, with optional settings (quiet hours as '22:00-08:00')."""
        if feature not in FEATURES:
            raise PreferenceError(f"unknown feature {feature!r}; one of: {', '.join(FEATURES)}")
        changes: dict[str, Any] = {feature: True}
        if max_per_week is not None:
            changes["max_per_week"] = max_per_week
        if quiet is not None:
            changes["quiet_start"], changes["quiet_end"] = parse_quiet(quiet)
        if timezone is not None:
            changes["timezone"] = timezone
        if weekday is not None:
            changes["reflection_weekday"] = weekday
        if at is not None:
            changes["reflection_time"] = at
        self.ensure_user(user_id, now)
        return self.set_prefs(user_id, now, **changes)

    def opt_out(self, user_id: str, feature: str, now: datetime | None = None) -> CarePreferences:
        if feature not in FEATURES:
            raise PreferenceError(f"unknown feature {feature!r}; one of: {', '.join(FEATURES)}")
        self.ensure_user(user_id, now)
        return self.set_prefs(user_id, now, **{feature: False})

    def note_activity(self, user_id: str, at: datetime | None = None) -> None:
        """Call after each turn: (re)schedules the tidy-up for when the conversation goes quiet."""
        at = self._now(at)
        prefs = self.ensure_user(user_id, at)
        if prefs.consolidation:
            self._add("consolidate-quiet", user_id, catalog.quiet_trigger(at), at)

    def latest_state(self, user_id: str) -> dict[str, Any] | None:
        """The relationship state the daily job last computed (counts and labels), if any."""
        found = self.ctx.care.snapshot(user_id)
        return None if found is None else {"computed_at": found[0].isoformat(), **found[1]}

    # -- transparency: list and cancel ---------------------------------------------------------

    def list_jobs(self, user_id: str) -> list[JobInfo]:
        """What is scheduled for this person, why, and when it next runs."""
        prefs = self.ctx.care.prefs(user_id)
        out = []
        for job in self._user_jobs(user_id):
            spec = catalog.KINDS.get(job.args[1])
            if spec is None:
                continue
            why = spec.why(prefs)
            if catalog.is_retry(job.id):
                attempt = job.kwargs.get("attempt", 1) + 1
                why = f"A retry of an earlier run that failed (attempt {attempt}). {why}"
            out.append(
                JobInfo(
                    id=job.id,
                    kind=spec.name,
                    title=spec.title,
                    why=why,
                    next_run=job.next_run_time,
                    sends_you_something=spec.sends_something,
                    feature=spec.feature,
                )
            )
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(out, key=lambda j: (j.next_run or far, j.id))

    def cancel(self, user_id: str, which: str, now: datetime | None = None) -> list[JobInfo]:
        """Cancel a job by id or kind; its feature is switched off so it does not come back."""
        jobs = self.list_jobs(user_id)
        hit = [j for j in jobs if which in (j.id, j.kind)]
        if not hit:
            raise UnknownJobError(f"no job {which!r} is scheduled for you (see `companion jobs`)")
        feature = hit[0].feature
        self.set_prefs(user_id, now, **{feature: False})
        self._remove_user_jobs(user_id, feature)
        return [j for j in jobs if j.feature == feature]

    # -- running -------------------------------------------------------------------------------

    def execute(
        self,
        job_id: str,
        kind: str,
        user_id: str | None,
        *,
        due: str | datetime,
        attempt: int = 0,
        now: datetime | None = None,
    ) -> str:
        """Run one (job, due time) once. Errors are logged, recorded and retried with backoff."""
        due_at = _parse_due(due)
        now = self._now(now)
        handler = HANDLERS.get(kind)
        if handler is None:
            log.warning("job %s has unknown kind %r; skipped", job_id, kind)
            return f"skipped: unknown kind {kind!r}"
        care = self.ctx.care
        if user_id is not None and not care.enrolled(user_id):
            self._remove_user_jobs(user_id)
            return "skipped: this person's data was deleted"
        if not care.claim(job_id, due_at, kind, user_id, now):
            return "skipped: already done for this due time"
        prefs = care.prefs(user_id) if user_id is not None else CarePreferences()
        try:
            outcome = handler(self.ctx, user_id, now, prefs)
        except Exception as exc:
            # Class name only: an exception message could quote what someone wrote.
            log.warning("job %s failed on attempt %d: %s", job_id, attempt + 1, type(exc).__name__)
            log.debug("job failure detail", exc_info=True)
            outcome = f"failed: {type(exc).__name__}"
            if attempt + 1 < MAX_ATTEMPTS:
                retry_at = now + backoff(attempt)
                self._add(
                    kind,
                    user_id,
                    DateTrigger(run_date=retry_at),
                    now,
                    ident=catalog.retry_id(job_id, attempt + 1),
                    kwargs={"due": due_at.isoformat(), "attempt": attempt + 1},
                )
                outcome += f"; retry at {retry_at:%Y-%m-%d %H:%M} UTC"
            else:
                outcome += "; gave up after retries"
            care.finish(job_id, due_at, "failed", outcome, now)
            return outcome
        care.finish(job_id, due_at, "done", outcome, now)
        log.info("job %s done", job_id)
        return outcome

    def run_due(self, now: datetime | None = None) -> list[RunResult]:
        """Run every job due at ``now`` once, in this thread (``companion jobs run-due``, tests).

        Mirrors the scheduler: missed runs coalesce into the latest, a run past its grace
        time is skipped, and the job moves on to its next time afterwards.
        """
        now = self._now(now)
        results = []
        for job in self.scheduler.get_jobs(jobstore="default"):
            if job.next_run_time is None or job.next_run_time > now:
                continue
            times, nxt = [], job.next_run_time
            while nxt is not None and nxt <= now:
                times.append(nxt)
                nxt = job.trigger.get_next_fire_time(nxt, now)
            latest = times[-1].astimezone(UTC)
            grace = job.misfire_grace_time
            if grace is None or (now - latest).total_seconds() <= grace:
                try:
                    outcome = self.execute(
                        job.args[0],
                        job.args[1],
                        job.args[2],
                        due=job.kwargs.get("due") or latest.isoformat(),
                        attempt=job.kwargs.get("attempt", 0),
                        now=now,
                    )
                except Exception as exc:  # e.g. the run record is unreachable: next job
                    log.warning("job %s could not run: %s", job.id, type(exc).__name__)
                    outcome = f"error: {type(exc).__name__}"
            else:
                outcome = "missed: later than its grace time"
            results.append(RunResult(job_id=job.id, due=latest, outcome=outcome))
            try:
                if nxt is None:
                    self.scheduler.remove_job(job.id, jobstore="default")
                else:
                    self.scheduler.modify_job(job.id, jobstore="default", next_run_time=nxt)
            except JobLookupError:
                pass  # the job removed itself (e.g. the person was deleted)
        return results

    # -- UserDataStore -------------------------------------------------------------------------

    def export_user(self, user_id: str) -> dict[str, Any]:
        return {
            "jobs": [j.model_dump(mode="json") for j in self.list_jobs(user_id)],
            **self.ctx.care.export_rows(user_id),
        }

    def forget_user(self, user_id: str) -> int:
        return self._remove_user_jobs(user_id) + self.ctx.care.delete_rows(user_id)

    def import_user(self, user_id: str, data: Any) -> int:
        """Restore the person's choices and re-create their jobs (run history is not replayed)."""
        if not isinstance(data, dict) or not data.get("enrolled"):
            return 0
        try:
            prefs = CarePreferences.model_validate(data.get("preferences") or {})
        except ValidationError as exc:
            raise PreferenceError(f"not a jobs export: {exc}") from None
        now = self._now(None)
        self.ctx.care.save_prefs(user_id, prefs, now)
        self.sync_user(user_id, now, reschedule=True)
        return 1 + len(self._user_jobs(user_id))
