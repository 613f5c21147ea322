"""Opening the job service from settings, for ``companion serve``, ``companion worker`` and CLI.

Settings read here with defaults (the lead may add them to ``Settings``):
``jobs_url`` (default ``sqlite:///<data_dir>/jobs.sqlite3``; PostgreSQL by URL) and
``run_scheduler`` (default True: ``serve`` runs the scheduler; set False when a separate
``companion worker`` runs it).
"""

from __future__ import annotations

import logging
from typing import Any

from companion.inbox import Inbox
from companion.scheduler.service import JobContext, Jobs, build_scheduler
from companion.scheduler.store import CareStore, default_url

log = logging.getLogger(__name__)


def jobs_url(settings: Any) -> str:
    return getattr(settings, "jobs_url", None) or default_url(settings.data_dir)


def runs_scheduler_in_serve(settings: Any) -> bool:
    return bool(getattr(settings, "run_scheduler", True))


def _guard_factory(settings: Any):  # noqa: ANN202
    def make() -> Any:
        from alignment.guard import Guard
        from companion.embeddings import get_embedder

        return Guard(get_embedder(settings.embedding_model))

    return make


def open_jobs(
    settings: Any,
    *,
    ledger: Any = None,
    memory: Any = None,
    guard_factory: Any = None,
    clock: Any = None,
) -> Jobs:
    """A ``Jobs`` service over the deployment's job database (not started).

    ``ledger`` and ``memory`` are the shared stores (``companion.stores``); without a ledger
    one is opened from settings, without memory consolidation jobs report that they skipped.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = jobs_url(settings)
    if ledger is None:
        from alignment.ledger import Ledger
        from alignment.ledger import default_url as ledger_default

        ledger = Ledger(getattr(settings, "ledger_url", None) or ledger_default(settings.data_dir))
    ctx = JobContext(
        care=CareStore(url),
        inbox=Inbox(url),
        ledger=ledger,
        memory=memory,
        guard_factory=guard_factory or _guard_factory(settings),
        default_timezone=settings.timezone,
    )
    if clock is not None:
        ctx.clock = clock
    return Jobs(ctx, build_scheduler(url))


def enrol_known_users(jobs: Jobs) -> int:
    """Re-sync everyone enrolled, and enrol people who have memories but no job row yet."""
    users = set(jobs.ctx.care.user_ids())
    for user_id in sorted(users):
        jobs.sync_user(user_id)
    if jobs.ctx.memory is not None:
        try:
            extra = set(jobs.ctx.memory.user_ids()) - users
        except Exception as exc:  # memory unavailable: upkeep jobs come with the next turn
            log.warning("could not list memory users: %s", type(exc).__name__)
            extra = set()
        for user_id in sorted(extra):
            jobs.ensure_user(user_id)
        users |= extra
    return len(users)


def start_background_scheduler(settings: Any, companion: Any) -> Jobs:
    """For ``companion serve``: open the job service over the companion's stores and run it.

    When ``settings.run_scheduler`` is False (a ``companion worker`` runs the jobs), the
    service is opened paused: listing, cancelling and ``note_activity`` still work.
    """
    stores = companion.stores
    jobs = open_jobs(settings, ledger=stores.ledger, memory=stores.memory)
    run = runs_scheduler_in_serve(settings)
    jobs.start(paused=not run)
    if run:
        enrol_known_users(jobs)
    return jobs
