"""Train the per-signal classifiers and pick their thresholds (``companion signals train``).

Deterministic: fixed fold seed, deterministic solver, thresholds on a 0.01 grid. Thresholds
come from out-of-fold scores (5-fold cross-validation over the training file): every training
message is scored once by a model that did not see it (nor its neighbour features), which is a
larger validation split than one hold-out of a few hundred rows could give. The test file is
only read to report numbers, never to fit or choose anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from alignment.signals.dataset import (
    TEST_FILE,
    TRAIN_FILE,
    file_digest,
    label_matrix,
    load_messages,
)
from alignment.signals.embedder import TextEmbedder
from alignment.signals.features import (
    CUE_SCALE,
    KNN_K,
    KNN_WEIGHT,
    clean,
    cue_matrix,
    feature_matrix,
    message_pieces,
    signal_groups,
)
from alignment.signals.metrics import per_signal, prf
from alignment.signals.model import DEFAULT_MODEL_DIR, ModelMeta, SignalMetrics, SignalModel
from alignment.signals.names import SIGNAL_NAMES
from alignment.signals.patterns import adjust_crisis, adjust_goodbye

SEED = 20261126
FOLDS = 5
C_GRID = (8.0, 16.0, 32.0)
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
# Missing a crisis costs far more than a false alarm: its threshold must keep validation
# recall at or above this floor, and only then is F1 maximised.
RECALL_FLOOR = {"crisis": 0.9}


@dataclass
class TrainResult:
    model: SignalModel
    validation: dict[str, SignalMetrics]
    test: dict[str, SignalMetrics]


def _classifier(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000, solver="lbfgs")


def _out_of_fold(
    vectors: np.ndarray, cues: np.ndarray, labels: np.ndarray, c: float, parts: _Parts
) -> np.ndarray:
    """Validation scores: each row scored by a model (and neighbours) fitted without it.

    A row is scored the way the detector scores a message: every piece of it (the whole
    message and, for a short one, each sentence) is scored and the row takes the highest.
    Thresholds picked on whole-message scores alone would sit too low for that maximum.
    """
    scores = np.zeros(labels.shape, dtype=np.float64)
    for j in range(labels.shape[1]):
        folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
        for fit, val in folds.split(vectors, labels[:, j]):
            ref, ref_labels = vectors[fit], labels[fit]
            groups = signal_groups(ref_labels)
            fit_x = feature_matrix(ref, cues[fit], ref, groups, exclude_self=True)
            clf = _classifier(c).fit(fit_x, labels[fit, j])
            in_val = np.isin(parts.owner, val)
            val_x = feature_matrix(parts.vectors[in_val], parts.cues[in_val], ref, groups)
            piece_scores = clf.predict_proba(val_x)[:, 1]
            column = np.zeros(len(labels))
            np.maximum.at(column, parts.owner[in_val], piece_scores)
            scores[val, j] = column[val]
    return scores


@dataclass
class _Parts:
    """The scored pieces of every training message (see ``features.message_pieces``)."""

    vectors: np.ndarray
    cues: np.ndarray
    owner: np.ndarray  # row of the message each piece belongs to


def _embed_parts(embedder: TextEmbedder, texts: list[str]) -> _Parts:
    flat, owner = message_pieces(texts)
    vectors = np.asarray(embedder.embed(flat), dtype=np.float16).astype(np.float32)
    return _Parts(vectors, cue_matrix(flat), np.array(owner))


def choose_threshold(truth: np.ndarray, scores: np.ndarray, recall_floor: float = 0.0) -> float:
    """The centre of the best F1 plateau (robust to one lucky cut-off), among the thresholds
    whose recall reaches ``recall_floor`` (when none does, the lowest grid threshold)."""
    grid = np.array(
        [t for t in THRESHOLD_GRID if prf(truth, (scores >= t).astype(int))[1] >= recall_floor]
    )
    if grid.size == 0:
        return float(THRESHOLD_GRID[0])
    values = np.array([prf(truth, (scores >= t).astype(int))[2] for t in grid])
    near_best = grid[values >= values.max() - 0.005]
    return float(np.round(np.median(near_best), 2))


def train(
    embedder: TextEmbedder,
    data_dir: Path = DEFAULT_MODEL_DIR,
    out_dir: Path | None = None,
) -> TrainResult:
    """Fit on ``data_dir/train.jsonl``, save to ``out_dir`` (default: ``data_dir``)."""
    # Hundreds of tiny fits: BLAS worker threads only add hand-off cost (seconds per fit on a
    # busy machine), and one thread also keeps the arithmetic order, so results, fixed.
    with threadpool_limits(limits=1):
        return _train(embedder, data_dir, out_dir)


def _mean_best_f1(labels: np.ndarray, scores: np.ndarray) -> float:
    """Macro F1 over signals, each at its own best threshold (to compare settings of C)."""
    f1s = []
    for j in range(labels.shape[1]):
        threshold = choose_threshold(labels[:, j], scores[:, j])
        f1s.append(prf(labels[:, j], (scores[:, j] >= threshold).astype(int))[2])
    return float(np.mean(f1s))


def _train(embedder: TextEmbedder, data_dir: Path, out_dir: Path | None) -> TrainResult:
    train_path = data_dir / TRAIN_FILE
    rows = load_messages(train_path)
    texts = [clean(r.text) for r in rows]
    # Rounded to float16 as stored, so training sees exactly the neighbours inference will.
    vectors = np.asarray(embedder.embed(texts), dtype=np.float16).astype(np.float32)
    labels = label_matrix(rows)
    cues = cue_matrix(texts)
    parts = _embed_parts(embedder, texts)

    best_c, best_mean, best_scores = C_GRID[0], -1.0, np.zeros(0)
    for c in C_GRID:
        scores = _out_of_fold(vectors, cues, labels, c, parts)
        mean_f1 = _mean_best_f1(labels, scores)
        if mean_f1 > best_mean + 1e-9:
            best_c, best_mean, best_scores = c, mean_f1, scores

    # Thresholds are chosen on the scores the detector really uses (after the idiom rules).
    for name, adjust in (("crisis", adjust_crisis), ("goodbye", adjust_goodbye)):
        j = SIGNAL_NAMES.index(name)
        best_scores[:, j] = [adjust(s, t) for s, t in zip(best_scores[:, j], texts, strict=True)]
    thresholds = {
        name: choose_threshold(labels[:, j], best_scores[:, j], RECALL_FLOOR.get(name, 0.0))
        for j, name in enumerate(SIGNAL_NAMES)
    }
    predicted = np.column_stack(
        [best_scores[:, j] >= thresholds[n] for j, n in enumerate(SIGNAL_NAMES)]
    ).astype(int)
    validation = per_signal(labels, predicted)

    keep = labels.sum(axis=1) > 0  # neighbours only ever come from labelled positives
    features = feature_matrix(vectors, cues, vectors, signal_groups(labels), exclude_self=True)
    weights = np.zeros((len(SIGNAL_NAMES), features.shape[1]), dtype=np.float32)
    bias = np.zeros(len(SIGNAL_NAMES), dtype=np.float32)
    for j in range(len(SIGNAL_NAMES)):
        clf = _classifier(best_c).fit(features, labels[:, j])
        weights[j], bias[j] = clf.coef_[0], clf.intercept_[0]

    meta = ModelMeta(
        signals=list(SIGNAL_NAMES),
        thresholds=thresholds,
        embedding_dim=vectors.shape[1],
        cue_scale=CUE_SCALE,
        knn_k=KNN_K,
        knn_weight=KNN_WEIGHT,
        regularisation_c=best_c,
        train_rows=len(rows),
        data_sha256=file_digest(train_path),
        validation=validation,
    )
    model = SignalModel(weights, bias, vectors[keep], labels[keep], meta)
    model.save(out_dir or data_dir)
    test = _test_metrics(embedder, model, data_dir)
    return TrainResult(model=model, validation=validation, test=test)


def _test_metrics(
    embedder: TextEmbedder, model: SignalModel, data_dir: Path
) -> dict[str, SignalMetrics]:
    path = data_dir / TEST_FILE
    if not path.is_file():
        return {}
    from alignment.signals.detector import SignalDetector

    rows = load_messages(path)
    detector = SignalDetector(embedder, model=model)
    reports = detector.assess_many([r.text for r in rows])
    predicted = np.array([[int(n in rep.fired) for n in SIGNAL_NAMES] for rep in reports])
    return per_signal(label_matrix(rows), predicted)
