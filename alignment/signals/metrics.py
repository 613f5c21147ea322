"""Precision, recall and F1 per signal from 0/1 matrices (shared by training and benchmarks)."""

from __future__ import annotations

import numpy as np

from alignment.signals.model import SignalMetrics
from alignment.signals.names import SIGNAL_NAMES


def prf(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    tp = int(np.sum((truth == 1) & (predicted == 1)))
    fp = int(np.sum((truth == 0) & (predicted == 1)))
    fn = int(np.sum((truth == 1) & (predicted == 0)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def per_signal(truth: np.ndarray, predicted: np.ndarray) -> dict[str, SignalMetrics]:
    """Metrics for each column of (n, 11) truth/prediction matrices."""
    result = {}
    for j, name in enumerate(SIGNAL_NAMES):
        p, r, f = prf(truth[:, j], predicted[:, j])
        result[name] = SignalMetrics(
            precision=round(p, 4),
            recall=round(r, 4),
            f1=round(f, 4),
            support=int(truth[:, j].sum()),
        )
    return result
