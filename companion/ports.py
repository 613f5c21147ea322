"""The seams where memory and the alignment modules plug into the turn graph.

The graph only knows these small protocols. ``companion.wiring`` adapts the real ``memory`` and
``alignment`` packages to them; tests and forks can pass their own. ``NoAlignment`` and
``NoMemory`` make the graph work with nothing plugged in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, Field


class TurnContext(BaseModel):
    """What every port sees of the current turn."""

    user_id: str
    thread_id: str
    turn_id: str
    text: str
    now: datetime
    history: list[dict[str, Any]] = Field(default_factory=list)
    memories: list[dict[str, Any]] = Field(default_factory=list)


class Assessment(BaseModel):
    """The alignment layer's reading of a turn before the model is called."""

    scores: dict[str, float] = Field(default_factory=dict)
    fired: list[str] = Field(default_factory=list)
    reasons: dict[str, str] = Field(default_factory=dict)
    route: str = "respond"  # "crisis" sends the turn down the safety protocol path
    guidance: list[str] = Field(default_factory=list)  # lines for the system prompt
    notes: dict[str, Any] = Field(default_factory=dict)  # per-module detail for the trace
    prefix: str = ""  # text shown before the reply (e.g. the AI disclosure)


class Review(BaseModel):
    """The verdict on a draft reply."""

    ok: bool = True
    problems: list[str] = Field(default_factory=list)  # violation / missing-requirement names
    critique: str = ""  # instruction for the one revision
    notes: dict[str, Any] = Field(default_factory=dict)


class AlignmentPort(Protocol):
    def assess(self, ctx: TurnContext) -> Assessment: ...

    def review(self, ctx: TurnContext, assessment: Assessment, draft: str) -> Review: ...

    def repair(
        self, ctx: TurnContext, assessment: Assessment, draft: str, review: Review
    ) -> str: ...

    def record(
        self, ctx: TurnContext, assessment: Assessment, reply: str, trace: dict[str, Any]
    ) -> None: ...


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


class NoMemory:
    def retrieve(
        self, user_id: str, query: str, recent_turn_ids: frozenset[str] = frozenset()
    ) -> tuple[list[dict[str, Any]], str]:
        return [], ""

    def remember(self, user_id: str, text: str, turn_id: str, at: datetime) -> list[dict[str, Any]]:
        return []
