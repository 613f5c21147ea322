"""The real APScheduler loop: it hands each run its due time and survives a failing job."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.date import DateTrigger

from tests.scheduler.conftest import make_jobs


def wait_for(predicate, seconds: float = 10.0) -> bool:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_running_scheduler_runs_due_jobs_once_and_survives_a_failure(
    jobs_db, ledger, memory, guard
):
    jobs = make_jobs(jobs_db, ledger, memory, guard, lambda: datetime.now(UTC), paused=False)
    try:
        now = datetime.now(UTC)
        for user in ("ana", "ben"):
            jobs.ensure_user(user, now)
        memory.fail_times = 1  # the first consolidation raises
        due = now + timedelta(milliseconds=300)
        for user in ("ana", "ben"):
            jobs._add("consolidate-quiet", user, DateTrigger(run_date=due), now)

        def finished() -> bool:
            runs = jobs.ctx.care.runs()
            return len(runs) == 2 and all(r.status != "running" for r in runs)

        assert wait_for(finished)
        assert len(memory.calls) == 1
        runs = {r.job_id: r for r in jobs.ctx.care.runs()}
        assert {runs[f"consolidate-quiet:{u}"].due for u in ("ana", "ben")} == {due}
        statuses = sorted(runs[f"consolidate-quiet:{u}"].status for u in ("ana", "ben"))
        assert statuses == ["done", "failed"]
        failed = next(
            u for u in ("ana", "ben") if runs[f"consolidate-quiet:{u}"].status == "failed"
        )
        assert [j for j in jobs.list_jobs(failed) if ":retry-1" in j.id]
        # The loop is alive: a new job still runs.
        later = datetime.now(UTC) + timedelta(milliseconds=200)
        jobs.ctx.care.save_prefs("cy", jobs.prefs("cy"), later)
        jobs._add("consolidate-quiet", "cy", DateTrigger(run_date=later), datetime.now(UTC))
        assert wait_for(lambda: any(u == "cy" for u, _ in memory.calls))
    finally:
        jobs.shutdown()
