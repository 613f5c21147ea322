import numpy as np

from companion.embeddings import MiniLMEmbedder, _length_groups, get_embedder


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


def test_length_groups_keep_similar_lengths_together():
    groups = _length_groups([40, 12, 15, 13, 100, 70])
    assert sorted(i for g in groups for i in g) == list(range(6))
    assert groups == [[4, 5], [0], [2, 3, 1]]
