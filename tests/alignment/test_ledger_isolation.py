"""Adversarial per-user isolation: whatever user B asks, B never sees or changes A's data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from alignment.ledger import Ledger, NudgeResponse, UnknownNudgeError

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = "ana-private-marker"


@pytest.fixture
def ledger():
    with Ledger("sqlite://") as led:
        led.record_turn(
            "ana", "shared-thread", "t1", T0, {"loneliness": 0.9}, ["loneliness"], {"note": SECRET}
        )
        led.upsert_person("ana", "Maya", "sister", at=T0, tone="strained")
        led.record_nudge("ana", "reach_out", "social", SECRET, at=T0)
        led.record_checkin("ana", "ucla3", {"q1": 3}, 9, at=T0)
        led.set_module("ana", "social", False)
        led.opt_out("ana", "take_break")
        yield led


# Ids that try to look like A, match A by pattern, or smuggle SQL.
INTRUDERS = ["bob", "Ana", "ANA", "%", "an_", "' OR '1'='1", "ana' --", "*"]


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_other_users_see_nothing_of_ana(ledger, intruder):
    assert ledger.turns(intruder) == []
    assert ledger.turns(intruder, thread_id="shared-thread") == []
    assert ledger.last_trace(intruder) is None
    assert ledger.last_trace(intruder, thread_id="shared-thread") is None
    assert ledger.turn(intruder, "t1") is None
    assert ledger.sessions(intruder) == []
    assert ledger.people(intruder) == []
    assert ledger.nudges(intruder) == []
    assert ledger.checkins(intruder) == []
    prefs = ledger.preferences(intruder)
    assert prefs.modules == {} and prefs.opted_out == []
    assert ledger.stats(intruder).turns == 0
    exported = json.dumps(ledger.export_user(intruder))
    assert SECRET not in exported and "Maya" not in exported


def test_same_thread_and_turn_ids_do_not_collide(ledger):
    ledger.record_turn("bob", "shared-thread", "t1", T0, {"distress": 0.2}, [], {"note": "bob"})
    assert ledger.last_trace("ana") == {"note": SECRET}
    assert ledger.last_trace("bob") == {"note": "bob"}
    assert ledger.turns("ana")[0].scores == {"loneliness": 0.9}


def test_same_person_name_is_a_different_person_per_user(ledger):
    ledger.upsert_person("bob", "Maya", "colleague", at=T0 + timedelta(days=1), tone="warm")
    assert ledger.people("ana")[0].relation == "sister"
    assert ledger.people("ana")[0].mentions == 1
    assert ledger.people("bob")[0].relation == "colleague"


def test_bob_cannot_answer_anas_nudge(ledger):
    nudge_id = ledger.nudges("ana")[0].id
    with pytest.raises(UnknownNudgeError):
        ledger.respond_to_nudge(nudge_id, "opted_out", user_id="bob")
    assert ledger.nudges("ana")[0].response is NudgeResponse.pending
    assert ledger.preferences("bob").opted_out == []
    assert ledger.preferences("ana").opted_out == ["take_break"]


def test_nudge_ids_are_not_guessable_sequence_numbers(ledger):
    ids = [ledger.record_nudge("bob", "k", "social", "w", at=T0) for _ in range(3)]
    assert all(len(i) == 32 and not i.isdigit() for i in ids)


def test_forgetting_bob_leaves_ana_alone(ledger):
    ledger.record_turn("bob", "th", "t1", T0, {}, [], {})
    ledger.upsert_person("bob", "Maya", at=T0)
    before = ledger.export_user("ana")
    assert ledger.forget_user("bob") == 3  # turn, session, person
    assert ledger.export_user("ana") == before


def test_importing_anas_export_as_bob_does_not_touch_ana(ledger):
    before = ledger.export_user("ana")
    ledger.import_user("bob", before)
    # Bob got a copy; Ana's rows (including her nudge and check-in ids) are unchanged.
    assert ledger.export_user("ana") == before
    bob = ledger.export_user("bob")
    assert {n["id"] for n in bob["nudges"]}.isdisjoint({n["id"] for n in before["nudges"]})
    ledger.forget_user("bob")
    assert ledger.export_user("ana") == before
