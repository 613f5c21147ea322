"""Long-term memory over chromadb: remember what matters, retrieve it well, and let the
person see, edit, export and erase it. No import of ``companion``: everything is injected."""

from memory.errors import (
    InvalidExport,
    InvalidMemoryText,
    InvalidUserId,
    MemoryNotFound,
    MemoryStoreError,
    MemoryUnavailable,
)
from memory.models import MemoryKind, MemoryRecord, MemoryStatus, Person, RetrievedMemory
from memory.prompt import format_for_prompt
from memory.store import Embedder, MemoryStore

__all__ = [
    "Embedder",
    "InvalidExport",
    "InvalidMemoryText",
    "InvalidUserId",
    "MemoryKind",
    "MemoryNotFound",
    "MemoryRecord",
    "MemoryStatus",
    "MemoryStore",
    "MemoryStoreError",
    "MemoryUnavailable",
    "Person",
    "RetrievedMemory",
    "format_for_prompt",
]
