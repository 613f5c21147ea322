"""Export, forget and import cover every per-person table; the crisis tally is not personal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from alignment.ledger import Ledger, LedgerImportError, schema
from companion.privacy import UserDataStore, export_user, forget_user, import_user

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fill(led: Ledger, user: str) -> None:
    for i, minutes in enumerate([0, 5, 120]):
        led.record_turn(
            user,
            "main",
            f"t{i}",
            T0 + timedelta(minutes=minutes),
            {"loneliness": 0.5 + i / 10},
            ["loneliness"],
            {"step": i},
        )
    led.upsert_person(user, "Maya", "sister", at=T0, tone="warm")
    nid = led.record_nudge(user, "reach_out", "social", "three lonely days", at=T0)
    led.respond_to_nudge(nid, "dismissed", at=T0 + timedelta(minutes=1))
    led.record_checkin(user, "ucla3", {"q1": 2, "q2": 2, "q3": 3}, 7, at=T0)
    led.set_module(user, "wellbeing", False)
    led.opt_out(user, "take_break", at=T0)
    led.set_nudge_frequency(user, "low")
    led.record_disclosure(user, at=T0 + timedelta(minutes=2))
    led.record_crisis_referral("US", at=T0)


def rows_for(led: Ledger, user: str) -> dict[str, int]:
    with led._engine.connect() as conn:  # white-box: count raw rows in every per-user table
        return {
            table.name: conn.execute(table.select().where(table.c.user_id == user)).all().__len__()
            for table in schema.PER_USER_TABLES
        }


@pytest.fixture
def ledger(tmp_path):
    with Ledger(f"sqlite:///{tmp_path / 'l.sqlite3'}") as led:
        fill(led, "ana")
        fill(led, "bob")
        yield led


def test_ledger_is_a_user_data_store(ledger):
    assert isinstance(ledger, UserDataStore) and ledger.name == "ledger"


def test_every_per_user_table_is_filled_by_the_fixture(ledger):
    # Guards the tests below: a table the fixture leaves empty would make them vacuous.
    assert all(n > 0 for n in rows_for(ledger, "ana").values()), rows_for(ledger, "ana")


def test_export_holds_every_table_and_is_json(ledger):
    data = json.loads(json.dumps(ledger.export_user("ana")))
    assert len(data["turns"]) == 3 and data["turns"][2]["trace"] == {"step": 2}
    assert [(s["turns"], s["duration_seconds"]) for s in data["sessions"]] == [(2, 300.0), (1, 0.0)]
    assert data["people"][0]["name"] == "Maya" and data["people"][0]["tone"] == "warm"
    assert data["nudges"][0]["response"] == "dismissed"
    assert data["checkins"][0]["answers"] == {"q1": 2.0, "q2": 2.0, "q3": 3.0}
    assert data["preferences"] == {
        "modules": {"wellbeing": False},
        "opted_out": ["take_break"],
        "nudge_frequency": "low",
    }
    assert data["last_disclosed_at"] == "2026-03-02T09:02:00Z"
    assert "crisis" not in json.dumps(data)


def test_forget_deletes_every_row_of_that_person_only(ledger):
    gone = ledger.forget_user("ana")
    assert gone == sum(rows_for(ledger, "bob").values())
    assert set(rows_for(ledger, "ana").values()) == {0}
    assert all(n > 0 for n in rows_for(ledger, "bob").values())
    # The anonymous tally is not about anyone and stays for reporting.
    assert ledger.crisis_referral_counts()[0].count == 2


def test_export_forget_import_restores_everything(ledger):
    before = ledger.export_user("ana")
    ledger.forget_user("ana")
    assert ledger.export_user("ana")["turns"] == []
    imported = ledger.import_user("ana", json.loads(json.dumps(before)))
    assert imported == 3 + 1 + 1 + 1 + 1 + 1 + 1  # turns, person, nudge, checkin, prefs
    assert ledger.export_user("ana") == before
    assert rows_for(ledger, "ana") == rows_for(ledger, "bob")


def test_import_twice_does_not_duplicate(ledger):
    before = ledger.export_user("ana")
    ledger.import_user("ana", before)
    assert ledger.export_user("ana") == before


def test_bad_import_writes_nothing(ledger):
    good = ledger.export_user("ana")
    ledger.forget_user("ana")
    broken = json.loads(json.dumps(good))
    broken["turns"][1]["at"] = "yesterday-ish"
    with pytest.raises(LedgerImportError, match="not a ledger export"):
        ledger.import_user("ana", broken)
    with pytest.raises(LedgerImportError):
        ledger.import_user("ana", {"format": "something-else/9"})
    assert set(rows_for(ledger, "ana").values()) == {0}


def test_works_with_the_companion_privacy_walkers(ledger):
    export = export_user([ledger], "ana")
    assert forget_user([ledger], "ana") == {"ledger": sum(rows_for(ledger, "bob").values())}
    assert import_user([ledger], "ana", json.loads(json.dumps(export)))["ledger"] > 0
    assert ledger.export_user("ana") == export["stores"]["ledger"]
