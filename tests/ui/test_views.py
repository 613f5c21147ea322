"""What the screens say: the trace, the dashboard tables, the demo diff, the crisis banner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from alignment.ledger import NudgeRecord, SessionRecord, TurnRecord
from alignment.safety import crisis_resources
from ui.dashboard import daily_usage, late_night_share, nudge_outcomes, signal_trends
from ui.demo import diff_words
from ui.trace import render_trace, short_summary
from ui.views import BadThread, check_thread, crisis_banner, reply_choices

UTC_ZONE = UTC
TRACE = {
    "turn_id": "t1",
    "model": "fake/echo",
    "route": "respond",
    "signals": {
        "scores": {"loneliness": 0.91, "distress": 0.2, "goodbye": 0.01},
        "fired": ["loneliness"],
        "reasons": {"loneliness": "sounds like feeling alone"},
    },
    "memories": [
        {"id": "m1", "text": "Likes <b>jazz</b> *a lot*", "score": 0.5, "why": ["meaning"]}
    ],
    "modules": {
        "social": {"active": True, "nudge": {"kind": "reach_out", "why": "loneliness"}},
        "autonomy": {"active": False, "nudge": None, "notes": {"concerns": []}},
    },
    "review": [
        {"stage": "draft", "ok": False, "problems": ["exclusivity"]},
        {"stage": "repair", "ok": True, "problems": ["exclusivity"]},
    ],
    "review_notes": {
        "guard": {"sentences": [{"text": "Only I get you.", "violations": ["exclusivity"]}]}
    },
    "changed": True,
    "modules_enabled": ["autonomy", "social", "transparency"],
    "timings_ms": {"respond": 120.0, "review": 3.0},
}


def test_the_trace_says_what_fired_what_was_used_what_acted_and_what_was_repaired():
    text = render_trace(TRACE)
    assert "**loneliness** (0.91): sounds like feeling alone" in text
    assert "distress 0.20" in text and "goodbye" not in text  # below 0.05 is left out
    assert "&lt;b&gt;jazz&lt;/b&gt; \\*a lot\\*" in text  # remembered text cannot inject markup
    assert "**social** suggested *reach out* because of loneliness" in text
    assert "Quiet this time (nothing called for them): autonomy." in text
    assert "wellbeing **off**" in text and "social on" in text
    assert "~~Only I get you.~~ (exclusivity)" in text
    assert "The guard changed this reply" in text
    assert "123 ms" in text


def test_a_crisis_turn_and_an_empty_trace_read_plainly():
    assert "Crisis protocol" in render_trace({**TRACE, "route": "crisis"})
    assert "Send a message" in render_trace(None)
    summary = short_summary({**TRACE, "route": "crisis"})
    assert summary.startswith("crisis protocol") and "modules acted: social" in summary


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_daily_usage_counts_conversations_and_minutes_per_local_day():
    today = date(2026, 3, 10)
    sessions = [
        SessionRecord(start=at(today, 9), end=at(today, 9, 20), turns=5),
        SessionRecord(start=at(today, 20), end=at(today, 20), turns=1),
        SessionRecord(
            start=at(today - timedelta(days=2), 8), end=at(today - timedelta(2), 8, 9), turns=3
        ),
    ]
    df = daily_usage(sessions, UTC_ZONE, today, days=3)
    assert list(df["day"]) == ["2026-03-08", "2026-03-09", "2026-03-10"]
    assert list(df["conversations"]) == [1, 0, 2]
    assert list(df["minutes"]) == [10.0, 0.0, 22.0]  # each visit counts one minute at least


def test_late_night_share_is_the_percentage_of_messages_after_23_or_before_5():
    today = date(2026, 3, 10)
    times = [at(today, 23, 30), at(today, 12), at(today, 2), at(today, 14)]
    df = late_night_share(times, UTC_ZONE, today, days=2)
    assert list(df["late-night %"]) == [0.0, 50.0]


def test_signal_trends_keep_the_days_highest_score_and_drop_silent_signals():
    today = date(2026, 3, 10)
    turns = [
        TurnRecord(
            turn_id="a", thread_id="t", at=at(today, 9), scores={"distress": 0.3, "crisis": 0.0}
        ),
        TurnRecord(
            turn_id="b", thread_id="t", at=at(today, 10), scores={"distress": 0.7, "goodbye": 0.9}
        ),
    ]
    df = signal_trends(turns, UTC_ZONE, today, days=2)
    assert set(df["signal"]) == {"distress"}
    assert list(df["score"]) == [0.0, 0.7]


def test_nudge_outcomes_count_each_kind_by_what_the_person_did():
    now = datetime(2026, 3, 10, tzinfo=UTC)
    nudges = [
        NudgeRecord(
            id="1", kind="reach_out", module="social", why="w", at=now, response="taken_up"
        ),
        NudgeRecord(id="2", kind="reach_out", module="social", why="w", at=now),
        NudgeRecord(id="3", kind="sleep", module="wellbeing", why="w", at=now, response="taken_up"),
    ]
    rows = nudge_outcomes(nudges).to_dict("records")
    assert {"kind": "reach out", "outcome": "taken up", "nudges": 1} in rows
    assert {"kind": "reach out", "outcome": "no answer yet", "nudges": 1} in rows
    assert {"kind": "sleep", "outcome": "taken up", "nudges": 1} in rows


def test_the_demo_diff_marks_only_what_differs():
    a, b = diff_words("I hear you. Call a friend today.", "I hear you.")
    assert "".join(t for t, _ in a) == "I hear you. Call a friend today."
    assert [t for t, label in a if label] == [" Call a friend today."]
    assert [t for t, label in b if label] == []


def test_thread_ids_and_reply_choices():
    assert check_thread("c-20260310-101010-ab12") == "c-20260310-101010-ab12"
    for bad in ("", "../x", "a" * 65, "a b"):
        try:
            check_thread(bad)
        except BadThread:
            continue
        raise AssertionError(f"{bad!r} should be refused")
    chat = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "> ℹ️ I'm an AI.\n\nHello there"},
    ]
    assert reply_choices(chat, ["t1", "t1"]) == [("Reply 1: Hello there", "t1")]


def test_the_crisis_banner_lists_the_locales_services_calmly():
    resources = crisis_resources("GB")
    html = crisis_banner(resources.block(), resources.country)
    assert 'role="alert"' in html and "116 123" in html
    assert "You don't have to carry this alone" in html
