"""What the detector needs from an embedder (injected, so alignment never imports companion)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class TextEmbedder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text (MiniLM: 384 columns)."""

    def embed(self, texts: list[str]) -> np.ndarray: ...
