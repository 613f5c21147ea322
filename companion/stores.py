"""Every store of a deployment, opened once and shared by all users' companions.

Embedded defaults (one machine): SQLite checkpointer, ledger and job store, chromadb
persistent client, all under ``settings.data_dir``. ``Companion.data_stores`` lists the
per-user stores for export and forget, so a new store is covered by adding it there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from langgraph.checkpoint.sqlite import SqliteSaver

from alignment.ledger import Ledger, default_url
from companion.config import Settings
from companion.conversations import open_checkpointer
from companion.embeddings import get_embedder
from companion.inbox import Inbox
from companion.privacy import UserDataStore
from companion.scheduler import Jobs, enrol_known_users, open_jobs
from companion.scheduler.setup import runs_scheduler_in_serve
from memory import MemoryStore

log = logging.getLogger(__name__)


@dataclass
class Stores:
    checkpointer: SqliteSaver
    ledger: Ledger
    memory: MemoryStore
    jobs: Jobs  # the job store; its scheduler runs only in `serve` or `worker`

    @property
    def inbox(self) -> Inbox:
        return self.jobs.ctx.inbox

    def close(self) -> None:
        self.jobs.close()
        self.checkpointer.conn.close()


def open_memory(settings: Settings) -> MemoryStore:
    """The memory store alone (embedded chromadb, or a server by ``chroma_url``)."""
    embedder = get_embedder(settings.embedding_model)
    return MemoryStore(settings.data_dir / "memory", embedder, chroma_url=settings.chroma_url)


def open_stores(settings: Settings, run_jobs: bool = False) -> Stores:
    """Open every store; ``run_jobs`` also runs the background scheduler in this process."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(settings.ledger_url or default_url(settings.data_dir))
    memory = open_memory(settings)
    jobs = open_jobs(settings, ledger=ledger, memory=memory)
    run = run_jobs and runs_scheduler_in_serve(settings)
    jobs.start(paused=not run)
    if run:
        enrol_known_users(jobs)
    return Stores(open_checkpointer(settings.data_dir), ledger, memory, jobs)


def user_data_stores(settings: Settings) -> list[UserDataStore]:
    """All per-user stores (conversations, memories, ledger) for export / forget / import."""
    from companion.service import Companion

    return Companion(settings).data_stores()


def memory_texts(settings: Settings) -> list[str]:
    """The person's active memories as plain texts (for the relationship summary)."""
    return [record.text for record in open_memory(settings).list(settings.user_id)]
