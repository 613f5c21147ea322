"""The seams where memory and the alignment modules plug into the turn graph.

The graph only knows these small protocols (the turn's data shapes are defined by the
alignment layer in ``alignment.contract``). ``companion.wiring`` adapts the real ``memory`` and
``alignment`` packages to them; tests and forks can pass their own. ``NoAlignment`` and
``NoMemory`` make the graph work with nothing plugged in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from alignment.contract import Assessment, Review, TurnContext

__all__ = [
    "AlignmentPort",
    "Assessment",
    "MemoryPort",
    "NoAlignment",
    "NoMemory",
    "Review",
    "TurnContext",
]


class AlignmentPort(Protocol):
    def assess(self, ctx: TurnContext) -> Assessment: ...

    def review(self, ctx: TurnContext, assessment: Assessment, draft: str) -> Review: ...

    def repair(
        self, ctx: TurnContext, assessment: Assessment, draft: str, review: Review
    ) -> str: ...

    def record(
        self, ctx: TurnContext, assessment: Assessment, reply: str, trace: dict[str, Any]
    ) -> None: ...

    def prefetch(self, partial_reply: str) -> None:
        """Called as the reply streams in: a chance to start checking finished sentences
        while the model is still writing. Must return at once and never raise."""
        ...

    def warm_up(self, user_id: str, now: datetime) -> None:
        """Called once when the companion opens, before the first message: a chance to pay
        one-time costs (preparing database statements, a model's first run) while the person
        is still typing. Must store nothing; may raise (the caller logs and goes on)."""
        ...


class MemoryPort(Protocol):
    def retrieve(
        self, user_id: str, query: str, recent_turn_ids: frozenset[str] = frozenset()
    ) -> tuple[list[dict[str, Any]], str]:
        """The memories for this turn (none already in ``recent_turn_ids``) and the text to
        quote into the prompt (already quoted as data)."""
        ...

    def remember(
        self, user_id: str, text: str, turn_id: str, at: datetime
    ) -> list[dict[str, Any]]: ...


class NoAlignment:
    """Nothing plugged in: every draft passes as written."""

    def assess(self, ctx: TurnContext) -> Assessment:
        return Assessment()

    def review(self, ctx: TurnContext, assessment: Assessment, draft: str) -> Review:
        return Review()

    def repair(self, ctx: TurnContext, assessment: Assessment, draft: str, review: Review) -> str:
        return draft

    def record(
        self, ctx: TurnContext, assessment: Assessment, reply: str, trace: dict[str, Any]
    ) -> None:
        return None

    def prefetch(self, partial_reply: str) -> None:
        return None

    def warm_up(self, user_id: str, now: datetime) -> None:
        return None


class NoMemory:
    def retrieve(
        self, user_id: str, query: str, recent_turn_ids: frozenset[str] = frozenset()
    ) -> tuple[list[dict[str, Any]], str]:
        return [], ""

    def remember(self, user_id: str, text: str, turn_id: str, at: datetime) -> list[dict[str, Any]]:
        return []
