"""The guard's small classifier: one logistic regression per violation over sentence vectors.

Stored as plain arrays (``.npz``) plus JSON metadata, never as a pickle, so loading a model file
cannot run code and the artefact stays a few kilobytes. Scoring is one matrix product.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from alignment.guard.violations import VIOLATIONS

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "guard" / "model.npz"


class GuardModelError(RuntimeError):
    """The model file is missing, unreadable or does not fit the embedder."""


class ModelMeta(BaseModel):
    """What the weights mean and how they were made (the JSON beside the ``.npz``)."""

    violations: list[str]
    thresholds: dict[str, float]
    dimension: int
    embedder: str | None = None
    regularisation: float
    train_rows: int
    train_sentences: int
    dataset_sha256: str
    notes: dict[str, str] = Field(default_factory=dict)


class GuardModel:
    """Weights ``(n_violations, dim)``, biases and per-violation decision thresholds."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, meta: ModelMeta) -> None:
        if weights.shape != (len(meta.violations), meta.dimension):
            raise GuardModelError(f"weights have shape {weights.shape}, metadata disagrees")
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.meta = meta

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Probability of each violation per row: shape ``(n, n_violations)``."""
        logits = vectors.astype(np.float32) @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def flags(self, vectors: np.ndarray) -> list[dict[str, float]]:
        """Per row, the violations whose probability reaches their threshold, with the score."""
        probs = self.probabilities(vectors)
        out: list[dict[str, float]] = []
        for row in probs:
            out.append(
                {
                    name: float(p)
                    for name, p in zip(self.meta.violations, row, strict=True)
                    if p >= self.meta.thresholds[name]
                }
            )
        return out

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, weights=self.weights, bias=self.bias)
        meta_path(path).write_text(self.meta.model_dump_json(indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> GuardModel:
        try:
            with np.load(path, allow_pickle=False) as arrays:
                weights, bias = arrays["weights"], arrays["bias"]
            meta = ModelMeta.model_validate(json.loads(meta_path(path).read_text()))
        except (OSError, KeyError, ValueError) as exc:
            raise GuardModelError(f"cannot load guard model from {path}: {exc}") from exc
        unknown = set(meta.violations) - set(VIOLATIONS)
        if unknown:
            raise GuardModelError(f"guard model at {path} has unknown violations {sorted(unknown)}")
        return cls(weights, bias, meta)


def meta_path(path: Path) -> Path:
    return path.with_suffix(".json")
