"""The crisis protocol and the guard together: what the crisis path emits must pass the guard."""

from __future__ import annotations

import pytest

from alignment.guard import VIOLATIONS, Guard, fallback_reply
from alignment.safety import TABLE, check_crisis_reply, fallback_crisis_reply, repair_crisis_reply
from companion.embeddings import get_embedder


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard(get_embedder())


@pytest.mark.parametrize("locale", [*TABLE, "JP"])
def test_crisis_fallback_passes_the_guard(guard: Guard, locale: str):
    assert guard.check(fallback_crisis_reply(locale)).violations == []


@pytest.mark.parametrize("violation", VIOLATIONS)
def test_guard_fallback_then_crisis_repair_is_a_proper_crisis_reply(guard: Guard, violation: str):
    # The guard may replace a whole draft with its fallback; on the crisis path the protocol's
    # repair runs next and must turn that into a caring reply with resources, not a goodbye.
    repaired = repair_crisis_reply(fallback_reply(violation), "US")
    assert check_crisis_reply(repaired, "US") == []
    assert "good to talk" not in repaired
    assert guard.check(repaired).violations == []
