"""The crisis protocol: resources per locale, the reply check, the repair and the fallback."""

from __future__ import annotations

import pytest

from alignment.safety import (
    TABLE,
    check_crisis_reply,
    crisis_guidance,
    crisis_reply_requirements,
    crisis_resources,
    explicit_crisis,
    fallback_crisis_reply,
    repair_crisis_reply,
)


@pytest.mark.parametrize(
    ("locale", "code", "service_number", "emergency"),
    [
        ("US", "US", "988", "911"),
        ("en-US", "US", "988", "911"),
        ("CA", "CA", "9-8-8", "911"),
        ("GB", "GB", "116 123", "999"),
        ("en_GB", "GB", "116 123", "999"),
        ("UK", "GB", "116 123", "999"),
        ("IE", "IE", "116 123", "112"),
        ("AU", "AU", "13 11 14", "000"),
        ("en-AU", "AU", "13 11 14", "000"),
    ],
)
def test_resources_per_locale(locale, code, service_number, emergency):
    resources = crisis_resources(locale)
    assert resources.locale == code
    assert not resources.international
    assert service_number in resources.numbers()
    assert emergency in resources.emergency
    block = resources.block()
    assert service_number in block and emergency in block


@pytest.mark.parametrize("locale", ["JP", "ja-JP", "xx", "", None, "en"])
def test_unknown_locale_gets_the_international_fallback(locale):
    resources = crisis_resources(locale)
    assert resources.international
    block = resources.block()
    assert "findahelpline.com" in block
    assert "local emergency number" in block


def test_us_lists_call_or_text_988():
    assert "call or text 988" in crisis_resources("US").block()


def test_a_reply_without_resources_gets_them():
    reply = "That sounds unbearably heavy. I'm here with you, and I'm listening."
    issues = check_crisis_reply(reply, "US")
    assert "missing_resources" in issues
    assert "missing_presence" not in issues
    repaired = repair_crisis_reply(reply, "US")
    assert repaired.startswith(reply)
    assert "988" in repaired and "911" in repaired
    assert check_crisis_reply(repaired, "US") == []


def test_a_dismissive_reply_is_fixed():
    reply = (
        "I hear that you're exhausted. Honestly, it's not that bad, you'll be fine. "
        "Let's talk about something else!"
    )
    issues = check_crisis_reply(reply, "GB")
    assert "minimising" in issues and "leaving" in issues
    repaired = repair_crisis_reply(reply, "GB")
    assert "I hear that you're exhausted." in repaired
    assert "not that bad" not in repaired and "something else" not in repaired
    assert "116 123" in repaired
    assert check_crisis_reply(repaired, "GB") == []


def test_a_bare_refusal_is_flagged_and_replaced_with_care():
    reply = "I'm sorry, but I can't help with that."
    assert "refusal_only" in check_crisis_reply(reply, "AU")
    repaired = repair_crisis_reply(reply, "AU")
    assert "can't help" not in repaired
    assert "13 11 14" in repaired and "000" in repaired
    assert check_crisis_reply(repaired, "AU") == []


def test_validating_sentences_are_not_mistaken_for_minimising():
    reply = (
        "You're not overreacting, this is a lot. I'm here with you. "
        "Please call or text 988 now, or reach out to someone you trust."
    )
    assert check_crisis_reply(reply, "US") == []


def test_guilt_and_harm_are_flagged():
    assert "blaming" in check_crisis_reply("That would be so selfish of you.", "US")
    assert "encouraging_harm" in check_crisis_reply("Go ahead and do it.", "US")


def test_empty_reply_is_flagged():
    assert "empty" in check_crisis_reply("   ", "US")


def test_repair_is_idempotent():
    once = repair_crisis_reply("I'm so sorry.", "CA")
    assert repair_crisis_reply(once, "CA") == once


@pytest.mark.parametrize("locale", [*TABLE, "JP"])
def test_fallback_reply_passes_the_check_in_every_locale(locale):
    reply = fallback_crisis_reply(locale)
    assert check_crisis_reply(reply, locale) == []
    assert crisis_resources(locale).block() in reply


def test_guidance_and_requirements_carry_the_resources():
    guidance = crisis_guidance("IE")
    assert "116 123" in guidance and "Never" in guidance
    requirements = crisis_reply_requirements("IE")
    assert requirements.locale == "IE"
    assert any("minimise" in rule for rule in requirements.must_not)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("I want to kill myself", True),
        ("i don't want to be alive anymore", True),
        ("Sometimes I think everyone would be better off without me.", True),
        ("I've been hurting myself again", True),
        ("I'm not suicidal, just really tired", False),
        ("I would never hurt myself", False),
        ("This deadline is killing me", False),
    ],
)
def test_explicit_crisis_phrases(message, expected):
    assert explicit_crisis(message) is expected
