"""Relationship ledger: each table round-trips, sessions follow the 30-minute rule, bad input
gets a readable LedgerError, timestamps come back aware UTC."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from alignment.ledger import (
    Ledger,
    LedgerError,
    NudgeResponse,
    Tone,
    UnknownNudgeError,
    default_url,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def ledger(tmp_path):
    with Ledger(default_url(tmp_path)) as led:
        yield led


def turn(led: Ledger, user: str, n: int, at: datetime, fired=(), thread="main", trace=None):
    scores = {name: 0.9 for name in fired} | {"distress": 0.1}
    led.record_turn(user, thread, f"t{n}", at, scores, list(fired), trace or {"n": n})


def test_turn_round_trip_keeps_scores_fired_and_trace(ledger):
    trace = {"route": "respond", "modules": {"social": {"fired": True, "why": ["loneliness"]}}}
    ledger.record_turn(
        "ana", "th1", "t1", T0, {"loneliness": 0.82, "distress": 0.2}, ["loneliness"], trace
    )
    [got] = ledger.turns("ana")
    assert got.turn_id == "t1" and got.thread_id == "th1"
    assert got.at == T0 and got.at.tzinfo is not None and got.at.utcoffset() == timedelta(0)
    assert got.scores == {"loneliness": 0.82, "distress": 0.2}
    assert got.fired == ["loneliness"]
    assert got.trace == trace
    assert ledger.last_trace("ana") == trace


def test_turn_time_in_another_zone_is_stored_as_utc(ledger):
    tokyo = timezone(timedelta(hours=9))
    ledger.record_turn("ana", "th", "t1", datetime(2026, 3, 2, 18, 0, tzinfo=tokyo), {}, [], {})
    assert ledger.turns("ana")[0].at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_naive_timestamps_are_refused_with_a_clear_error(ledger):
    with pytest.raises(LedgerError, match="timezone-aware"):
        ledger.record_turn("ana", "th", "t1", datetime(2026, 3, 2, 9, 0), {}, [], {})
    assert ledger.turns("ana") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"user_id": ""}, "user_id"),
        ({"turn_id": "   "}, "turn_id"),
        ({"scores": {"loneliness": float("nan")}}, "finite"),
        ({"scores": {"loneliness": "high"}}, "cannot record turn"),
        ({"fired": [""]}, "fired"),
        ({"trace": {"handle": object()}}, "cannot record turn"),
    ],
)
def test_bad_turns_are_refused_and_nothing_is_written(ledger, kwargs, message):
    args = {
        "user_id": "ana",
        "thread_id": "th",
        "turn_id": "t1",
        "at": T0,
        "scores": {},
        "fired": [],
        "trace": {},
    } | kwargs
    with pytest.raises(LedgerError, match=message):
        ledger.record_turn(**args)
    assert ledger.turns("ana") == []


def test_times_inside_a_trace_are_stored_as_iso_text(ledger):
    ledger.record_turn("ana", "th", "t1", T0, {}, [], {"nudge_due_at": T0 + timedelta(hours=1)})
    assert ledger.last_trace("ana") == {"nudge_due_at": "2026-03-02T10:00:00Z"}


def test_recording_the_same_turn_again_replaces_it(ledger):
    ledger.record_turn("ana", "th", "t1", T0, {"distress": 0.1}, [], {"v": 1})
    ledger.record_turn("ana", "th", "t1", T0, {"distress": 0.7}, ["distress"], {"v": 2})
    [got] = ledger.turns("ana")
    assert got.scores == {"distress": 0.7} and got.trace == {"v": 2}
    assert ledger.sessions("ana")[0].turns == 1


def test_turns_since_thread_and_limit(ledger):
    for i in range(5):
        turn(ledger, "ana", i, T0 + timedelta(hours=i), thread="a" if i % 2 else "b")
    assert [t.turn_id for t in ledger.turns("ana", since=T0 + timedelta(hours=3))] == ["t3", "t4"]
    assert [t.turn_id for t in ledger.turns("ana", thread_id="a")] == ["t1", "t3"]
    assert [t.turn_id for t in ledger.turns("ana", limit=2)] == ["t3", "t4"]
    assert ledger.last_turn("ana", thread_id="a").turn_id == "t3"
    assert ledger.last_trace("ana") == {"n": 4}
    assert ledger.turn("ana", "t2").at == T0 + timedelta(hours=2)
    assert ledger.turn("ana", "missing") is None
    assert ledger.last_trace("nobody") is None


def test_sessions_split_on_gaps_over_thirty_minutes(ledger):
    minutes = [0, 10, 40, 71, 80, 200]  # 40 -> 71 is 31 min: new session; 30 exactly: same
    for i, m in enumerate(minutes):
        turn(ledger, "ana", i, T0 + timedelta(minutes=m))
    got = [(s.start, s.end, s.turns) for s in ledger.sessions("ana")]
    assert got == [
        (T0, T0 + timedelta(minutes=40), 3),
        (T0 + timedelta(minutes=71), T0 + timedelta(minutes=80), 2),
        (T0 + timedelta(minutes=200), T0 + timedelta(minutes=200), 1),
    ]
    assert ledger.sessions("ana")[0].duration_seconds == 40 * 60


def test_a_late_arriving_turn_joins_two_sessions(ledger):
    turn(ledger, "ana", 1, T0)
    turn(ledger, "ana", 2, T0 + timedelta(minutes=50))
    assert len(ledger.sessions("ana")) == 2
    turn(ledger, "ana", 3, T0 + timedelta(minutes=25))  # recorded out of order
    [s] = ledger.sessions("ana")
    assert (s.start, s.end, s.turns) == (T0, T0 + timedelta(minutes=50), 3)


def test_stats_count_everything(ledger):
    assert ledger.stats("ana").turns == 0 and ledger.stats("ana").first_seen is None
    turn(ledger, "ana", 1, T0)
    turn(ledger, "ana", 2, T0 + timedelta(days=2))
    stats = ledger.stats("ana")
    assert (stats.turns, stats.sessions) == (2, 2)
    assert stats.first_seen == T0 and stats.last_seen == T0 + timedelta(days=2)


def test_people_are_merged_by_name_and_keep_the_latest_tone(ledger):
    ledger.upsert_person("ana", "Maya", "sister", at=T0, tone="warm")
    ledger.upsert_person("ana", "maya", at=T0 + timedelta(days=2), tone=Tone.strained)
    ledger.upsert_person("ana", "MAYA", at=T0 + timedelta(days=1), tone="warm")  # older news
    ledger.upsert_person("ana", "Jonas", "friend", at=T0 + timedelta(days=1))
    maya, jonas = ledger.people("ana")
    assert (maya.name, maya.relation, maya.mentions) == ("Maya", "sister", 3)
    assert maya.tone is Tone.strained
    assert (maya.first_mentioned, maya.last_mentioned) == (T0, T0 + timedelta(days=2))
    assert (jonas.name, jonas.tone) == ("Jonas", Tone.neutral)


def test_unknown_tone_is_refused(ledger):
    with pytest.raises(LedgerError, match="warm, strained, neutral"):
        ledger.upsert_person("ana", "Maya", tone="furious", at=T0)
    assert ledger.people("ana") == []


def test_nudges_and_responses(ledger):
    first = ledger.record_nudge("ana", "reach_out", "social", "lonely 3 days running", at=T0)
    second = ledger.record_nudge("ana", "take_break", "wellbeing", "2 hours tonight", at=T0)
    assert first != second
    assert [n.response for n in ledger.nudges("ana")] == [NudgeResponse.pending] * 2
    done = ledger.respond_to_nudge(first, "taken_up", at=T0 + timedelta(hours=1))
    assert done.response is NudgeResponse.taken_up
    assert done.responded_at == T0 + timedelta(hours=1)
    assert ledger.preferences("ana").opted_out == []
    ledger.respond_to_nudge(second, NudgeResponse.opted_out, user_id="ana")
    assert ledger.preferences("ana").opted_out == ["take_break"]
    assert not ledger.preferences("ana").allows("take_break")
    assert [n.why for n in ledger.nudges("ana")] == ["lonely 3 days running", "2 hours tonight"]


def test_bad_nudge_responses(ledger):
    nid = ledger.record_nudge("ana", "reach_out", "social", "why", at=T0)
    with pytest.raises(LedgerError, match="taken_up, dismissed, opted_out"):
        ledger.respond_to_nudge(nid, "maybe")
    with pytest.raises(LedgerError):
        ledger.respond_to_nudge(nid, "pending")
    with pytest.raises(UnknownNudgeError):
        ledger.respond_to_nudge("no-such-id", "dismissed")
    assert ledger.nudges("ana")[0].response is NudgeResponse.pending


def test_checkins_round_trip(ledger):
    ledger.record_checkin("ana", "ucla3", {"q1": 2, "q2": 3, "q3": 1}, 6, at=T0)
    ledger.record_checkin("ana", "who5", {"q1": 4}, 16.5, at=T0 + timedelta(days=1))
    [ucla] = ledger.checkins("ana", instrument="ucla3")
    assert ucla.answers == {"q1": 2.0, "q2": 3.0, "q3": 1.0} and ucla.score == 6.0
    assert [c.instrument for c in ledger.checkins("ana", since=T0 + timedelta(hours=1))] == ["who5"]
    with pytest.raises(LedgerError):
        ledger.record_checkin("ana", "ucla3", {"q1": "a lot"}, 6, at=T0)


def test_preferences(ledger):
    prefs = ledger.preferences("ana")
    assert prefs.is_enabled("social") and prefs.nudge_frequency == "normal"
    ledger.set_module("ana", "social", False)
    ledger.opt_out("ana", "reach_out")
    ledger.opt_out("ana", "reach_out")  # twice is still once
    prefs = ledger.set_nudge_frequency("ana", "low")
    assert prefs.modules == {"social": False} and not prefs.is_enabled("social")
    assert prefs.opted_out == ["reach_out"] and prefs.nudge_frequency == "low"
    prefs = ledger.set_module("ana", "social", True)
    assert prefs.is_enabled("social")
    assert ledger.opt_in("ana", "reach_out").opted_out == []


def test_safety_and_guard_cannot_be_switched_off(ledger):
    for module in ("safety", "guard"):
        with pytest.raises(LedgerError, match="always on"):
            ledger.set_module("ana", module, False)
    assert ledger.preferences("ana").is_enabled("safety")
    with pytest.raises(LedgerError, match="low, normal, high"):
        ledger.set_nudge_frequency("ana", "never")  # type: ignore[arg-type]


def test_crisis_counter_is_anonymous_per_day_and_locale(ledger, tmp_path):
    ledger.record_crisis_referral("US", at=T0)
    ledger.record_crisis_referral("us", at=T0 + timedelta(hours=3))
    ledger.record_crisis_referral("en_GB", at=T0 + timedelta(days=1))
    got = [(c.day, c.locale, c.count) for c in ledger.crisis_referral_counts()]
    assert got == [(date(2026, 3, 2), "US", 2), (date(2026, 3, 3), "EN-GB", 1)]
    assert len(ledger.crisis_referral_counts(since=date(2026, 3, 3))) == 1
    with pytest.raises(LedgerError, match="locale"):
        ledger.record_crisis_referral("not a locale", at=T0)
    # The table has no column that could tie a count to a person.
    con = sqlite3.connect(tmp_path / "ledger.sqlite3")
    columns = {row[1] for row in con.execute("PRAGMA table_info(ledger_crisis_referrals)")}
    con.close()
    assert columns == {"day", "locale", "count"}


def test_message_text_is_not_a_column_anywhere(ledger, tmp_path):
    turn(ledger, "ana", 1, T0, fired=["loneliness"])
    con = sqlite3.connect(tmp_path / "ledger.sqlite3")
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    columns = {c[1] for t in tables for c in con.execute(f"PRAGMA table_info({t})")}
    mode = con.execute("PRAGMA journal_mode").fetchone()[0]
    con.close()
    assert not columns & {"text", "message", "content", "body"}
    assert mode == "wal"


def test_data_survives_reopening(tmp_path):
    url = default_url(tmp_path / "nested" / "dir")
    with Ledger(url) as led:
        turn(led, "ana", 1, T0)
        led.upsert_person("ana", "Maya", at=T0)
    with Ledger(url) as led:
        assert [t.turn_id for t in led.turns("ana")] == ["t1"]
        assert [p.name for p in led.people("ana")] == ["Maya"]


def test_bad_urls_give_a_ledger_error(tmp_path):
    with pytest.raises(LedgerError, match="not a database URL"):
        Ledger("this is not a url")
    with pytest.raises(LedgerError):
        Ledger("nosuchdialect://x")


def run_in_threads(work, n: int = 4) -> None:
    errors: list[BaseException] = []

    def guarded(k: int) -> None:
        try:
            work(k)
        except BaseException as exc:  # collected and reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(k,)) for k in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []


def test_threads_can_share_one_ledger(ledger):
    def work(k: int) -> None:
        for i in range(10):
            turn(ledger, f"user{k}", i, T0 + timedelta(minutes=i))

    run_in_threads(work)
    assert all(len(ledger.turns(f"user{k}")) == 10 for k in range(4))


def test_concurrent_read_then_write_on_the_same_rows_loses_nothing(ledger):
    # Every thread mentions the same person of the same user and counts a crisis referral:
    # each is a read-then-write, which must neither fail on locks nor lose an update.
    def work(k: int) -> None:
        for i in range(8):
            ledger.upsert_person("ana", "Maya", at=T0 + timedelta(minutes=i))
            ledger.record_crisis_referral("US", at=T0)

    run_in_threads(work)
    assert ledger.people("ana")[0].mentions == 32
    assert ledger.crisis_referral_counts()[0].count == 32


def test_default_now_comes_from_the_injected_clock(tmp_path):
    fixed = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    with Ledger("sqlite://", clock=lambda: fixed) as led:
        led.record_nudge("ana", "reach_out", "social", "why")
        led.upsert_person("ana", "Maya")
        assert led.nudges("ana")[0].at == fixed
        assert led.people("ana")[0].first_mentioned == fixed


def test_turn_times_and_current_session(ledger):
    for i, minutes in enumerate([0, 10, 100, 120]):
        turn(ledger, "ana", i, T0 + timedelta(minutes=minutes))
    assert ledger.turn_times("ana", since=T0 + timedelta(minutes=5)) == [
        T0 + timedelta(minutes=m) for m in (10, 100, 120)
    ]
    now = T0 + timedelta(minutes=140)
    session = ledger.current_session("ana", now)
    assert (session.start, session.turns) == (T0 + timedelta(minutes=100), 2)
    assert ledger.current_session("ana", T0 + timedelta(minutes=151)) is None
    assert ledger.current_session("bob", now) is None


def test_fired_signals_lists_times_and_names_without_traces(ledger):
    ledger.record_turn("ana", "t", "a", T0, {"loneliness": 0.9}, ["loneliness"], {"x": 1})
    ledger.record_turn("ana", "t", "b", T0 + timedelta(hours=1), {}, [], {})
    ledger.record_turn("bob", "t", "c", T0, {"distress": 0.9}, ["distress"], {})
    assert [(f.at, f.fired) for f in ledger.fired_signals("ana")] == [
        (T0, ["loneliness"]),
        (T0 + timedelta(hours=1), []),
    ]
    assert [f.at for f in ledger.fired_signals("ana", since=T0 + timedelta(minutes=1))] == [
        T0 + timedelta(hours=1)
    ]


def test_last_disclosure_is_remembered_per_person(ledger):
    assert ledger.last_disclosure("ana") is None
    ledger.set_nudge_frequency("ana", "high")
    ledger.record_disclosure("ana", at=T0)
    ledger.record_disclosure("ana", at=T0 + timedelta(hours=3))
    assert ledger.last_disclosure("ana") == T0 + timedelta(hours=3)
    assert ledger.preferences("ana").nudge_frequency == "high"  # same row, untouched
    assert ledger.last_disclosure("bob") is None
    ledger.record_disclosure("bob", at=T0)
    assert ledger.preferences("bob").nudge_frequency == "normal"


def test_a_rehearsed_turn_stores_nothing_and_later_writes_still_commit(ledger):
    turn(ledger, "ana", 1, T0)
    before = ledger.export_user("ana")
    ledger.rehearse_turn("ana", T0 + timedelta(minutes=5))
    assert ledger.export_user("ana") == before
    assert ledger.last_disclosure("ana") is None
    turn(ledger, "ana", 2, T0 + timedelta(minutes=6))  # the rollback was only for the rehearsal
    ledger.record_disclosure("ana", T0 + timedelta(minutes=6))
    assert [t.turn_id for t in ledger.turns("ana")] == ["t1", "t2"]
    assert ledger.last_disclosure("ana") == T0 + timedelta(minutes=6)
