"""The suite's data at its boundaries: scenarios (from YAML), check results and the report."""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

Category = Literal[
    "neutral",
    "loneliness",
    "ai_preference",
    "dependence",
    "decision",
    "validation",
    "withdrawal",
    "social_report",
    "goodbye",
    "crisis",
    "romantic",
    "nature",
    "transparency",
    "late_night",
    "long_session",
    "nudge_autonomy",
    "manipulation_bait",
    "distress",
]
CATEGORIES: tuple[str, ...] = get_args(Category)

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{2,63}$")


class CheckSpec(BaseModel):
    """One requirement on a reply: a check name and its argument (None for plain checks)."""

    model_config = ConfigDict(frozen=True)

    name: str
    arg: Any = None

    @property
    def label(self) -> str:
        """``nudge:reach_out`` style name, used to aggregate pass rates per requirement."""
        if self.arg is None:
            return self.name
        if isinstance(self.arg, list):
            return f"{self.name}:{'|'.join(map(str, self.arg))}"
        return f"{self.name}:{self.arg}"


class Turn(BaseModel):
    """One message from the person and what the companion's reply must (and must not) do."""

    model_config = ConfigDict(extra="forbid")

    user: str = Field(min_length=1)
    at: str | None = None
    checks: list[CheckSpec] = Field(default_factory=list)
    note: str = ""

    @field_validator("checks", mode="before")
    @classmethod
    def _parse_checks(cls, value: Any) -> list[CheckSpec]:
        """YAML gives ``- no_nudge`` or ``- nudge: sleep``; both become a ``CheckSpec``."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError("checks must be a list")
        specs = []
        for item in value:
            if isinstance(item, CheckSpec):
                specs.append(item)
            elif isinstance(item, str):
                specs.append(CheckSpec(name=item))
            elif isinstance(item, dict) and len(item) == 1:
                ((name, arg),) = item.items()
                specs.append(CheckSpec(name=str(name), arg=arg))
            else:
                raise ValueError(f"a check is a name or a one-key mapping, not {item!r}")
        return specs


class Scenario(BaseModel):
    """A scripted conversation with one invented person."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = Field(min_length=3)
    category: Category
    calls_for_nudge: bool
    description: str = ""
    start: str = "day 1 10:00"
    locale: str = "US"
    turns: list[Turn] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("id must be 3-64 characters of a-z, 0-9, '-' or '_'")
        return value

    @model_validator(mode="after")
    def _nudge_consistency(self) -> Scenario:
        wants = [c for t in self.turns for c in t.checks if c.name == "nudge"]
        if self.calls_for_nudge and not wants:
            raise ValueError("calls_for_nudge is true but no turn has a 'nudge' check")
        if not self.calls_for_nudge and wants:
            raise ValueError("a turn has a 'nudge' check but calls_for_nudge is false")
        return self


class CheckResult(BaseModel):
    """The outcome of one check on one reply."""

    check: str
    passed: bool
    detail: str = ""


class TurnResult(BaseModel):
    index: int
    at: str
    user: str
    reply: str
    prefix: str = ""
    kind: str = "done"  # done / error / notice (from the companion)
    route: str = "respond"
    fired: list[str] = Field(default_factory=list)
    nudge: dict[str, Any] | None = None
    nudge_seen: str | None = None  # the nudge kind the reply carries (trace or wording)
    review: list[dict[str, Any]] = Field(default_factory=list)
    violations: list[str] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    turn_ms: float = 0.0
    alignment_ms: float = 0.0  # assess + review + the ledger write (ALIGNMENT_NODES)
    alignment_local_ms: float = 0.0  # the same without the revision's model call
    model_ms: float = 0.0
    timings_ms: dict[str, float] = Field(default_factory=dict)  # per graph node, from the trace

    @computed_field
    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


class ScenarioResult(BaseModel):
    id: str
    title: str
    category: str
    calls_for_nudge: bool
    turns: list[TurnResult] = Field(default_factory=list)
    error: str | None = None

    @computed_field
    @property
    def passed(self) -> bool:
        return self.error is None and all(t.passed for t in self.turns)

    @computed_field
    @property
    def checks_passed(self) -> int:
        return sum(c.passed for t in self.turns for c in t.checks)

    @computed_field
    @property
    def checks_total(self) -> int:
        return sum(len(t.checks) for t in self.turns)


class Percentiles(BaseModel):
    p50: float = 0.0
    p95: float = 0.0
    n: int = 0


class Target(BaseModel):
    name: str
    value: float | None
    goal: str
    met: bool | None
    detail: str = ""


class SuiteReport(BaseModel):
    """Everything one run measured; the markdown report is rendered from this."""

    model: str
    modules: list[str]
    persona: str
    alignment: bool = True
    started: str
    seconds: float
    scenarios: list[ScenarioResult]
    per_requirement: dict[str, dict[str, int]] = Field(default_factory=dict)
    targets: list[Target] = Field(default_factory=list)
    nudges_given: dict[str, int] = Field(default_factory=dict)
    violations_in_final: dict[str, int] = Field(default_factory=dict)
    violations_in_drafts: dict[str, int] = Field(default_factory=dict)  # caught by review
    turn_latency_ms: Percentiles = Field(default_factory=Percentiles)
    alignment_latency_ms: Percentiles = Field(default_factory=Percentiles)
    alignment_local_latency_ms: Percentiles = Field(default_factory=Percentiles)
    failures: list[dict[str, Any]] = Field(default_factory=list)
    load_average: list[float] = Field(default_factory=list)
