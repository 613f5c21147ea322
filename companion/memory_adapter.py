"""Adapts ``memory.MemoryStore`` to the graph's ``MemoryPort``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from memory import MemoryStore, format_for_prompt


class StoreMemory:
    """Retrieval under a character budget for the prompt; the write path after each turn."""

    def __init__(self, store: MemoryStore, k: int = 8, char_budget: int = 2000) -> None:
        self.store = store
        self.k = k
        self.char_budget = char_budget

    def retrieve(
        self, user_id: str, query: str, recent_turn_ids: frozenset[str] = frozenset()
    ) -> tuple[list[dict[str, Any]], str]:
        found = self.store.retrieve(user_id, query, k=self.k, char_budget=self.char_budget)
        # What the model already sees in the recent history need not be repeated as memory.
        found = [m for m in found if not set(m.record.source_turn_ids) <= recent_turn_ids]
        memories = [
            {
                "id": m.record.id,
                "text": m.record.text,
                "kind": m.record.kind.value,
                "score": round(m.score, 3),
                "why": m.why,
                "people": list(m.record.people),
            }
            for m in found
        ]
        return memories, format_for_prompt(found)

    def remember(self, user_id: str, text: str, turn_id: str, at: datetime) -> list[dict[str, Any]]:
        records = self.store.remember_turn(user_id, text, turn_id, at)
        return [{"id": r.id, "kind": r.kind.value, "people": list(r.people)} for r in records]
