"""The same ledger on PostgreSQL (scale-out deployments).

Runs only when ``LEDGER_TEST_POSTGRES_URL`` names a server the test may create databases on,
e.g. ``postgresql+psycopg://postgres@/postgres?host=/tmp/pg&port=54329``; CI starts one.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from alignment.ledger import Ledger, NudgeResponse, Tone, UnknownNudgeError

ADMIN_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not ADMIN_URL, reason="LEDGER_TEST_POSTGRES_URL not set")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def ledger():
    pytest.importorskip("psycopg")
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ledger_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = sa.make_url(ADMIN_URL).set(database=name)
    led = Ledger(url.render_as_string(hide_password=False))
    try:
        yield led
    finally:
        led.close()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name}")
        admin.dispose()


def test_round_trip_isolation_and_portability(ledger):
    for i, minutes in enumerate([0, 10, 90]):
        ledger.record_turn(
            "ana",
            "main",
            f"t{i}",
            T0 + timedelta(minutes=minutes),
            {"loneliness": 0.8},
            ["loneliness"],
            {"i": i},
        )
    ledger.record_turn("bob", "main", "t0", T0, {}, [], {"bob": True})
    ledger.upsert_person("ana", "Maya", "sister", at=T0, tone="warm")
    nid = ledger.record_nudge("ana", "reach_out", "social", "lonely days", at=T0)
    ledger.record_checkin("ana", "ucla3", {"q1": 2}, 5, at=T0)
    ledger.set_module("ana", "social", False)
    ledger.opt_out("ana", "take_break", at=T0)
    ledger.record_crisis_referral("US", at=T0)

    [first, *_] = ledger.turns("ana")
    assert first.at == T0 and first.trace == {"i": 0}
    assert [s.turns for s in ledger.sessions("ana")] == [2, 1]
    assert ledger.stats("ana").first_seen == T0
    assert ledger.people("ana")[0].tone is Tone.warm
    assert ledger.last_trace("bob") == {"bob": True}
    with pytest.raises(UnknownNudgeError):
        ledger.respond_to_nudge(nid, "dismissed", user_id="bob")
    assert ledger.respond_to_nudge(nid, "taken_up").response is NudgeResponse.taken_up

    before = ledger.export_user("ana")
    assert ledger.forget_user("ana") > 0
    assert ledger.export_user("ana")["turns"] == []
    ledger.import_user("ana", json.loads(json.dumps(before)))
    assert ledger.export_user("ana") == before
    assert ledger.crisis_referral_counts()[0].count == 1


def test_concurrent_writes_for_one_person_lose_nothing(ledger):
    # Read-then-write on the same rows from several threads: mention counts and session
    # boundaries must come out as if the writes had run one after another.
    def work(k: int) -> None:
        for i in range(5):
            ledger.upsert_person("ana", "Maya", at=T0 + timedelta(minutes=i))
            ledger.record_turn(
                "ana", "main", f"{k}-{i}", T0 + timedelta(minutes=5 * i + k), {}, [], {}
            )

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert ledger.people("ana")[0].mentions == 15
    [session] = ledger.sessions("ana")
    assert session.turns == 15


def test_a_rehearsed_turn_is_rolled_back(ledger):
    ledger.rehearse_turn("ana", T0)
    assert ledger.turns("ana") == [] and ledger.sessions("ana") == []
    assert ledger.last_disclosure("ana") is None
    ledger.record_turn("ana", "main", "t1", T0, {}, [], {})
    assert [t.turn_id for t in ledger.turns("ana")] == ["t1"]
