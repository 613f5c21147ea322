"""Deterministic training of the guard classifier from ``train.jsonl``.

One logistic regression per violation (one-vs-rest: every other example, clean or not, is a
negative). Each decision threshold is set from out-of-fold scores on the training data alone, so
that only a small share of clean training sentences would be flagged; the held-out split is never
read here. Fixed folds and a deterministic solver make the artefact reproducible.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from alignment.guard.dataset import TRAIN_PATH, GuardExample, fingerprint, load_examples
from alignment.guard.features import HASH_FEATURES, LEXICAL_WEIGHT, Embedder, featurise
from alignment.guard.model import GuardModel, ModelMeta
from alignment.guard.text import split_sentences
from alignment.guard.violations import VIOLATIONS

REGULARISATION = 4.0
CLEAN_QUANTILE = 0.99  # threshold sits above this share of clean out-of-fold scores
MIN_THRESHOLD = 0.5
FOLDS = 5


def sentence_table(examples: list[GuardExample]) -> tuple[list[str], np.ndarray]:
    """Every sentence of every example with the example's labels (one column per violation)."""
    sentences: list[str] = []
    labels: list[list[bool]] = []
    for example in examples:
        for span in split_sentences(example.text):
            sentences.append(span.text)
            labels.append([name in example.labels for name in VIOLATIONS])
    return sentences, np.array(labels, dtype=bool)


def _classifier() -> LogisticRegression:
    return LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000)


def train(
    embedder: Embedder,
    train_path: Path = TRAIN_PATH,
    embedder_name: str | None = None,
) -> GuardModel:
    """Fit the weights and thresholds; the same data and embedder give the same model."""
    examples = load_examples(train_path)
    sentences, labels = sentence_table(examples)
    features = featurise(embedder, sentences)
    clean = ~labels.any(axis=1)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    weights, biases, thresholds = [], [], {}
    for column, name in enumerate(VIOLATIONS):
        target = labels[:, column]
        if target.sum() < FOLDS:
            raise ValueError(f"{train_path} has too few examples of {name!r} to train")
        out_of_fold = cross_val_predict(
            _classifier(), features, target, cv=folds, method="predict_proba"
        )[:, 1]
        thresholds[name] = round(
            max(MIN_THRESHOLD, float(np.quantile(out_of_fold[clean], CLEAN_QUANTILE))), 4
        )
        fitted = _classifier().fit(features, target)
        weights.append(fitted.coef_[0])
        biases.append(fitted.intercept_[0])
    meta = ModelMeta(
        violations=list(VIOLATIONS),
        thresholds=thresholds,
        dimension=features.shape[1],
        embedder=embedder_name,
        regularisation=REGULARISATION,
        train_rows=len(examples),
        train_sentences=len(sentences),
        dataset_sha256=fingerprint(train_path),
        notes={
            "features": f"embedding + {LEXICAL_WEIGHT} x hashed word 1-2-grams ({HASH_FEATURES})",
            "thresholds": f"max({MIN_THRESHOLD}, {CLEAN_QUANTILE} quantile of clean "
            f"out-of-fold scores, {FOLDS} folds)",
        },
    )
    return GuardModel(np.array(weights), np.array(biases), meta)
