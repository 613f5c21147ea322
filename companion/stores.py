"""Every store of a deployment, opened once and shared by all users' companions.

Embedded defaults (one machine): SQLite checkpointer and ledger, chromadb persistent client,
all under ``settings.data_dir``. ``user_data_stores`` lists them for export and forget, so a
new store is covered by adding it here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from langgraph.checkpoint.sqlite import SqliteSaver

from alignment.ledger import Ledger, default_url
from companion.config import Settings
from companion.embeddings import get_embedder
from companion.privacy import UserDataStore
from companion.conversations import open_checkpointer
from memory import MemoryStore

log = logging.getLogger(__name__)


@dataclass
class Stores:
    checkpointer: SqliteSaver
    ledger: Ledger
    memory: MemoryStore

    def close(self) -> None:
        self.checkpointer.conn.close()


def open_stores(settings: Settings) -> Stores:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embedder = get_embedder(settings.embedding_model)
    return Stores(
        checkpointer=open_checkpointer(settings.data_dir),
        ledger=Ledger(default_url(settings.data_dir)),
        memory=MemoryStore(settings.data_dir / "memory", embedder, chroma_url=settings.chroma_url),
    )


def user_data_stores(settings: Settings) -> list[UserDataStore]:
    """All per-user stores (conversations, memories, ledger) for export / forget / import."""
    from companion.service import Companion

    return Companion(settings).data_stores()


def memory_texts(settings: Settings) -> list[str]:
    """The person's active memories as plain texts (for the relationship summary)."""
    from companion.service import Companion

    companion = Companion(settings)
    return [record.text for record in companion.stores.memory.list(settings.user_id)]
