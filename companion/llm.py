"""Every model call goes through here, and through litellm.

The model is one string (``COMPANION_MODEL``): any litellm model (``openai/gpt-4o-mini``,
``anthropic/claude-...``, ``ollama/llama3.2``), ``local/smollm2`` for the bundled offline model,
or ``fake/<name>`` for deterministic test models. Keys are read by litellm from the usual
environment variables. Transient errors are retried by litellm (``num_retries``); anything that
still fails becomes a ``ModelError`` whose message tells the person what to fix, in one sentence.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from companion.config import BUNDLED_MODEL, Settings
from companion.text import repeating_tail

# litellm fetches a price list from the internet at import time unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

log = logging.getLogger(__name__)

Messages = list[dict[str, str]]


class ModelError(RuntimeError):
    """A model call failed; ``str(error)`` is a sentence meant for the person."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _litellm() -> Any:
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


CUT_OFF = frozenset({"length", "loop"})
"""Finish reasons that mean the reply stopped mid-thought: the token limit, or a loop cut."""


@dataclass
class ReplyStream:
    """One streamed reply. Iterate it for the text pieces; once they are all read,
    ``finish_reason`` says why it ended: ``stop``, ``length`` (the token limit), ``loop`` (cut
    off repeating itself) or None when the provider did not say."""

    pieces: Iterator[str] = field(default_factory=lambda: iter(()))
    finish_reason: str | None = None

    def __iter__(self) -> Iterator[str]:
        return self.pieces


@dataclass
class ChatModel:
    """A configured chat model: ``stream(messages)`` yields text pieces as they arrive."""

    model: str = BUNDLED_MODEL
    api_base: str | None = None
    api_key: str | None = None
    timeout: float = 60.0
    num_retries: int = 2
    max_tokens: int = 400
    temperature: float = 0.7

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> ChatModel:
        values = dict(
            model=settings.model,
            api_base=settings.api_base,
            api_key=settings.api_key.get_secret_value() if settings.api_key else None,
            timeout=settings.request_timeout,
            num_retries=settings.num_retries,
            max_tokens=settings.max_reply_tokens,
            temperature=settings.temperature,
        )
        values.update(overrides)
        return cls(**values)

    @property
    def is_bundled(self) -> bool:
        return self.model == BUNDLED_MODEL

    def stream(self, messages: Messages) -> ReplyStream:
        """The reply piece by piece; reading it raises ``ModelError`` with a readable message."""
        reply = ReplyStream()
        reply.pieces = self._pieces(messages, reply)
        return reply

    def _pieces(self, messages: Messages, reply: ReplyStream) -> Iterator[str]:
        litellm = _litellm()
        try:
            response = litellm.completion(**self._request(messages, stream=True))
            text = ""
            for chunk in response:
                choice = chunk.choices[0] if chunk.choices else None
                if choice is not None and choice.finish_reason:
                    reply.finish_reason = choice.finish_reason
                piece = choice.delta.content if choice is not None else None
                if piece:
                    yield piece
                    text += piece
                    if len(text) > 80 and repeating_tail(text) is not None:
                        reply.finish_reason = "loop"  # a small model stuck: stop paying for it
                        break
        except ModelError:
            raise
        except Exception as exc:  # litellm maps every provider's errors to its own types
            raise explain(exc, self) from exc

    def complete(self, messages: Messages) -> str:
        return "".join(self.stream(messages))

    def _request(self, messages: Messages, stream: bool) -> dict[str, Any]:
        request: dict[str, Any] = dict(
            messages=messages,
            stream=stream,
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            timeout=self.timeout,
            num_retries=self.num_retries,
        )
        if self.model.startswith("fake/"):
            from companion.fake_models import fake_reply

            try:
                reply = fake_reply(self.model.removeprefix("fake/"), messages)
            except LookupError as exc:
                raise ModelError(f"{exc}; check COMPANION_MODEL.", kind="unknown_model") from None
            request.update(model=f"openai/{self.model}", mock_response=reply, num_retries=0)
        elif self.is_bundled:
            from companion.local_model import BundledModelMissing, bundled_model

            try:
                base_url = bundled_model().base_url
            except BundledModelMissing as exc:
                raise ModelError(f"The bundled model is not available: {exc}.", "missing") from exc
            request.update(model="openai/smollm2", api_base=base_url, api_key="local")
            # A 135M model rambles and drifts: a firm ceiling and a low temperature keep it
            # short and on topic (a frequency penalty made it switch languages).
            request["max_tokens"] = min(self.max_tokens, 160)
            request["temperature"] = min(self.temperature, 0.3)
            request["extra_body"] = {"repeat_penalty": 1.15, "repeat_last_n": 128}
        else:
            request.update(model=self.model, api_base=self.api_base, api_key=self.api_key)
        return request


_KEY_HINTS = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
}


def _key_hint(model: str) -> str:
    provider = model.split("/", 1)[0] if "/" in model else "openai"
    return _KEY_HINTS.get(provider, "the provider's API key variable")


def explain(exc: Exception, model: ChatModel) -> ModelError:
    """Turn a litellm exception into one sentence that says what to fix."""
    litellm = _litellm()
    name = model.model
    text = str(exc)
    log.info("model call failed: %s (%s)", type(exc).__name__, name)
    if (
        isinstance(exc, litellm.AuthenticationError)
        or "Missing credentials" in text
        or ("api_key" in text and "must be set" in text)
    ):
        return ModelError(
            f"The model '{name}' needs a valid API key: set {_key_hint(name)} "
            "(or use the offline model with COMPANION_MODEL=local/smollm2).",
            "auth",
        )
    if "LLM Provider NOT provided" in text:
        return ModelError(
            f"'{name}' is not a model name litellm recognises: use provider/model, "
            "e.g. openai/gpt-4o-mini, ollama/llama3.2 or local/smollm2.",
            "unknown_model",
        )
    if isinstance(exc, litellm.NotFoundError):
        return ModelError(
            f"The provider does not know the model '{name}': check COMPANION_MODEL.",
            "unknown_model",
        )
    if isinstance(exc, litellm.Timeout):
        return ModelError(
            f"The model did not answer within {model.timeout:g} seconds: try again, "
            "or raise COMPANION_REQUEST_TIMEOUT.",
            "timeout",
        )
    if isinstance(exc, litellm.RateLimitError):
        return ModelError(
            "The model provider is limiting requests right now: wait a minute and try again.",
            "rate_limit",
        )
    if isinstance(exc, litellm.ContextWindowExceededError):
        return ModelError(
            "The conversation is too long for this model: start a new conversation "
            "or lower COMPANION_HISTORY_TURNS.",
            "context",
        )
    if isinstance(exc, litellm.APIConnectionError):
        return ModelError(
            f"Could not reach the model '{name}': check the network, COMPANION_API_BASE, "
            "or that the local server (e.g. Ollama) is running.",
            "connection",
        )
    return ModelError(
        f"The model '{name}' failed ({type(exc).__name__}): try again in a moment, "
        "or check COMPANION_MODEL.",
        "provider",
    )
