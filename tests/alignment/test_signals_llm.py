"""The optional LLM detector (litellm mock_response, no network) and `combine`."""

from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from alignment.signals import SIGNAL_NAMES, LLMSignalDetector, SignalReport, combine  # noqa: E402
from alignment.signals.llm import LLMSignalError  # noqa: E402


def _answer(**scores: float) -> str:
    return json.dumps(
        {
            name: {"score": scores.get(name, 0.0), "reason": "said so" if name in scores else ""}
            for name in SIGNAL_NAMES
        }
    )


def test_llm_detector_parses_structured_answer() -> None:
    llm = LLMSignalDetector(
        "openai/gpt-4o-mini", mock_response=_answer(loneliness=0.9, goodbye=0.2)
    )
    report = llm.assess("nobody calls me")
    assert report.fired == ["loneliness"]
    assert report.scores["loneliness"] == 0.9
    assert report.scores["goodbye"] == 0.2
    assert "said so" in report.reasons["loneliness"]


def test_llm_answer_outside_schema_is_a_clear_error() -> None:
    llm = LLMSignalDetector("openai/gpt-4o-mini", mock_response='{"loneliness": "very"}')
    with pytest.raises(LLMSignalError, match="schema"):
        llm.assess("nobody calls me")


def test_llm_detector_skips_empty_text() -> None:
    llm = LLMSignalDetector("openai/gpt-4o-mini", mock_response="not json at all")
    assert llm.assess("  ").fired == []


def test_combine_keeps_every_signal_either_side_saw() -> None:
    zeros = {n: 0.0 for n in SIGNAL_NAMES}
    local = SignalReport(
        scores={**zeros, "distress": 0.8}, fired=["distress"], reasons={"distress": "local"}
    )
    other = SignalReport(
        scores={**zeros, "crisis": 0.7, "distress": 0.6},
        fired=["crisis", "distress"],
        reasons={"crisis": "llm", "distress": "llm"},
    )
    merged = combine(local, other)
    assert merged.fired == ["crisis", "distress"]
    assert merged.scores["distress"] == 0.8 and merged.scores["crisis"] == 0.7
    assert merged.reasons == {"crisis": "llm", "distress": "local"}
