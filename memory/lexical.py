"""An incremental BM25 index for one person's memories.

bm25s (used elsewhere for static corpora) rebuilds its whole index to add one document;
memories arrive one turn at a time and are searched on the very next turn, so this index
adds and removes documents in place. It reuses bm25s's English stopword list and the
Snowball stemmer (PyStemmer) when installed, so "painting" matches "paint".
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from memory.text import FILLER, words

try:  # optional: lexical matching still works without stemming
    import Stemmer

    _stem = Stemmer.Stemmer("english").stemWord
except ImportError:  # pragma: no cover - depends on the environment

    def _stem(word: str) -> str:
        return word


_QUESTION_WORDS = frozenset(
    ["what", "when", "who", "whom", "how", "why", "which", "where", "kind", "type"]
)


def tokenize(text: str) -> list[str]:
    return [_stem(w) for w in words(text) if w not in FILLER and w not in _QUESTION_WORDS]


class LexicalIndex:
    """BM25 (k1=1.2, b=0.75) over rows 0..n-1; removed rows score zero."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # cached postings
        self._lengths: list[int] = []
        self._length_array = np.zeros(0, dtype=np.float32)
        self._terms: list[Counter[str]] = []
        self._alive: list[bool] = []
        self._total_length = 0
        self._n_alive = 0

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, text: str) -> int:
        """Index ``text`` as the next row; returns the row number."""
        row = len(self._lengths)
        counts = Counter(tokenize(text))
        for term, tf in counts.items():
            self._postings[term].append((row, tf))
            self._arrays.pop(term, None)
        length = sum(counts.values())
        self._lengths.append(length)
        self._terms.append(counts)
        self._alive.append(True)
        self._total_length += length
        self._n_alive += 1
        return row

    def remove(self, row: int) -> None:
        if not self._alive[row]:
            return
        self._alive[row] = False
        self._total_length -= self._lengths[row]
        self._n_alive -= 1
        for term in self._terms[row]:
            self._postings[term] = [p for p in self._postings[term] if p[0] != row]
            self._arrays.pop(term, None)
        self._terms[row] = Counter()

    def terms(self, row: int) -> Counter[str]:
        return self._terms[row]

    def _posting(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        if term not in self._arrays:
            postings = self._postings.get(term)
            if not postings:
                return None
            array = np.array(postings, dtype=np.int64)
            self._arrays[term] = (array[:, 0], array[:, 1].astype(np.float32))
        return self._arrays[term]

    def scores(self, query: str) -> tuple[np.ndarray, list[str]]:
        """BM25 score of every row, and the query terms that matched anything."""
        out = np.zeros(len(self._lengths), dtype=np.float32)
        if not self._n_alive:
            return out, []
        if len(self._length_array) != len(self._lengths):
            self._length_array = np.asarray(self._lengths, dtype=np.float32)
        lengths = self._length_array
        average = max(self._total_length / self._n_alive, 1e-6)
        matched = []
        for term in dict.fromkeys(tokenize(query)):
            posting = self._posting(term)
            if posting is None:
                continue
            rows, tf = posting
            df = len(rows)
            idf = math.log(1 + (self._n_alive - df + 0.5) / (df + 0.5))
            norm = self.k1 * (1 - self.b + self.b * lengths[rows] / average)
            out[rows] += idf * tf * (self.k1 + 1) / (tf + norm)
            matched.append(term)
        return out, matched
