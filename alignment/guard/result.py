"""What a guard check returns: per-sentence verdicts the repair step and the trace can use."""

from __future__ import annotations

from pydantic import BaseModel, Field, computed_field


class Finding(BaseModel):
    """One violation in one sentence, and why it was flagged."""

    violation: str
    reason: str
    source: str = Field(description="'pattern', 'context' or 'classifier'")
    score: float | None = Field(None, description="classifier probability, when it decided")


class SentenceVerdict(BaseModel):
    text: str
    start: int
    end: int
    violations: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @computed_field  # serialised too, so traces and the UI can show why
    @property
    def reasons(self) -> list[str]:
        return [f"{f.violation}: {f.reason}" for f in self.findings]


class GuardResult(BaseModel):
    """Every violation in the reply, in canonical order, and the verdict for each sentence."""

    violations: list[str] = Field(default_factory=list)
    sentences: list[SentenceVerdict] = Field(default_factory=list)
    classifier_used: bool = True

    @property
    def clean(self) -> bool:
        return not self.violations

    @property
    def offending(self) -> list[SentenceVerdict]:
        return [s for s in self.sentences if s.violations]
