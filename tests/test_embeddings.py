import random

import numpy as np

from companion.embeddings import (
    RUN_COST_IN_TOKENS,
    MiniLMEmbedder,
    _length_groups,
    get_embedder,
)


def test_shared_embedder_is_built_once():
    assert get_embedder() is get_embedder()


def test_embeddings_are_normalised_and_meaningful():
    vectors = get_embedder().embed(
        ["I feel so alone these days", "Nobody ever calls me anymore", "The train was late today"]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


def test_empty_and_long_inputs():
    embedder = get_embedder()
    assert embedder.embed([]).shape == (0, 384)
    long = embedder.embed(["word " * 5000, "🙂", ""])
    assert long.shape == (3, 384) and np.isfinite(long).all()


def test_batches_match_single_calls():
    """Mixed lengths, so batches are split into length groups and padded; the cache is off."""
    batcher, single = MiniLMEmbedder(), MiniLMEmbedder()
    batcher.cache_size = single.cache_size = 0
    texts = [f"sentence number {i} about a walk" + " and then home" * (i % 7) for i in range(70)]
    batch = batcher.embed(texts)
    for i in (0, 3, 6, 65, 69):
        assert np.allclose(batch[i], single.embed([texts[i]])[0], atol=1e-4)


def _work(groups: list[list[int]], lengths: list[int]) -> int:
    return sum(RUN_COST_IN_TOKENS + len(g) * max(lengths[i] for i in g) for g in groups)


def _partitions(items: list[int]):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in _partitions(rest):
        yield [[first], *partition]
        for k in range(len(partition)):
            yield [*partition[:k], [first, *partition[k]], *partition[k + 1 :]]


def test_length_groups_cover_every_text_once_and_find_the_least_work():
    rng = random.Random(7)
    for _ in range(60):
        lengths = [rng.randint(3, 120) for _ in range(rng.randint(1, 7))]
        groups = _length_groups(lengths)
        assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
        least = min(_work(p, lengths) for p in _partitions(list(range(len(lengths)))))
        assert _work(groups, lengths) == least


def test_length_groups_split_only_when_padding_costs_more_than_a_run():
    assert _length_groups([27, 16, 11]) == [[0, 1, 2]]  # a message and its two sentences
    assert _length_groups([100, 12, 13]) == [[0], [2, 1]]
    assert _length_groups([]) == []
