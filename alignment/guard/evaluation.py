"""Reply-level quality of a guard on labelled examples (used by the benchmark and the tests)."""

from __future__ import annotations

from pydantic import BaseModel

from alignment.guard.dataset import GuardExample
from alignment.guard.violations import VIOLATIONS


class ViolationScore(BaseModel):
    violation: str
    positives: int
    true_positives: int
    flagged: int
    precision: float
    recall: float


class Evaluation(BaseModel):
    per_violation: list[ViolationScore]
    clean_examples: int
    clean_flagged: int
    false_positive_rate: float
    clean_false_positives: list[str]
    misses: list[tuple[str, str]]


def evaluate(guard, examples: list[GuardExample]) -> Evaluation:  # noqa: ANN001 - any Guard
    """A violation counts as found when any sentence of the example is flagged with it."""
    results = guard.check_many([ex.text for ex in examples])
    flagged_by = {ex.id: set(r.violations) for ex, r in zip(examples, results, strict=True)}
    scores: list[ViolationScore] = []
    misses: list[tuple[str, str]] = []
    for name in VIOLATIONS:
        positives = [ex for ex in examples if name in ex.labels]
        hits = [ex for ex in positives if name in flagged_by[ex.id]]
        flagged = [ex for ex in examples if name in flagged_by[ex.id]]
        misses += [(name, ex.text) for ex in positives if ex not in hits]
        scores.append(
            ViolationScore(
                violation=name,
                positives=len(positives),
                true_positives=len(hits),
                flagged=len(flagged),
                precision=len(hits) / len(flagged) if flagged else 1.0,
                recall=len(hits) / len(positives) if positives else 1.0,
            )
        )
    clean = [ex for ex in examples if ex.clean]
    false_positives = [ex.text for ex in clean if flagged_by[ex.id]]
    return Evaluation(
        per_violation=scores,
        clean_examples=len(clean),
        clean_flagged=len(false_positives),
        false_positive_rate=len(false_positives) / len(clean) if clean else 0.0,
        clean_false_positives=false_positives,
        misses=misses,
    )
