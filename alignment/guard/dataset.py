"""The labelled guard examples: invented replies, each with the violations it commits.

``train.jsonl`` is the only file training reads; ``test.jsonl`` is the fixed held-out split used
by the tests and the benchmark. Every sentence of a violating example commits its violation, so
examples can be split into sentences and keep their labels.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError, field_validator

from alignment.guard.violations import require_known

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "guard"
TRAIN_PATH = DATA_DIR / "train.jsonl"
TEST_PATH = DATA_DIR / "test.jsonl"


class DatasetError(ValueError):
    """A dataset file that cannot be read as guard examples."""


class GuardExample(BaseModel):
    id: str
    text: str
    labels: list[str]

    @field_validator("labels")
    @classmethod
    def _known(cls, labels: list[str]) -> list[str]:
        return [require_known(label) for label in labels]

    @property
    def clean(self) -> bool:
        return not self.labels


def load_examples(path: Path) -> list[GuardExample]:
    """Read one JSON object per line; report the first bad line by number."""
    rows: list[GuardExample] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append(GuardExample.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError, ValueError) as exc:
            raise DatasetError(f"{path}:{number}: {exc}") from exc
    return rows


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
