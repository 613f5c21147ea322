"""One person's memories held in process for fast hybrid retrieval.

Chroma is the store of record; this index mirrors one user's collection (vectors, BM25
postings, times, importance, people) so that a query is a matrix-vector product plus a few
postings lookups (a few ms even at 100k memories) instead of several store round trips.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from memory.lexical import LexicalIndex
from memory.models import MemoryRecord, MemoryStatus


def index_text(record: MemoryRecord) -> str:
    """What lexical search matches: the text, its context and its date in words."""
    when = record.created_at
    date_words = f"{when.day} {when.strftime('%B %Y')}"
    return f"{record.text} {record.context} {date_words}"


@dataclass
class UserIndex:
    dimension: int
    version: str = ""
    ids: list[str] = field(default_factory=list)
    records: list[MemoryRecord | None] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    lexical: LexicalIndex = field(default_factory=LexicalIndex)
    people_rows: dict[str, set[int]] = field(default_factory=dict)  # name -> rows naming them
    slot_ids: dict[str, set[str]] = field(default_factory=dict)  # slot -> ids (any status)
    _vectors: np.ndarray | None = None
    _active: np.ndarray | None = None
    _importance: np.ndarray | None = None
    _last_used: np.ndarray | None = None

    def __post_init__(self) -> None:
        self._grow(64)

    def _grow(self, capacity: int) -> None:
        def resized(old: np.ndarray | None, shape: tuple[int, ...], dtype: type) -> np.ndarray:
            new = np.zeros(shape, dtype=dtype)
            if old is not None:
                new[: len(old)] = old
            return new

        self._vectors = resized(self._vectors, (capacity, self.dimension), np.float32)
        self._active = resized(self._active, (capacity,), bool)
        self._importance = resized(self._importance, (capacity,), np.float32)
        self._last_used = resized(self._last_used, (capacity,), np.float64)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def vectors(self) -> np.ndarray:
        return self._vectors[: self.n]

    @property
    def active(self) -> np.ndarray:
        return self._active[: self.n]

    @property
    def importance(self) -> np.ndarray:
        return self._importance[: self.n]

    @property
    def last_used(self) -> np.ndarray:
        return self._last_used[: self.n]

    def add(self, record: MemoryRecord, vector: np.ndarray) -> None:
        """Add or replace (same id) a record; replaced rows are retired, not reused."""
        if record.id in self.rows:
            self.remove(record.id)
        if self.n == len(self._vectors):
            self._grow(len(self._vectors) * 2)
        row = self.lexical.add(index_text(record))
        assert row == self.n
        self.ids.append(record.id)
        self.records.append(record)
        self.rows[record.id] = row
        self._vectors[row] = vector
        self._active[row] = record.status == MemoryStatus.active
        self._importance[row] = record.importance
        self._last_used[row] = record.last_used_at.timestamp()
        self._link(record, row)

    def _link(self, record: MemoryRecord, row: int) -> None:
        for name in record.people:
            self.people_rows.setdefault(name, set()).add(row)
        if record.slot:
            self.slot_ids.setdefault(record.slot, set()).add(record.id)

    def _unlink(self, record: MemoryRecord, row: int) -> None:
        for name in record.people:
            self.people_rows.get(name, set()).discard(row)
        if record.slot:
            self.slot_ids.get(record.slot, set()).discard(record.id)

    def update_meta(self, record: MemoryRecord) -> None:
        """A change that keeps the text (status, sources, times): no re-indexing needed."""
        row = self.rows[record.id]
        self._unlink(self.records[row], row)
        self.records[row] = record
        self._link(record, row)
        self._active[row] = record.status == MemoryStatus.active
        self._importance[row] = record.importance
        self._last_used[row] = record.last_used_at.timestamp()

    def remove(self, memory_id: str) -> None:
        row = self.rows.pop(memory_id)
        self._unlink(self.records[row], row)
        self.lexical.remove(row)
        self.records[row] = None
        self._active[row] = False

    def get(self, memory_id: str) -> MemoryRecord | None:
        row = self.rows.get(memory_id)
        return None if row is None else self.records[row]

    def vector(self, memory_id: str) -> np.ndarray:
        return self._vectors[self.rows[memory_id]]

    def best_match(self, vectors: np.ndarray, chunk: int = 128) -> tuple[np.ndarray, np.ndarray]:
        """For each vector, the most similar active row and its cosine (-1 when none)."""
        rows = np.full(len(vectors), -1, dtype=np.int64)
        sims = np.full(len(vectors), -1.0, dtype=np.float32)
        if not self.n or not self.active.any():
            return rows, sims
        penalty = np.where(self.active, 0.0, -10.0).astype(np.float32)
        for start in range(0, len(vectors), chunk):
            block = vectors[start : start + chunk] @ self.vectors.T + penalty
            best = np.argmax(block, axis=1)
            rows[start : start + chunk] = best
            sims[start : start + chunk] = block[np.arange(len(best)), best]
        return rows, sims

    def live_records(self) -> list[MemoryRecord]:
        return [r for r in self.records if r is not None]
