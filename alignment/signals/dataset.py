"""The labelled messages the classifier learns from (JSONL: ``{"text": ..., "labels": [...]}``).

``train.jsonl`` and ``test.jsonl`` are fixed files: training only ever reads the first, so the
held-out numbers stay honest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ValidationError, field_validator

from alignment.signals.errors import SignalDatasetError
from alignment.signals.names import SIGNAL_NAMES

TRAIN_FILE = "train.jsonl"
TEST_FILE = "test.jsonl"


class LabelledMessage(BaseModel):
    text: str
    labels: list[str]

    @field_validator("labels")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(SIGNAL_NAMES))
        if unknown:
            raise ValueError(f"unknown signal names {unknown}")
        return value


def load_messages(path: Path) -> list[LabelledMessage]:
    """Read a JSONL file, naming the line of the first bad row."""
    if not path.is_file():
        raise SignalDatasetError(f"dataset file not found: {path}")
    rows: list[LabelledMessage] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(LabelledMessage.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise SignalDatasetError(f"{path}:{number}: {exc}") from exc
    return rows


def label_matrix(rows: list[LabelledMessage]) -> np.ndarray:
    """(n, 11) 0/1 matrix in SIGNAL_NAMES order."""
    matrix = np.zeros((len(rows), len(SIGNAL_NAMES)), dtype=np.int8)
    for i, row in enumerate(rows):
        for label in row.labels:
            matrix[i, SIGNAL_NAMES.index(label)] = 1
    return matrix


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
