"""Per-message user-side signals (crisis, loneliness, dependence ...), detected locally.

``SignalDetector(embedder).assess(text)`` returns a ``SignalReport`` with a score in [0, 1] for
every name in ``SIGNAL_NAMES``, the signals whose calibrated threshold was crossed, and a short
reason for each of those. ``LLMSignalDetector`` and ``combine`` add an optional model opinion.
"""

from alignment.signals.detector import SignalDetector, SignalInputError, SignalReport
from alignment.signals.embedder import TextEmbedder
from alignment.signals.errors import SignalDatasetError, SignalError, SignalModelError
from alignment.signals.llm import LLMSignalDetector, combine
from alignment.signals.names import DESCRIPTIONS, SIGNAL_NAMES

__all__ = [
    "DESCRIPTIONS",
    "SIGNAL_NAMES",
    "LLMSignalDetector",
    "SignalDatasetError",
    "SignalDetector",
    "SignalError",
    "SignalInputError",
    "SignalModelError",
    "SignalReport",
    "TextEmbedder",
    "combine",
]
