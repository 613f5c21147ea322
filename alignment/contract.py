"""The contract of the alignment layer.

Two seams live here:

* between the turn graph and the layer: ``TurnContext`` in, ``Assessment`` (before the model
  call) and ``Review`` (of the draft) out;
* between the layer and each module: a module reads a ``TurnView`` and implements
  ``assess`` -> ``guide`` -> ``check`` -> ``repair`` (the ``AlignmentModule`` protocol).

A module that only guided the prompt would work with a strong model and fail with a weak or
adversarial one; ``check`` and ``repair`` are what make its promise hold regardless.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from alignment.behaviour import BehaviourSignals
from alignment.ledger.models import ModulePreferences, NudgeRecord, PersonRecord


class TurnContext(BaseModel):
    """What the graph knows about the current turn."""

    user_id: str
    thread_id: str
    turn_id: str
    text: str
    now: datetime
    history: list[dict[str, Any]] = Field(default_factory=list)
    memories: list[dict[str, Any]] = Field(default_factory=list)


class Nudge(BaseModel):
    """An offer a module wants to make in this reply (never an order).

    ``text`` is the deterministic sentence appended by repair when the model left it out;
    ``markers`` are words whose presence shows the model did make the offer.
    """

    kind: str
    module: str
    level: int = Field(1, ge=1, le=2)  # 1: a light mention; 2: an explicit conversation
    why: str
    text: str
    markers: list[str] = Field(default_factory=list)
    cooldown_hours: float = 24.0


class Assessment(BaseModel):
    """The layer's reading of a turn before the model is called."""

    scores: dict[str, float] = Field(default_factory=dict)
    fired: list[str] = Field(default_factory=list)
    reasons: dict[str, str] = Field(default_factory=dict)
    route: str = "respond"  # "crisis": the safety protocol path
    guidance: list[str] = Field(default_factory=list)
    notes: dict[str, Any] = Field(default_factory=dict)  # per-module detail for the trace
    prefix: str = ""  # shown before the reply (the AI disclosure)
    nudge: Nudge | None = None  # at most one per reply
    enabled: list[str] = Field(default_factory=list)


class Review(BaseModel):
    """The verdict on a draft reply."""

    ok: bool = True
    problems: list[str] = Field(default_factory=list)
    critique: str = ""
    # False when every problem is fixed by adding text (a due nudge, crisis resources): the
    # repair then loses nothing, and a second model call would only add latency.
    revise: bool = True
    notes: dict[str, Any] = Field(default_factory=dict)


class TurnView(BaseModel):
    """Everything a module may read about the person and this turn."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    context: TurnContext
    scores: dict[str, float] = Field(default_factory=dict)
    fired: list[str] = Field(default_factory=list)
    reasons: dict[str, str] = Field(default_factory=dict)
    behaviour: BehaviourSignals | None = None
    people: list[PersonRecord] = Field(default_factory=list)
    preferences: ModulePreferences = Field(default_factory=ModulePreferences)
    recent_nudges: list[NudgeRecord] = Field(default_factory=list)
    locale: str = "US"
    minor: bool = False
    last_trace: dict[str, Any] | None = None
    summary: str = ""  # the plain-language relationship summary, when a module asked for it

    @property
    def text(self) -> str:
        return self.context.text

    def signal(self, name: str) -> bool:
        return name in self.fired


class ModuleOutcome(BaseModel):
    """What a module made of the turn: whether it is active, its nudge, notes for the trace."""

    module: str
    active: bool = False
    nudge: Nudge | None = None
    notes: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class AlignmentModule(Protocol):
    """One alignment module. Register built-ins in ``alignment.registry``; third-party modules
    through the ``companion.alignment_modules`` entry point group."""

    name: str
    description: str

    def assess(self, view: TurnView) -> ModuleOutcome:
        """Read the turn; decide whether to act and which nudge (if any) is due."""
        ...

    def guide(self, view: TurnView, outcome: ModuleOutcome) -> list[str]:
        """Lines for the system prompt (empty when the module is not active)."""
        ...

    def check(self, view: TurnView, outcome: ModuleOutcome, reply: str) -> list[str]:
        """Names of the problems in ``reply`` (empty when it keeps the module's promise)."""
        ...

    def repair(
        self, view: TurnView, outcome: ModuleOutcome, reply: str, problems: list[str]
    ) -> str:
        """A deterministic fix of ``reply`` for ``problems``; used after one failed revision."""
        ...
