"""The trained artefact: one logistic regression per signal, stored without pickle.

``model.npz`` holds the weights (signals x features), biases, and the labelled example vectors
the neighbour-similarity features compare against (float16); ``model.json`` holds the
signal order, the per-signal thresholds chosen on validation scores, and how it was trained.
Inference is one matrix product and a sigmoid, so it needs numpy only (no scikit-learn import
at run time, no pickle to trust).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from alignment.signals.errors import SignalModelError
from alignment.signals.features import cue_matrix, feature_matrix, signal_groups
from alignment.signals.names import SIGNAL_NAMES

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "signals"
WEIGHTS_FILE = "model.npz"
META_FILE = "model.json"


class SignalMetrics(BaseModel):
    precision: float
    recall: float
    f1: float
    support: int


class ModelMeta(BaseModel):
    """What ``model.json`` records next to the weights."""

    signals: list[str]
    thresholds: dict[str, float]
    embedding_dim: int
    cue_scale: float
    knn_k: int
    knn_weight: float
    regularisation_c: float
    train_rows: int
    data_sha256: str
    validation: dict[str, SignalMetrics] = Field(default_factory=dict)


class SignalModel:
    """Weights + thresholds, scoring feature rows into per-signal probabilities."""

    def __init__(
        self,
        weights: np.ndarray,
        bias: np.ndarray,
        examples: np.ndarray,
        example_labels: np.ndarray,
        meta: ModelMeta,
    ) -> None:
        n, d = len(meta.signals), meta.embedding_dim
        if weights.shape != (n, d + 2 * n) or bias.shape != (n,):
            raise SignalModelError(f"weights have shape {weights.shape}, expected {(n, d + 2 * n)}")
        if examples.shape[1:] != (d,) or example_labels.shape != (len(examples), n):
            raise SignalModelError("stored example vectors do not match the model")
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.examples = examples.astype(np.float32)
        self.example_labels = example_labels.astype(np.int8)
        self.groups = signal_groups(self.example_labels)
        self.meta = meta
        self.thresholds = np.array([meta.thresholds[s] for s in meta.signals], dtype=np.float32)

    def features(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        return feature_matrix(vectors, cue_matrix(texts), self.examples, self.groups)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        logits = features @ self.weights.T + self.bias
        return (1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))).astype(np.float32)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / WEIGHTS_FILE,
            weights=self.weights,
            bias=self.bias,
            examples=self.examples.astype(np.float16),
            example_labels=self.example_labels,
        )
        (directory / META_FILE).write_text(self.meta.model_dump_json(indent=2) + "\n")


def load_model(path: Path | str | None = None) -> SignalModel:
    """Load the artefact from a directory (default: the one shipped in the package)."""
    directory = Path(path) if path is not None else DEFAULT_MODEL_DIR
    if directory.is_file():
        directory = directory.parent
    return _load_cached(directory.resolve())


@lru_cache(maxsize=4)
def _load_cached(directory: Path) -> SignalModel:
    """Loaded once per directory and shared: every detector in the process reuses it."""
    weights_path, meta_path = directory / WEIGHTS_FILE, directory / META_FILE
    if not weights_path.is_file() or not meta_path.is_file():
        raise SignalModelError(
            f"no trained signal model in {directory} (expected {WEIGHTS_FILE} and {META_FILE}); "
            "run `companion signals train`"
        )
    try:
        meta = ModelMeta.model_validate(json.loads(meta_path.read_text()))
        with np.load(weights_path, allow_pickle=False) as arrays:
            weights, bias = arrays["weights"], arrays["bias"]
            examples, example_labels = arrays["examples"], arrays["example_labels"]
    except (ValueError, KeyError, OSError) as exc:
        raise SignalModelError(f"cannot read the signal model in {directory}: {exc}") from exc
    if list(meta.signals) != list(SIGNAL_NAMES):
        raise SignalModelError(
            f"the model in {directory} was trained for {meta.signals}, not {list(SIGNAL_NAMES)}"
        )
    return SignalModel(weights, bias, examples, example_labels, meta)
