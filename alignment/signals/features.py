"""Feature rows for the classifier: embedding, lexical-cue flags, nearest-example similarity.

- the sentence embedding (384 numbers) carries meaning across phrasings nobody wrote down;
- one cue flag per signal (scaled by ``CUE_SCALE``) tips borderline cases;
- per signal, the mean cosine similarity to the 3 closest labelled examples of that signal
  (``KNN_K``, scaled by ``KNN_WEIGHT``): a smooth, calibrated "sounds like the examples"
  score that generalises better from a few hundred examples than the linear weights alone.
"""

from __future__ import annotations

import re

import numpy as np

from alignment.signals.patterns import cue_vector

CUE_SCALE = 0.25
KNN_K = 3
KNN_WEIGHT = 1.0
CHUNK_CHARS = 600  # about 150 tokens: inside MiniLM's 256-token window
MAX_CHUNKS = 16

_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


def clean(text: str) -> str:
    """Collapse whitespace so formatting never changes the scores."""
    return " ".join(text.split())


def pieces(text: str) -> list[str]:
    """The parts of a message that are scored; the message takes each signal's highest score.

    A short message with several sentences is scored whole and per sentence, so one clear
    sentence ("nobody to talk to") is not diluted by the rest of a mixed message. A long one
    is cut into sentence-aligned chunks: MiniLM reads only the first 256 tokens, so a worry at
    the end of a long message would otherwise be invisible.
    """
    if len(text) > CHUNK_CHARS:
        return chunks(text)
    sentences = [s for s in _SENTENCE_END.split(text) if any(c.isalpha() for c in s)]
    if 1 < len(sentences) <= MAX_CHUNKS:
        return [text, *sentences]
    return [text]


def message_pieces(texts: list[str]) -> tuple[list[str], list[int]]:
    """Every scored piece of every (cleaned) message, and the message index of each."""
    parts: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        for part in pieces(text) if text else []:
            parts.append(part)
            owner.append(i)
    return parts, owner


def chunks(text: str) -> list[str]:
    """Split long text into sentence-aligned pieces of at most ``CHUNK_CHARS``."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > CHUNK_CHARS:  # one endless sentence: cut it by length
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:CHUNK_CHARS])
            sentence = sentence[CHUNK_CHARS:]
        if len(current) + len(sentence) + 1 > CHUNK_CHARS and current:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    if len(pieces) > MAX_CHUNKS:  # keep the start and the end, where people say what matters
        half = MAX_CHUNKS // 2
        pieces = pieces[:half] + pieces[-half:]
    return pieces


def signal_groups(example_labels: np.ndarray) -> list[np.ndarray]:
    """Row indices of the examples of each signal (computed once per model)."""
    return [np.flatnonzero(example_labels[:, j]) for j in range(example_labels.shape[1])]


def neighbour_similarity(
    vectors: np.ndarray,
    examples: np.ndarray,
    groups: list[np.ndarray],
    *,
    exclude_self: bool = False,
) -> np.ndarray:
    """(n, signals): mean cosine similarity to the ``KNN_K`` closest examples of each signal.

    ``groups[j]`` lists the example rows labelled with signal j. ``exclude_self`` is for
    scoring the examples themselves (row i is example i) during training, so no row sees
    its own label.
    """
    similarity = np.asarray(vectors, dtype=np.float32) @ np.asarray(examples, np.float32).T
    if exclude_self:
        np.fill_diagonal(similarity, -1.0)
    result = np.zeros((similarity.shape[0], len(groups)), dtype=np.float32)
    for j, rows in enumerate(groups):
        if rows.size == 0:
            continue
        k = min(KNN_K, rows.size)
        result[:, j] = np.partition(similarity[:, rows], -k, axis=1)[:, -k:].mean(axis=1)
    return result


def cue_matrix(texts: list[str]) -> np.ndarray:
    """(n, 11) 0/1 lexical cue flags."""
    return np.array([cue_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), -1)


def feature_matrix(
    embeddings: np.ndarray,
    cues: np.ndarray,
    examples: np.ndarray,
    groups: list[np.ndarray],
    *,
    exclude_self: bool = False,
) -> np.ndarray:
    """Embeddings (n, d) + scaled cue flags (n, 11) + scaled neighbour similarity (n, 11)."""
    embeddings = np.asarray(embeddings, dtype=np.float32)
    near = neighbour_similarity(embeddings, examples, groups, exclude_self=exclude_self)
    return np.hstack([embeddings, CUE_SCALE * cues, KNN_WEIGHT * near])
