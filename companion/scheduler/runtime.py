"""The bridge between APScheduler and the job functions.

Jobs in a persistent store must name an importable function with plain arguments, so every
job calls ``run_job(job_id, kind, user_id)``; the live stores come from the ``Jobs`` service
installed in this process. ``DueTimeExecutor`` hands the job its due time, which is what the
run record is keyed on.
"""

from __future__ import annotations

import copy
import logging
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor

from companion.scheduler.errors import SchedulerError

if TYPE_CHECKING:
    from companion.scheduler.service import Jobs

log = logging.getLogger(__name__)

FUNC_REF = "companion.scheduler.runtime:run_job"
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
MAX_ATTEMPTS = 4

_active: Jobs | None = None
_lock = threading.Lock()


def backoff(attempt: int) -> timedelta:
    """Wait before retry number ``attempt + 1``: 1, 4, 16 ... minutes, at most 6 hours."""
    return min(BACKOFF_BASE * (4**attempt), BACKOFF_CAP)


def install(jobs: Jobs | None) -> None:
    """Make ``jobs`` the service that ``run_job`` uses in this process (None to remove)."""
    global _active
    with _lock:
        _active = jobs


def release(jobs: Jobs) -> None:
    """Uninstall ``jobs`` if it is the installed service (a stopped service runs nothing)."""
    global _active
    with _lock:
        if _active is jobs:
            _active = None


def active() -> Jobs:
    if _active is None:
        raise SchedulerError("no job service is installed in this process")
    return _active


def run_job(
    job_id: str, kind: str, user_id: str | None, due: str | None = None, attempt: int = 0
) -> str:
    """The one function every stored job calls; returns the run's outcome."""
    if due is None:
        raise SchedulerError(f"job {job_id} ran without a due time")
    return active().execute(job_id, kind, user_id, due=due, attempt=attempt)


class DueTimeExecutor(ThreadPoolExecutor):
    """A thread pool that passes each run its scheduled time (coalesced: the latest one)."""

    def _do_submit_job(self, job: Any, run_times: list[Any]) -> None:
        run_times = run_times[-1:]
        if job.func_ref == FUNC_REF and "due" not in job.kwargs:
            dated = copy.copy(job)
            dated._jobstore_alias = job._jobstore_alias
            dated._scheduler = job._scheduler
            dated.kwargs = {**job.kwargs, "due": run_times[-1].isoformat()}
            job = dated
        super()._do_submit_job(job, run_times)
