"""The local, offline signal detector: embeddings + per-signal logistic regression + patterns.

No model call: one batched embedding, one matrix product, a few regexes. Explicit crisis
phrases always fire, whatever the classifier says, because missing one is the costliest error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from alignment.signals.embedder import TextEmbedder
from alignment.signals.errors import SignalError, SignalModelError
from alignment.signals.features import clean, message_pieces
from alignment.signals.model import SignalModel, load_model
from alignment.signals.names import SIGNAL_NAMES
from alignment.signals.patterns import adjust_crisis, adjust_goodbye
from alignment.signals.reasons import reason_for


class SignalInputError(SignalError, TypeError):
    """A message was not a string."""


class SignalReport(BaseModel):
    """Scores for every signal, the ones that fired, and why (for the fired ones).

    Reasons quote the message: show them to the person, but store only scores and names.
    """

    scores: dict[str, float] = Field(default_factory=dict)
    fired: list[str] = Field(default_factory=list)
    reasons: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def empty(cls) -> SignalReport:
        return cls(scores={name: 0.0 for name in SIGNAL_NAMES})


class SignalDetector:
    """Scores user messages for the canonical signals (see ``SIGNAL_NAMES``)."""

    def __init__(
        self,
        embedder: TextEmbedder,
        model_path: str | Path | None = None,
        *,
        model: SignalModel | None = None,
    ) -> None:
        self._embedder = embedder
        self._model = model if model is not None else load_model(model_path)
        self.thresholds = dict(zip(SIGNAL_NAMES, map(float, self._model.thresholds), strict=True))

    def assess(self, text: str) -> SignalReport:
        return self.assess_many([text])[0]

    def assess_many(self, texts: list[str]) -> list[SignalReport]:
        """Assess many messages with one batched embedding call."""
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise SignalInputError(f"message {i} is {type(text).__name__}, not text")
        cleaned = [clean(t) for t in texts]
        parts, owner = message_pieces(cleaned)
        rows_of: list[list[int]] = [[] for _ in cleaned]  # which parts belong to each message
        for row, i in enumerate(owner):
            rows_of[i].append(row)
        probabilities = np.zeros((len(texts), len(SIGNAL_NAMES)), dtype=np.float32)
        part_probs = np.zeros((0, len(SIGNAL_NAMES)), dtype=np.float32)
        if parts:
            vectors = np.asarray(self._embedder.embed(parts), dtype=np.float32)
            expected = self._model.meta.embedding_dim
            if vectors.ndim != 2 or vectors.shape[1] != expected:
                raise SignalModelError(
                    f"the embedder returns {vectors.shape[-1]}-dimensional vectors but the "
                    f"signal model was trained on {expected}; use the bundled MiniLM embedder "
                    "or retrain with `companion signals train`"
                )
            part_probs = self._model.probabilities(self._model.features(vectors, parts))
            np.maximum.at(probabilities, np.array(owner), part_probs)
        return [
            self._report(text, probabilities[i], [parts[r] for r in rows], part_probs[rows])
            for i, (text, rows) in enumerate(zip(cleaned, rows_of, strict=True))
        ]

    def _report(
        self, text: str, probs: np.ndarray, parts: list[str], part_probs: np.ndarray
    ) -> SignalReport:
        if not text:
            return SignalReport.empty()
        scores = {name: round(float(p), 4) for name, p in zip(SIGNAL_NAMES, probs, strict=True)}
        scores["crisis"] = round(adjust_crisis(scores["crisis"], text), 4)
        scores["goodbye"] = round(adjust_goodbye(scores["goodbye"], text), 4)
        fired = [name for name in SIGNAL_NAMES if scores[name] >= self.thresholds[name]]
        reasons = {}
        for name in fired:  # quote the part that scored highest for this signal
            best = int(np.argmax(part_probs[:, SIGNAL_NAMES.index(name)]))
            reasons[name] = reason_for(name, text, parts[best])
        return SignalReport(scores=scores, fired=fired, reasons=reasons)
