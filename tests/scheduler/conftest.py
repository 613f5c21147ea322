"""Fixtures for the scheduler: a fake clock, a fake guard and memory, a real ledger and job DB."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from alignment.ledger import Ledger, default_url
from companion.inbox import Inbox
from companion.scheduler import JobContext, Jobs, build_scheduler
from companion.scheduler.store import CareStore

# A Monday, 09:00 UTC; far from any real "now", so nothing depends on the wall clock.
T0 = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kw: float) -> datetime:
        self.at += timedelta(**kw)
        return self.at


@dataclass
class Result:
    violations: list[str]

    @property
    def clean(self) -> bool:
        return not self.violations


class FakeGuard:
    """Flags sentences with 'miss you' or 'come back' (retention_pressure); drops them on repair."""

    BAD = re.compile(r"miss you|come back", re.I)

    def __init__(self) -> None:
        self.checked: list[str] = []

    def _sentences(self, text: str) -> list[str]:
        return [s.strip() for s in re.findall(r"[^.!?]+[.!?]*", text) if s.strip()]

    def check(self, reply: str, context: str | None = None) -> Result:
        self.checked.append(reply)
        bad = any(self.BAD.search(s) for s in self._sentences(reply))
        return Result(["retention_pressure"] if bad else [])

    def repair(self, reply: str, result=None, context=None) -> str:  # noqa: ANN001
        kept = [s for s in self._sentences(reply) if not self.BAD.search(s)]
        return " ".join(kept) if len(" ".join(kept).split()) >= 3 else "Of course, take care!"


@dataclass
class FakeMemory:
    calls: list[tuple[str, datetime]] = field(default_factory=list)
    fail_times: int = 0
    users: list[str] = field(default_factory=list)

    def consolidate(self, user_id: str, now: datetime | None = None) -> dict[str, int]:
        if self.fail_times > 0:
            self.fail_times -= 1
            raise RuntimeError("chroma is down (message text would never be logged)")
        self.calls.append((user_id, now))
        return {"episodes": 1, "merged": 0, "faded": 0}

    def user_ids(self) -> list[str]:
        return list(self.users)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def jobs_db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'jobs.sqlite3'}"


@pytest.fixture
def ledger(tmp_path):
    with Ledger(default_url(tmp_path)) as led:
        yield led


@pytest.fixture
def memory() -> FakeMemory:
    return FakeMemory()


@pytest.fixture
def guard() -> FakeGuard:
    return FakeGuard()


def make_jobs(
    url: str, ledger, memory, guard, clock, tz: str | None = "UTC", paused: bool = True
) -> Jobs:  # noqa: ANN001
    ctx = JobContext(
        care=CareStore(url),
        inbox=Inbox(url),
        ledger=ledger,
        memory=memory,
        guard_factory=lambda: guard,
        clock=clock,
        default_timezone=tz,
    )
    return Jobs(ctx, build_scheduler(url)).start(paused=paused)


@pytest.fixture
def jobs(jobs_db, ledger, memory, guard, clock):
    service = make_jobs(jobs_db, ledger, memory, guard, clock)
    yield service
    service.shutdown(wait=False)


@pytest.fixture(scope="session")
def real_guard():
    from alignment.guard import Guard
    from companion.embeddings import get_embedder

    return Guard(get_embedder())
