"""The background sentence warm-up: review never embeds what the worker is embedding, and
never waits on it for long."""

from __future__ import annotations

import threading
import time

import numpy as np

from alignment.guard import Guard, warming
from companion.embeddings import get_embedder


class SlowEmbedder:
    """The real embedder, slowed down, keeping a list of what it embedded."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.embedded: list[str] = []
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        time.sleep(self.delay_s)
        with self._lock:
            self.embedded.extend(texts)
        return get_embedder().embed(texts)


def wait_until_idle() -> None:
    warming._worker().submit(lambda: None).result(timeout=10)


def test_a_waiting_text_of_the_reply_under_review_is_withdrawn():
    embedder = SlowEmbedder(0.2)
    guard = Guard(embedder)
    warming.warm_later(guard, "Soup is good. Lentils are quick.")
    time.sleep(0.05)  # the worker has taken it up
    warming.warm_later(guard, "Soup is good. Lentils are quick. Soak them first.")
    warming.settle(guard, "Soup is good. Lentils are quick. Soak them first. Enjoy")
    assert embedder.embedded == ["Soup is good.", "Lentils are quick."]  # the first text is done
    wait_until_idle()
    assert "Soak them first." not in embedder.embedded  # left for the check that follows


def test_a_waiting_text_of_another_reply_is_still_warmed():
    embedder = SlowEmbedder(0.1)
    guard = Guard(embedder)
    warming.warm_later(guard, "Soup is good. Lentils are quick.")
    time.sleep(0.05)
    warming.warm_later(guard, "Running in the rain is fun.")
    warming.settle(guard, "Soup is good. Lentils are quick. Soak them first.")
    wait_until_idle()
    assert "Running in the rain is fun." in embedder.embedded


def test_settling_never_waits_longer_than_its_bound():
    guard = Guard(SlowEmbedder(1.5))
    warming.warm_later(guard, "A very slow sentence.")
    time.sleep(0.05)
    started = time.perf_counter()
    warming.settle(guard, "Something else entirely.", timeout_s=0.1)
    assert time.perf_counter() - started < 1.0
    wait_until_idle()
