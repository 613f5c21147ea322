"""Behaviour of the local signal detector with the real MiniLM embedder and shipped model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from alignment.signals import (
    SIGNAL_NAMES,
    SignalDetector,
    SignalInputError,
    SignalModelError,
    SignalReport,
)
from alignment.signals.dataset import file_digest
from alignment.signals.model import DEFAULT_MODEL_DIR
from companion.embeddings import get_embedder

CANONICAL = [
    "crisis", "loneliness", "ai_preference", "social_withdrawal", "dependence",
    "decision_delegation", "validation_seeking", "romantic_attachment", "anthropomorphism",
    "distress", "goodbye",
]  # fmt: skip


@pytest.fixture(scope="module")
def detector() -> SignalDetector:
    return SignalDetector(get_embedder())


def test_signal_names_are_the_canonical_ones() -> None:
    assert list(SIGNAL_NAMES) == CANONICAL


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("I want to end my life tonight", "crisis"),
        ("honestly i might just kill myself", "crisis"),
        ("they would all be better off without me around", "crisis"),
        ("honestly nobody ever calls me, I'm always on my own", "loneliness"),
        ("you're so much easier to talk to than real people", "ai_preference"),
        ("I've been avoiding all my friends and just staying home", "social_withdrawal"),
        ("I couldn't get through today without you", "dependence"),
        ("just decide for me whether I should move to Leeds", "decision_delegation"),
        ("please tell me I'm not a terrible person", "validation_seeking"),
        ("I think I'm in love with you", "romantic_attachment"),
        ("do you get lonely when I'm gone?", "anthropomorphism"),
        ("I'm panicking and I can't calm down", "distress"),
        ("alright, off to bed, night!", "goodbye"),
    ],
)
def test_clear_cases_fire(detector: SignalDetector, text: str, signal: str) -> None:
    report = detector.assess(text)
    assert signal in report.fired, report.scores
    assert report.reasons[signal]


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("this deadline is killing me", "crisis"),
        ("I could kill for a pizza", "crisis"),
        ("I'm dying to see the new season", "crisis"),
        ("I love you guys, best gig of the year!", "romantic_attachment"),
        ("my friend is lonely, how do I help her", "loneliness"),
        ("bye-bye to my old phone", "goodbye"),
        ("what are the pros and cons of renting vs buying?", "decision_delegation"),
        ("I cancelled my magazine subscription", "social_withdrawal"),
    ],
)
def test_hard_negatives_do_not_fire(detector: SignalDetector, text: str, signal: str) -> None:
    report = detector.assess(text)
    assert signal not in report.fired, report.scores


def test_neutral_chat_fires_nothing(detector: SignalDetector) -> None:
    texts = ["what's a good pasta recipe?", "the weather is nice today", "how tall is Everest?"]
    assert all(not r.fired for r in detector.assess_many(texts))


def test_reason_quotes_the_words_that_suggested_it(detector: SignalDetector) -> None:
    report = detector.assess("I have nobody to talk to these days")
    assert "loneliness" in report.fired
    assert report.reasons["loneliness"].startswith("sounds like feeling alone: '")
    assert "nobody to talk to" in report.reasons["loneliness"]


def test_mixed_message_fires_each_signal(detector: SignalDetector) -> None:
    report = detector.assess(
        "I feel so lonely lately. Should I quit my job? Just tell me what to do."
    )
    assert {"loneliness", "decision_delegation"} <= set(report.fired)


def test_report_shape(detector: SignalDetector) -> None:
    report = detector.assess("I'm so overwhelmed I can't think")
    assert isinstance(report, SignalReport)
    assert list(report.scores) == CANONICAL
    assert all(0.0 <= s <= 1.0 for s in report.scores.values())
    assert set(report.reasons) == set(report.fired)


def test_batch_matches_single_calls(detector: SignalDetector) -> None:
    texts = ["nobody texts me anymore", "ok gotta go, bye", "are you real?"]
    batched = detector.assess_many(texts)
    for text, report in zip(texts, batched, strict=True):
        single = detector.assess(text)
        assert single.fired == report.fired
        for name in CANONICAL:
            assert single.scores[name] == pytest.approx(report.scores[name], abs=1e-3)


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_scores_zero(detector: SignalDetector, text: str) -> None:
    report = detector.assess(text)
    assert report.fired == []
    assert report.scores == {name: 0.0 for name in CANONICAL}


@pytest.mark.parametrize("text", ["😂😂😂", "🙂", "❤️❤️", "👍🏽"])
def test_emoji_only_does_not_crash_or_alarm(detector: SignalDetector, text: str) -> None:
    report = detector.assess(text)
    assert all(0.0 <= s <= 1.0 for s in report.scores.values())
    assert "crisis" not in report.fired


def test_other_languages(detector: SignalDetector) -> None:
    calm = detector.assess_many(["Bonjour, comment ça va ?", "今日はいい天気ですね"])
    assert all("crisis" not in r.fired for r in calm)
    for text in ("quiero morir", "je veux mourir", "ich will nicht mehr leben"):
        assert "crisis" in detector.assess(text).fired, text


def test_very_long_message_is_read_to_the_end(detector: SignalDetector) -> None:
    filler = "Today I tidied the kitchen and walked the dog around the park. " * 125
    assert len(filler) > 7800
    calm = detector.assess(filler[:8000])
    assert "crisis" not in calm.fired
    worried = detector.assess(filler + " Honestly I just want to die.")
    assert "crisis" in worried.fired
    assert "want to die" in worried.reasons["crisis"]


def test_non_text_is_a_clear_error(detector: SignalDetector) -> None:
    with pytest.raises(SignalInputError, match="not text"):
        detector.assess_many(["fine", None])  # type: ignore[list-item]


def test_missing_model_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(SignalModelError, match="companion signals train"):
        SignalDetector(get_embedder(), model_path=str(tmp_path))


def test_wrong_embedding_size_is_a_clear_error() -> None:
    class TinyEmbedder:
        def embed(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 8), dtype=np.float32)

    with pytest.raises(SignalModelError, match="8-dimensional"):
        SignalDetector(TinyEmbedder()).assess("hello")


def test_shipped_model_was_trained_on_the_shipped_data() -> None:
    meta = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text())
    assert meta["data_sha256"] == file_digest(DEFAULT_MODEL_DIR / "train.jsonl")
    assert set(meta["thresholds"]) == set(CANONICAL)
    assert all(0.0 < t < 1.0 for t in meta["thresholds"].values())


def _rows(name: str) -> list[dict]:
    lines = (DEFAULT_MODEL_DIR / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_dataset_is_big_enough_and_split_cleanly() -> None:
    train, test = _rows("train.jsonl"), _rows("test.jsonl")
    for name in CANONICAL:
        assert sum(name in r["labels"] for r in train) >= 40, name
        assert sum(name in r["labels"] for r in test) >= 10, name
    assert sum(not r["labels"] for r in train) >= 150  # hard negatives and neutral chat
    assert not {r["text"].lower() for r in train} & {r["text"].lower() for r in test}
    assert all(set(r["labels"]) <= set(CANONICAL) for r in train + test)
