"""The job store, run records and inbox on PostgreSQL (scale-out: one worker, many apps).

Runs only when ``JOBS_TEST_POSTGRES_URL`` (or ``LEDGER_TEST_POSTGRES_URL``) names a server the
test may create databases on, e.g. ``postgresql+psycopg://postgres@/postgres?host=/tmp/pg``.
"""

from __future__ import annotations

import os
import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.scheduler.conftest import T0, make_jobs

ADMIN_URL = os.environ.get("JOBS_TEST_POSTGRES_URL") or os.environ.get("LEDGER_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not ADMIN_URL, reason="no PostgreSQL test server configured")


@pytest.fixture
def pg_url():
    pytest.importorskip("psycopg")
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"jobs_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


def test_schedule_restart_and_forget_on_postgres(pg_url, ledger, memory, guard, clock):
    first = make_jobs(pg_url, ledger, memory, guard, clock)
    first.note_activity("ana", T0)
    first.opt_in("ana", "proactive", max_per_week=2, now=T0)
    [run] = first.run_due(T0 + timedelta(minutes=40))
    assert "episodes=1" in run.outcome
    before = {j.id: j.next_run for j in first.list_jobs("ana")}
    first.shutdown()
    second = make_jobs(pg_url, ledger, memory, guard, clock)
    try:
        assert {j.id: j.next_run for j in second.list_jobs("ana")} == before
        again = second.execute(
            "consolidate-quiet:ana",
            "consolidate-quiet",
            "ana",
            due=(T0 + timedelta(minutes=35)).isoformat(),
        )
        assert again == "skipped: already done for this due time"
        second.ctx.inbox.post("ana", "proactive", "Hope the week is kind.", "opted in", at=T0)
        assert second.forget_user("ana") > 0 and second.ctx.inbox.forget_user("ana") == 1
        assert second.list_jobs("ana") == []
    finally:
        second.shutdown()


def test_two_workers_claiming_the_same_due_time_run_it_once(pg_url):
    from companion.scheduler.store import CareStore

    stores = [CareStore(pg_url) for _ in range(4)]
    results: list[bool] = []
    barrier = threading.Barrier(len(stores))

    def claim(store: CareStore) -> None:
        barrier.wait()
        results.append(store.claim("proactive:ana", T0, "proactive", "ana", T0))

    threads = [threading.Thread(target=claim, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    for s in stores:
        s.close()
