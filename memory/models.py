"""The records the memory package stores and returns (pydantic, so every boundary validates)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class MemoryKind(StrEnum):
    fact = "fact"
    preference = "preference"
    person = "person"
    event = "event"
    episode = "episode"  # a summary of one conversation session


class MemoryStatus(StrEnum):
    """Only ``active`` records are retrieved; the others stay as history until erased."""

    active = "active"
    superseded = "superseded"  # a newer record contradicted it
    merged = "merged"  # folded into a near-duplicate during consolidation
    faded = "faded"  # decayed: old, unimportant and unused


class MemoryRecord(BaseModel):
    id: str
    user_id: str
    text: str
    kind: MemoryKind = MemoryKind.fact
    source_turn_ids: list[str] = Field(default_factory=list)
    created_at: datetime
    last_used_at: datetime
    importance: float = Field(0.5, ge=0.0, le=1.0)
    people: list[str] = Field(default_factory=list)
    status: MemoryStatus = MemoryStatus.active
    superseded_by: str | None = None
    # A key such as "favorite color" or "home": a newer record with the same slot and a
    # different value supersedes the older one.
    slot: str | None = None
    # The message that came just before (retrieval keys only: matched, never shown).
    context: str = ""


class RetrievedMemory(BaseModel):
    record: MemoryRecord
    score: float
    why: list[str] = Field(default_factory=list, description="Which signals matched.")


class Person(BaseModel):
    name: str
    relation: str | None = None
    last_mentioned: datetime
    mentions: int = 1
