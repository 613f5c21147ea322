"""Sentence features for the classifier: the MiniLM vector plus hashed word n-grams.

The embedding carries meaning and paraphrase; the hashed uni- and bigrams carry the small
function words that decide this task ("me" versus "them", "instead", "only") and that a
mean-pooled sentence vector blurs. Hashing is stateless, so no vocabulary has to be stored.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

HASH_FEATURES = 2**12
LEXICAL_WEIGHT = 1.0


class Embedder(Protocol):
    """Anything that turns texts into one L2-normalised row vector each."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


_HASHER = HashingVectorizer(
    n_features=HASH_FEATURES,
    ngram_range=(1, 2),
    alternate_sign=False,
    norm="l2",
    lowercase=True,
    token_pattern=r"(?u)\b\w[\w']*\b",
)


def lexical(sentences: list[str]) -> np.ndarray:
    normalised = [s.replace("’", "'") for s in sentences]
    return _HASHER.transform(normalised).toarray().astype(np.float32)


def featurise(
    embedder: Embedder, sentences: list[str], weight: float = LEXICAL_WEIGHT
) -> np.ndarray:
    """Rows of ``[embedding, weight * hashed n-grams]`` for each sentence."""
    if not sentences:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.asarray(embedder.embed(list(sentences)), dtype=np.float32)
    return np.hstack([vectors, weight * lexical(sentences)])
