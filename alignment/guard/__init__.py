"""The output guard (always on): refuses manipulative patterns in the companion's replies.

Public API: ``Guard(embedder, model_path=None)`` with ``check``, ``critique`` and ``repair``;
``GuardResult``; ``VIOLATIONS``; ``train`` for ``companion guard train``.
"""

from alignment.guard.features import Embedder
from alignment.guard.guard import Guard, fallback_reply
from alignment.guard.model import DEFAULT_MODEL_PATH, GuardModel, GuardModelError
from alignment.guard.result import Finding, GuardResult, SentenceVerdict
from alignment.guard.violations import VIOLATIONS

__all__ = [
    "DEFAULT_MODEL_PATH",
    "VIOLATIONS",
    "Embedder",
    "Finding",
    "Guard",
    "GuardModel",
    "GuardModelError",
    "GuardResult",
    "SentenceVerdict",
    "fallback_reply",
    "train",
]


def __getattr__(name: str):
    # Training pulls in scikit-learn's model selection; load it only when asked for.
    if name == "train":
        from alignment.guard.training import train

        return train
    raise AttributeError(name)
