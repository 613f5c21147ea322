"""Fixtures: a fake embedder where meaning is irrelevant, MiniLM where it counts."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import numpy as np
import pytest

from memory import MemoryStore


class FakeEmbedder:
    """Bag-of-words hashing: equal texts get equal vectors, shared words raise similarity."""

    dimension = 64

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out[i, h % self.dimension] += 1.0 if (h >> 8) & 1 else -1.0
        out[:, 0] += 1e-3  # never an all-zero row
        return out / np.linalg.norm(out, axis=1, keepdims=True)


T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def minilm():
    from companion.embeddings import get_embedder

    return get_embedder()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(fake_embedder, clock, tmp_path) -> MemoryStore:
    return MemoryStore(tmp_path / "memory", fake_embedder, clock=clock)
