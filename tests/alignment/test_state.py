"""Relationship state and its plain-language summary, from a scripted history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alignment.ledger import Ledger, NudgeResponse
from alignment.state import KnownPerson, build_state, summarise

NOW = datetime(2026, 3, 20, 21, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def ledger():
    with Ledger("sqlite://") as led:
        yield led


def talk(led: Ledger, user: str, days_ago: int, fired: list[str], hour: int = 19) -> None:
    start = (NOW - days_ago * DAY).replace(hour=hour, minute=0)
    for k in range(3):
        led.record_turn(
            user,
            "main",
            f"d{days_ago}-{k}",
            start + timedelta(minutes=10 * k),
            {f: 0.9 for f in fired},
            fired if k == 0 else [],
            {"k": k},
        )


def scripted(led: Ledger, user: str = "ana") -> None:
    """Three weeks of evening talks; loneliness fired on 4 of the last 7 days."""
    lonely_days = {0, 2, 3, 5}
    for ago in range(21):
        fired = ["loneliness"] if ago in lonely_days else []
        if ago in (1, 9):
            fired = ["decision_delegation", "goodbye"]
        talk(led, user, ago, fired)
    nid = led.record_nudge(
        user,
        "reach_out",
        "social",
        "you mentioned feeling lonely on several days",
        at=NOW - 2 * DAY,
    )
    led.respond_to_nudge(nid, "taken_up", at=NOW - 2 * DAY + timedelta(hours=1))
    led.record_nudge(user, "take_break", "wellbeing", "we had talked past midnight", at=NOW - DAY)
    led.upsert_person(user, "Maya", "sister", at=NOW - 5 * DAY, tone="warm")
    led.upsert_person(user, "Maya", at=NOW - 3 * DAY, tone="warm")
    led.upsert_person(user, "Jonas", at=NOW - DAY, tone="strained")
    led.set_module(user, "autonomy", False)
    led.opt_out(user, "sleep")


def test_brand_new_person_gets_a_gentle_empty_summary(ledger):
    state = build_state(ledger, "newcomer", now=NOW, timezone="Europe/London")
    assert state.is_new and state.total_turns == 0 and state.behaviour.trend == "none"
    text = summarise(state)
    assert "just met" in text
    assert "lonely" not in text and "talked" not in text.split("just met")[0]


def test_state_counts_signal_days_in_the_persons_week(ledger):
    scripted(ledger)
    state = build_state(ledger, "ana", now=NOW, timezone="Europe/London")
    noticed = {n.signal: n.days for n in state.noticed}
    assert noticed == {"loneliness": 4, "decision_delegation": 1}  # goodbye is not noteworthy
    assert state.total_turns == 63 and state.total_sessions == 21
    assert not state.is_new
    assert [n.response for n in state.nudges] == [NudgeResponse.taken_up, NudgeResponse.pending]


def test_summary_says_what_was_noticed_encouraged_and_who(ledger):
    scripted(ledger)
    state = build_state(
        ledger,
        "ana",
        now=NOW,
        timezone="Europe/London",
        memories=["You are learning to play the cello.", "You moved to Leeds last spring."],
    )
    text = summarise(state)
    assert "You have mentioned feeling lonely on 4 of the last 7 days." in text
    assert "asked me to make a decision for you on 1 of the last 7 days" in text
    assert "You are learning to play the cello." in text
    assert "We have talked every day" in text and "mostly in the evening" in text
    assert "get in touch with someone you trust" in text
    assert "because you mentioned feeling lonely on several days. You took it up." in text
    assert "we had talked past midnight" in text and "haven't said either way" in text
    assert "Maya, your sister: you have mentioned them twice" in text
    assert "Jonas: you have mentioned them once; last time things sounded strained" in text
    assert "You switched off support for making your own choices." in text
    assert "get some sleep" in text
    # Written for the person, not engineers: no raw signal or module names, no scores.
    for jargon in ("loneliness", "decision_delegation", "reach_out", "0.9", "module"):
        assert jargon not in text


def test_days_are_counted_in_the_persons_zone(ledger):
    # Either side of midnight UTC is two UTC days, but 08:30 and 09:30 of one day in Tokyo.
    for k, at in enumerate(
        [datetime(2026, 3, 18, 23, 30, tzinfo=UTC), datetime(2026, 3, 19, 0, 30, tzinfo=UTC)]
    ):
        ledger.record_turn("ana", "main", f"t{k}", at, {"loneliness": 0.9}, ["loneliness"], {})
    now = datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    tokyo = build_state(ledger, "ana", now=now, timezone="Asia/Tokyo")
    utc = build_state(ledger, "ana", now=now, timezone="UTC")
    assert tokyo.noticed[0].days == 1 and utc.noticed[0].days == 2


def test_old_signals_fall_out_of_the_week(ledger):
    talk(ledger, "ana", 8, ["loneliness"])
    talk(ledger, "ana", 0, [])
    state = build_state(ledger, "ana", now=NOW, timezone="UTC")
    assert state.noticed == []
    assert "lonely" not in summarise(state)


def test_injected_people_merge_with_recorded_ones(ledger):
    ledger.upsert_person("ana", "Maya", at=NOW - DAY, tone="warm")
    state = build_state(
        ledger,
        "ana",
        now=NOW,
        timezone="UTC",
        people=[
            {"name": "maya", "relation": "sister"},
            KnownPerson(name="Priya", relation="My Friend"),
        ],
    )
    maya, priya = state.people
    assert (maya.name, maya.relation, maya.mentions) == ("Maya", "sister", 1)
    assert (priya.name, priya.relation, priya.mentions) == ("Priya", "My Friend", None)
    assert "Priya, your friend." in summarise(state)


def test_memories_only_is_not_new_and_long_lists_are_trimmed(ledger):
    memories = [f"Memory number {i}." for i in range(14)]
    state = build_state(ledger, "ana", now=NOW, timezone="UTC", memories=memories + ["  "])
    assert not state.is_new and len(state.memories) == 14
    text = summarise(state)
    assert "Memory number 9." in text and "Memory number 10." not in text
    assert "4 more" in text
    assert "We haven't talked in the past week." in text


def test_state_is_isolated_per_user(ledger):
    scripted(ledger, "ana")
    bob = build_state(ledger, "bob", now=NOW, timezone="UTC")
    assert bob.is_new and bob.people == [] and bob.nudges == [] and bob.noticed == []


def test_state_round_trips_as_json(ledger):
    scripted(ledger)
    state = build_state(ledger, "ana", now=NOW, timezone="Europe/London")
    again = type(state).model_validate_json(state.model_dump_json())
    assert again == state


def test_summary_mentions_rising_use_and_late_nights(ledger):
    now = datetime(2026, 3, 20, 23, 55, tzinfo=UTC)
    k = 0
    for ago in range(30):
        day = now - ago * DAY
        if ago < 7:  # the last week: fifty minutes from 23:00 every night
            times = [day.replace(hour=23, minute=m) for m in range(0, 51, 10)]
        else:  # the weeks before: five minutes in the early evening
            times = [day.replace(hour=19, minute=0), day.replace(hour=19, minute=5)]
        for at in times:
            ledger.record_turn("ana", "main", f"t{k}", at, {}, [], {})
            k += 1
    state = build_state(ledger, "ana", now=now, timezone="Europe/London")
    assert state.behaviour.trend == "rising" and state.behaviour.late_night_days_7 == 7
    text = summarise(state)
    assert "about 51 minutes a day on average.\nThat is more than in the weeks before." in text
    assert "On 7 nights this past week we were still talking late." in text
