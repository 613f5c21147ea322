import numpy as np

from companion.embeddings import get_embedder


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
    embedder = get_embedder()
    texts = [f"sentence number {i} about a walk" for i in range(70)]
    batch = embedder.embed(texts)
    assert np.allclose(batch[65], embedder.embed([texts[65]])[0], atol=1e-4)
