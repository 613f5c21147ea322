"""An optional second opinion from a language model, via litellm structured output.

The local detector is the default (offline, ~ms); a strong model may catch phrasings the
small classifier misses. ``combine`` merges both so that neither can hide a signal the other
saw: scores take the maximum and fired lists are united (crisis can only be added, never
removed).
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, Field, ValidationError, create_model

from alignment.signals.detector import SignalReport
from alignment.signals.errors import SignalError
from alignment.signals.names import DESCRIPTIONS, SIGNAL_NAMES


class Judgement(BaseModel):
    score: float = Field(ge=0.0, le=1.0, description="How strongly the message shows it, 0 to 1.")
    reason: str = Field("", description="A few words quoting what suggests it, or empty.")


LLMAssessment: type[BaseModel] = create_model(  # one field per signal: strict-schema friendly
    "LLMAssessment",
    **{name: (Judgement, Field(description=DESCRIPTIONS[name])) for name in SIGNAL_NAMES},
)

_INSTRUCTIONS = (
    "You label one message a person sent to an AI companion. For each signal give a score "
    "from 0 to 1 for how clearly the message itself shows it, and a short reason quoting the "
    "words that suggest it (empty when the score is low). Signals concern the sender, not "
    "people they talk about; idioms such as 'this deadline is killing me' are not crisis.\n"
    + "\n".join(f"- {name}: the sender {DESCRIPTIONS[name]}" for name in SIGNAL_NAMES)
)


class LLMSignalError(SignalError):
    """The model call failed or its answer did not match the schema."""


class LLMSignalDetector:
    """Asks any litellm model for the signals; same report shape as the local detector."""

    def __init__(self, model: str, threshold: float = 0.5, **completion_kwargs: Any) -> None:
        self.model = model
        self.threshold = threshold
        self._kwargs = completion_kwargs  # api_base, api_key, timeout, mock_response ...

    def assess(self, text: str) -> SignalReport:
        if not text.strip():
            return SignalReport.empty()
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        import litellm

        try:
            response = litellm.completion(
                model=self.model,
                messages=[
                    {"role": "system", "content": _INSTRUCTIONS},
                    {"role": "user", "content": text},
                ],
                response_format=LLMAssessment,
                temperature=0,
                **self._kwargs,
            )
            content = response.choices[0].message.content or ""
            parsed = LLMAssessment.model_validate_json(content)
        except ValidationError as exc:
            raise LLMSignalError(f"{self.model} answered outside the signal schema: {exc}") from exc
        except Exception as exc:  # litellm raises many provider-specific types
            raise LLMSignalError(f"signal request to {self.model} failed: {exc}") from exc
        judgements: dict[str, Judgement] = {n: getattr(parsed, n) for n in SIGNAL_NAMES}
        scores = {n: round(j.score, 4) for n, j in judgements.items()}
        fired = [n for n in SIGNAL_NAMES if scores[n] >= self.threshold]
        reasons = {
            n: f"{DESCRIPTIONS[n]}: '{judgements[n].reason}'"
            if judgements[n].reason
            else DESCRIPTIONS[n]
            for n in fired
        }
        return SignalReport(scores=scores, fired=fired, reasons=reasons)


def combine(local: SignalReport, other: SignalReport) -> SignalReport:
    """Merge two reports: maximum score, union of fired signals, local reasons first."""
    scores = {n: max(local.scores.get(n, 0.0), other.scores.get(n, 0.0)) for n in SIGNAL_NAMES}
    fired = [n for n in SIGNAL_NAMES if n in local.fired or n in other.fired]
    reasons = {n: local.reasons.get(n) or other.reasons.get(n, DESCRIPTIONS[n]) for n in fired}
    return SignalReport(scores=scores, fired=fired, reasons=reasons)
